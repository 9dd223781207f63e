from snippets.topics.rl.mcts import Nim, Node, mcts, minimax, puct, rollout_evaluator

GAME = Nim()


def best_move(root):
    return max(root.children.items(), key=lambda kv: kv[1].visits)[0]


def root_value(root):
    kids = root.children.values()
    return sum(c.value_sum for c in kids) / sum(c.visits for c in kids)


def test_minimax_losing_positions_are_multiples_of_four():
    assert [n for n in range(13) if minimax(GAME, n) < 0] == [0, 4, 8, 12]


def test_puct_score_by_hand():
    parent, child = Node(1.0), Node(0.5)
    parent.visits, child.visits, child.value_sum = 16, 3, 1.5
    # Q = 0.5; bonus 1.5 · 0.5 · √16 / (1 + 3) = 0.75.
    assert abs(puct(parent, child, 1.5) - 1.25) < 1e-12


def test_mcts_with_rollouts_matches_minimax():
    # Random playouts are noisy, so deep positions need many simulations:
    # 1500 finds the winning move (leave a multiple of 4) up to n = 11.
    # Observed root values: +0.5 to +0.9 when winning, −0.4 to −0.95 when
    # losing (minimax: ±1; MCTS averages over its exploration too). Over
    # 7 other seeds the move was always right and one value fell to +0.08,
    # so the value test only asks for the right sign.
    for n in (5, 6, 7, 9, 10, 11):
        root = mcts(GAME, n, rollout_evaluator(GAME, seed=n), n_sims=1500)
        assert (n - best_move(root)) % 4 == 0
        assert root_value(root) > 0
    for n in (4, 8):
        root = mcts(GAME, n, rollout_evaluator(GAME, seed=n), n_sims=1500)
        assert root_value(root) < 0


def test_a_perfect_value_function_needs_few_simulations():
    # AlphaZero's point: a good evaluator replaces deep search. With the
    # exact minimax value as the "network", 30 simulations suffice at n = 15.
    def evaluate(s):
        moves = GAME.moves(s)
        return {a: 1 / len(moves) for a in moves}, minimax(GAME, s)

    for n in (13, 14, 15):
        assert (n - best_move(mcts(GAME, n, evaluate, n_sims=30))) % 4 == 0
