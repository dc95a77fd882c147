""" "Within this unit" is said in one place: no app filters by prefix or slices a division code by hand."""

import re
from pathlib import Path

import xingyao

ROOT = Path(xingyao.__file__).parent
# The two modules that own the prefix rule: the scoping mechanism and the pure code helpers.
OWNERS = {ROOT / "core" / "scoping.py", ROOT / "places" / "codes.py"}
HAND_WRITTEN = re.compile(
    r"prefix__startswith"  # a subtree filter: use .within(unit) or restrict()
    r"|\b(?:code|prefix)\[\d*:"  # a code slice: use places.codes (town_code, county_code, village_code, …)
    r"|\[:(?:6|9|12|15)\]"  # the same slice on a variable with another name
)


def offending_lines() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if path in OWNERS or "tests" in path.parts or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if HAND_WRITTEN.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_no_app_writes_a_prefix_filter_or_code_slice_by_hand():
    assert offending_lines() == []


def test_the_pattern_catches_the_forms_it_forbids():
    for line in (
        "qs.filter(village__prefix__startswith=unit.prefix)",
        'code=unit.code[:9] + "000"',
        "county = village.prefix[:6]",
        "villages.get(p.unit.code[:12])",
        'prefix = f"{year}{village.code[6:12]}"',
        "town = parent[:9]",
    ):
        assert HAND_WRITTEN.search(line), line
    assert not HAND_WRITTEN.search("drafts = list(todo.order_by('-year')[:2])")
