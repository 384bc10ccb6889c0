"""Content, list and exception questions: the sentences of the stored text that answer them.

- content ("… là gì?", "… như thế nào?"): the best sentences of the best passages;
- list ("gồm những gì?", "những … nào?"): a section whose heading the question names, item by item,
  else the best sentences (an enumeration is usually one sentence);
- exception ("ai được miễn?", "trường hợp nào?"): sentences and footnotes that state exceptions and
  conditions ("trừ", "không áp dụng", "trường hợp", "dưới …") weigh more.
"""
from __future__ import annotations

import re

from ..records import Passage
from ..retrieval.scoring import W, defines, first_number, heading_in_question, text_match
from ..retrieval.cues import EXCEPTION_WORDS, STOP_SYLLABLES
from .compose import Builder, Quote, is_heading
from .context import Context
from .support import row_labelled, supported

# How much a sentence stating an exception gains on an exception question: enough to pass a
# sentence covering a little less of the question, not one on another subject.
EXCEPTION_BONUS = 0.25
# A document's face — its header (issuer, number, place and date) and closing (recipients,
# signature) — says who issued it and when, never what must be done: only metadata answers quote it.
FACE_BLOCKS = ("header", "closing")


def sentence_candidates(ctx: Context, passages: list[Passage], *, exception: bool = False) -> list[Quote]:
    """Every non-heading sentence of the best passages, scored for the question."""
    from ingest.normalize import fold

    q = ctx.q
    terms = ctx.terms()
    named = ctx.lk.named_ids
    out: list[Quote] = []
    faces: dict[str, str] = {}
    for rank, p in enumerate(passages[:W.sentence_pool]):
        if p.kind in FACE_BLOCKS:
            continue
        if p.doc_id not in faces:
            # Who issued the document and where: "… của Đảng bộ xã Tân Phước" is matched by the
            # words every sentence stands under, as its title is.
            entry = ctx.document(p.doc_id) or {}
            faces[p.doc_id] = f"{entry.get('issuer') or ''} {entry.get('place') or ''}"
        prior = W.rank_prior / (rank + 1)
        if p.doc_id in named:
            prior += W.named_doc_sentence
        if q.ordinal and (not named or p.doc_id in named) and first_number(p.section) == q.ordinal:
            prior += W.ordinal_sentence
        # "the first standard of Regulation 144": the category words are the document's title.
        title = p.doc.title or "" if q.ordinal else ""
        # A table row is read with its columns' names: "Tỷ lệ (%): 56,6" answers "bao nhiêu phần trăm".
        labelled = row_labelled(ctx, p.doc_id, p.start) if p.kind == "row" else ""
        for s, e in p.sentence_spans():
            sent = p.quote(s, e)
            if is_heading(ctx, p.doc_id, s, e, sent):
                continue
            words = labelled or sent
            # The sentence's own words, and (half) with the words it stands under: the document
            # title and heading path make "chuẩn mực đạo đức cách mạng" the subject of Điều 1.2.
            score = (0.5 * text_match(terms, f"{title} {p.section_title or ''} {words}")
                     + 0.5 * text_match(terms, f"{p.doc.title or ''} {faces[p.doc_id]} {p.context} {words}") + prior)
            if (q.deadline_cue or q.kind == "deadline") and p.has_deadline and re.search(r"\d", sent):
                score += W.dated_sentence
            low = fold(sent).lower()
            if exception and EXCEPTION_WORDS.search(low):
                score += EXCEPTION_BONUS
            if q.defines and defines(low, q.defines):
                score += W.definition
            if q.asks_name and re.search(r"[“\"«][^”\"»]{8,}[”\"»]", sent):
                score += W.quoted_name
            out.append(Quote(score, p, s, e))
    out.sort(key=lambda x: -x.score)
    return out


_QUOTED_NAME = re.compile(r"[“\"«][^”\"»]{8,}[”\"»]")


def _of_form(ctx: Context, q: Quote) -> bool | None:
    """Whether a sentence has the form the question asks for (a name in quotation marks, a
    figure, a definition); None when the question asks for no particular form."""
    from ingest.normalize import fold

    from .support import asks_amount, states_amount

    if ctx.q.asks_name:
        return bool(_QUOTED_NAME.search(q.text))
    amount = asks_amount(ctx)
    if amount:
        return states_amount(amount, _checked_text(ctx, q))
    if ctx.q.defines:
        return defines(fold(q.text).lower(), ctx.q.defines)
    return None


def best_sentences(ctx: Context, passages: list[Passage], limit: int, *, exception: bool = False) -> list[Quote]:
    scored = sentence_candidates(ctx, passages, exception=exception)
    if not scored:
        return []
    best = scored[0].score
    # A sentence of the asked form ("có tên là gì?" → a quoted name) answers before a closer
    # match that lacks it, when it is near enough to be about the same thing.
    formed = [x for x in scored if x.score >= W.form_share * best and _of_form(ctx, x)]
    if formed and not _of_form(ctx, scored[0]):
        top = formed[0].score
        return formed[:1] + [x for x in scored if x is not formed[0] and x.score >= W.keep_share * top][:limit - 1]
    return [x for x in scored if x.score >= W.keep_share * best][:limit]


def _checked_text(ctx: Context, quote: Quote) -> str:
    """What the support check reads of a sentence: a table row with its columns' names."""
    if quote.passage.kind == "row":
        return row_labelled(ctx, quote.passage.doc_id, quote.passage.start) or quote.text
    return quote.text


def compose_content(ctx: Context, *, exception: bool = False, limit: int | None = None) -> dict | None:
    """The best sentences, when they support an answer; None lets the caller abstain. A question
    naming its source ("theo Quy định 55 …") is answered from that document only."""
    limit = limit or ctx.k or W.max_quotes
    chosen = best_sentences(ctx, ctx.source_passages(), limit, exception=exception)
    if not chosen or not supported(ctx, chosen[0].score, _checked_text(ctx, chosen[0]), chosen[0].passage.doc.title or ""):
        return None
    b = Builder(ctx)
    top = chosen[0]
    if top.passage.kind == "row" and (labelled := row_labelled(ctx, top.passage.doc_id, top.passage.start)):
        # A row read out with its columns' names says which figure is which.
        b.direct(labelled, b.span_of(top.passage, top.start, top.end))
    b.quotes(chosen, ctx.terms())
    return b.result("passages")


def _listed_section(ctx: Context) -> tuple[str, str, list[Passage]] | None:
    """A section whose heading the question names ("nội dung kiểm tra, giám sát … gồm những gì" →
    "2. Nội dung"), among the sections of the best passages: (doc_id, path, its passages)."""
    from ingest.tokenize import syllables

    q_sylls = set(syllables(ctx.lk.search_text)) - STOP_SYLLABLES
    best: tuple[float, str, str] | None = None
    for p in ctx.source_passages()[:W.sentence_pool]:
        tree = ctx.section_tree(p.doc_id)
        by_path = {sec["path"]: sec for sec in tree}
        for sec in tree:
            if not (sec["start"] <= p.start < sec["end"]):
                continue
            parent = by_path.get(sec.get("parent") or "")
            # The heading alone ("1. Đối tượng"), or with its parent's ("ĐỐI TƯỢNG VÀ NỘI DUNG KIỂM TRA").
            share = max(heading_in_question(q_sylls, sec["title"]),
                        heading_in_question(q_sylls, f"{parent['title'] if parent else ''} {sec['title']}"))
            if share >= W.list_heading_share and (best is None or share > best[0]):
                best = (share, p.doc_id, sec["path"])
    if best is None:
        return None
    _, doc_id, path = best
    rows = [p for p in ctx.doc_passages(doc_id) if p.section and (p.section == path or p.section.startswith(path + "."))]
    return (doc_id, path, rows) if len(rows) >= 2 else None


def compose_list(ctx: Context) -> dict | None:
    """Items of the section the question names, else the best sentences."""
    listed = _listed_section(ctx)
    if listed is not None:
        doc_id, path, rows = listed
        terms = ctx.terms()
        quotes = [Quote(text_match(terms, p.quote(s, e)), p, s, e) for p in rows for s, e in p.sentence_spans()
                  if not is_heading(ctx, doc_id, s, e, p.quote(s, e))]
        quotes = quotes[: ctx.k or W.max_list_quotes]
        title = rows[0].doc.title or ""
        if quotes and supported(ctx, max(q.score for q in quotes) + W.named_doc_sentence, " ".join(q.text for q in quotes),
                                title):
            b = Builder(ctx)
            b.quotes(quotes)
            return b.result("passages")
    return compose_content(ctx)
