"""The data directory is its user's alone (service/store/datadir.py, issue 16 item 4): 0700 and every
file in it 0600 — what the engine writes included — in a fresh directory, in one made by an older
version under a 022 umask, and for the files written beside it (backups, feedback)."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from conftest import ROOT
from service.backup import backup
from service.config import Settings
from service.feedback import append_feedback
from service.store import EdgeStore
from support.kb import ingested

DOC = ROOT / "corpus" / "14-KL-TW-2021-bao-ve-can-bo-sang-tao.md"


def modes(root: Path) -> dict[str, int]:
    out = {".": stat.S_IMODE(os.lstat(root).st_mode)}
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(dirpath) / name
            out[str(path.relative_to(root))] = stat.S_IMODE(os.lstat(path).st_mode)
    return out


def assert_private(root: Path) -> None:
    found = modes(root)
    assert len(found) > 20  # the engine's files are there: the check could fail
    wrong = {p: oct(m) for p, m in found.items()
             if m != (0o700 if (root / p).is_dir() else 0o600)}
    assert not wrong, wrong


def test_fresh_data_dir_is_private(tmp_path):
    data = tmp_path / "data"
    with ingested(data, [DOC]) as kb:
        assert kb.stats()["documents"] == 1
        assert_private(data)  # while open: the write-ahead log, segments, the lock
    assert_private(data)


def test_an_older_store_is_made_private_when_opened(tmp_path):
    data = tmp_path / "data"
    old = os.umask(0o022)
    try:
        with ingested(data, [DOC]):
            pass
        for dirpath, dirs, files in os.walk(data):  # as the version before this one left it
            for name in dirs:
                os.chmod(Path(dirpath) / name, 0o755)
            for name in files:
                os.chmod(Path(dirpath) / name, 0o644)
        os.chmod(data, 0o755)
        assert any(m & 0o077 for m in modes(data).values())
        EdgeStore(str(data)).close()
        assert_private(data)
    finally:
        os.umask(old)


def test_backup_and_feedback_files_are_private(tmp_path):
    data = tmp_path / "data"
    with ingested(data, [DOC]):
        pass
    out = tmp_path / "sao-luu.jsonl.gz"
    summary = backup(Settings(data_dir=data), out)
    assert summary.documents == 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    feedback = tmp_path / "data-feedback.jsonl"
    feedback.write_text("", encoding="utf-8")
    os.chmod(feedback, 0o644)  # made before, or by hand
    append_feedback(feedback, {"question": "q", "rating": 1})
    assert stat.S_IMODE(feedback.stat().st_mode) == 0o600
    assert json.loads(feedback.read_text("utf-8"))["rating"] == 1
