from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and memberships")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from sot.middleware import SessionIdleMiddleware

        user_logged_in.connect(SessionIdleMiddleware.stamp_at_login, dispatch_uid="sot_session_stamp")
