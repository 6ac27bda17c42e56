"""The agreement result as a table for the screen, as CSV rows and as JSON."""
from __future__ import annotations

import csv
import io
import json

CSV_COLUMNS = ("scope", "layers", "articles", "quotes", "units", "matched", "unmatched",
               "agree", "boundaries", "speaker", "position", "missing", "f1_exact",
               "f1_overlap", "unitizing_alpha", "speaker_units", "speaker_percent",
               "speaker_alpha", "position_units", "position_percent", "position_kappa",
               "position_alpha")


def _num(v, digits: int = 3) -> str:
    if v is None:
        return "-"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def _row(scope: str, fig: dict) -> dict:
    sp, po, st = fig["speakers"], fig["positions"], fig["statuses"]
    return {"scope": scope, "layers": "+".join(fig["layers"]), "articles": fig["articles"],
            "quotes": " ".join(f"{k}:{v}" for k, v in fig["quotes"].items()),
            "units": fig["units"], "matched": fig["matched"], "unmatched": fig["unmatched"],
            **{s: st[s] for s in ("agree", "boundaries", "speaker", "position", "missing")},
            "f1_exact": fig["quote_f1"]["exact"], "f1_overlap": fig["quote_f1"]["overlap"],
            "unitizing_alpha": fig["unitizing_alpha"], "speaker_units": sp["units"],
            "speaker_percent": sp["percent"], "speaker_alpha": sp["alpha"],
            "position_units": po["units"], "position_percent": po["percent"],
            "position_kappa": po.get("kappa"), "position_alpha": po["alpha"]}


def rows(result: dict) -> list[dict]:
    """One row per pair, one for all layers (when more than two), one per article."""
    out = [_row("pair", fig) for fig in result["pairs"]]
    if len(result["layers"]) > 2:
        out.append(_row("all", result["overall"]))
    for art in result["per_article"]:
        out.append({"scope": f"article:{art['article_id']}", "layers": "+".join(result["layers"]),
                    "articles": 1,
                    "quotes": " ".join(f"{k}:{v}" for k, v in art["quotes"].items()),
                    "units": art["units"], **art["statuses"], "f1_exact": art["f1_exact"],
                    "f1_overlap": art["f1_overlap"], "unitizing_alpha": art["unitizing_alpha"],
                    "speaker_percent": art["speaker_percent"],
                    "position_percent": art["position_percent"]})
    return out


def to_csv(result: dict) -> str:
    """CSV (RFC 4180, a header row): see ``CSV_COLUMNS``; empty cells where undefined."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows(result):
        writer.writerow({k: (round(v, 6) if isinstance(v, float) else v)
                         for k, v in row.items() if v is not None})
    return buf.getvalue()


def to_json(result: dict) -> str:
    result = {k: v for k, v in result.items() if k != "cancelled"}   # a run's state, no figure
    return json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n"


def _matrix(title: str, m: dict) -> list[str]:
    labels = m["labels"]
    if not labels:
        return []
    width = max(len(label) for label in labels)
    short = [str(i + 1) for i in range(len(labels))]
    lines = [title, " " * (width + 5) + " ".join(f"{s:>6}" for s in short)]
    for i, (label, row) in enumerate(zip(labels, m["matrix"])):
        lines.append(f"  {short[i]:>2} {label:<{width}} " + " ".join(f"{_num(v, 1):>6}"
                                                                    for v in row))
    return lines


def _figures(fig: dict) -> list[str]:
    f1, sp, po = fig["quote_f1"], fig["speakers"], fig["positions"]
    lines = [f"  quotes: " + ", ".join(f"{k} {v}" for k, v in fig["quotes"].items()) +
             f"; units {fig['units']} (matched {fig['matched']}, unmatched {fig['unmatched']})",
             "  units: " + ", ".join(f"{k} {v}" for k, v in fig["statuses"].items()),
             f"  quote F1: exact {_num(f1['exact'])}, overlap {_num(f1['overlap'])}"
             + (f" (precision {_num(f1.get('precision'))}, recall {_num(f1.get('recall'))})"
                if "precision" in f1 else ""),
             f"  unitizing alpha_U: {_num(fig['unitizing_alpha'])}",
             f"  speaker: {sp['units']} units, {_num(sp['percent'], 1)}% agree, "
             f"alpha {_num(sp['alpha'])}",
             f"  position: {po['units']} units, {_num(po['percent'], 1)}% agree, "
             + (f"kappa {_num(po.get('kappa'))}, " if "kappa" in po else "")
             + f"alpha (nominal) {_num(po['alpha'])}"]
    for topic, t in po.get("by_topic", {}).items():
        extra = (f", kappa {_num(t.get('kappa'))}" if "kappa" in t else "") + \
            (f", weighted kappa {_num(t.get('weighted_kappa'))}" if "weighted_kappa" in t
             else "")
        lines.append(f"    {topic}: {t['units']} units, {_num(t['percent'], 1)}% agree, "
                     f"alpha ({t['level']}) {_num(t['alpha'])}{extra}")
    if "confusion" in po:
        lines += _matrix("  positions (rows: first layer, columns: second layer):",
                         po["confusion"])
    elif "coincidences" in po:
        lines += _matrix("  position coincidences:", po["coincidences"])
    return lines


def to_table(result: dict, *, articles: bool = True) -> str:
    """The result as text for a terminal: each pair, all layers, then one line per article."""
    lines = [f"agreement of {', '.join(result['layers'])} over {result['articles']} "
             f"article(s) (overlap matching: {result['min_overlap']:.0%} of the shorter quote)"]
    for fig in result["pairs"]:
        lines += ["", f"{' vs '.join(fig['layers'])}:"] + _figures(fig)
    if len(result["layers"]) > 2:
        lines += ["", "all layers:"] + _figures(result["overall"])
    if articles and result["per_article"]:
        lines += ["", f"{'article':>8} {'units':>5} {'agree':>5} {'F1 exact':>8} "
                      f"{'F1 overl':>8} {'alpha_U':>7} {'speaker%':>8} {'position%':>9}"]
        for a in result["per_article"]:
            lines.append(f"{a['article_id']:>8} {a['units']:>5} {a['statuses']['agree']:>5} "
                         f"{_num(a['f1_exact']):>8} {_num(a['f1_overlap']):>8} "
                         f"{_num(a['unitizing_alpha']):>7} {_num(a['speaker_percent'], 1):>8} "
                         f"{_num(a['position_percent'], 1):>9}")
    return "\n".join(lines)
