"""Compose an `Answer` (CONTRACT) from cited quotes. No generative model: every statement is a
verbatim sentence of a stored document with its [n] citation.

- deadline / obligation questions: the matching obligations, sorted by deadline;
- other questions: the best sentences of the best passages, grouped by document and section;
- nothing that clears the support threshold: kind "none", an honest sentence, and the closest
  passages as "may be related" (not cited as an answer).
"""
from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Iterable

from .knowledge import (UserError, access_levels, check_query, citation_from_payload, obligation_json,
                        section_label)
from .query import ParsedQuestion, parse_question
from ingest.deadlines import find_deadlines

from ingest.tokenize import folded_terms, syllables

from .search import Passage, _first_number, heading_in_question, passage_from_hit, text_match
from .store import Hit, StoreFilter

if TYPE_CHECKING:
    from .knowledge import KnowledgeBase

NONE_TEXT = "Các văn bản hiện có trong kho không đề cập đến nội dung này."
# Support threshold on text coverage (content syllables + bigram phrases, 0..2) of the best
# sentence with its heading context; calibrated on the dev question set (eval/), see README.
SUPPORT_MIN = 0.75
# …and higher when the question uses a word no stored passage contains ("lương"): then only a
# near-complete match of everything else counts as support.
SUPPORT_MIN_UNSEEN = 1.3
MAX_QUOTES = 4
MAX_OBLIGATIONS = 8


def _sentence_spans(p: Passage) -> list[tuple[int, int]]:
    spans = [(s, e) for s, e in (p.sentences or [])]
    return spans or [(p.start, p.end)]


def _fmt_doc(p: dict) -> str:
    typ = p.get("type") or ""
    num = p.get("doc_number") or p.get("doc_id")
    return f"{typ} {num}".strip()


def _where(c: dict) -> str:
    label = section_label(c.get("section"))
    return f", {label}" if label else ""


def answer_question(kb: "KnowledgeBase", question: str, *, role: str | None = None, k: int | None = None,
                    scopes: Iterable[str] = ("read",)) -> dict:
    t0 = time.perf_counter()
    question = check_query(question)
    if k is not None and not 1 <= k <= 20:
        raise UserError("bad_k", "Tham số k phải là số nguyên từ 1 đến 20.")
    scopes = list(scopes)
    q = parse_question(question)
    role_obj = _resolve_role(role or q.role, explicit=bool(role))
    passages = kb.retriever.search(q, k=10, flt=StoreFilter(access=access_levels(scopes)))
    ans: dict | None = None
    absent = _absent_sections(kb, q, scopes)
    if absent:  # "Điều 2 của Quy định 144" that the stored text does not have
        ans = {"kind": "none", "answer": absent, "citations": [], "obligations": [],
               "related": [p.to_json() for p in passages[:3]]}
    elif q.intent == "deadline" or role_obj is not None:
        # Obligations answer "by when?" and "what must I, in my role, do?"; a "what must be done"
        # question without a role is answered by the sentences themselves (they are the obligations).
        ans = _obligation_answer(kb, q, role_obj, passages, scopes, limit=k or MAX_OBLIGATIONS)
    if ans is None:
        ans = _section_answer(kb, q, scopes, limit=k or MAX_QUOTES)
    if ans is None:
        ans = _passage_answer(kb, q, passages, limit=k or MAX_QUOTES)
    ans = {"question": question, **ans}
    if kb.settings.llm_url:  # optional rephrasing; keeps every [n] or falls back to the extractive text
        from .answers.llama import rephrase

        ans = rephrase(ans, kb.settings.llm_url)
    ans["took_ms"] = round((time.perf_counter() - t0) * 1000, 2)
    return ans


def _absent_sections(kb: "KnowledgeBase", q: ParsedQuestion, scopes: list[str]) -> str | None:
    """"Điều 2 của Quy định 144" when the stored text of 144-QĐ/TW has no Điều 2 (an excerpt, say):
    say exactly that rather than quote other articles as if they answered."""
    if not q.sections:
        return None
    named = kb.retriever.named_doc_ids(q)
    if len(named) != 1:
        return None
    try:
        doc = kb.document(next(iter(named)), scopes)
    except UserError:  # not visible to this caller: behave as if it were not stored
        return None
    paths = [s.get("path") or "" for s in doc.get("sections") or []]
    wanted = [w for w in q.sections if not any(p == w or p.startswith(w + ".") for p in paths)]
    if not wanted:
        return None
    what = f"{doc.get('type') or 'Văn bản'} {doc.get('number') or doc['doc_id']}".strip()
    note = " (kho chỉ lưu một phần văn bản này)" if doc.get("completeness") == "partial" else ""
    return f"Bản {what} trong kho không có {', '.join(wanted)}{note}. " + NONE_TEXT


_BARE_HEADING = re.compile(r"^(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]+\s*[.:]?$")


def _section_answer(kb: "KnowledgeBase", q: ParsedQuestion, scopes: list[str], limit: int) -> dict | None:
    """"Điều 1 Quy định 144 nói gì?" names its answer: the opening sentences of that section, in
    reading order, even though the question shares no words with them."""
    named = kb.retriever.named_doc_ids(q)
    if not q.sections or len(named) != 1:
        return None
    flt = StoreFilter(doc_ids=sorted(named), access=access_levels(scopes))
    rows = [p for p in kb.store.scroll(flt)
            if any(p.get("section") == w or (p.get("section") or "").startswith(w + ".") for w in q.sections)]
    rows.sort(key=lambda p: p.get("position") or 0)
    terms = kb.retriever.stats.terms(q)
    picked: list[tuple[float, Passage, int, int]] = []
    for row in rows:
        passage = passage_from_hit(Hit(row.get("chunk_id") or "", 0.0, row), 0.0)
        for st, en in _sentence_spans(passage):
            sent = passage.text[st - passage.start:en - passage.start]
            if not _BARE_HEADING.match(sent.strip()):
                picked.append((text_match(terms, sent), passage, st, en))
    if not picked:
        return None
    # The sentences that share most with the rest of the question ("… nói gì về thời hạn?"),
    # the earliest first when nothing else is asked; shown in reading order.
    best = {id(x) for x in sorted(picked, key=lambda x: -x[0])[:limit]}  # stable: ties keep reading order
    return _compose_passages(kb, [x for x in picked if id(x) in best])


def _resolve_role(text: str | None, *, explicit: bool):
    if not text:
        return None
    from ingest.actors import match_role

    role = match_role(text)
    if role is None and explicit:
        raise UserError("unknown_role", f"Không nhận ra vai trò '{text}'. Hãy chọn một vai trò trong danh sách, ví dụ 'bí thư chi bộ'.")
    return role


def _best_sentences(kb: "KnowledgeBase", q: ParsedQuestion, passages: list[Passage], limit: int) -> list[tuple[float, Passage, int, int]]:
    terms = kb.retriever.stats.terms(q)
    scored: list[tuple[float, Passage, int, int]] = []
    named = kb.retriever.named_doc_ids(q)
    for rank, p in enumerate(passages[:6]):
        prior = 0.15 / (rank + 1)  # the passage ranking breaks ties between equally covering sentences
        if p.doc_id in named:
            prior += 0.2  # "theo Quy định 144": that document's sentences first
        if q.ordinal and _first_number(p.section) == q.ordinal:
            prior += 0.3
        # "the first standard of Regulation 144": the category words are the document's title.
        title = p.doc_title or "" if q.ordinal else ""
        for s, e in _sentence_spans(p):
            sent = p.text[s - p.start:e - p.start]
            if _BARE_HEADING.match(sent.strip()):
                continue  # "Điều 8." says nothing by itself
            # The sentence's own words, and (half) with the words it stands under: the document
            # title and heading path make "chuẩn mực đạo đức cách mạng" the subject of Điều 1.2.
            score = (0.5 * text_match(terms, f"{title} {p.section_title or ''} {sent}")
                     + 0.5 * text_match(terms, f"{p.doc_title or ''} {p.context or ''} {sent}") + prior)
            if q.intent == "deadline" and any(d.end or d.start or d.relative for d in find_deadlines(sent)):
                score += 0.4  # "khi nào?" is answered by the sentence that states the time
            scored.append((score, p, s, e))
    scored.sort(key=lambda x: -x[0])
    if not scored:
        return []
    best = scored[0][0]
    chosen = [x for x in scored if x[0] >= 0.8 * best][:limit]
    return chosen


def _passage_answer(kb: "KnowledgeBase", q: ParsedQuestion, passages: list[Passage], limit: int) -> dict:
    chosen = _best_sentences(kb, q, passages, limit)
    need = SUPPORT_MIN_UNSEEN if kb.retriever.stats.unseen(q) else SUPPORT_MIN
    if not chosen or chosen[0][0] < need:
        return {
            "kind": "none", "answer": NONE_TEXT, "citations": [], "obligations": [],
            "related": [p.to_json() for p in passages[:3]],
        }
    return _compose_passages(kb, chosen)


def _section_at(kb: "KnowledgeBase", doc_id: str, pos: int) -> dict | None:
    """The innermost section holding `pos`. A passage opens with the headings above its first
    paragraph ("Chương I / QUY ĐỊNH CHUNG" before Điều 1), so a quote is cited by where it
    stands, not by the passage's section."""
    inside = [sec for sec in kb.section_tree(doc_id) if sec["start"] <= pos < sec["end"]]
    return min(inside, key=lambda sec: sec["end"] - sec["start"]) if inside else None


def _compose_passages(kb: "KnowledgeBase", chosen: list[tuple[float, Passage, int, int]]) -> dict:
    """Quotes grouped by document, then in reading order, each with its [n]."""
    doc_order: list[str] = []
    for _, p, _, _ in chosen:
        if p.doc_id not in doc_order:
            doc_order.append(p.doc_id)
    chosen.sort(key=lambda x: (doc_order.index(x[1].doc_id), x[2]))
    citations, lines, current = [], [], None
    for n, (_, p, s, e) in enumerate(chosen, 1):
        quote = p.text[s - p.start:e - p.start]
        sec = _section_at(kb, p.doc_id, s) if p.section is not None else None
        cit = citation_from_payload({
            "doc_id": p.doc_id, "doc_number": p.doc_number, "doc_title": p.doc_title, "issued": p.issued,
            "section": sec["path"] if sec else p.section, "section_title": sec["title"] if sec else p.section_title,
            "quote": quote, "start": s, "end": e,
        }, n)
        citations.append(cit)
        head = f"Theo {_fmt_doc({'type': p.type, 'doc_number': p.doc_number, 'doc_id': p.doc_id})}{_where(cit)}:"
        if head != current:
            lines.append(head)
            current = head
        lines.append(f"- “{quote}” [{n}]")
    return {"kind": "passages", "answer": "\n".join(lines), "citations": citations, "obligations": []}


def _obligation_answer(kb: "KnowledgeBase", q: ParsedQuestion, role, passages: list[Passage],
                       scopes: list[str], limit: int) -> dict | None:
    from ingest.actors import binds

    levels = access_levels(scopes)
    terms = kb.retriever.stats.terms(q)
    if role is not None:
        pool = [p for p in kb.obligation_pool(scopes)
                if binds(p.get("actors", []), role)]
        declared = set(role.declared) | set(role.works_for)  # the role itself, or the body it works for
        about = kb.retriever.stats.terms(replace(q, topic=q.about, folded=folded_terms(q.about)))
        topic = {id(p): text_match(about, f"{p.get('section_title') or ''} {p.get('quote', '')}") for p in pool}
        best = max(topic.values(), default=0.0)
        # "tôi là bí thư chi bộ, hạn nộp kế hoạch cá nhân?": when the question names a subject and
        # some duties clearly match it, those come first.
        on_topic = best >= SUPPORT_MIN

        def rank(p: dict) -> tuple:
            # The asked-about duties; then those naming the role itself ("bí thư đảng ủy") before
            # those bound through a broad category ("cán bộ, đảng viên"); dated before undated;
            # then the question's topic words.
            dated = bool(p.get("due_end") or (p.get("deadline") or {}).get("relative"))
            specific = bool(declared & set(p.get("actors", [])))
            asked = on_topic and topic[id(p)] >= 0.6 * best
            return (not asked, not specific, not dated, -topic[id(p)])

        if on_topic:  # only what was asked about, not every duty of the role
            pool = [p for p in pool if topic[id(p)] >= 0.6 * best]
        chosen = sorted(pool, key=rank)[:limit]
    else:
        hits = kb.retriever.candidates(q, StoreFilter(records=["obligation"], access=levels), 30)
        q_sylls = set(syllables(q.topic))
        near = {(p.doc_id, s, e) for p in passages[:3] for s, e in _sentence_spans(p)}
        scored = []
        for rank, h in enumerate(hits):
            p = h.payload
            head = f"{p.get('section_title') or ''} {' '.join(p.get('actors', []))}"
            score = (0.5 * text_match(terms, f"{head} {p.get('quote', '')}")
                     + 0.5 * text_match(terms, f"{head} {p.get('paragraph') or p.get('quote', '')}"))
            score += 0.4 * heading_in_question(q_sylls, p.get("section_title") or "")
            if (p["doc_id"], p["start"], p["end"]) in near:
                score += 0.3  # the same sentence the passage search ranks first
            if q.intent == "deadline" and not (p.get("due_end") or (p.get("deadline") or {}).get("relative")):
                score -= 0.5  # "by when?" wants a stated time
            scored.append((score, p))
        scored.sort(key=lambda x: -x[0])
        if not scored or scored[0][0] < SUPPORT_MIN:
            return None
        best = scored[0][0]
        chosen = [p for s, p in scored if s >= 0.85 * best][: min(limit, 3)]
    if not chosen:
        return None
    chosen.sort(key=lambda p: (p.get("due_end") or "9999", p["doc_id"], p["start"]))
    obligations = [obligation_json(p, n) for n, p in enumerate(chosen, 1)]
    citations = [o["citation"] for o in obligations]
    lines = []
    if role is not None:
        lines.append(f"Những việc văn bản giao cho vai trò “{role.name}”:")
    numbered = {(c["doc_id"], c["start"], c["end"]): c["n"] for c in citations}

    def cite(c: dict) -> dict:
        """Number a further quote (a deadline or exception stated elsewhere); one number per span."""
        key = (c["doc_id"], c["start"], c["end"])
        if key not in numbered:
            numbered[key] = len(citations) + 1
            citations.append({**c, "n": numbered[key]})
        return {**c, "n": numbered[key]}

    for o in obligations:
        d = o["deadline"]
        when = d["text"] if d else (o.get("recurrence") or "không nêu thời hạn")
        c = o["citation"]
        marks = f"[{c['n']}]"
        if o.get("deadline_citation"):  # the deadline is stated by another sentence: cite it too
            o["deadline_citation"] = cite(o["deadline_citation"])
            marks += f"[{o['deadline_citation']['n']}]"
        lines.append(f"- {when}: {o['action']} ({_fmt_doc(c | {'type': None})}{_where(c)}) {marks}")
        sources = o.get("exception_citations") or []
        o["exception_citations"] = [cite(x) for x in sources]
        for i, ex in enumerate(o.get("exceptions") or []):
            # Every statement carries its marker: the footnote (or the sentence) that states it.
            where = o["exception_citations"][i]["n"] if i < len(sources) else c["n"]
            lines.append(f"  Ngoại lệ: {ex} [{where}]")
    return {"kind": "obligations", "answer": "\n".join(lines), "citations": citations, "obligations": obligations}
