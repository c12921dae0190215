"""The 95 % Wilson interval against published values and against its definition (the score test)."""

from __future__ import annotations

from math import sqrt

import pytest

from lam.eval.intervals import Z95, percent_ci, wilson, with_intervals

# Published 95 % Wilson intervals (e.g. statsmodels' proportion_confint(k, n, method="wilson")).
KNOWN = [
    (0, 10, 0.0, 0.27753),
    (10, 10, 0.72247, 1.0),
    (5, 10, 0.23659, 0.76341),
    (92, 100, 0.85002, 0.95891),
    (1, 3, 0.06149, 0.79234),
]


@pytest.mark.parametrize(("k", "n", "lo", "hi"), KNOWN)
def test_known_values(k: int, n: int, lo: float, hi: float) -> None:
    got = wilson(k, n)
    assert got == (pytest.approx(lo, abs=1e-5), pytest.approx(hi, abs=1e-5))


def _score_bound(k: int, n: int, upper: bool) -> float:
    """The reference: the p on each side of k/n where |k/n - p| = z sqrt(p(1-p)/n), by bisection."""
    ph = k / n

    def outside(p: float) -> bool:
        return abs(ph - p) > Z95 * sqrt(p * (1 - p) / n)

    lo, hi = (ph, 1.0) if upper else (0.0, ph)
    if not outside(hi if upper else lo):
        return hi if upper else lo
    for _ in range(100):
        mid = (lo + hi) / 2
        if outside(mid) == upper:
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2


@pytest.mark.parametrize("n", [1, 2, 7, 30, 448])
def test_ends_solve_the_score_equation(n: int) -> None:
    for k in range(n + 1):
        lo, hi = wilson(k, n)
        assert lo == pytest.approx(_score_bound(k, n, upper=False), abs=1e-9)
        assert hi == pytest.approx(_score_bound(k, n, upper=True), abs=1e-9)
        assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_edges_are_exact_and_no_data_is_uninformative() -> None:
    assert wilson(0, 448)[0] == 0.0 and wilson(448, 448)[1] == 1.0
    assert wilson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson(11, 10)


def test_with_intervals_keeps_the_plain_rate_and_adds_interval_and_count() -> None:
    out = with_intervals({"ssr": [True] * 92 + [False] * 8, "tsr": []})
    assert out["ssr"] == 0.92 and out["n"] == {"ssr": 100, "tsr": 0}
    assert out["intervals"]["ssr"] == list(wilson(92, 100))
    assert out["tsr"] == 0.0 and out["intervals"]["tsr"] == [0.0, 1.0]


def test_percent_ci_format() -> None:
    assert percent_ci(0.92, list(wilson(92, 100))) == "92.0 (85.0\u201395.9)"
    assert percent_ci(None, None) == "-"
