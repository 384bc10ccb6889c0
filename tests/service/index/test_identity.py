"""Which stored document a file is and what storing it replaces (service/index/identity.py, issue 16
item 5), through a real KnowledgeBase on an embedded store: ids that keep numbers and files apart,
older ids kept for stored documents, access kept unless the file or the caller says, and replacing
another file's document or changing its access only with `replace`."""
from __future__ import annotations

from datetime import date

from ingest.pipeline import build_document, legacy_doc_id, make_doc_id
from ingest.readers import RawDocument
from service.config import Settings
from service.index.identity import Change, Stored, id_chooser
from service.index.points import build_points
from service.knowledge import KnowledgeBase

PLAN = """KẾ HOẠCH
về học tập chuyên đề Yelvarin năm 2024

1. Các chi bộ phải tổ chức học tập chuyên đề Yelvarin trước ngày 31/05/2024.
2. Đảng viên viết bản thu hoạch Yelvarin.
"""


def numbered(number: str, *, access: str | None = None, extra: str = "") -> str:
    fm = f"---\nnumber: {number}\nissued: 2024-02-20\n" + (f"access: {access}\n" if access else "") + "---\n"
    return fm + PLAN + extra


def raw(name: str, text: str) -> RawDocument:
    fmt = "md" if text.startswith("---") else "txt"
    from ingest.readers import read_bytes

    return read_bytes(text.encode("utf-8"), name if name.endswith((".md", ".txt")) else f"{name}.{fmt}")


def kb_at(tmp_path) -> KnowledgeBase:
    return KnowledgeBase(Settings(data_dir=tmp_path / "data"))


def test_id_chooser_keeps_stored_documents_under_their_older_ids():
    day = date(2024, 2, 20)
    stored = {
        "777-kh-tu-2024-02-20": Stored("777-kh-tu-2024-02-20", "777 KH.TU", "a.md", "internal", "v1"),
        "bien-ban": Stored("bien-ban", None, "bien-ban.docx", "public", "v1"),
    }
    choose = id_chooser(stored)
    # The stored "777 KH.TU" keeps its older id; "777-KH/TU" is another number: not that document.
    assert choose("777 KH.TU", day, "b.md") == "777-kh-tu-2024-02-20"
    assert choose("777-KH/TU", day, "b.md") == make_doc_id("777-KH/TU", day, "b.md") == "777-kh-tu-2024-02-20"
    assert choose("777-KH-TU", day, "b.md") == make_doc_id("777-KH-TU", day, "b.md") != "777-kh-tu-2024-02-20"
    # A document without a number is its file: bien-ban.docx again keeps "bien-ban", the .pdf does not.
    assert choose(None, None, "bien-ban.docx") == "bien-ban"
    assert choose(None, None, "bien-ban.pdf") == make_doc_id(None, None, "bien-ban.pdf") != "bien-ban"
    assert legacy_doc_id(None, None, "bien-ban.pdf") == "bien-ban"  # what used to meet
    assert choose(None, None, "khac.md") == make_doc_id(None, None, "khac.md")


def test_change_reasons_name_the_file_and_the_access():
    before = Stored("x", "1-KH/TU", "cu.md", "internal", "v1")
    assert Change("x", None, "moi.md", "public").reasons() == []
    assert Change("x", before, "cu.md", "internal").reasons() == []
    both = Change("x", before, "moi.md", "public")
    assert len(both.reasons()) == 2
    message = both.refusal("replace=true")
    assert "'cu.md'" in message and "'moi.md'" in message and "nội bộ" in message and "công khai" in message
    assert "replace=true" in message and "Kho chưa thay đổi" in message
    assert both.to_json() == {"before": {"source": "cu.md", "access": "internal"},
                              "after": {"source": "moi.md", "access": "public"}}


def test_reupload_keeps_access_and_replacing_needs_consent(tmp_path):
    with kb_at(tmp_path) as kb:
        first = kb.ingest_raw(raw("ke-hoach.md", numbered("777-KH/TU")), access="internal")
        assert first.status == "added" and first.doc_id == "777-kh-tu-2024-02-20"
        access = lambda: kb.store.catalog_entry(first.doc_id, with_fields=["access"])["access"]  # noqa: E731
        # The same file without an access: unchanged, still internal (no silent downgrade).
        again = kb.ingest_raw(raw("ke-hoach.md", numbered("777-KH/TU")))
        assert again.status == "unchanged" and access() == "internal"
        # A changed version of the same file without an access: updated, still internal.
        edited = kb.ingest_raw(raw("ke-hoach.md", numbered("777-KH/TU", extra="3. Bổ sung một việc.\n")))
        assert edited.status == "updated" and access() == "internal"
        assert edited.replaced == {"before": {"source": "ke-hoach.md", "access": "internal"},
                                   "after": {"source": "ke-hoach.md", "access": "internal"}}
        version = kb.store.catalog_entry(first.doc_id, with_fields=["version"])["version"]
        # Saying public (front matter, or the caller) changes the access: refused without replace.
        for item in (kb.ingest_raw(raw("ke-hoach.md", numbered("777-KH/TU", access="public"))),
                     kb.ingest_raw(raw("ke-hoach.md", numbered("777-KH/TU")), access="public")):
            assert item.status == "error" and item.code == "replace_required", item
            assert "--replace" in item.error and "công khai" in item.error
        # Another file with the same number and date: refused without replace, whatever its access.
        other = kb.ingest_raw(raw("tep-khac.md", numbered("777-KH/TU", extra="Khác.\n")))
        assert other.code == "replace_required" and "'tep-khac.md'" in other.error
        assert kb.store.catalog_entry(first.doc_id, with_fields=["version"])["version"] == version
        assert access() == "internal"
        # With replace: done, and the summary says what it replaced.
        done = kb.ingest_raw(raw("tep-khac.md", numbered("777-KH/TU", access="public")), replace=True)
        assert done.status == "updated" and access() == "public"
        assert done.replaced == {"before": {"source": "ke-hoach.md", "access": "internal"},
                                 "after": {"source": "tep-khac.md", "access": "public"}}


def test_ids_do_not_meet_for_different_numbers_or_files(tmp_path):
    with kb_at(tmp_path) as kb:
        a = kb.ingest_raw(raw("a.md", numbered("777-KH/TU")))
        b = kb.ingest_raw(raw("b.md", numbered("777 KH.TU")))
        assert a.status == b.status == "added" and a.doc_id != b.doc_id
        docx = kb.ingest_bytes(PLAN.encode(), "evil.txt")
        pdf_named = kb.ingest_bytes((PLAN + "Khác.\n").encode(), "evil.md")
        assert docx.status == pdf_named.status == "added" and docx.doc_id != pdf_named.doc_id
        assert len(kb.documents(("admin",))[0]) == 4


def test_a_store_written_with_older_ids_keeps_them(tmp_path):
    """Compatibility: documents stored under the older ids stay there when their files come again
    (unchanged when nothing changed), and a colliding file gets an id of its own."""
    with kb_at(tmp_path) as kb:
        for name, text in (("a.md", numbered("777 KH.TU")), ("bien-ban.txt", PLAN)):
            doc = build_document(raw(name, text), choose_id=legacy_doc_id)
            kb.store.replace_document(*build_points(doc))
        kb._wrote()
        ids = {e["doc_id"] for e in kb.store.catalog(with_fields=["number"])}
        assert ids == {"777-kh-tu-2024-02-20", "bien-ban"}
        again = [kb.ingest_raw(raw("a.md", numbered("777 KH.TU"))), kb.ingest_raw(raw("bien-ban.txt", PLAN))]
        assert [(i.status, i.doc_id) for i in again] == [("unchanged", "777-kh-tu-2024-02-20"), ("unchanged", "bien-ban")]
        canonical = kb.ingest_raw(raw("c.md", numbered("777-KH/TU")))  # the plain number's id is the older one...
        assert canonical.code == "replace_required"  # ...held by "777 KH.TU" from another file: not silently replaced
        other = kb.ingest_bytes(PLAN.encode(), "bien-ban.md")
        assert other.status == "added" and other.doc_id not in ids
