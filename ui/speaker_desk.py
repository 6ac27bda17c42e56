"""The speaker registry's controller: its edits (rename, alias, merge, new speaker, merge
proposals) as undoable core commands; the table re-read after speaker or quote edits."""
from __future__ import annotations

from PySide6.QtCore import QObject

from annotator.editing import desk
from annotator.editing.registry import (AddAlias, CreateSpeaker, MergeSpeakers,
                                        SettleMergeProposal, UpdateSpeaker, merge_preview,
                                        proposal_speakers)

from .merge_choice import choose_merge_values
from .session import DATA_ERRORS, attempt

TABLES = {"speakers", "speaker_aliases", "quotes", "speaker_merge_proposals", "*"}


class SpeakerDesk(QObject):
    """Runs ``registry``'s requests through ``session``; the registry is re-read only while
    it is visible (it can hold thousands), so after an edit or when it is shown."""

    def __init__(self, session, registry, parent=None):
        super().__init__(parent)
        self.session, self.registry = session, registry
        self.dirty = True
        registry.fieldEdited.connect(self._field)
        registry.aliasAdded.connect(lambda sid, a: attempt(
            session, lambda: AddAlias(speaker_id=sid, alias=a, actor=session.analyst)))
        registry.mergeRequested.connect(self._merge)
        registry.proposalSettled.connect(self._settle)
        registry.speakerCreated.connect(lambda name: attempt(
            session, lambda: CreateSpeaker(name=name, actor=session.analyst)))
        session.changed.connect(self._changed)

    def _changed(self, change) -> None:
        if change.tables & TABLES:
            self.dirty = True
            self.refresh()

    def refresh(self) -> None:
        with self.session.guard():
            if self.dirty and not self.registry.visibleRegion().isEmpty():
                rows = desk.speakers_table(self.session.db)
                proposals = desk.open_merge_proposals(self.session.db)
                self.dirty = False
                self.registry.set_speakers(rows, proposals)

    def _choices(self, keep: int, other: int) -> dict | None:
        """The analyst's choice for each field the two speakers fill differently ({} when
        they agree); None when the merge is off (cancelled, or the speakers are gone)."""
        try:
            keep_name, other_name, conflicts = merge_preview(self.session.db, keep, other)
        except ValueError as exc:
            self.session.failed.emit(str(exc))
            return None
        except DATA_ERRORS as exc:
            self.session.report(exc)
            return None
        if not conflicts:
            return {}
        return choose_merge_values(self.registry, keep_name, other_name, conflicts)

    def _merge(self, keep: int, other: int) -> None:
        choices = self._choices(keep, other)
        if choices is not None:
            attempt(self.session, lambda: MergeSpeakers(
                keep_id=keep, other_id=other, actor=self.session.analyst, **choices))

    def _settle(self, proposal_id: int, merge: bool) -> None:
        choices = {}
        if merge:
            try:
                choices = self._choices(*proposal_speakers(self.session.db, proposal_id))
            except ValueError as exc:
                self.session.failed.emit(str(exc))
                return
            except DATA_ERRORS as exc:
                self.session.report(exc)
                return
            if choices is None:
                return
        attempt(self.session, lambda: SettleMergeProposal(
            proposal_id=proposal_id, accept=merge, actor=self.session.analyst, **choices))

    def _field(self, speaker_id: int, field: str, value: str) -> None:
        if not attempt(self.session, lambda: UpdateSpeaker(
                speaker_id=speaker_id, actor=self.session.analyst,
                **{field: value or None if field != "name" else value})):
            self.dirty = True
            self.refresh()
