"""Learning from corrections: when an analyst gives a suggestion's quote another speaker, the
registry learns it (inside the correcting edit, so one undo removes it).

- The mention's text (``Sergey Lavrov``, ``the Kremlin``) becomes an alias of the chosen
  speaker, when it names someone: not a pronoun, not a role description (``the minister``: the
  suggestion's speaker was ``unnamed``), with a capitalised word. The next analysis ties that
  mention to the chosen speaker (``annotator.nlp.speaker_matching.speaker_id_for``).
- The role and organisation the suggestion gave fill the chosen speaker's empty fields.
"""
from __future__ import annotations

from sqlite_utils import Database

from annotator.editing.speakers import clean_name, speaker_row

PRONOUNS = {"he", "him", "she", "her", "i", "we", "us", "they", "them", "it", "you",
            "his", "its", "their", "our"}


def speaker_rows(*ids) -> list:
    """Selectors (``Command.touched``) for speakers and their aliases."""
    ids = [i for i in ids if i is not None]
    marks = ",".join("?" * len(ids))
    return [("speakers", f"id IN ({marks})", ids),
            ("speaker_aliases", f"speaker_id IN ({marks})", ids)] if ids else []


def names_someone(mention: str) -> bool:
    """Whether a mention's text is a name to learn (``the Kremlin``, ``Lavrov``), not a
    pronoun or a lower-case description (``the minister``)."""
    words = mention.split()
    return bool(words) and mention.casefold() not in PRONOUNS and \
        any(w[:1].isupper() for w in words)


def _mention(db: Database, article_id: int, start, end) -> str:
    if start is None or end is None:
        return ""
    row = db.execute("SELECT substr(text, ? + 1, ? - ?) FROM articles WHERE id = ?",
                     [start, end, start, article_id]).fetchone()
    return clean_name(row[0]) if row and row[0] else ""


def learn_correction(db: Database, quote_uuid: str) -> dict:
    """Teach the registry the speaker of quote ``quote_uuid`` when the quote came from a
    suggestion (``origin_uuid``) and has another speaker than the suggestion gave (inside the
    caller's transaction). Returns what was learnt: ``alias``, ``role``, ``organisation``."""
    row = db.execute(
        "SELECT q.article_id, q.speaker_id, q.speaker_start, q.speaker_end, s.speaker_id, "
        "s.speaker_start, s.speaker_end FROM quotes q JOIN quotes s ON s.uuid = q.origin_uuid "
        "WHERE q.uuid = ? AND q.status = 'accepted'", [quote_uuid]).fetchone()
    if row is None or row[1] is None:
        return {}
    article_id, chosen_id, start, end, suggested_id, s_start, s_end = row
    chosen = speaker_row(db, chosen_id)
    suggested = speaker_row(db, suggested_id) if suggested_id is not None else None
    if chosen is None or (suggested is not None and suggested["id"] == chosen["id"]):
        return {}
    learnt: dict = {}
    mention = _mention(db, article_id, start if start is not None else s_start,
                       end if start is not None else s_end)
    if mention and names_someone(mention) and (suggested is None or
                                               suggested["kind"] != "unnamed") \
            and mention.casefold() != chosen["name"].casefold():
        cur = db.execute("INSERT OR IGNORE INTO speaker_aliases(speaker_id, alias) "
                         "VALUES (?, ?)", [chosen["id"], mention])
        if cur.rowcount:
            learnt["alias"] = mention
    if suggested is not None:
        for field in ("role", "organisation"):
            if suggested[field] and not chosen[field]:
                learnt[field] = suggested[field]
                db.execute(f"UPDATE speakers SET {field} = ? WHERE id = ?",
                           [suggested[field], chosen["id"]])
    return learnt
