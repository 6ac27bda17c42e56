"""Counts that describe a project: corpus, analysis, layers, registry, codebook."""
from __future__ import annotations

from sqlite_utils import Database


def project_stats(db: Database) -> dict:
    """All counts in one dict (computed in SQL)."""
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    layers = {}
    for name, kind, status, n in db.execute(
            "SELECT l.name, l.kind, q.status, count(q.id) FROM layers l "
            "LEFT JOIN quotes q ON q.layer_id = l.id GROUP BY l.id, q.status ORDER BY l.name"):
        entry = layers.setdefault(name, {"kind": kind, "quotes": 0, "by_status": {}})
        if status is not None:
            entry["quotes"] += n
            entry["by_status"][status] = n
    return {
        "articles": one("SELECT count(*) FROM articles"),
        "analyzed": one("SELECT count(*) FROM articles WHERE analyzed_at IS NOT NULL"),
        "pending_analysis": one("SELECT count(*) FROM articles WHERE analyzed_at IS NULL"),
        "models": dict(db.execute(
            "SELECT analyzed_model, count(*) FROM articles WHERE analyzed_model IS NOT NULL "
            "GROUP BY analyzed_model").fetchall()),
        "entities": one("SELECT count(*) FROM entities WHERE removed = 0"),
        "entities_by_label": dict(db.execute(
            "SELECT label, count(*) FROM entities WHERE removed = 0 GROUP BY label "
            "ORDER BY count(*) DESC, label").fetchall()),
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
