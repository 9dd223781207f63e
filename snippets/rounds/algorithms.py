"""Reference solutions for the algorithms round, one per core pattern.

Plain Python (no tensors): the round is about data structures, so every
function works on lists, strings and dicts. Each section is one pattern;
its docstring gives the sizes and the cost in time and extra memory.
"""

import heapq
from bisect import bisect_left
from collections import deque


# --8<-- [start:bfs]
def bfs_distances(adj, source):
    """Edges from `source` to every node of an unweighted graph.

    adj: list of neighbour lists, nodes 0..n-1. Returns a list of n ints,
    -1 where a node is unreachable. O(V + E) time, O(V) memory.
    """
    dist = [-1] * len(adj)
    dist[source] = 0
    queue = deque([source])
    while queue:
        u = queue.popleft()
        for v in adj[u]:
            if dist[v] == -1:  # first visit is the shortest: FIFO order
                dist[v] = dist[u] + 1
                queue.append(v)
    return dist


# --8<-- [end:bfs]


# --8<-- [start:dfs]
def count_islands(grid):
    """Connected groups of 1s in a grid, 4-neighbour adjacency.

    grid: list of R rows of C ints in {0, 1}; left unchanged.
    Iterative DFS (an explicit stack, no recursion limit to hit).
    O(R C) time and memory.
    """
    rows, cols = len(grid), len(grid[0]) if grid else 0
    seen = [[False] * cols for _ in range(rows)]
    islands = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != 1 or seen[r][c]:
                continue
            islands += 1
            seen[r][c] = True
            stack = [(r, c)]
            while stack:
                i, j = stack.pop()
                for a, b in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
                    inside = 0 <= a < rows and 0 <= b < cols
                    if inside and grid[a][b] == 1 and not seen[a][b]:
                        seen[a][b] = True  # mark on push, not on pop
                        stack.append((a, b))
    return islands


def has_cycle(n, edges):
    """Whether a directed graph on nodes 0..n-1 has a cycle.

    Three colours: 0 unvisited, 1 on the current DFS path, 2 finished.
    An edge into a node coloured 1 closes a cycle. O(V + E).
    """
    adj = [[] for _ in range(n)]
    for u, v in edges:
        adj[u].append(v)
    colour = [0] * n
    for start in range(n):
        if colour[start]:
            continue
        colour[start] = 1
        stack = [(start, iter(adj[start]))]
        while stack:
            u, children = stack[-1]
            v = next(children, None)
            if v is None:
                colour[u] = 2
                stack.pop()
            elif colour[v] == 1:
                return True
            elif colour[v] == 0:
                colour[v] = 1
                stack.append((v, iter(adj[v])))
    return False


# --8<-- [end:dfs]


# --8<-- [start:binary_search]
def first_true(lo, hi, pred):
    """Smallest x in [lo, hi] with pred(x) True, for a monotone pred.

    pred must be False...False True...True on [lo, hi]; returns hi + 1
    if it is never True. O(log(hi - lo)) calls to pred.
    """
    hi += 1  # search the half-open range [lo, hi)
    while lo < hi:
        mid = (lo + hi) // 2
        if pred(mid):
            hi = mid  # mid may be the answer: keep it
        else:
            lo = mid + 1
    return lo


def min_eating_speed(piles, hours):
    """Slowest integer speed k that eats all piles within `hours`.

    A pile of p takes ceil(p / k) hours. Search on the answer k in
    [1, max(piles)]: O(n log max(piles)) for n piles.
    """

    def fits(k):
        return sum((p + k - 1) // k for p in piles) <= hours

    return first_true(1, max(piles), fits)


# --8<-- [end:binary_search]


# --8<-- [start:two_pointers]
def three_sum(nums):
    """All distinct triples (a, b, c) from nums with a + b + c == 0.

    Sort, fix the smallest element, then close in from both ends of the
    rest. Skipping equal neighbours removes duplicates without a set.
    O(n^2) time, O(1) extra memory beyond the sort and the output.
    """
    nums = sorted(nums)
    out = []
    for i in range(len(nums) - 2):
        if nums[i] > 0:
            break  # the smallest is positive: no sum can reach 0
        if i > 0 and nums[i] == nums[i - 1]:
            continue
        lo, hi = i + 1, len(nums) - 1
        while lo < hi:
            s = nums[i] + nums[lo] + nums[hi]
            if s < 0:
                lo += 1
            elif s > 0:
                hi -= 1
            else:
                out.append((nums[i], nums[lo], nums[hi]))
                lo += 1
                while lo < hi and nums[lo] == nums[lo - 1]:
                    lo += 1
    return out


# --8<-- [end:two_pointers]


# --8<-- [start:sliding_window]
def longest_unique_run(s):
    """Length of the longest substring of s with no repeated character.

    Variable window [left, right]: on a repeat, jump left past the
    previous copy. O(n) time, O(alphabet) memory.
    """
    last = {}
    left = best = 0
    for right, ch in enumerate(s):
        if last.get(ch, -1) >= left:
            left = last[ch] + 1
        last[ch] = right
        best = max(best, right - left + 1)
    return best


def window_max(nums, k):
    """Maximum of every length-k window: n - k + 1 values.

    A deque of indices whose values decrease from front to back; the
    front is the current maximum. Each index enters and leaves once, so
    O(n) time, O(k) memory.
    """
    dq, out = deque(), []
    for i, x in enumerate(nums):
        while dq and nums[dq[-1]] <= x:
            dq.pop()  # dominated: it leaves before x and is no larger
        dq.append(i)
        if dq[0] <= i - k:
            dq.popleft()  # slid out of the window
        if i >= k - 1:
            out.append(nums[dq[0]])
    return out


# --8<-- [end:sliding_window]


# --8<-- [start:dp]
def lis_length(nums):
    """Length of the longest strictly increasing subsequence.

    tails[m] is the smallest value that ends an increasing subsequence
    of length m + 1; it is sorted, so each element costs one binary
    search. O(n log n) time, O(n) memory.
    """
    tails = []
    for x in nums:
        m = bisect_left(tails, x)  # bisect_left: strictly increasing
        if m == len(tails):
            tails.append(x)
        else:
            tails[m] = x
    return len(tails)


def edit_distance(a, b):
    """Fewest insertions, deletions and substitutions turning a into b.

    d[i][j] = distance between a[:i] and b[:j]; keep one row at a time.
    O(len(a) len(b)) time, O(len(b)) memory.
    """
    prev = list(range(len(b) + 1))  # from the empty prefix of a
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(
                prev[j] + 1,  # delete a[i-1]
                cur[j - 1] + 1,  # insert b[j-1]
                prev[j - 1] + (a[i - 1] != b[j - 1]),  # substitute
            )
        prev = cur
    return prev[-1]


# --8<-- [end:dp]


# --8<-- [start:backtracking]
def n_queens(n):
    """Number of ways to place n non-attacking queens on an n x n board.

    One queen per row; sets of used columns and diagonals (r - c and
    r + c are constant along each diagonal) make each check O(1).
    Choose, recurse, un-choose. Exponential time, O(n) memory.
    """
    cols, diag, anti = set(), set(), set()

    def place(r):
        if r == n:
            return 1
        count = 0
        for c in range(n):
            if c in cols or r - c in diag or r + c in anti:
                continue
            cols.add(c)
            diag.add(r - c)
            anti.add(r + c)
            count += place(r + 1)
            cols.remove(c)  # un-choose before trying the next column
            diag.remove(r - c)
            anti.remove(r + c)
        return count

    return place(0)


def subsets(nums):
    """All 2^n subsets of distinct nums, each as a list in input order."""
    out, path = [], []

    def grow(i):
        if i == len(nums):
            out.append(path.copy())
            return
        grow(i + 1)  # leave nums[i] out
        path.append(nums[i])
        grow(i + 1)  # take it
        path.pop()

    grow(0)
    return out


# --8<-- [end:backtracking]


# --8<-- [start:heap]
def top_k(nums, k):
    """The k largest values, largest first, via a size-k min-heap.

    The heap's root is the smallest of the best k so far; a new value
    replaces it only if larger. O(n log k) time, O(k) memory.
    """
    heap = []
    for x in nums:
        if len(heap) < k:
            heapq.heappush(heap, x)
        elif x > heap[0]:
            heapq.heapreplace(heap, x)
    return sorted(heap, reverse=True)


def merge_sorted(lists):
    """Merge k sorted lists into one sorted list: O(N log k) for N items.

    The heap holds one (value, list index, position) per list; the
    list index breaks ties so values are never compared with positions.
    """
    heap = [(lst[0], i, 0) for i, lst in enumerate(lists) if lst]
    heapq.heapify(heap)
    out = []
    while heap:
        value, i, j = heapq.heappop(heap)
        out.append(value)
        if j + 1 < len(lists[i]):
            heapq.heappush(heap, (lists[i][j + 1], i, j + 1))
    return out


# --8<-- [end:heap]


# --8<-- [start:trees]
class Node:
    """A binary-tree node."""

    def __init__(self, val, left=None, right=None):
        self.val, self.left, self.right = val, left, right


def diameter(root):
    """Edges on the longest path between any two nodes (0 for one node).

    One post-order pass: each node returns its height, and the longest
    path through it is left height + right height. O(n) time, O(h) stack.
    """
    best = 0

    def height(node):  # nodes on the longest downward path
        nonlocal best
        if node is None:
            return 0
        hl, hr = height(node.left), height(node.right)
        best = max(best, hl + hr)
        return 1 + max(hl, hr)

    height(root)
    return best


def lowest_common_ancestor(root, p, q):
    """Deepest node with both p and q (nodes of the tree) below or at it.

    Each call returns p, q, their LCA, or None for its subtree. If both
    sides return something, this node is where the paths split. O(n).
    """
    if root is None or root is p or root is q:
        return root
    left = lowest_common_ancestor(root.left, p, q)
    right = lowest_common_ancestor(root.right, p, q)
    if left and right:
        return root
    return left or right


# --8<-- [end:trees]


# --8<-- [start:serialize]
def serialize(root):
    """Pre-order values with '#' for empty children, comma-separated."""
    out = []

    def walk(node):
        if node is None:
            out.append("#")
            return
        out.append(str(node.val))
        walk(node.left)
        walk(node.right)

    walk(root)
    return ",".join(out)


def deserialize(text):
    """Inverse of `serialize`: rebuild the tree from its pre-order."""
    tokens = iter(text.split(","))

    def build():
        tok = next(tokens)
        if tok == "#":
            return None
        node = Node(int(tok))
        node.left, node.right = build(), build()
        return node

    return build()


# --8<-- [end:serialize]
