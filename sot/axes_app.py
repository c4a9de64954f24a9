"""django-axes under a Swedish name in the admin.

django-axes' own AppConfig has no verbose_name, so the admin would show the untranslatable "Axes";
this subclass only adds one. The label stays "axes", so its migrations and tables are untouched.
"""

from __future__ import annotations

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AppConfig):
    verbose_name = _("Sign-in protection")
