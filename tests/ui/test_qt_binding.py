"""Guards against Qt binding releases that corrupt reference counts (PySide6 6.12.0 did:
None and bools passed through QVariant lost a reference each time, and the app crashed)."""
import sys

from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QComboBox


def test_none_and_bools_through_qvariant_keep_their_refcount(qapp):
    before = sys.getrefcount(None), sys.getrefcount(True)
    box = QComboBox()
    item = QStandardItem()
    for _ in range(200):
        box.clear()
        box.addItem("(none)", None)
        box.addItem("yes", True)
        box.currentData()
        item.setData(None, 256)
        item.data(256)
        item.setData(True, 257)
        item.data(257)
    after = sys.getrefcount(None), sys.getrefcount(True)
    assert after[0] >= before[0] - 5 and after[1] >= before[1] - 5, (before, after)
