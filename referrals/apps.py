from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Coordination requests")

    def ready(self) -> None:
        from referrals.db_guards import ensure_append_only_triggers

        post_migrate.connect(ensure_append_only_triggers, sender=self, dispatch_uid="referral_event_triggers")
