"""ingest.deadlines: one test per form of the grammar (tests/support/deadline_forms.py, with and without
diacritics, alone, inside a sentence, as a table cell), property round trips with random dates, decoys that
must give nothing, the real documents and the gold deadlines of ../shared/eval."""
from __future__ import annotations

import calendar
import json
import os
import random
import re
import sys
import unicodedata
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import vRecur


from ingest.deadlines import FORMS, KINDS, find_deadlines, parse_deadline  # noqa: E402
from ingest.models import Deadline  # noqa: E402
from support.deadline_forms import (  # noqa: E402
    APART, APART_DECOYS, DECOY_SENTENCES, DECOYS, SENTENCES, STANDING_TYPES, TABLE_ROW, TEMPLATES, Apart, Template,
    Values, plant,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
PLAN = CORPUS / "222-KH-TU-2023-laichau.txt"
RULE = CORPUS / "124-QD-TW-2018-giam-sat-tu-duong.md"
SPEC = ROOT / "docs" / "deadlines.md"
D = date


def strip_accents(text: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


SPELLINGS = [lambda t: t, strip_accents, str.upper, lambda t: strip_accents(t).upper()]


def spellings(text: str) -> list[str]:
    """As written, without diacritics, and in upper case both ways."""
    return [f(text) for f in SPELLINGS]


def check_spans(sentence: str, found: list[Deadline]) -> None:
    for d in found:
        assert d.span is not None
        assert sentence[d.span.start : d.span.end] == d.text


FIELDS = ("start", "end", "exclusive_end", "kind", "recurrence", "rrule", "implied_year")


def view(d: Deadline | None, *, loose: bool = False) -> dict | None:
    """The fields a reader relies on; `loose` compares relative/event without case and diacritics."""
    if d is None:
        return None
    out = {f: getattr(d, f) for f in FIELDS}
    for f in ("text", "relative", "event"):
        value = getattr(d, f)
        out[f] = strip_accents(value).lower() if (loose and value) else value
    return out


def summary(d: Deadline | None) -> tuple | None:
    if d is None:
        return None
    return (d.start, d.end, d.exclusive_end, d.relative, d.recurrence)


def fixed_values(seed: int) -> Values:
    return Values.draw(random.Random(seed))


def ask(text: str, v: Values, *, whole: bool = True) -> Deadline | list[Deadline] | None:
    kw = {"issued": v.issued, "doc_type": v.doc_type}
    if whole:
        return parse_deadline(text, v.plan_year, **kw)
    return find_deadlines(text, v.plan_year, **kw)


def check_template(t: Template, v: Values) -> None:
    """The phrase alone (parse_deadline), planted in duty sentences, and as a table cell."""
    phrase, truth = t.render(v)
    for i, spell in enumerate(SPELLINGS):
        loose = i > 0
        spelled, want = spell(phrase), view(replace(truth, text=spell(phrase)), loose=loose)
        assert view(ask(spelled, v), loose=loose) == want, spelled
        places = [plant(s, spelled) for s in SENTENCES] if t.in_sentence else []
        places += [TABLE_ROW.format(phrase=spelled)] if t.cell else []
        for sentence in places:
            found = ask(sentence, v, whole=False)
            check_spans(sentence, found)
            assert [view(d, loose=loose) for d in found] == [want], sentence


# ---------------------------------------------------------------------------------------------
# The grammar: every form has templates, a spec row, and passes for fixed values


def test_every_form_has_templates_and_a_row_in_the_spec() -> None:
    spec = SPEC.read_text(encoding="utf-8")
    covered = {t.form for t in TEMPLATES} | {form for form, _ in DECOYS} | {a.form for a in APART}
    for form in FORMS:
        assert form.kind in (*KINDS, "none"), form.name
        assert form.name in covered, f"no template or decoy for {form.name}"
        assert f"`{form.name}`" in spec, f"docs/deadlines.md does not list {form.name}"
    assert {t.form for t in TEMPLATES} | {a.form for a in APART} <= {f.name for f in FORMS}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_form(template: Template, seed: int) -> None:
    check_template(template, fixed_values(seed))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
@pytest.mark.parametrize("doc_type", STANDING_TYPES)
def test_form_in_a_standing_rule(template: Template, doc_type: str) -> None:
    """In a Quy chế, Quy định, Điều lệ or Nội quy a day or a short window written without its year recurs
    every year (the truth computed by hand in deadline_forms.yearly); everything else reads as in a plan."""
    for seed in (1, 2, 3):
        check_template(template, Values.draw(random.Random(seed), doc_type=doc_type))


def test_a_standing_rules_yearless_day_is_yearly_from_its_issue() -> None:
    text = "Các cơ quan gửi báo cáo 6 tháng trước ngày 05/6, báo cáo năm trước ngày 05/12; tổng kết trong tháng 01."
    got = find_deadlines(text, 2026, issued=D(2026, 2, 20), doc_type="Quy chế")
    assert [(d.kind, d.end, d.rrule, d.recurrence) for d in got] == [
        ("recurring", D(2026, 6, 5), "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=5", "hằng năm"),
        ("recurring", D(2026, 12, 5), "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=5", "hằng năm"),
        ("recurring", D(2027, 1, 31), "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=-1", "hằng năm")]  # January 2026 began before it
    assert got[2].start == D(2027, 1, 1)
    plan = find_deadlines(text, 2026, issued=D(2026, 2, 20), doc_type="Kế hoạch")  # a plan's dates are its year's
    assert [(d.kind, d.end) for d in plan] == [("dated", D(2026, 6, 5)), ("dated", D(2026, 12, 5)), ("dated", D(2026, 1, 31))]
    assert find_deadlines("báo cáo trước ngày 29/02", 2028, issued=D(2028, 1, 5), doc_type="Quy định") == []
    assert find_deadlines("sơ kết 6 tháng đầu năm", 2026, doc_type="Quy chế") == []  # a bare half year: no cue
    half = find_deadlines("tổng kết trong 6 tháng đầu năm", 2026, doc_type="Quy chế")
    assert [(d.kind, d.start, d.end) for d in half] == [("dated", D(2026, 1, 1), D(2026, 6, 30))]


def test_months_of_a_rhythm_without_a_day_pin_the_months_and_give_no_date() -> None:
    got = find_deadlines("Ban Chỉ đạo họp định kỳ 6 tháng một lần, vào tháng 6 và tháng 12; họp bất thường khi cần.", 2026)
    assert [(d.text, d.kind, d.start, d.end, d.rrule) for d in got] == [
        ("định kỳ 6 tháng một lần, vào tháng 6 và tháng 12", "recurring", None, None, "FREQ=MONTHLY;BYMONTH=6,12")]
    odd = find_deadlines("họp định kỳ 6 tháng, vào tháng 3 và tháng 12", 2026)  # months that do not fit: the rhythm only
    assert [(d.rrule, d.end) for d in odd] == [("FREQ=MONTHLY;INTERVAL=6", None)]


# ---------------------------------------------------------------------------------------------
# A rhythm and its due day written apart in one clause: one recurring deadline, the day phrase its text


def check_apart(a: Apart, v: Values) -> None:
    for sentence, truth in a.render(v):
        for i, spell in enumerate(SPELLINGS):
            spelled = spell(sentence)
            want = view(replace(truth, text=spell(truth.text)), loose=i > 0)
            found = ask(spelled, v, whole=False)
            check_spans(spelled, found)
            assert [view(d, loose=i > 0) for d in found] == [want], spelled


@pytest.mark.parametrize("apart", APART, ids=lambda a: a.id)
@pytest.mark.parametrize("doc_type", ["Kế hoạch", "Hướng dẫn", *STANDING_TYPES])
def test_a_rhythm_and_its_day_written_apart_are_one_recurrence(apart: Apart, doc_type: str) -> None:
    for seed in (1, 2, 3):
        check_apart(apart, Values.draw(random.Random(seed), doc_type=doc_type))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(APART) - 1), st.integers(0, 2**32))
def test_rhythms_and_days_apart_round_trip(index: int, seed: int) -> None:
    v = fixed_values(seed)
    check_apart(APART[index], v)
    for sentence, _ in APART[index].render(v):  # the exported rule gives the first due date
        (d,) = ask(sentence, v, whole=False)
        since = d.start or v.plan_start()
        start = datetime(since.year, since.month, since.day)
        assert vRecur.from_ical(d.rrule) and rrulestr(d.rrule, dtstart=start).after(start, inc=True).date() == d.end


def check_apart_decoy(decoy: tuple[str, str, tuple[str, ...]], v: Values) -> None:
    """Each piece reads in the sentence exactly as it reads alone: nothing is joined."""
    _, template, pieces = decoy
    fields = v.fields()
    written = [p.format(**fields) for p in pieces]
    for i, spell in enumerate(SPELLINGS):
        sentence = spell(template.format(*written))
        want = [view(d, loose=i > 0) for p in written for d in ask(spell(p), v, whole=False)]
        found = ask(sentence, v, whole=False)
        check_spans(sentence, found)
        assert [view(d, loose=i > 0) for d in found] == want, sentence


@pytest.mark.parametrize("decoy", APART_DECOYS, ids=lambda d: f"{d[0]}: {' … '.join(d[2])}")
@pytest.mark.parametrize("doc_type", ["Kế hoạch", "Quy chế"])
def test_a_rhythm_and_a_day_that_do_not_belong_together_stay_apart(decoy, doc_type: str) -> None:
    for seed in (1, 2, 3):
        check_apart_decoy(decoy, Values.draw(random.Random(seed), doc_type=doc_type))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(APART_DECOYS) - 1), st.integers(0, 2**32))
def test_apart_decoys_round_trip(index: int, seed: int) -> None:
    check_apart_decoy(APART_DECOYS[index], fixed_values(seed))


def test_the_day_of_a_rhythm_written_apart_is_the_one_deadline_of_its_clause() -> None:
    sentence = ("Bí thư chi bộ chuẩn bị nội dung sinh hoạt, thông qua chi ủy; ký biên bản sinh hoạt; hằng tháng báo cáo "
                "tình hình đảng viên giữ mối liên hệ về đảng ủy xã, thị trấn trước ngày 25.")
    (d,) = find_deadlines(sentence, 2027, issued=D(2027, 3, 2), doc_type="Hướng dẫn")
    assert (d.text, d.kind, d.recurrence, d.rrule, d.end, d.exclusive_end) == (
        "trước ngày 25", "recurring", "hằng tháng", "FREQ=MONTHLY;BYMONTHDAY=25", D(2027, 3, 25), True)
    # the same duty with its rhythm beside the day reads the same
    for close in ("hằng tháng, trước ngày 25, báo cáo tình hình đảng viên", "báo cáo tình hình đảng viên trước ngày 25 hằng tháng"):
        (c,) = find_deadlines(close, 2027, issued=D(2027, 3, 2), doc_type="Hướng dẫn")
        assert (c.rrule, c.end, c.exclusive_end) == (d.rrule, d.end, d.exclusive_end)
    (m,) = find_deadlines("Chi bộ thôn sinh hoạt thường kỳ vào ngày mùng 5 hằng tháng.", 2027, issued=D(2027, 3, 2))
    assert (m.text, m.rrule, m.end, m.exclusive_end) == ("vào ngày mùng 5 hằng tháng", "FREQ=MONTHLY;BYMONTHDAY=5",
                                                           D(2027, 3, 5), False)
    # a bare day says nothing by itself
    assert find_deadlines("Văn phòng tổng hợp, báo cáo trước ngày 25.", 2027) == []
    assert parse_deadline("trước ngày 25", 2027) is None


@pytest.mark.parametrize("decoy", DECOYS, ids=lambda d: f"{d[0]}: {d[1]}")
@pytest.mark.parametrize("seed", [1, 2])
def test_decoy_gives_nothing(decoy: tuple[str, str], seed: int) -> None:
    v = fixed_values(seed)
    phrase = decoy[1].format(**v.fields())
    for spelled in spellings(phrase):
        for s in DECOY_SENTENCES:
            sentence = plant(s, spelled)
            assert ask(sentence, v, whole=False) == [], sentence
        assert ask(spelled, v) is None, spelled


# ---------------------------------------------------------------------------------------------
# Properties: random dates and years round-trip through every template; decoys stay silent


@settings(max_examples=600, deadline=None)
@given(st.integers(0, len(TEMPLATES) - 1), st.integers(0, 2**32))
def test_every_template_round_trips(index: int, seed: int) -> None:
    check_template(TEMPLATES[index], fixed_values(seed))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(DECOYS) - 1), st.integers(0, 2**32))
def test_decoys_round_trip_to_nothing(index: int, seed: int) -> None:
    v = fixed_values(seed)
    phrase = DECOYS[index][1].format(**v.fields())
    for s in DECOY_SENTENCES:
        assert ask(plant(s, phrase), v, whole=False) == []


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(TEMPLATES) - 1), st.integers(0, 2**32))
def test_recurrence_rules_agree_with_their_first_due_date(index: int, seed: int) -> None:
    """An RRULE read by icalendar (the calendar export) and by dateutil gives `end` as its first date."""
    v = fixed_values(seed)
    d = ask(TEMPLATES[index].render(v)[0], v)
    if d is None or d.rrule is None:
        return
    assert vRecur.from_ical(d.rrule)
    if d.end is None:
        return
    since = d.start or v.plan_start()
    rule = rrulestr(d.rrule, dtstart=datetime(since.year, since.month, since.day))
    assert rule.after(datetime(since.year, since.month, since.day), inc=True).date() == d.end


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(TEMPLATES) - 1), st.integers(0, 2**32), st.integers(0, len(TEMPLATES) - 1))
def test_two_deadlines_in_one_clause_are_both_returned(i: int, seed: int, j: int) -> None:
    """"báo cáo 6 tháng trước ngày 10/6/2025 và báo cáo năm trước ngày 20/11/2025": each with its span."""
    a, b = TEMPLATES[i], TEMPLATES[j]
    if not (a.in_sentence and b.in_sentence) or a.form.startswith(("recurring", "ongoing.from")) \
            or b.form.startswith(("recurring", "ongoing.from")):
        return  # a start or a rhythm joins with what follows it in the clause, by design
    v = fixed_values(seed)
    (pa, ta), (pb, tb) = a.render(v), b.render(v)
    sentence = f"Các chi bộ gửi báo cáo sơ kết {pa} và gửi báo cáo tổng kết {pb}."
    found = ask(sentence, v, whole=False)
    check_spans(sentence, found)
    assert [view(d) for d in found] == [view(ta), view(tb)], sentence


# ---------------------------------------------------------------------------------------------
# Specific behaviour


def test_several_in_one_sentence_in_order() -> None:
    sentence = "Định kỳ hằng quý báo cáo; tổng hợp trước ngày 15/12 và báo cáo Tỉnh ủy trong tháng 01/2025."
    found = find_deadlines(sentence, default_year=2024)
    assert [(d.text, d.kind, d.recurrence, d.end, d.implied_year) for d in found] == [
        ("Định kỳ hằng quý", "recurring", "hằng quý", None, None),
        ("trước ngày 15/12", "dated", None, D(2024, 12, 15), 2024),
        ("trong tháng 01/2025", "dated", None, D(2025, 1, 31), None),
    ]
    check_spans(sentence, found)


def test_two_reports_in_one_clause_keep_both_dates() -> None:
    sentence = "Các chi bộ báo cáo kết quả 6 tháng trước ngày 15/6 và báo cáo năm trước ngày 15/11."
    found = find_deadlines(sentence, 2025)
    assert [(d.text, d.end, d.implied_year) for d in found] == [
        ("trước ngày 15/6", D(2025, 6, 15), 2025), ("trước ngày 15/11", D(2025, 11, 15), 2025)]


def test_first_half_is_not_the_year_end_review_nearby() -> None:
    sentence = "Hoàn thành việc rà soát trong 6 tháng đầu năm 2025, làm căn cứ xếp loại cán bộ cuối năm."
    found = find_deadlines(sentence, 2025)
    assert [(d.text, d.start, d.end) for d in found] == [("trong 6 tháng đầu năm 2025", D(2025, 1, 1), D(2025, 6, 30))]


def test_bare_duration_has_no_anchor_for_the_caller_to_judge() -> None:
    # "không quá 12 tháng" in a definition and "không quá 90 ngày" after an anchored bound read the
    # same here: a relative deadline without an event; ingest.obligations anchors or drops it by context.
    for text in ("thời gian thực hiện không quá 12 tháng", "nhưng không quá 90 ngày"):
        (d,) = find_deadlines(text, 2025)
        assert (d.kind, d.event, d.start, d.end) == ("relative", None, None, None)


def test_issue_anchored_deadline_needs_the_documents_own_issue() -> None:
    text = "báo cáo Ban Thường vụ sau khi Chỉ thị được ban hành 30 ngày"
    own = find_deadlines(text, 2025, issued=D(2025, 2, 14), doc_type="Chỉ thị")
    assert [(d.end, d.relative) for d in own] == [(D(2025, 3, 16), "30 ngày kể từ ngày ban hành Chỉ thị (14/02/2025)")]
    # without the issue date, or in a document of another type, or anchored on another document: no date
    assert [d.end for d in find_deadlines(text, 2025, doc_type="Chỉ thị")] == [None]
    assert [d.end for d in find_deadlines(text, 2025, issued=D(2025, 2, 14), doc_type="Kế hoạch")] == [None]
    other = "trong thời hạn 30 ngày kể từ ngày ký ban hành kết luận"
    assert [d.end for d in find_deadlines(other, 2025, issued=D(2025, 2, 14), doc_type="Kết luận")] == [None]
    other = "sau khi Chỉ thị số 30-CT/TU được ban hành 30 ngày"
    assert [d.end for d in find_deadlines(other, 2025, issued=D(2025, 2, 14), doc_type="Chỉ thị")] == [None]


def test_event_with_a_month_is_that_month_but_before_it_is_undated() -> None:
    (d,) = find_deadlines("báo cáo tại phiên họp thường kỳ tháng 9/2025 của Ban Thường vụ", 2025)
    assert (d.kind, d.start, d.end) == ("event", D(2025, 9, 1), D(2025, 9, 30))
    (d,) = find_deadlines("báo cáo trước phiên họp thường kỳ tháng 9/2025", 2025)
    assert (d.kind, d.start, d.end, d.event) == ("event", None, None, "phiên họp thường kỳ tháng 9/2025")


def test_the_time_a_meeting_lasts_is_a_time_not_a_venue() -> None:
    # "trong thời gian diễn ra đại hội" names when by its own words; "tại hội nghị" stays a venue
    for text in ("Công an xã bảo đảm trật tự trong thời gian diễn ra đại hội.",
                 "bảo đảm an ninh trong suốt thời gian tổ chức Đại hội đảng bộ xã"):
        (d,) = find_deadlines(text, 2027)
        assert d.kind == "event" and d.event.lower().startswith("đại hội") and d.end is None, text
    assert find_deadlines("quán triệt tại hội nghị cán bộ chủ chốt", 2027) == []
    assert find_deadlines("trong thời gian tới cần tập trung", 2027) == []


def test_event_name_runs_to_the_main_clause() -> None:
    (d,) = find_deadlines("Hoàn thành trước Hội nghị chuyên đề của Ban Chấp hành để kịp thời triển khai.", 2025)
    assert d.event == "Hội nghị chuyên đề của Ban Chấp hành"
    (d,) = find_deadlines("Trong vòng 7 ngày kể từ ngày mở cửa hàng, cấp ủy phải báo cáo kết quả.")
    assert d.relative == "7 ngày kể từ ngày mở cửa hàng"  # "cửa", not "của"


def test_rhythm_keeps_only_days_that_fit_it() -> None:
    # six-monthly with three dates, or two dates not six months apart: the rhythm without dates
    for text in ("định kỳ 6 tháng (trước ngày 20/6, 20/9 và 20/12)", "định kỳ 6 tháng (trước ngày 20/6 và 20/10)"):
        (d,) = find_deadlines(text, 2025)
        assert (d.recurrence, d.rrule, d.end) == ("định kỳ 6 tháng", "FREQ=MONTHLY;INTERVAL=6", None), text
    (d,) = find_deadlines("hằng tháng, trước ngày 30", 2025)  # day 30 is not in every month
    assert (d.rrule, d.end) == ("FREQ=MONTHLY", None)
    assert find_deadlines("trước ngày 31 của tháng cuối quý", 2025) == []
    assert find_deadlines("trước ngày 29/02 hằng năm", 2024) == []


def test_first_due_date_follows_the_plans_own_start() -> None:
    text = "hằng quý, trước ngày 20 của tháng cuối quý"
    assert find_deadlines(text, 2025)[0].end == D(2025, 3, 20)
    assert find_deadlines(text, 2025, issued=D(2025, 4, 2))[0].end == D(2025, 6, 20)
    assert find_deadlines(text, 2025, issued=D(2024, 12, 20))[0].end == D(2025, 3, 20)  # plan for next year
    (d,) = find_deadlines(text)
    assert (d.rrule, d.end) == ("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=20", None)  # no period: rule only


def test_to_json_carries_the_new_fields() -> None:
    (d,) = find_deadlines("trước ngày 15 tháng 12 hằng năm", 2025)
    assert d.to_json() == {
        "text": "trước ngày 15 tháng 12 hằng năm", "start": None, "end": "2025-12-15", "relative": None,
        "exclusive_end": True, "class": "recurring", "rrule": "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15",
        "event": None, "implied_year": 2025,
    }


def test_positional_construction_still_works() -> None:
    # ingest.obligations copies deadlines positionally: the new fields come last, with defaults
    d = Deadline("x", None, D(2025, 1, 1), None, None, True, None)
    assert (d.kind, d.rrule, d.event, d.implied_year) == ("dated", None, None, None)


# ---------------------------------------------------------------------------------------------
# What must give nothing (on top of DECOYS)

NOT_DEADLINES = [
    "Kế hoạch số 44-KH/TU, ngày 29/10/2021 của Ban Thường vụ",
    "Lai Châu, ngày 18 tháng 12 năm 2023",
    "Kế hoạch thực hiện Kết luận số 01-KL/TW năm 2024",
    "ngày 15/01/2024",
    "15/01/2024",
    "vào năm 2024",
    "xếp hạng năm 2024 đạt loại tốt",
    "số liệu tính từ ngày 01/01/2024 đến ngày 30/6/2024",
    "từ đầu năm đến nay",
    "Quy định có hiệu lực kể từ ngày ký",
    "đánh giá cuối năm học",
    "việc đánh giá cuối năm của chi bộ",
    "trong năm năm qua",
    "trong năm học",
    "dạy học từ lớp 2 đến lớp 12",
    "thực hiện từ 1 đến 2 việc cụ thể",
    "trong tháng 3 năm sau",
    "trước ngày 20-21/5/2024",
    "trước ngày 15/01/24",
    "trong ngày 3-4/2024",  # ("trong tháng 3-4/2024" is March–April: range.dashed)
    "trước ngày 15/01 và 15/7/2024",
    "từ ngày 15/12 đến ngày 15/01/2025",
    "giai đoạn 2025 - 2021",
    "trong 3 ngày",
    "Chỉ thị số 30-CT/TU năm 2025",
    "sinh hoạt chi bộ thường kỳ",
    "trong năm 2024-2025",  # a span written loosely, not the year 2024
]
IMPOSSIBLE = [
    "trước ngày 31/02/2024",
    "trước ngày 30/02/2024",
    "trước ngày 29/02/2023",
    "trước ngày 32/1/2024",
    "trước ngày 00/1/2024",
    "trước ngày 15/13/2024",
    "chậm nhất ngày 31 tháng 4 năm 2024",
    "trong tháng 13/2024",
    "trong tháng 0/2024",
    "trong quý V/2024",
    "trong quý 5/2024",
    "trong quý 0/2024",
    "trong 13 tháng đầu năm 2024",
    "trước ngày 15/01/1900",
    "trước ngày 15/01/2101",
    "trong năm 1944",
    "giai đoạn 1930 - 1945",
    "từ ngày 31/02/2024 đến ngày 15/3/2024",
    "từ tháng 11 đến tháng 2/2025",
    "trước 31/4",
]


@pytest.mark.parametrize("text", NOT_DEADLINES + IMPOSSIBLE)
def test_gives_nothing(text: str) -> None:
    for spelled in spellings(text):
        assert parse_deadline(spelled, default_year=2024) is None, spelled
        assert find_deadlines(spelled, default_year=2024) == [], spelled


def test_bare_year_is_a_window_only_as_a_whole_expression() -> None:
    assert summary(parse_deadline("năm 2025")) == (D(2025, 1, 1), D(2025, 12, 31), False, None, None)
    assert find_deadlines("năm 2025") == []
    assert find_deadlines("cắt giảm 10% dự toán chi hội nghị năm 2025 so với năm 2024") == []


@pytest.mark.parametrize("text", ["xếp hạng năm", "cười năm 2024", "hàn ngày 15/01/2024", "trồng năm 2024", "mới tháng 3"])
def test_folding_does_not_turn_other_words_into_cues(text: str) -> None:
    # folded, "hạng năm" reads "hằng năm" and "cười" reads "cuối": accented words must be the cue words
    assert find_deadlines(text, default_year=2024) == []
    assert parse_deadline(text, default_year=2024) is None


@pytest.mark.parametrize(
    "text", ["trước ngày 15/01", "trong tháng 3", "trong quý I", "cuối năm", "6 tháng đầu năm", "từ 01/3 đến 15/3",
             "trước 20/12", "trong năm"]
)
def test_missing_year_without_default_gives_nothing(text: str) -> None:
    for spelled in spellings(text):
        assert parse_deadline(spelled) is None
        assert find_deadlines(spelled) == []


def test_bare_periods_need_a_cue_inside_a_sentence() -> None:
    # "sơ kết 6 tháng đầu năm" reviews the first half year, it is not due in it
    assert find_deadlines("Tổ chức sơ kết 6 tháng đầu năm 2024 và báo cáo kết quả quý I/2024.") == []
    assert find_deadlines("Hội nghị Trung ương 8 (tháng 10/2023) đã ban hành nghị quyết.") == []
    # … unless they stand as a clause of their own, or fill a table cell
    (d,) = find_deadlines("Các cấp ủy hoàn thiện hồ sơ, cuối quý II/2024; gửi về Ban Tuyên giáo.")
    assert d.end == D(2024, 6, 30)
    (d,) = find_deadlines("4 | Hội nghị chuyên đề | Ban Tuyên giáo\tquý II", 2025)
    assert (d.start, d.end, d.implied_year) == (D(2025, 4, 1), D(2025, 6, 30), 2025)


def test_dau_nam_is_recognised_but_undated() -> None:
    d = parse_deadline("đầu năm 2024")
    assert d is not None and d.text == "đầu năm 2024"
    assert (d.kind, d.start, d.end) == ("vague", None, None)


def test_parse_deadline_wants_one_expression() -> None:
    assert parse_deadline("trước ngày 15/01 và trong quý II/2024", default_year=2024) is None
    assert parse_deadline("Kế hoạch số 44-KH/TU, ngày 29/10/2021, hoàn thành trước ngày 15/01/2024") is None
    d = parse_deadline("Hoàn thành xây dựng kế hoạch trước ngày 15/01/2024.")
    assert summary(d) == (None, D(2024, 1, 15), True, None, None)


# ---------------------------------------------------------------------------------------------
# The real documents, verbatim


def paragraph(path: Path, marker: str) -> str:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if marker in line]
    assert len(lines) == 1, marker
    return lines[0]


def sentence_of(path: Path, marker: str) -> str:
    sentences = re.split(r"(?<=[.;])\s+", paragraph(path, marker))
    return next(s for s in sentences if marker in s)


REAL = [
    ("Hoàn thành xây dựng kế hoạch trước ngày 15/01/2024.", "trước ngày 15/01/2024", None, D(2024, 1, 15), True),
    ("Hoàn thành xây dựng kế hoạch trong tháng 01/2024.", "trong tháng 01/2024", D(2024, 1, 1), D(2024, 1, 31), False),
    (
        "Toàn tỉnh hoàn thành việc học tập, quán triệt trong Quý I/2024.",
        "trong Quý I/2024", D(2024, 1, 1), D(2024, 3, 31), False,
    ),
    ("(Hoàn thành trước ngày 19/5/2024).", "trước ngày 19/5/2024", None, D(2024, 5, 19), True),
    ("hoàn thành trong Quý II/2024.", "trong Quý II/2024", D(2024, 4, 1), D(2024, 6, 30), False),
    ("giai đoạn 2023 - 2025;", "giai đoạn 2023 - 2025", D(2023, 1, 1), D(2025, 12, 31), False),
]


@pytest.mark.parametrize("marker,text,start,end,exclusive", REAL)
def test_real_plan_sentences(marker: str, text: str, start: date | None, end: date, exclusive: bool) -> None:
    sentence = sentence_of(PLAN, marker)
    for spelled, want in zip(spellings(sentence), spellings(text)):
        found = find_deadlines(spelled, default_year=2024)
        assert [(d.text, d.start, d.end, d.exclusive_end) for d in found] == [(want, start, end, exclusive)]
        check_spans(spelled, found)


def test_real_rule_dieu_8_2() -> None:
    text = paragraph(RULE, "Chậm nhất 20 ngày làm việc")
    assert text.startswith("2- Cấp ủy")
    first = spellings("20 ngày làm việc kể từ ngày nhận được báo cáo, phản ảnh")
    second = spellings("không quá 30 ngày làm việc")
    for spelled, rel1, rel2 in zip(spellings(text), first, second):
        found = find_deadlines(spelled)
        check_spans(spelled, found)
        assert [(d.relative, d.start, d.end) for d in found] == [(rel1, None, None), (rel2, None, None)]
    found = find_deadlines(text)
    assert found[0].text == "Chậm nhất 20 ngày làm việc, kể từ ngày nhận được báo cáo, phản ảnh"
    assert (found[0].kind, found[0].event) == ("relative", "ngày nhận được báo cáo, phản ảnh")
    assert (found[1].kind, found[1].event) == ("relative", None)


def test_real_issue_dates_give_nothing() -> None:
    preamble = paragraph(PLAN, "Thực hiện Hướng dẫn số 121-HD/BTGTW")
    found = find_deadlines(preamble, default_year=2024)  # four issue dates, two bare "năm 2024"
    assert [(d.text, d.start, d.end) for d in found] == [("giai đoạn 2021-2025", D(2021, 1, 1), D(2025, 12, 31))]
    assert find_deadlines(paragraph(PLAN, "Lai Châu, ngày 18 tháng 12 năm 2023"), default_year=2024) == []
    footnote = paragraph(PLAN, "(1) Quy định số 101-QĐ/TW")
    assert find_deadlines(footnote, default_year=2024) == []


def test_whole_plan_has_exactly_these_dated_deadlines() -> None:
    """Guards against false positives: every dated deadline the parser finds in 222-KH/TU."""
    dated = []
    for line in PLAN.read_text(encoding="utf-8").splitlines():
        for d in find_deadlines(line, default_year=2024, issued=D(2023, 12, 18), doc_type="Kế hoạch"):
            check_spans(line, [d])
            if d.end is not None:
                dated.append((d.text, d.start, d.end, d.exclusive_end))
    assert dated == [
        ("giai đoạn 2021-2025", D(2021, 1, 1), D(2025, 12, 31), False),
        ("giai đoạn 2021-2025", D(2021, 1, 1), D(2025, 12, 31), False),
        ("trong Quý I/2024", D(2024, 1, 1), D(2024, 3, 31), False),
        ("trước ngày 15/01/2024", None, D(2024, 1, 15), True),
        ("trong tháng 01/2024", D(2024, 1, 1), D(2024, 1, 31), False),
        ("trong năm 2024", D(2024, 1, 1), D(2024, 12, 31), False),
        ("trước ngày 19/5/2024", None, D(2024, 5, 19), True),
        ("giai đoạn 2023 - 2025", D(2023, 1, 1), D(2025, 12, 31), False),
        ("trong Quý II/2024", D(2024, 4, 1), D(2024, 6, 30), False),
    ]


def test_other_corpus_documents_give_no_dated_deadline() -> None:
    for path in CORPUS.iterdir():
        if path.name in (PLAN.name,):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            found = find_deadlines(line, default_year=2024)
            check_spans(line, found)
            assert [d.text for d in found if d.end is not None] == [], path.name


# ---------------------------------------------------------------------------------------------
# The gold deadlines of ../shared/eval: the dev documents (other shapes, an invented province)


def _shared_eval() -> Path | None:
    from conftest import SHARED_EVAL

    if SHARED_EVAL.is_dir():
        return SHARED_EVAL
    if os.environ.get("CI") == "true":
        pytest.fail("../shared/eval is missing")
    return None


@pytest.fixture(scope="module")
def gold():
    shared = _shared_eval()
    if shared is None:
        pytest.skip("../shared/eval is not beside the repository")
    from ingest.pipeline import build_document
    from ingest.readers import iter_sources, read_path

    docs = {d.number: d for d in (build_document(read_path(p)) for p in iter_sources([CORPUS, shared / "corpus-dev"]))}
    items = [json.loads(line) for name in ("obligations.jsonl", "obligations-dev.jsonl")
             for line in (shared / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return docs, items


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).lower().split())


def _context(doc):
    from ingest.obligations import plan_year

    return plan_year(doc), {"issued": doc.issued, "doc_type": doc.type}


def test_gold_deadline_texts_give_the_gold_window(gold) -> None:
    docs, items = gold
    wrong = []
    for item in items:
        doc, want = docs[item["doc"]], item["deadline"]
        year, kw = _context(doc)
        d = parse_deadline(want["text"], year, **kw)
        got = (d.start.isoformat() if d and d.start else None, d.end.isoformat() if d and d.end else None)
        if d is None or got != (want.get("start"), want.get("end")):
            wrong.append((item["id"], want["text"], got))
    assert wrong == []
    assert len(items) >= 57


def test_gold_sentences_give_the_gold_window_and_class(gold) -> None:
    """In the sentence holding the evidence, the expression covering the gold text has its window and class."""
    docs, items = gold
    wrong = []
    for item in items:
        doc, want = docs[item["doc"]], item["deadline"]
        year, kw = _context(doc)
        sentences = [doc.text[s.start:s.end] for s in doc.sentences]
        sentence = next(s for s in sentences if _norm(item["evidence"]) in _norm(s))
        hits = [d for d in find_deadlines(sentence, year, **kw)
                if _norm(want["text"]) in _norm(d.text) or _norm(d.text) in _norm(want["text"])]
        if not hits and parse_deadline(want["text"], year, **kw) and not parse_deadline(f"x {want['text']}", year, **kw):
            # a bare period ("rèn luyện năm 2025"): only a caller that knows the duty reads it
            hits = [d for d in find_deadlines(sentence, year, bare_periods=True, **kw) if _norm(d.text) == _norm(want["text"])]
        got = [(d.start.isoformat() if d.start else None, d.end.isoformat() if d.end else None, d.kind) for d in hits]
        kind = want.get("class") or ("relative" if want.get("relative") else "dated")
        if got[:1] != [(want.get("start"), want.get("end"), kind)]:
            wrong.append((item["id"], want["text"], got))
    assert wrong == []


# ---------------------------------------------------------------------------------------------
# Properties of the old rules


dates = st.dates(min_value=date(1945, 1, 1), max_value=date(2100, 12, 31))
CUES = {  # cue → exclusive_end
    "trước ngày": True,
    "chậm nhất ngày": False,
    "chậm nhất là ngày": False,
    "trước hoặc trong ngày": False,
    "đến ngày": False,
    "hạn chót ngày": False,
    "không muộn hơn ngày": False,
}


@st.composite
def impossible_day_month(draw: st.DrawFn) -> tuple[int, int, int]:
    year = draw(st.integers(1945, 2100))
    if draw(st.booleans()):
        month = draw(st.integers(1, 12))
        day = draw(st.integers(calendar.monthrange(year, month)[1] + 1, 99))
    else:
        month = draw(st.sampled_from([0, *range(13, 100)]))
        day = draw(st.integers(1, 31))
    return day, month, year


@settings(max_examples=300, deadline=None)
@given(impossible_day_month(), st.sampled_from(sorted(CUES)), st.booleans(), st.booleans())
def test_impossible_dates_give_nothing(dmy: tuple[int, int, int], cue: str, words: bool, folded: bool) -> None:
    day, month, year = dmy
    when = f"{day} tháng {month} năm {year}" if words else f"{day}/{month}/{year}"
    expr = f"{cue} {when}"
    expr = strip_accents(expr) if folded else expr
    assert parse_deadline(expr, default_year=2024) is None
    assert find_deadlines(f"Hoàn thành {expr}.", default_year=2024) == []


@settings(max_examples=200, deadline=None)
@given(st.integers(1000, 9999), st.sampled_from(sorted(CUES)))
def test_years_out_of_range_give_nothing(year: int, cue: str) -> None:
    if 1945 <= year <= 2100:
        return
    assert parse_deadline(f"{cue} 15/01/{year}") is None
    assert parse_deadline(f"trong năm {year}") is None
    assert parse_deadline(f"từ năm {year} báo cáo hằng quý, trước ngày 20 của tháng cuối quý") is None
    assert find_deadlines("trước ngày 15/12 hằng năm", default_year=year) == [] or \
        find_deadlines("trước ngày 15/12 hằng năm", default_year=year)[0].end is None


FRAGMENTS = [
    "trước", "ngày", "tháng", "năm", "quý", "chậm nhất", "hạn chót", "đến", "hết", "từ", "trong", "cuối", "đầu",
    "giai đoạn", "hằng", "định kỳ", "thường xuyên", "kể từ", "không quá", "làm việc", "tính", "của", "và",
    "sau khi", "ban hành", "Chỉ thị", "được", "ký", "kỳ họp", "Đại hội", "tại", "khi có yêu cầu", "ít nhất", "lần",
    "mỗi", "tháng cuối quý", "trở đi", "các năm tiếp theo", "|", "đã",
    "I", "IV", "V", "6", "15", "01", "31", "02", "13", "20", "2024", "1944", "2101", "/", "-", ",", ".", ";", "(", ")",
    "truoc", "ngay", "thang", "nam", "quy", "cham nhat", "Đ", "\u0301", "\u00a0", "\n", "İ",
]


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(st.sampled_from(FRAGMENTS), max_size=30).map(" ".join)),
       st.sampled_from([None, 2024, 1, 9999]), st.sampled_from([None, date(2024, 3, 1), date(2100, 12, 31)]))
def test_arbitrary_text_never_raises(text: str, year: int | None, issued: date | None) -> None:
    for d in find_deadlines(text, default_year=year, issued=issued, doc_type="Chỉ thị"):
        assert text[d.span.start : d.span.end] == d.text
        assert d.kind in KINDS
        assert d.start is None or d.end is None or d.start <= d.end or d.kind == "recurring"
        for day in (d.start, d.end):
            assert day is None or 1945 <= day.year <= 2100
    parse_deadline(text)
    parse_deadline(text, default_year=year, issued=issued, doc_type="Kế hoạch")


def test_a_yearless_day_before_the_documents_issue_is_the_next_years() -> None:
    """"trước 10/01" in a guidance issued 16/11/2026 for the 2026 review: 10/01/2027, not a deadline
    already past when the document was signed."""
    (d,) = find_deadlines("Tổng hợp, báo cáo trước 10/01", 2026, issued=date(2026, 11, 16))
    assert d.end == date(2027, 1, 10) and d.implied_year == 2027
    (d,) = find_deadlines("Kiểm điểm chi bộ trước 15/12", 2026, issued=date(2026, 11, 16))
    assert d.end == date(2026, 12, 15)
    assert parse_deadline("trước 20/01", 2026, issued=date(2026, 11, 16)).end == date(2027, 1, 20)


def test_at_least_once_in_a_named_quarter_is_that_quarter_not_a_rhythm() -> None:
    found = find_deadlines("mỗi chi bộ sinh hoạt chuyên đề ít nhất một lần trong quý III và một lần trong quý IV", 2026)
    assert [(d.start, d.end) for d in found] == [(date(2026, 7, 1), date(2026, 9, 30)), (date(2026, 10, 1), date(2026, 12, 31))]
    (d,) = find_deadlines("sinh hoạt ít nhất 01 lần trong quý", 2026)
    assert d.kind == "recurring"


def test_an_anchor_event_ends_before_the_main_clauses_subject() -> None:
    (d,) = find_deadlines("Trong vòng 10 ngày làm việc kể từ ngày nhận được Thông báo này, các cơ quan, đơn vị "
                          "được giao nhiệm vụ xây dựng kế hoạch cụ thể.", 2024)
    assert (d.event, d.relative) == ("ngày nhận được Thông báo này", "10 ngày làm việc kể từ ngày nhận được Thông báo này")
    (d,) = find_deadlines("Chậm nhất 20 ngày làm việc, kể từ ngày nhận được báo cáo, phản ảnh của chủ thể giám sát", 2024)
    assert d.event == "ngày nhận được báo cáo, phản ảnh"  # short items of the event itself stay


# ---------------------------------------------------------------------------------------------
# The second cheap test: a form opening with an optional cue is only run where its core matches


def test_core_leaves_out_leading_assertions_and_the_optional_group() -> None:
    from ingest.deadlines import _core

    core = lambda p: (c.pattern if (c := _core(re.compile(p))) is not None else None)  # noqa: E731
    assert core(r"(?:\b(?:trong|den)\s*)?\bqu[yi]\s+\d") == r"\bqu[yi]\s+\d"
    assert core(r"\b(?:(?P<cue>cham\s+nhat)\s*)?(?P<n>\d{1,3})\s+ngay") == r"(?P<n>\d{1,3})\s+ngay"
    assert core(r"(?<![/.-])\b(?:(?:trong|tu)\s+)?nam\s+\d{4}") == r"nam\s+\d{4}"
    assert core(r"(?:[)(]\s)??x") == "x"  # brackets inside a class, a lazy "??"
    assert core(r"(?:a(?:b|c))?d(?:e)?") == "d(?:e)?"
    # nothing to leave out, a named group (the rest may use it), a back-reference, nothing after it
    for p in (r"\bqu[yi]\s+\d", r"(?:a|b)c", r"(?P<cue>a)?b", r"(?:(a))?\1", r"(?:(a))?(?(1)b|c)", r"(?:a)?"):
        assert core(p) is None, p


def _texts_for_cores() -> list[str]:
    """Every template with every spelling, inside each sentence, the decoys, and the sentences of the
    shipped corpus: folded as the grammar reads them."""
    from ingest.deadlines import _fold
    from ingest.pipeline import build_document
    from ingest.readers import iter_sources, read_path

    texts = []
    for seed in (1, 2, 3):
        v = fixed_values(seed)
        phrases = [t.render(v)[0] for t in TEMPLATES] + [d[1].format(**v.fields()) for d in DECOYS]
        for phrase in phrases:
            for spelled in spellings(phrase):
                texts.append(spelled)
                texts += [plant(s, spelled) for s in SENTENCES + DECOY_SENTENCES]
    for path in iter_sources([CORPUS]):
        doc = build_document(read_path(path))
        texts += [doc.text[s.start:s.end] for s in doc.sentences]
    return [_fold(t) for t in texts]


def test_a_form_matches_only_where_its_core_does() -> None:
    """`_core` is only a speed-up: wherever a form's pattern matches, its core matches too (here on
    every template, decoy and corpus sentence), so leaving the form out where the core finds nothing
    changes no result."""
    from ingest.deadlines import _core

    texts = _texts_for_cores()
    cored = [(f, c) for f in FORMS if (c := _core(f.pattern)) is not None]
    assert {f.name for f, _ in cored} >= {"period.quarter", "period.month", "period.joined", "period.year"}
    for form, core in cored:
        matched = [t for t in texts if form.pattern.search(t)]
        assert matched, form.name  # the check has something to check
        for t in matched:
            assert core.search(t), (form.name, t)


def test_a_day_of_the_following_year_is_in_the_year_after_the_plans() -> None:
    # "báo cáo quyết toán năm … trước ngày 15/01 (của) năm sau": January of the next year, never the plan's
    for text in ("gửi báo cáo quyết toán trước ngày 15/01 năm sau", "gửi báo cáo quyết toán trước ngày 15/01 của năm sau",
                 "nộp chậm nhất ngày 10 tháng 1 năm tiếp theo"):
        (d,) = find_deadlines(text, 2027)
        assert d.end.year == 2028 and d.implied_year == 2028, text


def test_two_periods_joined_by_a_dash_are_one_window() -> None:
    for text, start, end in (("Tháng 5 - 6/2027", D(2027, 5, 1), D(2027, 6, 30)),
                             ("kiểm tra trong tháng 10 – 12/2027 tại các xã", D(2027, 10, 1), D(2027, 12, 31)),
                             ("Quý II - III/2027", D(2027, 4, 1), D(2027, 9, 30))):
        (d,) = find_deadlines(text, 2027, bare_periods=True)
        assert (d.start, d.end) == (start, end), text
    assert find_deadlines("báo cáo trước tháng 5 - 6/2027", 2027) == []  # before which: no guess
    assert find_deadlines("tháng 6 - 5/2027", 2027, bare_periods=True) == []  # backwards: no window
