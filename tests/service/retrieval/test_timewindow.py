"""The time a question names, read as a window of due dates; the days a duty falls due in it."""
from datetime import date

import pytest

from ingest.normalize import fold
from service.retrieval.timewindow import due_days, time_window


def _window(text: str):
    return time_window(text, fold(text).lower(), [])


@pytest.mark.parametrize("question, year, bounds", [
    # a year written once, at the end, is both ends' year
    ("Từ tháng 2 đến hết tháng 4 năm 2024 có mốc nào?", None, (date(2024, 2, 1), date(2024, 4, 30))),
    # … or at the start
    ("Từ tháng 11/2024 đến tháng 2/2025 phải làm gì?", None, (date(2024, 11, 1), date(2025, 2, 28))),
    ("từ tháng 2/2024 đến tháng 4 có việc gì", None, (date(2024, 2, 1), date(2024, 4, 30))),
    ("từ 01/7/2026 đến 30/9/2026 phải làm những việc gì", None, (date(2026, 7, 1), date(2026, 9, 30))),
    ("Từ quý II đến quý III năm 2025 có những mốc nào?", None, (date(2025, 4, 1), date(2025, 9, 30))),
    # no year written: the caller's (the plan's) year
    ("từ tháng 3 đến tháng 5 phải làm gì", 2026, (date(2026, 3, 1), date(2026, 5, 31))),
])
def test_a_range_is_one_window_from_the_first_start_to_the_last_end(question, year, bounds):
    w = _window(question)
    assert w is not None and w.until is not None
    assert w.bounds(year) == bounds


def test_a_range_that_runs_backwards_is_no_window():
    w = _window("từ tháng 5 đến tháng 2 năm 2024 có việc gì")
    assert w is None or w.until is None  # never a guessed window


def test_a_single_time_keeps_its_cue():
    w = _window("Trước 10/12/2026 phải nộp gì?")
    assert w is not None and w.until is None and w.bounds() == (None, date(2026, 12, 9))
    w = _window("từ quý II/2025 có việc gì")
    assert w.bounds() == (date(2025, 4, 1), None)


@pytest.mark.parametrize("question, bounds", [
    ("Nửa cuối năm tôi phải làm những việc gì?", (date(2027, 7, 1), date(2027, 12, 31))),
    ("nua dau nam 2026 phai nop bao cao gi", (date(2026, 1, 1), date(2026, 6, 30))),
    ("trong nửa năm cuối có những mốc nào", (date(2027, 7, 1), date(2027, 12, 31))),
])
def test_a_half_year_is_the_six_months_a_plan_writes(question, bounds):
    """"nửa cuối năm" as cadres say it is the "6 tháng cuối năm" documents write."""
    w = _window(question)
    assert w is not None and w.bounds(2027) == bounds


def test_a_monthly_duty_with_a_day_falls_due_each_month_of_the_window():
    monthly = {"rrule": "FREQ=MONTHLY;BYMONTHDAY=25"}
    days = due_days(monthly, None, "2026-07-25", date(2026, 7, 1), date(2026, 9, 30), until=date(2026, 12, 31))
    assert days == [date(2026, 7, 25), date(2026, 8, 25), date(2026, 9, 25)]
    # not past the end of the period its document is for
    assert due_days(monthly, None, "2026-07-25", date(2026, 12, 1), date(2027, 3, 31), until=date(2026, 12, 31)) \
        == [date(2026, 12, 25)]
    # nor before its first due day
    assert due_days(monthly, None, "2026-07-25", date(2026, 1, 1), date(2026, 6, 30)) == []


def test_a_rhythm_without_a_day_and_a_single_date_are_never_spread():
    assert due_days({"rrule": "FREQ=MONTHLY"}, None, "2026-07-31", date(2026, 8, 1), date(2026, 9, 30)) == []
    assert due_days(None, None, "2026-09-15", date(2026, 7, 1), date(2026, 9, 30)) == [date(2026, 9, 15)]
    assert due_days(None, "2026-04-01", "2026-06-30", date(2026, 7, 1), None) == []


def test_from_now_until_the_end_of_a_year():
    from service.retrieval.query import parse_question

    w = parse_question("tu nay den cuoi nam 2027 huyen uy phai lam gi").window
    assert w.from_now and w.bounds(2027) == (None, date(2027, 12, 31))
    w = parse_question("Đến cuối năm 2027 phải làm xong những gì?").window
    assert not w.from_now and w.bounds(2027) == (None, date(2027, 12, 31))


def test_a_third_of_a_month_narrows_a_range():
    from service.retrieval.query import parse_question

    w = parse_question("Từ giữa tháng 4 đến hết tháng 5/2027 có những việc gì?").window
    assert w.bounds(2027) == (date(2027, 4, 11), date(2027, 5, 31))
    w = parse_question("từ đầu tháng 3 đến cuối tháng 3/2027 có việc gì").window
    assert w.bounds(2027) == (date(2027, 3, 1), date(2027, 3, 31))


def test_two_times_joined_by_va_are_those_two_not_the_months_between():
    w = _window("Vào tháng 6 và tháng 12 hằng năm các chi bộ phải làm gì?")
    assert w.both and w.bounds(2027) == (date(2027, 6, 1), date(2027, 12, 31))
    assert w.holds(date(2027, 6, 4), 2027) and w.holds(date(2027, 12, 20), 2027)
    assert not w.holds(date(2027, 9, 1), 2027)  # between the two months, in neither
    assert w.pieces(2027) == [(date(2027, 6, 1), date(2027, 6, 30)), (date(2027, 12, 1), date(2027, 12, 31))]
    w = _window("thang 10 va thang 11/2027 co viec gi")  # a year written once, at the end, is both's
    assert w.bounds(None) == (date(2027, 10, 1), date(2027, 11, 30)) and w.holds(date(2027, 10, 15), None)
    assert not _window("trong tháng 10/2027 có việc gì").both


def test_a_rhythm_naming_its_months_falls_due_in_those_months():
    twice = {"rrule": "FREQ=MONTHLY;BYMONTH=6,12"}  # "6 tháng một lần (vào tháng 6 và tháng 12)"
    assert due_days(twice, None, None, date(2027, 6, 1), date(2027, 6, 30)) == [date(2027, 6, 1)]
    assert due_days(twice, None, None, date(2027, 7, 1), date(2027, 11, 30)) == []
    assert due_days(twice, None, None, date(2027, 1, 1), date(2027, 12, 31)) == [date(2027, 6, 1), date(2027, 12, 1)]
    assert due_days(twice, None, None, date(2027, 1, 1), None) == []  # an open window lists no guessed day
