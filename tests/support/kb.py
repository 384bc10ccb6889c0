"""A real KnowledgeBase with documents ingested by the real pipeline, for the tests that need a store of
their own (one they write to, or one holding extra documents)."""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator

from service.config import Settings
from service.knowledge import KnowledgeBase


@contextlib.contextmanager
def ingested(data_dir: Path, sources: list[Path]) -> Iterator[KnowledgeBase]:
    """A KnowledgeBase on ``data_dir`` with ``sources`` (files or folders) ingested without an error;
    closed on exit."""
    kb = KnowledgeBase(Settings(data_dir=data_dir))
    try:
        report = kb.ingest_paths(sources)
        assert not report.errors, report.to_json()
        yield kb
    finally:
        kb.close()


@contextlib.contextmanager
def invented(folder: Path, data_dir: Path, docs: dict[str, str]) -> Iterator[KnowledgeBase]:
    """A KnowledgeBase holding invented documents (file name → text), written to ``folder`` and ingested."""
    for name, text in docs.items():
        (folder / name).write_text(text, "utf-8")
    with ingested(data_dir, [folder]) as kb:
        yield kb


def verbatim(kb: KnowledgeBase, ans: dict) -> dict:
    """The answer, after checking that every quote is the cited document's text at its offsets."""
    for c in ans["citations"]:
        assert kb.document(c["doc_id"])["text"][c["start"]:c["end"]] == c["quote"]
    return ans
