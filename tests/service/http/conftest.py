"""The API over real HTTP for the tests of this folder: uvicorn on a free loopback port in a background
thread, httpx as the client, a real KnowledgeBase (embedded Qdrant Edge) on a temporary data dir with
the shipped corpus ingested once (``kb``, ``base_url``, ``http``, ``documents``); and the same with API
keys over the corpus plus one `access: internal` document (``keyed_kb``, ``keyed_url``, ``internal_id``),
for the security and upload tests. Session-scoped: each store is ingested and served once."""
from __future__ import annotations

import httpx
import pytest

from conftest import ROOT
from service.config import Settings
from service.http.app import create_app
from support.kb import ingested
from support.keyed import INTERNAL_DOC, INTERNAL_NUMBER, KEYS
from support.serving import serve_in_thread as served


@pytest.fixture(scope="session")
def kb(tmp_path_factory):
    with ingested(tmp_path_factory.mktemp("api-data"), [ROOT / "corpus"]) as the_kb:
        yield the_kb


@pytest.fixture(scope="session")
def base_url(kb):
    with served(create_app(kb=kb)) as url:
        yield url


@pytest.fixture(scope="session")
def http(base_url):
    with httpx.Client(base_url=base_url, timeout=30.0) as client:
        yield client


@pytest.fixture(scope="session")
def documents(http) -> dict[str, dict]:
    """doc_id → the full Document, fetched over the API."""
    listing = http.get("/api/documents").json()["documents"]
    out = {}
    for d in listing:
        r = http.get(f"/api/documents/{d['doc_id']}")
        assert r.status_code == 200, r.text
        out[d["doc_id"]] = r.json()
    return out


@pytest.fixture(scope="session")
def keyed_kb(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("security")
    (tmp / "extra").mkdir()
    (tmp / "extra" / "777-KH-TU-noi-bo.md").write_text(INTERNAL_DOC, encoding="utf-8")
    with ingested(tmp / "data", [ROOT / "corpus", tmp / "extra"]) as the_kb:
        yield the_kb


@pytest.fixture(scope="session")
def internal_id(keyed_kb) -> str:
    ids = [e["doc_id"] for e in keyed_kb.store.catalog(with_fields=["number", "access"])
           if e.get("number") == INTERNAL_NUMBER]
    assert len(ids) == 1 and keyed_kb.store.catalog_entry(ids[0])["access"] == "internal"
    return ids[0]


@pytest.fixture(scope="session")
def keyed_url(keyed_kb):
    with served(create_app(Settings(data_dir=keyed_kb.settings.data_dir, api_keys=KEYS), kb=keyed_kb)) as url:
        yield url
