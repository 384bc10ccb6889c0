"""Lesson outlines for trainers (CONTRACT "Lesson"): a topic in, an outline built only from cited
text out.

- Key points: the sentences of the stored documents that cover the topic (the same retrieval and
  text coverage as answers), each a verbatim quote checked against the document text, grouped by
  document and section in reading order (a footnote stands with the section that marks it).
- Related obligations: those stated by a key point's sentence or dated by one, sorted by deadline.
- Review questions: drawn from the facts the quoted sentences state (questions.py); every
  answer is a span of a cited quote.
- Documents referenced but not in the store: those the quoted text (and its footnotes) cites.
- A topic the documents do not cover gives an outline that says so and nothing else.

Access: everything is read with the caller's scopes, so a document the caller may not see is never
quoted, counted or listed (a reference to it is "missing" to them, as in `KnowledgeBase.documents`).
An edited outline (`points`: the kept point ids in the wanted order) is applied to a lesson rebuilt
on the server, so an export can only ever hold checked quotes.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Iterable

from ingest.normalize import fold
from ingest.references import find_references

from ..errors import UserError
from ..records import Passage, access_levels
from ..retrieval.query import ParsedQuestion, parse_question
from ..retrieval.scoring import W, text_match
from .outline import Draft, Point, Question, Quote, apply_outline, lead, lesson_json
from .questions import Drafted, ask_actor, ask_deadline, ask_lists, ask_numbers

if TYPE_CHECKING:
    from ..knowledge import KnowledgeBase

MAX_TOPIC = 300
MAX_DOCUMENTS = 50
MAX_POINT_IDS = 500
POOL = 40  # passages read per topic
MAX_POINTS = 15
MAX_OBLIGATIONS = 10
MAX_QUESTIONS = 10
# A sentence is a key point when it covers the topic at least this share of the best one (and
# clears the answers' support threshold).
RELATIVE = 0.6
# The document title counts as context of its body sentences, slightly below their own headings.
TITLE_WEIGHT = 0.9
MAX_TOPIC_DOCUMENTS = 3  # documents whose title is the topic, read whole (their body chunks)
# A sentence of a document the topic names by number, or one citing it, covers the topic.
NAMED_SCORE = 1.5
QUESTION_KINDS = ("deadline", "actor", "number", "list")


# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------


def check_topic(topic: str | None) -> str:
    if topic is None or not str(topic).strip():
        raise UserError("empty_topic", "Chủ đề bài giảng trống. Hãy nhập một chủ đề, ví dụ “nêu gương”.")
    topic = " ".join(str(topic).split())
    if len(topic) > MAX_TOPIC:
        raise UserError("topic_too_long", f"Chủ đề dài quá {MAX_TOPIC} ký tự. Hãy nêu chủ đề ngắn gọn hơn.")
    return topic


def resolve_documents(kb: "KnowledgeBase", numbers: Iterable[str] | None, scopes: Iterable[str]) -> list[str] | None:
    """Document numbers (or doc_ids) → doc_ids the caller may see; None = every document.
    An unknown or invisible one is a 404 with the same message either way."""
    if numbers is None:
        return None
    numbers = list(numbers)
    if len(numbers) > MAX_DOCUMENTS:
        raise UserError("too_many_documents", f"Chỉ chọn được tối đa {MAX_DOCUMENTS} văn bản cho một bài giảng.")
    ids: list[str] = []
    for number in numbers:
        if not isinstance(number, str) or not number.strip():
            raise UserError("bad_document", "Số văn bản trống. Hãy ghi số văn bản, ví dụ 222-KH/TU.")
        for doc_id in kb.resolve_doc(number.strip(), scopes) or []:
            if doc_id not in ids:
                ids.append(doc_id)
    return ids or None


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------


def build_lesson(kb: "KnowledgeBase", topic: str, *, documents: Iterable[str] | None = None,
                 points: list[str] | None = None, scopes: Iterable[str] = ("read",)) -> dict:
    """The `Lesson` object for `topic`; `points` (ids, in the wanted order) keeps only those points."""
    t0 = time.perf_counter()
    topic = check_topic(topic)
    scopes = list(scopes)
    if points is not None and len(points) > MAX_POINT_IDS:
        raise UserError("too_many_points", f"Danh sách ý dài quá {MAX_POINT_IDS} mục.")
    doc_ids = resolve_documents(kb, documents, scopes)
    draft = draft_lesson(kb, topic, doc_ids, scopes)
    if points is not None:
        draft = apply_outline(draft, points)
    lesson = lesson_json(draft)
    lesson["took_ms"] = round((time.perf_counter() - t0) * 1000, 2)
    return lesson


class _Entries:
    """Catalog entries read once per lesson, with the caller's scopes."""

    def __init__(self, kb: "KnowledgeBase", scopes: list[str]):
        self.kb, self.scopes, self.cache = kb, scopes, {}

    def get(self, doc_id: str) -> dict | None:
        if doc_id not in self.cache:
            try:
                self.cache[doc_id] = self.kb.document(doc_id, self.scopes)
            except UserError:
                self.cache[doc_id] = None
        return self.cache[doc_id]


def _is_heading(entry: dict, start: int, end: int, text: str) -> bool:
    """A section heading line ("2.2. Kế hoạch cá nhân", "Điều 2. Mục đích giám sát") is structure,
    not a point. A one-paragraph item whose heading is its whole text ("1- Nghiêm cấm …") is content."""
    for s in entry.get("sections") or []:
        if s["start"] <= start and end <= s["heading_end"]:
            return s["heading_end"] < s["end"] or not text.rstrip().endswith((".", ";", "!", "?", "…", ")"))
    return False


def _placement(entry: dict, section: str | None, start: int) -> tuple[str | None, float]:
    """Where a point stands in the outline: a footnote with the section that marks it, just after
    its marker."""
    for f in entry.get("footnotes") or []:
        if f["start"] <= start < f["end"] and f.get("marker_start") is not None:
            return f.get("section"), f["marker_start"] + 0.5
    return section, float(start)


def draft_lesson(kb: "KnowledgeBase", topic: str, doc_ids: list[str] | None, scopes: list[str]) -> Draft:
    q = parse_question(topic)
    levels = access_levels(scopes)
    lk = kb.retriever.lookup(q, levels, doc_ids=doc_ids)
    passages = kb.retriever.search(lk, k=POOL, pool=max(60, POOL))
    terms = kb.retriever.stats.terms(lk.search_text, levels)
    need = W.support_unseen if kb.retriever.stats.unseen(q, levels) else W.support
    named = {d.doc_id for d in lk.named if not doc_ids or d.doc_id in doc_ids}  # "Kết luận 14"
    passages += _topic_documents(kb, terms, need, levels, doc_ids, named)
    entries = _Entries(kb, scopes)

    found: dict[tuple[str, int, int], tuple[float, int, Quote, str | None, float]] = {}
    for rank, p in enumerate(passages):
        if p.kind in ("heading", "header", "closing"):
            continue  # a document's title block; its title is in the sources list
        entry = entries.get(p.doc_id)
        if entry is None:
            continue
        for s, e in p.sentence_spans():
            text = p.text[s - p.start:e - p.start]
            if not text.strip() or entry["text"][s:e] != text or _is_heading(entry, s, e, text):
                continue
            score = text_match(terms, f"{p.section_title or ''} {text}")
            if p.kind == "body":  # a document about the topic ("vai trò nêu gương") speaks to it throughout
                score = max(score, TITLE_WEIGHT * text_match(terms, f"{p.doc.title or ''} {text}"))
            if p.doc_id in named or _cites_named(q, text):
                score = max(score, NAMED_SCORE)
            if (p.doc_id, s, e) not in found or found[(p.doc_id, s, e)][0] < score:
                group, pos = _placement(entry, p.section, s)
                found[(p.doc_id, s, e)] = (score, rank, Quote(p.doc_id, s, e, text, p.section, p.section_title),
                                           group, pos)
    best = max((v[0] for v in found.values()), default=0.0)
    if best < need:
        where = " trong các văn bản đã chọn" if doc_ids else ""
        return Draft(topic, False, f"Các văn bản hiện có trong kho{where} không đề cập đến chủ đề “{topic}”. "
                                   "Không có trích dẫn nào để soạn bài giảng: hãy nạp văn bản về chủ đề này "
                                   "hoặc chọn chủ đề khác.")
    chosen = sorted((v for v in found.values() if v[0] >= max(need, RELATIVE * best)),
                    key=lambda v: (-v[0], v[1]))[:MAX_POINTS]
    doc_rank: dict[str, int] = {}
    for v in chosen:  # documents in order of their best point, points in reading order
        doc_rank.setdefault(v[2].doc_id, len(doc_rank))
    chosen.sort(key=lambda v: (doc_rank[v[2].doc_id], v[4]))
    points = [Point(f"{v[2].doc_id}:{v[2].start}-{v[2].end}", v[2], v[3], v[4], round(v[0], 4)) for v in chosen]
    draft = Draft(topic, True, None, points, entries=entries.cache)
    draft.obligations = _obligations(kb, draft, levels)
    draft.questions = _questions(draft)
    draft.missing = _missing(kb, draft, levels)
    draft.entries = {k: v for k, v in entries.cache.items() if v is not None}
    return draft


def _cites_named(q: ParsedQuestion, text: str) -> bool:
    """The sentence cites a document the topic names by number ("Kết luận số 14-KL/TW")."""
    return bool(q.named) and any(nd.matches(r.number) for nd in q.named
                                 for r in find_references(text, own_number=None, doc_id=""))


def _topic_documents(kb: "KnowledgeBase", terms, need: float, levels: list[str],
                     doc_ids: list[str] | None, named: set[str]) -> list[Passage]:
    """The body of the documents the topic names ("Kết luận 14") or whose title is the topic
    ("vai trò nêu gương" for "nêu gương"): their every item speaks to it, even where the words are
    not repeated, and retrieval by the words alone would miss those items. (The store filter keeps
    out what the caller may not see.)"""
    titled = [(9.0, d) for d in sorted(named)]
    for e in kb.meta(levels):
        if doc_ids and e["doc_id"] not in doc_ids:
            continue
        cover = TITLE_WEIGHT * text_match(terms, e.get("title") or "")
        if cover >= need:
            titled.append((cover, e["doc_id"]))
    titled.sort(reverse=True)
    ids = list(dict.fromkeys(d for _, d in titled))[:MAX_TOPIC_DOCUMENTS]
    if not ids:
        return []
    return [p for d in ids for p in kb.doc_passages(d, levels) if p.kind == "body"]


def _overlaps(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def _obligations(kb: "KnowledgeBase", draft: Draft, levels: list[str]) -> list[tuple[dict, Quote, Quote | None]]:
    """Obligations stated by a key point's sentence, or dated by one ("Hoàn thành … trong tháng
    01/2024." dates the duties of its section): dated first, by deadline."""
    keys = [p.quote.key for p in draft.points]
    doc_ids = sorted({k[0] for k in keys})
    out = []
    for p in kb.obligation_pool(levels):
        if p["doc_id"] not in doc_ids:
            continue
        entry = draft.entries.get(p["doc_id"])
        if entry is None:
            continue
        own = (p["doc_id"], p["start"], p["end"])
        src = p.get("deadline_source")
        dkey = (p["doc_id"], src["start"], src["end"]) if src else None
        if not any(_overlaps(own, k) or (dkey and _overlaps(dkey, k)) for k in keys):
            continue
        text = entry["text"]
        if text[p["start"]:p["end"]] != p.get("quote"):
            continue
        quote = Quote(p["doc_id"], p["start"], p["end"], p["quote"], p.get("section"), p.get("section_title"))
        dquote = None
        if src:
            if text[src["start"]:src["end"]] != src.get("quote"):
                continue
            dquote = Quote(p["doc_id"], src["start"], src["end"], src["quote"], p.get("section"), p.get("section_title"))
        out.append((p, quote, dquote))
    out.sort(key=lambda x: (not (x[0].get("due_end") or (x[0].get("deadline") or {}).get("relative")),
                            x[0].get("due_end") or "9999", x[0]["doc_id"], x[0]["start"]))
    return out[:MAX_OBLIGATIONS]


# --------------------------------------------------------------------------------------------
# Review questions
# --------------------------------------------------------------------------------------------


def _question(quote: Quote, d: Drafted) -> Question:
    a, b = quote.start + d.start, quote.start + d.end
    return Question(f"q:{d.kind}:{quote.doc_id}:{a}-{b}", d.kind, d.question, quote.text[d.start:d.end], a, b, quote)


def _questions(draft: Draft) -> list[Question]:
    by_kind: dict[str, list[Question]] = {k: [] for k in QUESTION_KINDS}
    for p, quote, dquote in draft.obligations:
        entry = draft.entries[p["doc_id"]]
        where = lead(entry, p.get("section"))
        d = p.get("deadline") or {}
        stating = dquote or quote
        if d.get("text"):
            drafted = ask_deadline(stating.text, d["text"], where)
            if drafted:
                by_kind["deadline"].append(_question(stating, drafted))
        drafted = ask_actor(quote.text, p.get("action") or "", where)
        if drafted:
            by_kind["actor"].append(_question(quote, drafted))
    for point in draft.points:
        entry = draft.entries[point.quote.doc_id]
        where = lead(entry, point.group)
        by_kind["number"] += [_question(point.quote, d) for d in ask_numbers(point.quote.text, where)]
        by_kind["list"] += [_question(point.quote, d) for d in ask_lists(point.quote.text, where)]
    # One question per answer span (several obligations share the sentence that dates them), then
    # the kinds in turn so a lesson asks about deadlines, actors, numbers and lists alike.
    seen: list[tuple[str, int, int]] = []
    texts: set[str] = set()
    queues = []
    for kind in QUESTION_KINDS:
        queue = []
        for qn in by_kind[kind]:
            span = (qn.quote.doc_id, qn.start, qn.end)
            if any(_overlaps(span, s) for s in seen) or qn.question in texts:
                continue
            seen.append(span)
            texts.add(qn.question)
            queue.append(qn)
        queues.append(queue)
    out: list[Question] = []
    while len(out) < MAX_QUESTIONS and any(queues):
        for queue in queues:
            if queue and len(out) < MAX_QUESTIONS:
                out.append(queue.pop(0))
    return out


# --------------------------------------------------------------------------------------------
# Documents to fetch
# --------------------------------------------------------------------------------------------


def _missing(kb: "KnowledgeBase", draft: Draft, levels: list[str]) -> list[dict]:
    """Documents the lesson's quotes cite (with the footnotes they mark) that the caller cannot
    read in the store, with what the citing document says of them."""
    texts: list[tuple[str, str]] = []
    for point in draft.points:
        texts.append((point.quote.doc_id, point.quote.text))
        entry = draft.entries[point.quote.doc_id]
        for f in entry.get("footnotes") or []:
            if f.get("marker_start") is not None and point.quote.start <= f["marker_start"] < point.quote.end:
                texts.append((point.quote.doc_id, f["text"]))
    for _, quote, dquote in draft.obligations:
        texts += [(q.doc_id, q.text) for q in (quote, dquote) if q is not None]
    visible = {fold(e["number"]).lower() for e in kb.meta(levels) if e.get("number")}
    missing: dict[str, dict] = {}
    for doc_id, text in texts:
        entry = draft.entries[doc_id]
        known = {fold(r["number"]).lower(): r for r in entry.get("references") or []}
        for ref in find_references(text, own_number=entry.get("number"), doc_id=doc_id):
            key = fold(ref.number).lower()
            if key in visible:
                continue
            base = known.get(key) or {}
            m = missing.setdefault(key, {"number": ref.number, "type": None, "issued": None, "issuer": None,
                                         "title": None, "cited_by": []})
            for f in ("type", "issued", "issuer", "title"):
                m[f] = m[f] or base.get(f) or getattr(ref, f)
            if doc_id not in m["cited_by"]:
                m["cited_by"].append(doc_id)
    return sorted(missing.values(), key=lambda m: m["number"])
