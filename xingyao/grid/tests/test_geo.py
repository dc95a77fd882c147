import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from xingyao.grid import geo
from xingyao.grid.workflow import Level, State, supervision_level, warning_starts

SH = dt.timezone(dt.timedelta(hours=8))
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[112.0, 32.0], [112.1, 32.0], [112.1, 32.1], [112.0, 32.1], [112.0, 32.0]]],
}


def test_a_point_inside_is_at_distance_zero():
    assert geo.distance_km(32.05, 112.05, SQUARE) == 0.0


def test_a_point_outside_is_measured_to_the_nearest_edge():
    distance = geo.distance_km(32.05, 112.12, SQUARE)  # 0.02° of longitude east of the edge at 32°N
    assert 1.8 < distance < 2.0


def test_no_polygon_means_no_answer():
    assert geo.distance_km(32.05, 112.05, None) is None
    assert geo.distance_km(32.05, 112.05, {"type": "FeatureCollection", "features": []}) is None


def test_feature_collections_and_multipolygons_are_read():
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}
    collection = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": multi}]}
    assert geo.distance_km(32.05, 112.05, collection) == 0.0
    assert geo.centroid(SQUARE) == (112.05, 32.05)


@given(
    st.datetimes(min_value=dt.datetime(2023, 1, 1), max_value=dt.datetime(2025, 12, 1)),
    st.integers(min_value=0, max_value=20),
    st.integers(min_value=0, max_value=40 * 24),
)
def test_yellow_starts_exactly_where_the_pure_rule_says(dispatched, days, hours_later):
    from xingyao.core import calendar

    start = dispatched.replace(tzinfo=SH)
    due = calendar.deadline(start, days)
    warn = warning_starts(due, days)
    now = start + dt.timedelta(hours=hours_later)
    level = supervision_level(now, due, State.HANDLING, allowed_workdays=days)
    stored = Level.RED if now > due else Level.YELLOW if now >= warn else Level.NORMAL
    assert stored == level
