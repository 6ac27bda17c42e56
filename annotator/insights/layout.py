"""A force-directed layout (Fruchterman-Reingold, vectorised with numpy) that stays put.

Seeded, so the same graph gives the same picture; warm-started from earlier positions, so a
refresh (a new quote, a changed filter) moves the nodes a little instead of drawing a new
picture. Positions are in a square of side ``sqrt(n)`` around the origin (one unit per node).
"""
from __future__ import annotations

import numpy as np

GRAVITY = 1.0  # strong enough to keep unconnected groups near each other


def force_layout(nodes, edges, *, previous: dict | None = None, seed: int = 7,
                 iterations: int | None = None) -> dict:
    """Positions ``{node: (x, y)}`` of ``nodes`` (ids) tied by ``edges`` ``(a, b, weight)``.

    Nodes found in ``previous`` start where they were and the layout only cools them from a
    low temperature; new nodes start beside their placed neighbours (or at a seeded random
    spot). Repulsion between every pair, attraction along ties (stronger with the weight,
    weaker between nodes with many ties) and a pull to the centre keep groups apart but in view.
    """
    nodes = list(nodes)
    n = len(nodes)
    if n == 0:
        return {}
    previous = previous or {}
    index = {node: i for i, node in enumerate(nodes)}
    rng = np.random.default_rng(seed)
    side = np.sqrt(n)
    pos = rng.uniform(-side / 2, side / 2, size=(n, 2))
    known = np.array([node in previous for node in nodes])
    for node, i in index.items():
        if node in previous:
            pos[i] = previous[node]
    src, dst, w = [], [], []
    for a, b, weight in edges:
        if a in index and b in index and a != b:
            src.append(index[a])
            dst.append(index[b])
            w.append(float(weight))
    src, dst, w = np.array(src, int), np.array(dst, int), np.array(w, float)
    if known.any() and not known.all() and len(src):
        # a new node starts at the mean of its already placed neighbours, slightly jittered
        acc = np.zeros((n, 2))
        cnt = np.zeros(n)
        for a, b in ((src, dst), (dst, src)):
            mask = known[b] & ~known[a]
            np.add.at(acc, a[mask], pos[b[mask]])
            np.add.at(cnt, a[mask], 1)
        fresh = cnt > 0
        pos[fresh] = acc[fresh] / cnt[fresh, None] + rng.normal(0, 0.3, (fresh.sum(), 2))
    warm = known.mean() > 0.5
    if iterations is None:
        iterations = 30 if warm else 200
    k = 1.0  # ideal distance: one unit per node in a sqrt(n) square
    strength = np.log1p(w) + 1 if len(w) else w
    if len(src):  # a tie of two well-tied nodes pulls less, so dense groups do not collapse
        degree = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
        strength = strength * 2 / np.sqrt(degree[src] * degree[dst] + 3)
    temperature = (0.04 if warm else 1.0) * side / 4
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        dx = pos[:, 0, None] - pos[None, :, 0]
        dy = pos[:, 1, None] - pos[None, :, 1]
        dist2 = dx * dx + dy * dy
        np.fill_diagonal(dist2, 1.0)
        push = (k * k) / np.maximum(dist2, 1e-4)                # repulsion k^2 / d
        np.fill_diagonal(push, 0.0)
        disp = np.stack([(dx * push).sum(axis=1), (dy * push).sum(axis=1)], axis=1)
        if len(src):
            d = pos[src] - pos[dst]
            dist = np.sqrt(np.einsum("ij,ij->i", d, d)) + 1e-9
            pull = d * (dist * strength / k)[:, None]          # attraction d^2 / k
            for axis in (0, 1):
                disp[:, axis] += np.bincount(dst, pull[:, axis], n) - \
                    np.bincount(src, pull[:, axis], n)
        disp -= pos * GRAVITY                                   # pull to the centre
        length = np.sqrt(np.einsum("ij,ij->i", disp, disp)) + 1e-9
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature = max(temperature - cooling, 1e-3)
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for node, i in index.items()}


def movement(before: dict, after: dict) -> float:
    """Mean distance moved by the nodes present in both layouts (0 when none)."""
    common = [k for k in after if k in before]
    if not common:
        return 0.0
    a = np.array([before[k] for k in common])
    b = np.array([after[k] for k in common])
    return float(np.sqrt(((a - b) ** 2).sum(axis=1)).mean())
