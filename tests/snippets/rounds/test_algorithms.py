"""Each pattern's solution against a brute force on seeded random inputs.

The brute forces are deliberately different algorithms (Floyd-Warshall,
union-find, exhaustive enumeration, linear scans), so a shared mistake
cannot make both sides agree. Every comparison is exact: integers only.
"""

import random
from itertools import combinations, pairwise

import pytest

from snippets.rounds.algorithms import (
    Node,
    bfs_distances,
    count_islands,
    deserialize,
    diameter,
    edit_distance,
    first_true,
    has_cycle,
    lis_length,
    longest_unique_run,
    lowest_common_ancestor,
    merge_sorted,
    min_eating_speed,
    n_queens,
    serialize,
    subsets,
    three_sum,
    top_k,
    window_max,
)

INF = float("inf")


def random_digraph(rng, n, p):
    return [(u, v) for u in range(n) for v in range(n) if rng.random() < p]


def floyd_warshall(n, edges):
    """All-pairs shortest path lengths with unit weights, O(n^3)."""
    d = [[0 if i == j else INF for j in range(n)] for i in range(n)]
    for u, v in edges:
        if u != v:
            d[u][v] = 1
    for k in range(n):
        for i in range(n):
            for j in range(n):
                d[i][j] = min(d[i][j], d[i][k] + d[k][j])
    return d


def test_bfs_matches_floyd_warshall():
    rng = random.Random(0)
    for trial in range(60):
        n = rng.randint(1, 12)
        edges = random_digraph(rng, n, rng.choice([0.1, 0.2, 0.4]))
        adj = [[] for _ in range(n)]
        for u, v in edges:
            adj[u].append(v)
        d = floyd_warshall(n, edges)
        for s in range(n):
            expected = [-1 if x == INF else x for x in d[s]]
            assert bfs_distances(adj, s) == expected, (trial, s)


def test_bfs_hand_case():
    # 0 - 1 - 2 - 3 as an undirected path, plus an isolated node 4.
    adj = [[1], [0, 2], [1, 3], [2], []]
    assert bfs_distances(adj, 0) == [0, 1, 2, 3, -1]


def islands_union_find(grid):
    rows, cols = len(grid), len(grid[0])
    parent = list(range(rows * cols))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != 1:
                continue
            for a, b in ((r + 1, c), (r, c + 1)):
                if a < rows and b < cols and grid[a][b] == 1:
                    parent[find(a * cols + b)] = find(r * cols + c)
    roots = {find(r * cols + c) for r in range(rows) for c in range(cols) if grid[r][c] == 1}
    return len(roots)


def test_islands_match_union_find():
    rng = random.Random(1)
    for _ in range(200):
        rows, cols = rng.randint(1, 8), rng.randint(1, 8)
        p = rng.choice([0.3, 0.5, 0.7])
        grid = [[int(rng.random() < p) for _ in range(cols)] for _ in range(rows)]
        copy = [row[:] for row in grid]
        assert count_islands(grid) == islands_union_find(grid)
        assert grid == copy  # the input is not modified


def test_islands_hand_case():
    grid = [[1, 1, 0, 0], [0, 1, 0, 1], [1, 0, 0, 1]]
    assert count_islands(grid) == 3  # diagonal contact does not join


def test_cycle_matches_reachability():
    rng = random.Random(2)
    seen = {True: 0, False: 0}
    for _ in range(300):
        n = rng.randint(1, 9)
        edges = random_digraph(rng, n, rng.choice([0.05, 0.1, 0.2]))
        # A cycle exists iff some node reaches itself by a non-empty path.
        reach = [[False] * n for _ in range(n)]
        for u, v in edges:
            reach[u][v] = True
        for k in range(n):
            for i in range(n):
                for j in range(n):
                    reach[i][j] |= reach[i][k] and reach[k][j]
        expected = any(reach[i][i] for i in range(n))
        assert has_cycle(n, edges) == expected
        seen[expected] += 1
    assert min(seen.values()) > 30  # both outcomes were exercised


def test_first_true_matches_linear_scan():
    rng = random.Random(3)
    for _ in range(500):
        lo = rng.randint(-20, 20)
        hi = lo + rng.randint(0, 40)
        t = rng.randint(lo - 2, hi + 2)  # threshold, possibly outside

        def pred(x, t=t):
            return x >= t

        linear = next((x for x in range(lo, hi + 1) if pred(x)), hi + 1)
        assert first_true(lo, hi, pred) == linear


def test_min_eating_speed_matches_linear_scan():
    rng = random.Random(4)
    for _ in range(200):
        piles = [rng.randint(1, 40) for _ in range(rng.randint(1, 8))]
        hours = rng.randint(len(piles), len(piles) + 30)
        linear = next(
            k for k in range(1, max(piles) + 1) if sum(-(-p // k) for p in piles) <= hours
        )
        assert min_eating_speed(piles, hours) == linear
    assert min_eating_speed([3, 6, 7, 11], 8) == 4  # the classic example


def test_three_sum_matches_brute_force():
    rng = random.Random(5)
    for _ in range(300):
        nums = [rng.randint(-6, 6) for _ in range(rng.randint(0, 12))]
        brute = {tuple(sorted(t)) for t in combinations(nums, 3) if sum(t) == 0}
        got = three_sum(nums)
        assert len(got) == len(set(got))  # no duplicate triples
        assert set(got) == brute


def test_longest_unique_run_matches_brute_force():
    rng = random.Random(6)
    for _ in range(300):
        s = "".join(rng.choice("abcd") for _ in range(rng.randint(0, 14)))
        brute = max(
            (
                j - i
                for i in range(len(s) + 1)
                for j in range(i, len(s) + 1)
                if len(set(s[i:j])) == j - i
            ),
            default=0,
        )
        assert longest_unique_run(s) == brute
    assert longest_unique_run("abcabcbb") == 3
    assert longest_unique_run("abba") == 2  # left must never move back


def test_window_max_matches_naive():
    rng = random.Random(7)
    for _ in range(300):
        nums = [rng.randint(-5, 5) for _ in range(rng.randint(1, 15))]
        k = rng.randint(1, len(nums))
        naive = [max(nums[i : i + k]) for i in range(len(nums) - k + 1)]
        assert window_max(nums, k) == naive


def test_lis_matches_brute_force():
    rng = random.Random(8)
    for _ in range(200):
        nums = [rng.randint(0, 6) for _ in range(rng.randint(0, 10))]
        brute = max(
            (
                r
                for r in range(len(nums) + 1)
                for sub in combinations(nums, r)
                if all(a < b for a, b in pairwise(sub))
            ),
            default=0,
        )
        assert lis_length(nums) == brute
    assert lis_length([10, 9, 2, 5, 3, 7, 101, 18]) == 4
    assert lis_length([7, 7, 7]) == 1  # strictly increasing


def edit_distance_naive(a, b):
    """Exhaustive recursion on the last characters: exponential time."""
    if not a or not b:
        return len(a) + len(b)
    return min(
        edit_distance_naive(a[:-1], b) + 1,
        edit_distance_naive(a, b[:-1]) + 1,
        edit_distance_naive(a[:-1], b[:-1]) + (a[-1] != b[-1]),
    )


def test_edit_distance_matches_naive():
    rng = random.Random(9)
    for _ in range(150):
        a = "".join(rng.choice("ab") for _ in range(rng.randint(0, 5)))
        b = "".join(rng.choice("abc") for _ in range(rng.randint(0, 5)))
        assert edit_distance(a, b) == edit_distance_naive(a, b)
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("horse", "ros") == 3


def test_n_queens_counts():
    # OEIS A000170 for n = 1..8.
    counts = [n_queens(n) for n in range(1, 9)]
    assert counts == [1, 0, 0, 2, 10, 4, 40, 92]


def test_subsets_match_itertools():
    for n in range(0, 7):
        nums = list(range(10, 10 + n))
        got = subsets(nums)
        assert len(got) == 2**n
        expected = {c for r in range(n + 1) for c in combinations(nums, r)}
        assert {tuple(s) for s in got} == expected


def test_top_k_matches_sorted():
    rng = random.Random(10)
    for _ in range(300):
        nums = [rng.randint(-9, 9) for _ in range(rng.randint(1, 20))]
        k = rng.randint(1, len(nums))
        assert top_k(nums, k) == sorted(nums, reverse=True)[:k]


def test_merge_sorted_matches_sorted():
    rng = random.Random(11)
    for _ in range(300):
        lists = [
            sorted(rng.randint(-9, 9) for _ in range(rng.randint(0, 6)))
            for _ in range(rng.randint(0, 6))
        ]
        assert merge_sorted(lists) == sorted(x for lst in lists for x in lst)


def random_tree(rng, n):
    """A random binary tree of n nodes (values 0..n-1) and its node list."""
    nodes = [Node(0)]
    for val in range(1, n):
        node = Node(val)
        while True:
            parent = rng.choice(nodes)
            side = rng.choice(("left", "right"))
            if getattr(parent, side) is None:
                setattr(parent, side, node)
                break
        nodes.append(node)
    return nodes[0], nodes


def parents_of(root):
    parent, stack = {root: None}, [root]
    while stack:
        node = stack.pop()
        for child in (node.left, node.right):
            if child is not None:
                parent[child] = node
                stack.append(child)
    return parent


def test_diameter_matches_all_pairs():
    rng = random.Random(12)
    for _ in range(100):
        n = rng.randint(1, 14)
        root, _ = random_tree(rng, n)
        parent = parents_of(root)
        edges = []
        for child, up in parent.items():
            if up is not None:  # both directions: an undirected tree
                edges += [(child.val, up.val), (up.val, child.val)]
        d = floyd_warshall(n, edges)
        assert diameter(root) == max(max(row) for row in d)


def test_lca_matches_ancestor_sets():
    rng = random.Random(13)
    for _ in range(100):
        root, nodes = random_tree(rng, rng.randint(1, 14))
        parent = parents_of(root)

        def path_up(node, parent=parent):
            out = []
            while node is not None:
                out.append(node)
                node = parent[node]
            return out  # node, its parent, ..., root

        for _ in range(5):
            p, q = rng.choice(nodes), rng.choice(nodes)
            ancestors_q = set(path_up(q))
            deepest = next(a for a in path_up(p) if a in ancestors_q)
            assert lowest_common_ancestor(root, p, q) is deepest


def test_serialize_round_trip():
    rng = random.Random(14)
    for _ in range(100):
        root, _ = random_tree(rng, rng.randint(1, 14))
        text = serialize(root)
        again = deserialize(text)
        assert serialize(again) == text
        assert diameter(again) == diameter(root)
    # 1 with left child 2 and right child 3, whose left child is 4.
    tree = Node(1, Node(2), Node(3, Node(4)))
    assert serialize(tree) == "1,2,#,#,3,4,#,#,#"
    assert serialize(deserialize("#")) == "#"


@pytest.mark.parametrize("n", [0, 1])
def test_empty_and_single_inputs(n):
    assert lis_length(list(range(n))) == n
    assert longest_unique_run("x" * n) == n
    assert three_sum([0] * n) == []
