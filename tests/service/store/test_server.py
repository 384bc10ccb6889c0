"""ServerStore only (service/store/server.py): orphans of a replica that died mid-write. The rest of
the server adapter runs in test_base.py on the "local" and "server" backends."""
from __future__ import annotations

import pytest

from service.store import ServerStore, StoreFilter, qdrant_client
from support.stores import NO_SERVER, SERVER_KEY, SERVER_URL, Opener, cat, doc_points, sv


@pytest.mark.parametrize(
    "backend",
    ["local", pytest.param("server", marks=pytest.mark.skipif(not SERVER_URL, reason=NO_SERVER))],
)
def test_server_orphans_invisible_then_cleaned_after_grace(backend, tmp_path):
    """A replica that died mid-write leaves points no catalog entry names: invisible at once,
    deleted by a later open once older than the grace period (younger ones may be another
    replica's write in progress)."""
    o = Opener(backend, tmp_path)
    try:
        s = o()
        s.replace_document(cat("A", "a1"), doc_points("A", "a1", 2))
        crashed = [s._prepare(p, "A", "a2") for p in doc_points("A", "a2", 4)]
        s._upsert(crashed)  # a write that never reached its commit
        assert len(s.search(sparse={"bm25": sv(1000)}, dense=None, flt=StoreFilter(), limit=20)) == 2
        assert s.stats()["points"] == 2
        s.close()
        if backend == "local":
            def reopen(grace):
                st = ServerStore("local", client=qdrant_client(path=o.local_path), orphan_grace=grace)
                o.opened.append(st)
                return st
        else:

            def reopen(grace):
                st = ServerStore(SERVER_URL, api_key=SERVER_KEY, collection=o.collection, orphan_grace=grace)
                o.opened.append(st)
                return st

        s2 = reopen(3600.0)
        assert s2.orphans_deleted == 0  # too young: maybe a write in progress
        s2.close()
        s3 = reopen(0.0)
        assert s3.orphans_deleted == 4
        assert len(s3.scroll(StoreFilter(doc_ids=["A"]))) == 2
        assert s3.replace_document(cat("A", "a2"), doc_points("A", "a2", 4)) is True
    finally:
        o.cleanup()
