"""A diagonal linear state-space model (S4D-style) and Mamba's selective scan.

One system, three ways to run it: a recurrence (O(1) state per step), a
causal convolution (parallel over time, FFT), and, when the system depends
on the input, a scan.
"""

import torch


# --8<-- [start:lti]
def discretize_zoh(A, B, dt):
    """Zero-order hold for the diagonal system h'(t) = A h(t) + B u(t).

    A: (D, N), negative (D channels, N states each); B broadcastable to
    (..., D, N); dt: (..., D) step sizes. Holding u constant over a step
    solves the ODE exactly: Ā = exp(dt A), B̄ = (Ā - 1) / A · B.
    """
    dA = dt[..., None] * A  # (..., D, N)
    return torch.exp(dA), torch.expm1(dA) / A * B


def ssm_scan(Abar, Bbar, C, u):
    """Recurrent form: h_t = Ā h_{t-1} + B̄ u_t, y_t = Σ_n C h_t.

    Abar, Bbar, C: (D, N); u: (B, T, D) -> y: (B, T, D).
    """
    h = u.new_zeros(u.size(0), *Abar.shape)  # (B, D, N)
    ys = []
    for t in range(u.size(1)):
        h = Abar * h + Bbar * u[:, t, :, None]  # (B, D, N)
        ys.append((C * h).sum(-1))  # (B, D)
    return torch.stack(ys, dim=1)


def ssm_kernel(Abar, Bbar, C, T):
    """The impulse response K_k = Σ_n C Ā^k B̄, k = 0 .. T-1: (D, T)."""
    k = torch.arange(T, device=Abar.device, dtype=Abar.dtype)
    powers = Abar[..., None] ** k  # (D, N, T)
    return ((C * Bbar)[..., None] * powers).sum(1)  # (D, T)


def ssm_conv(K, u):
    """Convolutional form y_t = Σ_{k<=t} K_k u_{t-k}, by FFT in O(T log T).

    K: (D, T); u: (B, T, D) -> y: (B, T, D). Padding to 2T stops the
    circular FFT convolution from wrapping the end onto the start.
    """
    T = u.size(1)
    K_f = torch.fft.rfft(K, n=2 * T)  # (D, T + 1)
    u_f = torch.fft.rfft(u.transpose(1, 2), n=2 * T)  # (B, D, T + 1)
    y = torch.fft.irfft(K_f * u_f, n=2 * T)[..., :T]  # (B, D, T)
    return y.transpose(1, 2)


# --8<-- [end:lti]


# --8<-- [start:selective]
def selective_scan(x, A, B, C, dt):
    """Mamba's selective SSM: dt, B and C change with every token.

    x, dt: (Bt, T, D); B, C: (Bt, T, N), computed from x by the caller;
    A: (D, N) < 0. Returns y: (Bt, T, D). The system is different at
    each step, so there is no single kernel K: only the scan remains.
    """
    Abar, Bbar = discretize_zoh(A, B[:, :, None, :], dt)  # (Bt,T,D,N)
    h = x.new_zeros(x.size(0), *A.shape)  # (Bt, D, N)
    ys = []
    for t in range(x.size(1)):
        h = Abar[:, t] * h + Bbar[:, t] * x[:, t, :, None]
        ys.append((C[:, t, None, :] * h).sum(-1))  # (Bt, D)
    return torch.stack(ys, dim=1)


def selective_parallel(x, A, B, C, dt):
    """The same outputs with no loop over time (O(T²) memory):

    h_t = Σ_{s<=t} exp(Σ_{r=s+1..t} dt_r A) B̄_s x_s, the decay between s
    and t being a difference of cumulative sums of log Ā = dt A.
    """
    T = x.size(1)
    _, Bbar = discretize_zoh(A, B[:, :, None, :], dt)  # (Bt, T, D, N)
    L = torch.cumsum(dt[..., None] * A, dim=1)  # (Bt, T, D, N)
    log_decay = L[:, :, None] - L[:, None, :]  # (Bt, t, s, D, N)
    past = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
    # Mask before exp: for s > t the difference is positive and may overflow.
    log_decay = log_decay.masked_fill(~past[:, :, None, None], float("-inf"))
    h = (log_decay.exp() * (Bbar * x[..., None])[:, None]).sum(2)
    return (C[:, :, None, :] * h).sum(-1)  # (Bt, T, D)


# --8<-- [end:selective]
