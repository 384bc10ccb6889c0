"""A lesson outline as a record: its quotes, points, review questions and the draft that holds them; the
labels it is shown with; applying an edited outline; and the lesson's JSON (CONTRACT "Lesson")."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..errors import UserError
from ..records import Citations, DocRef, Duty, Span, document_meta, obligation_json, section_label


@dataclass(frozen=True)
class Quote:
    """A verbatim span: text == document.text[start:end]."""
    doc_id: str
    start: int
    end: int
    text: str
    section: str | None
    section_title: str | None

    @property
    def key(self) -> tuple[str, int, int]:
        return self.doc_id, self.start, self.end


@dataclass
class Point:
    id: str
    quote: Quote
    group: str | None  # the section the point is shown under (a footnote's: the marking section)
    pos: float  # reading order within the document
    score: float


@dataclass
class Question:
    id: str
    kind: str
    question: str
    answer: str
    start: int  # answer == document.text[start:end], inside quote
    end: int
    quote: Quote


@dataclass
class Draft:
    topic: str
    covered: bool
    note: str | None
    points: list[Point] = field(default_factory=list)
    obligations: list[tuple[dict, Quote, Quote | None]] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    entries: dict[str, dict] = field(default_factory=dict)  # doc_id → catalog entry


def doc_label(entry: dict) -> str:
    """'Kế hoạch 222-KH/TU'."""
    label = " ".join(x for x in (entry.get("type"), entry.get("number")) if x)
    return label or entry.get("title") or entry["doc_id"]


def _section_label(path: str | None) -> str:
    return section_label(path, none="phần mở đầu")


_NUMBERING = re.compile(r"^\s*(?:(?:Điều|Chương|Mục|Phần)\s+)?(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\s*[.\-–)]\s*")


def section_title(entry: dict, path: str | None) -> str | None:
    """A section's heading as written; None for an item that is all text (its "title" would only
    repeat the quote)."""
    sec = next((s for s in entry.get("sections") or [] if s["path"] == path), None)
    if sec is None or not sec.get("title"):
        return None
    if not sec["title"].endswith("…"):
        return sec["title"]
    if sec["heading_end"] >= sec["end"]:
        return None
    full = _NUMBERING.sub("", entry["text"][sec["start"]:sec["heading_end"]]).strip()
    return " ".join(full.split()) or None


def lead(entry: dict, path: str | None) -> str:
    """'Theo Kế hoạch 222-KH/TU, mục II.2.2 “Kế hoạch cá nhân”'."""
    out = f"Theo {doc_label(entry)}"
    if path and not path.startswith("footnote"):
        out += f", {_section_label(path)}"
        title = section_title(entry, path)
        if title and len(title) <= 80 and not title.endswith("…"):
            out += f" “{title}”"
    return out


def _overlaps(a: Quote, b: Quote | None) -> bool:
    return b is not None and a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


def apply_outline(draft: Draft, point_ids: list[str]) -> Draft:
    """Keep the given points in the given order. A removed point's text goes everywhere: the
    obligations it states, dates or qualifies (an exception) go with it, and so do the review questions drawn from it; what is
    left keeps the obligations stated or dated by a kept point and the questions on what is kept.
    (The web view applies the same rule while the trainer edits.)"""
    by_id = {p.id: p for p in draft.points}
    kept: list[Point] = []
    for pid in point_ids:
        if not isinstance(pid, str) or pid not in by_id:
            raise UserError("unknown_point", f"Ý “{pid}” không có trong bài giảng về chủ đề này (kho văn bản có thể "
                                             "vừa thay đổi). Hãy soạn lại bài giảng rồi chỉnh sửa.")
        if by_id[pid] not in kept:
            kept.append(by_id[pid])
    removed = [p.quote for p in draft.points if p not in kept]
    if not removed:
        return replace(draft, points=kept)
    gone = lambda q: any(_overlaps(r, q) for r in removed)  # noqa: E731
    quotes = [p.quote for p in kept]
    # A duty whose exception is a removed point goes too: shown without its exception it would say
    # more than the text does.
    exception = lambda o: [Quote(o["doc_id"], x["start"], x["end"], "", None, None)  # noqa: E731
                           for x in o.get("exception_sources") or []]
    obligations = [(o, quote, dquote) for o, quote, dquote in draft.obligations
                   if not gone(quote) and not gone(dquote) and not any(gone(x) for x in exception(o))
                   and any(_overlaps(k, quote) or _overlaps(k, dquote) for k in quotes)]
    spans = quotes + [q for _, quote, dquote in obligations for q in (quote, dquote) if q is not None]
    questions = [q for q in draft.questions if not gone(q.quote) and any(_overlaps(s, q.quote) for s in spans)]
    return replace(draft, points=kept, obligations=obligations, questions=questions)


class _Citations:
    """The lesson's quotes, numbered once each (records.Citations) in order of first use."""

    def __init__(self, entries: dict[str, dict]):
        self.entries, self.numbers = entries, Citations()

    @property
    def items(self) -> list[dict]:
        return self.numbers.items

    def span(self, q: Quote) -> Span:
        e = self.entries[q.doc_id]
        doc = DocRef(q.doc_id, e.get("number"), e.get("title"), e.get("type"), e.get("issued"))
        return Span(doc, q.start, q.end, q.text, q.section, q.section_title)

    def cite(self, q: Quote) -> dict:
        return self.numbers.get(self.numbers.cite(self.span(q)))


def _doc_meta(e: dict) -> dict:
    meta = document_meta(e)
    meta["sections"] = len(e.get("sections") or [])
    return {k: meta[k] for k in ("doc_id", "number", "type", "title", "issuer", "issued", "place", "completeness",
                                 "sections")}


_WORD = re.compile(r"\w+")


def restored_topic(topic: str, texts: list[str]) -> str:
    """A topic typed without diacritics ("Neu guong") written as the documents write it ("nêu gương"):
    the spelling of the same words (accent-folded, case aside) that the lesson's own quotes and
    titles use most; the topic as typed when it has diacritics or no text has its words."""
    from ingest.normalize import fold

    if fold(topic) != topic:
        return topic
    want = [w.lower() for w in _WORD.findall(topic)]
    if not want:
        return topic
    counts: dict[str, int] = {}
    for text in texts:
        words = list(_WORD.finditer(text))
        for i in range(len(words) - len(want) + 1):
            run = words[i:i + len(want)]
            if [fold(w.group()).lower() for w in run] == want:
                spelled = " ".join(w.group() for w in run).lower()
                if fold(spelled) != spelled:
                    counts[spelled] = counts.get(spelled, 0) + 1
    return max(counts, key=lambda k: (counts[k], k)) if counts else topic


def lesson_json(draft: Draft) -> dict:
    cites = _Citations(draft.entries)
    parts: list[dict] = []
    for point in draft.points:  # consecutive points of one document and section form a part
        entry = draft.entries[point.quote.doc_id]
        if not parts or (parts[-1]["doc_id"], parts[-1]["section"]) != (point.quote.doc_id, point.group):
            title = section_title(entry, point.group)
            heading = f"{doc_label(entry)} — {_section_label(point.group)}"
            parts.append({"doc_id": point.quote.doc_id, "doc_number": entry.get("number"),
                          "doc_type": entry.get("type"), "doc_title": entry.get("title"),
                          "section": point.group, "section_title": title,
                          "heading": f"{heading}. {title}" if title else heading, "points": []})
        parts[-1]["points"].append({"id": point.id, "citation": cites.cite(point.quote)})
    obligations = []
    for p, quote, dquote in draft.obligations:
        o = obligation_json(Duty.of(p), cites.numbers)
        o["citation"] = cites.cite(quote)
        o["deadline_citation"] = cites.cite(dquote) if dquote else None
        obligations.append(o)
    questions = [{"id": q.id, "kind": q.kind, "question": q.question, "answer": q.answer,
                  "start": q.start, "end": q.end, "citation": cites.cite(q.quote)} for q in draft.questions]
    used = list(dict.fromkeys(c["doc_id"] for c in cites.items))
    # The documents' own words: the quotes, then the headings and titles of the documents drawn on.
    words = [p.quote.text for p in draft.points] + [
        t for e in draft.entries.values() for t in [e.get("title") or ""] + [sec.get("title") or "" for sec in e.get("sections") or []]]
    topic = restored_topic(draft.topic, words)
    title = topic[:1].upper() + topic[1:]
    return {
        "topic": draft.topic, "title": f"Bài giảng: {title}", "covered": draft.covered, "note": draft.note,
        "documents": [_doc_meta(draft.entries[d]) for d in used],
        "parts": parts, "obligations": obligations, "questions": questions, "missing": draft.missing,
        "citations": cites.items,
    }
