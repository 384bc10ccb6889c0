"""Cited answers, composed by kind of question. No generative model: every statement is a verbatim
quote of a stored document with its [n] citation (see compose.py).

One composer per kind (the question is parsed once, in retrieval/query.py):
section · metadata (and documents known only from citations) · role · time window · deadline ·
yes/no · exception · list · content; cross-document questions quote each document. A composer returns
None when the store does not support its kind of answer; the next one is tried, and when none
answers, the answer says so (kind "none") with the closest passages as "may be related".
"""
from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Callable, Iterable

from ingest.normalize import fold

from ..errors import UserError, check_k, check_query
from ..records import access_levels
from ..retrieval.cues import EXCEPTION
from ..retrieval.followup import Turn, read
from ..retrieval.acronyms import resolve as resolve_acronyms
from ..retrieval.query import parse_question
from .compose import NONE_TEXT, none_answer
from .context import Context
from .cross import compose_cross, compose_followed, follows_reference, is_cross
from .duties import compose_deadline, compose_document_duties, compose_role, compose_timewindow
from .sections import compose_where
from .metadata import (compose_metadata, compose_missing, names_document, other_issuer_document,
                       other_year_document)
from .passages import compose_content, compose_list, enumerates, leaves_out_heading, listed_section
from .period import past_period_note
from .sections import compose_outline, compose_section, item_of_named
from .support import (asked_act, asked_duration, asks_event_day, asks_fact_time, does_act_itself, other_province, states_duration, states_fact_time,
                      unknown_locality)
from .yesno import compose_claim, compose_timely, compose_yesno

if TYPE_CHECKING:
    from ..knowledge import KnowledgeBase

Composer = Callable[[Context], "dict | None"]

NO_DEADLINE_TEXT = "Văn bản không nêu thời hạn cho việc này."
# Answers about duties and their time — a deadline, a time window, a role's duties, any answer listing
# obligations — say when the plan they come from is for a period already over; answers about what a
# document says or is (its signer, a section, yes/no on a fact) do not: its period changes nothing there.
PERIOD_KINDS = ("deadline", "timewindow", "role")


def _does_asked_act(ctx: Context, ans: dict | None, other: dict | None) -> bool:
    """The duty answer quotes the act the question asks of ("phải trả lời trong bao lâu") and the
    other answer does not: the duty is the one asked about, whatever words the other shares."""
    verb = asked_act(ctx)
    if verb is None or not ans or not ans.get("citations"):
        return False

    def holds(a: dict | None) -> bool:
        return any(does_act_itself(verb, c["quote"]) for c in (a or {}).get("citations") or [])

    return holds(ans) and not holds(other)


def _deadline_or_time(ctx: Context) -> dict | None:
    """A duty with its deadline; else the sentences, when one of them states a time."""
    ans = compose_deadline(ctx)
    if ctx.q.duration:
        # "kéo dài bao lâu", "tối đa bao nhiêu tháng": a sentence stating the span answers it before a
        # duty whose deadline is a date ("không quá 24 tháng" is no deadline, and no duty holds it); of
        # a duty and a sentence both stating a span, the one covering more of the question.
        span = compose_content(ctx, limit=1)
        if _states_span(ctx, span) and (not _states_span(ctx, ans) or _coverage(ctx, span) > _coverage(ctx, ans)) \
                and not _does_asked_act(ctx, ans, span):
            return span
    fact = asks_fact_time(ctx)
    content = compose_content(ctx, limit=1) if fact is not None or ans is None or ans["kind"] == "none" else None
    if fact is not None and content is not None and any(states_fact_time(ctx, c["quote"]) for c in content["citations"]) \
            and not any(states_fact_time(ctx, c["quote"]) for c in (ans or {}).get("citations") or []):
        # "họp ngày nào?": "Ngày 10/02/2027, Ban Thường vụ Tỉnh ủy họp …" — the day it happened, before
        # a duty the same words reach whose sentence does not state it
        return content
    if asks_event_day(ctx) and (event := _event_day(ctx)) is not None \
            and (ans is None or ans["kind"] == "none" or _coverage(ctx, event) > _coverage(ctx, ans)
                 or (ctx.placed_ids() and not {c["doc_id"] for c in ans["citations"]} & ctx.placed_ids())):
        # "xã … nộp ngày nào?", "… hoàn thành di dời ngày nào?" with no modal: the day a report states it
        # was done, when no duty's deadline answers, the sentence stating the day covers more of the
        # question than the duty does, or the duty is not of the local body the question names
        return event
    if ans is not None and not (ans["kind"] == "none" and fact):
        return ans
    refused = ans
    if refused is not None:
        return refused  # no sentence states when that happened: the duty's refusal stands
    ans = content
    if ans is None:
        return None
    from ingest.deadlines import find_deadlines

    if any(find_deadlines(c["quote"]) for c in ans["citations"]) or any(
            w in c["quote"].lower() for c in ans["citations"] for w in ("cuối năm", "định kỳ", "thường xuyên", "hằng")):
        return ans
    # "trước mấy ngày?": a sentence stating how many days ("trước ít nhất ba ngày") answers it.
    unit = asked_duration(ctx)
    if unit and any(states_duration(unit, c["quote"]) for c in ans["citations"]):
        return ans
    return none_answer(f"{NO_DEADLINE_TEXT} {NONE_TEXT}", ctx.passages())


def _event_day(ctx: Context) -> dict | None:
    """The sentence stating the day an act was done, from the documents of the local body the question
    names when it names one ("xã Nậm Khao nộp ngày nào": the commune's report states it, the province's
    plan only states the deadline)."""
    placed = ctx.placed_ids()
    if placed and not ctx.lk.named:
        ctx = replace(ctx, lk=replace(ctx.lk, doc_ids=tuple(sorted(placed))), _passages=None, _source=None)
    return compose_content(ctx, limit=1, day=True)


def _states_span(ctx: Context, ans: dict | None) -> bool:
    """The answer's first quote states a span of the unit asked."""
    cits = (ans or {}).get("citations") or []
    return bool(ans and ans["kind"] != "none" and cits and states_duration(ctx.q.duration or "any", cits[0]["quote"]))


def _coverage(ctx: Context, ans: dict) -> float:
    """How much of the question the answer's first quote covers."""
    from ..retrieval.scoring import text_match

    return text_match(ctx.terms(), ans["citations"][0]["quote"])


def _role_fallback(ctx: Context) -> dict | None:
    """A role question none of the role's duties answers: a deadline question is still one."""
    return _deadline_or_time(ctx) if ctx.q.deadline_cue else compose_content(ctx)


# An exception question asking for everyone left out ("… không áp dụng với những ai?", "những trường hợp
# nào được miễn?"), not whether one case is.
_WHO_ALL = re.compile(r"(?<![0-9a-z])(?:nhung|cac)\s+(?:ai|truong hop|doi tuong|nguoi|dang vien|can bo)"
                      r"|(?:truong hop|doi tuong|dang vien|can bo) nao"
                      r"|(?<![0-9a-z])(?:voi|cho|doi voi)\s+(?:nhung\s+)?ai(?![0-9a-z])")


def _left_out_listed(ctx: Context) -> dict | None:
    """Everyone a document leaves out, asked as such: the part headed by what the question asks
    ("Điều 3. Đối tượng không áp dụng"), read out whole; None when no such part is named."""
    low = fold(ctx.q.expanded).lower()
    if not (EXCEPTION.search(low) and _WHO_ALL.search(low)) or (listed := listed_section(ctx)) is None:
        return None
    doc_id, path, _ = listed
    title = next((sec.get("title") or "" for sec in ctx.section_tree(doc_id) if sec.get("path") == path), "")
    if not leaves_out_heading(title):
        return None  # "Điều 2. Phạm vi, đối tượng áp dụng" says who is bound, not who is left out
    return compose_list(ctx)


def _exception(ctx: Context) -> dict | None:
    return _left_out_listed(ctx) or compose_content(ctx, exception=True)


# Which composers answer each kind, in order; the content composer is every kind's last resort.
_PLAN: dict[str, list[Composer]] = {
    "section": [compose_section],
    "metadata": [compose_claim, compose_metadata],
    "role": [compose_role, _role_fallback],
    "timewindow": [compose_timewindow],
    "deadline": [_deadline_or_time],
    "yesno": [compose_yesno],
    "exception": [_exception],
    "list": [compose_document_duties, compose_list],
    "content": [compose_document_duties, _left_out_listed, compose_content],
}
# Kinds whose composer's refusal is final: their "none" says exactly what is missing.
_FINAL = {"section", "timewindow", "deadline", "yesno"}


def _compose(ctx: Context) -> dict:
    q = ctx.q
    # A province beside a stored document the question names is a claim about that document
    # ("KH 222 có phải của Tỉnh ủy Điện Biên không?"), answered from it, not a question about elsewhere.
    foreign = None if ctx.lk.named else (other_province(ctx) or unknown_locality(ctx) or other_year_document(ctx)
                                         or other_issuer_document(ctx))
    if foreign:
        return none_answer(foreign, ctx.passages())
    unstored = [nd for nd in q.named if not nd.object and not kb_named(ctx, nd)]
    if unstored and q.kind == "metadata" and not ctx.lk.named:
        return compose_missing(ctx, unstored[0])  # the store holds no document of that number
    if unstored and not ctx.lk.named and not q.parts:
        # About a document the store does not hold: only what stored sentences citing it say (a time
        # for a duty question, when one states it), never the duties or deadlines of another document
        return _about_unstored(ctx, unstored[0])
    if follows_reference(ctx):  # "… tại Điều 5 QĐi 08": that document's article, and the sentence citing it
        ans = compose_followed(ctx)
        if ans is not None:
            return ans
    # A section question joins documents only by clauses ("…; Điều 1 trong văn bản của Bộ Chính trị"):
    # one clause naming several documents asks for the section of the one it names first.
    if q.yesno and len(ctx.lk.named) == 2 and (ans := compose_timely(ctx)) is not None:
        return ans  # "hạn trong TB 45 có sớm hơn hạn trong KH 31 không?": one verdict over both documents
    if (q.kind != "section" or q.parts) and is_cross(ctx):
        ans = compose_cross(ctx)
        if ans is not None:
            return ans
    ans = (compose_timely(ctx) if q.yesno else None) or compose_outline(ctx) or compose_for(ctx)
    if ans is not None:
        return ans
    if unstored:
        return compose_missing(ctx, unstored[0])
    return none_answer(NONE_TEXT, ctx.passages())


def _about_unstored(ctx: Context, nd) -> dict:
    """A question whose only source is a document the store does not hold ("Kế hoạch 45-KH/HU giao
    … những nhiệm vụ nào?"): answered by its kind's composer only when what it quotes first cites that
    document ("Quán triệt Nghị quyết số 05-NQ/TU đến 100% cán bộ …"); else by what the citing sentences
    say of it, or plainly that its text is not stored — never by another document's content."""
    ans = compose_outline(ctx) or compose_for(ctx)
    if ans is not None and ans["kind"] != "none" and ans["citations"] and names_document(ans["citations"][0]["quote"], nd) \
            and (ctx.q.kind != "list" or enumerates(ans["citations"][0]["quote"])):
        return ans  # (a list asked of it: only a citing sentence that lists answers)
    return compose_missing(ctx, nd)


def compose_for(ctx: Context) -> dict | None:
    """The composers of the question's kind in turn, then (for kinds whose refusal is not final)
    the content composer; None when none of them answers."""
    if (where := compose_where(ctx)) is not None:  # "… nằm ở mục nào?", of any kind and in any clause
        return where
    for composer in _PLAN[ctx.q.kind]:
        ans = composer(ctx)
        if ans is not None:
            return ans
    if ctx.q.kind not in _FINAL:
        return compose_content(ctx)
    return None


def kb_named(ctx: Context, nd) -> bool:
    return bool(ctx.kb.retriever.stats.named([nd], ctx.levels))


def answer_question(kb: "KnowledgeBase", question: str, *, role: str | None = None, k: int | None = None,
                    scopes: Iterable[str] = ("read",), as_of: date | None = None,
                    history: list[Turn] | None = None) -> dict:
    """The contract's Answer for one question (CONTRACT.md), plus `reply` (the direct reply line),
    `question_kind` (how the question was read) and `understood_as` (a follow-up made whole)."""
    t0 = time.perf_counter()
    question = check_query(question)
    check_k(k, 20)
    levels = access_levels(scopes)
    reading = read(question, history or [])
    # "chỉ huy trưởng BCHQS xã": initials no list knows, spelled out as the documents spell them
    reading = replace(reading, question=resolve_acronyms(kb.retriever, reading.question, levels))
    q = parse_question(reading.question, role=role)
    the_role = kb.role(q.role, explicit=bool(role), levels=levels) if q.role else None
    as_of = as_of or date.today()
    ctx = Context(kb, kb.retriever.lookup(q, levels), as_of, the_role, k)
    if (item := item_of_named(ctx)) is not None:  # "Kết luận số 8 trong TB 27": item 8 of the notice
        q = item
        ctx = Context(kb, kb.retriever.lookup(q, levels), as_of, the_role, k)
    ans = {"question": question, **_compose(ctx), "question_kind": q.kind, "understood_as": reading.question
           if reading.note else None}
    ans.setdefault("role_applied", None)
    ans["as_of"] = as_of.isoformat()
    dated = ans["kind"] == "obligations" or (ans["kind"] != "none" and q.kind in PERIOD_KINDS)
    note = past_period_note(ans, as_of) if dated else None
    if note:  # said in the first line: the reply (and the answer's first line, which is the reply)
        reply = ans.get("reply") or ""
        ans["reply"] = f"{note} {reply}".strip()
        if reply and ans["answer"].startswith(reply):
            ans["answer"] = ans["reply"] + ans["answer"][len(reply):]
        else:
            ans["answer"] = f"{note}\n{ans['answer']}"
    if reading.note:  # the answer says how it read the follow-up
        ans["reply"] = f"{reading.note}\n{ans['reply']}".strip()
        ans["answer"] = f"{reading.note}\n{ans['answer']}"
    if kb.settings.llm_url:  # optional rephrasing; keeps every [n] or falls back to the extractive text
        from .llama import rephrase

        ans = rephrase(ans, kb.settings.llm_url)
    ans["took_ms"] = round((time.perf_counter() - t0) * 1000, 2)
    return ans


__all__ = ["answer_question", "NONE_TEXT", "UserError"]
