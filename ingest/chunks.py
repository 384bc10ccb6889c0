"""Chunks: the units of retrieval. One paragraph (a bullet, a numbered item, a khoản), with the
heading lines just above it, split at sentence boundaries when longer than ~500 characters.
Footnotes are chunks of their own; so are the header block ("header": issuer, number, place and
date, type, subject), each closing block ("closing": recipients, signature) and each row of a
text table ("row", indexed with its column names so "Cơ quan chủ trì" finds it). The display text
is always `document.text[start:end]`; the indexed text adds the document label and the heading
path so a passage matches the words of its context ("Kế hoạch cá nhân" for the footnote that
exempts some party members).
"""
from __future__ import annotations

from .models import Chunk, Document
from .structure import Paragraph, rstrip_span, split_sentences

MAX_CHARS = 500
# Words a reader asks a header or a closing block with ("ban hành ngày nào", "ai ký", "nơi nhận"):
# indexed with those blocks, whose own text is names and numbers.
FACE_WORDS = {
    "header": "cơ quan ban hành, số hiệu văn bản, ban hành ngày, nơi ban hành, loại văn bản, trích yếu",
    "closing": "nơi nhận, gửi, người ký, ký văn bản, chức vụ người ký, thay mặt",
}


def _label(doc: Document) -> str:
    words = (doc.title or "").split()
    short = " ".join(words[:14])
    return " ".join(x for x in (doc.type, doc.number, short) if x)


def _heading_path(doc: Document, path: str | None) -> str:
    titles: list[str] = []
    sec = doc.section(path)
    while sec is not None:
        if sec.title and len(sec.title) <= 130:
            titles.append(sec.title)
        sec = doc.section(sec.parent)
    return " / ".join(reversed(titles))


def _pack(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """Split text[start:end] into pieces of at most MAX_CHARS at sentence boundaries."""
    if end - start <= MAX_CHARS:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    cur_start, cur_end = None, None
    for s, e in split_sentences(doc.text, start, end):
        if cur_start is None:
            cur_start, cur_end = start if not pieces else s, e
        elif e - cur_start <= MAX_CHARS:
            cur_end = e
        else:
            pieces.append((cur_start, cur_end))
            cur_start, cur_end = s, e
    if cur_start is not None:
        pieces.append((cur_start, cur_end))
    return pieces


def _row_words(doc: Document) -> dict[tuple[int, int], str]:
    """Row span → "Cơ quan chủ trì: Văn phòng Đảng ủy Khối; Thời gian hoàn thành: trước 20/6"."""
    return {(r.start, r.end): "; ".join(f"{name}: {doc.text[c.start:c.end]}" if name else doc.text[c.start:c.end]
                                        for name, c in zip(table.columns, r.cells))
            for table in doc.tables for r in table.rows}


def _pack_lines(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """A header or closing block in pieces of at most ~MAX_CHARS, cut between lines."""
    pieces: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    pos = start
    for line in doc.text[start:end].split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        if not line.strip():
            continue
        if cur is None:
            cur = (s, e)
        elif e - cur[0] <= MAX_CHARS:
            cur = (cur[0], e)
        else:
            pieces.append(cur)
            cur = (s, e)
    if cur is not None:
        pieces.append(cur)
    return pieces


def build_chunks(doc: Document, paragraphs: list[Paragraph],
                 face: list[tuple[tuple[int, int], str | None, str]] | None = None) -> list[Chunk]:
    """`face`: (span, section, kind) of the header and closing blocks (`pipeline._face_blocks`)."""
    label = _label(doc)
    spans: list[tuple[int, int, str | None, str]] = []  # start, end, section, kind
    for (a, b), section, kind in face or []:
        spans.extend((s, e, section, kind) for s, e in _pack_lines(doc, a, b))
    pending: int | None = None  # start of heading lines waiting for their first paragraph
    pending_section: str | None = None

    def inside_pending(p: Paragraph) -> bool:
        """Headings wait only for their own section's text: "Điều 2. Mục đích" with no body of its
        own must not be cited as part of the next article."""
        sec = doc.section(pending_section)
        return sec is None or sec.start <= p.start < sec.end

    for p in paragraphs:
        if p.kind == "row":  # one row, one chunk; the headings above it stand on their own
            if pending is not None:
                spans.append((pending, rstrip_span(doc.text, pending, p.start), pending_section, "heading"))
                pending = None
            spans.append((p.start, rstrip_span(doc.text, p.start, p.end), p.section, "row"))
            continue
        if pending is not None and not inside_pending(p):
            spans.append((pending, rstrip_span(doc.text, pending, p.start), pending_section, "heading"))
            pending = None
        if p.heading_only:
            if pending is None:
                pending, pending_section = p.start, p.section
            continue
        pieces = _pack(doc, p.start, p.end)
        if pending is not None:
            first_s, first_e = pieces[0]
            if first_e - pending <= MAX_CHARS + 150:
                pieces[0] = (pending, first_e)
            else:
                spans.append((pending, rstrip_span(doc.text, pending, first_s), p.section, "heading"))
            pending = None
        kind = "preamble" if p.section is None else "body"
        spans.extend((s, e, p.section, kind) for s, e in pieces)
    if pending is not None:
        last = paragraphs[-1]
        spans.append((pending, last.end, last.section, "heading"))

    chunks: list[Chunk] = []
    spans.sort(key=lambda x: x[0])
    row_words = _row_words(doc)
    for s, e, section, kind in spans:
        sec = doc.section(section)
        context = _heading_path(doc, section)
        extra = row_words.get((s, e), "") if kind == "row" else FACE_WORDS.get(kind, "")
        chunks.append(Chunk(
            chunk_id=f"{doc.doc_id}:{len(chunks)}", position=len(chunks), start=s, end=e,
            section=section, section_title=sec.title if sec else None, kind=kind,
            index_text=" | ".join(x for x in (label, context, extra, doc.text[s:e]) if x), context=context,
        ))
    for fn in doc.footnotes:
        context = _heading_path(doc, fn.section)
        chunks.append(Chunk(
            chunk_id=f"{doc.doc_id}:{len(chunks)}", position=len(chunks), start=fn.start, end=fn.end,
            section=f"footnote {fn.number}", section_title=context or None, kind="footnote",
            index_text=" | ".join(x for x in (label, context, doc.text[fn.start:fn.end]) if x), context=context,
        ))
    return chunks
