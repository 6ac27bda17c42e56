"""Agreement coefficients, small and dependency-free (checked against ``krippendorff`` in tests).

- ``krippendorff_alpha``: Krippendorff's alpha for coded units (nominal, ordinal, interval),
  any number of coders, missing values allowed (coincidence-matrix form, Krippendorff 2011).
- ``cohen_kappa``: Cohen's kappa for two coders, unweighted or with linear weights on ranks.
- ``unitizing_alpha``: Krippendorff's alpha_U for unitizing a continuum (Krippendorff 1995,
  2004: 251-256) for one category: how well coders agree on where units begin and end.
- ``f1``: F1 of two sets of units given the number matched.

Every function returns ``None`` where the coefficient is undefined (no pairable values, or no
variation at all, so expected disagreement is zero).
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from itertools import accumulate

LEVELS = ("nominal", "ordinal", "interval")


def counted(rows) -> dict:
    """{tuple of values: how many rows have them}: a dict passes through (rows that repeat,
    as positions and speakers do, are then computed once)."""
    return rows if isinstance(rows, dict) else Counter(map(tuple, rows))


def coincidences(units) -> dict:
    """Coincidence matrix {(c, k): o_ck} of units (each a list of values, None = missing; or
    ``counted`` units); a unit with fewer than two values is not pairable and adds nothing."""
    o: dict = {}
    get = o.get
    pairs: Counter = Counter()
    for values, times in counted(units).items():
        vals = [v for v in values if v is not None] if None in values else values
        m = len(vals)
        if m == 2:
            pairs[vals[0], vals[1]] += times
        elif m > 2:
            w = times / (m - 1)
            for i, a in enumerate(vals):
                for j, b in enumerate(vals):
                    if i != j:
                        o[a, b] = get((a, b), 0.0) + w
    for (a, b), count in pairs.items():
        o[a, b] = get((a, b), 0.0) + count
        o[b, a] = get((b, a), 0.0) + count
    return o


def _delta(level: str, marginals: dict, order=None):
    """The squared difference function delta^2(c, k) of a level of measurement."""
    if level == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if level == "interval":
        return lambda c, k: float(c - k) ** 2
    if level != "ordinal":
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    domain = list(order) if order is not None else sorted(marginals)
    rank = {v: i for i, v in enumerate(domain)}
    cum = [0.0, *accumulate(marginals.get(v, 0.0) for v in domain)]

    def ordinal(c, k):
        a, b = sorted((rank[c], rank[k]))
        return (cum[b + 1] - cum[a] - (marginals.get(c, 0.0) + marginals.get(k, 0.0)) / 2) ** 2
    return ordinal


def krippendorff_alpha(units, level: str = "nominal", order=None) -> float | None:
    """Krippendorff's alpha of ``units`` (per-unit value lists, None = missing; or ``counted``).

    alpha = 1 - D_o / D_e with D_o = sum o_ck d2(c,k) / n and D_e = sum n_c n_k d2(c,k) /
    (n (n - 1)). ``ordinal`` ranks values by ``order`` (default: sorted); ``interval`` takes
    them as numbers.
    """
    o = coincidences(units)
    marginals: dict = {}
    for (c, _k), v in o.items():
        marginals[c] = marginals.get(c, 0.0) + v
    n = sum(marginals.values())
    if n <= 1:
        return None
    if level == "nominal":   # d2 is 0 or 1: the sums without the double loop
        d_o = sum(v for (c, k), v in o.items() if c != k) / n
        d_e = (n * n - sum(nc * nc for nc in marginals.values())) / (n * (n - 1))
    else:
        delta = _delta(level, marginals, order)
        d_o = sum(v * delta(c, k) for (c, k), v in o.items()) / n
        d_e = sum(nc * nk * delta(c, k) for c, nc in marginals.items()
                  for k, nk in marginals.items()) / (n * (n - 1))
    if d_e == 0:
        return None
    return 1.0 - d_o / d_e


def cohen_kappa(pairs, *, order=None) -> float | None:
    """Cohen's kappa of two coders' values on the same units (pairs with a None are left out;
    or ``counted`` pairs).

    Unweighted without ``order``; with ``order`` (the values from low to high), linearly
    weighted: disagreement |rank(a) - rank(b)| / (V - 1).
    """
    pairs = {p: n for p, n in counted(pairs).items() if None not in p}
    n = sum(pairs.values())
    if not n:
        return None
    ca, cb = Counter(), Counter()
    for (a, b), times in pairs.items():
        ca[a] += times
        cb[b] += times
    if order is None:
        observed = sum(times for (a, b), times in pairs.items() if a != b) / n
        expected = 1.0 - sum(ca[v] * cb[v] for v in ca) / (n * n)
    else:
        rank = {v: i for i, v in enumerate(order)}
        span = max(len(order) - 1, 1)
        w = lambda a, b: abs(rank[a] - rank[b]) / span  # noqa: E731
        observed = sum(w(a, b) * times for (a, b), times in pairs.items()) / n
        expected = sum(ca[a] * cb[b] * w(a, b) for a in ca for b in cb) / (n * n)
    if expected == 0:
        return None
    return 1.0 - observed / expected


def f1(matched: int, n_a: int, n_b: int) -> float | None:
    """F1 of two sets of units of which ``matched`` pairs match (None when both are empty)."""
    return None if n_a + n_b == 0 else 2.0 * matched / (n_a + n_b)


# -- unitizing ---------------------------------------------------------------------------------

def segments(units, begin: int, length: int) -> list[tuple[int, int, bool]]:
    """The continuum [begin, begin + length) cut into (start, length, is_unit) sections; one
    coder's overlapping units are joined."""
    out, pos, last = [], begin, None
    for s, e in sorted(units):
        if e <= s:
            continue
        if last is not None and s < pos:          # overlaps the unit before: join them
            if e > pos:
                out[-1] = (last, e - last, True)
                pos = e
            continue
        if s > pos:
            out.append((pos, s - pos, False))
        out.append((s, e - s, True))
        last, pos = s, e
    if pos < begin + length:
        out.append((pos, begin + length - pos, False))
    return out


def unit_distance(b1: int, l1: int, u1: bool, b2: int, l2: int, u2: bool) -> float:
    """Krippendorff's delta^2 between two sections of two coders.

    Two overlapping units: the squared differences of their starts and of their ends. A unit
    lying wholly inside the other coder's gap: its length squared. Anything else: 0.
    """
    diff = b1 - b2
    if u1 and u2 and -l1 < diff < l2:
        return float(diff * diff + (diff + l1 - l2) ** 2)
    if u1 and not u2 and 0 <= diff <= l2 - l1:
        return float(l1 * l1)
    if u2 and not u1 and 0 <= -diff <= l1 - l2:
        return float(l2 * l2)
    return 0.0


def unitizing_parts(coders, length: int, begin: int = 0) -> tuple[float, float] | None:
    """(D_o, D_e) of alpha_U for ``coders`` (each a list of (start, end) units) over the
    continuum [begin, begin + length); None without two coders or with no unit at all."""
    r = len(coders)
    if r < 2 or length <= 0:
        return None
    segs = [segments(units, begin, length) for units in coders]
    observed = 0.0
    for i in range(r):
        for j in range(i + 1, r):
            a, b, x, y = segs[i], segs[j], 0, 0
            na, nb = len(a), len(b)
            while x < na and y < nb:  # every overlapping pair of sections, once
                b1, l1, u1 = a[x]
                b2, l2, u2 = b[y]
                if u1 or u2:
                    observed += unit_distance(b1, l1, u1, b2, l2, u2)
                end_a, end_b = b1 + l1, b2 + l2
                x += end_a <= end_b
                y += end_b <= end_a
    d_o = 2.0 * observed / (r * (r - 1) * length * length)
    lengths = [ln for sg in segs for _s, ln, unit in sg if unit]
    if not lengths:
        return None
    gaps = sorted(ln for sg in segs for _s, ln, unit in sg if not unit)
    suffix = [0, *accumulate(reversed(gaps))][::-1]  # suffix[i] = sum(gaps[i:])
    n = len(lengths)
    total = 0.0
    for ln in lengths:
        i = bisect_left(gaps, ln)
        fits = suffix[i] - (ln - 1) * (len(gaps) - i)   # sum over gaps g >= ln of (g - ln + 1)
        total += (n - 1) * (2 * ln ** 3 - 3 * ln ** 2 + ln) / 3 + ln * ln * fits
    denominator = r * length * (r * length - 1) - sum(ln * (ln - 1) for ln in lengths)
    d_e = (2.0 / length) * total / denominator if denominator else 0.0
    return d_o, d_e


def unitizing_alpha(coders, length: int, begin: int = 0) -> float | None:
    """Krippendorff's alpha_U = 1 - D_o / D_e for one category (None when undefined)."""
    parts = unitizing_parts(coders, length, begin)
    if parts is None or parts[1] == 0:
        return None
    return 1.0 - parts[0] / parts[1]
