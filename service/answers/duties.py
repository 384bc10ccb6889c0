"""Questions answered by the obligations ingest extracted: "by when?" (deadline), "what is due in
quý II/2024?" (time window), "I am a bí thư chi bộ, what must I do?" (role).

A role answer is the obligations filter for that role — the same duties `sotay obligations --role`
lists — narrowed by the question's topic and time window.
"""
from __future__ import annotations

import re
from datetime import date

from ingest.normalize import fold

from ingest.tokenize import syllables

from ..records import Duty, actor_names, document_face, section_label
from ..retrieval.cues import FUNCTION_WORDS, STOP_SYLLABLES
from ..retrieval.names import TYPE_ALT
from ..retrieval.query import source_phrase
from ..retrieval.scoring import W, asked_size, heading_in_question, size_fit, text_match
from ..retrieval.timewindow import due_days
from .compose import NONE_TEXT, Builder, format_date, none_answer
from .context import Context
from .period import period_bounds, period_end
from .support import asked_duration, states_duration, unknown_body

NO_DEADLINE_TEXT = ("{doc} có nêu việc này nhưng không nêu thời hạn; các văn bản hiện có trong kho "
                    "không đề cập đến thời hạn của nó.")

# Duties of a timewindow question are narrowed by its topic only when the topic says something:
# at least this many content syllables besides the time and the question words.
WINDOW_TOPIC_MIN = 2


# Words of asking a role's duties, not of what they are about: "được giao những việc gì, có mốc thời
# gian nào, hạn chót từng việc là khi nào, nhiệm vụ của tôi".
ROLE_ASK_WORDS = frozenset("viec tung moc thoi gian han chot khi nao gi lam giao co the nhiem vu toi chung minh "
                           "cu the bao gio luc yeu cau".split())  # ("… yêu cầu gì ở tôi")
# The document a role question says gives the duties ("KH của ĐU giao cho tôi việc gì", "quy chế yêu cầu
# tôi …"): its kind, maybe its issuer, then a verb of giving duties — which document, not what they are about.
_ASSIGNING_DOC = re.compile(rf"(?<![0-9a-z])(?:{TYPE_ALT})(?![0-9a-z])(?:\s+(?:cua|do)(?:\s+[a-z0-9]+){{1,6}}?)?"
                            r"(?=\s+(?:giao|yeu cau|de ra|dat ra|doi hoi|bat buoc)(?![0-9a-z]))")
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
    return d.section_title or ""


def _score(ctx: Context, d: Duty, terms, q_sylls: set[str], near: set[tuple[str, int, int]]) -> float:
    heading = _heading(d)
    # who does it, as the text names them ("Ban Thường vụ Thành ủy Hòa Bình Đông", lent by the lead-in
    # "Giao …:" to each item) and as their categories
    head = f"{heading} {' '.join(dict.fromkeys(actor_names(d) + list(d.actors)))}"
    score = (0.5 * text_match(terms, f"{head} {d.quote}") + 0.5 * text_match(terms, f"{head} {d.paragraph}"))
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


# The act a deadline question asks of ("phải trả lời trong bao lâu", "có trách nhiệm nộp … khi nào"):
# the two syllables after the modal. Generic verbs of doing say nothing of which duty.
_MODAL_VERB = re.compile(r"(?<![0-9a-z])(?:phai|can|co trach nhiem)\s+(?P<verb>[a-z]+ [a-z]+)")
_GENERIC_VERBS = frozenset({"lam gi", "thuc hien", "hoan thanh", "lam xong", "lam nhung", "lam viec"})


def _modal_verb(ctx: Context) -> str | None:
    m = _MODAL_VERB.search(fold(ctx.q.expanded).lower())
    if m is None or m.group("verb") in _GENERIC_VERBS or m.group("verb").split()[1] in ("gi", "nao", "trong", "truoc"):
        return None
    return m.group("verb")


def _owned_object(ctx: Context, name: str, related: set[str] | None) -> bool:
    """The question names the body after "của", and a duty says "của <body>" too: the body owns the
    duty's object ("tổng hợp ý kiến, kiến nghị của nhân dân"), it is not the one the duty binds."""
    owned = "cua " + " ".join(syllables(fold(name).lower()))
    asked = " ".join(syllables(fold(ctx.q.expanded).lower()))
    if owned not in asked:
        return False
    return any(owned in " ".join(syllables(fold(d.quote).lower())) for d in ctx.duties()
               if related is None or d.doc.doc_id in related)


# Posts that head or lead a body, as duties name them before it ("Trưởng Công an xã", "Chủ tịch Hội …").
_HEAD_POST = r"(?:pho\s+)?(?:truong|chu tich|bi thu|giam doc|chanh)"


def _headed(ctx: Context, name: str, related: set[str] | None) -> bool:
    """A duty names a post heading the body the question names as the doer."""
    body = " ".join(syllables(fold(name).lower()))
    rx = re.compile(rf"(?<![0-9a-z]){_HEAD_POST} {re.escape(body)}(?![0-9a-z])")
    return any(rx.search(" ".join(syllables(fold(d.quote).lower()))) for d in ctx.duties()
               if related is None or d.doc.doc_id in related)


def compose_deadline(ctx: Context) -> dict | None:
    """The duty the question is about, and its deadline as a date."""
    # A question naming a document is answered from it and the documents implementing it.
    related = _related(ctx)
    body, body_name = _doer_role(ctx)
    if body is not None and not any(ctx.kb.binds(d, body) for d in ctx.duties()
                                    if related is None or d.doc.doc_id in related):
        if _owned_object(ctx, body_name, related) or _headed(ctx, body_name, related):
            # "ý kiến, kiến nghị của nhân dân": what the duty handles, not who does it; "Công an xã"
            # when the duty names its head ("Trưởng Công an xã …"): the body's work, done by its head
            body = None
        else:
            # A body no duty names is given no deadline: another body's would be a wrong deadline.
            return none_answer(NOT_GIVEN_TEXT.format(body=body_name), ctx.passages())
    flt = ctx.lk.filter(records=["obligation"], doc_ids=sorted(related) if related else None)
    hits = ctx.kb.retriever.candidates(ctx.lk, flt, 30)
    terms, q_sylls, near = _duty_terms(ctx), set(syllables(ctx.lk.search_text)), _near(ctx)
    scored = []
    for h in hits:
        d = Duty.of(h.payload)
        s = _score(ctx, d, terms, q_sylls, near)
        if not d.dated and not _WHEN.search(d.quote):
            s += W.undated_duty  # (a duty timed by an event, "ngay sau khi phương án … được phê duyệt", is not)
        if ctx.binds(d) or (body is not None and ctx.kb.binds(d, body)):
            s += W.role_duty  # the asker's own duty, or the named body's, when several match
        if d.doc.doc_id in ctx.placed_ids():
            s += W.placed_doc  # a duty of the local body the question names
        scored.append((s, d))
    scored = _clause_verbs(ctx, scored)
    if (verb := _modal_verb(ctx)) is not None:
        # "… phải trả lời trong bao lâu?": the duty doing that act, not the one before it in the
        # procedure that shares the question's other words ("gửi văn bản đề nghị thẩm tra …")
        # (a clause of a longer sentence is left to _clause_verbs: its later clauses do the first's act
        # without repeating its verb — "xử lý 126 cơ sở … trong năm 2025; đối với các cơ sở còn vướng …,
        # hoàn thành chậm nhất ngày 30/6/2026")
        scored = [(s + (W.asked_verb if d.context is None and f" {verb} " in f" {' '.join(syllables(fold(d.quote).lower()))} "
                        else 0.0), d) for s, d in scored]
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
    for d in sorted(chosen, key=lambda d: d.sort_key):
        day = window_days.get(id(d))
        b.duty(d, ctx.as_of, day if day is not None and _due(d) and day != date.fromisoformat(_due(d)) else None,
               said=said)
    return b.result("obligations")


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
    asked = " " + " ".join(syllables(fold(ctx.q.expanded).lower())) + " "
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
                said = " " + " ".join(syllables(fold(d.quote).lower())) + " "
                if _verb_asked(d, asked):
                    s = top
                elif not any(f" {v} " in said for v in verbed[key]):
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


def _window_pool(ctx: Context, start: date | None, end: date | None) -> tuple[list[Duty], dict[int, date]]:
    related = _related(ctx)
    pool, first_day = [], {}
    year = (start or end).year if (start or end) else None
    for d in ctx.duties():
        if related is not None and d.doc.doc_id not in related:
            continue
        days = [x for x in _due_days(d, start, end) if ctx.q.window is None or ctx.q.window.holds(x, year)]
        if days:
            pool.append(d)
            first_day[id(d)] = days[0]
    return pool, first_day


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
    if ctx.role is not None:
        # "các chi bộ … phải làm xong những việc gì?": the duties of the body it names, when it has any
        own = [d for d in pool if ctx.binds(d)]
        related = _related(ctx)
        if not own and not any(ctx.binds(d) for d in ctx.duties() if related is None or d.doc.doc_id in related):
            # a body no stored duty names is given nothing: everyone else's duties are no answer
            return none_answer(NOT_GIVEN_TEXT.format(body=ctx.q.role or ctx.role.name), ctx.passages())
        pool = own or pool
    subject = q.topic
    if (sourced := ctx.sourced_ids()) and q.source:
        # "… theo kế hoạch của xã": that document's duties; the rest of the topic says which of them
        pool = [d for d in pool if d.doc.doc_id in sourced] or pool
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
        issuers = {d.doc.doc_id: ctx.issuer_place(d.doc.doc_id) for d in pool}
        # a duty stands under its document's issuer: "xã Tân Phước phải làm xong những việc gì" asks for
        # the duties of Đảng ủy xã Tân Phước's document, whoever each one names
        scored = [(text_match(terms, f"{' '.join(d.actors)} {d.section_title or ''} {d.quote} {d.doc.title or ''} "
                                     f"{issuers[d.doc.doc_id]}"), d)
                  for d in pool]
        best = max(s for s, _ in scored)
        if best >= W.support:
            pool = [d for s, d in scored if s >= W.role_topic_share * best]
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
    pool.sort(key=lambda d: (not _spans_window(d, start, end), first_day[id(d)], d.sort_key))
    shown = pool[: ctx.k or W.max_window_duties]
    b = Builder(ctx)
    more = f" (liệt kê {len(shown)} việc đầu)" if len(shown) < len(pool) else ""
    b.direct(f"Có {len(pool)} việc có hạn trong khoảng {window} ({span}){more}, theo thứ tự thời gian:")
    for d in shown:
        day = first_day[id(d)]
        b.duty(d, ctx.as_of, day if _due(d) and day != date.fromisoformat(_due(d)) else None)
    return b.result("obligations")


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
    duties = sorted((d for d in ctx.duties() if d.doc.doc_id == doc_id), key=lambda d: d.start)
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
    pool = [d for d in ctx.duties() if ctx.binds(d)]
    low = fold(q.expanded).lower()
    assigning = None if ctx.lk.named else _ASSIGNING_DOC.search(low)
    if ctx.lk.named:
        pool = [d for d in pool if d.doc.doc_id in ctx.lk.named_ids]
    elif (sourced := ctx.sourced_ids()) and q.source:
        # "theo quy chế, tôi phải làm gì": the duties that document gives the role, when it gives any
        pool = [d for d in pool if d.doc.doc_id in sourced] or pool
    elif assigning and (given := ctx.faced_ids(q.expanded[assigning.start():assigning.end()])):
        # "KH của ĐU giao cho tôi việc gì": the duties the document described gives the role, when any
        pool = [d for d in pool if d.doc.doc_id in given] or pool
    # The post itself ("phó bí thư chi bộ"), before the body it belongs to ("chi bộ") and the broad
    # categories ("đảng viên") its holder is also bound by.
    post = (getattr(role, "declared", ()) or (None,))[0]
    # …and first of all, the duties of the post as the documents name it ("Bí thư chi bộ khu phố:
    # Lập sổ …"), when the role is one of theirs: a roles.yaml post of the same rank ("Bí thư chi bộ
    # doanh nghiệp …" is also a người đứng đầu chi bộ) is another post.
    own_name = fold(role.name).lower()

    def own_post(d: Duty) -> bool:
        # the post as the role names it, or a post the duty names that the role holds ("Bí thư chi bộ
        # doanh nghiệp" for the bí thư of one named company's chi bộ): naming rank 0
        return any(fold(r.get("name") or "").lower() == own_name for r in d.actor_refs) or post in d.actors \
            or _naming_rank(d, role) == 0

    if q.window is not None:
        bounds = q.window.bounds(_plan_year(ctx))
        if bounds is not None:
            start, end = bounds
            if start is None and end is not None:
                start = date(end.year, 1, 1)  # "trước tháng 7/2025": that year's plan
            # an undated duty of a document for a period inside the window is due in it ("năm 2024
            # … theo Kế hoạch 222" asks for the 2024 plan's duties, dated or not); so are a rhythm
            # without a day ("mỗi năm giới thiệu …") and the post's own standing duties, of a document
            # already issued by the window's end: what the holder does that year, every year
            pool = [d for d in pool if any(q.window.holds(x, (start or end).year) for x in _due_days(d, start, end))
                    or (not _due(d) and (_period_inside(d, start, end)
                                         or ((d.recurrence or own_post(d)) and _issued_by(d, end))))]
            if not pool:
                return none_answer(f"Các văn bản trong kho không giao việc nào có hạn trong khoảng {q.window.text} "
                                   f"cho vai trò “{role.name}”.", ctx.passages())
    if not pool:
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
    # "…, phải làm gì và báo cáo cho ai?": the duties in general, the other clause's words ranking them
    subject = [fold(w).lower() for w in re.findall(r"[^\W\d_]+|\d+", q.also_asks or q.topic)
               if w.lower() not in FUNCTION_WORDS and fold(w).lower() not in own | STOP_SYLLABLES]
    terms = ctx.terms(" ".join(subject))
    topic = {id(d): text_match(terms, f"{d.section_title or ''} {d.quote}") for d in pool}
    best = max(topic.values(), default=0.0)
    on_topic = len(set(subject)) >= WINDOW_TOPIC_MIN and best >= W.support

    def rank(d: Duty) -> tuple:
        # The asked-about duties; then those naming the post itself, then those naming the role's body,
        # before those bound through a broad category ("cán bộ, đảng viên"); dated before undated; then
        # the topic words.
        asked = on_topic and topic[id(d)] >= W.role_topic_share * best
        named = set(d.actors) | {r.get("category") for r in d.actor_refs}
        named_so = any(fold(r.get("name") or "").lower() == own_name for r in d.actor_refs)
        specific = 0 if named_so else 1 + min(0 if post in named else 1 if declared & named else 2, ranks[id(d)])
        if q.deadline_cue:  # "… và hạn chót từng việc": the duties with a date first
            return (not asked, not _due(d), specific, not d.dated, -topic[id(d)])
        if q.also_asks:  # the role's own duties first, those about the other clause first among them
            return (specific, not asked, not d.dated, -topic[id(d)])
        return (not asked, specific, not d.dated, -topic[id(d)])

    # the post itself, named by the text as the role's own words name it ("Chủ tịch Ủy ban MTTQ xã"),
    # whatever roles.yaml lists first for that role
    ranks = {id(d): _naming_rank(d, role) for d in pool}
    if len(set(subject)) >= WINDOW_TOPIC_MIN and not on_topic and not q.window and not q.also_asks:
        return None  # asked about something none of the role's duties speaks of: let the text answer
    if on_topic and not q.also_asks:
        pool = [d for d in pool if topic[id(d)] >= W.role_topic_share * best]
    # ties keep reading order (not the store's, which moves with every re-index)
    chosen = sorted(sorted(pool, key=lambda d: d.sort_key), key=rank)[: ctx.k or W.max_duties]
    # read out in the order of the text, the post's own duties before its body's and everyone's; the
    # duties a section gives one doer together, as the text orders them ("Trưởng Công an xã: tham mưu
    # …; quản lý …; báo cáo … trước ngày 20"), quoted once
    def sentence(d: Duty) -> tuple:
        return (d.doc.doc_id, d.section, tuple(actor_names(d)))

    first: dict[tuple, tuple] = {}
    for d in sorted(chosen, key=lambda d: (rank(d)[:-2], d.sort_key)):
        first.setdefault(sentence(d), (rank(d)[:-2], d.sort_key))
    chosen.sort(key=lambda d: (first[sentence(d)], d.start))
    b = Builder(ctx)
    b.direct(f"Những việc văn bản giao cho vai trò “{role.name}”" + (f" ({len(chosen)} việc)" if len(chosen) > 1 else "") + ":")
    for d in chosen:
        b.duty(d, ctx.as_of)
    return {**b.result("obligations"), "role_applied": role.name}  # the answer says it was filtered by the role


def _issued_by(d: Duty, end: date | None) -> bool:
    return end is None or not d.doc.issued or d.doc.issued[:10] <= end.isoformat()


def _spans_window(d: Duty, start: date | None, end: date | None) -> bool:
    """The duty's time is the window asked, from its first day to its last."""
    return (start is not None and end is not None and d.due_start == start.isoformat()
            and d.due_end == end.isoformat())


def _naming_rank(d: Duty, role) -> int:
    from ingest.actors import naming_rank

    rank = naming_rank(d.actor_refs, role) if d.actor_refs else None
    return 2 if rank is None else rank


def _period_inside(d: Duty, start: date | None, end: date | None) -> bool:
    period = period_bounds(d.doc.title)
    return period is not None and start is not None and end is not None and start <= period[0] and period[1] <= end


def _due_days(d: Duty, start: date | None, end: date | None) -> list[date]:
    """The days `d` falls due inside [start, end]: a recurrence with a stated day each time, up to the
    end of the period its document's title names."""
    return due_days(d.deadline, d.due_start, d.due_end, start, end, until=period_end(d.doc.title))
