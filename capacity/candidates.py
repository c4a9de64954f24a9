"""The one query of matching: every unit that offers the request's diagnosis group, sorted into the hard rule
that leaves it out or into the ranking, ranked in the database and cut to the top of the ranking.

The database aggregates the group's offers per unit (an index-only scan of `offer_match`), computes the
distance, applies the hard rules, computes the sort key once per unit, takes the best `limit` ranked units
by it (a bounded sort) and counts the units of each rule (one GROUP BY); only those ranked units, the units
asked for by id (those that declined the request, the one a representative chose) and one row per rule
come back, however many units can take the patient. What still grows with the country is the scan and
the aggregate of the group's offers (see README "Benchmark").

The hard rules are `CATEGORIES`, in order, the first that holds wins: a rule added there (a condition on
the unit, its hospital, its region or its offers) leaves its units out of the ranking and is counted, in
this one place; `capacity.matching` words the count (`capacity.exclusions`).

Portable SQL: PostgreSQL and SQLite (Django registers SIN, COS, ASIN, SQRT, POWER and RADIANS on SQLite).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from capacity.exclusions import ExclusionKind
from capacity.models import DEFAULT_CONFIRMATION_DAYS, CapacityOffer, ConfirmationLimit
from organisations.models import Hospital, Region, Unit

RANKED = "ranked"  # the category of the units that can take the patient

# (category, condition): the first that holds is the unit's. A condition reads the unit's aggregated offers
# `f`, its unit `u`, hospital `h` and region `r`, and `{distance}` (km from the sending hospital); `%(…)s` are
# the query's parameters (see `fetch`).
CATEGORIES: list[tuple[str, str]] = [
    (ExclusionKind.OWN_REGION.value, "h.region_id = %(sending_region)s"),
    # organisations.models.taking_part_q: the region takes part from the day it joined.
    (ExclusionKind.NOT_TAKING_PART.value, "(NOT r.takes_part OR r.joined_on IS NULL OR r.joined_on > %(today)s)"),
    (ExclusionKind.TOO_FAR.value, "{distance} > %(max_travel_km)s"),
    (RANKED, "f.free_weeks > 0"),
    (ExclusionKind.ASA.value, "f.highest_asa < %(asa)s"),
    (ExclusionKind.FULL.value, "1 = 1"),
]

# No travel limit: farther than any two places on Earth.
NO_TRAVEL_LIMIT_KM = 1_000_000.0
# No medical target date: no week is on time for it; no deadline: every week is by it.
NO_TARGET, NO_DEADLINE = date(1, 1, 1), date(9999, 12, 31)

_FITS = "o.max_asa >= %(asa)s AND o.reserved_slots < o.slots"

# The distance of `organisations.models.great_circle_km`, the same operations in the same order, from the
# sending hospital (the parameters) to the candidate's hospital `h`.
_DISTANCE = """
    2 * 6371.0 * ASIN(SQRT(
        POWER(SIN((RADIANS(CAST(h.latitude AS DOUBLE PRECISION)) - RADIANS(%(lat)s)) / 2), 2)
        + COS(RADIANS(%(lat)s)) * COS(RADIANS(CAST(h.latitude AS DOUBLE PRECISION)))
        * POWER(SIN(RADIANS(CAST(h.longitude AS DOUBLE PRECISION) - %(lon)s) / 2), 2)
    ))"""

# Days from a date to `today` (PostgreSQL subtracts dates to days, SQLite has julianday).
_DAYS_SINCE = {
    "postgresql": "(%(today)s - {day})",
    "sqlite": "(julianday(%(today)s) - julianday({day}))",
}

_QUERY = """
WITH offered AS (
    SELECT o.unit_id,
           MIN(o.week_start) FILTER (WHERE {fits}) AS first_free_week,
           SUM(o.slots - o.reserved_slots) FILTER (WHERE {fits}) AS free_slots,
           COUNT(*) FILTER (WHERE {fits}) AS free_weeks,
           MAX(o.max_asa) AS highest_asa,
           MAX(o.week_start) AS last_week,
           MIN(o.confirmed_at) FILTER (WHERE {fits}) AS oldest_confirmation
    FROM {offer} o
    WHERE o.diagnosis_group_id = %(group)s AND o.week_start >= %(this_week)s AND o.withdrawn_at IS NULL
    GROUP BY o.unit_id
), candidate AS (
    SELECT f.*, u.name AS unit_name, h.name AS hospital_name, h.latitude, h.longitude, h.region_id,
           r.name AS region_name, r.healthcare_region_id, {distance} AS distance_km,
           CASE {categories} END AS category
    FROM offered f
    JOIN {unit} u ON u.id = f.unit_id
    JOIN {hospital} h ON h.id = u.hospital_id
    JOIN {region} r ON r.id = h.region_id
), keyed AS (
    SELECT c.unit_id, c.unit_name, c.hospital_name, c.region_name, c.healthcare_region_id, c.latitude,
           c.longitude, c.first_free_week, c.free_slots, c.free_weeks, c.oldest_confirmation, c.highest_asa,
           c.last_week, c.category,
           CASE WHEN c.category = '{ranked}' AND {declined} THEN 1 ELSE 0 END AS declined,
           {confirmation_days} AS confirmation_days,
           {sort_columns}
    FROM candidate c
), counted AS (
    SELECT category, COUNT(*) AS category_units, SUM(1 - declined) AS ranked_units,
           MAX(highest_asa) AS category_highest_asa, MAX(last_week) AS category_last_week, MIN(unit_id) AS first
    FROM keyed
    GROUP BY category
), chosen AS (
    SELECT 0 AS part, unit_id FROM (
        SELECT k.unit_id FROM keyed k
        WHERE k.category = '{ranked}' AND k.declined = 0
        ORDER BY {sort_key}
        LIMIT %(limit)s
    ) top
    UNION ALL
    SELECT 1, k.unit_id FROM keyed k WHERE k.category = '{ranked}' AND {wanted}
    UNION ALL
    SELECT 2, n.first FROM counted n WHERE n.category <> '{ranked}'
)
SELECT k.unit_id, k.unit_name, k.hospital_name, k.region_name, k.healthcare_region_id, k.latitude, k.longitude,
       k.first_free_week, k.free_slots, k.free_weeks, k.oldest_confirmation, k.confirmation_days,
       k.category, k.declined, n.category_units, n.ranked_units, n.category_highest_asa, n.category_last_week
FROM chosen ch
JOIN keyed k ON k.unit_id = ch.unit_id
JOIN counted n ON n.category = k.category
ORDER BY ch.part, {sort_key}
"""

# The administrator's limit (`capacity.models.ConfirmationLimit`, its default without the row), read by the same
# query, so that reading it costs no query of its own.
_CONFIRMATION_DAYS = "COALESCE((SELECT days FROM {table} WHERE id = 1), {default})"

# The ranking's sort key (`capacity.matching.Proposal.sort_key`), in SQL: its columns, computed once per unit.
_SORT_COLUMNS = """
    CASE WHEN c.first_free_week <= %(target)s THEN 0 WHEN c.first_free_week <= %(deadline)s THEN 1 ELSE 2 END
        AS timeliness,
    CASE WHEN {days_since_confirmation} > {confirmation_days} THEN 1 ELSE 0 END AS unconfirmed,
    CASE WHEN c.healthcare_region_id = %(healthcare_region)s THEN 0 ELSE 1 END AS other_healthcare_region,
    ROUND(CAST(c.distance_km AS NUMERIC), 1) AS distance_rounded"""
_SORT_KEY = (
    "k.timeliness, k.unconfirmed, k.other_healthcare_region, k.first_free_week, k.distance_rounded, "
    "k.free_slots DESC, k.unit_id"
)


@dataclass(frozen=True)
class Candidate:
    """One row of the query: a ranked unit (`category` RANKED) or one unit of a rule's category; each carries
    its category's counts."""

    unit_id: int
    unit_name: str
    hospital_name: str
    region_name: str
    healthcare_region_id: int
    latitude: float
    longitude: float
    first_free_week: date | None
    free_slots: int | None
    free_weeks: int
    oldest_confirmation: datetime | None
    confirmation_days: int
    category: str
    declined: bool
    category_units: int  # units in the category
    ranked_units: int  # units of the category that did not decline the request
    category_highest_asa: int  # the highest ASA class any unit of the category takes
    category_last_week: date  # the last week any unit of the category offers


def fetch(
    *,
    group_id: int,
    this_week: date,
    today: date,
    asa: int,
    sending_hospital: Hospital,
    sending_region: Region,
    max_travel_km: int | None,
    target: date | None,
    deadline: date | None,
    declined: Collection[int],
    wanted: Collection[int],
    limit: int,
) -> list[Candidate]:
    """One query; `declined` are never ranked, `wanted` (and `declined`) come back wherever they rank."""
    ops = connection.ops
    tz_sql, tz_params = ops.datetime_cast_date_sql("c.oldest_confirmation", (), timezone.get_current_timezone_name())
    confirmation_days = _CONFIRMATION_DAYS.format(
        table=ConfirmationLimit._meta.db_table, default=DEFAULT_CONFIRMATION_DAYS
    )
    tz_names = [f"tz{i}" for i in range(len(tz_params))]
    local_day = tz_sql % tuple(f"%({name})s" for name in tz_names)
    declined_ids = _ids("declined", declined)
    wanted_ids = _ids("wanted", {*declined, *wanted})
    sql = _QUERY.format(
        fits=_FITS,
        offer=CapacityOffer._meta.db_table,
        unit=Unit._meta.db_table,
        hospital=Hospital._meta.db_table,
        region=Region._meta.db_table,
        distance=_DISTANCE,
        categories=" ".join(
            f"WHEN {condition.format(distance=_DISTANCE)} THEN '{category}'" for category, condition in CATEGORIES
        ),
        ranked=RANKED,
        declined=_in("c.unit_id", declined_ids),
        wanted=_in("k.unit_id", wanted_ids),
        confirmation_days=confirmation_days,
        sort_columns=_SORT_COLUMNS.format(
            days_since_confirmation=_DAYS_SINCE[connection.vendor].format(day=local_day),
            confirmation_days=confirmation_days,
        ),
        sort_key=_SORT_KEY,
    )
    params: dict[str, Any] = {
        "group": group_id,
        "this_week": ops.adapt_datefield_value(this_week),
        "today": ops.adapt_datefield_value(today),
        "asa": asa,
        "lat": float(sending_hospital.latitude),
        "lon": float(sending_hospital.longitude),
        "sending_region": sending_region.pk,
        "healthcare_region": sending_region.healthcare_region_id,
        "max_travel_km": float(max_travel_km) if max_travel_km is not None else NO_TRAVEL_LIMIT_KM,
        "target": ops.adapt_datefield_value(target or NO_TARGET),
        "deadline": ops.adapt_datefield_value(deadline or NO_DEADLINE),
        "limit": limit,
        **dict(zip(tz_names, tz_params, strict=True)),
        **declined_ids,
        **wanted_ids,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [_candidate(row) for row in cursor.fetchall()]


def _ids(prefix: str, ids: Collection[int]) -> dict[str, int]:
    return {f"{prefix}{i}": int(unit_id) for i, unit_id in enumerate(sorted(ids))}


def _in(column: str, ids: dict[str, int]) -> str:
    if not ids:
        return "1 = 0"
    return f"{column} IN ({', '.join(f'%({name})s' for name in ids)})"


def _candidate(row: tuple) -> Candidate:
    (unit_id, unit_name, hospital, region, healthcare_region_id, lat, lon, week, free_slots, free_weeks,
     confirmed, days, category, declined, category_units, ranked_units, highest_asa, last_week) = row  # fmt: skip
    return Candidate(
        unit_id=unit_id,
        unit_name=unit_name,
        hospital_name=hospital,
        region_name=region,
        healthcare_region_id=healthcare_region_id,
        latitude=_coordinate(lat),
        longitude=_coordinate(lon),
        first_free_week=_date(week),
        free_slots=free_slots,
        free_weeks=free_weeks,
        oldest_confirmation=_datetime(confirmed),
        confirmation_days=days,
        category=category,
        declined=bool(declined),
        category_units=category_units,
        ranked_units=ranked_units,
        category_highest_asa=highest_asa,
        category_last_week=_date(last_week) or date.min,
    )


_FIVE_DECIMALS = Decimal("0.00001")


def _coordinate(value: Any) -> float:
    """As the model field reads it (five decimals; SQLite keeps a float), then as matching computes with it."""
    return float(Decimal(str(value)).quantize(_FIVE_DECIMALS))


def _date(value: Any) -> date | None:
    """PostgreSQL returns dates; SQLite the ISO text of an aggregate."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _datetime(value: Any) -> datetime | None:
    """PostgreSQL returns aware datetimes; SQLite the UTC text Django stored."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)
