"""Counts that describe a project: corpus, analysis, layers, registry, codebook."""
from __future__ import annotations

from sqlite_utils import Database

from annotator.insights.summary import counter, counters, layer_quote_counts


def project_stats(db: Database) -> dict:
    """All counts in one dict, from the counts the project keeps (``summary``): no scan."""
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    layers = {}
    for name, kind, status, n in layer_quote_counts(db):
        entry = layers.setdefault(name, {"kind": kind, "quotes": 0, "by_status": {}})
        if status is not None:
            entry["quotes"] += n
            entry["by_status"][status] = n
    articles, analyzed = counter(db, "articles"), counter(db, "analyzed")
    labels = counters(db, "entities:")
    return {
        "articles": articles,
        "analyzed": analyzed,
        "pending_analysis": articles - analyzed,
        "models": dict(sorted(counters(db, "model:").items())),
        "entities": sum(labels.values()),
        "entities_by_label": labels,
        "layers": layers,
        "speakers": one("SELECT count(*) FROM speakers WHERE merged_into IS NULL"),
        "topics": one("SELECT count(*) FROM topics"),
        "positions": one("SELECT count(*) FROM positions"),
    }


def format_stats(stats: dict) -> str:
    """The stats as readable text lines."""
    lines = [f"articles: {stats['articles']} ({stats['analyzed']} analysed, "
             f"{stats['pending_analysis']} to analyse)"]
    for model, n in stats["models"].items():
        lines.append(f"  model {model}: {n}")
    labels = ", ".join(f"{k} {v}" for k, v in stats["entities_by_label"].items())
    lines.append(f"entities: {stats['entities']}" + (f" ({labels})" if labels else ""))
    lines.append(f"layers: {len(stats['layers'])}")
    for name, entry in stats["layers"].items():
        by = ", ".join(f"{k} {v}" for k, v in entry["by_status"].items())
        lines.append(f"  {name} ({entry['kind']}): {entry['quotes']} quotes" +
                     (f" ({by})" if by else ""))
    lines.append(f"speakers: {stats['speakers']}")
    lines.append(f"codebook: {stats['topics']} topic(s), {stats['positions']} position(s)")
    return "\n".join(lines)
