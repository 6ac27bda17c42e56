"""What the analyst does to the open article, turned into core commands: tag, speaker,
position, kind, fragments, suggestions, entities. Redraws from what each edit changed."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.editing import desk
from annotator.corpus.articles import get_article
from annotator.editing.edits import (AcceptAllSuggestions, AddEntity, AddQuote, DecideSuggestion,
                             DeleteQuote, RelabelEntity, RemoveEntity, SetArticleStatus,
                             UpdateQuote)
from annotator.vocab import QUOTE_KINDS
from annotator.editing.registry import CreateSpeaker
from annotator.editing.spans import find_mention, guess_kind, snap_to_tokens
from annotator.editing.speakers import (article_names, describe, find_speaker,
                                        resolve_mention, resolve_speaker, speaker_choices)

SPEAKER_LABELS = {"PERSON": "person", "ORG": "organisation", "NORP": "group", "GPE": "organisation"}


class Annotation(QObject):
    """Controller of the article view and quote panel for one session."""

    message = Signal(str)
    articleLoaded = Signal(int)

    def __init__(self, session, view, panel, parent=None):
        super().__init__(parent)
        self.session, self.view, self.panel = session, view, panel
        self.article_id: int | None = None
        self.text = ""
        self.quotes: list[dict] = []
        self._entities: list[dict] = []
        self.overlay: list[dict] = []   # other layers shown over mine: desk.layers() rows
        self.blind = False              # hide other analysts' layers while coding
        self.suggestions: list[dict] = []
        self._draft: dict = {}   # speaker, topic, kind chosen for a suggestion not accepted yet
        self._names: list[str] | None = None   # the article's people, for speaker names
        panel.currentChanged.connect(self._on_current)
        panel.speakerChosen.connect(self.choose_speaker)
        panel.choices_for = self._speaker_choices
        panel.topicChosen.connect(self.set_topic)
        panel.positionChosen.connect(self.set_position)
        panel.kindChosen.connect(self.set_kind)
        panel.noteEntered.connect(self._note_entered)
        panel.acceptClicked.connect(lambda: self.decide(True))
        panel.rejectClicked.connect(lambda: self.decide(False))
        view.quoteClicked.connect(panel.select_uuid)
        view.entityClicked.connect(self._entity_clicked)
        session.changed.connect(self._on_changed)

    @property
    def db(self):
        return self.session.db

    # -- loading ---------------------------------------------------------------------------
    def load(self, article_id: int, *, current_uuid: str | None = None,
             keep_scroll: bool = False, entities: bool = True) -> None:
        """Show an article; ``entities=False`` keeps the entities already read (a quote edit)."""
        with self.session.guard():  # everything is read before anything is shown
            article = get_article(self.db, article_id)
            if article is None:
                return
            new = article_id != self.article_id
            quotes = desk.article_quotes(self.db, article_id, self.session.layer_id)
            suggestions = desk.pending_suggestions(self.db, article_id, self.session.layer_id,
                                                   self.session.suggestions_layer_id)
            entities = desk.entity_rows(self.db, article_id) if new or entities \
                else self._entities
            others = self._others(article_id)
            arrived = not new and not self.suggestions and self.panel.current() is None
            if current_uuid is None and suggestions and (new or arrived):
                # opened, or its analysis just ended: the first suggestion, ready for a key
                current_uuid = min(suggestions, key=lambda q: q["fragments"][0])["uuid"]
            self.article_id, self.text = article_id, article["text"]
            self.quotes, self.suggestions, self._entities = quotes, suggestions, entities
            self.view.show_article(self.text, self._entities, self.quotes,
                                   self.suggestions, current_uuid=current_uuid,
                                   keep_scroll=keep_scroll and not new, others=others)
            self.panel.set_quotes(self.text, self.quotes, self.suggestions, current_uuid)
            if new:
                self._names = None   # the article's names, read when first needed
                self.articleLoaded.emit(article_id)

    def _others(self, article_id: int) -> list:
        """Other layers shown over mine, as blind mode allows (annotator.permissions)."""
        from annotator.editing.permissions import visible_layers
        from .article_view import LAYER_COLOURS
        if not self.overlay:
            return []
        allowed = {layer["id"] for layer in visible_layers(self.db, self.session.analyst,
                                                            blind=self.blind)}
        shown = [layer for layer in self.overlay
                 if layer["id"] in allowed and layer["id"] != self.session.layer_id]
        return [(layer["name"], LAYER_COLOURS[layer["id"] % len(LAYER_COLOURS)],
                 desk.article_quotes(self.db, article_id, layer["id"])) for layer in shown]

    def set_overlay(self, layers, blind: bool) -> None:
        """Show these other layers over mine (blind mode hides analysts' layers)."""
        self.overlay, self.blind = list(layers), blind
        if self.article_id is not None:
            self.load(self.article_id, keep_scroll=True, entities=False,
                      current_uuid=(self.panel.current() or {}).get("uuid"))

    def _on_changed(self, change) -> None:
        if self.article_id is None:
            return
        if "*" in change.tables or self.article_id in change.articles or \
                change.tables & {"speakers", "positions", "topics", "entities"}:
            current = self.panel.current()
            self.load(self.article_id, keep_scroll=True,
                      entities=bool(change.tables & {"entities", "*"}),
                      current_uuid=change.quote_uuid or (current or {}).get("uuid"))
            self._names = None   # its entities or its quotes' speakers may have changed

    def _on_current(self, q) -> None:
        if q is None or q["uuid"] != self._draft.get("uuid"):
            self._draft = {}  # what was chosen for another suggestion is not carried over
        self.view.current_uuid = q["uuid"] if q else None
        self.view.picking = False
        self.view.redraw()
        if q:
            self.view.scroll_to(q["start"])

    def mine(self) -> dict | None:
        q = self.panel.current()
        return q if q is not None and not self.panel.is_suggestion(q) else None

    def _needs_quote(self) -> dict | None:
        q = self.mine()
        if q is None:
            self.message.emit("Select one of your quotes first (J moves through them)")
        return q

    # -- quotes ----------------------------------------------------------------------------
    def tag(self) -> bool:
        """Tag the selected text as a quote; focus moves to the speaker field."""
        span = self.view.selection_span()
        if self.article_id is None or span is None:
            self.message.emit("Select the quote's text first, then press Q")
            return False
        start, end = snap_to_tokens(self.text, *span)
        if start >= end:
            return False
        cmd = AddQuote(article_id=self.article_id, layer_id=self.session.layer_id,
                       fragments=[(start, end)], actor=self.session.analyst,
                       kind=guess_kind(self.text, start, end),
                       topic_id=self.panel.current_topic())
        if not self.session.run(cmd):
            return False
        self.panel.select_uuid(cmd.uuid)
        self.view.picking = True
        self.panel.speaker_edit.setFocus()
        self.panel.speaker_edit.selectAll()
        return True

    def add_fragment(self) -> bool:
        q = self._needs_quote()
        span = self.view.selection_span()
        if q is None or span is None:
            return False
        start, end = snap_to_tokens(self.text, *span)
        frags = [f for f in q["fragments"] if f[1] <= start or f[0] >= end] + [(start, end)]
        return self.session.run(UpdateQuote(uuid=q["uuid"], actor=self.session.analyst,
                                            fragments=frags))

    def _update(self, **fields) -> bool:
        q = self._needs_quote()
        if q is None:
            return False
        return self.session.run(UpdateQuote(uuid=q["uuid"], actor=self.session.analyst,
                                            **fields))

    # -- speakers: chosen, never duplicated by accident (annotator.editing.speakers) ---------
    def _article_names(self) -> list[str]:
        if self._names is None and self.article_id is not None:
            self._names = article_names(self.db, self.article_id)
        return self._names or []

    def _speaker_choices(self, typed: str) -> list[dict]:
        """The speaker field's completion for ``typed`` (read from the registry)."""
        with self.session.guard():
            return speaker_choices(self.db, typed, article_names=self._article_names())
        return []

    def choose_speaker(self, typed: str, choice: dict | None, new: bool) -> bool:
        """Enter in the speaker field: the highlighted completion, else the speaker the typed
        name resolves to; a new speaker only when chosen (its entry, or Shift+Enter)."""
        if choice is not None:
            return self.set_speaker(choice["name"], speaker_id=choice["speaker_id"],
                                    new=choice["speaker_id"] is None)
        return self.set_speaker(typed, new=new, create=new)

    def set_speaker(self, name: str, mention: tuple[int, int] | None = None,
                    label: str | None = None, *, speaker_id: int | None = None,
                    new: bool = False, create: bool = True) -> bool:
        """Set the current quote's speaker: ``speaker_id``, else the registered speaker
        ``name`` resolves to (exact, alias, surname, spelling; several: the analyst
        chooses), else a new speaker by that name when ``create``; ``new``: a new speaker
        unless one has exactly that name. On a suggestion: the speaker it takes when it is
        accepted."""
        if self.panel.is_suggestion(self.panel.current()) and (name or "").strip():
            self._stage("speaker", (name.strip(), mention, label,
                                    dict(speaker_id=speaker_id, new=new, create=create)),
                        f"Speaker {name.strip()}")
            self.view.picking = False
            self.view.setFocus()
            return True
        q = self._needs_quote()
        name = (name or "").strip()
        if q is None or not name:
            return False
        ok = False
        with self.session.guard(), self.session.macro(f"set speaker {name}"):
            if speaker_id is None and new:
                speaker_id = find_speaker(self.db, name)
            elif speaker_id is None:
                res = resolve_speaker(self.db, name, article_names=self._article_names())
                if res.candidates:
                    self._ambiguous(name, [describe(c) for c in res.candidates])
                    return False
                known = [c["label"] for c in speaker_choices(self.db, name)
                         if c["speaker_id"] is not None] if res.speaker is None else []
                if known and not create:   # "Wang": Wang Wei or Wang Yi
                    self._ambiguous(name, known)
                    return False
                if res.speaker is None and not create:
                    self.message.emit(f"No speaker \u201c{name}\u201d yet: Shift+Enter (or "
                                      f"\u201cNew speaker\u201d in the list) creates one")
                    return False
                speaker_id = res.speaker["id"] if res.speaker else None
                name = res.speaker["name"] if res.speaker else res.name
            if speaker_id is None:
                create = CreateSpeaker(name=name, actor=self.session.analyst,
                                       kind=SPEAKER_LABELS.get(label, "person"))
                if not self.session.run(create):
                    return False
                speaker_id = create.speaker_id
            if mention is None:
                mention = find_mention(self.text, name, q["start"], avoid=q["fragments"])
            ok = self.session.run(UpdateQuote(
                uuid=q["uuid"], actor=self.session.analyst, speaker_id=speaker_id,
                speaker_start=mention[0] if mention else None,
                speaker_end=mention[1] if mention else None))
        if not ok:
            return False  # the name stays in the field, to try again
        self.view.picking = False
        self.view.setFocus()
        return ok

    def _ambiguous(self, name: str, labels: list[str]) -> None:
        who = "; ".join(labels[:4])
        self.message.emit(f"\u201c{name}\u201d could be {who}: choose one in the list "
                          f"(\u2193 Enter), or Shift+Enter for a new speaker")

    def _entity_clicked(self, start: int, end: int, text: str) -> None:
        """A click on a mention: the speaker it stands for, as the suggestions resolve it
        (the article's canonical speaker, then the registry); several possible: the
        analyst chooses in the speaker field."""
        if self.mine() is None:
            self._needs_quote()
            return
        label = next((e["label"] for e in self.view.entities
                      if e["start"] == start and e["end"] == end), None)
        res = None
        with self.session.guard():
            res = resolve_mention(self.db, self.article_id, start, end)
        if res is None:
            return
        if res.candidates:
            self._ambiguous(text, [describe(c) for c in res.candidates])
            self.panel.focus_speaker()
            self.panel.speaker_edit.setText(text)
            return
        self.set_speaker(res.speaker["name"] if res.speaker else res.name or text,
                         (start, end), label,
                         speaker_id=res.speaker["id"] if res.speaker else None, new=True)

    def set_topic(self, topic_id) -> bool:
        q = self.mine()
        if q is not None and q["topic_id"] == topic_id:
            return True  # the same topic again: keep the position
        return self._update(topic_id=topic_id, position_id=None)

    def cycle_topic(self, step: int = 1) -> None:
        """The next topic (``step`` -1: the previous one) of the current quote or suggestion."""
        box = self.panel.topic_box
        if box.count():
            box.setCurrentIndex((box.currentIndex() + step) % box.count())
            if self.panel.is_suggestion(self.panel.current()):
                self.panel.fill_positions(box.currentData())
                self._stage("topic_id", box.currentData(), f"Topic {box.currentText()}")
                return
            if self.mine():
                self.set_topic(box.currentData())
            self.message.emit(f"Topic: {box.currentText()}")

    def set_position(self, position_id) -> bool:
        return self._update(topic_id=self.panel.current_topic(), position_id=position_id)

    def set_position_key(self, key: str) -> bool:
        """The position with hotkey ``key``: on a pending suggestion, accept it with that
        position (one undo step) and go on to the next suggestion."""
        position = self.panel.position_for_key(key)
        if position is None:
            self.message.emit(f"No position with hotkey {key} on this topic")
            return False
        if self.panel.is_suggestion(self.panel.current()):
            return self.decide(True, topic_id=self.panel.current_topic(),
                               position_id=position["id"])
        return self.set_position(position["id"])

    def set_kind(self, kind: str) -> bool:
        return self._update(kind=kind)

    def cycle_kind(self) -> bool:
        q = self.panel.current()
        if self.panel.is_suggestion(q):
            kind = self._draft.get("kind", q["kind"]) if self._draft.get("uuid") == q["uuid"] \
                else q["kind"]
            kind = QUOTE_KINDS[(QUOTE_KINDS.index(kind) + 1) % len(QUOTE_KINDS)]
            self.panel.kind_box.setCurrentIndex(max(0, self.panel.kind_box.findData(kind)))
            self._stage("kind", kind, f"Kind {kind}")
            return True
        q = self.mine()
        if q is None:
            return False
        return self.set_kind(QUOTE_KINDS[(QUOTE_KINDS.index(q["kind"]) + 1) % len(QUOTE_KINDS)])

    def set_note(self, note: str) -> bool:
        return self._update(note=note)

    def _note_entered(self, note: str) -> None:
        if not self.set_note(note):
            self.panel.note_not_saved()  # kept in the field, saved when next left

    def delete(self) -> bool:
        q = self._needs_quote()
        return q is not None and self.session.run(DeleteQuote(uuid=q["uuid"],
                                                             actor=self.session.analyst))

    # -- suggestions -----------------------------------------------------------------------
    def _stage(self, field: str, value, what: str) -> None:
        """Keep a speaker, topic or kind for the current suggestion, given when it is
        accepted (a position's number or Enter)."""
        q = self.panel.current()
        if self._draft.get("uuid") != q["uuid"]:
            self._draft = {"uuid": q["uuid"]}
        self._draft[field] = value
        self.message.emit(f"{what} on accepting: a position's number or Enter accepts")

    def decide(self, accept: bool, **fields) -> bool:
        """Accept (with ``fields``: a topic and position) or reject the current suggestion,
        then go to the next suggestion in the text (the accepted quote stays current when
        there is none)."""
        q = self.panel.current()
        if not self.panel.is_suggestion(q):
            self.message.emit("No suggestion selected (N goes to the next one)")
            return False
        draft = self._draft if self._draft.get("uuid") == q["uuid"] else {}
        self._draft = {}
        if accept:
            if "topic_id" in draft and draft["topic_id"] != q["topic_id"]:
                fields = {"topic_id": draft["topic_id"], "position_id": None, **fields}
            if "kind" in draft:
                fields = {"kind": draft["kind"], **fields}
        try:
            decision = DecideSuggestion(suggestion_uuid=q["uuid"],
                                        layer_id=self.session.layer_id,
                                        actor=self.session.analyst, accept=accept, **fields)
        except ValueError as exc:  # refused as asked: said, never raised into the slot
            self.session.failed.emit(str(exc))
            return False
        with self.session.macro(decision.label):  # with its speaker: one undo step
            ok = self.session.run(decision)
            if ok and accept and draft.get("speaker"):
                self.panel.select_uuid(decision.uuid)
                name, mention, label, how = draft["speaker"]
                self.set_speaker(name, mention, label, **how)
        if ok and not self.panel.move(1, suggestions_only=True, after=(q["start"], q["end"])):
            self.message.emit("No more suggestions in this article (Ctrl+D: done, next one)")
        return ok

    def next_suggestion(self, step: int = 1) -> bool:
        if not self.panel.move(step, suggestions_only=True):
            self.message.emit("No pending suggestions in this article")
            return False
        return True

    def accept_all(self) -> bool:
        if self.article_id is None or not self.suggestions:
            self.message.emit("No pending suggestions in this article")
            return False
        with self.session.guard():  # the suggestions layer is looked up first
            cmd = AcceptAllSuggestions(article_id=self.article_id, layer_id=self.session.layer_id,
                                       suggestions_layer_id=self.session.suggestions_layer_id,
                                       actor=self.session.analyst)
            ok = self.session.run(cmd)
            if ok:
                self.message.emit(f"Accepted {cmd.count} suggestion(s)")
            return ok
        return False

    # -- entities and status ---------------------------------------------------------------
    def add_entity(self, label: str) -> bool:
        span = self.view.selection_span()
        if self.article_id is None or span is None:
            self.message.emit("Select the entity's text first")
            return False
        start, end = snap_to_tokens(self.text, *span)
        return self.session.run(AddEntity(article_id=self.article_id, start=start, end=end,
                                          label=label, layer_id=self.session.layer_id,
                                          actor=self.session.analyst))

    def remove_entity(self, entity_id: int) -> bool:
        return self.session.run(RemoveEntity(entity_id=entity_id, actor=self.session.analyst))

    def relabel_entity(self, entity_id: int, label: str) -> bool:
        return self.session.run(RelabelEntity(entity_id=entity_id, label=label,
                                              actor=self.session.analyst))

    def set_status(self, status: str) -> bool:
        if self.article_id is None:
            return False
        return self.session.run(SetArticleStatus(article_id=self.article_id,
                                                 layer_id=self.session.layer_id, status=status,
                                                 actor=self.session.analyst))
