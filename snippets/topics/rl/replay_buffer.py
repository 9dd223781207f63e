"""A replay buffer, and off-policy learning from its fixed contents."""

import torch


# --8<-- [start:buffer]
class ReplayBuffer:
    """Ring buffer of transitions (s, a, r, s', done); the oldest entry
    is overwritten once `capacity` is reached. Integer states here; for
    observations store (capacity, *obs_shape) tensors the same way."""

    def __init__(self, capacity, device=None):
        self.capacity, self.size, self.next = capacity, 0, 0
        long = dict(dtype=torch.long, device=device)
        self.s = torch.zeros(capacity, **long)
        self.a = torch.zeros(capacity, **long)
        self.s2 = torch.zeros(capacity, **long)
        self.r = torch.zeros(capacity, dtype=torch.float64, device=device)
        self.done = torch.zeros(capacity, dtype=torch.float64, device=device)

    def add(self, s, a, r, s2, done):
        i = self.next
        self.s[i], self.a[i], self.r[i] = s, a, r
        self.s2[i], self.done[i] = s2, float(done)
        self.next = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def sample(self, n, generator=None):
        """n transitions drawn uniformly with replacement: 5 tensors."""
        idx = torch.randint(0, self.size, (n,), generator=generator)
        idx = idx.to(self.s.device)
        return (
            self.s[idx],
            self.a[idx],
            self.r[idx],
            self.s2[idx],
            self.done[idx],
        )


# --8<-- [end:buffer]


# --8<-- [start:learn]
def learn_from_buffer(
    buffer, S, A, gamma, target_policy=None, steps=300, n=256, alpha=0.5
):
    """Tabular TD control from replayed minibatches: no new data.

    target_policy=None bootstraps from max_a' Q(s', a') (Q-learning,
    whose target policy is greedy); a (S, A) matrix π instead uses
    Σ_a' π(a'|s') Q(s', a') (evaluates π). Neither target involves the
    behaviour policy that filled the buffer: both are off-policy.
    """
    Q = torch.zeros(S * A, dtype=torch.float64, device=buffer.s.device)
    g = torch.Generator().manual_seed(0)
    for _ in range(steps):
        s, a, r, s2, done = buffer.sample(n, g)
        Q2 = Q.view(S, A)[s2]  # (n, A)
        if target_policy is None:
            nxt = Q2.max(-1).values
        else:
            nxt = (target_policy[s2] * Q2).sum(-1)
        err = r + gamma * (1 - done) * nxt - Q[s * A + a]  # (n,)
        # Average the errors of repeated (s, a) pairs in the minibatch.
        total = torch.zeros_like(Q).index_add_(0, s * A + a, err)
        count = torch.zeros_like(Q).index_add_(
            0, s * A + a, torch.ones_like(err)
        )
        Q = Q + alpha * total / count.clamp(min=1)
    return Q.view(S, A)


# --8<-- [end:learn]
