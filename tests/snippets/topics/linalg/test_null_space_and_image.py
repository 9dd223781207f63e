import pytest
import torch

from snippets.topics.linalg.null_space_and_image import (
    fundamental_subspaces,
    null_space,
    projector,
)

F64 = torch.float64


def hand_built(device):
    # Column 2 = column 0 + column 1 and column 3 = 2·column 0: rank 2,
    # null space spanned by (1, 1, −1, 0) and (2, 0, 0, −1).
    A = torch.tensor(
        [[1.0, 0.0, 1.0, 2.0], [0.0, 1.0, 1.0, 0.0], [1.0, 1.0, 2.0, 2.0]],
        dtype=F64,
        device=device,
    )
    known_null = torch.tensor(
        [[1.0, 1.0, -1.0, 0.0], [2.0, 0.0, 0.0, -1.0]], dtype=F64, device=device
    ).T
    return A, known_null


def test_null_space_of_hand_built_matrix(device):
    A, known_null = hand_built(device)
    Z = null_space(A)
    assert Z.shape == (4, 2)
    tol = dict(atol=1e-12, rtol=0)
    torch.testing.assert_close(A @ Z, torch.zeros(3, 2, dtype=F64, device=device), **tol)
    torch.testing.assert_close(Z.T @ Z, torch.eye(2, dtype=F64, device=device), **tol)
    # Same subspace as the hand-derived basis: equal orthogonal projectors.
    Qk, _ = torch.linalg.qr(known_null)
    torch.testing.assert_close(projector(Z), projector(Qk), **tol)
    # The image is spanned by the first two columns (and row 2 = row 0 + row 1,
    # so the left null space is spanned by (1, 1, −1)).
    S = fundamental_subspaces(A)
    Qi, _ = torch.linalg.qr(A[:, :2])
    torch.testing.assert_close(projector(S["image"]), projector(Qi), **tol)
    y = torch.tensor([1.0, 1.0, -1.0], dtype=F64, device=device) / 3**0.5
    torch.testing.assert_close(projector(S["left_null"]), torch.outer(y, y), **tol)


def test_edge_cases(device):
    assert null_space(torch.eye(5, dtype=F64, device=device)).shape == (5, 0)
    assert null_space(torch.zeros(2, 3, dtype=F64, device=device)).shape == (3, 3)
    v = torch.tensor([4.0, 5.0], dtype=F64, device=device)
    u = torch.tensor([1.0, 2.0, 3.0], dtype=F64, device=device)
    assert null_space(torch.outer(v, u)).shape == (3, 2)


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (5, 5)])
def test_rank_nullity_and_orthogonal_complements(shape, device):
    M, N = shape
    tol = dict(atol=1e-12, rtol=0)
    for r in range(min(M, N) + 1):
        A = torch.randn(M, r, dtype=F64, device=device) @ torch.randn(
            r, N, dtype=F64, device=device
        )
        S = fundamental_subspaces(A)
        rank = torch.linalg.matrix_rank(A).item()
        # Rank–nullity: dim image + dim null = N; and on the other side M.
        assert S["image"].size(1) == S["row"].size(1) == rank == r
        assert S["row"].size(1) + S["null"].size(1) == N
        assert S["image"].size(1) + S["left_null"].size(1) == M
        torch.testing.assert_close(
            A @ S["null"], torch.zeros(M, N - r, dtype=F64, device=device), **tol
        )
        torch.testing.assert_close(
            A.T @ S["left_null"], torch.zeros(N, M - r, dtype=F64, device=device), **tol
        )
        # Row space ⊥ null space, and together they fill R^N.
        eye_n = torch.eye(N, dtype=F64, device=device)
        torch.testing.assert_close(projector(S["row"]) + projector(S["null"]), eye_n, **tol)
        # Projecting onto the image leaves Ax unchanged; projectors are idempotent.
        P = projector(S["image"])
        x = torch.randn(N, dtype=F64, device=device)
        torch.testing.assert_close(P @ (A @ x), A @ x, **tol)
        torch.testing.assert_close(P @ P, P, **tol)


def test_image_projector_matches_pinv(device):
    # A A⁺ is the orthogonal projector onto the image.
    A = torch.randn(6, 2, dtype=F64, device=device) @ torch.randn(2, 5, dtype=F64, device=device)
    P = projector(fundamental_subspaces(A)["image"])
    torch.testing.assert_close(P, A @ torch.linalg.pinv(A), atol=1e-10, rtol=0)
