"""Data tables for the demo request history: codes, names, obstacles and how the requests end up."""

from __future__ import annotations

from accounts.models import Role
from catalog.models import AsaClass
from demo.accounts import DEMO_ACCOUNTS

# Demo history predates the demo capacity, so proposals carry the reason a coordinator would write.
DEMO_PROPOSAL_REASON = "Ledig plats bekräftad per telefon."


# Codes the demo files requests with, per diagnosis group (`DIAGNOSIS_GROUPS` in the reference data).
ICD10_EXAMPLES = {
    "artros-hoft-kna": ["M16.1", "M16.9", "M17.0", "M17.1"],
    "ortopedi-ovrigt": ["M19.0", "M20.1", "M23.2", "M48.0", "M51.1", "M75.1"],
    "brack": ["K40.9", "K42.9", "K43.9"],
    "galla": ["K80.2", "K80.5", "K81.1"],
    "kolorektal-cancer": ["C18.7", "C19.9", "C20.9"],
    "brostcancer": ["C50.4", "C50.9", "D05.1"],
    "prostata": ["N40.9", "N41.1"],
    "urologisk-cancer": ["C61.9", "C64.9", "C67.9"],
    "urinvagssten": ["N20.0", "N20.1"],
    "gyn-benign": ["D25.9", "N81.2", "N83.2"],
    "gyn-cancer": ["C53.9", "C54.1", "C56.9"],
    "onh": ["J34.2", "J35.0", "J32.9", "H71.9"],
    "hand": ["G56.0", "M18.1", "M72.0"],
    "karl": ["I70.2", "I71.4", "I83.9"],
}

FIRST_NAMES = [
    "Anders",
    "Birgitta",
    "Carl",
    "Dagmar",
    "Elsa",
    "Folke",
    "Gunilla",
    "Hans",
    "Ingrid",
    "Jan",
    "Kerstin",
    "Lennart",
    "Margareta",
    "Nils",
    "Olof",
    "Per",
    "Ragnhild",
    "Sven",
    "Tora",
    "Ulla",
    "Vera",
    "Åke",
    "Ebba",
    "Bo",
]
LAST_NAMES = [
    "Andersson",
    "Bengtsson",
    "Carlsson",
    "Dahl",
    "Eriksson",
    "Fransson",
    "Gustafsson",
    "Holmberg",
    "Isaksson",
    "Jönsson",
    "Karlsson",
    "Larsson",
    "Magnusson",
    "Nilsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Törnqvist",
    "Wikström",
    "Öberg",
]
COMPLICATING = [
    "Hjärtsvikt NYHA III, förmaksflimmer med antikoagulantia.",
    "KOL med hemsyrgas.",
    "Diabetes typ 2 med njursvikt (eGFR 28).",
    "Genomgången hjärtinfarkt, nedsatt EF 35 %.",
    "Sjuklig fetma, BMI 43, sömnapné med CPAP.",
    "Pulmonell hypertension.",
    "Aortastenos, måttlig–svår.",
    "Levercirros Child-Pugh B.",
]

# Obstacles to cooperation as the seeds describe them; no personal data.
OBSTACLES = [
    ("legal", "Journaluppgifter kan inte lämnas ut elektroniskt mellan regionerna utan nytt samtycke."),
    ("it", "Remissen kunde inte skickas mellan journalsystemen; pappersremiss krävdes."),
    ("economic", "Oklart vilken självkostnadsersättning som gäller för vårdtjänsten."),
    ("capacity", "Narkos- och IVA-kapacitet saknas för ASA IV-patienter under perioden."),
    ("transport", "Liggande transport mellan sjukhusen kunde inte ordnas i tid."),
    ("patient_declined", "Patienten ville inte resa till annan region."),
]

# Share of each medical priority (by code) and ASA class among the demo requests.
PRIORITY_WEIGHTS = [("hog", 35), ("medelhog", 40), ("medel", 15), ("lag", 10)]
ASA_WEIGHTS = [(AsaClass.II, 15), (AsaClass.III, 60), (AsaClass.IV, 25)]

# Target share of each final state; recent requests cannot have come far.
FINAL_STATES = [
    ("draft", 5), ("submitted", 10), ("in_review", 12), ("proposed", 10), ("accepted", 20),
    ("completed", 23), ("withdrawn", 8), ("closed", 12),
]  # fmt: skip
OLD_FINAL_STATES = [
    ("in_review", 3), ("accepted", 4), ("completed", 63), ("withdrawn", 12), ("closed", 18),
]  # fmt: skip
# Requests older than this many days use OLD_FINAL_STATES: most have been dealt with, a few still wait.
OLD_AFTER_DAYS = 60
STEPS = ["draft", "submitted", "in_review", "proposed", "accepted", "completed"]
# Final states that leave the main line of STEPS, so that a young request can still reach them.
SIDE_EXITS = ("withdrawn", "closed")

FEATURED_SENDING_UNITS = {a.scope for a in DEMO_ACCOUNTS if a.role == Role.UNIT_STAFF}
FEATURED_RECEIVING_UNITS = {a.scope for a in DEMO_ACCOUNTS if a.role == Role.RECEIVING_STAFF}
