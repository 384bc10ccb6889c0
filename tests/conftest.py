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


# The browser tests: headless Debian Chromium driven by Playwright (.ci/run installs it). Without a
# browser they skip, except under CI=true where they fail.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _no_browser_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "chưa cài Playwright cho Python (pip install playwright)"
    if not Path(CHROMIUM).exists():
        return f"không có Chromium tại {CHROMIUM} (apt-get install chromium)"
    return None


# Module-scoped: Playwright's sync API keeps an asyncio loop running in the main thread while it is
# open, and a test that calls asyncio.run() after it would fail; each browser test module has its own.
@pytest.fixture(scope="module")
def browser():
    import os

    reason = _no_browser_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Kiểm thử trình duyệt không chạy được trong CI: {reason}", pytrace=False)
        pytest.skip(f"Bỏ qua kiểm thử trình duyệt: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
