from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Access log")

    def ready(self) -> None:
        from audit.db_guards import ensure_access_log_trigger

        post_migrate.connect(ensure_access_log_trigger, sender=self, dispatch_uid="access_log_trigger")
