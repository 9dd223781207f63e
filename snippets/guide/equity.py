"""Equity arithmetic for an offer: option exercise, vesting, dilution.

Money is in one currency throughout (pounds, dollars: the maths does not
care); share counts are numbers of shares; rates are fractions (0.45 = 45%).
Pure Python: no tensors, nothing random.
"""

from dataclasses import dataclass


# --8<-- [start:exercise]
@dataclass(frozen=True)
class Exercise:
    """What exercising options costs before any share can be sold.

    cost:     strike * n, paid to the company to buy the shares
    gain:     (price - strike) * n, the paper gain taxed as income
    tax:      gain * tax_rate, due now, although nothing was sold
    cash_out: cost + tax, the cash needed up front
    """

    cost: float
    gain: float
    tax: float
    cash_out: float


def exercise(strike, price, n_options, tax_rate):
    """Exercise n_options at `strike` when a share is valued at `price`.

    An underwater option (price <= strike) is never worth exercising:
    it costs nothing because nobody does it, and there is no gain to tax.
    """
    if price <= strike:
        return Exercise(cost=0.0, gain=0.0, tax=0.0, cash_out=0.0)
    cost = float(strike * n_options)
    gain = float((price - strike) * n_options)
    tax = gain * tax_rate
    return Exercise(cost=cost, gain=gain, tax=tax, cash_out=cost + tax)


# --8<-- [end:exercise]


# --8<-- [start:vesting]
def vested_fraction(month, total_months=48, cliff_months=12):
    """Fraction of a grant vested `month` months after the start date.

    Monthly vesting over total_months with a cliff: nothing until the
    cliff, then the cliff's months all at once, then 1/total_months a
    month. The default is the common 4-year grant with a 1-year cliff.
    """
    if month < cliff_months:
        return 0.0
    return min(month, total_months) / total_months


def dilute(ownership, round_sizes):
    """Ownership fraction after each funding round.

    round_sizes: fraction of the post-money company each round sells
    (0.20 = new investors end with 20%); every holder shrinks by 1 - s.
    """
    for s in round_sizes:
        ownership *= 1.0 - s
    return ownership


# --8<-- [end:vesting]


# --8<-- [start:discount]
def risk_adjusted(paper_value, p_liquidity, exit_discount):
    """Expected cash from equity quoted at `paper_value`.

    p_liquidity:   chance the shares can ever be sold (IPO, acquisition,
                   tender offer) while they still have value
    exit_discount: fraction by which the sale price falls short of the
                   headline valuation (preference stacks, tender haircuts)
    """
    return paper_value * p_liquidity * (1.0 - exit_discount)


# --8<-- [end:discount]
