import torch

from snippets.topics.rl.gridworld import make_gridworld


def test_transitions_are_distributions_and_hand_checked(device):
    mdp = make_gridworld(["S.#", "..G"], slip=0.2, step_reward=-1.0, device=device)
    assert mdp.P.shape == (5, 4, 5) and mdp.R.shape == (5, 4)
    torch.testing.assert_close(mdp.P.sum(-1), torch.ones(5, 4, dtype=mdp.P.dtype, device=device))
    # states: 0=(0,0) S, 1=(0,1), 2=(1,0), 3=(1,1), 4=(1,2) G.
    # From state 1, "right" hits the wall (0.8: stay), slips up (0.1: edge,
    # stay) or down (0.1: to 3).
    expected = torch.tensor([0.0, 0.9, 0.0, 0.1, 0.0], dtype=mdp.P.dtype, device=device)
    torch.testing.assert_close(mdp.P[1, 1], expected, atol=1e-12, rtol=0)
    assert mdp.R[1, 1].item() == -1.0
    # The goal is absorbing with zero reward.
    assert mdp.terminal.tolist() == [False, False, False, False, True]
    assert (mdp.P[4, :, 4] == 1).all() and (mdp.R[4] == 0).all()


def test_cliff_sends_back_to_start(device):
    mdp = make_gridworld(["...", "SCG"], slip=0.0, device=device)
    # states: 0,1,2 top row; 3=S; 4=G. Moving right from S enters the cliff.
    assert mdp.P[3, 1, 3].item() == 1.0 and mdp.R[3, 1].item() == -100.0
    assert mdp.P[1, 2, 3].item() == 1.0 and mdp.R[1, 2].item() == -100.0
    assert mdp.P[2, 2, 4].item() == 1.0 and mdp.R[2, 2].item() == -1.0
