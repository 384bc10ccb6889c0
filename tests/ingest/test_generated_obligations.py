"""Duties recovered from generated documents with known truth (issue 13 item 4): every planted duty
clause found with its own deadline window and its actors, and the roles it must and must not bind,
over ≥ 200 seeded documents of varied shapes (tests/support/docgen.py) with duty sentences of
tests/support/duty_lines.py (deadline phrases from the grammar's templates)."""
from __future__ import annotations

import re

import pytest

from ingest.actors import binds, match_role
from ingest.normalize import key as _key
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
