"""Small plane geometry on GeoJSON polygons: is a point inside, how far is it. Pure, no ORM.

Good enough at township scale (a few kilometres): longitudes are scaled by cos(latitude) and distances are
measured on that local plane.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

EARTH_KM_PER_DEGREE = 111.32
NEAR_KM = 2.0  # a report this close to the town's boundary is still accepted (GPS drift, a field just outside)

Ring = Sequence[Sequence[float]]


def rings(geometry: Any) -> Iterator[Ring]:
    """The outer rings of a Polygon, MultiPolygon, Feature or FeatureCollection (holes are ignored)."""
    if not isinstance(geometry, dict):
        return
    kind = geometry.get("type")
    if kind == "Polygon":
        coordinates = geometry.get("coordinates") or []
        if coordinates:
            yield coordinates[0]
    elif kind == "MultiPolygon":
        for polygon in geometry.get("coordinates") or []:
            if polygon:
                yield polygon[0]
    elif kind == "Feature":
        yield from rings(geometry.get("geometry"))
    elif kind == "FeatureCollection":
        for feature in geometry.get("features") or []:
            yield from rings(feature)


def inside_ring(lng: float, lat: float, ring: Ring) -> bool:
    """Ray casting: whether (lng, lat) lies inside the closed ring."""
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[(i + 1) % n][0], ring[(i + 1) % n][1]
        if (y1 > lat) != (y2 > lat):
            x_at = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lng < x_at:
                inside = not inside
    return inside


def _segment_km(px: float, py: float, a: Sequence[float], b: Sequence[float], scale: float) -> float:
    ax, ay = a[0] * scale, a[1]
    bx, by = b[0] * scale, b[1]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy)) * EARTH_KM_PER_DEGREE


def distance_km(lat: float, lng: float, geometry: Any) -> float | None:
    """0 inside the geometry, else the distance to its nearest edge; None when it has no polygon."""
    found = list(rings(geometry))
    if not found:
        return None
    if any(inside_ring(lng, lat, ring) for ring in found):
        return 0.0
    scale = math.cos(math.radians(lat))
    px = lng * scale
    return min(
        _segment_km(px, lat, ring[i], ring[(i + 1) % len(ring)], scale) for ring in found for i in range(len(ring))
    )


def centroid(geometry: Any) -> tuple[float, float] | None:
    """The mean of the outer ring's vertices as (lng, lat): a label point, not a true centroid."""
    for ring in rings(geometry):
        points = ring[:-1] if len(ring) > 1 and list(ring[0]) == list(ring[-1]) else ring
        if points:
            return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    return None
