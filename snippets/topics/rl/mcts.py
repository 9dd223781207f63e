"""Monte Carlo tree search with AlphaZero's PUCT rule, on a Nim game."""

import math
import random


# --8<-- [start:nim]
class Nim:
    """Subtraction game: a pile of n stones, a move takes 1, 2 or 3, and
    whoever takes the last stone wins. The player to move loses (with
    best play on both sides) exactly when n is a multiple of 4."""

    def moves(self, n):
        return [k for k in (1, 2, 3) if k <= n]

    def play(self, n, k):
        return n - k

    def terminal_value(self, n):
        """None while the game goes on; at n = 0 the player to move has
        lost (the opponent took the last stone): −1."""
        return -1.0 if n == 0 else None


def minimax(game, state):
    """Exact value for the player to move: +1 win, −1 loss."""
    done = game.terminal_value(state)
    if done is not None:
        return done
    return max(-minimax(game, game.play(state, a)) for a in game.moves(state))


# --8<-- [end:nim]


# --8<-- [start:mcts]
class Node:
    def __init__(self, prior):
        self.prior, self.visits, self.value_sum = prior, 0, 0.0
        self.children = {}  # action -> Node

    def q(self):  # mean value, seen by the player who chose this node
        return self.value_sum / self.visits if self.visits else 0.0


def puct(parent, child, c_puct):
    """Q(s, a) + c · P(s, a) · √N(s) / (1 + N(s, a))."""
    u = c_puct * child.prior * math.sqrt(parent.visits) / (1 + child.visits)
    return child.q() + u


def mcts(game, state, evaluate, n_sims=200, c_puct=1.5):
    """Run n_sims simulations from `state`; return the root Node.

    evaluate(state) -> (priors {action: p}, value for the player to
    move) stands in for AlphaZero's network."""
    root = Node(1.0)
    for _ in range(n_sims):
        node, s, path = root, state, [root]
        while node.children:  # selection
            a, node = max(
                node.children.items(),
                key=lambda kv: puct(path[-1], kv[1], c_puct),
            )
            s = game.play(s, a)
            path.append(node)
        value = game.terminal_value(s)
        if value is None:  # expansion and evaluation
            priors, value = evaluate(s)
            node.children = {a: Node(p) for a, p in priors.items()}
        for n in reversed(path):  # backup, flipping sign each ply
            value = -value  # now from the view of the player who chose n
            n.visits += 1
            n.value_sum += value
    return root


def rollout_evaluator(game, seed=0):
    """Uniform priors and the result of one random playout."""
    rng = random.Random(seed)

    def evaluate(state):
        moves = game.moves(state)
        s, sign = state, 1.0
        while game.terminal_value(s) is None:
            s, sign = game.play(s, rng.choice(game.moves(s))), -sign
        return {a: 1 / len(moves) for a in moves}, sign * game.terminal_value(s)

    return evaluate


# --8<-- [end:mcts]
