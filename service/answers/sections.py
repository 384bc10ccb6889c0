"""Questions that name a part of a document: "Mục III.1 của Kế hoạch 222 nói gì?", "Khoản 2 Điều 8
Quy định 124", "chú thích số 1", "dòng 6 của bảng phân công". The answer is that section's own text —
or, when the stored text has no such section, exactly that (a partial text is said to be partial).
"""
from __future__ import annotations

import re

from ingest.normalize import fold

from ..records import DocRef, Passage, Span, doc_label, section_label
from ..retrieval.names import SectionRef
from ..retrieval.scoring import W, text_match
from .compose import Builder, Quote, is_heading, none_answer
from .context import Context

_WORDS = {"part": "Phần", "chapter": "Chương", "section": "Mục", "article": "Điều", "clause": "khoản",
          "point": "điểm", "footnote": "chú thích", "row": "dòng", "item": "mục"}


def ref_label(refs: list[SectionRef]) -> str:
    return " ".join(f"{_WORDS[r.kind]} {r.number}" for r in refs)


_ORDINAL_WORDS = {"nhat": 1, "mot": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
                  "chin": 9, "muoi": 10}


def _value(number: str) -> int | None:
    """A part's or chapter's number, however written: "II", "2", "THỨ HAI" → 2."""
    from ..retrieval.scoring import roman_value

    token = fold(number).lower().replace("thu ", "").strip()
    if token.isdigit():
        return int(token)
    if token in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[token]
    return roman_value(token.upper())


def _tail(path: str) -> str:
    """The numbering part of a path: "Quy chế, Điều 3" → "Điều 3"; "Phần II.1" → "Phần II.1"."""
    return path.split(", ")[-1]


def _matches(path: str, sec: dict, refs: list[SectionRef]) -> int | None:
    """How well a section answers the named refs: 0 exact, larger = looser; None = not it."""
    kinds = {r.kind for r in refs}
    tail = _tail(path)
    by = {r.kind: r.number for r in refs}
    if "article" in kinds:
        want = f"Điều {by['article']}"
        if "clause" in by:
            want += f".{by['clause']}"
        if "point" in by:
            want += f".{by['point']}"
        return 0 if tail == want else None
    if "chapter" in kinds:
        own = tail[len("Chương "):] if tail.startswith("Chương ") else None
        return 0 if own is not None and _value(own) == _value(by["chapter"]) else None
    if len(refs) != 1:
        return None
    ref = refs[0]
    number = ref.number
    if ref.kind == "part":
        if sec.get("kind") not in (None, "", "part"):
            return None
        own = tail[len("Phần "):] if tail.startswith("Phần ") else tail
        return 0 if _value(own) is not None and _value(own) == _value(number) else None
    if ref.kind == "row":
        return 0 if sec.get("kind") == "row" and sec.get("number") == number else None
    bare = re.sub(r"^(?:Phần|Mục|Chương)\s+", "", tail)
    if bare == number:
        return 0
    if bare.endswith("." + number):
        return 1 + bare.count(".")  # "2.2" names II.2.2; deeper matches are looser
    return None


def resolve(ctx: Context, doc_id: str, refs: list[SectionRef]) -> dict | None:
    """The section of `doc_id` the refs name, or None."""
    if any(r.kind == "footnote" for r in refs):
        n = next(r.number for r in refs if r.kind == "footnote")
        entry = ctx.document(doc_id) or {}
        fn = next((f for f in entry.get("footnotes") or [] if str(f.get("number")) == n), None)
        return {"path": f"footnote {n}", "title": "", "start": fn["start"], "end": fn["end"]} if fn else None
    best: tuple[int, int, dict] | None = None
    for sec in ctx.section_tree(doc_id):
        rank = _matches(sec["path"], sec, refs)
        if rank is not None and (best is None or (rank, len(sec["path"])) < best[:2]):
            best = (rank, len(sec["path"]), sec)
    if best is None and refs[0].kind == "row":
        return _row_by_line(ctx, doc_id, refs[0].number)
    return best[2] if best else None


def _row_by_line(ctx: Context, doc_id: str, number: str) -> dict | None:
    """A duty table written as text lines ("6 | Giám sát … | … | 6 tháng cuối năm"): the line of row N."""
    entry = ctx.document(doc_id) or {}
    text = entry.get("text") or ""
    m = re.search(rf"^[ \t]*0?{re.escape(number)}[ \t]*[|\t][^\n]+", text, re.M)
    if not m:
        return None
    sec = ctx.section_at(doc_id, m.start())
    return {"path": sec["path"] if sec else None, "title": sec["title"] if sec else "", "start": m.start(),
            "end": m.end(), "row": True}


def _candidate_docs(ctx: Context) -> list[str]:
    named = [d.doc_id for d in ctx.lk.named]
    if named:
        return named
    seen: list[str] = []
    for p in ctx.passages()[:5]:
        if p.doc_id not in seen:
            seen.append(p.doc_id)
    return seen


def compose_section(ctx: Context) -> dict | None:
    refs = list(ctx.q.sections)
    docs = _candidate_docs(ctx)
    found = [(d, sec) for d in docs if (sec := resolve(ctx, d, refs)) is not None]
    if not found:
        if ctx.lk.named:
            return _absent(ctx, refs)
        return None
    if len(found) > 1 and not ctx.lk.named:
        terms = ctx.terms()
        found.sort(key=lambda f: -text_match(terms, f[1].get("title") or ""))
    doc_id, sec = found[0]
    return _section_text(ctx, doc_id, sec)


def _absent(ctx: Context, refs: list[SectionRef]) -> dict:
    doc = ctx.lk.named[0]
    entry = ctx.document(doc.doc_id) or {}
    label = doc_label(entry.get("type"), entry.get("number"), doc.doc_id)
    note = " (kho chỉ lưu một phần văn bản này)" if entry.get("completeness") == "partial" else ""
    return none_answer(f"Bản {label} trong kho không có {ref_label(refs)}{note}. Các văn bản hiện có trong kho "
                       "không đề cập đến nội dung này.", ctx.passages())


def _section_text(ctx: Context, doc_id: str, sec: dict) -> dict | None:
    path = sec.get("path")
    rows: list[Passage] = [p for p in ctx.doc_passages(doc_id)
                           if p.start < sec["end"] and sec["start"] < p.end]
    quotes: list[Quote] = []
    terms = ctx.terms()
    for p in rows:
        for s, e in p.sentence_spans():
            s, e = max(s, sec["start"]), min(e, sec["end"])
            if s >= e:
                continue
            text = p.quote(s, e)
            if not text.strip() or (not sec.get("row") and is_heading(ctx, doc_id, s, e, text)):
                continue
            quotes.append(Quote(text_match(terms, text), p, s, e))
    if not quotes:
        return None
    listing = bool(re.search(r"\b(?:gom|nhung|cac|liet ke)\b", fold(ctx.q.expanded).lower()))
    limit = ctx.k or (W.max_list_quotes if listing else W.max_quotes)
    if ctx.q.topic_syllables and len(quotes) > limit:
        # The sentences that share most with the rest of the question ("… nói gì về thời hạn?"),
        # the earliest first on ties; shown in reading order.
        keep = {id(x) for x in sorted(quotes, key=lambda x: -x.score)[:limit]}
        quotes = [x for x in quotes if id(x) in keep]
    quotes = quotes[:limit]
    b = Builder(ctx)
    entry = ctx.document(doc_id) or {}
    label = doc_label(entry.get("type"), entry.get("number"), doc_id)
    title = (sec.get("title") or "").strip()
    where = section_label(path) if path else "Đoạn được hỏi"
    heading = None
    if sec.get("heading_end") and sec["heading_end"] > sec["start"] and title:
        heading = Span(DocRef(doc_id, entry.get("number"), entry.get("title"), entry.get("type"), entry.get("issued")),
                       sec["start"], sec["heading_end"], (entry.get("text") or "")[sec["start"]:sec["heading_end"]],
                       path, title)
    # The section's heading names what it is about; it is document text, cited like any quote.
    lead = f"{where[:1].upper()}{where[1:]} của {label}"
    if heading is not None and heading.quote:
        b.direct(f"{lead}: “{heading.quote.strip()}”", heading)
    else:
        b.direct(f"{lead}:")
    b.quotes(quotes, terms if ctx.q.topic_syllables else None)
    return b.result("passages")
