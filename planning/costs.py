"""The group plan's cost function, in whole points (README, "The group plan"). Everything here is vectorised.

The cost of placing request r in week w at unit u:

    weight(r) x LATE_DAY x (days w is after r's medical target date + days w is after its care-guarantee deadline)
    + min(km from r's sending hospital to u's hospital, DISTANCE_CAP_KM)
    + OTHER_HEALTHCARE_REGION if u is outside the sending region's healthcare region

A week counts from its Monday, as in single matching. `weight` is the request's medical priority: the number of
priorities ranked at or below it (Hög 4, Medelhög 3, Medel 2, Låg 1). A day late costs more than the distance and
region costs of DISTANCE_GUARANTEE patients together, so the plan first minimises weighted lateness and only then
travel: no patient is made later to shorten another's journey. Leaving r unassigned costs what placing it in the
first week after the horizon would, at the distance cap in another healthcare region, plus one: any week of the
horizon beats none for the patient.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

HORIZON_WEEKS = 26  # the weeks planned: the first open week and the 25 after it
LATE_DAY = 100_000_000
DISTANCE_CAP_KM = 5_000  # farther than any two places in Sweden
OTHER_HEALTHCARE_REGION = 500
MAX_PLACEMENT_EXTRA = DISTANCE_CAP_KM + OTHER_HEALTHCARE_REGION
DISTANCE_GUARANTEE = LATE_DAY // MAX_PLACEMENT_EXTRA  # 18,181 patients
EARTH_RADIUS_KM = 6371.0

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


def lateness_cost(weight: Any, target: Any, deadline: Any, day: Any) -> Ints:
    """weight x LATE_DAY x (days after the target date + days after the deadline), element by element (days as
    ordinals; the arrays broadcast)."""
    late = np.maximum(day - target, 0) + np.maximum(day - deadline, 0)
    return (weight * LATE_DAY * late).astype(np.int64)


def great_circle_km(lat1: Floats, lon1: Floats, lat2: Floats, lon2: Floats) -> Floats:
    """The haversine distance of `organisations.models.great_circle_km`, for arrays that broadcast."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = np.radians(lon2 - lon1)
    a = np.sin(d_phi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(d_lambda / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a)), dtype=np.float64)


def place_cost(km: Floats, other_healthcare_region: npt.NDArray[np.bool_]) -> Ints:
    """The travel part: whole km (capped) and the own healthcare region's preference."""
    distance = np.minimum(np.rint(km), DISTANCE_CAP_KM).astype(np.int64)
    return distance + OTHER_HEALTHCARE_REGION * other_healthcare_region.astype(np.int64)


def unassigned_cost(weight: Ints, target: Ints, deadline: Ints, horizon_end: int) -> Ints:
    """Leaving a request out: as late as the first week after the horizon, as far as can be, plus one."""
    return lateness_cost(weight, target, deadline, np.int64(horizon_end)) + MAX_PLACEMENT_EXTRA + 1
