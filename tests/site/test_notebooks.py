"""What the notebooks print when the site build executes them."""

import math
import re

import pytest

pytestmark = pytest.mark.build

# An untrained model spreads its bets evenly and pays ln V ≈ 2.77 nats per
# character (V = 16); the grammar's entropy floor is 0.17. The trained model
# reaches about 0.22, so 0.6 is 2.7 times above what it reaches and 4.6
# times below an untrained model.
FINAL_LOSS_BELOW = 0.6


def printed(html: str, label: str) -> float:
    # Only the cell outputs have a number right after the label; the source
    # cells hold the f-string.
    values = re.findall(rf"{label}: ([0-9]+(?:\.[0-9]+)?)", html)
    assert len(values) == 1, (label, values)
    return float(values[0])


def test_tiny_gpt_notebook_trains_from_ln_v_to_a_low_loss(built):
    html = (built.site / "notebooks/train-tiny-gpt/index.html").read_text()
    assert "Traceback" not in html
    assert "data:image/png;base64," in html  # the loss curve
    V = printed(html, "vocab size")
    assert V == 16
    initial, final = printed(html, "initial loss"), printed(html, "final loss")
    # Initial weights of std 0.02 give nearly uniform predictions.
    assert abs(initial - math.log(V)) < 0.15
    assert final < FINAL_LOSS_BELOW
    assert final > printed(html, "entropy floor") - 0.01  # nothing beats the floor
