"""Demo action plans for Region Skåne and Södra sjukvårdsregionen, one in every status, with history."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from actionplans.models import ActionPlan, ActionPlanStatus
from actionplans.services import plan_change_status, plan_create
from organisations.models import HealthcareRegion, Region
from referrals.models import ObstacleCategory

S = ActionPlanStatus

# (place, category, title, activities, owner, follow-up, indicator, target, [(days ago, status, comment), ...])
PLANS = [
    (
        "skane",
        ObstacleCategory.IT,
        "Digital överföring av remisser",
        "Inventera lösningar för säker överföring av remisser och bilder till grannregionerna; pilot med Blekinge.",
        "Regionens IT-strateg",
        "Uppföljning i SOT-gruppen varje månad.",
        "Andel remisser till annan region som skickas digitalt",
        "80 % till december",
        [(80, S.GREEN, "Inventeringen är klar."), (30, S.YELLOW, "Piloten försenad av leverantören.")],
    ),
    (
        "skane",
        ObstacleCategory.CAPACITY,
        "Gemensam operationskapacitet för ortopedi",
        "Veckovis avstämning av lediga operationstider med Halland och Kronoberg.",
        "Verksamhetschef ortopedi",
        "Antal samordnade patienter i månadsrapporten.",
        "Samordnade ortopedipatienter per månad",
        "Minst 20",
        [(60, S.GREEN, "Avstämningen har startat."), (10, S.GREEN, "")],
    ),
    (
        "skane",
        ObstacleCategory.TRANSPORT,
        "Transporter mellan sjukhus",
        "Upphandla gemensam liggande transport för patienter som opereras i annan region.",
        "Enhetschef sjukresor",
        "Avvikelser rapporteras till SOT-gruppen.",
        "Inställda operationer på grund av transport",
        "Noll",
        [(70, S.YELLOW, "Upphandlingen överklagad."), (20, S.RED, "Ingen avtalspart före sommaren.")],
    ),
    (
        "sodra",
        ObstacleCategory.LEGAL,
        "Juridiska hinder för att dela patientuppgifter",
        "Ta fram gemensam rättslig analys och mall för samtycke inom sjukvårdsregionen.",
        "Regionjurister i samverkan",
        "Rapport till regionvårdsnämnden.",
        "Beslutad mall för samtycke",
        "Beslut i regionvårdsnämnden",
        [(90, S.GREEN, "Analysen påbörjad."), (40, S.YELLOW, "Väntar på yttrande."), (5, S.DONE, "Mallen beslutad.")],
    ),
    (
        "sodra",
        ObstacleCategory.ECONOMIC,
        "Ersättning till självkostnadspris",
        "Gemensam prislista till självkostnadspris för vård som köps och säljs mellan regionerna.",
        "Ekonomidirektörernas nätverk",
        "Avstämning varje kvartal.",
        "Regioner som tillämpar prislistan",
        "Alla fyra regioner",
        [(50, S.RED, "Oenighet om overheadkostnader."), (15, S.YELLOW, "Förslag till kompromiss finns.")],
    ),
]


def seed_demo_action_plans() -> int:
    """Create the demo plans once; returns how many were created."""
    if ActionPlan.objects.exists():
        return 0
    by = User.objects.filter(username="direktor.sodra").first() or User.objects.filter(is_superuser=True).first()
    if by is None:
        return 0
    today = timezone.localdate()
    with transaction.atomic():
        for place, category, title, activities, owner, follow_up, indicator, target, history in PLANS:
            where = (
                {"healthcare_region": HealthcareRegion.objects.get(code=place)}
                if place == "sodra"
                else {"region": Region.objects.get(code=place)}
            )
            (first_days, first_status, first_comment), *later = history
            plan = plan_create(
                by=by,
                **where,
                category=category,
                title=title,
                activities=activities,
                owner_function=owner,
                follow_up_method=follow_up,
                indicator=indicator,
                target_value=target,
                status=first_status,
                status_date=today - timedelta(days=first_days),
                status_comment=first_comment,
            )
            for days, status, comment in later:
                plan = plan_change_status(
                    plan=plan, by=by, status=status, status_date=today - timedelta(days=days), comment=comment
                )
    return len(PLANS)
