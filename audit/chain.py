"""Hash chains that make the access log and the request events tamper-evident.

Every row belongs to one chain (the access log: one per patient; request events: one per request), has
its place in it (`chain_seq`, 1, 2, …) and carries `chain_hash`, SHA-256 over the previous row's hash
and a canonical serialisation of the row's own content. `ChainHead` keeps each chain's length and last
hash, advanced in the same transaction as the insert, so a removed last row shows too.
`audit.verification` walks the chains again.

Rows are chained by their model on insert (`save` and the queryset's `bulk_create`), so no ORM path
writes an unchained row. Concurrency: the heads of the chains a statement touches are locked
FOR UPDATE, in key order, until the transaction ends; writers of one chain take turns, writers of
different chains never meet. On PostgreSQL the request rows the new rows point to are first locked
FOR KEY SHARE (the lock their deferred foreign-key check would take at commit anyway), so a writer never
holds a head while waiting for a request that `referral_change` holds FOR UPDATE and whose holder
waits for the head: referral locks come before head locks, always. On SQLite a transaction takes the
database's write lock when it begins (settings: IMMEDIATE), which serialises writers by itself.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from django.db import connection, models, transaction
from django.utils import timezone

GENESIS = "0" * 64  # the "previous hash" of a chain's first row
ACCESS_LOG = "access_log"
REFERRAL_EVENT = "referral_event"


def canonical(value: Any) -> Any:
    """A field's value as it is hashed: times in UTC with microseconds, everything else as JSON holds it."""
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def digest(previous: str, seq: int, content: dict[str, Any]) -> str:
    """The hash of one row: over the previous row's hash, its place in the chain and its content."""
    body = json.dumps(
        {name: canonical(value) for name, value in content.items()},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(f"{previous}|{seq}|{body}".encode()).hexdigest()


class ChainedModel(models.Model):
    """A model whose rows are chained: `CHAIN` names the chain, `CHAIN_KEY` the field that partitions it,
    `CHAIN_FIELDS` the content that is hashed (attribute names, so foreign keys by id), `CHAIN_LOCKS`
    the foreign keys to lock FOR KEY SHARE before the heads (see the module's docstring);
    `CHAIN_REQUIRED`: every row of the key's model has a chain (every request has its history)."""

    CHAIN: str
    CHAIN_KEY: str
    CHAIN_FIELDS: tuple[str, ...]
    CHAIN_LOCKS: tuple[str, ...] = ()
    CHAIN_REQUIRED: bool = False
    # Fields added after rows were chained: hashed only where set, so the rows chained before still verify.
    CHAIN_FIELDS_IF_SET: tuple[str, ...] = ()

    chain_seq = models.PositiveBigIntegerField(editable=False)
    chain_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        abstract = True

    def chain_content(self) -> dict[str, Any]:
        return self.chain_content_of({name: getattr(self, name) for name in self.chain_field_names()})

    @classmethod
    def chain_field_names(cls) -> tuple[str, ...]:
        return (*cls.CHAIN_FIELDS, *cls.CHAIN_FIELDS_IF_SET)

    @classmethod
    def chain_content_of(cls, values: dict[str, Any]) -> dict[str, Any]:
        content = {name: values[name] for name in cls.CHAIN_FIELDS}
        content.update({name: values[name] for name in cls.CHAIN_FIELDS_IF_SET if values[name]})
        return content


def foreign_key(model: type[models.Model], name: str) -> models.ForeignKey:
    return cast(models.ForeignKey, model._meta.get_field(name))


def _lock_referenced(model: type[ChainedModel], rows: Sequence[ChainedModel]) -> None:
    if connection.vendor != "postgresql":
        return
    for name in model.CHAIN_LOCKS:
        field = foreign_key(model, name)
        ids = sorted({getattr(row, field.attname) for row in rows} - {None})
        if ids:
            table = connection.ops.quote_name(field.related_model._meta.db_table)
            with connection.cursor() as cursor:  # the table is a model's, quoted; the ids are parameters
                cursor.execute(f"SELECT 1 FROM {table} WHERE id = ANY(%s) ORDER BY id FOR KEY SHARE", [ids])  # noqa: S608


def _locked_heads(chain: str, keys: list[int]) -> dict[int, _Head]:
    """The heads of `keys` (created where missing), locked in key order, in one statement.

    On PostgreSQL the heads are first locked FOR UPDATE, in key order, the keys one array parameter (see
    `_few_parameters`): a lock writes no new version of the row, and a chain's head is written once per
    statement that extends it. Only when a head is missing (a patient's or request's first entry, written
    with the request itself) does the upsert below run, which creates it; an upsert that changes nothing
    still locks the row it meets, as FOR UPDATE would, but writes a new version of every head it meets
    (on SQLite the only way: its transactions take the database's write lock and never meet)."""
    from audit.models import ChainHead

    table = connection.ops.quote_name(ChainHead._meta.db_table)
    if _few_parameters():
        rows_sql = "SELECT %s, k, 0, %s FROM unnest(%s::bigint[]) AS k ORDER BY k"
        params: list[Any] = [chain, GENESIS, keys]
    else:
        rows_sql = "VALUES " + ", ".join(["(%s, %s, 0, %s)"] * len(keys))
        params = [value for key in keys for value in (chain, key, GENESIS)]
    with connection.cursor() as cursor:  # the table is the model's, quoted; every value is a parameter
        if _few_parameters():
            cursor.execute(
                # The table is the model's, quoted; the chain and the keys are parameters.
                f'SELECT id, "key", length, last_hash FROM {table} WHERE chain = %s AND "key" = ANY(%s) '  # noqa: S608
                'ORDER BY "key" FOR UPDATE',
                [chain, keys],
            )
            found = cursor.fetchall()
            if len(found) == len(keys):
                return {key: _Head(id=pk, length=length, last_hash=last) for pk, key, length, last in found}
        cursor.execute(
            f'INSERT INTO {table} (chain, "key", length, last_hash) {rows_sql} '
            f'ON CONFLICT (chain, "key") DO UPDATE SET length = {table}.length '
            'RETURNING id, "key", length, last_hash',
            params,
        )
        rows = cursor.fetchall()
    return {key: _Head(id=pk, length=length, last_hash=last) for pk, key, length, last in rows}


@dataclass(slots=True)
class _Head:
    """A locked chain head as chain_insert advances it (a row of ChainHead without the model's instance)."""

    id: int
    length: int
    last_hash: str


def _few_parameters() -> bool:
    """Whether to pass a statement's rows as one array per column (PostgreSQL's unnest) rather than a
    parameter per value: psycopg converts a statement of more than 50 parameters anew on every call
    (its cache skips them), which was most of the access log's time on a list page."""
    return connection.vendor == "postgresql"


def _advance_heads(heads: Sequence[Any]) -> None:
    """Write the heads' new lengths and last hashes in one UPDATE joined to their new values (PostgreSQL
    and SQLite): the ORM's `bulk_update` compiles a CASE per head and field, most of a list page's time."""
    sql, params = _advance_sql(heads)
    with connection.cursor() as cursor:  # the table is the model's, quoted; every value is a parameter
        cursor.execute(sql, params)


def _advance_sql(heads: Sequence[Any]) -> tuple[str, list[Any]]:
    from audit.models import ChainHead

    table = connection.ops.quote_name(ChainHead._meta.db_table)
    if _few_parameters():
        new = "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::varchar(64)[])"
        params: list[Any] = [[h.id for h in heads], [h.length for h in heads], [h.last_hash for h in heads]]
    else:
        new = "VALUES " + ", ".join(["(CAST(%s AS bigint), CAST(%s AS bigint), CAST(%s AS varchar(64)))"] * len(heads))
        params = [value for head in heads for value in (head.id, head.length, head.last_hash)]
    sql = (
        f"WITH new (id, length, last_hash) AS ({new}) "  # noqa: S608  (the model's table, quoted; values are parameters)
        f"UPDATE {table} SET length = new.length, last_hash = new.last_hash FROM new WHERE {table}.id = new.id"
    )
    return sql, params


def chain_insert(model: type[ChainedModel], rows: Sequence[ChainedModel], insert: Any = None) -> Any:
    """Give `rows` their places and hashes, run `insert()` (which writes them) and advance the heads,
    in one transaction (a savepoint inside the caller's). Without `insert`, `insert_plain` writes the
    rows and advances the heads (on PostgreSQL in one statement) and the rows are returned."""
    key_attr = foreign_key(model, model.CHAIN_KEY).attname
    with transaction.atomic():
        _lock_referenced(model, rows)
        heads = _locked_heads(model.CHAIN, sorted({getattr(row, key_attr) for row in rows}))
        for row in rows:
            head = heads[getattr(row, key_attr)]
            head.length += 1
            row.chain_seq = head.length
            row.chain_hash = head.last_hash = digest(head.last_hash, head.length, row.chain_content())
        if insert is None:
            insert_plain(model, rows, advance=list(heads.values()))
            return rows
        result = insert()
        _advance_heads(list(heads.values()))
    return result


PLAIN_FIELDS = (models.CharField, models.IntegerField, models.DateTimeField, models.ForeignKey)


def insert_plain(model: type[models.Model], rows: Sequence[models.Model], *, advance: Sequence[_Head] = ()) -> None:
    """Write `rows` in one INSERT … RETURNING id, their values as the attributes hold them: for models
    whose fields need no conversion on the way to the database (text, integers, foreign keys, aware
    times), which the check below holds to. The ORM's bulk_create prepares every value of every row
    through its field; on PostgreSQL the rows go as one array per column (`_few_parameters`), and the
    chain heads to `advance` are written by the same statement (a data-modifying WITH)."""
    fields, head = _plain_insert(model, connection.vendor)
    if _few_parameters():
        rows_sql = ""  # the head ends in its unnest of one array per column
        params: list[Any] = [[getattr(row, f.attname) for row in rows] for f in fields]
    else:
        rows_sql = "VALUES " + ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(rows))
        params = [getattr(row, f.attname) for row in rows for f in fields]
    returning = connection.features.can_return_rows_from_bulk_insert
    insert = f"{head}{rows_sql}" + (" RETURNING id" if returning else "")
    with connection.cursor() as cursor:  # the table and columns are the model's, quoted; every value a parameter
        if advance and _few_parameters():
            update, update_params = _advance_sql(advance)
            cursor.execute(f"WITH advanced AS ({update}) {insert}", [*update_params, *params])
        else:
            cursor.execute(insert, params)
        ids = [pk for (pk,) in cursor.fetchall()] if returning else [None] * len(rows)
        if advance and not _few_parameters():
            _advance_heads(advance)
    for row, pk in zip(rows, ids, strict=True):
        row.pk = pk
        row._state.adding, row._state.db = False, connection.alias


@functools.cache
def _plain_insert(model: type[models.Model], vendor: str) -> tuple[list[models.Field], str]:
    """The fields `insert_plain` writes and its statement up to the rows (on PostgreSQL with the rows'
    arrays), worked out once per model: the same for every call."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if not all(isinstance(f, PLAIN_FIELDS) for f in fields):
        raise TypeError(f"{model.__name__} has fields that need converting; use bulk_create")
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    head = f"INSERT INTO {table} ({columns}) "
    if vendor == "postgresql":
        arrays = ", ".join(
            f"%s::{f.rel_db_type(connection) if f.is_relation else f.db_type(connection)}[]" for f in fields
        )
        head += f"SELECT * FROM unnest({arrays})"  # noqa: S608  (the fields' own types)
    return fields, head


class ChainedQuerySet(models.QuerySet):
    """`bulk_create` chains the rows it writes."""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        rows = list(objs)
        if not rows:
            return rows
        return chain_insert(
            cast(type[ChainedModel], self.model),
            rows,
            lambda: super(ChainedQuerySet, self).bulk_create(rows, *args, **kwargs),
        )
