"""The access log (one chain per patient) and the request events (one chain per request) are hash chains
(audit/chain.py), and `manage.py verify_audit_chain` finds any row changed, removed or inserted past the
application by someone with the owner's rights (audit/verification.py). On PostgreSQL and SQLite."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from audit.chain import ACCESS_LOG, GENESIS, REFERRAL_EVENT, digest
from audit.chain_backfill import _chain_of
from audit.db_guards import ensure_access_log_trigger
from audit.models import AccessLogEntry, ChainHead
from audit.services import access_record, access_record_many
from referrals import services
from referrals.db_guards import ensure_append_only_triggers
from referrals.models import Referral, ReferralEvent, ReferralStatus
from tests.conftest import World
from tests.factories import PatientFactory, ReferralFactory

pytestmark = pytest.mark.django_db

LOG, EVENTS = AccessLogEntry._meta.db_table, ReferralEvent._meta.db_table
TRIGGERS = {LOG: "access_log_append_only", EVENTS: "referral_event_append_only"}


def _verify() -> tuple[bool, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_audit_chain", stdout=out)
    except CommandError as error:
        return False, f"{out.getvalue()} {error}"
    return True, out.getvalue()


@contextmanager
def _as_owner_past_the_guard(table: str) -> Iterator[None]:
    """What someone with the owner's rights can do: switch the append-only trigger off for a statement."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        else:
            cursor.execute(f"DROP TRIGGER {TRIGGERS[table]}")
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
    else:
        (ensure_access_log_trigger if table == LOG else ensure_append_only_triggers)()


def _sql(table: str, sql: str, params: list[int]) -> None:
    with _as_owner_past_the_guard(table), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _history(world: World, reads: int = 4) -> Referral:
    """A request filed and submitted through the services, and read a few times: events and log entries."""
    patient = PatientFactory()
    referral = ReferralFactory(status=ReferralStatus.DRAFT, sending_unit=world.home_unit, patient=patient)
    services.referral_submit(referral=referral, by=world.unit_staff)
    for _ in range(reads):
        access_record(user=world.sot, referral=referral, what="referrals:detail")
    return referral


def test_each_patients_entries_form_a_chain_with_its_head(world):
    first = ReferralFactory(sending_unit=world.home_unit)
    second = ReferralFactory(sending_unit=world.home_unit, patient=first.patient)
    other = ReferralFactory(sending_unit=world.home_unit)
    access_record(user=world.unit_staff, referral=first)
    access_record_many(user=world.sot, referrals=[second, other, first], what="referrals:list")
    entries = list(AccessLogEntry.objects.filter(patient=first.patient).order_by("chain_seq"))
    assert [e.chain_seq for e in entries] == [1, 2, 3]
    last = GENESIS
    for entry in entries:
        content = {name: getattr(entry, name) for name in AccessLogEntry.CHAIN_FIELDS}
        assert entry.chain_hash == digest(last, entry.chain_seq, content)
        last = entry.chain_hash
    head = ChainHead.objects.get(chain=ACCESS_LOG, key=first.patient_id)
    assert (head.length, head.last_hash) == (3, last)
    assert AccessLogEntry.objects.get(patient=other.patient).chain_seq == 1


def test_each_requests_events_form_a_chain(world):
    referral = _history(world)
    services.referral_withdraw(referral=referral, by=world.unit_staff, reason="other", note="")
    events = list(ReferralEvent.objects.filter(referral=referral).order_by("chain_seq"))
    assert [e.chain_seq for e in events] == list(range(1, len(events) + 1)) and len(events) >= 2
    head = ChainHead.objects.get(chain=REFERRAL_EVENT, key=referral.pk)
    assert (head.length, head.last_hash) == (len(events), events[-1].chain_hash)


def test_the_hash_is_fixed_by_its_canonical_form():
    """Changing the serialisation would break every stored chain: it needs a new version, not an edit."""
    from datetime import UTC, datetime

    content = {"at": datetime(2026, 11, 22, 8, 38, 1, 5, tzinfo=UTC), "user_id": 7, "what": "å", "referral_id": None}
    assert digest(GENESIS, 1, content) == "9fdc2a92c40ee5e49076ec41a17430454384430faa42913ef2c23c1e25037685"


def test_the_migrations_backfill_chains_rows_as_the_application_does(world):
    referral = _history(world)
    rows = list(
        AccessLogEntry.objects.filter(patient=referral.patient)
        .order_by("id")
        .values("id", *AccessLogEntry.CHAIN_FIELDS)
    )
    placed, last = _chain_of(rows, AccessLogEntry.CHAIN_FIELDS)
    stored = list(AccessLogEntry.objects.filter(patient=referral.patient).order_by("id"))
    assert placed == [(e.pk, e.chain_seq, e.chain_hash) for e in stored]
    assert last == ChainHead.objects.get(chain=ACCESS_LOG, key=referral.patient_id).last_hash


def test_verify_passes_intact_chains_with_a_one_line_summary(world):
    _history(world)
    _history(world)
    intact, out = _verify()
    assert intact, out
    assert out.strip().count("\n") == 0 and out.startswith("Audit chains intact: access_log: ")


def test_verify_finds_an_entry_changed(world):
    referral, other = _history(world), _history(world)
    entry = AccessLogEntry.objects.filter(patient=referral.patient).order_by("chain_seq")[2]
    _sql(LOG, "UPDATE audit_accesslogentry SET patient_id = %s WHERE id = %s", [other.patient_id, entry.pk])
    intact, out = _verify()
    assert not intact and f"row {entry.pk}" in out, out


def test_verify_finds_an_event_changed_and_names_ids_only(world):
    referral = _history(world)
    event = ReferralEvent.objects.filter(referral=referral).order_by("chain_seq")[0]
    _sql(EVENTS, "UPDATE referrals_referralevent SET actor_id = %s WHERE id = %s", [world.sot.pk, event.pk])
    intact, out = _verify()
    assert not intact and f"referral_event {referral.pk}: row {event.pk} (place 1) does not match" in out, out
    assert referral.patient.personal_number not in out and referral.patient_name not in out


@pytest.mark.parametrize("place", [2, 5], ids=["in the middle", "the last"])
def test_verify_finds_an_entry_removed(world, place):
    referral = _history(world)  # five entries: the creation's and four reads
    entry = AccessLogEntry.objects.get(patient=referral.patient, chain_seq=place)
    _sql(LOG, "DELETE FROM audit_accesslogentry WHERE id = %s", [entry.pk])
    intact, out = _verify()
    assert not intact, out
    assert ("place 2 is missing" if place == 2 else "the head says 5 rows, the chain ends at place 4") in out


def test_verify_finds_a_whole_history_removed(world):
    referral = _history(world)
    _sql(EVENTS, "DELETE FROM referrals_referralevent WHERE referral_id = %s", [referral.pk])
    ChainHead.objects.filter(chain=REFERRAL_EVENT, key=referral.pk).delete()
    intact, out = _verify()
    assert not intact and f"referral_event {referral.pk}: no chain at all" in out, out


@pytest.mark.parametrize("shift", [0, 100], ids=["at the same place", "past the end"])
def test_verify_finds_a_copied_entry(world, shift):
    referral = _history(world)
    entry = AccessLogEntry.objects.filter(patient=referral.patient).order_by("chain_seq")[1]
    columns = [f.column for f in AccessLogEntry._meta.concrete_fields if f.column != "id"]
    names = ", ".join(f'"{c}"' for c in columns)
    copied = ", ".join(f'"chain_seq" + {shift}' if c == "chain_seq" else f'"{c}"' for c in columns)
    _sql(LOG, f'INSERT INTO "{LOG}" ({names}) SELECT {copied} FROM "{LOG}" WHERE id = %s', [entry.pk])  # noqa: S608
    intact, out = _verify()
    assert not intact, out
    assert ("place 2, which is taken already" if not shift else "place 102: place 6-101 is missing") in out, out


def test_a_head_removed_is_found(world):
    referral = _history(world)
    ChainHead.objects.filter(chain=ACCESS_LOG, key=referral.patient_id).delete()
    intact, out = _verify()
    assert not intact and f"access_log {referral.patient_id}: 5 rows but no head" in out, out


WRITERS = 8
ROUNDS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_one_patient_keep_the_chain_whole(world):
    """List reads (many entries in one INSERT) and changes (the request locked FOR UPDATE, then its event and
    entry) from separate connections, all for one patient: no deadlock, no place taken twice, chains intact."""
    first = ReferralFactory(status=ReferralStatus.SUBMITTED, sending_unit=world.home_unit)
    second = ReferralFactory(status=ReferralStatus.SUBMITTED, sending_unit=world.home_unit, patient=first.patient)
    barrier, failures = threading.Barrier(WRITERS), []

    def work(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            for round_ in range(ROUNDS):
                if n % 2:
                    access_record_many(user=world.sot, referrals=[second, first], what="work:queue")
                else:
                    services.referral_change_patient_details(
                        referral=first if round_ % 2 else second,
                        by=world.unit_staff,
                        patient_name=f"Namn {n} {round_}",
                        patient_phone="070-000 00 00",
                        patient_home_region=world.home_region,
                    )
        except Exception as exc:  # reported below
            failures.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    readers = changers = WRITERS // 2  # a reader's round writes two entries, a changer's one
    assert AccessLogEntry.objects.filter(patient=first.patient).count() == (readers * 2 + changers) * ROUNDS
    intact, out = _verify()
    assert intact, out


def _head_versions_written() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd + n_tup_ins FROM pg_stat_xact_user_tables WHERE relname = %s", ["audit_chainhead"]
        )
        row = cursor.fetchone()
    return row[0] if row else 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's row versions; SQLite writes no versions")
def test_a_list_read_writes_each_patients_head_once(world):
    """A page of 5 requests whose patients' chains exist locks their heads without writing them (FOR UPDATE)
    and writes each once, advanced: a head written twice per page view was half the dead rows PostgreSQL
    had to clean after a busy queue."""
    referrals = [ReferralFactory(status=ReferralStatus.SUBMITTED, sending_unit=world.home_unit) for _ in range(5)]
    access_record_many(user=world.sot, referrals=referrals, what="work:queue")  # every head exists now
    before = _head_versions_written()
    access_record_many(user=world.sot, referrals=referrals, what="work:queue")
    assert _head_versions_written() - before == 5
    entries = AccessLogEntry.objects.filter(patient_id__in=[r.patient_id for r in referrals])
    assert sorted(entries.values_list("chain_seq", flat=True)) == [1, 1, 1, 1, 1, 2, 2, 2, 2, 2]
