import torch

from snippets.topics.ml.sequence_models import (
    CausalConvStack,
    lstm,
    lstm_cell,
    receptive_field,
    rnn_hidden_gradient,
)

F64 = torch.float64


def test_lstm_matches_torch(device):
    B, T, D_in, H = 3, 7, 5, 4
    ref = torch.nn.LSTM(D_in, H, batch_first=True, device=device)
    x = torch.randn(B, T, D_in, device=device)
    out_ref, (h_ref, _) = ref(x)
    params = (ref.weight_ih_l0, ref.weight_hh_l0, ref.bias_ih_l0, ref.bias_hh_l0)
    out = lstm(x, *params)
    torch.testing.assert_close(out, out_ref, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(out[:, -1], h_ref[0], rtol=1e-5, atol=1e-6)
    # Gradients with respect to every weight agree too.
    g = torch.randn_like(out)
    grads = torch.autograd.grad((out * g).sum(), params)
    grads_ref = torch.autograd.grad((out_ref * g).sum(), params)
    for a, b in zip(grads, grads_ref, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_lstm_cell_gradcheck(device):
    B, D_in, H = 2, 3, 2
    args = [
        torch.randn(*s, dtype=F64, device=device, requires_grad=True)
        for s in [(B, D_in), (B, H), (B, H), (4 * H, D_in), (4 * H, H), (4 * H,), (4 * H,)]
    ]
    assert torch.autograd.gradcheck(lambda *a: lstm_cell(*a), args)


def test_rnn_gradient_vanishes_geometrically(device):
    H = 8
    Q, _ = torch.linalg.qr(torch.randn(H, H, dtype=F64, device=device))
    for scale in (0.5, 0.9):
        W = scale * Q  # ‖W‖₂ = scale exactly
        norms = [rnn_hidden_gradient(W, T, device=device) for T in (5, 10, 20, 40)]
        for T, n in zip((5, 10, 20, 40), norms, strict=True):
            assert n <= scale**T * (1 + 1e-9), (scale, T, n)  # the bound
        assert norms[-1] < 1e-1 * norms[0]
    # At scale 0.5 and T = 40 the signal is below 1e-12: nothing to learn.
    assert rnn_hidden_gradient(0.5 * Q, 40, device=device) < 0.5**40 * (1 + 1e-9)


def test_causal_conv_receptive_field(device):
    C, T, k, dil = 2, 40, 2, (1, 2, 4, 8)
    net = CausalConvStack(C, k, dil, device=device).double()
    x = torch.randn(1, C, T, dtype=F64, device=device, requires_grad=True)
    t = 30
    (g,) = torch.autograd.grad(net(x)[0, :, t].sum(), x)
    seen = (g[0].abs().sum(0) > 0).nonzero().flatten()  # (T,) -> times
    R = receptive_field(k, dil)
    assert R == 16
    # Exactly inputs t − 15 … t influence output t: none from the future.
    assert seen.tolist() == list(range(t - R + 1, t + 1))
    assert net(x).shape == x.shape
