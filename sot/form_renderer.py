"""The form renderer: Django's own, with the project's `templates/django/forms/` in front of Django's widget
templates. The one override, `widgets/select.html`, writes each `<option>` in place, with the same markup,
instead of including two templates per option: a page of filters with a hundred options (the SOT queue)
spent a tenth of its time on those includes."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import django.forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates

DJANGO_FORM_TEMPLATES = Path(django.forms.__file__).parent / "templates"


class FormRenderer(DjangoTemplates):
    @cached_property
    def engine(self) -> Any:
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [Path(settings.BASE_DIR) / "templates" / "forms", DJANGO_FORM_TEMPLATES],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )
