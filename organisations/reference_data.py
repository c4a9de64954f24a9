"""The healthcare regions, regions and hospitals of Södra and Sydöstra sjukvårdsregionen.

Coordinates are the hospitals' approximate positions (WGS 84), enough for travel distance.
"""

from __future__ import annotations

from organisations.models import Specialty as S

HEALTHCARE_REGIONS = [
    ("sodra", "Södra sjukvårdsregionen"),
    ("sydostra", "Sydöstra sjukvårdsregionen"),
]

# (code, name, healthcare region code)
REGIONS = [
    ("skane", "Region Skåne", "sodra"),
    ("blekinge", "Region Blekinge", "sodra"),
    ("kronoberg", "Region Kronoberg", "sodra"),
    ("halland", "Region Halland", "sodra"),
    ("ostergotland", "Region Östergötland", "sydostra"),
    ("jonkoping", "Region Jönköpings län", "sydostra"),
    ("kalmar", "Region Kalmar län", "sydostra"),
]

_FULL = [S.ORTHOPAEDICS, S.GENERAL_SURGERY, S.UROLOGY, S.GYNAECOLOGY, S.ENT, S.HAND_SURGERY, S.VASCULAR_SURGERY]
_COUNTY = [S.ORTHOPAEDICS, S.GENERAL_SURGERY, S.UROLOGY, S.GYNAECOLOGY, S.ENT]
_LOCAL = [S.ORTHOPAEDICS, S.GENERAL_SURGERY]

# (code, name, region code, latitude, longitude, specialties of its surgical units)
HOSPITALS = [
    ("sus-lund", "Skånes universitetssjukhus Lund", "skane", "55.71340", "13.19560", [*_FULL, S.BREAST_SURGERY]),
    ("sus-malmo", "Skånes universitetssjukhus Malmö", "skane", "55.58970", "13.00020", _FULL),
    ("helsingborg", "Helsingborgs lasarett", "skane", "56.04530", "12.70480", [*_COUNTY, S.BREAST_SURGERY]),
    ("kristianstad", "Centralsjukhuset Kristianstad", "skane", "56.03170", "14.14290", [*_COUNTY, S.BREAST_SURGERY]),
    ("ystad", "Ystads lasarett", "skane", "55.42960", "13.83070", [*_LOCAL, S.GYNAECOLOGY]),
    ("hassleholm", "Hässleholms sjukhus", "skane", "56.15300", "13.77110", [S.ORTHOPAEDICS]),
    ("trelleborg", "Trelleborgs lasarett", "skane", "55.37600", "13.15700", [*_LOCAL, S.HAND_SURGERY]),
    ("landskrona", "Landskrona lasarett", "skane", "55.87000", "12.84200", [S.ORTHOPAEDICS, S.ENT]),
    ("angelholm", "Ängelholms sjukhus", "skane", "56.24500", "12.86800", _LOCAL),
    ("karlskrona", "Blekingesjukhuset Karlskrona", "blekinge", "56.17800", "15.58400", [*_COUNTY, S.VASCULAR_SURGERY]),
    ("karlshamn", "Blekingesjukhuset Karlshamn", "blekinge", "56.17600", "14.85000", [S.ORTHOPAEDICS, S.UROLOGY]),
    ("vaxjo", "Växjö sjukhus", "kronoberg", "56.87900", "14.79000", [*_COUNTY, S.BREAST_SURGERY]),
    ("ljungby", "Ljungby sjukhus", "kronoberg", "56.83300", "13.93300", _LOCAL),
    ("halmstad", "Hallands sjukhus Halmstad", "halland", "56.67900", "12.84200", [*_COUNTY, S.BREAST_SURGERY]),
    ("varberg", "Hallands sjukhus Varberg", "halland", "57.10300", "12.26600", [*_LOCAL, S.UROLOGY, S.GYNAECOLOGY]),
    ("kungsbacka", "Hallands sjukhus Kungsbacka", "halland", "57.49300", "12.07300", [S.ORTHOPAEDICS]),
    (
        "linkoping",
        "Universitetssjukhuset i Linköping",
        "ostergotland",
        "58.40200",
        "15.55600",
        [*_FULL, S.BREAST_SURGERY],
    ),
    (
        "norrkoping",
        "Vrinnevisjukhuset Norrköping",
        "ostergotland",
        "58.57100",
        "16.17000",
        [*_COUNTY, S.VASCULAR_SURGERY],
    ),
    ("motala", "Lasarettet i Motala", "ostergotland", "58.54100", "15.03300", [*_LOCAL, S.HAND_SURGERY]),
    ("ryhov", "Länssjukhuset Ryhov", "jonkoping", "57.76900", "14.18800", [*_FULL, S.BREAST_SURGERY]),
    ("eksjo", "Höglandssjukhuset Eksjö", "jonkoping", "57.66200", "14.96800", [*_LOCAL, S.UROLOGY, S.GYNAECOLOGY]),
    ("varnamo", "Värnamo sjukhus", "jonkoping", "57.18300", "14.04800", [*_LOCAL, S.GYNAECOLOGY]),
    ("kalmar", "Länssjukhuset i Kalmar", "kalmar", "56.66800", "16.33500", [*_COUNTY, S.VASCULAR_SURGERY]),
    ("vastervik", "Västerviks sjukhus", "kalmar", "57.75000", "16.62000", [*_LOCAL, S.GYNAECOLOGY]),
    ("oskarshamn", "Oskarshamns sjukhus", "kalmar", "57.26400", "16.44000", [S.ORTHOPAEDICS]),
]

# Swedish names of the clinics, by specialty.
UNIT_NAMES = {
    S.ORTHOPAEDICS: "Ortopedi",
    S.GENERAL_SURGERY: "Kirurgi",
    S.UROLOGY: "Urologi",
    S.GYNAECOLOGY: "Kvinnosjukvård",
    S.ENT: "Öron-, näs- och halssjukvård",
    S.HAND_SURGERY: "Handkirurgi",
    S.VASCULAR_SURGERY: "Kärlkirurgi",
    S.BREAST_SURGERY: "Bröstkirurgi",
}

UNIT_CODE_SUFFIX = {
    S.ORTHOPAEDICS: "ortopedi",
    S.GENERAL_SURGERY: "kirurgi",
    S.UROLOGY: "urologi",
    S.GYNAECOLOGY: "gyn",
    S.ENT: "onh",
    S.HAND_SURGERY: "handkirurgi",
    S.VASCULAR_SURGERY: "karlkirurgi",
    S.BREAST_SURGERY: "brostkirurgi",
}
