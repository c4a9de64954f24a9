"""Chaining rows that were written before the chains existed: used by the migrations that add them.

The migrations run as the database owner. The append-only trigger refuses the UPDATE that writes each
old row's place and hash, so it is switched off for this one table inside the migration's transaction:
on PostgreSQL `ALTER TABLE … DISABLE TRIGGER` takes an ACCESS EXCLUSIVE lock that nobody else gets past
until the transaction commits with the trigger enabled again, so no other session ever sees the table
unguarded; on SQLite the trigger is dropped and created again (the database is locked for writing by the
migration throughout). Rows are chained in the order they were written (by id) within each chain.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from audit.chain import GENESIS, digest

KEYS_PER_BATCH = 500
ROWS_PER_UPDATE = 1000


def _has_trigger(connection: Any, table: str, trigger: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgname = %s", [table, trigger])
        return cursor.fetchone() is not None


@contextmanager
def guard_lifted(schema_editor: Any, *, table: str, trigger: str, sqlite_create: str) -> Iterator[None]:
    """The append-only trigger of `table` off for the duration, on again (or re-created) after. A trigger
    not yet installed (a new database: post_migrate installs it after the migrations) is left alone."""
    connection = schema_editor.connection
    quoted = connection.ops.quote_name(table)
    postgresql = connection.vendor == "postgresql" and _has_trigger(connection, table, trigger)
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {quoted} DISABLE TRIGGER {trigger}")
        elif connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    yield
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute(f"ALTER TABLE {quoted} ENABLE TRIGGER {trigger}")
        elif connection.vendor == "sqlite":
            cursor.execute(sqlite_create)


def _chain_of(rows: Sequence[dict[str, Any]], fields: Sequence[str]) -> tuple[list[tuple[int, int, str]], str]:
    """(id, place, hash) of each row of one chain in order, and the chain's last hash."""
    last, placed = GENESIS, []
    for seq, row in enumerate(rows, start=1):
        last = digest(last, seq, {name: row[name] for name in fields})
        placed.append((row["id"], seq, last))
    return placed, last


def backfill(model: Any, head_model: Any, *, chain: str, key: str, fields: Sequence[str]) -> int:
    """Chain every row of `model` (a historical model) by `key` (an attribute name); create the heads.
    Returns the number of rows chained."""
    keys = sorted(set(model.objects.values_list(key, flat=True)))
    total = 0
    for start in range(0, len(keys), KEYS_PER_BATCH):
        batch = keys[start : start + KEYS_PER_BATCH]
        by_key: dict[int, list[dict[str, Any]]] = {k: [] for k in batch}
        for row in model.objects.filter(**{f"{key}__in": batch}).order_by(key, "id").values("id", key, *fields):
            by_key[row[key]].append(row)
        updates, heads = [], []
        for chain_key, rows in by_key.items():
            placed, last = _chain_of(rows, fields)
            updates += [model(id=row_id, chain_seq=seq, chain_hash=value) for row_id, seq, value in placed]
            heads.append(head_model(chain=chain, key=chain_key, length=len(placed), last_hash=last))
        model.objects.bulk_update(updates, ["chain_seq", "chain_hash"], batch_size=ROWS_PER_UPDATE)
        head_model.objects.bulk_create(heads)
        total += len(updates)
    return total
