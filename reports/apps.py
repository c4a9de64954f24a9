from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _renamed(sender: Any, created: bool = False, **kwargs: Any) -> None:
    """The kept figures hold region and diagnosis-group names: a changed one makes them all out of date."""
    from reports.figure_store import figures_mark_all_stale

    if not created:
        figures_mark_all_stale()


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Monthly reports")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from catalog.models import DiagnosisGroup
        from organisations.models import Region
        from referrals.signals import figures_touched
        from reports.figure_store import figures_touched as note_change

        # In the change's transaction: the kept months hear of a change with it, or not at all.
        figures_touched.connect(note_change, dispatch_uid="reports_figures_touched")
        for model in (Region, DiagnosisGroup):
            post_save.connect(_renamed, sender=model, dispatch_uid=f"reports_renamed_{model.__name__}")
            post_delete.connect(_renamed, sender=model, dispatch_uid=f"reports_deleted_{model.__name__}")
