"""Questions answered by the obligations ingest extracted: "by when?" (deadline), "what is due in
quý II/2024?" (time window), "I am a bí thư chi bộ, what must I do?" (role).

A role answer is the obligations filter for that role — the same duties `sotay obligations --role`
lists — narrowed by the question's topic and time window.
"""
from __future__ import annotations

import functools
import re
from datetime import date

import numpy as np

from ingest.normalize import fold

from ingest.tokenize import expand_abbreviations, syllables

from ..dutyindex import DutyIndex
from ..records import Duty, Span, actor_names, document_face, section_label
from ..retrieval.cues import FUNCTION_WORDS, STOP_SYLLABLES
from ..retrieval.names import TYPE_ALT
from ..retrieval.query import source_phrase
from ..retrieval.scoring import W, asked_size, heading_in_question, size_fit, text_match, without
from ..retrieval.timewindow import due_days
from .compose import NONE_TEXT, Builder, format_date, none_answer
from .context import Context
from .period import period_bounds, period_end
from .support import asked_act, asked_doer, asked_duration, does_act, does_act_itself, states_duration, syllable_text, unknown_body

NO_DEADLINE_TEXT = ("{doc} có nêu việc này nhưng không nêu thời hạn; các văn bản hiện có trong kho "
                    "không đề cập đến thời hạn của nó.")

# Duties of a timewindow question are narrowed by its topic only when the topic says something:
# at least this many content syllables besides the time and the question words.
WINDOW_TOPIC_MIN = 2


# Words of asking a role's duties, not of what they are about: "được giao những việc gì, có mốc thời
# gian nào, hạn chót từng việc là khi nào, nhiệm vụ của tôi".
ROLE_ASK_WORDS = frozenset("viec tung moc thoi gian han chot khi nao gi lam giao co the nhiem vu toi chung minh "
                           "cu the bao gio luc yeu cau bat".split())  # ("… yêu cầu gì ở tôi", "bắt … làm gì")
# The document a role question says gives the duties ("KH của ĐU giao cho tôi việc gì", "quy chế yêu cầu
# tôi …", "báo cáo sơ kết giao chi bộ mình …"): its kind, maybe a few words of its title and its issuer,
# then a verb of giving duties — which document, not what they are about.
ASSIGNING_TITLE_WORDS = 4  # title words after the kind ("báo cáo| sơ kết 6 tháng"): more reads a sentence, not a name
_ASSIGNING_DOC = re.compile(rf"(?<![0-9a-z])(?:{TYPE_ALT})(?![0-9a-z])(?:\s+(?!giao|yeu cau|bat)[a-z0-9]+){{0,{ASSIGNING_TITLE_WORDS}}}?"
                            rf"(?:\s+(?:cua|do)(?:\s+[a-z0-9]+){{1,6}}?)?"
                            r"(?=\s+(?:giao|yeu cau|de ra|dat ra|doi hoi|bat buoc|bat)(?![0-9a-z]))")
_WHOLE_LEVEL = re.compile(r"(?<!\w)(?:toàn|toan)\s+(?:tỉnh|huyện|xã|thành phố|đảng bộ|tinh|huyen|xa|thanh pho|dang bo)(?!\w)",
                          re.I)
# The words of asking which duties fall in a time ("có nhiệm vụ nào phải hoàn thành", "những việc gì đến
# hạn"): what any duty of the window is, not what one must speak of.
WINDOW_ASK_WORDS = ROLE_ASK_WORDS | frozenset("phai can hoan thanh xong thuc hien den han nhung cac".split())


# The time a duty without a date is to be done, stated as a condition or an event: "(khi có hướng dẫn
# của Trung ương)", "sau khi Đại hội kết thúc", "ngay sau khi nhận được kế hoạch".
_WHEN = re.compile(r"(?<![\wÀ-ỹ])(?P<when>(?:ngay\s+)?(?:sau\s+)?khi\s+(?:có|được|nhận|kết thúc|hoàn thành|tổ chức)"
                   r"[^();:.*]{3,80}|(?:ngay\s+)?sau\s+khi\s+[^();:.*]{3,80}?(?:được\s+\w+(?:\s+\w+)?|xong|kết thúc"
                   r"|hoàn thành|có hiệu lực)(?=[\s,;.]|$))", re.IGNORECASE)


# Days of the week a rhythm falls on: "(vào sáng) Chủ nhật tuần thứ hai và tuần thứ tư (hằng tháng)".
_WEEKDAY = re.compile(r"(?:(?:vào\s+)?(?:sáng|chiều|tối)\s+)?(?:chủ nhật|thứ (?:hai|ba|tư|năm|sáu|bảy))"
                      r"(?:\s+(?:tuần (?:đầu tiên|cuối cùng|thứ (?:nhất|hai|ba|tư))|cuối tuần)(?:\s+và\s+tuần\s+(?:thứ\s+)?\S+)?)?"
                      r"(?:\s+(?:hằng|hàng|mỗi)\s+(?:tuần|tháng))?", re.IGNORECASE)


def _due(d: Duty) -> str | None:
    return d.due_end or d.due_start


def _heading(d: Duty) -> str:
    """The duty's section heading — none when the "title" is only the opening words of the item's own
    text ("1. Các huyện ủy … tổ chức quán triệt …; ban hành kế hoạch…"): those words belong to one of
    its clauses, not to every duty of the item."""
    title = d.section_title or ""
    # a title cut short ("…") is the item's opening text; a heading line is whole
    if title.endswith("…") and title.rstrip("… ")[:40] in (d.paragraph or ""):
        return ""
    # a table row's "title" is its content cell, a point's its own text: the duty itself, which the
    # text match already reads — a heading bonus would count it twice and put table rows above prose
    if title and syllable_text(title) in syllable_text(d.quote):
        return ""
    return title


def _anchor_of(d: Duty) -> str | None:
    """The time phrase of a duty due relative to another step ("chậm nhất 15 ngày sau hội nghị cấp
    huyện"), as its text writes it; None for a date or a rhythm."""
    dl = d.deadline or {}
    text = dl.get("text") or ""
    return text if text and (dl.get("relative") or dl.get("event")) and text in d.quote else None


def _score(ctx: Context, d: Duty, terms, q_sylls: set[str], near: set[tuple[str, int, int]]) -> float:
    heading = _heading(d)
    # who does it, as the text names them ("Ban Thường vụ Thành ủy Hòa Bình Đông", lent by the lead-in
    # "Giao …:" to each item) and as their categories
    head = f"{heading} {' '.join(dict.fromkeys(actor_names(d) + list(d.actors)))}"
    quote, paragraph = d.quote, d.paragraph
    if (anchor := _anchor_of(d)) is not None:
        # "Chậm nhất 15 ngày sau hội nghị cấp huyện": the step its time hangs on is another duty's act,
        # not what this one is about ("hội nghị … cấp huyện phải xong trước ngày mấy" asks of that step)
        quote, paragraph = quote.replace(anchor, " "), paragraph.replace(anchor, " ")
    score = (0.5 * text_match(terms, f"{head} {quote}") + 0.5 * text_match(terms, f"{head} {paragraph}"))
    score += W.heading * heading_in_question(q_sylls, heading)
    if any(doc == d.doc.doc_id and s <= d.start < e for doc, s, e in near):
        score += W.near_passage
    if d.doc.doc_id in ctx.lk.named_ids:
        score += W.named_doc_sentence
    return score


# The question opens with the kind of document it asks of ("Kế hoạch thực hiện CT 21 của …", "Theo kế
# hoạch …"): what follows describes that document.
_OPENS_WITH_KIND = re.compile(rf"^\W*(?:theo\s+)?(?:{TYPE_ALT})(?![0-9a-z])")


def _duty_terms(ctx: Context):
    """The question's terms a duty must match. A question describing the document it asks of ("Kế hoạch
    thực hiện CT 21 của Huyện ủy Lâm Trường giao …") names it by its face — kind, title, issuer — and the
    rest says which duty: a duty of another document matches none of the face ("xây dựng kế hoạch thực
    hiện Chỉ thị" in the directive itself)."""
    terms = ctx.terms()
    if any(not nd.object for nd in ctx.q.named):
        return terms  # a document named by number: its own words are no description
    if not _OPENS_WITH_KIND.match(fold(ctx.q.expanded).lower()):
        return terms  # "… phải xong kế hoạch thực hiện KL 01 …": the plan is the duty's object, not its source
    from ..records import document_face
    from ..retrieval.scoring import without
    from .metadata import described_document

    described = described_document(ctx, any_year=True) if ctx.q.named else None
    entry = ctx.document(described.doc_id) if described else None
    rest = without(terms, document_face(entry)) if entry else terms
    return terms if rest.empty else rest


def _near(ctx: Context) -> set[tuple[str, int, int]]:
    """Sentences the passage search ranks first (document, start, end): a duty among them — the whole
    sentence or one of its clauses — is the one asked about."""
    out = set()
    for p in ctx.passages()[:3]:
        for s, e in p.sentence_spans():
            out.add((p.doc_id, s, e))
    return out


NOT_GIVEN_TEXT = ("Các văn bản hiện có trong kho không giao việc nào cho {body}, nên không có thời hạn của "
                  "{body}; việc và thời hạn của cơ quan, tổ chức khác không phải câu trả lời.")


def _doer_role(ctx: Context):
    """The body the question names as the one doing the duty ("Hội Nông dân xã … phải nộp báo cáo
    trước ngày nào?") as a Role, with its name as written; (None, "") when it names none or the asker
    states their own role."""
    from ..retrieval.query import doer

    if ctx.role is not None:
        return None, ""
    said = doer(ctx.q)
    if said is None:
        return None, ""
    return ctx.kb.role(said[0], levels=ctx.levels), said[0]


def _owned_object(ctx: Context, name: str, related: set[str] | None) -> bool:
    """The question names the body after "của", and a duty says "của <body>" too: the body owns the
    duty's object ("tổng hợp ý kiến, kiến nghị của nhân dân"), it is not the one the duty binds."""
    owned = "cua" + syllable_text(name).rstrip()
    if owned not in syllable_text(ctx.q.expanded):
        return False
    return any(owned in syllable_text(q) for q in _quotes_holding(ctx, owned, related))


# Posts that head or lead a body, as duties name them before it ("Trưởng Công an xã", "Chủ tịch Hội …").
_HEAD_POST = r"(?:pho\s+)?(?:truong|chu tich|chu nhiem|bi thu|giam doc|chanh|chi huy truong|thu truong)"


def _headed(ctx: Context, name: str, related: set[str] | None) -> bool:
    """A duty names a post heading the body the question names as the doer."""
    body = syllable_text(name).strip()
    rx = re.compile(rf"(?<![0-9a-z]){_HEAD_POST} {re.escape(body)}(?![0-9a-z])")
    return any(rx.search(syllable_text(q)) for q in _quotes_holding(ctx, body, related))


def _by_head(refs, heads: re.Pattern, levels: tuple[str, ...]) -> bool:
    """The duty (its actor references) binds the post heading the body the question names as the doer
    ("Chủ nhiệm Ủy ban Kiểm tra: … kiểm tra thu, nộp đảng phí …" for "Ủy ban Kiểm tra Đảng ủy xã … kiểm
    tra … vào tháng mấy?"): the head acts for the body — the head of the body at the level asked, not the
    same post above it ("Chủ nhiệm Ủy ban Kiểm tra Huyện ủy")."""
    def field(r, name: str):
        return r.get(name) if isinstance(r, dict) else getattr(r, name, None)

    return any(any(heads.fullmatch(syllable_text(expand_abbreviations(said)).strip())
                   for said in (field(r, "category"), field(r, "name")) if said)
               and (not field(r, "levels") or not levels or set(field(r, "levels")) & set(levels))
               for r in refs or ())


def _place_of(name: str) -> str:
    """The place a body's name says, as folded syllables ("xa song cau"); "" when none."""
    from .context import _LOCALITY

    return " ".join(m.group(0) for m in _LOCALITY.finditer(syllable_text(name)))


def _head_bound(ctx: Context, heads: re.Pattern, levels: tuple[str, ...]) -> np.ndarray:
    """The visible duties binding the head of the body asked (DutyIndex ordinals)."""
    idx = ctx.duty_index()
    return idx.bound(ctx.visible_duties(), lambda g: _by_head(g.refs, heads, levels))


# The level a post's name may end with ("Chủ tịch Ủy ban nhân dân xã").
_LEVEL_WORD = r"(?:xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh)"


def _head_posts(body, body_name: str) -> re.Pattern:
    """The posts heading the body, as a duty's actors name them ("chu nhiem uy ban kiem tra", or with
    the body's whole name)."""
    names = {syllable_text(body_name).strip()} | {syllable_text(c).strip() for c in body.declared}
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if n)
    return re.compile(rf"{_HEAD_POST} (?:{alt})(?: {_LEVEL_WORD})?")


def _quotes_holding(ctx: Context, words: str, related: set[str] | None) -> list[str]:
    """The quotes of the visible duties (of the documents asked about) that may hold `words` (folded
    syllables, the first one whole or its end, the last one whole or its start — as a substring or a
    pattern bounded by non-letters finds them — the others whole), in store order: narrowed by the
    index's words (stop syllables are not kept there, and narrow nothing)."""
    idx = ctx.duty_index()
    pool = ctx.visible_duties()
    if related is not None:
        pool = idx.of_docs(related, pool)
    said = words.split()
    for w in set(said[1:-1]) - STOP_SYLLABLES:
        pool = idx.containing({w}, pool)
    if len(said) > 1 and not any(s.startswith(said[-1]) for s in STOP_SYLLABLES):
        pool = idx.starting(said[-1], pool)
    return [p.get("quote") or "" for p in ctx.kb.duty_fields(pool, ["quote"]).values()]


def compose_deadline(ctx: Context) -> dict | None:
    """The duty the question is about, and its deadline as a date."""
    # A question naming a document is answered from it and the documents implementing it.
    related = _related(ctx)
    body, body_name = _doer_role(ctx)
    heads = _head_posts(body, body_name) if body is not None else None
    if body is not None and not _binds_any(ctx, ctx.kb.bound_duties(body, ctx.levels), related):
        if _owned_object(ctx, body_name, related):
            body = None  # "ý kiến, kiến nghị của nhân dân": what the duty handles, not who does it
        elif not (_headed(ctx, body_name, related) or _binds_any(ctx, _head_bound(ctx, heads, body.levels), related)):
            # A body no duty names (nor its head: "Trưởng Công an xã …" does the work of "Công an xã")
            # is given no deadline: another body's would be a wrong deadline.
            return none_answer(NOT_GIVEN_TEXT.format(body=body_name), ctx.passages())
    flt = ctx.lk.filter(records=["obligation"], doc_ids=sorted(related) if related else None)
    hits = ctx.kb.retriever.candidates(ctx.lk, flt, 30)
    terms, q_sylls, near = _duty_terms(ctx), set(syllables(ctx.lk.search_text)), _near(ctx)
    if body is not None and not (rest := without(terms, _place_of(body_name))).empty:
        # the place in the doer's name ("Ủy ban Kiểm tra Đảng ủy xã Sông Cầu") says whose duty, which
        # binding and the place's own documents weigh (role_duty, placed_doc); matched as words it would
        # pick a duty of another body naming that place as its object ("Kiểm tra … | Đảng ủy xã Sông
        # Cầu | Tháng 9")
        terms = rest
    scored = []
    for h in hits:
        d = Duty.of(h.payload)
        s = _score(ctx, d, terms, q_sylls, near)
        if not d.dated and not _WHEN.search(d.quote):
            s += W.undated_duty  # (a duty timed by an event, "ngay sau khi phương án … được phê duyệt", is not)
        if ctx.binds(d) or (body is not None and (ctx.kb.binds(d, body) or _by_head(d.refs, heads, body.levels))):
            s += W.role_duty  # the asker's own duty, or the named body's, when several match
        if d.doc.doc_id in ctx.placed_ids():
            s += W.placed_doc  # a duty of the local body the question names
        scored.append((s, d))
    scored = _clause_verbs(ctx, scored)
    if (verb := asked_act(ctx)) is not None:
        # "… phải trả lời trong bao lâu?": the duty doing that act, not the one before it in the
        # procedure that shares the question's other words ("gửi văn bản đề nghị thẩm tra …")
        # (a clause of a longer sentence is left to _clause_verbs: its later clauses do the first's act
        # without repeating its verb — "xử lý 126 cơ sở … trong năm 2025; đối với các cơ sở còn vướng …,
        # hoàn thành chậm nhất ngày 30/6/2026")
        scored = [(s + (W.asked_verb if d.context is None and does_act_itself(verb, d.quote) else 0.0), d)
                  for s, d in scored]
    if (size := asked_size(fold(ctx.q.expanded).lower())) is not None:
        # "… có 350 đảng viên thì …": the clause whose size condition holds ("có trên 300 đảng viên được
        # kéo dài …"), over the sentence's verb that the question shares
        scored = [(s + W.size_condition * size_fit(size, fold(d.quote).lower()), d) for s, d in scored]
    window_days: dict[int, date] = {}
    if ctx.q.window is not None and _window_says_when(ctx):
        # "Tháng 6 … phải nộp báo cáo gì, hạn ngày nào?": the time the question names says which duties —
        # those falling due in it (a recurrence by its occurrence there), when any does
        window_days = _window_days(ctx, [d for _, d in scored])
        if window_days:
            scored = [(s, d) for s, d in scored if id(d) in window_days]
    scored.sort(key=lambda x: -x[0])
    if not scored:
        return None
    if not scored[0][1].dated:
        # The best match has no time even after the penalty: when it clearly is the duty asked
        # about, say it has no deadline rather than quote another duty's.
        raw, duty = scored[0][0] - W.undated_duty, scored[0][1]
        # "trước mấy ngày?" of a duty "gửi trước ít nhất ba ngày": a span, not a date; the
        # sentence answers it (the content composer quotes it).
        unit = asked_duration(ctx)
        if unit and states_duration(unit, duty.paragraph or duty.quote):
            return None
        when = _WHEN.search(duty.quote)
        if raw >= W.support and when:
            # no date, but the sentence says when: "(khi có hướng dẫn của Trung ương)" — quoted as written
            b = Builder(ctx)
            where = section_label(duty.section)
            b.direct(f"Văn bản không nêu ngày; thời điểm được nêu là “{when.group('when').strip()}” ({duty.doc.label}"
                     f"{', ' + where if where else ''})", duty.span)
            b.duty(duty, ctx.as_of)
            return b.result("obligations")
        if raw >= W.support:
            return none_answer(NO_DEADLINE_TEXT.format(doc=duty.doc.label), ctx.passages())
        return None
    if scored[0][0] < W.support:
        return None
    if (body := unknown_body(ctx)) is not None:
        # "Hội Nông dân xã … phải nộp báo cáo trước ngày nào?" in a store that never names that body:
        # another body's duty is no answer
        return none_answer(f"Các văn bản trong kho không nhắc đến {body}. {NONE_TEXT}", ctx.passages())
    best = scored[0][0]
    chosen = [d for s, d in scored if s >= W.duty_keep_share * best and d.dated][: min(ctx.k or 3, 3)]
    first = chosen[0]
    if _asks_a_day(ctx) and (not (first.due_end or first.due_start) or (_a_span(first) and not _asks_by(ctx))):
        # "… vào ngày nào?" and the text gives an event, a rhythm, or a whole month or year (not
        # "trước ngày nào?", a deadline, which a window answers): say so.
        said = (first.deadline or {}).get("text") or first.recurrence or ""
        day = _WEEKDAY.search(first.quote)
        if day:
            # "vào sáng Chủ nhật tuần thứ hai và tuần thứ tư hằng tháng": the days, as written
            b = Builder(ctx)
            where = section_label(first.section)
            b.direct(f"Văn bản ghi: “{day.group(0).strip()}” ({first.doc.label}{', ' + where if where else ''})", first.span)
            b.duty(first, ctx.as_of)
            return b.result("obligations")
        return none_answer(f"{first.doc.label} không nêu ngày cụ thể; văn bản chỉ ghi “{said}”. "
                           "Các văn bản hiện có trong kho không đề cập đến ngày đó.", ctx.passages())
    b = Builder(ctx)
    from .compose import deadline_phrase

    where = section_label(first.section)
    said = deadline_phrase(first.deadline, first.recurrence, ctx.as_of)
    b.direct(f"Hạn: {said} ({first.doc.label}{', ' + where if where else ''})", first.deadline_span or first.span)
    who = (asked_doer(ctx) or ctx.doer_asked) is not None  # "… trước ngày nào, ai chủ trì?": each line names its doer
    for d in sorted(chosen, key=lambda d: d.sort_key):
        day = window_days.get(id(d))
        b.duty(d, ctx.as_of, day if day is not None and _due(d) and day != date.fromisoformat(_due(d)) else None,
               said=said, who=who)
    if _LATE_ASKED.search(fold(ctx.q.expanded).lower()) and (then := _what_if_late(first)) is not None:
        b.quote_spans([then])  # "… gửi trễ thì sao?": what the sentence says follows a late one
    return b.result("obligations")


# "gửi trễ thì sao", "nộp chậm thì thế nào", "quá hạn thì sao": what follows a duty done late.
_LATE_ASKED = re.compile(r"(?<![a-z])(?:tre|cham|muon|qua han|sau han|khong dung han)\s+(?:thi\s+)?(?:sao|the nao|ra sao|bi gi)(?![a-z])")
# What a sentence says of lateness: "… không xét khen thưởng đối với hồ sơ gửi chậm", "quá hạn thì …".
_LATE_SAID = re.compile(r"(?<![a-z])(?:cham|tre|muon|qua han|sau thoi han|khong dung han)(?![a-z])")


def _what_if_late(d: Duty) -> Span | None:
    """The whole sentence of a duty whose other clause says what follows lateness ("… gửi … trước ngày
    28/02/2029; không xét khen thưởng đối với hồ sơ gửi chậm"); None when it says nothing of it."""
    ctx_span = d.context
    if ctx_span is None or not _LATE_SAID.search(fold(ctx_span.quote).lower()) or _LATE_SAID.search(fold(d.quote).lower()):
        return None
    return ctx_span


def _window_says_when(ctx: Context) -> bool:
    """The time the question names is when the duties asked about fall due: it opens the question or a
    clause of it ("Tháng 6 các chi bộ phải nộp báo cáo gì, hạn ngày nào?"). Inside the sentence it
    belongs to a noun — the period a report covers ("báo cáo sơ kết (từ tháng 3 đến tháng 9/2027)"), an
    event's name ("Kỳ họp cuối năm 2025") — and says nothing of when."""
    before = ctx.q.expanded[:ctx.q.window.span[0]].rstrip()
    return not before or before[-1] in ",;:.?!"


def _window_days(ctx: Context, duties: list[Duty]) -> dict[int, date]:
    """id(duty) → the first day it falls due inside the time the question names (the plan's year when
    none is written, else the next year's when that one holds none): empty when none falls due there."""
    year = _plan_year(ctx)
    for y in (year, year + 1) if not ctx.q.window.year_given else (year,):
        bounds = _window_bounds(ctx, y)
        if bounds is None:
            return {}
        out = {}
        for d in duties:
            if days := _due_days(d, *bounds):
                out[id(d)] = days[0]
        if out:
            return out
    return {}


def _clause_verbs(ctx: Context, scored: list[tuple[float, Duty]]) -> list[tuple[float, Duty]]:
    """Duties that are clauses of one sentence share its words; the one whose verb the question uses
    is the one asked about ("… báo cáo Thường trực Huyện ủy tiến độ … vào lúc nào?" is the clause
    "báo cáo … hằng tháng, trước ngày 25", not the sentence's other clause "chỉ đạo hoàn thành …
    trước 30/9")."""
    asked = syllable_text(ctx.q.expanded)
    best: dict[tuple[str, int], list[float]] = {}
    for s, d in scored:
        if d.context is not None:
            best.setdefault((d.doc.doc_id, d.context.start), []).append(s)
    verbed: dict[tuple[str, int], set[str]] = {}  # sentence → the asked verbs its clauses open with
    for _, d in scored:
        if d.context is not None and len(best[(d.doc.doc_id, d.context.start)]) > 1 and _verb_asked(d, asked):
            verbed.setdefault((d.doc.doc_id, d.context.start), set()).add(_verb(d))
    out = []
    for s, d in scored:
        key = (d.doc.doc_id, d.context.start) if d.context is not None else None
        group = best.get(key) if key else None
        if group and len(group) > 1:
            # the sentence's words are every clause's ("báo cáo tiến độ [giải phóng mặt bằng]"); the
            # sentence never scores above its best clause, so other documents' duties keep their place
            top = max(group)
            s = top - W.clause_gap_share * (top - s)
            if key in verbed:
                # a clause that also does the asked thing ("… phối hợp … tổ chức Ngày hội") is not pushed down
                if _verb_asked(d, asked):
                    s = top
                elif not any(does_act(v, d.quote) for v in verbed[key]):
                    s = min(s, top - W.clause_verb)
        out.append((s, d))
    return out


def _verb_asked(d: Duty, asked: str) -> bool:
    verb = _verb(d)
    return bool(verb) and f" {verb} " in asked


def _verb(d: Duty) -> str:
    """The first two syllables of what the duty does, folded ("bao cao"), its actor left out when
    the action opens with it ("Phòng Văn hóa huyện chỉ đạo …" → "chi dao")."""
    words = syllables(fold(d.action).lower())
    for ref in sorted(d.actor_refs, key=lambda r: -len(r.get("text") or "")):
        actor = syllables(fold(ref.get("text") or "").lower())
        if actor and words[:len(actor)] == actor:
            words = words[len(actor):]
            break
    return " ".join(words[:2])


def _a_span(d: Duty) -> bool:
    """The duty's time is a window of several days ("năm 2024", "trong tháng 9"), not one day."""
    return bool(d.due_start and d.due_end and d.due_start != d.due_end)


def _asks_by(ctx: Context) -> bool:
    """"trước ngày nào", "hạn … ngày nào", "chậm nhất ngày nào": a deadline is asked, not the day of an
    event; "từ ngày nào đến ngày nào": a span, which a window answers."""
    return bool(re.search(r"(?<![0-9a-z])(?:truoc|han|cham nhat|muon nhat|xong|(?:tu|den)\s+ngay\s+nao)(?![0-9a-z])",
                          fold(ctx.q.expanded).lower()))


def _asks_a_day(ctx: Context) -> bool:
    """"… ngày nào?", "ngày mấy?": a day is asked for, not an event or a duration."""
    import re

    from ingest.normalize import fold

    return bool(re.search(r"(?<![0-9a-z])ngay\s+(?:nao|may|bao nhieu)(?![0-9a-z])", fold(ctx.q.expanded).lower()))


def _plan_year(ctx: Context) -> int:
    for doc in ctx.lk.named:
        if doc.issued:
            entry = ctx.document(doc.doc_id) or {}
            title = entry.get("title") or ""
            import re

            # the plan's own year ("Kế hoạch … năm 2024"), not a horizon ("… đến năm 2028")
            years = re.findall(r"(?<!đến )(?<!tới )(?<!hết )năm\s+((?:19|20)\d{2})", title)
            return int(years[-1]) if years else int(doc.issued[:4])
    return ctx.as_of.year


def _related(ctx: Context) -> set[str] | None:
    """The documents a duty question is about: those it names as its source ("theo Hướng dẫn 15");
    else those it names as an object ("liên quan Chỉ thị 30") with the plans implementing them."""
    if ctx.lk.named:
        return set(ctx.lk.named_ids)
    if not ctx.lk.mentioned:
        return None
    ids = {d.doc_id for d in ctx.lk.mentioned}
    for doc in ctx.lk.mentioned:
        ids |= ctx.kb.citing_docs(doc.number, ctx.levels)
    return ids


def _window_bounds(ctx: Context, year: int) -> tuple[date | None, date | None] | None:
    q = ctx.q
    bounds = q.window.bounds(year) if q.window else None
    if bounds is None:
        return None
    start, end = bounds
    if q.window.from_now:
        start = max(start or ctx.as_of, ctx.as_of)  # "từ nay đến cuối năm": what is still ahead
    if start is None and end is not None:
        # "Trước tháng 7/2025 phải làm xong những gì?" asks about that year's plan, not every past year.
        start = date(end.year, 1, 1)
    return start, end


def _binds_any(ctx: Context, bound: np.ndarray, related: set[str] | None) -> bool:
    """Some of `bound` (DutyIndex ordinals) is a duty of the documents asked about (any, when None)."""
    return bool((bound if related is None else ctx.duty_index().of_docs(related, bound)).size)


def _falling_due(idx: DutyIndex, pool: np.ndarray, start: date | None, end: date | None,
                 holds=None) -> dict[int, date]:
    """The duties of `pool` (ordinals) due inside [start, end], each with the first day it falls due
    there (`_due_days`: a recurrence with a stated day each time, up to the end of the period its
    document's title names; a rhythm naming its months, in each of them) of those `holds` keeps
    (all when None): a single due day is compared in the index, a recurrence read from its rule."""
    out: dict[int, date] = {}
    lo, hi = (start.isoformat() if start else None), (end.isoformat() if end else None)
    kept: dict[date, bool] = {}

    def keep(day: date) -> bool:
        if holds is None:
            return True
        if day not in kept:
            kept[day] = holds(day)
        return kept[day]

    for o in idx.first_due_in(pool, lo, hi).tolist():
        day = date.fromisoformat(idx.due(o))
        if keep(day):
            out[o] = day
    # A rule falls due from its first due day up to its period's end: one whose first day is after the
    # window, or whose period ends before it, has no day in it (what due_days would find).
    ruled = idx.first_due_in(idx.ruled(pool), None, hi, ruled=True)
    months = idx.month_ruled(pool) if start is not None and end is not None else pool[:0]
    both = np.concatenate([ruled, months])
    untils = {t: period_end(idx.titles[t]) for t in set(idx.title[both].tolist())}
    for o in ruled.tolist():
        until = untils[int(idx.title[o])]
        if until is not None and start is not None and until < start:
            continue
        days = [x for x in _rule_days(idx.rrule(o), idx.due_start_of(o), idx.due_end_of(o), start, end, until)
                if keep(x)]
        if days:
            out[o] = days[0]
    for o in months.tolist():
        days = [x for x in _rule_days(idx.rrule(o), None, None, start, end, untils[int(idx.title[o])]) if keep(x)]
        if days:
            out[o] = days[0]
    return out


@functools.lru_cache(maxsize=65_536)
def _rule_days(rule: str, due_start: str | None, due_end: str | None, start: date | None, end: date | None,
               until: date | None) -> tuple[date, ...]:
    """due_days of a recurrence, kept: the duties of copied plans share their rules and dates."""
    return tuple(due_days({"rrule": rule}, due_start, due_end, start, end, until=until))


def _window_pool(ctx: Context, start: date | None, end: date | None) -> tuple[list[int], dict[int, date]]:
    """The visible duties (of the documents asked about) due inside the window, in store order (as
    DutyIndex ordinals), and the first day each falls due there."""
    related = _related(ctx)
    idx = ctx.duty_index()
    pool = ctx.visible_duties()
    if related is not None:
        pool = idx.of_docs(related, pool)
    year = (start or end).year if (start or end) else None
    window = ctx.q.window
    first_day = _falling_due(idx, pool, start, end, None if window is None else lambda x: window.holds(x, year))
    return sorted(first_day), first_day


def compose_timewindow(ctx: Context) -> dict | None:
    q = ctx.q
    year = _plan_year(ctx)
    bounds = _window_bounds(ctx, year)
    if bounds is None:
        return None
    start, end = bounds
    pool, first_day = _window_pool(ctx, start, end)
    if not pool and not q.window.year_given and (later := _window_bounds(ctx, year + 1)) is not None:
        # "tháng 12 … phải báo cáo gì?" with no year: this year's December holds nothing, the next one
        # is the one the stored plans speak of (the answer states the dates it read)
        pool, first_day = _window_pool(ctx, *later)
        if pool:
            start, end = later
    idx = ctx.duty_index()
    if ctx.role is not None:
        # "các chi bộ … phải làm xong những việc gì?": the duties of the body it names, when it has any
        bound = ctx.role_duties()
        if ctx.role.declared:
            # a body's work done by its head ("Chỉ huy trưởng Ban Chỉ huy quân sự xã: … kiện toàn dân quân
            # trong tháng 3") is the body's
            heads = _head_bound(ctx, _head_posts(ctx.role, ctx.role.name), ctx.role.levels)
            bound = np.union1d(bound, heads)
        mine = set(bound.tolist())
        own = [o for o in pool if o in mine]
        if not own and not _binds_any(ctx, bound, _related(ctx)):
            # a body no stored duty names is given nothing: everyone else's duties are no answer
            return none_answer(NOT_GIVEN_TEXT.format(body=ctx.q.role or ctx.role.name), ctx.passages())
        pool = own or pool
    subject = q.topic
    if (sourced := ctx.sourced_ids()) and q.source:
        # "… theo kế hoạch của xã": that document's duties; the rest of the topic says which of them
        pool = [o for o in pool if idx.doc_id(o) in sourced] or pool
        subject = subject.replace(q.source, " ")
    # "toàn tỉnh phải làm xong những gì": everyone of the level, no body in particular
    subject = _WHOLE_LEVEL.sub(" ", subject)
    # words naming the document asked of ("… của BTV TU" after its number) say which document, not which duty
    face = set()
    for nd in ctx.lk.named:
        face |= set(syllables(document_face(ctx.document(nd.doc_id) or {})))
    asking = WINDOW_ASK_WORDS | face
    topic = set(syllables(subject)) - STOP_SYLLABLES - asking
    if len(topic) >= WINDOW_TOPIC_MIN and pool and ctx.role is None:
        terms = ctx.terms(" ".join(w for w in syllables(subject) if w not in asking))
        # a duty stands under its document's issuer: "xã Tân Phước phải làm xong những việc gì" asks for
        # the duties of Đảng ủy xã Tân Phước's document, whoever each one names
        scored = _window_topic(ctx, idx, terms, pool)
        best = max(scored.values(), default=0.0)
        if best >= W.support:
            pool = [o for o in pool if scored.get(o, 0.0) >= W.role_topic_share * best]
    window = q.window.text
    span = (f"{format_date(start) if start else '…'}–{format_date(end) if end else '…'}")
    if pieces := q.window.pieces(start.year if start else year):  # "tháng 6 và tháng 12": each month apart
        span = " và ".join(f"{format_date(a)}–{format_date(b)}" for a, b in pieces)
    if not pool:
        return none_answer(f"Các văn bản trong kho không nêu việc nào có hạn trong khoảng {window} ({span}).",
                           ctx.passages())
    # what the document sets for exactly the time asked first ("Giai đoạn 2: từ tháng 10/2027 đến hết
    # tháng 3/2028: …" for "từ tháng 10/2027 đến hết tháng 3/2028 phải làm gì?"), then in the order they
    # fall due inside the window (a monthly duty by its occurrence there)
    whole = (start.isoformat(), end.isoformat()) if start is not None and end is not None else None
    pool.sort(key=lambda o: (whole is None or (idx.due_start_of(o), idx.due_end_of(o)) != whole, first_day[o],
                             idx.sort_key(o)))
    shown = ctx.duty_records(pool[: ctx.k or W.max_window_duties])
    b = Builder(ctx)
    more = f" (liệt kê {len(shown)} việc đầu)" if len(shown) < len(pool) else ""
    b.direct(f"Có {len(pool)} việc có hạn trong khoảng {window} ({span}){more}, theo thứ tự thời gian:")
    for o, d in shown.items():
        day = first_day[o]
        b.duty(d, ctx.as_of, day if _due(d) and day != date.fromisoformat(_due(d)) else None)
    return b.result("obligations")


def _window_topic(ctx: Context, idx: DutyIndex, terms, pool: list[int]) -> dict[int, float]:
    """How well each duty of a window's pool matches the question's topic: its actors, section title,
    quote, document title and issuer (text_match), for the duties where any of those holds a word of
    the topic; every other one matches nothing (0)."""
    if terms.empty or not pool:
        return {}
    words = set(terms.weights)
    arr = np.asarray(pool, dtype=np.int32)
    places = ctx.kb.issuer_places(ctx.levels)
    said = {g for g in set(idx.group[arr].tolist())
            if words & set(syllables(" ".join(idx.groups[g].actors)))}
    titled = {t for t in set(idx.title[arr].tolist()) if words & set(syllables(idx.titles[t]))}
    placed = {d for d in set(idx.doc[arr].tolist()) if words & set(syllables(places.get(idx.docs[d], " ")))}
    cands = set(idx.containing(words, arr).tolist())
    cands |= {o for o in pool if idx.group[o] in said or idx.title[o] in titled or idx.doc[o] in placed}
    ordered = [o for o in pool if o in cands]
    out = {}
    for o, p in ctx.kb.duty_fields(ordered, ["actors", "section_title", "quote"]).items():
        out[o] = text_match(terms, f"{' '.join(p.get('actors') or [])} {p.get('section_title') or ''} "
                                   f"{p.get('quote') or ''} {idx.doc_title(o)} {places.get(idx.doc_id(o), ' ')}")
    return out


# Words of asking a document's duties as a whole ("KH 31 giao những nhiệm vụ gì?", "CT 17 yêu cầu làm
# những việc nào?"): with nothing else asked, the answer is the document's list of duties.
DOC_DUTY_ASK_WORDS = WINDOW_ASK_WORDS | frozenset("yeu cau de ra dat ra nao noi dung cong".split())
DOC_DUTY_ASK = re.compile(r"(?<![0-9a-z])(?:(?:nhung|cac)\s+)?(?:nhiem vu|cong viec|viec)\s+(?:gi|nao|cu the)(?![0-9a-z])"
                          r"|(?<![0-9a-z])giao\s+(?:nhung\s+|cac\s+)?(?:nhiem vu|cong viec|viec)(?![0-9a-z])")


def compose_document_duties(ctx: Context) -> dict | None:
    """"Chỉ thị 17 giao những nhiệm vụ gì?": the named document's duties in reading order (at most
    W.max_window_duties), counted; None when the question asks about something in particular."""
    if ctx.role is not None or ctx.q.window is not None or len(ctx.lk.named) != 1:
        return None
    low = fold(ctx.q.expanded).lower()
    if not DOC_DUTY_ASK.search(low):
        return None
    doc_id = ctx.lk.named[0].doc_id
    face = set(syllables(document_face(ctx.document(doc_id) or {})))
    rest = set(syllables(ctx.q.topic)) - STOP_SYLLABLES - DOC_DUTY_ASK_WORDS - face
    if any(not w.isdigit() for w in rest):
        return None  # "… giao Ban Tuyên giáo những việc gì": a body or a subject is asked about
    of_doc = ctx.duty_records(ctx.duty_index().of_docs([doc_id], ctx.visible_duties())).values()  # store order
    duties = sorted(of_doc, key=lambda d: d.start)
    if not duties:
        return None
    shown = duties[: ctx.k or W.max_window_duties]
    b = Builder(ctx)
    more = f" (liệt kê {len(shown)} việc đầu)" if len(shown) < len(duties) else ""
    b.direct(f"{duties[0].doc.label} giao {len(duties)} việc{more}, theo thứ tự trong văn bản:")
    for d in shown:
        b.duty(d, ctx.as_of, who=True)
    return b.result("obligations")


def compose_role(ctx: Context) -> dict | None:
    """The role's duties about what was asked (all of them when nothing in particular was)."""
    role = ctx.role
    if role is None:
        return None
    q = ctx.q
    idx = ctx.duty_index()
    pool = ctx.role_duties()  # ordinals, in store order
    low = fold(q.expanded).lower()
    assigning = None if ctx.lk.named else _ASSIGNING_DOC.search(low)
    if ctx.lk.named:
        pool = idx.of_docs(ctx.lk.named_ids, pool)
    elif (sourced := ctx.sourced_ids()) and q.source:
        # "theo quy chế, tôi phải làm gì": the duties that document gives the role, when it gives any
        pool = mine if (mine := idx.of_docs(sourced, pool)).size else pool
    elif assigning and (given := ctx.faced_ids(q.expanded[assigning.start():assigning.end()])):
        # "KH của ĐU giao cho tôi việc gì": the duties the document described gives the role, when any
        pool = mine if (mine := idx.of_docs(given, pool)).size else pool
    # The post itself ("phó bí thư chi bộ"), before the body it belongs to ("chi bộ") and the broad
    # categories ("đảng viên") its holder is also bound by.
    post = (getattr(role, "declared", ()) or (None,))[0]
    # …and first of all, the duties of the post as the documents name it ("Bí thư chi bộ khu phố:
    # Lập sổ …"), when the role is one of theirs: a roles.yaml post of the same rank ("Bí thư chi bộ
    # doanh nghiệp …" is also a người đứng đầu chi bộ) is another post. Decided once per group of
    # duties naming the same actors.
    own_name = fold(role.name).lower()
    named_so = _per_group(idx, pool, lambda g: any(fold(r.get("name") or "").lower() == own_name for r in g.refs))
    # the post as the role names it, or a post the duty names that the role holds ("Bí thư chi bộ
    # doanh nghiệp" for the bí thư of one named company's chi bộ): naming rank 0
    own_post = named_so | _per_group(idx, pool, lambda g: post in g.actors or _naming_rank(g.refs, role) == 0)

    if q.window is not None:
        plan_year = _plan_year(ctx)
        # "nửa cuối năm" with no year: the plan's (today's) year, else — when nothing of the role falls
        # in it — the next one, the year the stored plans speak of (the answer states the dates it read)
        years = (plan_year,) if q.window.year_given else (plan_year, plan_year + 1)
        for year_asked in years:
            in_window = _role_window(ctx, idx, pool, own_post, year_asked)
            if in_window is None or in_window.size:
                break
        if in_window is not None:
            pool = in_window
            if not pool.size:
                return none_answer(f"Các văn bản trong kho không giao việc nào có hạn trong khoảng {q.window.text} "
                                   f"cho vai trò “{role.name}”.", ctx.passages())
    if not pool.size:
        return None
    declared = set(getattr(role, "declared", ())) | set(getattr(role, "works_for", ()))
    # the subject is what is left once the role's own words ("chi bộ tôi") and the words of asking
    # for duties ("những việc gì, hạn chót từng việc") are set aside
    own = set(syllables(fold(f"{role.name} {q.role or ''}").lower())) | ROLE_ASK_WORDS
    for found in (source_phrase(low), assigning.span() if assigning else None):
        if found is not None:
            # "… theo HD của huyện ủy", "KH của ĐU giao …": the document drawn on, not what the duty must
            # speak of
            own |= set(syllables(low[found[0]:found[1]])) - set(syllables(low[:found[0]]))
    # "CV 312 của HU bắt …": the words naming the document asked of (its kind, issuer, place — not its
    # title, whose words are a topic too: "HD 08 … về đảng phí") say which document, not which duty
    for nd in ctx.lk.named:
        entry = ctx.document(nd.doc_id) or {}
        own |= set(syllables(fold(" ".join(str(entry.get(k) or "") for k in ("type", "issuer", "place"))).lower()))
    # "…, phải làm gì và báo cáo cho ai?": the duties in general, the other clause's words ranking them
    subject = [fold(w).lower() for w in re.findall(r"[^\W\d_]+|\d+", q.also_asks or q.topic)
               if w.lower() not in FUNCTION_WORDS and fold(w).lower() not in own | STOP_SYLLABLES]
    terms = ctx.terms(" ".join(subject))
    topic = idx.text_match(terms, pool)  # text_match with each duty's section title and quote
    best = float(topic.max(initial=0.0))
    on_topic = len(set(subject)) >= WINDOW_TOPIC_MIN and best >= W.support
    if on_topic:
        topic = _sentence_topic(ctx, idx, pool, topic, W.role_topic_share * best)

    # How specifically each group of duties names the role: the post as the documents name it (0);
    # else, by the post itself, the role's body, or a broad category ("cán bộ, đảng viên"), or the
    # post as the text names it whatever roles.yaml lists first for that role (ingest.actors.naming_rank),
    # whichever is closer (1–3).
    def specific(g) -> int:
        named = set(g.actors) | g.categories
        by_words = 0 if post in named else 1 if declared & named else 2
        return 1 + min(by_words, _naming_rank(g.refs, role))

    specific_of = np.full(len(idx.groups), 3, dtype=np.int8)
    for gi in np.unique(idx.group[pool]).tolist():
        specific_of[gi] = 0 if named_so[gi] else specific(idx.groups[gi])

    if len(set(subject)) >= WINDOW_TOPIC_MIN and not on_topic and not q.window and not q.also_asks:
        return None  # asked about something none of the role's duties speaks of: let the text answer
    # the post's own duties that speak of the topic at all are never left out for the broad categories'
    # ("Phó Bí thư Thường trực Đảng ủy: theo dõi tiến độ kiểm điểm …" beside everyone's "kiểm điểm cuối năm")
    own_here = on_topic & own_post[idx.group[pool]] & (topic >= W.own_post_topic_share * best)
    if on_topic and not q.also_asks:
        keep = (topic >= W.role_topic_share * best) | own_here
        pool, topic, own_here = pool[keep], topic[keep], own_here[keep]
    # The asked-about duties; then the most specific; dated before undated; then the topic words
    # (with a deadline cue, "… và hạn chót từng việc", the duties with a date first, after the asked
    # ones; with a second ask, "…, phải làm gì và báo cáo cho ai?", the role's own duties first, those
    # about the other clause first among them). Ties keep reading order (Duty.sort_key: due date,
    # document, offset; not the store's order, which moves with every re-index), then the store's
    # order. Sorted with numpy (np.lexsort: the last key first): a role binds tens of thousands of
    # duties in a large store.
    asked = on_topic & ((topic >= W.role_topic_share * best) | own_here)
    specific_ = specific_of[idx.group[pool]]
    undated = ~idx.dated[pool]
    no_due = idx.due_rank(pool) == 0
    reading = (idx.start[pool], idx.doc_rank(pool), idx.due_rank(pool, none_last=True))
    if q.deadline_cue:
        ranks = (-topic, undated, specific_, no_due, ~asked)
        kept = 3  # the rank's first three parts order the reading out
    elif q.also_asks:
        ranks = (-topic, undated, ~asked, specific_)
        kept = 2
    else:
        ranks = (-topic, undated, specific_, ~asked)
        kept = 2
    order = np.lexsort((pool,) + reading + ranks)[: ctx.k or W.max_duties]
    top = pool[order].tolist()
    heads = dict(zip(top, zip(*(k[order].tolist() for k in reversed(ranks[-kept:])))))
    records = ctx.duty_records(top)
    chosen = [(o, records[o]) for o in top if o in records]

    # read out in the order of the text, the post's own duties before its body's and everyone's; the
    # duties a section gives one doer together, as the text orders them ("Trưởng Công an xã: tham mưu
    # …; quản lý …; báo cáo … trước ngày 20"), quoted once (the few chosen, as records)
    def sentence(d: Duty) -> tuple:
        return (d.doc.doc_id, d.section, tuple(actor_names(d)))

    first: dict[tuple, tuple] = {}
    for o, d in sorted(chosen, key=lambda c: (heads[c[0]], c[1].sort_key)):
        first.setdefault(sentence(d), (heads[o], d.sort_key))
    chosen.sort(key=lambda c: (first[sentence(c[1])], c[1].start))
    records = dict(chosen)
    b = Builder(ctx)
    b.direct(f"Những việc văn bản giao cho vai trò “{role.name}”" + (f" ({len(records)} việc)" if len(records) > 1 else "") + ":")
    for d in records.values():
        b.duty(d, ctx.as_of)
    return {**b.result("obligations"), "role_applied": role.name}  # the answer says it was filtered by the role


def _sentence_topic(ctx: Context, idx: DutyIndex, pool: np.ndarray, topic: np.ndarray, floor: float) -> np.ndarray:
    """`topic` with each clause of a sentence that gives one doer several duties scored as its best
    clause: "Bí thư chi bộ: trực tiếp chỉ đạo thu đảng phí; công bố công khai kết quả thu, nộp …" is
    about đảng phí in each clause, though the later ones leave the word out. Only clauses of the same
    sentence (the duty's context span) and the same doers (its group) inherit; a clause naming another
    doer keeps its own score."""
    on = topic >= floor
    if not on.any() or on.all():
        return topic
    key = lambda o: (int(idx.doc[o]), int(idx.group[o]), int(idx.title[o]))  # noqa: E731
    hits = {key(o) for o in pool[on].tolist()}
    cands = [i for i, o in enumerate(pool.tolist()) if not on[i] and key(o) in hits]
    if not cands:
        return topic
    asked = [i for i in range(len(pool)) if on[i] and key(int(pool[i])) in {key(int(pool[c])) for c in cands}]
    fields = ctx.kb.duty_fields([int(pool[i]) for i in asked + cands], ["context"])

    def sentence(i: int) -> tuple | None:
        c = (fields.get(int(pool[i])) or {}).get("context")
        return (key(int(pool[i])), c["start"]) if c else None

    best: dict[tuple, float] = {}
    for i in asked:
        if (sn := sentence(i)) is not None:
            best[sn] = max(best.get(sn, 0.0), float(topic[i]))
    out = topic.copy()
    for i in cands:
        if (sn := sentence(i)) is not None and sn in best:
            out[i] = best[sn]
    return out


def _role_window(ctx: Context, idx: DutyIndex, pool: np.ndarray, own_post: np.ndarray, year: int) -> np.ndarray | None:
    """The role's duties (`pool`) of the question's time window read in `year`; None when the window
    has no bounds. An undated duty of a document for a period inside the window is due in it ("năm
    2024 … theo Kế hoạch 222" asks for the 2024 plan's duties, dated or not); so are a rhythm without
    a day ("mỗi năm giới thiệu …") and the post's own standing duties, of a document already issued by
    the window's end: what the holder does that year, every year."""
    window = ctx.q.window
    bounds = window.bounds(year)
    if bounds is None:
        return None
    start, end = bounds
    if start is None and end is not None:
        start = date(end.year, 1, 1)  # "trước tháng 7/2025": that year's plan
    first = (start or end).year if (start or end) else None
    due = set(_falling_due(idx, pool, start, end, lambda x: window.holds(x, first)))
    no_date = idx.undated(pool)
    periods = {t: _title_inside(idx.titles[t], start, end) for t in set(idx.title[no_date].tolist())}
    issued = {d: _issued_by(idx.issued[d], end) for d in set(idx.doc[no_date].tolist())}
    due |= {o for o in no_date.tolist() if periods[int(idx.title[o])]
            or ((idx.recurs[o] or own_post[idx.group[o]]) and issued[int(idx.doc[o])])}
    return np.array(sorted(due), dtype=np.int32)


def _per_group(idx: DutyIndex, pool: np.ndarray, test) -> np.ndarray:
    """`test(group)` of each group of duties `pool` holds, by group (False for the others)."""
    out = np.zeros(len(idx.groups), dtype=bool)
    for g in np.unique(idx.group[pool]).tolist():
        out[g] = bool(test(idx.groups[g]))
    return out


def _issued_by(issued: str | None, end: date | None) -> bool:
    return end is None or not issued or issued[:10] <= end.isoformat()


def _naming_rank(refs: list, role) -> int:
    from ingest.actors import naming_rank

    rank = naming_rank(refs, role) if refs else None
    return 2 if rank is None else rank


def _title_inside(title: str, start: date | None, end: date | None) -> bool:
    """The period a document's title names lies inside [start, end]."""
    period = period_bounds(title)
    return period is not None and start is not None and end is not None and start <= period[0] and period[1] <= end


def _due_days(d: Duty, start: date | None, end: date | None) -> list[date]:
    """The days `d` falls due inside [start, end]: a recurrence with a stated day each time, up to the
    end of the period its document's title names."""
    return due_days(d.deadline, d.due_start, d.due_end, start, end, until=period_end(d.doc.title))
