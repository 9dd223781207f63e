import torch

from snippets.topics.llm.perceiver import PerceiverEncoder

F64 = torch.float64


def encoder(device, **kw):
    return PerceiverEncoder(d_model=16, n_heads=4, n_latents=6, device=device, dtype=F64, **kw)


def test_output_is_invariant_to_permuting_the_inputs(device):
    model = encoder(device)
    x = torch.randn(2, 30, 16, device=device, dtype=F64)
    z, w = model(x)
    perm = torch.randperm(30, device=device)
    z_perm, w_perm = model(x[:, perm])
    torch.testing.assert_close(z_perm, z, atol=1e-12, rtol=0)
    # The attention weights are permuted with the inputs, the read-out is not.
    torch.testing.assert_close(w_perm, w[..., perm], atol=1e-12, rtol=0)


def test_output_shape_does_not_depend_on_the_number_of_inputs(device):
    model = encoder(device)
    for N in (1, 7, 100):
        z, w = model(torch.randn(3, N, 16, device=device, dtype=F64))
        assert z.shape == (3, 6, 16)
        assert w.shape == (3, 4, 6, N)  # (B, nh, M, N): M*N scores per head
        torch.testing.assert_close(w.sum(-1), torch.ones(3, 4, 6, device=device, dtype=F64))


def test_padded_inputs_change_nothing(device):
    # Batching inputs of different sizes: padding with a key-padding mask is exact.
    model = encoder(device)
    x = torch.randn(1, 5, 16, device=device, dtype=F64)
    padded = torch.cat([x, 100 * torch.randn(1, 4, 16, device=device, dtype=F64)], 1)
    pad = torch.tensor([[False] * 5 + [True] * 4], device=device)
    z_pad, _ = model(padded, key_padding_mask=pad)
    torch.testing.assert_close(z_pad, model(x)[0], atol=1e-12, rtol=0)


def test_duplicated_inputs_act_as_a_set_with_multiplicity(device):
    # No positions: inputs form a multiset. Duplicating every input leaves each
    # softmax weight halved and the read-out unchanged.
    model = encoder(device)
    x = torch.randn(2, 8, 16, device=device, dtype=F64)
    torch.testing.assert_close(model(torch.cat([x, x], 1))[0], model(x)[0], atol=1e-12, rtol=0)
