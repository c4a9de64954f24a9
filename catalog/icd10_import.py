"""Import Socialstyrelsen's ICD-10-SE code-text file into the table of Swedish ICD-10 titles.

Socialstyrelsen publishes ICD-10-SE as a text file with one code and its Swedish title per line,
separated by a tab (codes written with or without the point: "M17.1" or "M171"; dagger and asterisk
marks such as "A17.0†" are dropped). Semicolon-separated lines are read too, so a file saved from
Excel works. Lines that are not a code and a title (a heading, a chapter line, a blank line) are
skipped and counted. Titles an administrator has edited are never overwritten.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from django.db import transaction

from catalog.models import Icd10Title, Icd10TitleSource

CREATED, UPDATED, UNCHANGED, KEPT, SKIPPED = "created", "updated", "unchanged", "kept (edited by an admin)", "skipped"

_LINE = re.compile(
    r"^(?P<category>[A-Z][0-9]{2})\.?(?P<detail>[0-9A-Z]{0,2})[†*+]?[ ]*[\t;][\s;]*(?P<title>.*\S)\s*$", re.IGNORECASE
)


def read_icd10_se(path: Path) -> tuple[dict[str, str], int]:
    """(code → Swedish title, lines skipped) from the file; UTF-8, else Windows-1252 (older files)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    titles: dict[str, str] = {}
    skipped = 0
    for line in text.splitlines():
        match = _LINE.match(line.strip())
        if not match:
            skipped += 1
            continue
        category, detail = match.group("category").upper(), match.group("detail").upper()
        title = match.group("title").strip().strip('"').strip()
        if not title:
            skipped += 1
            continue
        titles[f"{category}.{detail}" if detail else category] = title[:255]
    return titles, skipped


def import_icd10_se(path: Path, *, dry_run: bool = False) -> Counter[str]:
    """Create or update a title per code of the file, except those an administrator wrote; what happened."""
    titles, skipped = read_icd10_se(path)
    counts: Counter[str] = Counter({SKIPPED: skipped})
    with transaction.atomic():
        existing = {row.code: row for row in Icd10Title.objects.select_for_update().filter(code__in=titles)}
        new = []
        for code, title in titles.items():
            row = existing.get(code)
            if row is None:
                new.append(Icd10Title(code=code, title_sv=title, source=Icd10TitleSource.ICD10_SE))
                counts[CREATED] += 1
            elif row.source == Icd10TitleSource.ADMIN:
                counts[KEPT] += 1
            elif row.title_sv == title and row.source == Icd10TitleSource.ICD10_SE:
                counts[UNCHANGED] += 1
            else:
                row.title_sv, row.source = title, Icd10TitleSource.ICD10_SE
                if not dry_run:
                    row.save(update_fields=["title_sv", "source", "updated_at"])
                counts[UPDATED] += 1
        if not dry_run:
            Icd10Title.objects.bulk_create(new, batch_size=1000)
    return counts
