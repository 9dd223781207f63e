import math

import torch

from snippets.topics.llm.state_space import (
    discretize_zoh,
    selective_parallel,
    selective_scan,
    ssm_conv,
    ssm_kernel,
    ssm_scan,
)

F64 = torch.float64


def lti_system(D, N, device):
    A = -torch.rand(D, N, device=device, dtype=F64) * 2 - 0.1  # in (-2.1, -0.1)
    B = torch.randn(D, N, device=device, dtype=F64)
    C = torch.randn(D, N, device=device, dtype=F64)
    dt = torch.rand(D, device=device, dtype=F64) * 0.5 + 0.01
    return A, B, C, dt


def test_zoh_matches_the_exact_solution_of_the_ode(device):
    # h' = a h + b u with u held at 1 from h(0) = h0: h(dt) = e^{a dt} h0 + (e^{a dt} - 1) b / a.
    a = torch.tensor([[-0.7]], device=device, dtype=F64)
    b = torch.tensor([[2.0]], device=device, dtype=F64)
    dt = torch.tensor([0.3], device=device, dtype=F64)
    Abar, Bbar = discretize_zoh(a, b, dt)
    h0 = 1.5
    # Integrate the ODE with 10^5 forward-Euler steps as an independent reference.
    h, n = h0, 100_000
    for _ in range(n):
        h += 0.3 / n * (-0.7 * h + 2.0)
    assert abs((Abar * h0 + Bbar).item() - h) < 1e-5  # Euler's error is O(dt/n) ~ 3e-6
    assert abs(Abar.item() - math.exp(-0.21)) < 1e-15


def test_recurrent_scan_equals_fft_convolution(device):
    Bt, T, D, N = 3, 37, 4, 8
    A, B, C, dt = lti_system(D, N, device)
    Abar, Bbar = discretize_zoh(A, B, dt)
    u = torch.randn(Bt, T, D, device=device, dtype=F64)
    y_scan = ssm_scan(Abar, Bbar, C, u)
    y_conv = ssm_conv(ssm_kernel(Abar, Bbar, C, T), u)
    torch.testing.assert_close(y_conv, y_scan, atol=1e-12, rtol=0)


def test_kernel_is_the_impulse_response(device):
    T, D, N = 10, 2, 3
    A, B, C, dt = lti_system(D, N, device)
    Abar, Bbar = discretize_zoh(A, B, dt)
    impulse = torch.zeros(1, T, D, device=device, dtype=F64)
    impulse[0, 0] = 1.0
    K = ssm_kernel(Abar, Bbar, C, T)
    torch.testing.assert_close(ssm_scan(Abar, Bbar, C, impulse)[0].T, K, atol=1e-14, rtol=0)


def naive_selective(x, A, B, C, dt):
    """Scalar loops over batch, time, channel and state: the definition."""
    Bt, T, D = x.shape
    N = A.shape[1]
    y = torch.zeros(Bt, T, D, dtype=x.dtype)
    for b in range(Bt):
        for d in range(D):
            h = [0.0] * N
            for t in range(T):
                acc = 0.0
                for n in range(N):
                    a = A[d, n].item()
                    step = dt[b, t, d].item()
                    abar = math.exp(step * a)
                    bbar = (abar - 1.0) / a * B[b, t, n].item()
                    h[n] = abar * h[n] + bbar * x[b, t, d].item()
                    acc += C[b, t, n].item() * h[n]
                y[b, t, d] = acc
    return y


def selective_inputs(Bt, T, D, N, device):
    x = torch.randn(Bt, T, D, device=device, dtype=F64)
    A = -torch.rand(D, N, device=device, dtype=F64) * 3 - 0.2
    # In Mamba dt, B, C are linear functions of x; any input-dependent values test the scan.
    W_dt = torch.randn(D, D, device=device, dtype=F64)
    dt = torch.nn.functional.softplus(x @ W_dt - 1.0)  # (Bt, T, D), positive
    B = x @ torch.randn(D, N, device=device, dtype=F64)
    C = x @ torch.randn(D, N, device=device, dtype=F64)
    return x, A, B, C, dt


def test_selective_scan_matches_naive_loop(device):
    args = selective_inputs(2, 9, 3, 4, device)
    y = selective_scan(*args)
    torch.testing.assert_close(
        y.cpu(), naive_selective(*(a.cpu() for a in args)), atol=1e-12, rtol=0
    )


def test_selective_parallel_form_matches_scan(device):
    args = selective_inputs(2, 16, 3, 5, device)
    torch.testing.assert_close(selective_parallel(*args), selective_scan(*args), atol=1e-12, rtol=0)


def test_constant_selective_parameters_reduce_to_the_lti_convolution(device):
    # With dt, B, C the same at every step the selective SSM is time-invariant again.
    Bt, T, D, N = 2, 12, 3, 4
    A, B, C, dt = lti_system(D, N, device)
    B1 = B[0]  # selective B and C are shared across channels: (N,)
    C1 = C[0]
    x = torch.randn(Bt, T, D, device=device, dtype=F64)
    y_sel = selective_scan(x, A, B1.expand(Bt, T, N), C1.expand(Bt, T, N), dt.expand(Bt, T, D))
    Abar, Bbar = discretize_zoh(A, B1.expand(D, N), dt)
    y_conv = ssm_conv(ssm_kernel(Abar, Bbar, C1.expand(D, N), T), x)
    torch.testing.assert_close(y_sel, y_conv, atol=1e-12, rtol=0)
