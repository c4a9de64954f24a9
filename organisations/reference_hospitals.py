"""The hospitals that do planned surgery, region by region, and the surgical units each has.

Positions are WGS 84 and approximate: good to about a kilometre, from the towns' and hospitals' known
locations, which is what travel distance between hospitals needs. They are not addresses; an installation
corrects a position or adds a hospital in the admin. The specialties are a simplified picture of who operates
what (a university hospital does everything, a county hospital most, a local one a little): enough to know
which clinics exist, while the capacity they offer is what decides matching. The hospitals of Södra and Sydöstra
sjukvårdsregionen come first, with the codes they had when SOT knew only them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from organisations.models import Specialty as S


class ReferenceHospital(NamedTuple):
    code: str
    name: str
    town: str
    region: str  # its code
    latitude: str
    longitude: str
    specialties: Sequence[str]


_FULL = [S.ORTHOPAEDICS, S.GENERAL_SURGERY, S.UROLOGY, S.GYNAECOLOGY, S.ENT, S.HAND_SURGERY, S.VASCULAR_SURGERY]
_UNIVERSITY = [*_FULL, S.BREAST_SURGERY]
_COUNTY = [S.ORTHOPAEDICS, S.GENERAL_SURGERY, S.UROLOGY, S.GYNAECOLOGY, S.ENT]
_LOCAL = [S.ORTHOPAEDICS, S.GENERAL_SURGERY]
H = ReferenceHospital

# One row a hospital: the table reads better unwrapped.
# fmt: off
HOSPITALS = [
    # Södra sjukvårdsregionen
    H("sus-lund", "Skånes universitetssjukhus Lund", "Lund", "skane", "55.71340", "13.19560", _UNIVERSITY),
    H("sus-malmo", "Skånes universitetssjukhus Malmö", "Malmö", "skane", "55.58970", "13.00020", _FULL),
    H("helsingborg", "Helsingborgs lasarett", "Helsingborg", "skane", "56.04530", "12.70480", [*_COUNTY, S.BREAST_SURGERY]),
    H("kristianstad", "Centralsjukhuset Kristianstad", "Kristianstad", "skane", "56.03170", "14.14290", [*_COUNTY, S.BREAST_SURGERY]),
    H("ystad", "Ystads lasarett", "Ystad", "skane", "55.42960", "13.83070", [*_LOCAL, S.GYNAECOLOGY]),
    H("hassleholm", "Hässleholms sjukhus", "Hässleholm", "skane", "56.15300", "13.77110", [S.ORTHOPAEDICS]),
    H("trelleborg", "Trelleborgs lasarett", "Trelleborg", "skane", "55.37600", "13.15700", [*_LOCAL, S.HAND_SURGERY]),
    H("landskrona", "Landskrona lasarett", "Landskrona", "skane", "55.87000", "12.84200", [S.ORTHOPAEDICS, S.ENT]),
    H("angelholm", "Ängelholms sjukhus", "Ängelholm", "skane", "56.24500", "12.86800", _LOCAL),
    H("karlskrona", "Blekingesjukhuset Karlskrona", "Karlskrona", "blekinge", "56.17800", "15.58400", [*_COUNTY, S.VASCULAR_SURGERY]),
    H("karlshamn", "Blekingesjukhuset Karlshamn", "Karlshamn", "blekinge", "56.17600", "14.85000", [S.ORTHOPAEDICS, S.UROLOGY]),
    H("vaxjo", "Växjö sjukhus", "Växjö", "kronoberg", "56.87900", "14.79000", [*_COUNTY, S.BREAST_SURGERY]),
    H("ljungby", "Ljungby sjukhus", "Ljungby", "kronoberg", "56.83300", "13.93300", _LOCAL),
    H("halmstad", "Hallands sjukhus Halmstad", "Halmstad", "halland", "56.67900", "12.84200", [*_COUNTY, S.BREAST_SURGERY]),
    H("varberg", "Hallands sjukhus Varberg", "Varberg", "halland", "57.10300", "12.26600", [*_LOCAL, S.UROLOGY, S.GYNAECOLOGY]),
    H("kungsbacka", "Hallands sjukhus Kungsbacka", "Kungsbacka", "halland", "57.49300", "12.07300", [S.ORTHOPAEDICS]),
    # Sydöstra sjukvårdsregionen
    H("linkoping", "Universitetssjukhuset i Linköping", "Linköping", "ostergotland", "58.40200", "15.55600", _UNIVERSITY),
    H("norrkoping", "Vrinnevisjukhuset Norrköping", "Norrköping", "ostergotland", "58.57100", "16.17000", [*_COUNTY, S.VASCULAR_SURGERY]),
    H("motala", "Lasarettet i Motala", "Motala", "ostergotland", "58.54100", "15.03300", [*_LOCAL, S.HAND_SURGERY]),
    H("ryhov", "Länssjukhuset Ryhov", "Jönköping", "jonkoping", "57.76900", "14.18800", _UNIVERSITY),
    H("eksjo", "Höglandssjukhuset Eksjö", "Eksjö", "jonkoping", "57.66200", "14.96800", [*_LOCAL, S.UROLOGY, S.GYNAECOLOGY]),
    H("varnamo", "Värnamo sjukhus", "Värnamo", "jonkoping", "57.18300", "14.04800", [*_LOCAL, S.GYNAECOLOGY]),
    H("kalmar", "Länssjukhuset i Kalmar", "Kalmar", "kalmar", "56.66800", "16.33500", [*_COUNTY, S.VASCULAR_SURGERY]),
    H("vastervik", "Västerviks sjukhus", "Västervik", "kalmar", "57.75000", "16.62000", [*_LOCAL, S.GYNAECOLOGY]),
    H("oskarshamn", "Oskarshamns sjukhus", "Oskarshamn", "kalmar", "57.26400", "16.44000", [S.ORTHOPAEDICS]),
    # Norra sjukvårdsregionen
    H("sunderby", "Sunderby sjukhus", "Luleå", "norrbotten", "65.66700", "21.94600", _COUNTY),
    H("pitea", "Piteå älvdals sjukhus", "Piteå", "norrbotten", "65.32500", "21.49000", _LOCAL),
    H("gallivare", "Gällivare sjukhus", "Gällivare", "norrbotten", "67.13600", "20.65500", _LOCAL),
    H("kalix", "Kalix sjukhus", "Kalix", "norrbotten", "65.85500", "23.14000", [S.GENERAL_SURGERY]),
    H("nus-umea", "Norrlands universitetssjukhus", "Umeå", "vasterbotten", "63.81700", "20.23900", _UNIVERSITY),
    H("skelleftea", "Skellefteå lasarett", "Skellefteå", "vasterbotten", "64.75100", "20.95600", [*_LOCAL, S.GYNAECOLOGY]),
    H("lycksele", "Lycksele lasarett", "Lycksele", "vasterbotten", "64.59600", "18.67000", [S.ORTHOPAEDICS]),
    H("sundsvall", "Sundsvalls sjukhus", "Sundsvall", "vasternorrland", "62.37700", "17.28300", [*_COUNTY, S.VASCULAR_SURGERY]),
    H("ornskoldsvik", "Örnsköldsviks sjukhus", "Örnsköldsvik", "vasternorrland", "63.29500", "18.72500", _LOCAL),
    H("solleftea", "Sollefteå sjukhus", "Sollefteå", "vasternorrland", "63.16800", "17.27500", [S.ORTHOPAEDICS]),
    H("ostersund", "Östersunds sjukhus", "Östersund", "jamtland-harjedalen", "63.16800", "14.65800", [*_COUNTY, S.BREAST_SURGERY]),
    # Uppsala–Örebro sjukvårdsregion
    H("akademiska", "Akademiska sjukhuset", "Uppsala", "uppsala", "59.84900", "17.64000", _UNIVERSITY),
    H("enkoping", "Lasarettet i Enköping", "Enköping", "uppsala", "59.63800", "17.08000", _LOCAL),
    H("eskilstuna", "Mälarsjukhuset", "Eskilstuna", "sormland", "59.37800", "16.51300", [*_COUNTY, S.BREAST_SURGERY]),
    H("nykoping", "Nyköpings lasarett", "Nyköping", "sormland", "58.75600", "17.00000", [*_LOCAL, S.GYNAECOLOGY]),
    H("katrineholm", "Kullbergska sjukhuset", "Katrineholm", "sormland", "58.99600", "16.21500", _LOCAL),
    H("karlstad", "Centralsjukhuset Karlstad", "Karlstad", "varmland", "59.39100", "13.48700", [*_FULL, S.BREAST_SURGERY]),
    H("arvika", "Arvika sjukhus", "Arvika", "varmland", "59.65300", "12.59500", [S.ORTHOPAEDICS]),
    H("torsby", "Torsby sjukhus", "Torsby", "varmland", "60.13700", "13.00000", [S.GENERAL_SURGERY]),
    H("uso", "Universitetssjukhuset Örebro", "Örebro", "orebro", "59.27600", "15.23000", _UNIVERSITY),
    H("lindesberg", "Lindesbergs lasarett", "Lindesberg", "orebro", "59.59300", "15.23700", _LOCAL),
    H("karlskoga", "Karlskoga lasarett", "Karlskoga", "orebro", "59.32600", "14.53000", [*_LOCAL, S.GYNAECOLOGY]),
    H("vasteras", "Västmanlands sjukhus Västerås", "Västerås", "vastmanland", "59.61700", "16.56200", [*_FULL, S.BREAST_SURGERY]),
    H("koping", "Västmanlands sjukhus Köping", "Köping", "vastmanland", "59.51400", "15.99300", [S.ORTHOPAEDICS]),
    H("falun", "Falu lasarett", "Falun", "dalarna", "60.61600", "15.65300", [*_COUNTY, S.VASCULAR_SURGERY]),
    H("mora", "Mora lasarett", "Mora", "dalarna", "61.00000", "14.55000", [*_LOCAL, S.GYNAECOLOGY]),
    H("avesta", "Avesta lasarett", "Avesta", "dalarna", "60.14500", "16.17000", [S.ORTHOPAEDICS]),
    H("gavle", "Gävle sjukhus", "Gävle", "gavleborg", "60.66800", "17.15000", [*_COUNTY, S.VASCULAR_SURGERY]),
    H("hudiksvall", "Hudiksvalls sjukhus", "Hudiksvall", "gavleborg", "61.73000", "17.11000", [*_LOCAL, S.GYNAECOLOGY]),
    H("bollnas", "Bollnäs sjukhus", "Bollnäs", "gavleborg", "61.34800", "16.39300", [S.ORTHOPAEDICS]),
    # Sjukvårdsregion Stockholm–Gotland
    H("karolinska-solna", "Karolinska universitetssjukhuset Solna", "Solna", "stockholm", "59.35000", "18.03200", _UNIVERSITY),
    H("karolinska-huddinge", "Karolinska universitetssjukhuset Huddinge", "Huddinge", "stockholm", "59.22000", "17.93800", _FULL),
    H("danderyd", "Danderyds sjukhus", "Danderyd", "stockholm", "59.39100", "18.04200", [*_COUNTY, S.HAND_SURGERY]),
    H("sodersjukhuset", "Södersjukhuset", "Stockholm", "stockholm", "59.31100", "18.05200", [*_COUNTY, S.BREAST_SURGERY]),
    H("st-goran", "S:t Görans sjukhus", "Stockholm", "stockholm", "59.33300", "18.02100", [*_LOCAL, S.UROLOGY, S.BREAST_SURGERY]),
    H("sodertalje", "Södertälje sjukhus", "Södertälje", "stockholm", "59.18700", "17.64200", [*_LOCAL, S.GYNAECOLOGY]),
    H("norrtalje", "Norrtälje sjukhus", "Norrtälje", "stockholm", "59.76000", "18.69000", _LOCAL),
    H("visby", "Visby lasarett", "Visby", "gotland", "57.63900", "18.30300", [*_LOCAL, S.GYNAECOLOGY]),
    # Västra sjukvårdsregionen
    H("sahlgrenska", "Sahlgrenska universitetssjukhuset, Sahlgrenska", "Göteborg", "vastra-gotaland", "57.68300", "11.96000", [S.GENERAL_SURGERY, S.UROLOGY, S.GYNAECOLOGY, S.ENT, S.VASCULAR_SURGERY, S.BREAST_SURGERY]),
    H("ostra", "Sahlgrenska universitetssjukhuset, Östra", "Göteborg", "vastra-gotaland", "57.72200", "12.05100", [S.GENERAL_SURGERY, S.GYNAECOLOGY, S.BREAST_SURGERY]),
    H("molndal", "Sahlgrenska universitetssjukhuset, Mölndal", "Mölndal", "vastra-gotaland", "57.65800", "12.01400", [S.ORTHOPAEDICS, S.HAND_SURGERY]),
    H("nal", "Norra Älvsborgs länssjukhus", "Trollhättan", "vastra-gotaland", "58.26400", "12.27500", [*_COUNTY, S.BREAST_SURGERY]),
    H("skovde", "Skaraborgs sjukhus Skövde", "Skövde", "vastra-gotaland", "58.39800", "13.85500", [*_COUNTY, S.VASCULAR_SURGERY]),
    H("lidkoping", "Skaraborgs sjukhus Lidköping", "Lidköping", "vastra-gotaland", "58.50400", "13.17000", _LOCAL),
    H("boras", "Södra Älvsborgs sjukhus", "Borås", "vastra-gotaland", "57.73200", "12.95300", [*_COUNTY, S.BREAST_SURGERY]),
    H("alingsas", "Alingsås lasarett", "Alingsås", "vastra-gotaland", "57.93600", "12.52500", _LOCAL),
    H("kungalv", "Kungälvs sjukhus", "Kungälv", "vastra-gotaland", "57.87100", "11.98100", _LOCAL),
    H("uddevalla", "Uddevalla sjukhus", "Uddevalla", "vastra-gotaland", "58.35600", "11.91200", [*_LOCAL, S.UROLOGY, S.GYNAECOLOGY]),
]
# fmt: on
