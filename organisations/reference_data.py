"""The reference geography of Swedish healthcare: the six healthcare regions, the 21 regions and the hospitals
that do planned surgery in each (`organisations/reference_hospitals.py`).

Codes are the keys the load matches rows on: a code once shipped is never changed or reused. The regions of
Södra and Sydöstra sjukvårdsregionen are listed first and keep the codes they had when SOT knew only them.
Whether a region takes part in SOT is the administrator's setting (`Region.takes_part`); the load sets it only
when it creates a region, for the regions that SOT started with, and never changes it afterwards.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from organisations.models import Specialty as S
from organisations.reference_hospitals import HOSPITALS as HOSPITALS
from organisations.reference_hospitals import ReferenceHospital as ReferenceHospital

# (code, name)
HEALTHCARE_REGIONS = [
    ("sodra", "Södra sjukvårdsregionen"),
    ("sydostra", "Sydöstra sjukvårdsregionen"),
    ("norra", "Norra sjukvårdsregionen"),
    ("uppsala-orebro", "Uppsala–Örebro sjukvårdsregion"),
    ("stockholm-gotland", "Sjukvårdsregion Stockholm–Gotland"),
    ("vastra", "Västra sjukvårdsregionen"),
]


class ReferenceRegion(NamedTuple):
    code: str
    name: str
    healthcare_region: str  # its code
    takes_part_when_created: bool = False  # the regions SOT started with; the administrator decides the rest


REGIONS = [
    ReferenceRegion("skane", "Region Skåne", "sodra", True),
    ReferenceRegion("blekinge", "Region Blekinge", "sodra", True),
    ReferenceRegion("kronoberg", "Region Kronoberg", "sodra", True),
    ReferenceRegion("halland", "Region Halland", "sodra", True),
    ReferenceRegion("ostergotland", "Region Östergötland", "sydostra", True),
    ReferenceRegion("jonkoping", "Region Jönköpings län", "sydostra", True),
    ReferenceRegion("kalmar", "Region Kalmar län", "sydostra", True),
    ReferenceRegion("norrbotten", "Region Norrbotten", "norra"),
    ReferenceRegion("vasterbotten", "Region Västerbotten", "norra"),
    ReferenceRegion("vasternorrland", "Region Västernorrland", "norra"),
    ReferenceRegion("jamtland-harjedalen", "Region Jämtland Härjedalen", "norra"),
    ReferenceRegion("uppsala", "Region Uppsala", "uppsala-orebro"),
    ReferenceRegion("sormland", "Region Sörmland", "uppsala-orebro"),
    ReferenceRegion("varmland", "Region Värmland", "uppsala-orebro"),
    ReferenceRegion("orebro", "Region Örebro län", "uppsala-orebro"),
    ReferenceRegion("vastmanland", "Region Västmanland", "uppsala-orebro"),
    ReferenceRegion("dalarna", "Region Dalarna", "uppsala-orebro"),
    ReferenceRegion("gavleborg", "Region Gävleborg", "uppsala-orebro"),
    ReferenceRegion("stockholm", "Region Stockholm", "stockholm-gotland"),
    ReferenceRegion("gotland", "Region Gotland", "stockholm-gotland"),
    ReferenceRegion("vastra-gotaland", "Västra Götalandsregionen", "vastra"),
]

# Sweden's extent (WGS 84), with a margin: a hospital outside it is a typing error, not a hospital.
SWEDEN_LATITUDE = (Decimal("55.3"), Decimal("69.1"))
SWEDEN_LONGITUDE = (Decimal("10.9"), Decimal("24.2"))

# Swedish names of the clinics, by specialty.
UNIT_NAMES: dict[str, str] = {
    S.ORTHOPAEDICS: "Ortopedi",
    S.GENERAL_SURGERY: "Kirurgi",
    S.UROLOGY: "Urologi",
    S.GYNAECOLOGY: "Kvinnosjukvård",
    S.ENT: "Öron-, näs- och halssjukvård",
    S.HAND_SURGERY: "Handkirurgi",
    S.VASCULAR_SURGERY: "Kärlkirurgi",
    S.BREAST_SURGERY: "Bröstkirurgi",
}

UNIT_CODE_SUFFIX: dict[str, str] = {
    S.ORTHOPAEDICS: "ortopedi",
    S.GENERAL_SURGERY: "kirurgi",
    S.UROLOGY: "urologi",
    S.GYNAECOLOGY: "gyn",
    S.ENT: "onh",
    S.HAND_SURGERY: "handkirurgi",
    S.VASCULAR_SURGERY: "karlkirurgi",
    S.BREAST_SURGERY: "brostkirurgi",
}
