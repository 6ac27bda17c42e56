"""The choice a merge of two speakers needs when they disagree: for each field both fill
differently (role, organisation, kind), which value the kept speaker takes. Nothing known is
dropped without the analyst seeing it."""
from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QFormLayout,
                               QRadioButton, QVBoxLayout, QWidget)

from .plain import label, menu_text

FIELD_LABELS = {"role": "Role", "organisation": "Organisation", "kind": "Kind"}


class MergeChoiceDialog(QDialog):
    """One pair of choices per conflicting field, the kept speaker's value checked first;
    ``choices()`` gives {field: value} for MergeSpeakers / SettleMergeProposal."""

    def __init__(self, keep_name: str, other_name: str, conflicts: dict, parent=None):
        super().__init__(parent)
        self.setObjectName("mergeChoice")
        self.setWindowTitle("Merge speakers: which to keep?")
        self.buttons: dict[str, tuple[QRadioButton, QRadioButton]] = {}
        self.values: dict[str, tuple[str, str]] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(label(f"“{other_name}” is merged into “{keep_name}”, but they differ. "
                               "Choose what the merged speaker keeps:", self))
        form = QFormLayout()
        for field, (keep_value, other_value) in conflicts.items():
            mine = QRadioButton(menu_text(f"{keep_value}   ({keep_name})"))
            theirs = QRadioButton(menu_text(f"{other_value}   ({other_name})"))
            mine.setObjectName(f"{field}Keep")
            theirs.setObjectName(f"{field}Other")
            mine.setChecked(True)
            group = QButtonGroup(self)
            group.addButton(mine)
            group.addButton(theirs)
            box = QWidget(self)
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(mine)
            column.addWidget(theirs)
            form.addRow(FIELD_LABELS.get(field, field) + ":", box)
            self.buttons[field] = (mine, theirs)
            self.values[field] = (keep_value, other_value)
        layout.addLayout(form)
        self.button_box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.button_box.button(QDialogButtonBox.Ok).setText("Merge")
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        layout.addWidget(self.button_box)

    def choices(self) -> dict:
        return {field: self.values[field][0] if mine.isChecked() else self.values[field][1]
                for field, (mine, _theirs) in self.buttons.items()}


def choose_merge_values(parent, keep_name: str, other_name: str, conflicts: dict):
    """Ask which values to keep; {field: value}, or None when the analyst cancels."""
    dialog = MergeChoiceDialog(keep_name, other_name, conflicts, parent)
    try:
        return dialog.choices() if dialog.exec() == QDialog.Accepted else None
    finally:
        dialog.deleteLater()
