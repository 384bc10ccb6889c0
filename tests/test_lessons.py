"""Lesson outlines (issue 6) on the real stack: the shipped corpus in a real embedded store, real
underthesea, the real exports (python-docx; LibreOffice headless renders the .docx), the real
command line in a subprocess.

What must hold for any topic: every quote is verbatim document text at its span, every review
answer is a span of the quote it cites, documents a caller may not see never show, and a topic the
documents do not cover gives an outline that says so and holds nothing else.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from conftest import CORPUS, ROOT
from ingest.normalize import fold
from service.config import Settings
from service.errors import UserError
from service.knowledge import KnowledgeBase
from service.lessons.export import lesson_docx, lesson_filename, lesson_markdown, lesson_text
from service.lessons.questions import ask_actor, ask_deadline, ask_lists, ask_numbers
from service.lessons.build import MAX_TOPIC, build_lesson

TOPICS = ["nêu gương", "kế hoạch cá nhân", "tuyên truyền", "Mặt trận Tổ quốc giám sát"]
UNCOVERED = "công thức nấu phở"
SHOTS = ROOT / "eval" / "screenshots"

INTERNAL = """---
number: 77-KH/TU
type: Kế hoạch
title: Kế hoạch nội bộ về nêu gương trong cơ quan
issued: 2024-02-01
issuer: Ban Thường vụ Tỉnh ủy
access: internal
---
KẾ HOẠCH

1. Nêu gương trong cơ quan
Cán bộ, đảng viên trong cơ quan nêu gương theo Quy định số 88-QĐ/TW, ngày 01/01/2020 của Bộ Chính trị về nêu gương nội bộ. Hoàn thành việc đăng ký nêu gương trước ngày 31/3/2024.
"""


def all_citations(lesson: dict) -> list[dict]:
    """Every citation the lesson carries, wherever it sits."""
    out = list(lesson["citations"])
    out += [p["citation"] for part in lesson["parts"] for p in part["points"]]
    for o in lesson["obligations"]:
        out += [o["citation"]] + ([o["deadline_citation"]] if o.get("deadline_citation") else [])
    out += [q["citation"] for q in lesson["questions"]]
    return out


@pytest.fixture(scope="module")
def lessons(kb) -> dict[str, dict]:
    return {t: build_lesson(kb, t) for t in TOPICS}


@pytest.fixture(scope="module")
def texts(kb) -> dict[str, str]:
    docs, _ = kb.documents()
    return {d["doc_id"]: kb.document(d["doc_id"])["text"] for d in docs}


# --------------------------------------------------------------------------------------------
# The outline
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("topic", TOPICS)
def test_every_quote_is_verbatim_document_text(lessons, texts, topic):
    lesson = lessons[topic]
    assert lesson["covered"] and lesson["note"] is None
    assert sum(len(part["points"]) for part in lesson["parts"]) >= 3
    for c in all_citations(lesson):
        assert c["quote"] and texts[c["doc_id"]][c["start"]:c["end"]] == c["quote"], c
    # Citations are numbered 1..n, one number per span, and every object points at its entry.
    assert [c["n"] for c in lesson["citations"]] == list(range(1, len(lesson["citations"]) + 1))
    spans = [(c["doc_id"], c["start"], c["end"]) for c in lesson["citations"]]
    assert len(spans) == len(set(spans))
    for c in all_citations(lesson):
        assert lesson["citations"][c["n"] - 1] == c
    # The documents listed are exactly the ones quoted, with their metadata.
    assert {d["doc_id"] for d in lesson["documents"]} == {c["doc_id"] for c in lesson["citations"]}
    assert all(d["number"] and d["type"] and d["issued"] for d in lesson["documents"])


@pytest.mark.parametrize("topic", TOPICS)
def test_review_answers_are_facts_stated_in_their_cited_quote(lessons, texts, topic):
    questions = lessons[topic]["questions"]
    assert questions, topic
    for q in questions:
        c = q["citation"]
        assert q["answer"].strip() and q["answer"] in c["quote"], q
        assert texts[c["doc_id"]][q["start"]:q["end"]] == q["answer"], q
        assert c["start"] <= q["start"] < q["end"] <= c["end"], q
        assert q["answer"] not in q["question"], q  # the question does not give its answer away
        assert q["question"].startswith("Theo "), q  # it names its source


def test_questions_cover_deadlines_actors_numbers_and_lists(lessons):
    kinds = {q["kind"] for lesson in lessons.values() for q in lesson["questions"]}
    assert kinds == {"deadline", "actor", "number", "list"}
    # The example: an individual's plan is due "trong tháng 01/2024", cited to the sentence
    # that says so.
    plan = [q for q in lessons["kế hoạch cá nhân"]["questions"] if q["kind"] == "deadline"]
    assert any(q["answer"] == "trong tháng 01/2024" and "hoàn thành" in q["question"] for q in plan), plan
    # A deadline question asks about an obligation the lesson lists with that deadline.
    for lesson in lessons.values():
        deadlines = {(o["deadline"] or {}).get("text") for o in lesson["obligations"]}
        for q in lesson["questions"]:
            if q["kind"] == "deadline":
                assert q["answer"] in deadlines, q


def test_points_are_grouped_by_document_and_section(lessons, kb):
    for lesson in lessons.values():
        keys = [(part["doc_id"], part["section"]) for part in lesson["parts"]]
        assert len(keys) == len(set(keys)), keys  # one part per document and section
        for part in lesson["parts"]:
            assert part["doc_number"] in part["heading"]
            assert all(p["citation"]["doc_id"] == part["doc_id"] for p in part["points"])
            body = [p["citation"]["start"] for p in part["points"] if not (p["citation"]["section"] or "").startswith("footnote")]
            assert body == sorted(body)  # reading order
    # A footnote stands with the section that marks it: "trách nhiệm nêu gương¹" in II.2.2.
    part = next(p for p in lessons["kế hoạch cá nhân"]["parts"] if p["section"] == "II.2.2")
    assert any((p["citation"]["section"] or "").startswith("footnote") for p in part["points"])


def test_headings_are_not_points(lessons, kb):
    """"2.2. Kế hoạch cá nhân" is the structure of the outline (a part's heading), not a point."""
    for lesson in lessons.values():
        for part in lesson["parts"]:
            sections = kb.document(part["doc_id"])["sections"]
            headings = [(s["start"], s["heading_end"]) for s in sections if s["heading_end"] < s["end"]]
            for p in part["points"]:
                c = p["citation"]
                assert not any(a <= c["start"] and c["end"] <= b for a, b in headings), c


def test_documents_to_fetch_are_cited_and_not_stored(lessons, kb, texts):
    stored = {fold(d["number"]).lower() for d in kb.documents()[0]}
    missing = lessons["nêu gương"]["missing"]
    assert missing
    for m in missing:
        assert fold(m["number"]).lower() not in stored
        assert m["cited_by"] and all(m["number"] in texts[d] for d in m["cited_by"]), m
    # The regulations on setting an example that footnote 1 lists (marked in a quoted sentence).
    assert {"101-QĐ/TW", "08-QĐ/TW"} <= {m["number"] for m in missing}


def test_topic_the_documents_do_not_cover_says_so(kb):
    lesson = build_lesson(kb, UNCOVERED)
    assert lesson["covered"] is False
    assert "không đề cập" in lesson["note"] and UNCOVERED in lesson["note"]
    for key in ("documents", "parts", "obligations", "questions", "missing", "citations"):
        assert lesson[key] == [], key
    assert "không đề cập" in lesson_text(lesson)


def test_topic_naming_a_document_draws_on_it(kb, texts):
    """"Kết luận 14" is about Kết luận 14-KL/TW even where its text never says "14"."""
    lesson = build_lesson(kb, "Kết luận 14")
    assert lesson["covered"] and "14-KL/TW" in [d["number"] for d in lesson["documents"]]
    for c in lesson["citations"]:
        assert texts[c["doc_id"]][c["start"]:c["end"]] == c["quote"]


def test_documents_filter_and_input_errors(kb, texts):
    lesson = build_lesson(kb, "Mặt trận Tổ quốc giám sát", documents=["124-qđ/tw"])
    assert {c["doc_id"] for c in lesson["citations"]} == {d["doc_id"] for d in lesson["documents"]}
    assert [d["number"] for d in lesson["documents"]] == ["124-QĐ/TW"]
    # Nothing in the chosen document on the topic: said, not filled.
    none = build_lesson(kb, "tuyên truyền miệng bằng tiếng dân tộc thiểu số", documents=["144-QĐ/TW"])
    assert none["covered"] is False and "đã chọn" in none["note"]
    cases = [("", None, "empty_topic", 400), ("   ", None, "empty_topic", 400),
             ("x" * (MAX_TOPIC + 1), None, "topic_too_long", 400),
             ("nêu gương", ["999-KH/TU"], "unknown_document", 404), ("nêu gương", [""], "bad_document", 400)]
    for topic, docs, code, status in cases:
        with pytest.raises(UserError) as e:
            build_lesson(kb, topic, documents=docs)
        assert (e.value.code, e.value.status) == (code, status)
        assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", e.value.message)


def _removable(lesson: dict) -> tuple[list[str], list[str]]:
    """(point ids, ids of the points a question is drawn from that no obligation also quotes)."""
    ids = [p["id"] for part in lesson["parts"] for p in part["points"]]
    asked = {q["citation"]["n"] for q in lesson["questions"]}
    point_n = {p["id"]: p["citation"]["n"] for part in lesson["parts"] for p in part["points"]}
    listed = {c["n"] for o in lesson["obligations"] for c in (o["citation"], o.get("deadline_citation")) if c}
    return ids, [i for i in ids if point_n[i] in asked and point_n[i] not in listed]


def test_edited_outline_keeps_order_and_drops_questions_on_removed_points(kb, lessons):
    topic = next(t for t in TOPICS if _removable(lessons[t])[1])
    full = lessons[topic]
    ids, removed = _removable(full)
    kept = [i for i in reversed(ids) if i not in removed]
    edited = build_lesson(kb, topic, points=kept)
    assert [p["id"] for part in edited["parts"] for p in part["points"]] == kept
    removed_spans = {tuple(i.rsplit(":", 1)[1].split("-")) for i in removed}
    assert len(edited["questions"]) < len(full["questions"])
    for q in edited["questions"]:
        assert (str(q["citation"]["start"]), str(q["citation"]["end"])) not in removed_spans, q
    assert [c["n"] for c in edited["citations"]] == list(range(1, len(edited["citations"]) + 1))
    with pytest.raises(UserError) as e:
        build_lesson(kb, topic, points=kept + ["khong-co:1-2"])
    assert e.value.code == "unknown_point" and e.value.status == 400


def test_question_shapes_on_sentences_outside_the_corpus():
    """The fact finders on sentences of other documents: the answer is always a span of the
    sentence, dates, years and document numbers are not quantities, and a sentence that does not
    open with who acts gets no "who" question."""
    lead = "Theo Kế hoạch 1-KH/TU"
    s = "Các chi bộ nộp báo cáo sơ kết trước ngày 30/6/2025."
    d = ask_deadline(s, "trước ngày 30/6/2025", lead)
    assert s[d.start:d.end] == "trước ngày 30/6/2025" and d.question.endswith("các chi bộ nộp báo cáo sơ kết trong thời hạn nào?")
    s = "Chậm nhất 15 ngày, kể từ ngày nhận đơn, cấp ủy phải trả lời bằng văn bản."
    d = ask_deadline(s, "Chậm nhất 15 ngày, kể từ ngày nhận đơn", lead)
    assert "[…]" in d.question and s[d.start:d.end] not in d.question
    s = "Theo Quy định số 12-QĐ/TW năm 2021, mỗi chi bộ tổ chức 2 buổi sinh hoạt chuyên đề và mời từ 3 đến 5 đảng viên phát biểu."
    found = ask_numbers(s, lead)
    assert [s[x.start:x.end] for x in found] == ["2 buổi", "từ 3 đến 5 đảng"]
    assert all("bao nhiêu" in x.question for x in found)
    s = "Hồ sơ gồm: (1) Đơn đề nghị; (2) Bản tự kiểm điểm; (3) Nhận xét của chi bộ."
    (lst,) = ask_lists(s, lead)
    assert s[lst.start:lst.end] == "(1) Đơn đề nghị; (2) Bản tự kiểm điểm; (3) Nhận xét của chi bộ" and "“Hồ sơ”" in lst.question
    assert ask_lists("Báo cáo viên: Cấp ủy phân công; có thể mời cấp trên.", lead) == []
    s = "Ban Tuyên giáo Tỉnh ủy và các huyện ủy tổ chức tập huấn cho báo cáo viên."
    a = ask_actor(s, "tổ chức tập huấn cho báo cáo viên", lead)
    assert s[a.start:a.end] == "Ban Tuyên giáo Tỉnh ủy và các huyện ủy" and "tổ chức nào tổ chức tập huấn" in a.question
    assert ask_actor("Khi có sai phạm, chi bộ phải báo cáo ngay.", "phải báo cáo ngay", lead) is None


# --------------------------------------------------------------------------------------------
# Access
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kb_internal(tmp_path_factory):
    folder = tmp_path_factory.mktemp("internal-docs")
    for f in CORPUS.iterdir():
        shutil.copy(f, folder / f.name)
    (folder / "77-KH-TU-2024-noi-bo.md").write_text(INTERNAL, encoding="utf-8")
    the_kb = KnowledgeBase(Settings(data_dir=tmp_path_factory.mktemp("internal-data")))
    report = the_kb.ingest_paths([folder])
    assert not report.errors, report.to_json()
    yield the_kb
    the_kb.close()


def test_internal_documents_never_reach_a_reader(kb_internal):
    internal_id = next(e["doc_id"] for e in kb_internal.store.catalog(with_fields=["number"]) if e["number"] == "77-KH/TU")
    reader = build_lesson(kb_internal, "nêu gương trong cơ quan", scopes=("read",))
    insider = build_lesson(kb_internal, "nêu gương trong cơ quan", scopes=("read", "internal"))
    dump = json.dumps(reader, ensure_ascii=False)
    assert internal_id not in dump and "77-KH/TU" not in dump and "88-QĐ/TW" not in dump
    assert "nội bộ" not in dump
    # The same lesson for a caller with the internal scope quotes it and lists what it cites.
    assert internal_id in {d["doc_id"] for d in insider["documents"]}
    assert "88-QĐ/TW" in {m["number"] for m in insider["missing"]}
    # Asking for it by number: unknown to a reader (the same answer as for a document that does not exist).
    with pytest.raises(UserError) as e:
        build_lesson(kb_internal, "nêu gương", documents=["77-KH/TU"], scopes=("read",))
    assert (e.value.code, e.value.status) == ("unknown_document", 404)
    only = build_lesson(kb_internal, "nêu gương", documents=["77-KH/TU"], scopes=("internal",))
    assert [d["doc_id"] for d in only["documents"]] == [internal_id]


# --------------------------------------------------------------------------------------------
# Exports
# --------------------------------------------------------------------------------------------


def test_filenames_are_safe_and_named_after_the_topic():
    assert lesson_filename("Nêu gương", "docx") == "bai-giang-neu-guong.docx"
    assert lesson_filename("Mặt trận Tổ quốc giám sát", "md") == "bai-giang-mat-tran-to-quoc-giam-sat.md"
    for evil in ('../../etc/passwd', 'a"b\r\nX-Evil: 1', "///", "đ" * 500):
        name = lesson_filename(evil, "docx")
        assert re.fullmatch(r"bai-giang(-[a-z0-9]+)*\.docx", name) and len(name) <= 80, name


def test_docx_has_headings_numbered_quotes_footnotes_and_sources(lessons):
    lesson = lessons["kế hoạch cá nhân"]
    doc = DocxDocument(io.BytesIO(lesson_docx(lesson)))
    paragraphs = [p.text for p in doc.paragraphs]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert lesson["title"] in headings
    for part in lesson["parts"]:
        assert part["heading"] in headings
    assert {"I. Văn bản sử dụng", "II. Nội dung chính", "IV. Câu hỏi ôn tập", "Nguồn"} <= set(headings)
    # Every point, numbered, as its verbatim quote; every question with its answer.
    points = [p["citation"]["quote"] for part in lesson["parts"] for p in part["points"]]
    for i, quote in enumerate(points, 1):
        assert f"{i}.\t“{quote}”" in paragraphs
    for q in lesson["questions"]:
        assert any(q["question"] in t for t in paragraphs) and f"Đáp án: {q['answer']}" in paragraphs
    # Real footnotes: one per reference, each naming its source document.
    part = doc.part.part_related_by("http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes")
    xml = part.blob.decode("utf-8")
    refs = sum(len(p._p.findall(".//{*}footnoteReference")) for p in doc.paragraphs)
    notes = re.findall(r'<w:footnote w:id="(\d+)">', xml)
    assert refs == len(notes) >= len(points) + len(lesson["questions"])
    assert xml.count("222-KH/TU") >= len(notes)
    # The sources list names every document used.
    tail = paragraphs[paragraphs.index("Nguồn"):]
    assert all(any(d["number"] in t for t in tail) for d in lesson["documents"])


def test_markdown_export_cites_every_point_and_escapes_markup(lessons):
    lesson = lessons["nêu gương"]
    text = lesson_markdown(lesson)
    assert text.startswith(f"# {lesson['title']}")
    refs = set(re.findall(r"\[\^(\d+)\](?!:)", text))
    defs = set(re.findall(r"^\[\^(\d+)\]:", text, re.M))
    assert refs == defs and len(defs) >= sum(len(p["points"]) for p in lesson["parts"])
    hostile = {**lesson, "parts": [{**lesson["parts"][0], "points": [{**lesson["parts"][0]["points"][0], "citation": {
        **lesson["parts"][0]["points"][0]["citation"], "quote": "<script>x()</script> *đậm* [liên kết](http://x)"}}]}]}
    out = lesson_markdown(hostile)
    assert "<script>" not in out and r"\<script\>" in out and r"\*đậm\*" in out and r"\[liên kết\]" in out


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def test_docx_renders_with_libreoffice(lessons, tmp_path):
    """The .docx opens in LibreOffice (headless, the Debian package): converted to PDF it has pages
    and the lesson's text. One rendered page is kept as eval/screenshots/lesson-page.png."""
    soffice = _soffice()
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (libreoffice-writer-nogui) không có trong CI", pytrace=False)
        pytest.skip("không có LibreOffice (apt-get install libreoffice-writer-nogui)")
    lesson = lessons["kế hoạch cá nhân"]
    src = tmp_path / lesson_filename(lesson["topic"], "docx")
    src.write_bytes(lesson_docx(lesson))
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: no clash with another LibreOffice
    r = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), str(src)], capture_output=True, text=True, timeout=300)
    pdf = src.with_suffix(".pdf")
    assert r.returncode == 0 and pdf.exists(), r.stdout + r.stderr
    reader = PdfReader(str(pdf))
    assert len(reader.pages) > 0
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert lesson["title"] in text and "Hoàn thành xây dựng kế hoạch trong tháng 01/2024." in text
    if shutil.which("pdftoppm"):  # the README's picture of a rendered page
        SHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(SHOTS / "lesson-page")], check=True, timeout=120)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def test_cli_lesson_writes_docx_and_markdown(tmp_path):
    env = {**os.environ, "SOTAY_DATA_DIR": str(tmp_path / "data")}
    env.pop("SOTAY_EMBED_MODEL", None)
    env.pop("SOTAY_QDRANT_URL", None)

    def sotay(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)

    assert sotay("ingest", str(CORPUS)).returncode == 0
    out = tmp_path / "bai.docx"
    r = sotay("lesson", "Mặt trận Tổ quốc giám sát", "--doc", "124-QĐ/TW", "--out", str(out), "--json")
    assert r.returncode == 0, r.stderr
    lesson = json.loads(r.stdout)
    assert [d["number"] for d in lesson["documents"]] == ["124-QĐ/TW"]
    doc = DocxDocument(str(out))
    assert doc.paragraphs[0].text == lesson["title"]
    r = sotay("lesson", "nêu gương", "--out", str(tmp_path))  # a folder: named after the topic
    assert r.returncode == 0 and (tmp_path / "bai-giang-neu-guong.docx").exists(), r.stderr
    md = tmp_path / "x.md"
    assert sotay("lesson", "tuyên truyền", "--out", str(md)).returncode == 0
    assert md.read_text("utf-8").startswith("# Bài giảng: Tuyên truyền")
    r = sotay("lesson", "công thức nấu phở")
    assert r.returncode == 0 and "không đề cập" in r.stdout
    for args, needle in ((["lesson", ""], "Chủ đề"), (["lesson", "nêu gương", "--doc", "999-KH/TU"], "999-KH/TU"),
                         (["lesson", "nêu gương", "--out", str(tmp_path / "x.pdf")], ".docx")):
        r = sotay(*args)
        assert r.returncode == 1 and needle in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
