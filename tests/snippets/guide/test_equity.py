"""Equity arithmetic checked against hand-worked cases.

Every expected number below was worked out by hand (shown in the comments);
the tolerance is float round-off on sums of a few products, 1e-9 relative.
"""

import pytest

from snippets.guide.equity import (
    dilute,
    exercise,
    risk_adjusted,
    vested_fraction,
)

REL = 1e-9


def test_reproduces_the_uk_example():
    # strike £10, valuation £50, 10,000 options, 45% income tax:
    # cost 10 * 10k = 100k; gain 40 * 10k = 400k; tax 0.45 * 400k = 180k.
    e = exercise(strike=10, price=50, n_options=10_000, tax_rate=0.45)
    assert e.cost == pytest.approx(100_000, rel=REL)
    assert e.gain == pytest.approx(400_000, rel=REL)
    assert e.tax == pytest.approx(180_000, rel=REL)
    assert e.cash_out == pytest.approx(280_000, rel=REL)


@pytest.mark.parametrize(
    "strike, price, n, rate, cost, gain, tax",
    [
        # 0.50 * 4000 = 2000; 3.50 * 4000 = 14000; 0.40 * 14000 = 5600
        (0.50, 4.00, 4_000, 0.40, 2_000, 14_000, 5_600),
        # 1.20 * 25000 = 30000; 0.30 * 25000 = 7500; 0.20 * 7500 = 1500
        (1.20, 1.50, 25_000, 0.20, 30_000, 7_500, 1_500),
        # zero tax rate (e.g. a qualifying scheme): only the strike is paid
        (2.00, 12.00, 1_000, 0.0, 2_000, 10_000, 0),
    ],
)
def test_hand_worked_exercises(strike, price, n, rate, cost, gain, tax):
    e = exercise(strike, price, n, rate)
    assert e.cost == pytest.approx(cost, rel=REL)
    assert e.gain == pytest.approx(gain, rel=REL)
    assert e.tax == pytest.approx(tax, rel=REL, abs=1e-12)
    assert e.cash_out == pytest.approx(cost + tax, rel=REL)


@pytest.mark.parametrize("price", [3.0, 10.0])  # below and exactly at strike
def test_underwater_options_have_no_gain_and_no_tax(price):
    e = exercise(strike=10.0, price=price, n_options=10_000, tax_rate=0.45)
    assert (e.cost, e.gain, e.tax, e.cash_out) == (0.0, 0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    "month, fraction",
    [
        (0, 0.0),
        (11, 0.0),  # one month short of the cliff: nothing
        (12, 0.25),  # the cliff: 12/48 at once
        (13, 13 / 48),
        (30, 0.625),  # 30/48
        (48, 1.0),
        (60, 1.0),  # fully vested stays fully vested
    ],
)
def test_four_year_grant_with_one_year_cliff(month, fraction):
    assert vested_fraction(month) == pytest.approx(fraction, rel=REL)


def test_other_schedules():
    # 3-year grant, 6-month cliff: month 5 -> 0, month 6 -> 6/36, 18 -> 1/2
    got = [vested_fraction(m, total_months=36, cliff_months=6) for m in (5, 6, 18)]
    assert got == pytest.approx([0.0, 1 / 6, 0.5], rel=REL)
    # no cliff: linear from day one
    assert vested_fraction(1, cliff_months=0) == pytest.approx(1 / 48, rel=REL)


def test_dilution_compounds():
    # 1% through three 20% rounds: 0.01 * 0.8^3 = 0.00512
    assert dilute(0.01, [0.2, 0.2, 0.2]) == pytest.approx(0.00512, rel=REL)
    # 0.5% through 25% then 10%: 0.005 * 0.75 * 0.9 = 0.003375
    assert dilute(0.005, [0.25, 0.10]) == pytest.approx(0.003375, rel=REL)
    assert dilute(0.02, []) == 0.02


def test_risk_adjustment():
    # £400k on paper, 30% chance of liquidity, 25% haircut at exit:
    # 400k * 0.3 * 0.75 = 90k
    assert risk_adjusted(400_000, 0.3, 0.25) == pytest.approx(90_000, rel=REL)
    assert risk_adjusted(400_000, 1.0, 0.0) == 400_000
