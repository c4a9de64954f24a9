"""Default medical priorities and diagnosis groups (both editable in the admin afterwards)."""

from __future__ import annotations

from organisations.models import Specialty as S

# (code, name, maximum wait in days, sort order, SOT main focus)
PRIORITIES = [
    ("hog", "Hög", 14, 1, True),
    ("medelhog", "Medelhög", 30, 2, True),
    ("medel", "Medel", 90, 3, False),
    ("lag", "Låg", 180, 4, False),
]

# (code, name, specialty, [(first, last) ICD-10 categories], example codes for the demo)
DIAGNOSIS_GROUPS = [
    (
        "artros-hoft-kna",
        "Höft- och knäledsartros",
        S.ORTHOPAEDICS,
        [("M16", "M17")],
        ["M16.1", "M16.9", "M17.0", "M17.1"],
    ),
    (
        "ortopedi-ovrigt",
        "Övrig ortopedi (axel, fot, rygg)",
        S.ORTHOPAEDICS,
        [("M19", "M25"), ("M43", "M54"), ("M75", "M77")],
        ["M19.0", "M20.1", "M23.2", "M48.0", "M51.1", "M75.1"],
    ),
    ("brack", "Bråck", S.GENERAL_SURGERY, [("K40", "K46")], ["K40.9", "K42.9", "K43.9"]),
    ("galla", "Gallsten och gallvägssjukdom", S.GENERAL_SURGERY, [("K80", "K83")], ["K80.2", "K80.5", "K81.1"]),
    (
        "kolorektal-cancer",
        "Tjock- och ändtarmscancer",
        S.GENERAL_SURGERY,
        [("C18", "C20")],
        ["C18.7", "C19.9", "C20.9"],
    ),
    ("brostcancer", "Bröstcancer", S.BREAST_SURGERY, [("C50", "C50"), ("D05", "D05")], ["C50.4", "C50.9", "D05.1"]),
    ("prostata", "Prostatasjukdom, godartad", S.UROLOGY, [("N40", "N42")], ["N40.9", "N41.1"]),
    ("urologisk-cancer", "Urologisk cancer", S.UROLOGY, [("C61", "C68")], ["C61.9", "C64.9", "C67.9"]),
    ("urinvagssten", "Urinvägssten", S.UROLOGY, [("N20", "N23")], ["N20.0", "N20.1"]),
    (
        "gyn-benign",
        "Godartad gynekologisk sjukdom",
        S.GYNAECOLOGY,
        [("D25", "D28"), ("N80", "N83")],
        ["D25.9", "N81.2", "N83.2"],
    ),
    ("gyn-cancer", "Gynekologisk cancer", S.GYNAECOLOGY, [("C53", "C56")], ["C53.9", "C54.1", "C56.9"]),
    (
        "onh",
        "Öron-, näs- och halssjukdom",
        S.ENT,
        [("J32", "J35"), ("H65", "H74")],
        ["J34.2", "J35.0", "J32.9", "H71.9"],
    ),
    (
        "hand",
        "Handkirurgi",
        S.HAND_SURGERY,
        [("G56", "G56"), ("M18", "M18"), ("M72", "M72")],
        ["G56.0", "M18.1", "M72.0"],
    ),
    ("karl", "Kärlsjukdom", S.VASCULAR_SURGERY, [("I70", "I74"), ("I83", "I83")], ["I70.2", "I71.4", "I83.9"]),
]
