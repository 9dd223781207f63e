"""Pipeline schedules (GPipe and 1F1B) and an event simulator that
measures the bubble and the activations each stage must keep."""


# --8<-- [start:schedules]
def gpipe(p, m):
    """Every stage: all m forwards, then all m backwards."""
    ops = [("F", j) for j in range(m)] + [("B", j) for j in range(m)]
    return [list(ops) for _ in range(p)]


def one_f_one_b(p, m):
    """Stage s runs p-s-1 warm-up forwards, then alternates one forward
    and one backward, then drains the remaining backwards."""
    orders = []
    for s in range(p):
        warm = min(p - s - 1, m)
        ops = [("F", j) for j in range(warm)]
        for j in range(m - warm):
            ops += [("F", warm + j), ("B", j)]
        ops += [("B", j) for j in range(m - warm, m)]
        orders.append(ops)
    return orders


# --8<-- [end:schedules]


# --8<-- [start:simulate]
def simulate(orders, t_f=1.0, t_b=2.0):
    """Run each stage's ops in its order, each as soon as its input exists.

    orders[s]: list of ("F" | "B", micro-batch) for stage s. F(s, j) needs
    F(s-1, j); B(s, j) needs B(s+1, j), or F(s, j) on the last stage.
    Returns makespan, bubble fraction (idle share of p · makespan), the
    peak number of micro-batches whose activations each stage keeps, and
    the (start, end, kind, j) of every op per stage.
    """
    p = len(orders)
    finish, free, pos = {}, [0.0] * p, [0] * p
    timeline = [[] for _ in range(p)]
    while any(pos[s] < len(orders[s]) for s in range(p)):
        progressed = False
        for s in range(p):
            if pos[s] == len(orders[s]):
                continue
            kind, j = orders[s][pos[s]]
            if kind == "F":
                dep = ("F", s - 1, j) if s > 0 else None
            else:
                dep = ("B", s + 1, j) if s < p - 1 else ("F", s, j)
            if dep is not None and dep not in finish:
                continue  # input not produced yet: try another stage
            start = max(free[s], finish[dep] if dep else 0.0)
            free[s] = start + (t_f if kind == "F" else t_b)
            finish[(kind, s, j)] = free[s]
            timeline[s].append((start, free[s], kind, j))
            pos[s] += 1
            progressed = True
        if not progressed:
            raise ValueError("the schedule deadlocks")
    makespan = max(free)
    busy = sum(end - start for row in timeline for start, end, _, _ in row)
    peak = []
    for ops in orders:  # a forward stores activations, its backward frees
        live = [0]
        for kind, _ in ops:
            live.append(live[-1] + (1 if kind == "F" else -1))
        peak.append(max(live))
    return makespan, 1 - busy / (p * makespan), peak, timeline


def render(timeline, unit=1.0):
    """One text row per stage: F / B per time unit busy, '.' when idle."""
    end = max(e for row in timeline for _, e, _, _ in row)
    rows = []
    for s, row in enumerate(timeline):
        cells = ["."] * round(end / unit)
        for start, stop, kind, _ in row:
            for t in range(round(start / unit), round(stop / unit)):
                cells[t] = kind
        rows.append(f"stage {s}: " + "".join(cells))
    return "\n".join(rows)


# --8<-- [end:simulate]
