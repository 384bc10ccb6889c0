"""Every kind of question through the real API (uvicorn on loopback, httpx, the real embedded store),
on a plan written for this test — an invented district of an invented province, so nothing here was
tuned on it — beside the shipped corpus. Each answer is checked for what a cadre needs: the direct
reply first, the fact asked, and quotes that are the document's own text."""
from __future__ import annotations

import re

import httpx
import pytest

from conftest import CORPUS
from support.serving import serve_in_thread as served
from service.config import Settings
from service.http.app import create_app
from service.knowledge import KnowledgeBase

PLAN = """ĐẢNG BỘ TỈNH HÒA PHONG
HUYỆN ỦY AN LẠC
*
Số 45-KH/HU

ĐẢNG CỘNG SẢN VIỆT NAM

An Lạc, ngày 05 tháng 3 năm 2025

KẾ HOẠCH
thực hiện Chỉ thị số 12-CT/TU của Ban Thường vụ Tỉnh ủy về nâng cao chất lượng sinh hoạt chi bộ năm 2025

Căn cứ Chỉ thị số 12-CT/TU, ngày 10/01/2025 của Ban Thường vụ Tỉnh ủy về nâng cao chất lượng sinh hoạt chi bộ, Ban Thường vụ Huyện ủy ban hành Kế hoạch thực hiện như sau:

I. MỤC ĐÍCH, YÊU CẦU

1. Nâng cao chất lượng sinh hoạt chi bộ, bảo đảm tính lãnh đạo, tính giáo dục và tính chiến đấu.

2. Việc tổ chức thực hiện phải thiết thực, tránh hình thức, phù hợp với điều kiện của từng chi bộ.

II. NHIỆM VỤ

1. Quán triệt Chỉ thị

Các chi bộ tổ chức quán triệt Chỉ thị số 12-CT/TU đến toàn thể đảng viên, hoàn thành trước ngày 30/4/2025. Chi bộ có dưới 05 đảng viên được lồng ghép việc quán triệt vào sinh hoạt chi bộ thường kỳ.

2. Sinh hoạt chuyên đề

Các chi bộ sinh hoạt chuyên đề ít nhất mỗi quý một lần; nội dung chuyên đề do cấp ủy cơ sở lựa chọn, gắn với nhiệm vụ chính trị của địa phương.

3. Sơ kết

Các đảng ủy cơ sở gửi báo cáo sơ kết 6 tháng về Ban Tổ chức Huyện ủy trước ngày 15/6/2025.

III. TỔ CHỨC THỰC HIỆN

1. Ban Tổ chức Huyện ủy chủ trì theo dõi, đôn đốc việc thực hiện Kế hoạch; tổng hợp, báo cáo Ban Thường vụ Huyện ủy trong tháng 12/2025.

2. Ủy ban Kiểm tra Huyện ủy kiểm tra việc thực hiện Kế hoạch tại ít nhất 03 đảng ủy cơ sở trong quý III/2025.

3. Phòng Văn hóa và Thông tin huyện chỉ đạo hoàn thành sửa chữa nhà văn hóa các thôn trước 31/10/2025; báo cáo Thường trực Huyện ủy tiến độ thực hiện trước ngày 15/8/2025.

4. Các chi bộ tổ chức tọa đàm về văn hóa dân tộc Thái (khi có hướng dẫn của Ban Thường vụ Tỉnh ủy).

Nơi nhận:
- Ban Thường vụ Tỉnh ủy (để báo cáo),
- Các đảng ủy cơ sở,
- Lưu Văn phòng Huyện ủy.

T/M BAN THƯỜNG VỤ
BÍ THƯ

Lò Văn Thanh
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plan")
    (folder / "45-KH-HU-2025-an-lac.txt").write_text(PLAN, "utf-8")
    kb = KnowledgeBase(Settings(data_dir=tmp_path_factory.mktemp("kinds-data")))
    report = kb.ingest_paths([CORPUS, folder])
    assert not report.errors, report.to_json()
    with served(create_app(Settings(data_dir=kb.settings.data_dir), kb=kb)) as base:
        with httpx.Client(base_url=base, timeout=30) as client:
            yield kb, client
    kb.close()


def ask(api, question: str) -> dict:
    kb, client = api
    r = client.post("/api/ask", json={"question": question})
    assert r.status_code == 200, r.text
    ans = r.json()
    # Whatever the kind: every quote is the document's own text, and every [n] points at a citation.
    for c in ans["citations"]:
        assert kb.document(c["doc_id"])["text"][c["start"]:c["end"]] == c["quote"]
    marks = {int(n) for n in re.findall(r"\[(\d+)\]", ans["answer"])}
    assert marks <= {c["n"] for c in ans["citations"]}, (marks, ans["answer"])
    if ans["kind"] != "none":
        assert ans["reply"] and ans["answer"].startswith(ans["reply"].split("\n")[0])
    return ans


def quotes(ans: dict) -> str:
    return " ".join(c["quote"] for c in ans["citations"])


def test_metadata_is_quoted_from_the_header_and_signature(api):
    ans = ask(api, "Ai ký Kế hoạch 45-KH/HU, ký với chức danh gì?")
    assert ans["kind"] == "passages" and "Lò Văn Thanh" in quotes(ans) and "Lò Văn Thanh" in ans["reply"]
    ans = ask(api, "ke hoach 45 cua huyen uy an lac ban hanh ngay nao")
    assert "An Lạc, ngày 05 tháng 3 năm 2025" in quotes(ans) and "05/03/2025" in ans["reply"]
    ans = ask(api, "Kế hoạch 45 được ban hành căn cứ vào những văn bản nào?")
    assert "12-CT/TU" in ans["reply"] and "Căn cứ Chỉ thị số 12-CT/TU" in quotes(ans)


def test_a_deadline_is_a_date_with_its_window(api):
    ans = ask(api, "Hạn các đảng ủy cơ sở gửi báo cáo sơ kết 6 tháng là khi nào?")
    assert ans["kind"] == "obligations"
    assert "trước ngày 15/06/2025" in ans["reply"] and "hạn cuối 14/06/2025" in ans["reply"]
    assert ans["obligations"][0]["deadline"]["end"] == "2025-06-15"


def test_a_time_window_lists_what_falls_due_in_it_in_date_order(api):
    ans = ask(api, "Quý II/2025 theo kế hoạch 45 phải làm xong những việc gì?")
    assert ans["kind"] == "obligations" and ans["question_kind"] == "timewindow"
    ends = [o["deadline"]["end"] for o in ans["obligations"]]
    assert ends == sorted(ends) and {"2025-04-30", "2025-06-15"} <= set(ends)
    assert all("2025-04-01" <= e <= "2025-06-30" for e in ends)


def test_a_named_section_is_answered_from_it_and_an_absent_one_is_said_absent(api):
    ans = ask(api, "Mục II.2 của Kế hoạch 45 nói gì?")
    assert ans["kind"] == "passages" and all(c["section"].startswith("II.2") for c in ans["citations"])
    assert "sinh hoạt chuyên đề ít nhất mỗi quý một lần" in quotes(ans)
    ans = ask(api, "Mục V của kế hoạch 45 quy định gì?")
    assert ans["kind"] == "none" and "45-KH/HU" in ans["answer"] and "Mục V" in ans["answer"]


def test_yes_no_is_decided_only_by_a_quote_that_states_it(api):
    ans = ask(api, "Kế hoạch 45 có phải do Huyện ủy An Lạc ban hành không?")
    assert ans["reply"].startswith("Có.")
    ans = ask(api, "Có phải chi bộ chỉ cần sinh hoạt chuyên đề mỗi năm một lần, không cần mỗi quý?")
    assert "mỗi quý một lần" in quotes(ans)


def test_an_exception_is_quoted_as_the_text_states_it(api):
    ans = ask(api, "Chi bộ có dưới 5 đảng viên thì có phải tổ chức quán triệt riêng không?")
    assert "Chi bộ có dưới 05 đảng viên được lồng ghép" in quotes(ans)


def test_a_cited_document_not_stored_is_answered_from_the_citing_sentence(api):
    ans = ask(api, "Chỉ thị 12-CT/TU ban hành ngày nào, về việc gì?")
    assert ans["kind"] == "passages" and "kho chưa lưu toàn văn" in ans["reply"]
    assert "ngày 10/01/2025" in quotes(ans)


def test_another_province_or_a_subject_no_document_covers_is_refused(api):
    ans = ask(api, "Tỉnh ủy Điện Biên yêu cầu gửi báo cáo sơ kết sinh hoạt chi bộ trước ngày nào?")
    assert ans["kind"] == "none" and "Điện Biên" in ans["answer"]
    ans = ask(api, "Kinh phí thực hiện kế hoạch 45 là bao nhiêu tiền?")
    assert ans["kind"] == "none"


def test_a_role_gets_the_duties_that_bind_it_and_a_content_question_ignores_the_role(api):
    kb, client = api
    r = client.post("/api/ask", json={"question": "Tôi là bí thư chi bộ, tôi phải làm gì theo kế hoạch 45?"}).json()
    assert r["kind"] == "obligations" and all("45-KH/HU" == o["citation"]["doc_number"] for o in r["obligations"])
    assert any("2025-04-30" == (o["deadline"] or {}).get("end") for o in r["obligations"])
    r = client.post("/api/ask", json={"question": "Mục đích của Kế hoạch 45 là gì?", "role": "bí thư chi bộ"}).json()
    assert r["kind"] == "passages" and "tính lãnh đạo, tính giáo dục" in quotes(r)


def test_a_range_of_months_is_one_window(api):
    ans = ask(api, "Từ tháng 4 đến hết tháng 6 năm 2025, kế hoạch 45 có mốc hoàn thành nào?")
    assert ans["kind"] == "obligations" and ans["question_kind"] == "timewindow"
    ends = [o["deadline"]["end"] for o in ans["obligations"]]
    assert {"2025-04-30", "2025-06-15"} <= set(ends) and all("2025-04-01" <= e <= "2025-06-30" for e in ends)


def test_a_locality_no_document_names_is_refused_not_answered_with_another(api):
    ans = ask(api, "Huyện ủy Đồng Lạc yêu cầu gửi báo cáo sơ kết 6 tháng trước ngày nào?")
    assert ans["kind"] == "none" and "Đồng Lạc" in ans["answer"] and ans["citations"] == []
    ans = ask(api, "Huyện ủy An Lạc yêu cầu các đảng ủy cơ sở gửi báo cáo sơ kết 6 tháng trước ngày nào?")
    assert ans["kind"] == "obligations" and "15/06/2025" in ans["reply"]


def test_of_two_duties_in_one_sentence_the_one_whose_verb_is_asked_gives_the_deadline(api):
    ans = ask(api, "Phòng Văn hóa và Thông tin huyện báo cáo Thường trực Huyện ủy tiến độ sửa chữa nhà văn hóa khi nào?")
    assert ans["kind"] == "obligations" and "15/08/2025" in ans["reply"] and "31/10/2025" not in ans["reply"]
    ans = ask(api, "Phòng Văn hóa và Thông tin huyện chỉ đạo hoàn thành sửa chữa nhà văn hóa các thôn khi nào?")
    assert "31/10/2025" in ans["reply"]


def test_a_role_qualified_by_its_parent_committee_keeps_its_own_level(api):
    kb, _ = api
    role = kb.role("bí thư một chi bộ cơ sở thuộc Đảng bộ tỉnh Hòa Phong")
    assert role is not None and "tỉnh" not in role.levels
    ans = ask(api, "Tôi là bí thư một chi bộ thuộc Huyện ủy An Lạc. Theo kế hoạch 45, chi bộ tôi phải làm những việc gì và hạn chót từng việc là khi nào?")
    assert ans["kind"] == "obligations" and ans["role_applied"]
    assert any((o["deadline"] or {}).get("end") == "2025-04-30" for o in ans["obligations"])


def test_a_duty_without_a_date_is_answered_with_the_time_its_sentence_states(api):
    ans = ask(api, "Các chi bộ tổ chức tọa đàm về văn hóa dân tộc Thái khi nào?")
    assert ans["kind"] == "obligations" and "khi có hướng dẫn của Ban Thường vụ Tỉnh ủy" in ans["reply"]
    assert not re.search(r"\d{1,2}/\d{1,2}/\d{4}", ans["reply"].split("Văn bản không nêu ngày")[-1])  # no date made up


def test_a_day_asked_of_a_duty_due_within_a_quarter_is_said_not_stated(api):
    ans = ask(api, "Ủy ban Kiểm tra Huyện ủy kiểm tra việc thực hiện Kế hoạch 45 vào ngày nào?")
    assert ans["kind"] == "none" and "không nêu ngày cụ thể" in ans["answer"] and "quý III/2025" in ans["answer"]
    # "by which day?" asks a deadline: the quarter answers it
    ans = ask(api, "Ủy ban Kiểm tra Huyện ủy phải kiểm tra việc thực hiện Kế hoạch 45 xong trước ngày nào?")
    assert ans["kind"] == "obligations" and "30/09/2025" in ans["reply"]
    # "from which day to which day?" asks the span itself
    ans = ask(api, "Ủy ban Kiểm tra Huyện ủy kiểm tra việc thực hiện Kế hoạch 45 từ ngày nào đến ngày nào?")
    assert ans["kind"] == "obligations" and "01/07/2025–30/09/2025" in ans["reply"]
