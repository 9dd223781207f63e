"""A grid-world MDP built as tensors: transitions P (S, A, S), rewards R."""

from dataclasses import dataclass

import torch


# --8<-- [start:gridworld]
@dataclass
class MDP:
    P: torch.Tensor  # (S, A, S) transition probabilities p(s' | s, a)
    R: torch.Tensor  # (S, A) expected reward of taking a in s
    gamma: float  # discount
    terminal: torch.Tensor  # (S,) bool, absorbing with zero reward
    start: int  # start state index
    cells: list  # (row, col) of each state, row-major


MOVES = ((-1, 0), (0, 1), (1, 0), (0, -1))  # up, right, down, left


def make_gridworld(
    layout,
    gamma=0.9,
    step_reward=-1.0,
    slip=0.0,
    cliff_reward=-100.0,
    device=None,
    dtype=torch.float64,
):
    """layout: list of strings, one per row. '.' free, '#' wall,
    'S' start, 'G' terminal goal, 'C' cliff (reward cliff_reward and
    back to S). A move succeeds with prob 1 - slip, else goes to one of
    the two perpendicular directions; bumping a wall or edge stays put.
    """
    cells = [
        (i, j)
        for i, row in enumerate(layout)
        for j, ch in enumerate(row)
        if ch not in "#C"
    ]
    index = {c: s for s, c in enumerate(cells)}
    kind = {c: layout[c[0]][c[1]] for c in cells}
    start = next(s for s, c in enumerate(cells) if kind[c] == "S")
    S, A = len(cells), len(MOVES)
    P = torch.zeros(S, A, S, dtype=dtype)
    R = torch.zeros(S, A, dtype=dtype)
    for s, (i, j) in enumerate(cells):
        if kind[(i, j)] == "G":  # absorbing: stay forever, earn nothing
            P[s, :, s] = 1.0
            continue
        for a in range(A):
            outcomes = [
                (a, 1 - slip),
                ((a + 1) % A, slip / 2),
                ((a - 1) % A, slip / 2),
            ]
            for move, prob in outcomes:
                di, dj = MOVES[move]
                ni, nj = i + di, j + dj
                inside = 0 <= ni < len(layout) and 0 <= nj < len(layout[0])
                ch = layout[ni][nj] if inside else "#"
                if ch == "#":
                    nxt, r = s, step_reward
                elif ch == "C":
                    nxt, r = start, cliff_reward
                else:
                    nxt, r = index[(ni, nj)], step_reward
                P[s, a, nxt] += prob
                R[s, a] += prob * r
    terminal = torch.tensor([kind[c] == "G" for c in cells])
    return MDP(
        P.to(device), R.to(device), gamma, terminal.to(device), start, cells
    )


# --8<-- [end:gridworld]
