"""Cost that grows linearly: the number of engine firings, not the time, over growing inputs, and the bound
on different values of one indicator on one date that keeps the rules' weighing of contested readings
small."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from mandaat.model.errors import InputError
from mandaat.model.scenario import MAX_VALUES_PER_DATE
from mandaat.pipeline import Options, fire
from mandaat.read.scenario import read_scenario

from .conftest import scenario_from
from .strategies import BOOK


def _readings(n: int, mode: str) -> dict[str, Any]:
    """``n`` readings of one indicator: on distinct dates, or all on one date with a few values, or with
    grades that dominate one another."""
    grades = ["A1", "B2", "C3", "A3", "B1", "D4"]
    obs = []
    for i in range(n):
        day = date(2018, 4, 13) - timedelta(days=i) if mode == "dates" else date(2018, 4, 10)
        obs.append(
            {
                "id": f"o{i:05d}",
                "indicator": "attacks_from_syria_per_week",
                "value": i % 9 if mode == "values" else 5,
                "date": day.isoformat(),
                "source": "x",
                "grade": grades[i % 6] if mode == "grades" else "B2",
            }
        )
    return {"mandaat": 1, "id": "many", "title": "Many", "assessed_on": "2018-04-13", "observations": obs}


def _firings(n: int, mode: str) -> int:
    _settings, firings = fire(scenario_from(_readings(n, mode), BOOK), BOOK, Options())
    return len(firings)


@pytest.mark.parametrize("mode", ["dates", "values", "grades", "same"])
def test_engine_firings_grow_linearly_with_the_readings_of_one_indicator(mode: str) -> None:
    """Doubling the readings of one indicator at most doubles the firings (plus the fixed ones): no rule
    matches readings in pairs, whether they share a date, a value or neither."""
    small, large = _firings(200, mode), _firings(400, mode)
    fixed = _firings(1, mode)
    assert large - fixed <= 2 * (small - fixed) + 4, (small, large, fixed)
    assert large <= 5 * 400 + fixed  # a handful of firings per reading at most


def test_readings_of_one_date_are_each_relied_upon_once_and_the_date_found_once() -> None:
    """On one date, 300 relied-upon readings with 9 values: each is relied upon once, the newest date is
    found once (not once per reading), and each value has one reading that counts."""
    _settings, firings = fire(scenario_from(_readings(300, "values"), BOOK), BOOK, Options())
    count: dict[str, int] = {}
    for firing in firings:
        count[firing.rule] = count.get(firing.rule, 0) + 1
    assert count["evidence-relied-upon-fact"] == 300
    assert count["evidence-newest-date"] == 1
    assert count.get("evidence-selected", 0) + count.get("evidence-selected-after-passed", 0) == 9
    assert count["evidence-duplicate"] == 300 - 9


def test_more_different_values_on_one_date_than_the_rules_weigh_is_a_located_error() -> None:
    data = _readings(MAX_VALUES_PER_DATE + 5, "same")
    for i, obs in enumerate(data["observations"]):
        obs["value"] = i
    with pytest.raises(InputError) as caught:
        scenario_from(data, BOOK)
    (problem,) = caught.value.problems
    assert problem.line is not None and problem.path == f"observations[{MAX_VALUES_PER_DATE}].value"
    assert f"more than {MAX_VALUES_PER_DATE} different values" in str(problem.message)
    # at the bound itself, the file is read and evaluates
    data["observations"] = data["observations"][:MAX_VALUES_PER_DATE]
    _settings, firings = fire(scenario_from(data, BOOK), BOOK, Options())
    assert any(f.rule == "evidence-contested-reading" for f in firings)


def test_the_bound_is_checked_on_the_file_a_variant_makes(tmp_path: Path) -> None:
    base = _readings(MAX_VALUES_PER_DATE, "same")
    for i, obs in enumerate(base["observations"]):
        obs["value"] = i
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(base, sort_keys=False), encoding="utf-8")
    extra = {**base["observations"][0], "id": "extra", "value": 99}
    variant = {"mandaat": 1, "id": "v", "title": "V", "extends": "base.yaml", "add": [extra]}
    (tmp_path / "variant.yaml").write_text(yaml.safe_dump(variant, sort_keys=False), encoding="utf-8")
    read_scenario(tmp_path / "base.yaml", BOOK)
    with pytest.raises(InputError, match="different values"):
        read_scenario(tmp_path / "variant.yaml", BOOK)
