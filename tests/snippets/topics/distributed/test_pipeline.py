import pytest

from snippets.topics.distributed.pipeline import gpipe, one_f_one_b, render, simulate

CASES = [(1, 4), (2, 1), (2, 4), (4, 4), (4, 8), (3, 5), (8, 32)]


@pytest.mark.parametrize("schedule", [gpipe, one_f_one_b])
@pytest.mark.parametrize("p,m", CASES)
@pytest.mark.parametrize("t_b", [1.0, 2.0])
def test_bubble_fraction_is_p_minus_1_over_m_plus_p_minus_1(schedule, p, m, t_b):
    makespan, bubble, _, _ = simulate(schedule(p, m), t_f=1.0, t_b=t_b)
    assert bubble == pytest.approx((p - 1) / (m + p - 1), abs=1e-12)
    assert makespan == pytest.approx((m + p - 1) * (1.0 + t_b))


@pytest.mark.parametrize("p,m", CASES)
def test_one_f_one_b_keeps_at_most_p_minus_s_micro_batches(p, m):
    _, _, peak_gpipe, _ = simulate(gpipe(p, m))
    _, _, peak_1f1b, _ = simulate(one_f_one_b(p, m))
    assert peak_gpipe == [m] * p
    assert peak_1f1b == [min(p - s, m) for s in range(p)]


def test_every_op_runs_once_and_respects_its_dependency():
    p, m = 4, 6
    _, _, _, timeline = simulate(one_f_one_b(p, m))
    end = {(k, s, j): e for s, row in enumerate(timeline) for _, e, k, j in row}
    start = {(k, s, j): b for s, row in enumerate(timeline) for b, _, k, j in row}
    assert len(end) == 2 * p * m
    for s in range(1, p):
        for j in range(m):
            assert start[("F", s, j)] >= end[("F", s - 1, j)]
            assert start[("B", s - 1, j)] >= end[("B", s, j)]


def test_render_hand_worked_two_stages():
    # p = 2, m = 2, t_f = 1, t_b = 2: makespan (m + p - 1)(1 + 2) = 9.
    _, bubble, _, timeline = simulate(gpipe(2, 2))
    assert render(timeline) == "stage 0: FF...BBBB\nstage 1: .FFBBBB.."
    assert bubble == pytest.approx(1 / 3)


def test_a_cyclic_schedule_is_reported():
    with pytest.raises(ValueError, match="deadlock"):
        simulate([[("B", 0), ("F", 0)], [("F", 0), ("B", 0)]])
