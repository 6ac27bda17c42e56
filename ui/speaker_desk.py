"""The speaker registry's controller: its edits (rename, alias, merge, new speaker, merge
proposals) as undoable core commands; the table re-read after speaker or quote edits."""
from __future__ import annotations

from PySide6.QtCore import QObject

from annotator.editing import desk
from annotator.editing.registry import (AddAlias, CreateSpeaker, MergeSpeakers,
                                        SettleMergeProposal, UpdateSpeaker)

from .session import attempt

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
        registry.mergeRequested.connect(lambda keep, other: attempt(
            session, lambda: MergeSpeakers(keep_id=keep, other_id=other,
                                           actor=session.analyst)))
        registry.proposalSettled.connect(lambda pid, merge: session.run(
            SettleMergeProposal(proposal_id=pid, accept=merge, actor=session.analyst)))
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

    def _field(self, speaker_id: int, field: str, value: str) -> None:
        if not attempt(self.session, lambda: UpdateSpeaker(
                speaker_id=speaker_id, actor=self.session.analyst,
                **{field: value or None if field != "name" else value})):
            self.dirty = True
            self.refresh()
