"""eval/duties.py: gold duties right / wrong window / missing, precision of dated obligations, and
the timed obligations no gold duty has, per document."""
from __future__ import annotations

from eval.duties import StoredDoc, actors_missing, doc_labels, score_duties, texts_overlap, window_matches

TWO_DUTIES = ("Ủy ban kiểm tra các huyện ủy báo cáo kết quả 6 tháng trước ngày 10/6/2025 "
              "và báo cáo năm gửi trước ngày 05/12/2025.")


def ob(quote, deadline=None, doc="15-HD/UBKTTU", doc_id="hd15", actors=(), recurrence=None, deadline_quote=None):
    return {"id": quote[:10], "actors": list(actors), "action": "", "deadline": deadline, "recurrence": recurrence,
            "citation": {"doc_id": doc_id, "doc_number": doc, "quote": quote},
            "deadline_citation": {"quote": deadline_quote} if deadline_quote else None}


def gold(id_, evidence, start=None, end=None, text="", doc="15-HD/UBKTTU", actors=(), **extra):
    return {"id": id_, "doc": doc, "evidence": evidence, "actors_include": list(actors),
            "deadline": {"text": text, "start": start, "end": end, **extra}}


def dl(end=None, start=None, text="", **extra):
    return {"text": text, "start": start, "end": end, "relative": None, **extra}


def test_window_matches_dates_and_class_only_when_both_sides_have_one():
    g = gold("g", "x", end="2025-12-05", text="trước ngày 05/12/2025", **{"class": "dated"})
    assert window_matches(ob("x", dl("2025-12-05")), g)                       # service without class
    assert window_matches(ob("x", dl("2025-12-05", **{"class": "dated"})), g)
    assert not window_matches(ob("x", dl("2025-12-05", **{"class": "recurring"})), g)
    assert not window_matches(ob("x", dl("2025-06-10")), g)
    assert not window_matches(ob("x", None), g)


def test_relative_anchors_overlap_and_keep_their_numbers():
    g = gold("g", "x", text="sau khi Chỉ thị được ban hành 30 ngày", end="2025-03-16",
             relative="30 ngày kể từ ngày ban hành Chỉ thị (14/02/2025)", **{"class": "relative"})
    assert window_matches(ob("x", dl("2025-03-16", relative="sau khi Chỉ thị được ban hành 30 ngày")), g)
    assert not window_matches(ob("x", dl("2025-03-16", relative="sau khi Chỉ thị được ban hành 20 ngày")), g)
    assert not window_matches(ob("x", dl(None, relative="sau khi Chỉ thị được ban hành 30 ngày")), g)
    # the gold's remark in parentheses is not part of the phrase
    assert texts_overlap("trước kỳ họp cuối năm của Hội đồng nhân dân tỉnh (ngày họp không nêu)",
                         ["trước kỳ họp cuối năm của HĐND tỉnh"])
    assert not texts_overlap("hằng tháng", ["hằng năm"])
    assert not texts_overlap("hằng năm", ["năm"])


def test_a_recurrence_without_dates_must_be_stated_alike():
    g = gold("g", "x", text="hằng quý", recurrence="hằng quý", **{"class": "recurring"})
    assert window_matches(ob("x", None, recurrence="hằng quý"), g)
    assert window_matches(ob("x", dl(text="hằng quý", **{"class": "recurring"})), g)
    assert not window_matches(ob("x", None, recurrence="hằng năm"), g)
    assert not window_matches(ob("x", dl(text="thường xuyên")), g)


def test_a_sentence_with_two_duties_given_one_date_is_a_wrong_window():
    golds = [gold("a", "báo cáo kết quả 6 tháng trước ngày 10/6/2025", end="2025-06-10"),
             gold("b", "báo cáo năm gửi trước ngày 05/12/2025", end="2025-12-05")]
    r = score_duties([ob(TWO_DUTIES, dl("2025-06-10"))], golds)
    status = {g["id"]: g["status"] for g in r["gold"]}
    assert status == {"a": "right", "b": "wrong window"}
    assert r["gold"][1]["returned"] == ['"" → ..2025-06-10 ']
    assert r["overall"]["precision"] == 1.0 and r["overall"]["recall"] == 0.5 and r["overall"]["wrong"] == 1
    # each duty with its own date: both right
    r = score_duties([ob(TWO_DUTIES, dl("2025-06-10")), ob(TWO_DUTIES, dl("2025-12-05"))], golds)
    assert [g["status"] for g in r["gold"]] == ["right", "right"] and r["unmatched"] == []


def test_missing_extra_and_precision_per_document():
    golds = [gold("a", "hoàn thành trước ngày 15/4/2025", end="2025-04-15", actors=["Ủy ban kiểm tra các huyện ủy, thị ủy"]),
             gold("m", "Chi bộ tự kiểm tra ít nhất 01 lần trong năm", text="ít nhất 01 lần trong năm",
                  recurrence="ít nhất 01 lần mỗi năm", **{"class": "recurring"})]
    returned = [
        ob("Ủy ban kiểm tra hoàn thành trước ngày 15/4/2025.", dl("2025-04-15"), actors=["Ủy ban kiểm tra các huyện ủy", "thị ủy"]),
        ob("Chi bộ tự kiểm tra ít nhất 01 lần trong năm.", None),                     # no time: missing
        ob("Định nghĩa: không quá 12 tháng.", dl("2025-12-31"), doc="30-CT/TU", doc_id="ct30"),  # extra dated
        ob("Ngày làm việc là các ngày từ thứ Hai đến thứ Sáu hằng tuần.", None, recurrence="hằng tuần"),  # extra undated
        ob("Một nhiệm vụ không có thời hạn.", None),
    ]
    r = score_duties(returned, golds)
    assert [g["status"] for g in r["gold"]] == ["right", "missing"]
    assert r["gold"][0]["actors_checked"] and r["gold"][0]["actors_missing"] == []
    o = r["overall"]
    assert (o["dated"], o["matched_dated"], o["extra_dated"], o["extra_undated"]) == (2, 1, 1, 1)
    assert o["precision"] == 0.5 and o["recall"] == 0.5
    assert r["per_doc"]["30-CT/TU"]["extra_dated"] == 1 and r["per_doc"]["30-CT/TU"]["gold"] == 0
    assert r["per_doc"]["15-HD/UBKTTU"]["precision"] == 1.0


def test_a_duty_dated_by_its_sections_completion_sentence_is_held_through_deadline_citation():
    g = gold("g", "Hoàn thành xây dựng kế hoạch trước ngày 15/01/2024", end="2024-01-15", actors=["tổ chức đảng"],
             doc="222-KH/TU")
    inherited = ob("Các tổ chức đảng xây dựng kế hoạch.", dl("2024-01-15"), doc="222-KH/TU", actors=["tổ chức đảng"],
                   deadline_quote="Hoàn thành xây dựng kế hoạch trước ngày 15/01/2024.")
    r = score_duties([inherited], [g])
    assert r["gold"][0]["status"] == "right" and r["gold"][0]["actors_missing"] == []


def test_actors_whole_or_by_comma_parts():
    hits = [{"actors": ["cán bộ", "đảng viên"]}]
    assert actors_missing(hits, ["cán bộ, đảng viên"]) == []
    assert actors_missing(hits, ["Ban Tuyên giáo", "đảng viên"]) == ["Ban Tuyên giáo"]


def test_determiners_are_not_part_of_an_actors_name():
    hits = [{"actors": ["chi, đảng bộ cơ sở", "Ủy ban kiểm tra huyện ủy", "Ủy ban kiểm tra thị ủy"]}]
    assert actors_missing(hits, ["Các chi, đảng bộ cơ sở", "Ủy ban kiểm tra các huyện ủy, thị ủy"]) == []
    assert actors_missing(hits, ["Các chi bộ thôn"]) == ["Các chi bộ thôn"]


def test_a_duty_quoted_by_its_own_clause_is_held():
    g = gold("g1", "tổ chức thực hiện nghiêm túc, hiệu quả; báo cáo đột xuất khi có yêu cầu", text="khi có yêu cầu",
             relative="báo cáo đột xuất khi có yêu cầu", **{"class": "event"})
    clause = ob("báo cáo đột xuất khi có yêu cầu.", dl(text="khi có yêu cầu", relative="khi có yêu cầu",
                                                      event="có yêu cầu", **{"class": "event"}))
    r = score_duties([clause], [g])
    assert r["gold"][0]["status"] == "right"
    # a short fragment, or a clause without the gold's time phrase, holds nothing
    assert score_duties([ob("khi có yêu cầu.", dl(text="khi có yêu cầu", **{"class": "event"}))], [g])["gold"][0]["status"] == "missing"
    assert score_duties([ob("tổ chức thực hiện nghiêm túc, hiệu quả;")], [g])["gold"][0]["status"] == "missing"


def test_documents_are_labelled_by_the_gold_and_gold_of_absent_corpora_is_skipped():
    golds = [gold("a", "gửi trước ngày 05/12/2025", end="2025-12-05", doc="102-KH/ĐU"),
             gold("z", "một câu của văn bản không nạp", end="2025-01-01", doc="999-KH/TU")]
    stored = [StoredDoc("kh102", None, "Các chi bộ gửi trước ngày 05/12/2025. Và định kỳ hằng tháng."),
              StoredDoc("ct30", "30-CT/TU", "Chỉ thị.")]
    assert doc_labels(golds, stored) == {"kh102": "102-KH/ĐU", "ct30": "30-CT/TU"}
    returned = [ob("Các chi bộ gửi trước ngày 05/12/2025.", dl("2025-12-05"), doc=None, doc_id="kh102"),
                ob("Và định kỳ hằng tháng.", None, doc=None, doc_id="kh102", recurrence="hằng tháng")]
    r = score_duties(returned, golds, stored)
    assert r["skipped_gold"] == ["z"]
    assert set(r["per_doc"]) == {"102-KH/ĐU"}
    assert r["per_doc"]["102-KH/ĐU"]["right"] == 1 and r["per_doc"]["102-KH/ĐU"]["extra_undated"] == 1
