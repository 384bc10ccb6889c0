"""Document ids and versions (ingest/pipeline.py): an id per number as written and per file name
(issue 16 item 5), the ids of plain numbers as they always were, and a version that follows the
access a document is stored with."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from ingest.pipeline import build_document, content_digest, legacy_doc_id, make_doc_id, set_access
from ingest.readers import RawDocument

DAY = date(2024, 2, 20)


def test_plain_numbers_keep_their_ids():
    for number, want in (("222-KH/TU", "222-kh-tu"), ("144-QĐ/TW", "144-qd-tw"), ("15-HD/UBKTTU", "15-hd-ubkttu")):
        assert make_doc_id(number, DAY, "x.md") == legacy_doc_id(number, DAY, "x.md") == f"{want}-2024-02-20"
        assert make_doc_id(number, None, "x.md") == want


def test_different_numbers_and_files_get_different_ids():
    forms = ["777-KH/TU", "777 KH.TU", "777-KH-TU", "777-kh/tu", "777/KH-TU", "0777-KH/TU"]
    ids = {make_doc_id(n, DAY, "x.md") for n in forms}
    assert len(ids) == len(forms)
    assert len({legacy_doc_id(n, DAY, "x.md") for n in forms[:4]}) == 1  # what used to meet
    names = ["evil.docx", "evil.pdf", "evil.md", "Evil.docx", "evil-docx.txt", "Biên bản.md", "bien ban.md"]
    assert len({make_doc_id(None, None, n) for n in names}) == len(names)
    assert make_doc_id(None, None, "Biên bản họp.md").startswith("bien-ban-hop-")
    assert make_doc_id(None, DAY, "evil.docx").endswith("-2024-02-20")


def test_set_access_gives_the_version_of_a_file_that_said_so():
    text = "KẾ HOẠCH\nvề thử\n\n1. Các chi bộ phải học tập trước ngày 31/05/2024.\n"
    public = build_document(RawDocument("a.md", "md", text, {}))
    internal = build_document(RawDocument("a.md", "md", text, {"access": "internal"}))
    assert public.content_hash != internal.content_hash
    set_access(public, "internal")
    assert public.access == "internal" and public.content_hash == internal.content_hash
    assert content_digest(replace(internal)) == internal.content_hash
