"""Inter-annotator agreement between layers: per pair, over all layers, per article.

Scope: the articles given, else every article that each chosen layer has worked on (its
status is ``in_progress`` or ``done``, or it has a quote there); ``skipped`` leaves it out.
Quotes are those not rejected. Figures (see README, "Review and agreement"):

- quote F1, exact (identical fragments) and overlap (aligned units, ``alignment``); over
  several layers, micro-averaged over the pairs;
- Krippendorff's alpha_U over the quote fragments (the articles laid end to end);
- on units with quotes of at least two layers: speaker agreement (canonical speakers; percent
  and nominal alpha) and position agreement (percent, Cohen's kappa for two layers, nominal
  alpha; per topic, ordinal when each of the topic's positions has a value), with a confusion
  matrix (two layers) or coincidence matrix (more) of positions.
"""
from __future__ import annotations

from collections import Counter
from itertools import combinations

from sqlite_utils import Database

from annotator.review import coefficients as co
from annotator.tasks import Task, ensure
from annotator.review.alignment import (MIN_OVERLAP, align_quotes, align_subsets, canonical_speakers,
                        status_counts)

NONE = "(none)"


def layers_to_compare(db: Database) -> list[str]:
    """What the agreement compares by default: every analyst layer with work
    (``workflow.layers_with_work``); ValueError, saying so, when there are fewer than two."""
    from annotator.editing.workflow import layers_with_work
    layers = [layer["name"] for layer in layers_with_work(db)]
    if len(layers) < 2:
        who = f"only {layers[0]} has work" if layers else "no analyst layer has work yet"
        raise ValueError(f"agreement needs two layers with work: {who} (name the layers, "
                         f"e.g. {layers[0] if layers else 'alice'},gold)")
    return layers


def layer_ids(db: Database, names) -> dict[str, int]:
    """name -> id for each layer name; an unknown name is a ValueError."""
    out = {}
    for name in names:
        row = db.execute("SELECT id FROM layers WHERE name = ?", [name]).fetchone()
        if row is None:
            known = ", ".join(r[0] for r in db.execute("SELECT name FROM layers ORDER BY name"))
            raise ValueError(f"no layer named {name!r} (layers: {known or 'none'})")
        out[name] = row[0]
    return out


def scope(db: Database, ids) -> list[int]:
    """Articles every layer in ``ids`` has worked on (status in progress/done, or a quote)."""
    marks = ",".join("?" * len(ids))
    return [r[0] for r in db.execute(
        f"SELECT article_id FROM (SELECT article_id, layer_id FROM article_status "
        f"WHERE layer_id IN ({marks}) AND status IN ('in_progress', 'done') UNION "
        f"SELECT article_id, layer_id FROM quotes WHERE layer_id IN ({marks}) AND status != "
        f"'rejected') GROUP BY article_id HAVING count(DISTINCT layer_id) = ? "
        f"EXCEPT SELECT article_id FROM article_status WHERE layer_id IN ({marks}) "
        f"AND status = 'skipped' ORDER BY 1", [*ids, *ids, len(ids), *ids])]


def load_quotes(db: Database, ids, articles) -> dict:
    """{article_id: {layer_id: [quote]}} with fragments and canonical speakers, in 2 queries."""
    canon = canonical_speakers(db)
    marks = ",".join("?" * len(ids))
    wanted = set(articles)
    where = f"q.layer_id IN ({marks}) AND q.status != 'rejected'"
    if len(wanted) <= 500:  # a few articles: read only theirs (else read all, filter here)
        where += f" AND q.article_id IN ({','.join(str(int(a)) for a in wanted) or 'NULL'})"
    out: dict = {a: {lid: [] for lid in ids} for a in articles}
    by_id = {}
    for qid, uid, art, lid, kind, spk, topic, pos, s, e in db.execute(
            f'SELECT q.id, q.uuid, q.article_id, q.layer_id, q.kind, q.speaker_id, q.topic_id, '
            f'q.position_id, q.start, q."end" FROM quotes q WHERE {where} '
            f"ORDER BY q.article_id, q.start", list(ids)):
        if art in wanted:
            q = by_id[qid] = {"id": qid, "uuid": uid, "article_id": art, "layer_id": lid,
                              "kind": kind, "speaker_id": spk,
                              "canonical_speaker_id": canon.get(spk, spk), "topic_id": topic,
                              "position_id": pos, "start": s, "end": e, "fragments": []}
            out[art][lid].append(q)
    for qid, s, e in db.execute(
            f'SELECT f.quote_id, f.start, f."end" FROM quote_fragments f JOIN quotes q '
            f"ON q.id = f.quote_id WHERE {where} ORDER BY f.quote_id, f.ord", list(ids)):
        q = by_id.get(qid)
        if q is not None:
            q["fragments"].append((s, e))
    return out


def _codebook(db: Database) -> tuple[dict, dict]:
    """position id -> {topic_id, label, value}; topic id -> (name, ordered value list or
    None)."""
    positions, topics, values = {}, {}, {}
    for tid, name in db.execute("SELECT id, name FROM topics"):
        topics[tid] = name
    for pid, tid, label, value in db.execute(
            'SELECT id, topic_id, label, value FROM positions ORDER BY topic_id, "order", id'):
        positions[pid] = {"topic_id": tid, "label": f"{topics.get(tid, '?')}: {label}",
                          "value": value}
        values.setdefault(tid, []).append(value)
    ordered = {tid: (sorted(set(v)) if v and all(x is not None for x in v) else None)
               for tid, v in values.items()}
    return positions, {tid: (name, ordered.get(tid)) for tid, name in topics.items()}


def _values(units, order) -> tuple[list, list]:
    """Rows of (canonical speaker, position) values, in layer order, of the units with
    quotes of two layers or more and at least one value; no value is ``NONE``."""
    speakers, positions = [], []
    for u in units:
        present = [u.quotes[lid] for lid in order if u.quotes[lid] is not None]
        if len(present) > 1:
            vals = [q["canonical_speaker_id"] for q in present]
            if vals.count(None) < len(vals):
                speakers.append([NONE if v is None else v for v in vals] if None in vals
                                else vals)
            vals = [q["position_id"] for q in present]
            if vals.count(None) < len(vals):
                positions.append([NONE if v is None else v for v in vals] if None in vals
                                 else vals)
    return speakers, positions


def _percent(rows) -> float | None:
    """Share (in %) of rows (or ``counted`` rows) whose values all agree."""
    rows = co.counted(rows)
    total = sum(rows.values())
    return None if not total else \
        100.0 * sum(n for r, n in rows.items() if len(set(r)) == 1) / total


def _speakers(rows) -> dict:
    rows = co.counted(rows)
    return {"units": sum(rows.values()), "percent": _percent(rows),
            "alpha": co.krippendorff_alpha(rows, "nominal")}


def _positions(rows, layer_order, codebook) -> dict:
    positions, topics = codebook
    label = lambda p: NONE if p == NONE else positions[p]["label"]  # noqa: E731
    rows = nominal = co.counted(rows)
    out = {"units": sum(rows.values()), "level": "nominal", "percent": _percent(rows),
           "alpha": co.krippendorff_alpha(rows, "nominal")}
    used = sorted({v for r in rows for v in r}, key=lambda p: (p == NONE, 0 if p == NONE else p))
    labels = [label(p) for p in used]
    if len(layer_order) == 2:
        out["kappa"] = co.cohen_kappa(rows)
        cells = rows
        out["confusion"] = {"labels": labels, "rows": "first layer", "columns": "second layer",
                            "matrix": [[cells.get((a, b), 0) for b in used] for a in used]}
    else:
        o = co.coincidences(nominal)
        out["coincidences"] = {"labels": labels, "matrix": [[round(o.get((a, b), 0.0), 3)
                                                            for b in used] for a in used]}
    out["by_topic"] = _by_topic(rows, positions, topics, len(layer_order) == 2)
    return out


def _by_topic(rows, positions, topics, pairwise: bool) -> dict:
    """Per topic: units whose coded positions are all on it (uncoded quotes left out);
    ordinal on the positions' values when each position of the topic has one."""
    groups: dict = {}
    for vals, times in rows.items():
        tids = {positions[v]["topic_id"] for v in vals if v != NONE}
        if len(tids) == 1:
            groups.setdefault(tids.pop(), []).append((vals, times))
    out = {}
    for tid, group in sorted(groups.items()):
        name, order = topics.get(tid, ("?", None))
        val = (lambda p: None if p == NONE else positions[p]["value"]) if order else \
            (lambda p: None if p == NONE else p)
        data: dict = {}
        for vals, times in group:
            key = tuple(val(p) for p in vals)
            data[key] = data.get(key, 0) + times
        coded: dict = {}
        for r, times in data.items():
            r = tuple(v for v in r if v is not None)
            if len(r) > 1:
                coded[r] = coded.get(r, 0) + times
        level = "ordinal" if order else "nominal"
        entry = {"units": sum(coded.values()), "level": level, "percent": _percent(coded),
                 "alpha": co.krippendorff_alpha(data, level, order)}
        if pairwise:
            entry["kappa"] = co.cohen_kappa(data)
            if order:
                entry["weighted_kappa"] = co.cohen_kappa(data, order=order)
        out[name] = entry
    return out


def _unitizing(quotes_by_article, lengths, layer_order) -> float | None:
    """alpha_U over the quote fragments, the articles laid end to end."""
    coders = [[] for _ in layer_order]
    offset = 0
    for art, by_layer in quotes_by_article.items():
        for i, lid in enumerate(layer_order):
            coders[i].extend((offset + s, offset + e) for q in by_layer[lid]
                             for s, e in q["fragments"])
        offset += lengths[art]
    return co.unitizing_alpha(coders, offset)


def _exact(by_layer, a, b) -> int:
    """Quotes of layers a and b with identical fragments (one-to-one)."""
    ca = Counter(tuple(q["fragments"]) for q in by_layer[a])
    cb = Counter(tuple(q["fragments"]) for q in by_layer[b])
    return sum((ca & cb).values())


def _figures(quotes, units, lengths, order, names, codebook, pair_counts,
             values=None) -> dict:
    """The figures of one set of layers over the given articles and their aligned units
    (``values``: ``_values(units, order)`` when already known)."""
    n = {names[lid]: sum(len(quotes[a][lid]) for a in quotes) for lid in order}
    exact = sum(c["exact"] for c in pair_counts)
    matched = sum(c["overlap"] for c in pair_counts)
    total = sum(c["n"] for c in pair_counts)
    complete = sum(u.status != "missing" for u in units)
    speaker_rows, position_rows = values or _values(units, order)
    out = {"layers": [names[lid] for lid in order], "articles": len(quotes), "quotes": n,
           "units": len(units), "matched": complete, "unmatched": len(units) - complete,
           "statuses": status_counts(units),
           "quote_f1": {"exact": co.f1(exact, total, 0), "overlap": co.f1(matched, total, 0),
                        "matched_exact": exact, "matched_overlap": matched},
           "unitizing_alpha": _unitizing(quotes, lengths, order),
           "speakers": _speakers(speaker_rows),
           "positions": _positions(position_rows, order, codebook)}
    if len(order) == 2:
        a, b = (names[lid] for lid in order)
        out["quote_f1"]["precision"] = matched / n[b] if n[b] else None  # b against a
        out["quote_f1"]["recall"] = matched / n[a] if n[a] else None
    return out


def agreement(db: Database, layer_names, *, articles=None, min_overlap: float = MIN_OVERLAP,
              per_article: bool = True, task: Task | None = None) -> dict:
    """Agreement of two or more layers: ``{"layers", "articles", "min_overlap", "pairs":
    [figures], "overall": figures, "per_article": [row], "cancelled"}`` (figures: see module
    docstring).

    ``articles``: ids to compare (default: ``scope``). A long job (``annotator.tasks``):
    progress in articles; a cancel returns no figures and ``cancelled`` true.
    """
    task = ensure(task)
    names_in = list(dict.fromkeys(layer_names))
    if len(names_in) < 2:
        raise ValueError("agreement needs at least two layers")
    ids = layer_ids(db, names_in)
    order = [ids[n] for n in names_in]
    names = {lid: n for n, lid in ids.items()}
    arts = sorted(set(articles)) if articles is not None else scope(db, order)
    quotes = load_quotes(db, order, arts)
    lengths = dict(db.execute(
        f"SELECT id, length(text) FROM articles WHERE id IN ({','.join(map(str, arts))})"
    ).fetchall()) if arts else {}
    missing = set(arts) - set(lengths)
    if missing:
        raise ValueError(f"no article {min(missing)}")
    codebook = _codebook(db)
    pairs = list(combinations(order, 2))
    pair_units = {p: [] for p in pairs}
    pair_counts = {p: [] for p in pairs}
    all_units, rows, all_speakers, all_positions = [], [], [], []
    for i, art in enumerate(arts):
        if task.cancelled:
            return {"layers": names_in, "min_overlap": min_overlap, "articles": 0,
                    "pairs": [], "per_article": [], "overall": None, "cancelled": True}
        by_layer = quotes[art]
        counts = []
        if len(order) > 2:
            *aligned, article_units = align_subsets(by_layer, order, [*pairs, order],
                                                    min_overlap=min_overlap)
            all_units.extend(article_units)
        else:
            aligned = [align_quotes(by_layer, order, min_overlap=min_overlap)]
            article_units = aligned[0]
        for p, units in zip(pairs, aligned):
            pair_units[p].extend(units)
            c = {"exact": _exact(by_layer, *p), "n": len(by_layer[p[0]]) + len(by_layer[p[1]]),
                 "overlap": sum(u.status != "missing" for u in units)}
            pair_counts[p].append(c)
            counts.append(c)
        values = _values(article_units, order)
        all_speakers.extend(values[0])
        all_positions.extend(values[1])
        if per_article:
            rows.append(_article_row(art, {art: by_layer}, article_units, lengths, order, names,
                                     counts, values))
        if i % 100 == 0:
            task.progress(i, len(arts))
    result = {
        "layers": names_in, "min_overlap": min_overlap, "articles": len(arts),
        "pairs": [_figures(quotes, pair_units[p], lengths, list(p), names, codebook,
                           pair_counts[p]) for p in pairs],
        "per_article": rows, "cancelled": False}
    result["overall"] = result["pairs"][0] if len(order) == 2 else _figures(
        quotes, all_units, lengths, order, names, codebook,
        [c for p in pairs for c in pair_counts[p]], (all_speakers, all_positions))
    task.progress(len(arts), len(arts))
    return result


def _article_row(art, quotes, units, lengths, order, names, counts, values) -> dict:
    """Per article: counts, statuses, F1, alpha_U, speaker and position percent agreement."""
    total = sum(c["n"] for c in counts)
    speakers, positions = values
    return {"article_id": art,
            "quotes": {names[lid]: len(quotes[art][lid]) for lid in order},
            "units": len(units), "statuses": status_counts(units),
            "f1_exact": co.f1(sum(c["exact"] for c in counts), total, 0),
            "f1_overlap": co.f1(sum(c["overlap"] for c in counts), total, 0),
            "unitizing_alpha": _unitizing(quotes, lengths, order),
            "speaker_percent": _percent(speakers), "position_percent": _percent(positions)}
