from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    name = "settlement"
    verbose_name = _("Settlement at cost price")

    def ready(self) -> None:
        from referrals.signals import referral_accepted
        from settlement.services import price_fix_on_acceptance

        # In the acceptance's transaction: the price is fixed with the acceptance or not at all.
        referral_accepted.connect(price_fix_on_acceptance, dispatch_uid="settlement_price_fix")
