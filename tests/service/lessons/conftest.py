"""A lesson per topic on the shared corpus store (tests/conftest.py's ``kb``), built once for the
lesson tests, and the stored documents' texts to check quotes against."""
from __future__ import annotations

import pytest

from service.lessons.build import build_lesson
from support.lessons import TOPICS


@pytest.fixture(scope="session")
def lessons(kb) -> dict[str, dict]:
    return {t: build_lesson(kb, t) for t in TOPICS}


@pytest.fixture(scope="session")
def texts(kb) -> dict[str, str]:
    docs, _ = kb.documents()
    return {d["doc_id"]: kb.document(d["doc_id"])["text"] for d in docs}
