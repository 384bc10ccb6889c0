"""Builds eval/corpus-heldout/145-QD-TU-2026-quy-che-phan-anh.docx (invented held-out document)."""
from pathlib import Path
import docx
from docx.shared import Pt
from docx.enum.text import WD_ALIGN_PARAGRAPH

OUT = Path(__file__).resolve().parents[1] / "corpus-heldout" / "145-QD-TU-2026-quy-che-phan-anh.docx"

BODY = """QUYẾT ĐỊNH
về việc ban hành Quy chế tiếp nhận, xử lý phản ánh, kiến nghị của cán bộ, đảng viên và nhân dân gửi đến các cơ quan đảng của tỉnh qua môi trường số
-----
- Căn cứ Điều lệ Đảng;
- Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh khóa XVIII, nhiệm kỳ 2025 - 2030;
- Căn cứ Nghị quyết số 09-NQ/TU, ngày 15/7/2026 của Ban Chấp hành Đảng bộ tỉnh về đẩy mạnh chuyển đổi số trong hoạt động của hệ thống chính trị và phát triển nông nghiệp số giai đoạn 2026 - 2030;
- Xét đề nghị của Văn phòng Tỉnh ủy,
BAN THƯỜNG VỤ TỈNH ỦY QUYẾT ĐỊNH
Điều 1. Ban hành kèm theo Quyết định này Quy chế tiếp nhận, xử lý phản ánh, kiến nghị của cán bộ, đảng viên và nhân dân gửi đến các cơ quan đảng của tỉnh qua môi trường số.
Điều 2. Quyết định này có hiệu lực thi hành từ ngày 01/10/2026 và thay thế Quyết định số 87-QĐ/TU, ngày 12/3/2022 của Ban Thường vụ Tỉnh ủy về tiếp nhận thư điện tử gửi đến các cơ quan đảng của tỉnh.
Điều 3. Văn phòng Tỉnh ủy chủ trì, phối hợp với các cơ quan liên quan hướng dẫn, theo dõi việc thực hiện Quy chế; hằng năm báo cáo Ban Thường vụ Tỉnh ủy.
Điều 4. Các ban đảng, Ủy ban Kiểm tra Tỉnh ủy, Văn phòng Tỉnh ủy, các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy và các cơ quan, tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.
Nơi nhận:
- Văn phòng Trung ương Đảng (để báo cáo),
- Các đồng chí Tỉnh ủy viên,
- Các ban đảng, Ủy ban Kiểm tra, Văn phòng Tỉnh ủy,
- Các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy,
- Cổng Thông tin điện tử tỉnh,
- Lưu Văn phòng Tỉnh ủy.
T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ THƯỜNG TRỰC
(Đã ký)
Nông Thị Bích Hạnh
=====
QUY CHẾ
tiếp nhận, xử lý phản ánh, kiến nghị của cán bộ, đảng viên và nhân dân gửi đến các cơ quan đảng của tỉnh qua môi trường số
(ban hành kèm theo Quyết định số 145-QĐ/TU, ngày 05/9/2026 của Ban Thường vụ Tỉnh ủy)
Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng
1. Quy chế này quy định việc tiếp nhận, phân loại, xử lý, trả lời phản ánh, kiến nghị gửi đến các cơ quan đảng của tỉnh qua môi trường số.
2. Quy chế áp dụng đối với các ban đảng, Ủy ban Kiểm tra, Văn phòng Tỉnh ủy; các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy và cán bộ, đảng viên, tổ chức, công dân gửi phản ánh, kiến nghị.
3. Quy chế này không áp dụng đối với đơn tố cáo đảng viên, tổ chức đảng; việc giải quyết tố cáo thực hiện theo quy định của Ban Chấp hành Trung ương về công tác kiểm tra, giám sát và kỷ luật của Đảng.
Điều 2. Giải thích từ ngữ
1. "Phản ánh, kiến nghị" là ý kiến của cán bộ, đảng viên và nhân dân về chủ trương, nghị quyết của Đảng bộ tỉnh, về việc thực hiện chức trách, nhiệm vụ của tổ chức đảng và của cán bộ, đảng viên.
2. "Môi trường số" gồm Cổng tiếp nhận phản ánh trên ứng dụng "Lâm Giang số", hộp thư điện tử công vụ của các cơ quan đảng và Hệ thống thông tin điều hành tác nghiệp của Đảng bộ tỉnh.
3. "Cơ quan tiếp nhận" là cơ quan đảng nhận được phản ánh, kiến nghị đầu tiên qua môi trường số.
Điều 3. Nguyên tắc tiếp nhận, xử lý
1. Mọi phản ánh, kiến nghị hợp lệ đều được tiếp nhận, cập nhật vào Hệ thống và xử lý kịp thời, đúng thẩm quyền.
2. Bảo đảm bí mật thông tin cá nhân của người phản ánh, kiến nghị; không tiết lộ họ tên, địa chỉ, bút tích hoặc thông tin khác làm lộ danh tính của người phản ánh.
3. Công khai, minh bạch kết quả xử lý, trừ nội dung thuộc bí mật nhà nước, bí mật của Đảng.
Chương II
TIẾP NHẬN VÀ PHÂN LOẠI
Điều 4. Kênh tiếp nhận
1. Phản ánh, kiến nghị được gửi qua một trong các kênh: Cổng tiếp nhận phản ánh trên ứng dụng "Lâm Giang số"; hộp thư điện tử phananh@lamgiang.dcs.vn; hộp thư điện tử công vụ của các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc.
2. Phản ánh, kiến nghị phải ghi rõ họ tên, số điện thoại hoặc địa chỉ liên hệ của người gửi và nội dung cụ thể.
3. Văn phòng Tỉnh ủy là đầu mối tiếp nhận chung đối với phản ánh, kiến nghị gửi đến các cơ quan đảng cấp tỉnh.
Điều 5. Phân loại và xử lý ban đầu
1. Trong 03 ngày làm việc kể từ ngày nhận được phản ánh, kiến nghị, cơ quan tiếp nhận phải phân loại và cập nhật vào Hệ thống.
2. Nội dung thuộc thẩm quyền thì thụ lý giải quyết; nội dung không thuộc thẩm quyền thì chuyển đến cơ quan có thẩm quyền trong 05 ngày làm việc và thông báo cho người gửi biết.
3. Phản ánh, kiến nghị có nội dung liên quan đến nhiều cơ quan thì Văn phòng Tỉnh ủy đề xuất Thường trực Tỉnh ủy giao một cơ quan chủ trì.
Điều 6. Các trường hợp không xem xét, xử lý
1. Phản ánh, kiến nghị không ghi họ tên hoặc mạo danh người khác.
2. Nội dung đã được cơ quan có thẩm quyền xem xét, trả lời đúng quy định mà người gửi tiếp tục gửi nhưng không có thông tin, tài liệu mới.
3. Nội dung mang tính xúc phạm, bịa đặt hoặc không rõ ràng, không cụ thể.
4. Trường hợp phản ánh không ghi họ tên nhưng có nội dung cụ thể, kèm tài liệu, chứng cứ rõ ràng về hành vi vi phạm thì cơ quan tiếp nhận vẫn báo cáo người đứng đầu xem xét, chỉ đạo kiểm tra, xác minh.
Chương III
GIẢI QUYẾT VÀ TRẢ LỜI
Điều 7. Thời hạn giải quyết
1. Thời hạn giải quyết phản ánh, kiến nghị không quá 15 ngày làm việc kể từ ngày thụ lý.
2. Đối với vụ việc phức tạp, thời hạn giải quyết có thể gia hạn một lần nhưng không quá 10 ngày làm việc; việc gia hạn phải được thông báo cho người gửi.
3. Phản ánh, kiến nghị liên quan đến thiên tai, dịch bệnh hoặc an ninh, trật tự phải được báo cáo ngay với người đứng đầu và giải quyết trong 48 giờ.
Điều 8. Trả lời và công khai kết quả
1. Kết quả giải quyết được trả lời bằng văn bản điện tử qua kênh mà người gửi đã sử dụng, chậm nhất 02 ngày làm việc sau khi có kết quả.
2. Kết quả giải quyết các phản ánh, kiến nghị có nhiều người quan tâm được công khai trên ứng dụng "Lâm Giang số" trong thời hạn 30 ngày.
Điều 8a. Lưu trữ hồ sơ
Hồ sơ xử lý phản ánh, kiến nghị được lưu trữ điện tử trên Hệ thống trong thời hạn tối thiểu 05 năm kể từ ngày kết thúc việc giải quyết.
Chương IV
TRÁCH NHIỆM CỦA CÁC CƠ QUAN, ĐƠN VỊ
Điều 9. Trách nhiệm của Văn phòng Tỉnh ủy
1. Quản lý, vận hành Cổng tiếp nhận phản ánh; bảo đảm an toàn, an ninh thông tin.
2. Theo dõi, đôn đốc việc giải quyết; cảnh báo trên Hệ thống đối với phản ánh, kiến nghị sắp hết hạn hoặc quá hạn.
3. Tổng hợp, báo cáo định kỳ hằng quý, trước ngày 20 của tháng cuối quý, và báo cáo năm trước ngày 15/12.
Điều 10. Trách nhiệm của các ban đảng, Ủy ban Kiểm tra Tỉnh ủy
1. Giải quyết phản ánh, kiến nghị thuộc lĩnh vực được giao; cử 01 công chức làm đầu mối xử lý trên Hệ thống.
2. Ủy ban Kiểm tra Tỉnh ủy tiếp nhận các phản ánh có dấu hiệu vi phạm của đảng viên do Văn phòng Tỉnh ủy chuyển đến để xem xét theo thẩm quyền.
Điều 11. Trách nhiệm của các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy
1. Bố trí cán bộ tiếp nhận, xử lý phản ánh, kiến nghị qua môi trường số tại cơ quan mình.
2. Gửi báo cáo kết quả tiếp nhận, xử lý về Văn phòng Tỉnh ủy hằng quý, trước ngày 15 của tháng cuối quý.
Chương V
TỔ CHỨC THỰC HIỆN
Điều 12. Khen thưởng và xử lý vi phạm
1. Cơ quan, cá nhân thực hiện tốt Quy chế được xem xét khen thưởng trong dịp tổng kết năm.
2. Cơ quan, cá nhân để phản ánh, kiến nghị quá hạn giải quyết từ 03 lần trở lên trong năm thì không được xem xét xếp loại "Hoàn thành xuất sắc nhiệm vụ" năm đó.
3. Cán bộ, đảng viên làm lộ thông tin của người phản ánh thì bị xem xét, xử lý theo quy định của Đảng và pháp luật.
Điều 13. Sửa đổi, bổ sung
Trong quá trình thực hiện, nếu có vướng mắc, các cơ quan, đơn vị phản ánh về Văn phòng Tỉnh ủy để tổng hợp, báo cáo Ban Thường vụ Tỉnh ủy xem xét, sửa đổi, bổ sung.
T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ THƯỜNG TRỰC
(Đã ký)
Nông Thị Bích Hạnh"""

def main() -> None:
    d = docx.Document()
    st = d.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(13)
    t = d.add_table(rows=1, cols=2)
    left, right = t.rows[0].cells
    left.text = "TỈNH ỦY LÂM GIANG"
    left.add_paragraph("*")
    left.add_paragraph("Số 145-QĐ/TU")
    right.text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    right.add_paragraph("Lâm Giang, ngày 05 tháng 9 năm 2026")
    for cell in (left, right):
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in BODY.split("\n"):
        if line == "=====":
            d.add_page_break()
            continue
        p = d.add_paragraph(line)
        if line.isupper() or line.startswith(("Chương", "Điều", "QUY", "T/M", "PHÓ")):
            for r in p.runs:
                r.bold = True
        if line.isupper() or line.startswith(("Chương", "(ban hành", "về việc", "tiếp nhận, xử lý phản")):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.core_properties.title = "Quyết định 145-QĐ/TU (văn bản hư cấu, bộ đánh giá held-out)"
    d.save(OUT)
    print(OUT)

if __name__ == "__main__":
    main()
