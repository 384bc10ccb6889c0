"""Shared fixtures: the shipped corpus parsed once, and a real embedded store with it ingested."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED_EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def corpus_docs():
    from ingest.pipeline import build_document
    from ingest.readers import iter_sources, read_path

    return {d.number: d for d in (build_document(read_path(p)) for p in iter_sources([CORPUS]))}


@pytest.fixture(scope="session")
def kb(tmp_path_factory):
    from service.config import Settings
    from service.knowledge import KnowledgeBase

    kb = KnowledgeBase(Settings(data_dir=tmp_path_factory.mktemp("kb")))
    report = kb.ingest_paths([CORPUS])
    assert not report.errors, report.errors
    yield kb
    kb.close()
