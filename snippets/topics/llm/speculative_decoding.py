"""Speculative decoding: a cheap draft proposes, the target verifies.

The multi-token loop takes its two models as bigram tables, (V, V) with
row = previous token and column = next token, so that thousands of
independent sequences run at once in the tests.
"""

import torch


# --8<-- [start:step]
def categorical(probs, generator=None):
    """One draw per row of probs (N, V) by inverting the CDF. (N,) ids.

    Same law as torch.multinomial(probs, 1), many times faster on CPU
    for many short rows.
    """
    cdf = probs.cumsum(dim=-1)  # (N, V)
    shape = (*cdf.shape[:-1], 1)
    u = torch.rand(shape, generator=generator, device=probs.device)
    # Scale u by the total mass so rounding in cdf cannot push u past it.
    idx = torch.searchsorted(cdf, u * cdf[..., -1:], right=True)  # (N, 1)
    return idx[..., 0].clamp(max=probs.size(-1) - 1)


def residual(p, q):
    """norm(max(0, p - q)) over the last axis: where a rejection resamples.

    Rows where p == q have no residual mass; they return p (such a row is
    never used, because its draft is always accepted).
    """
    r = (p - q).clamp(min=0)
    mass = r.sum(dim=-1, keepdim=True)
    return torch.where(mass > 0, r / mass.clamp_min(1e-30), p)


def speculative_sample(p, q, generator=None):
    """One speculative step per row; the output is distributed as p.

    p, q: (N, V) target and draft distributions. Draws x ~ q, keeps it
    with probability min(1, p(x) / q(x)), else draws from the residual.
    Returns tokens (N,) and accepted (N,) bool.
    """
    x = categorical(q, generator)[:, None]  # (N, 1)
    px, qx = p.gather(-1, x)[:, 0], q.gather(-1, x)[:, 0]  # (N,)
    u = torch.rand(px.shape, generator=generator, device=p.device)
    accepted = u * qx < px  # u < p/q, without dividing by q
    fallback = categorical(residual(p, q), generator)  # (N,)
    return torch.where(accepted, x[:, 0], fallback), accepted


# --8<-- [end:step]


# --8<-- [start:loop]
def speculative_round(P, Q, last, gamma, generator=None):
    """Draft gamma tokens with Q, verify them with one pass of P.

    P, Q: (V, V) target and draft tables; last: (N,) previous tokens.
    Returns new (N, gamma + 1) tokens, of which the first n (N,) are
    valid: the accepted drafts, then one correction or bonus token.
    """
    N, g = last.size(0), generator
    ctx = [last]
    for _ in range(gamma):  # gamma cheap, sequential draft calls
        ctx.append(categorical(Q[ctx[-1]], g))
    ctx = torch.stack(ctx, dim=1)  # (N, gamma + 1): last, x_1 .. x_gamma
    drafts = ctx[:, 1:, None]  # (N, gamma, 1)
    p = P[ctx]  # (N, gamma + 1, V): ONE target pass scores every position
    q = torch.cat([Q[ctx[:, :-1]], torch.zeros_like(p[:, :1])], dim=1)
    px = p[:, :-1].gather(-1, drafts)[..., 0]  # (N, gamma)
    qx = q[:, :-1].gather(-1, drafts)[..., 0]  # (N, gamma)
    u = torch.rand(px.shape, generator=g, device=P.device)
    n_acc = (u * qx < px).long().cumprod(dim=1).sum(dim=1)  # (N,)
    # First rejected position: resample from the residual. If all gamma
    # were accepted, q is 0 at position gamma, so the residual is p: bonus.
    rows = torch.arange(N, device=P.device)
    r = residual(p[rows, n_acc], q[rows, n_acc])  # (N, V)
    new = torch.cat([ctx[:, 1:], last[:, None]], dim=1)  # last col: filler
    new[rows, n_acc] = categorical(r, g)
    return new, n_acc + 1


def speculative_generate(P, Q, first, n_tokens, gamma, generator=None):
    """Generate n_tokens after first (N,). Returns tokens (N, n_tokens)
    and the number of target passes each sequence needed (N,)."""
    N, dev = first.size(0), first.device
    out = torch.zeros(N, n_tokens + gamma, dtype=torch.long, device=dev)
    length = torch.zeros(N, dtype=torch.long, device=dev)
    calls = torch.zeros(N, dtype=torch.long, device=dev)
    last = first.clone()
    while (active := (length < n_tokens).nonzero()[:, 0]).numel():
        new, n = speculative_round(P, Q, last[active], gamma, generator)
        cols = length[active, None] + torch.arange(gamma + 1, device=dev)
        valid = torch.arange(gamma + 1, device=dev) < n[:, None]
        rows = active[:, None].expand_as(cols)
        out[rows[valid], cols[valid]] = new[valid]
        last[active] = new.gather(1, (n - 1)[:, None])[:, 0]
        length[active] += n
        calls[active] += 1
    return out[:, :n_tokens], calls


# --8<-- [end:loop]
