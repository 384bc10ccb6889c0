"""Follow-ups made whole from the previous turn (its question and the Answer the API returned)."""
from __future__ import annotations

from service.retrieval.followup import Turn, read

PREVIOUS_ANSWER = {
    "citations": [{"n": 1, "doc_number": "45-KH/HU", "quote": "Các chi bộ tổ chức quán triệt Chỉ thị số 12-CT/TU."}],
    "obligations": [{"action": "tổ chức quán triệt Chỉ thị số 12-CT/TU đến toàn thể đảng viên"}],
}


def test_a_question_without_history_is_read_as_typed():
    assert read("Hạn nộp báo cáo là khi nào?", []).note is None


def test_con_x_thi_sao_swaps_the_subject_of_the_previous_question():
    turn = Turn("Hạn hoàn thành kế hoạch tập thể là khi nào?", PREVIOUS_ANSWER)
    r = read("còn kế hoạch cá nhân thì sao?", [turn])
    assert r.question == "Hạn hoàn thành kế hoạch cá nhân là khi nào?" and r.note


def test_a_section_alone_takes_the_previous_document():
    r = read("Điều 3 thì sao?", [Turn("Điều 1 Quy định 144 nói gì?", PREVIOUS_ANSWER)])
    assert "Quy định 144" in r.question and "Điều 3" in r.question


def test_viec_do_and_van_ban_do_point_at_the_previous_answer():
    turn = Turn("Tôi là bí thư chi bộ, tôi phải làm gì?", PREVIOUS_ANSWER)
    assert "quán triệt Chỉ thị số 12-CT/TU" in read("hạn của việc đó là khi nào?", [turn]).question
    assert "45-KH/HU" in read("ai ký văn bản đó?", [turn]).question


def test_a_whole_question_is_not_rewritten():
    turn = Turn("Hạn hoàn thành kế hoạch tập thể là khi nào?", PREVIOUS_ANSWER)
    q = "Tôi là trưởng phòng cấp huyện, kế hoạch cá nhân của tôi nộp ở đâu?"
    assert read(q, [turn]).question == q
