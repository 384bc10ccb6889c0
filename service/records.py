"""The one place where stored payloads become records, and records become the JSON objects of the
contract (CONTRACT.md: Passage, Citation, Obligation, DocumentMeta, Reference).

The store hands out plain dicts (one per point, one per catalog entry); everything above this module
reads typed records built here, so a payload key is read in one place. Also here: how a document and
a section are named in Vietnamese prose, and cite-once numbering of quotes.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Iterable

from ingest.normalize import fold


def access_levels(scopes: Iterable[str]) -> list[str]:
    """The `access` values a caller with these key scopes may read."""
    scopes = set(scopes)
    return ["public", "internal"] if scopes & {"internal", "admin"} else ["public"]


# ---------------------------------------------------------------------------------------------
# Labels


def doc_label(doc_type: str | None, number: str | None, doc_id: str | None = None) -> str:
    """How answers name a document: "Kế hoạch 222-KH/TU" (the id when it has no number)."""
    return f"{doc_type or ''} {number or doc_id or ''}".strip()


def section_label(path: str | None, none: str = "") -> str:
    """How a citation path reads in Vietnamese prose: "mục II.2.1", "Điều 8.2", "chú thích 2"."""
    if not path:
        return none
    if path.startswith("footnote"):
        return f"chú thích {path.split()[-1]}"
    if path.startswith(("Điều", "Chương", "Mục", "Phần", "Quy chế", "Quy định", "Phụ lục")):
        return path
    return f"mục {path}"


# ---------------------------------------------------------------------------------------------
# Records read from payloads


@dataclass(frozen=True)
class DocRef:
    """What every point carries about its document."""
    doc_id: str
    number: str | None
    title: str | None
    type: str | None
    issued: str | None  # ISO date
    ocr: bool = False  # the text was recognised from page images (a scanned PDF)

    @classmethod
    def of(cls, p: dict) -> "DocRef":
        return cls(p["doc_id"], p.get("doc_number"), p.get("doc_title"), p.get("type"), p.get("issued"),
                   bool(p.get("ocr")))

    @property
    def label(self) -> str:
        label = doc_label(self.type, self.number, self.doc_id)
        return f"{label} (bản quét, chữ nhận dạng tự động)" if self.ocr else label


@dataclass
class Passage:
    """A retrieved chunk: display text is `document.text[start:end]`."""
    chunk_id: str
    doc: DocRef
    section: str | None
    section_title: str | None
    text: str
    start: int
    end: int
    score: float = 0.0
    kind: str = "body"  # body | heading | footnote | preamble | header | closing | row
    sentences: list[tuple[int, int]] = field(default_factory=list)
    context: str = ""  # heading path: "NỘI DUNG / Xây dựng kế hoạch … / Kế hoạch cá nhân"
    position: int = 0
    has_deadline: bool = False
    due: tuple[tuple[str | None, str], ...] = ()  # [first day or None, last day] ISO, one per dated deadline

    @classmethod
    def of(cls, p: dict, score: float = 0.0) -> "Passage":
        return cls(
            chunk_id=p.get("chunk_id") or "", doc=DocRef.of(p), section=p.get("section"),
            section_title=p.get("section_title"), text=p.get("text") or "", start=p["start"], end=p["end"],
            score=score, kind=p.get("kind") or "body", sentences=[(s, e) for s, e in p.get("sentences") or []],
            context=p.get("context") or "", position=p.get("position") or 0, has_deadline=bool(p.get("has_deadline")),
            due=tuple((a, b) for a, b in p.get("due") or ()),
        )

    @property
    def doc_id(self) -> str:
        return self.doc.doc_id

    @property
    def doc_number(self) -> str | None:
        return self.doc.number

    @property
    def doc_title(self) -> str | None:
        return self.doc.title

    def sentence_spans(self) -> list[tuple[int, int]]:
        return self.sentences or [(self.start, self.end)]

    def quote(self, start: int, end: int) -> str:
        return self.text[start - self.start:end - self.start]

    def to_json(self) -> dict:
        return {
            "chunk_id": self.chunk_id, "doc_id": self.doc.doc_id, "doc_number": self.doc.number,
            "doc_title": self.doc.title, "section": self.section, "section_title": self.section_title,
            "text": self.text, "start": self.start, "end": self.end, "score": round(self.score, 6),
        }


@dataclass(frozen=True)
class Span:
    """A quoted span of a stored document, with where it stands."""
    doc: DocRef
    start: int
    end: int
    quote: str
    section: str | None = None
    section_title: str | None = None


@dataclass
class Duty:
    """A stored obligation."""
    id: str
    doc: DocRef
    actors: list[str]
    action: str
    modality: str | None
    deadline: dict | None  # the contract's Deadline object as stored
    recurrence: str | None
    section: str | None
    section_title: str | None
    start: int
    end: int
    quote: str
    paragraph: str
    exceptions: list[str]
    exception_spans: list[Span]
    deadline_span: Span | None  # the sentence that states the deadline, when not the duty's own
    due_start: str | None
    due_end: str | None
    actor_refs: list[dict] = field(default_factory=list)  # ingest.models.ActorRef as stored
    context: Span | None = None  # the whole sentence, when the quote is one duty clause of it

    @classmethod
    def of(cls, p: dict) -> "Duty":
        doc = DocRef.of(p)
        sources = [Span(doc, s["start"], s["end"], s.get("quote") or "", s.get("section"), s.get("section_title"))
                   for s in p.get("exception_sources") or []]
        ds = p.get("deadline_source")
        return cls(
            id=p["id"], doc=doc, actors=list(p.get("actors") or []), action=p.get("action") or "",
            modality=p.get("modality"), deadline=p.get("deadline"), recurrence=p.get("recurrence"),
            section=p.get("section"), section_title=p.get("section_title"), start=p["start"], end=p["end"],
            quote=p.get("quote") or "", paragraph=p.get("paragraph") or p.get("quote") or "",
            exceptions=list(p.get("exceptions") or []), exception_spans=sources,
            deadline_span=(Span(doc, ds["start"], ds["end"], ds.get("quote") or "", p.get("section"), p.get("section_title"))
                           if ds else None),
            due_start=p.get("due_start"), due_end=p.get("due_end"), actor_refs=list(p.get("actor_refs") or []),
            context=(Span(doc, p["context"]["start"], p["context"]["end"], p["context"].get("quote") or "",
                          p.get("section"), p.get("section_title")) if p.get("context") else None),
        )

    @cached_property
    def refs(self) -> list:
        """`actor_refs` as ingest's ActorRef records (what `ingest.actors.binds` makes of each), made
        once per duty: a question naming a role compares them for every stored duty."""
        from ingest.actors import _ref_of

        return [r for r in map(_ref_of, self.actor_refs) if r is not None]

    @property
    def span(self) -> Span:
        return Span(self.doc, self.start, self.end, self.quote, self.section, self.section_title)

    @property
    def dated(self) -> bool:
        """States a time: a date window, a relative deadline, a recurrence, an event."""
        d = self.deadline or {}
        return bool(self.due_end or self.due_start or d.get("relative") or d.get("event") or d.get("rrule")
                    or self.recurrence)

    @property
    def sort_key(self) -> tuple:
        return (self.due_end or self.due_start or "9999", self.doc.doc_id, self.start)


# ---------------------------------------------------------------------------------------------
# Citations, numbered once per quoted span


def citation(span: Span, n: int) -> dict:
    """The contract's Citation: `quote` is verbatim document text = document.text[start:end]."""
    out = {
        "n": n, "doc_id": span.doc.doc_id, "doc_number": span.doc.number, "doc_title": span.doc.title,
        "issued": span.doc.issued, "section": span.section, "section_title": span.section_title,
        "quote": span.quote, "start": span.start, "end": span.end,
    }
    if span.doc.ocr:  # the quote is text recognised from a scan: it may hold recognition errors
        out["recognised"] = True
    return out


# What may stand between two clauses quoted as one: a comma, a semicolon, "và", "hoặc".
_JOIN = re.compile(r"\s*[,;]?\s*(?:và|hoặc)?\s*")


def _joins(text: str, left_end: int, right_start: int) -> bool:
    """Two spans are clauses of one sentence: the left one ends no sentence, a joining word or mark between."""
    gap = text[left_end:right_start]
    return left_end > 0 and text[left_end - 1] not in ".!?…\n" and "\n" not in gap and bool(_JOIN.fullmatch(gap))


class Citations:
    """Cite-once numbering: the same span gets the same [n] however often an answer refers to it."""

    def __init__(self) -> None:
        self.items: list[dict] = []
        self._by_span: dict[tuple[str, int, int], int] = {}

    def cite(self, span: Span, text: str | None = None) -> int:
        """`text`: the document's text, when clauses of one sentence cited one after the other may be
        quoted as one ("sơ kết … vào tháng 12/2028 và tổng kết … vào quý III/2030"): a span that
        follows a cited one with only a joining word or mark between extends it — one quote, one [n]."""
        key = (span.doc.doc_id, span.start, span.end)
        if key not in self._by_span and text is not None:
            for item in self.items:
                if item["doc_id"] != span.doc.doc_id:
                    continue
                after = item["end"] <= span.start and _joins(text, item["end"], span.start)
                before = span.end <= item["start"] and _joins(text, span.end, item["start"])
                if after or before:
                    # the spans already cited keep their [n]: they are inside the joined quote
                    item["start"], item["end"] = min(item["start"], span.start), max(item["end"], span.end)
                    item["quote"] = text[item["start"]:item["end"]]
                    self._by_span[(item["doc_id"], item["start"], item["end"])] = item["n"]
                    self._by_span[key] = item["n"]
                    break
        if key not in self._by_span:
            self._by_span[key] = len(self.items) + 1
            self.items.append(citation(span, self._by_span[key]))
        return self._by_span[key]

    def get(self, n: int) -> dict:
        return self.items[n - 1]

    def holding(self, span: Span) -> int | None:
        """The [n] of a quote already cited that holds all of `span`, if any."""
        for item in self.items:
            if item["doc_id"] == span.doc.doc_id and item["start"] <= span.start and span.end <= item["end"]:
                return item["n"]
        return None


def document_face(entry: dict) -> str:
    """The words a catalog entry describes its document by: kind, title, issuer and place."""
    return " ".join(str(entry.get(k) or "") for k in ("type", "title", "issuer", "place"))


# How a cooperating body is shown among a duty's actors ("thủ trưởng cơ quan (phối hợp)").
SUPPORT_MARK = " (phối hợp)"


def actor_names(duty: Duty) -> list[str]:
    """Who must act, in the text's words ("Ban cán sự đảng Ủy ban nhân dân tỉnh"), not the gazetteer
    categories the role binding uses ("ban cán sự đảng"); then those who cooperate, marked as such (the
    duty binds them too: "Chi ủy, đảng ủy cơ sở phối hợp thủ trưởng cơ quan")."""
    names = [r.get("name") or r.get("text") for r in duty.actor_refs if r.get("part") != "support"]
    leads = list(dict.fromkeys(n for n in names if n)) or list(duty.actors)
    said = {fold(n).lower() for n in leads}
    helpers = [n + SUPPORT_MARK for n in dict.fromkeys(r.get("name") or r.get("text") for r in duty.actor_refs
                                                        if r.get("part") == "support")
               if n and fold(n).lower() not in said]
    return leads + helpers


def obligation_json(duty: Duty, cites: Citations, text: str | None = None) -> dict:
    """The contract's Obligation, its quotes numbered by `cites` (`text`: its document's text, to quote
    adjacent clauses of one sentence as one)."""
    n = cites.cite(duty.span, text)
    out = {
        "id": duty.id, "actors": actor_names(duty), "action": duty.action, "modality": duty.modality,
        "deadline": duty.deadline, "recurrence": duty.recurrence, "exceptions": duty.exceptions,
        "citation": cites.get(n),
        # the sentence that states the deadline, when it is not the obligation's own sentence
        # (a quote already cited that holds it — "Giai đoạn 2: từ … đến …: <the phase's first duty>" — says it)
        "deadline_citation": cites.get(cites.holding(duty.deadline_span) or cites.cite(duty.deadline_span))
        if duty.deadline_span else None,
        # where each exception is stated (same order as `exceptions`), cited like any quote
        "exception_citations": [cites.get(cites.cite(s)) for s in duty.exception_spans],
    }
    return out


# ---------------------------------------------------------------------------------------------
# Documents in the catalog


def document_meta(entry: dict) -> dict:
    """The contract's DocumentMeta (plus counts and access) from a catalog entry."""
    counts = entry.get("counts") or {}
    return {
        "doc_id": entry["doc_id"], "number": entry.get("number"), "type": entry.get("type"),
        "title": entry.get("title"), "issuer": entry.get("issuer"), "issued": entry.get("issued"),
        "place": entry.get("place"), "completeness": entry.get("completeness"),
        "sections": counts.get("sections", 0), "chunks": counts.get("chunks", 0),
        "obligations": counts.get("obligations", 0), "access": entry.get("access", "public"),
    }


def missing_references(entries: list[dict]) -> list[dict]:
    """Documents the given (visible) entries cite that none of them is. Numbers restart each Party
    term (55-QĐ/TW of 2012 and of 2016): when both dates are known, a reference is present only if a
    stored document has its number and its year."""
    stored: dict[str, set[str | None]] = {}
    for e in entries:
        if e.get("number"):
            stored.setdefault(fold(e["number"]).lower(), set()).add((e.get("issued") or "")[:4] or None)
    missing: dict[str, dict] = {}
    citing: dict[str, set[str]] = {}  # cited_by as a set too: a much-cited number has thousands of citers
    for e in entries:
        for ref in e.get("references") or []:
            key = fold(ref["number"]).lower()
            years = stored.get(key)
            year = (ref.get("issued") or "")[:4] or None
            if years is not None and (year is None or None in years or year in years):
                continue
            if years is not None:
                key = f"{key}@{year}"  # same number, another term: listed apart
            m = missing.setdefault(key, {"number": ref["number"], "type": None, "issued": None, "issuer": None,
                                         "title": None, "cited_by": []})
            for f in ("type", "issued", "issuer", "title"):
                m[f] = m[f] or ref.get(f)
            seen = citing.setdefault(key, set())
            if e["doc_id"] not in seen:
                seen.add(e["doc_id"])
                m["cited_by"].append(e["doc_id"])
    return sorted(missing.values(), key=lambda m: m["number"])



# ---------------------------------------------------------------------------------------------
# Ingest reports (the contract's ingest summary)


@dataclass
class IngestItem:
    source: str
    status: str  # added | updated | unchanged | error
    doc_id: str | None = None
    number: str | None = None
    chunks: int = 0
    obligations: int = 0
    error: str | None = None
    code: str | None = None
    # An existing document's access and source file, before and after (index/identity.py): what an
    # update replaced, or what a refused one would have.
    replaced: dict | None = None


@dataclass(frozen=True)
class IngestProgress:
    """Where an ingest of many files stands, after `item` (told to a progress callback)."""
    done: int  # files finished (any status)
    total: int  # files to do
    bytes_done: int  # their sizes on disk, for the time left
    bytes_total: int
    chars: int  # characters of text read so far (documents added or updated)
    seconds: float  # since the ingest started
    item: "IngestItem"


@dataclass
class IngestReport:
    items: list[IngestItem] = field(default_factory=list)

    @property
    def errors(self) -> list[IngestItem]:
        return [i for i in self.items if i.status == "error"]

    def to_json(self) -> dict:
        counts: dict[str, int] = {}
        for i in self.items:
            counts[i.status] = counts.get(i.status, 0) + 1
        return {"counts": counts, "items": [asdict(i) for i in self.items]}
