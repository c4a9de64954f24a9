"""Walking the hash chains again (`manage.py verify_audit_chain`): every row's hash recomputed from its
content and its predecessor's hash, every chain without gaps or doubles, every chain ending where its
head says. Problems name the chain, its key (a patient's or a request's id) and row ids, never data.

All of it is read in one snapshot (REPEATABLE READ on PostgreSQL), so rows written meanwhile by the
application, heads and all, are either wholly seen or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, transaction

from audit.chain import GENESIS, ChainedModel, digest, foreign_key

CHUNK = 5000


@dataclass(frozen=True)
class Problem:
    chain: str
    key: int
    message: str

    def __str__(self) -> str:
        return f"{self.chain} {self.key}: {self.message}"


@dataclass
class Walk:
    """What one chain's walk has seen so far."""

    key: int
    seq: int = 0
    last: str = GENESIS
    problems: list[str] = field(default_factory=list)

    def step(self, row: dict[str, Any], content: dict[str, Any]) -> None:
        expected = self.seq + 1
        if row["chain_seq"] > expected:
            places = f"{expected}" if row["chain_seq"] == expected + 1 else f"{expected}-{row['chain_seq'] - 1}"
            self.problems.append(f"row {row['id']} is at place {row['chain_seq']}: place {places} is missing")
        elif row["chain_seq"] < expected:
            self.problems.append(f"row {row['id']} is at place {row['chain_seq']}, which is taken already")
        elif digest(self.last, row["chain_seq"], content) != row["chain_hash"]:
            self.problems.append(f"row {row['id']} (place {row['chain_seq']}) does not match its hash")
        self.seq, self.last = max(self.seq, row["chain_seq"]), row["chain_hash"]


def chained_models() -> list[type[ChainedModel]]:
    return sorted(
        (m for m in apps.get_models() if issubclass(m, ChainedModel)),
        key=lambda m: m.CHAIN,
    )


def _rows(model: type[ChainedModel], key: str) -> Iterator[dict[str, Any]]:
    fields = ("id", key, "chain_seq", "chain_hash", *model.chain_field_names())
    return (
        model._default_manager.order_by(key, "chain_seq", "id")
        .values(*dict.fromkeys(fields))
        .iterator(chunk_size=CHUNK)
    )


def _ended(walk: Walk, head: tuple[int, str] | None) -> list[str]:
    if head is None:
        return [*walk.problems, f"{walk.seq} rows but no head: rows written past the application"]
    if head != (walk.seq, walk.last):
        return [*walk.problems, f"the head says {head[0]} rows, the chain ends at place {walk.seq}: rows removed"]
    return walk.problems


def _missing_chains(model: type[ChainedModel], heads: dict[int, tuple[int, str]]) -> list[Problem]:
    if not model.CHAIN_REQUIRED:
        return []
    owners = foreign_key(model, model.CHAIN_KEY).related_model._default_manager
    absent = owners.exclude(pk__in=list(heads)).values_list("pk", flat=True).order_by("pk")
    return [Problem(model.CHAIN, pk, "no chain at all: its rows and head removed") for pk in absent]


def verify_model(model: type[ChainedModel]) -> tuple[list[Problem], int, int]:
    """(problems, rows, chains) of one chained model."""
    from audit.models import ChainHead

    heads = {
        key: (length, last)
        for key, length, last in ChainHead.objects.filter(chain=model.CHAIN).values_list("key", "length", "last_hash")
    }
    key = foreign_key(model, model.CHAIN_KEY).attname
    problems: list[Problem] = _missing_chains(model, heads)
    walk: Walk | None = None
    rows = chains = 0
    for row in _rows(model, key):
        if walk is None or row[key] != walk.key:
            if walk is not None:
                problems += [Problem(model.CHAIN, walk.key, m) for m in _ended(walk, heads.pop(walk.key, None))]
            walk, chains = Walk(key=row[key]), chains + 1
        walk.step(row, model.chain_content_of(row))
        rows += 1
    if walk is not None:
        problems += [Problem(model.CHAIN, walk.key, m) for m in _ended(walk, heads.pop(walk.key, None))]
    for gone, (length, _last) in sorted(heads.items()):
        if length:
            problems.append(Problem(model.CHAIN, gone, f"the head says {length} rows, the chain has none: removed"))
    return problems, rows, chains


def verify_all() -> list[tuple[type[ChainedModel], list[Problem], int, int]]:
    """Every chained model's (model, problems, rows, chains), read in one snapshot."""
    outermost = not connection.in_atomic_block  # inside a transaction (tests) its snapshot rules apply
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return [(model, *verify_model(model)) for model in chained_models()]
