"""Duties recovered from generated documents with known truth (issue 13 item 4): every planted duty
clause found with its own deadline window and its actors, and the roles it must and must not bind,
over ≥ 200 seeded documents of varied shapes (tests/support/docgen.py) with duty sentences of
tests/support/duty_lines.py (deadline phrases from the grammar's templates)."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from datetime import date

import pytest

from ingest.actors import binds, match_role
from ingest.normalize import key as _key
from ingest.models import Deadline
from ingest.obligations import kind_of
from ingest.pipeline import build_document
from ingest.readers import read_bytes

docgen = pytest.importorskip("support.docgen")
duty_lines = pytest.importorskip("support.duty_lines")

N_DOCS = 200
# Parts whose sentences are no duties by rule (ingest.obligations): results in an assessment part;
# aims without a modal verb or a date.
_ASSESSMENT = ("ĐÁNH GIÁ", "KẾT QUẢ", "TÌNH HÌNH")
_AIMS = ("MỤC ĐÍCH", "MỤC TIÊU")


def _excluded_part(gen, section: str | None) -> str | None:
    """"assessment" when a part above the duty is an assessment ("ĐÁNH GIÁ KẾT QUẢ …"), else "aims"
    when one is aims ("MỤC ĐÍCH, YÊU CẦU"), else None (headings only: a point's title is its text)."""
    titles = {s.path: s for s in gen.sections}
    found = set()
    path = section
    while path is not None and path in titles:
        s = titles[path]
        if s.kind not in ("point", "clause", "row"):
            t = s.title.upper()
            if t.startswith(_ASSESSMENT):
                found.add("assessment")
            if t.startswith(_AIMS):
                found.add("aims")
        path = s.parent
    return "assessment" if "assessment" in found else ("aims" if "aims" in found else None)


_MARKS = re.compile(r"[¹²³⁰⁴⁵⁶⁷⁸⁹]+|(?<=[^\W\d_])\(\d{1,2}\)")


def key(text: str) -> str:
    """Comparison key; footnote markers are not text ("rà¹ soát": docgen glues one to any word)."""
    return _key(_MARKS.sub("", text))


def _iso(d):
    return d.isoformat() if d else None


def _check(seed: int) -> list[str]:
    planted = duty_lines.planted_duties(seed)
    by_text = {p.line.text: p for p in planted}
    gen = docgen.generate(seed, duties=[p.line for p in planted])
    doc = build_document(read_bytes(gen.text.encode(), f"gen-{seed}.txt"))
    problems: list[str] = []
    for line, section in gen.duties:
        p = by_text[line.text]
        part = _excluded_part(gen, section)
        if part == "assessment":
            continue
        for clause in p.clauses:
            want = duty_lines.truth(clause, gen.values.get("issued"), gen.type_of(section))
            if part == "aims" and want.end is None and want.kind not in ("relative", "event"):
                continue  # aims without a date, a time limit or an anchor are no duties
            sentence = key(line.text.rstrip("."))  # docgen may end it with "như sau:" before points
            found = [o for o in doc.obligations if key(clause.evidence) in key(doc.text[o.start:o.end])
                     and sentence in key(doc.text[slice(*(o.context or (o.start, o.end)))])]
            if not found:
                problems.append(f"{seed}: no duty quotes {clause.evidence!r} ({line.text!r})")
                continue
            right = [o for o in found if o.deadline is not None and _iso(o.deadline.start) == _iso(want.start)
                     and _iso(o.deadline.end) == _iso(want.end) and kind_of(o.deadline) == want.kind
                     and key(want.text) in key(o.deadline.text) + " " + key(doc.text[o.start:o.end])]
            if not right:
                got = [(o.deadline and (o.deadline.text, _iso(o.deadline.start), _iso(o.deadline.end), kind_of(o.deadline)))
                       for o in found]
                problems.append(f"{seed}: {clause.evidence!r} wants {want.text!r} {_iso(want.start)}..{_iso(want.end)} "
                                f"{want.kind}, got {got} in {[doc.text[o.start:o.end][:90] for o in found]}")
                continue
            o = right[0]
            assert o.deadline.text in doc.text[o.start:o.end]
            refs = {(r.category, r.owner, tuple(r.levels)) for r in o.actor_refs}
            for want_ref in p.actor.refs:
                if want_ref not in refs:
                    problems.append(f"{seed}: {p.actor.text!r} wants {want_ref}, got {sorted(refs, key=str)} "
                                    f"in {doc.text[o.start:o.end][:90]!r}")
            for who in p.actor.bound:
                if not binds(o.actors, match_role(who), o.actor_refs):
                    problems.append(f"{seed}: {p.actor.text!r} does not bind {who!r}")
            for who in p.actor.not_bound:
                if binds(o.actors, match_role(who), o.actor_refs):
                    problems.append(f"{seed}: {p.actor.text!r} binds {who!r}")
    problems += _check_tables(seed, gen, doc)
    return problems


def _check_tables(seed, gen, doc) -> list[str]:
    """Each row of a duty table is one duty: its content, the actors of its lead (and cooperating)
    cells, the window of its time cell."""
    problems: list[str] = []
    rows = [o for o in doc.obligations if o.context == (o.start, o.end)]
    same = {}  # a row written twice (docgen draws cells at random) is two duties
    for table in gen.tables:
        for cells in table.rows:
            same[tuple(cells[1:])] = same.get(tuple(cells[1:]), 0) + 1
    for table in gen.tables:
        for cells in table.rows:
            task = cells[1]
            mine = [o for o in rows if o.action == task and all(c in doc.text[o.start:o.end] for c in cells[1:] if c)]
            if len(mine) < same[tuple(cells[1:])]:
                problems.append(f"{seed}: table row {cells} → {len(mine)} duties")
                continue
            o = mine[0]
            refs = {(r.category, r.owner, r.part) for r in o.actor_refs}
            for name, cell in zip(table.columns[2:], cells[2:]):
                if not cell:
                    continue
                if name.startswith("Thời"):
                    want = duty_lines.table_window(cell, gen.values.get("issued"))
                    got = o.deadline and (o.deadline.start, o.deadline.end, kind_of(o.deadline))
                    if got != want:
                        problems.append(f"{seed}: table time {cell!r} wants {want}, got {got}")
                    continue
                lead, support = duty_lines.TABLE_ACTORS[cell]
                part = "support" if name == "Phối hợp" else "lead"
                for cat, owner in lead:
                    if (cat, owner, part) not in refs:
                        problems.append(f"{seed}: table cell {cell!r} ({name}) wants {(cat, owner, part)}, got {refs}")
                for cat, owner in support:
                    if (cat, owner, "support") not in refs:
                        problems.append(f"{seed}: table cell {cell!r} wants support {(cat, owner)}, got {refs}")
    return problems


def test_planted_duties_are_recovered_from_generated_documents():
    problems: list[str] = []
    checked = 0
    for seed in range(N_DOCS):
        problems += _check(seed)
        checked += 1
    assert checked >= 200
    assert not problems, f"{len(problems)} problems, e.g.:\n" + "\n".join(problems[:25])


def test_the_pool_covers_the_forms():
    forms = {t.form for t in duty_lines.USABLE}
    assert len(duty_lines.USABLE) >= 40 and {"date.cued", "period.quarter", "relative.anchored", "recurring.rhythm", "event.meeting"} <= forms
    assert all(a.refs for a in duty_lines.ACTORS)


# ------------------------------------------------------------------------------- lists under a lead-in

N_LIST_DOCS = 200
_POLARITY = {"phải": "must", "có trách nhiệm": "must", "cần": "must", "thực hiện": "must", "tiếp tục": "must",
             "nghiêm cấm": "must not", "không được": "must not", "chấm dứt": "must not", "khuyến khích": "encouraged"}


def _refs_of(o):
    return {(r.category, r.owner, tuple(r.levels)) for r in o.actor_refs}


def _check_lists(seed: int) -> tuple[list[str], int, list[str]]:
    """Problems, items checked, and the layouts of the lists placed in the document of `seed`."""
    planted = duty_lines.planted_lists(seed)
    by_block = {id(p.block): p for p in planted}  # (two lists may share a lead-in's words)
    gen = docgen.generate(seed, lists=[p.block for p in planted])
    doc = build_document(read_bytes(gen.text.encode(), f"gen-list-{seed}.txt"))
    problems: list[str] = []
    checked = 0
    obligations = sorted(doc.obligations, key=lambda o: o.start)
    # lists are placed in reading order: each list's lines lie between its lead-in and the next one's
    lines = [block.lead if layout != "label" else f"- {block.label}:" for block, _, layout, _ in gen.lists]
    starts: list[int] = []
    for line in lines:
        starts.append(doc.text.find(line, starts[-1] + 1 if starts else 0))
        assert starts[-1] >= 0, (seed, line)
    limits = starts[1:] + [len(doc.text)]

    for (block, section, layout, item_sections), lead_line, at, limit in zip(gen.lists, lines, starts, limits):
        p = by_block[id(block)]
        cursor = at + len(lead_line)

        def first_after(pos: int, evidence: str):
            ev = key(evidence)
            return next((o for o in obligations if pos <= o.start < limit and ev in key(doc.text[o.start:o.end])), None)

        part = _excluded_part(gen, section)
        if part == "assessment":
            continue
        lead_key = key(lead_line.lstrip("- "))
        if any(o.start >= at and o.start < cursor and key(doc.text[o.start:o.end]) == lead_key for o in obligations):
            problems.append(f"{seed}: the lead-in {lead_line!r} ({layout}) is a duty of its own")
        last_refs: set = set()
        for item in p.items:
            want = item.clause and duty_lines.truth(item.clause, gen.values.get("issued"), gen.type_of(section))
            o = first_after(cursor, item.evidence if item.clause is None else item.clause.evidence)
            if part == "aims" and (want is None or (want.end is None and want.kind not in ("relative", "event"))):
                if o is not None:
                    cursor = o.end
                continue  # aims without a date or an anchor are no duties (unless a modal verb says so)
            if o is None:
                problems.append(f"{seed}: no duty quotes item {item.text!r} ({layout}, lead {block.lead!r})")
                continue
            cursor = o.end
            checked += 1
            refs = _refs_of(o)
            last_refs = refs
            for want_ref in item.actor.refs:
                if want_ref not in refs:
                    problems.append(f"{seed}: item {item.text!r} under {lead_line!r} ({layout}) wants {want_ref}, "
                                    f"got {sorted(refs, key=str)}")
            for who in item.actor.bound:
                if not binds(o.actors, match_role(who), o.actor_refs):
                    problems.append(f"{seed}: item {item.text!r} under {lead_line!r} does not bind {who!r}")
            for who in item.actor.not_bound:
                if binds(o.actors, match_role(who), o.actor_refs):
                    problems.append(f"{seed}: item {item.text!r} under {lead_line!r} binds {who!r}")
            if item.actor is p.actor and _POLARITY[o.modality] != p.polarity:
                problems.append(f"{seed}: item {item.text!r} under {lead_line!r} is {o.modality!r}, wants {p.polarity}")
            if want is not None and (o.deadline is None or (_iso(o.deadline.start), _iso(o.deadline.end))
                                     != (_iso(want.start), _iso(want.end))):
                problems.append(f"{seed}: item {item.text!r} wants {want.text!r} {_iso(want.start)}..{_iso(want.end)}, "
                                f"got {o.deadline and (o.deadline.text, _iso(o.deadline.start), _iso(o.deadline.end))}")
        if block.after and layout != "a)" and p.after is not None and part is None:  # (no date, no modal verb)
            o = first_after(cursor, block.after.rstrip("."))
            if o is None or not set(p.after.refs) <= _refs_of(o):
                problems.append(f"{seed}: the paragraph after the list {block.after!r} lost its actor "
                                f"({o and sorted(_refs_of(o), key=str)})")
            else:
                cursor = o.end
            lent = set(p.after.refs) - set(p.items[-1].actor.refs)
            if lent & last_refs:
                problems.append(f"{seed}: the last item of {lead_line!r} took {lent & last_refs} from the paragraph after")
    return problems, checked, [layout for _, _, layout, _ in gen.lists]


def test_list_items_under_a_lead_in_are_recovered_from_generated_documents():
    problems: list[str] = []
    checked = 0
    layouts: list[str] = []
    for seed in range(N_LIST_DOCS):
        got, n, placed = _check_lists(seed)
        problems += got
        checked += n
        layouts += placed
    assert len(layouts) >= 200 and checked >= 400 and set(layouts) == {"-", "+", "a)", "label"}, (len(layouts), checked)
    assert not problems, f"{len(problems)} problems, e.g.:\n" + "\n".join(problems[:25])


# ------------------------------------------------------------------------------- articles of a Quy chế
# Issue 13 item 2 on generated regulations: a khoản whose actor reports on a rhythm with its day written
# apart ("<body> hằng tháng báo cáo … trước ngày 25"), then a khoản with no subject of its own that goes on
# about the same thing ("Báo cáo năm gửi trước ngày 05/12; …"): its duties are the same body's, each with
# its own window; a subjectless khoản about something else, or under an Điều whose title names a body,
# does not take the earlier khoản's actor.

deadline_forms = pytest.importorskip("support.deadline_forms")

N_RULE_DOCS = 200
# (what the first khoản's actor does, how a khoản going on about it opens its two clauses)
_TOPICS = [
    ("báo cáo kết quả thực hiện về Ban Thường vụ Huyện ủy", ("Báo cáo năm gửi", "báo cáo 6 tháng đầu năm gửi")),
    ("tổng hợp danh sách đảng viên giữ mối liên hệ, gửi Văn phòng Huyện ủy", ("Danh sách bổ sung gửi",
                                                                               "danh sách điều chỉnh gửi")),
    ("xây dựng kế hoạch kiểm tra, giám sát, trình Ban Thường vụ Huyện ủy", ("Kế hoạch điều chỉnh, bổ sung (nếu có) gửi",
                                                                          "kế hoạch chi tiết gửi")),
]
_ARTICLE_TITLES = ["Chế độ thông tin, báo cáo", "Theo dõi, tổng hợp", "Kế hoạch công tác", "Chế độ làm việc"]
_OFFICE = (("văn phòng cấp ủy", "huyện ủy", ("huyện",)),)  # "Văn phòng Huyện ủy"


@dataclass
class _RuleTruth:
    evidence: str  # a fragment of the duty's own clause
    deadline: object  # ingest.models.Deadline, by hand (tests/support/deadline_forms.py)
    refs: tuple  # (category, owner, levels) that must be among its actors; () when it must have none
    bound: tuple[str, ...] = ()
    exact: bool = False  # its actors are exactly `refs`


def _rule_doc(seed: int) -> tuple[str, list[_RuleTruth]]:
    rng = random.Random(seed)
    issued = date(rng.randint(2024, 2030), rng.randint(1, 12), rng.randint(1, 28))
    v = deadline_forms.Values.draw(rng, plan_year=issued.year, issued=issued, doc_type="Quy chế")
    truths: list[_RuleTruth] = []
    articles: list[str] = []
    for art in range(1, rng.randint(1, 3) + 1):
        actor = rng.choice(duty_lines.ACTORS)
        verb, (open1, open2) = rng.choice(_TOPICS)
        apart = rng.choice(deadline_forms.APART)
        f = v.fields()
        rhythm, day = apart.rhythm.format(**f), apart.day.format(**f)
        first = f"{actor.text} {rhythm} {verb}, {day}."
        want = Deadline(day, **{"start": None, "end": None, **apart.truth(v)})
        truths.append(_RuleTruth(f"{verb}, {day}", want, actor.refs, actor.bound))
        titled = rng.random() < 0.25  # "Trách nhiệm của Văn phòng Huyện ủy": the title names who
        title = "Trách nhiệm của Văn phòng Huyện ủy" if titled else rng.choice(_ARTICLE_TITLES)
        khoan = [first]
        t1, t2 = rng.sample(duty_lines.DATED, 2)
        (p1, d1), (p2, d2) = t1.render(v), t2.render(replace(v, day=v.day2, pday=v.pday2))
        own = rng.random() < 0.2  # the second khoản names its own subject
        heir = _OFFICE if (titled or own) else actor.refs
        second = f"{open1} {p1}; {open2} {p2}."
        if own:
            second = "Văn phòng Huyện ủy " + second[:1].lower() + second[1:]
        khoan.append(second)
        for opener, phrase, d in ((open1, p1, d1), (open2, p2, d2)):
            truths.append(_RuleTruth(f"{opener.split(' (')[0].lower()}", replace(d, text=phrase), heir,
                                     exact=True))
        if rng.random() < 0.5:  # a rule about another thing: no one's duty by inheritance (but the title's)
            n = rng.randint(2, 30)
            khoan.append(f"Thời hạn giải quyết kiến nghị không quá {n} ngày làm việc kể từ ngày nhận được đơn.")
            truths.append(_RuleTruth(f"không quá {n} ngày làm việc kể từ ngày nhận được đơn",
                                     Deadline(f"không quá {n} ngày làm việc kể từ ngày nhận được đơn", None, None,
                                              kind="relative"), _OFFICE if titled else (),
                                     exact=True))
        sep = rng.choice([". ", "- "])
        articles.append(f"Điều {art}. {title}\n\n" + "\n\n".join(f"{k}{sep}{t}" for k, t in enumerate(khoan, 1)))
    head = (f"HUYỆN ỦY ĐÔNG HÀ\n\nSố {seed % 90 + 1:02d}-QĐ/HU\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\n"
            f"Đông Hà, ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}\n\n")
    body = "\n\n".join(articles) + "\n"
    if rng.random() < 0.5:
        return head.replace("-QĐ/HU", "-QC/HU") + "QUY CHẾ\nlàm việc của Ban Chỉ đạo\n\n" + body, truths
    number = f"{seed % 90 + 1:02d}-QĐ/HU"
    return (head + "QUYẾT ĐỊNH\nban hành Quy chế làm việc của Ban Chỉ đạo\n\nĐiều 1. Ban hành kèm theo Quyết định "
            "này Quy chế làm việc của Ban Chỉ đạo.\n\nĐiều 2. Quyết định có hiệu lực kể từ ngày ký.\n\nNơi nhận:\n"
            "- Như Điều 2,\n- Lưu Văn phòng Huyện ủy.\n\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n\nNguyễn Văn An\n\nQUY CHẾ\n"
            f"làm việc của Ban Chỉ đạo\n(Ban hành kèm theo Quyết định số {number}, ngày {issued:%d/%m/%Y} của Ban "
            "Thường vụ Huyện ủy)\n\n" + body), truths


def _check_rule(seed: int) -> list[str]:
    text, truths = _rule_doc(seed)
    doc = build_document(read_bytes(text.encode(), f"gen-rule-{seed}.txt"))
    problems: list[str] = []
    cursor = 0
    for t in truths:
        o = next((o for o in sorted(doc.obligations, key=lambda o: o.start)
                  if o.start >= cursor and key(t.evidence) in key(doc.text[o.start:o.end])), None)
        if o is None:
            problems.append(f"{seed}: no duty quotes {t.evidence!r}")
            continue
        cursor = o.start
        d, w = o.deadline, t.deadline
        got = d and (d.text, _iso(d.start), _iso(d.end), kind_of(d), d.exclusive_end, d.rrule)
        want = (w.text, _iso(w.start), _iso(w.end), w.kind, w.exclusive_end, w.rrule)
        if got != want:
            problems.append(f"{seed}: {t.evidence!r} wants {want}, got {got}")
        refs = {(r.category, r.owner, tuple(r.levels)) for r in o.actor_refs if r.part != "support"}
        if t.exact and refs != set(t.refs) or not set(t.refs) <= refs:
            problems.append(f"{seed}: {t.evidence!r} wants actors {sorted(t.refs, key=str)}, got {sorted(refs, key=str)}")
        for who in t.bound:
            if not binds(o.actors, match_role(who), o.actor_refs):
                problems.append(f"{seed}: {t.evidence!r} does not bind {who!r}")
    return problems


def test_a_subjectless_khoan_going_on_about_the_khoan_before_it_has_its_actor():
    problems: list[str] = []
    for seed in range(N_RULE_DOCS):
        problems += _check_rule(seed)
    assert not problems, f"{len(problems)} problems, e.g.:\n" + "\n".join(problems[:25])
