import torch

from snippets.topics.ml.knn import knn_predict


def line_data(device):
    # x:      0  1  3  4  10
    # class:  0  0  1  1   2
    X = torch.tensor([[0.0], [1.0], [3.0], [4.0], [10.0]], device=device)
    y = torch.tensor([0, 0, 1, 1, 2], device=device)
    return X, y


def predict(X, y, queries, k, n_classes=3):
    q = torch.tensor(queries, device=X.device).reshape(-1, X.size(1))
    return knn_predict(X, y, q, k, n_classes).tolist()


def test_k1_by_hand(device):
    X, y = line_data(device)
    # 0.4 -> x=0; 2.9 -> x=3; 7.0 is 3 from both x=4 and x=10: the tie in
    # distance goes to the lower index (x=4, class 1).
    assert predict(X, y, [0.4, 2.9, 7.0, 9.0], k=1) == [0, 1, 1, 2]


def test_k3_by_hand(device):
    X, y = line_data(device)
    # 0.4: {0, 1, 3} -> votes 0,0,1 -> 0.
    # 2.9: {3, 4, 1} -> 1,1,0 -> 1.
    # 7.2: {10 (2.8), 4 (3.2), 3 (4.2)} -> 2,1,1: the majority (1) beats
    #      the single nearest neighbour (2).
    assert predict(X, y, [0.4, 2.9, 7.2], k=3) == [0, 1, 1]


def test_vote_ties_go_to_the_nearest_class(device):
    X, y = line_data(device)
    # k = 2 at 2.4: {3 (0.6, class 1), 1 (1.4, class 0)}: 1–1, nearest is 1.
    # k = 2 at 1.9: {1 (0.9, class 0), 3 (1.1, class 1)}: 1–1, nearest is 0.
    assert predict(X, y, [2.4, 1.9], k=2) == [1, 0]
    # Three classes, one vote each: the nearest (class 2 at distance 1)
    # wins, not the smallest label.
    X3 = torch.tensor([[1.0, 0.0], [0.0, 2.0], [-3.0, 0.0]], device=device)
    y3 = torch.tensor([2, 0, 1], device=device)
    assert predict(X3, y3, [0.0, 0.0], k=3) == [2]


def test_matches_brute_force_reference(device):
    X = torch.randint(0, 5, (40, 2), device=device).float()  # many ties
    y = torch.randint(0, 3, (40,), device=device)
    Q = torch.randint(0, 5, (30, 2), device=device).float()
    ours = knn_predict(X, y, Q, k=5, n_classes=3).tolist()
    Xl, yl = X.tolist(), y.tolist()
    for q, got in zip(Q.tolist(), ours, strict=True):
        dist = [(a - q[0]) ** 2 + (b - q[1]) ** 2 for a, b in Xl]
        order = sorted(range(40), key=lambda i: (dist[i], i))[:5]
        labels = [yl[i] for i in order]
        best = max(
            range(3), key=lambda c: (labels.count(c), -labels.index(c) if c in labels else -9)
        )
        assert got == best
