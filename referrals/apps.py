from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Coordination requests")

    def ready(self) -> None:
        from referrals.db_guards import ensure_append_only_triggers
        from referrals.filters import QUEUE_FILTER_MODELS
        from referrals.models import StateWaitLimit
        from sot import reference_cache

        # The queue filter's choice lists (referrals.filters.queue_filter_choices) and the wait limits
        # (referrals.selectors.wait_limits) are kept until these change.
        reference_cache.watch(*QUEUE_FILTER_MODELS, StateWaitLimit)

        post_migrate.connect(ensure_append_only_triggers, sender=self, dispatch_uid="referral_event_triggers")
