"""References cited in the texts (ingest.references) and the catalog's list of missing ones."""
from __future__ import annotations


def test_references_of_plan_222(corpus_docs):
    refs = {r.number: r for r in corpus_docs["222-KH/TU"].references}
    for n in ("01-KL/TW", "05-CT/TW", "121-HD/BTGTW", "44-KH/TU", "14-KL/TW", "87-KH/TU", "21-KL/TW",
              "101-QĐ/TW", "55-QĐ/TW", "08-QĐ/TW", "124-QĐ/TW"):
        assert n in refs, n
    assert "222-KH/TU" not in refs
    r = refs["14-KL/TW"]
    assert (r.type, r.issued, r.issuer) == ("Kết luận", "2021-09-22", "Bộ Chính trị")
    assert r.title == "chủ trương khuyến khích và bảo vệ cán bộ năng động, sáng tạo vì lợi ích chung"
    assert refs["87-KH/TU"].issuer == "Ban Thường vụ Tỉnh ủy"
    assert refs["101-QĐ/TW"].issued == "2012-06-07"


def test_documents_lists_missing_references(kb):
    docs, missing = kb.documents()
    numbers = {d["number"] for d in docs}
    assert {"222-KH/TU", "124-QĐ/TW", "14-KL/TW", "55-QĐ/TW", "144-QĐ/TW", "121-HD/BTGTW"} <= numbers
    missing_numbers = {m["number"] for m in missing}
    assert "01-KL/TW" in missing_numbers and "101-QĐ/TW" in missing_numbers
    assert not missing_numbers & numbers  # a stored document is never "missing"
    m = next(m for m in missing if m["number"] == "01-KL/TW")
    assert m["issued"] == "2021-05-18" and m["issuer"] == "Bộ Chính trị" and m["cited_by"]


def test_a_reference_to_another_terms_number_is_still_missing(tmp_path):
    """Numbers restart each term: the stored 55-QĐ/TW of 2016 does not stand in for the one of 2012."""
    from conftest import CORPUS
    from service.config import Settings
    from service.knowledge import KnowledgeBase

    citing = ("---\nnumber: 7-KH/ĐU\ntype: Kế hoạch\ntitle: Kế hoạch thử\nissued: 2024-02-01\nissuer: Đảng ủy xã\n---\n"
              "1. Thực hiện Quy định số 55-QĐ/TW, ngày 10/5/2012 của Ban Bí thư và Quy định số 55-QĐ/TW, "
              "ngày 19/12/2016 của Bộ Chính trị.\n")
    with KnowledgeBase(Settings(data_dir=tmp_path / "data")) as kb:
        kb.ingest_paths([CORPUS / "55-QD-TW-2016-viec-can-lam-ngay.md"])
        kb.ingest_bytes(citing.encode(), "ke-hoach-thu.md")
        _, missing = kb.documents()
    same = [m for m in missing if m["number"] == "55-QĐ/TW"]
    assert [m["issued"] for m in same] == ["2012-05-10"], same


def test_a_referenced_title_stops_at_the_end_of_its_clause():
    """Issue 13: a referenced document's title ran on into the next clause."""
    from ingest.references import find_references

    text = ("Để khắc phục hạn chế, thực hiện Nghị quyết số 09-NQ/TU, ngày 20/8/2021 của Ban Chấp hành Đảng bộ tỉnh "
            "về phát triển kết cấu hạ tầng giao thông giai đoạn 2021 - 2025, Ban Thường vụ Tỉnh ủy yêu cầu các cấp "
            "ủy thực hiện tốt. Theo Quy định số 08-QĐ/TW của Ban Chấp hành Trung ương về trách nhiệm nêu gương, "
            "đồng thời gắn với thi đua. Căn cứ Kết luận số 21-KL/TW về xây dựng Đảng (sau đây gọi là Kết luận 21).")
    refs = {r.number: r for r in find_references(text, own_number=None, doc_id="x")}
    r = refs["09-NQ/TU"]
    assert (r.type, r.issued, r.issuer) == ("Nghị quyết", "2021-08-20", "Ban Chấp hành Đảng bộ tỉnh")
    assert r.title == "phát triển kết cấu hạ tầng giao thông giai đoạn 2021 - 2025"
    assert refs["08-QĐ/TW"].title == "trách nhiệm nêu gương"
    assert refs["21-KL/TW"].title == "xây dựng Đảng"


def test_the_fullest_citation_tells_what_a_document_is():
    from ingest.references import find_references

    text = ("KẾ HOẠCH thực hiện Chỉ thị số 30-CT/TU của Ban Thường vụ Tỉnh ủy về tiết kiệm trong Đảng bộ Khối năm 2025\n"
            "Thực hiện Chỉ thị số 30-CT/TU, ngày 14/02/2025 của Ban Thường vụ Tỉnh ủy về thực hành tiết kiệm, chống "
            "lãng phí trên địa bàn tỉnh.")
    [r] = find_references(text, own_number=None, doc_id="x")
    assert r.issued == "2025-02-14" and r.title == "thực hành tiết kiệm, chống lãng phí trên địa bàn tỉnh"
