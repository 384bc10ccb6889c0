"""ingest.deadlines: every rule with and without diacritics, the real corpus sentences, the cases
that must give nothing, spans, and property-based round trips."""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.deadlines import find_deadlines, parse_deadline
from ingest.models import Deadline

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PLAN = CORPUS / "222-KH-TU-2023-laichau.txt"
RULE = CORPUS / "124-QD-TW-2018-giam-sat-tu-duong.md"
D = date


def strip_accents(text: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.replace("đ", "d").replace("Đ", "D")


def spellings(text: str) -> list[str]:
    """As written, without diacritics, and in upper case both ways."""
    return [text, strip_accents(text), text.upper(), strip_accents(text).upper()]


def check_spans(sentence: str, found: list[Deadline]) -> None:
    for d in found:
        assert d.span is not None
        assert sentence[d.span.start : d.span.end] == d.text


def summary(d: Deadline | None) -> tuple | None:
    if d is None:
        return None
    return (d.start, d.end, d.exclusive_end, d.relative, d.recurrence)


# ---------------------------------------------------------------------------------------------
# The rules, one expression each: (text, default_year, start, end, exclusive_end)

DATED = [
    ("trước ngày 15/01/2024", None, None, D(2024, 1, 15), True),
    ("Trước ngày 15 tháng 01 năm 2024", None, None, D(2024, 1, 15), True),
    ("trước 15/01/2024", None, None, D(2024, 1, 15), True),
    ("chậm nhất ngày 30 tháng 6 năm 2024", None, None, D(2024, 6, 30), False),
    ("chậm nhất ngày 30/6/2024", None, None, D(2024, 6, 30), False),
    ("chậm nhất là ngày 30/6/2024", None, None, D(2024, 6, 30), False),
    ("hạn chót ngày 30/6/2024", None, None, D(2024, 6, 30), False),
    ("hạn chót 30/6/2024", None, None, D(2024, 6, 30), False),
    ("thời hạn: ngày 30/6/2024", None, None, D(2024, 6, 30), False),
    ("trước hoặc trong ngày 30/6/2024", None, None, D(2024, 6, 30), False),
    ("đến ngày 30/6/2024", None, None, D(2024, 6, 30), False),
    ("đến hết ngày 30/6/2024", None, None, D(2024, 6, 30), False),
    ("hoàn thành trong ngày 30/6/2024", None, None, D(2024, 6, 30), False),
    ("trước ngày 15.01.2024", None, None, D(2024, 1, 15), True),
    ("trước ngày 15-01-2024", None, None, D(2024, 1, 15), True),
    ("trong tháng 01/2024", None, D(2024, 1, 1), D(2024, 1, 31), False),
    ("tháng 01/2024", None, D(2024, 1, 1), D(2024, 1, 31), False),
    ("tháng 1 năm 2024", None, D(2024, 1, 1), D(2024, 1, 31), False),
    ("trong tháng 02/2024", None, D(2024, 2, 1), D(2024, 2, 29), False),
    ("trong tháng 3", 2024, D(2024, 3, 1), D(2024, 3, 31), False),
    ("đến tháng 6/2024", None, None, D(2024, 6, 30), False),
    ("trước tháng 6/2024", None, None, D(2024, 6, 1), True),
    ("trong Quý I/2024", None, D(2024, 1, 1), D(2024, 3, 31), False),
    ("Quý II/2024", None, D(2024, 4, 1), D(2024, 6, 30), False),
    ("quý 3 năm 2024", None, D(2024, 7, 1), D(2024, 9, 30), False),
    ("quý IV năm 2024", None, D(2024, 10, 1), D(2024, 12, 31), False),
    ("quý 4/2024", None, D(2024, 10, 1), D(2024, 12, 31), False),
    ("Quí III/2024", None, D(2024, 7, 1), D(2024, 9, 30), False),
    ("trong quý I", 2024, D(2024, 1, 1), D(2024, 3, 31), False),
    ("chậm nhất trong quý I/2024", None, None, D(2024, 3, 31), False),
    ("cuối quý II/2024", None, None, D(2024, 6, 30), False),
    ("Thời gian: Quý II/2024", None, D(2024, 4, 1), D(2024, 6, 30), False),
    ("6 tháng đầu năm 2024", None, D(2024, 1, 1), D(2024, 6, 30), False),
    ("6 tháng cuối năm 2024", None, D(2024, 7, 1), D(2024, 12, 31), False),
    ("trong 6 tháng đầu năm", 2024, D(2024, 1, 1), D(2024, 6, 30), False),
    ("9 tháng đầu năm 2024", None, D(2024, 1, 1), D(2024, 9, 30), False),
    ("cuối năm", 2024, None, D(2024, 12, 31), False),
    ("cuối năm 2024", None, None, D(2024, 12, 31), False),
    ("đến cuối năm 2024", None, None, D(2024, 12, 31), False),
    ("đến hết năm", 2024, None, D(2024, 12, 31), False),
    ("trong năm 2024", None, D(2024, 1, 1), D(2024, 12, 31), False),
    ("hoàn thành năm 2024", None, D(2024, 1, 1), D(2024, 12, 31), False),
    ("hết năm 2024", None, None, D(2024, 12, 31), False),
    ("đến năm 2025", None, None, D(2025, 12, 31), False),
    ("trước năm 2025", None, None, D(2025, 1, 1), True),
    ("giai đoạn 2023 - 2025", None, D(2023, 1, 1), D(2025, 12, 31), False),
    ("giai đoạn 2021-2025", None, D(2021, 1, 1), D(2025, 12, 31), False),
    ("giai đoạn 2021 – 2025", None, D(2021, 1, 1), D(2025, 12, 31), False),
    ("nhiệm kỳ 2020 - 2025", None, D(2020, 1, 1), D(2025, 12, 31), False),
    ("từ năm 2021 đến năm 2025", None, D(2021, 1, 1), D(2025, 12, 31), False),
    ("từ ngày 01/3/2024 đến ngày 15/3/2024", None, D(2024, 3, 1), D(2024, 3, 15), False),
    ("từ 01/3 đến 15/3/2024", None, D(2024, 3, 1), D(2024, 3, 15), False),
    ("từ ngày 01 đến ngày 15/3/2024", None, D(2024, 3, 1), D(2024, 3, 15), False),
    ("từ ngày 1 tháng 3 đến ngày 15 tháng 3 năm 2024", None, D(2024, 3, 1), D(2024, 3, 15), False),
    ("từ ngày 01/3 đến ngày 15/3", 2024, D(2024, 3, 1), D(2024, 3, 15), False),
    ("trước ngày 15/01", 2024, None, D(2024, 1, 15), True),
    ("trước ngày 29/02/2024", None, None, D(2024, 2, 29), True),
]


@pytest.mark.parametrize("text,year,start,end,exclusive", DATED)
def test_dated_rules(text: str, year: int | None, start: date | None, end: date, exclusive: bool) -> None:
    for spelled in spellings(text):
        d = parse_deadline(spelled, default_year=year)
        assert summary(d) == (start, end, exclusive, None, None), spelled
        assert d.text == spelled


# Rules that find_deadlines applies inside a sentence too (bare months and quarters need a cue there).
IN_SENTENCE = [row for row in DATED if not re.match(r"(?i)(tháng|quý|quí|6 tháng|9 tháng)", row[0])]


@pytest.mark.parametrize("text,year,start,end,exclusive", IN_SENTENCE)
def test_dated_rules_inside_a_sentence(
    text: str, year: int | None, start: date | None, end: date, exclusive: bool
) -> None:
    for spelled in spellings(text):
        sentence = f"Các cấp ủy hoàn thiện hồ sơ, {spelled}; gửi về Ban Tuyên giáo."
        found = find_deadlines(sentence, default_year=year)
        assert [summary(d) for d in found] == [(start, end, exclusive, None, None)], sentence
        assert found[0].text == spelled
        check_spans(sentence, found)


RECURRENCES = [
    ("hằng năm", "hằng năm"),
    ("hàng năm", "hằng năm"),
    ("hằng quý", "hằng quý"),
    ("hàng quý", "hằng quý"),
    ("hằng tháng", "hằng tháng"),
    ("hàng tháng", "hằng tháng"),
    ("hằng tuần", "hằng tuần"),
    ("định kỳ", "định kỳ"),
    ("định kỳ hằng năm", "hằng năm"),
    ("định kỳ 6 tháng", "định kỳ 6 tháng"),
    ("thường xuyên", "thường xuyên"),
]


@pytest.mark.parametrize("text,canonical", RECURRENCES)
def test_recurrences(text: str, canonical: str) -> None:
    for spelled in spellings(text):
        assert summary(parse_deadline(spelled)) == (None, None, False, None, canonical), spelled
        sentence = f"Các chi bộ {spelled} báo cáo kết quả."
        found = find_deadlines(sentence)
        assert [d.recurrence for d in found] == [canonical]
        check_spans(sentence, found)


RELATIVES = [
    (
        "chậm nhất 20 ngày làm việc, kể từ ngày nhận được báo cáo, phản ảnh của chủ thể giám sát",
        "chậm nhất 20 ngày làm việc, kể từ ngày nhận được báo cáo, phản ảnh",
        "20 ngày làm việc kể từ ngày nhận được báo cáo, phản ảnh",
    ),
    ("trong vòng 15 ngày kể từ ngày ký", "trong vòng 15 ngày kể từ ngày ký", "15 ngày kể từ ngày ký"),
    (
        "trong thời hạn 30 ngày kể từ ngày có kết luận, cấp ủy phải báo cáo",
        "trong thời hạn 30 ngày kể từ ngày có kết luận",
        "30 ngày kể từ ngày có kết luận",
    ),
    ("chậm nhất 2 tuần kể từ ngày họp.", "chậm nhất 2 tuần kể từ ngày họp", "2 tuần kể từ ngày họp"),
    ("trong 3 tháng kể từ ngày ban hành", "trong 3 tháng kể từ ngày ban hành", "3 tháng kể từ ngày ban hành"),
    ("không quá 30 ngày làm việc", "không quá 30 ngày làm việc", "không quá 30 ngày làm việc"),
    ("không quá 1 năm", "không quá 1 năm", "không quá 1 năm"),
]


@pytest.mark.parametrize("sentence,text,relative", RELATIVES)
def test_relative_deadlines(sentence: str, text: str, relative: str) -> None:
    for spelled, want_text, want_rel in zip(spellings(sentence), spellings(text), spellings(relative)):
        found = find_deadlines(spelled)
        assert [(d.text, d.relative, d.start, d.end) for d in found] == [(want_text, want_rel, None, None)]
        check_spans(spelled, found)


def test_event_stops_before_cua_but_not_before_cua_door() -> None:
    found = find_deadlines("Trong vòng 7 ngày kể từ ngày mở cửa hàng, cấp ủy phải báo cáo kết quả.")
    assert [d.relative for d in found] == ["7 ngày kể từ ngày mở cửa hàng"]


# ---------------------------------------------------------------------------------------------
# What must give nothing

NOT_DEADLINES = [
    "Kế hoạch số 44-KH/TU, ngày 29/10/2021 của Ban Thường vụ",
    "Lai Châu, ngày 18 tháng 12 năm 2023",
    "Kế hoạch thực hiện Kết luận số 01-KL/TW năm 2024",
    "năm 2024",
    "ngày 15/01/2024",
    "15/01/2024",
    "vào năm 2024",
    "xếp hạng năm 2024 đạt loại tốt",
    "số liệu tính đến ngày 31/12/2023",
    "số liệu tính từ ngày 01/01/2024 đến ngày 30/6/2024",
    "từ đầu năm đến nay",
    "sau 30 ngày kể từ ngày ký",
    "Quy định có hiệu lực kể từ ngày ký",
    "đánh giá cuối năm học",
    "việc đánh giá cuối năm của chi bộ",  # the year-end review, not a due date
    "bản kiểm điểm đánh giá cuối năm của tập thể",
    "hội nghị tổng kết cuối năm",
    "trong năm năm qua",
    "dạy học từ lớp 2 đến lớp 12",
    "thực hiện từ 1 đến 2 việc cụ thể",
    "tăng từ 1/3 đến 1/2",
    "đến 1/2 số đảng viên",
    "trước ngày 15/01 năm sau",
    "trong tháng 3 năm sau",
    "trước ngày 20-21/5/2024",
    "trước ngày 15/01/24",
    "trong tháng 3-4/2024",
    "trong quý I và quý II/2024",
    "trước ngày 15/01 và 15/7/2024",
    "từ ngày 15/12 đến ngày 15/01/2025",
    "giai đoạn 2025 - 2021",
    "trong 3 ngày",
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
]


@pytest.mark.parametrize("text", NOT_DEADLINES + IMPOSSIBLE)
def test_gives_nothing(text: str) -> None:
    for spelled in spellings(text):
        assert parse_deadline(spelled, default_year=2024) is None, spelled
        assert find_deadlines(spelled, default_year=2024) == [], spelled


@pytest.mark.parametrize("text", ["xếp hạng năm", "cười năm 2024", "hàn ngày 15/01/2024", "trồng năm 2024"])
def test_folding_does_not_turn_other_words_into_cues(text: str) -> None:
    # folded, "hạng năm" reads "hằng năm" and "cười" reads "cuối": accented words must be the cue words
    assert find_deadlines(text, default_year=2024) == []
    assert parse_deadline(text, default_year=2024) is None


@pytest.mark.parametrize(
    "text", ["trước ngày 15/01", "trong tháng 3", "trong quý I", "cuối năm", "6 tháng đầu năm", "từ 01/3 đến 15/3"]
)
def test_missing_year_without_default_gives_nothing(text: str) -> None:
    for spelled in spellings(text):
        assert parse_deadline(spelled) is None
        assert find_deadlines(spelled) == []


def test_bare_periods_need_a_cue_inside_a_sentence() -> None:
    # "sơ kết 6 tháng đầu năm" reviews the first half year, it is not due in it
    assert find_deadlines("Tổ chức sơ kết 6 tháng đầu năm 2024 và báo cáo kết quả quý I/2024.") == []
    assert find_deadlines("Hội nghị Trung ương 8 (tháng 10/2023) đã ban hành nghị quyết.") == []


def test_dau_nam_is_recognised_but_undated() -> None:
    d = parse_deadline("đầu năm 2024")
    assert d is not None and d.text == "đầu năm 2024"
    assert summary(d) == (None, None, False, None, None)


def test_parse_deadline_wants_one_expression() -> None:
    assert parse_deadline("trước ngày 15/01 hằng năm", default_year=2024) is None
    assert parse_deadline("Kế hoạch số 44-KH/TU, ngày 29/10/2021, hoàn thành trước ngày 15/01/2024") is None
    d = parse_deadline("Hoàn thành xây dựng kế hoạch trước ngày 15/01/2024.")
    assert summary(d) == (None, D(2024, 1, 15), True, None, None)


def test_several_in_one_sentence_in_order() -> None:
    sentence = "Định kỳ hằng quý báo cáo; tổng hợp trước ngày 15/12 và báo cáo Tỉnh ủy trong tháng 01/2025."
    found = find_deadlines(sentence, default_year=2024)
    assert [(d.text, d.recurrence, d.end) for d in found] == [
        ("Định kỳ hằng quý", "hằng quý", None),
        ("trước ngày 15/12", None, D(2024, 12, 15)),
        ("trong tháng 01/2025", None, D(2025, 1, 31)),
    ]
    check_spans(sentence, found)


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
    (
        "(Hoàn thành trước ngày 19/5/2024).",
        "trước ngày 19/5/2024", None, D(2024, 5, 19), True,
    ),
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
    assert found[0].to_json() == {
        "text": "Chậm nhất 20 ngày làm việc, kể từ ngày nhận được báo cáo, phản ảnh",
        "start": None,
        "end": None,
        "relative": "20 ngày làm việc kể từ ngày nhận được báo cáo, phản ảnh",
        "exclusive_end": False,
    }


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
        for d in find_deadlines(line, default_year=2024):
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
# Properties

dates = st.dates(min_value=date(1945, 1, 1), max_value=date(2100, 12, 31))
CUES = {  # cue → exclusive_end
    "trước ngày": True,
    "chậm nhất ngày": False,
    "chậm nhất là ngày": False,
    "trước hoặc trong ngày": False,
    "đến ngày": False,
    "hạn chót ngày": False,
}


def written(day: date, style: int, pad: bool) -> str:
    d, m = (f"{day.day:02d}", f"{day.month:02d}") if pad else (str(day.day), str(day.month))
    if style == 0:
        return f"{d}/{m}/{day.year}"
    if style == 1:
        return f"{d} tháng {m} năm {day.year}"
    return f"{d}-{m}-{day.year}"


def respell(text: str, folded: bool, case: int) -> str:
    text = strip_accents(text) if folded else text
    return (text, text.upper(), text.capitalize())[case]


@settings(max_examples=300, deadline=None)
@given(dates, st.sampled_from(sorted(CUES)), st.integers(0, 2), st.booleans(), st.booleans(), st.integers(0, 2))
def test_round_trip(day: date, cue: str, style: int, pad: bool, folded: bool, case: int) -> None:
    expr = respell(f"{cue} {written(day, style, pad)}", folded, case)
    d = parse_deadline(expr)
    assert d is not None, expr
    assert (d.start, d.end, d.exclusive_end, d.text) == (None, day, CUES[cue], expr)
    sentence = f"Các chi bộ hoàn thành kế hoạch, {expr}; báo cáo Tỉnh ủy."
    found = find_deadlines(sentence)
    assert [(f.end, f.text) for f in found] == [(day, expr)]
    check_spans(sentence, found)


@settings(max_examples=200, deadline=None)
@given(dates, st.sampled_from(sorted(CUES)), st.booleans(), st.booleans())
def test_round_trip_without_year_takes_default(day: date, cue: str, pad: bool, folded: bool) -> None:
    d, m = (f"{day.day:02d}", f"{day.month:02d}") if pad else (str(day.day), str(day.month))
    expr = respell(f"{cue} {d}/{m}", folded, 0)
    assert summary(parse_deadline(expr, default_year=day.year)) == (None, day, CUES[cue], None, None)
    assert parse_deadline(expr) is None


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
    expr = respell(f"{cue} {when}", folded, 0)
    assert parse_deadline(expr, default_year=2024) is None
    assert find_deadlines(f"Hoàn thành {expr}.", default_year=2024) == []


@settings(max_examples=200, deadline=None)
@given(st.integers(1000, 9999), st.sampled_from(sorted(CUES)))
def test_years_out_of_range_give_nothing(year: int, cue: str) -> None:
    if 1945 <= year <= 2100:
        return
    assert parse_deadline(f"{cue} 15/01/{year}") is None
    assert parse_deadline(f"trong năm {year}") is None


FRAGMENTS = [
    "trước", "ngày", "tháng", "năm", "quý", "chậm nhất", "hạn chót", "đến", "hết", "từ", "trong", "cuối", "đầu",
    "giai đoạn", "hằng", "định kỳ", "thường xuyên", "kể từ", "không quá", "làm việc", "tính", "của", "và",
    "I", "IV", "V", "6", "15", "01", "31", "02", "13", "2024", "1944", "2101", "/", "-", ",", ".", ";", "(", ")",
    "truoc", "ngay", "thang", "nam", "quy", "cham nhat", "Đ", "\u0301", "\u00a0", "\n", "İ",
]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(st.sampled_from(FRAGMENTS), max_size=25).map(" ".join)))
def test_arbitrary_text_never_raises(text: str) -> None:
    for d in find_deadlines(text, default_year=2024):
        assert text[d.span.start : d.span.end] == d.text
        assert d.start is None or d.end is None or d.start <= d.end
        for day in (d.start, d.end):
            assert day is None or 1945 <= day.year <= 2100
    parse_deadline(text)
    parse_deadline(text, default_year=2024)
