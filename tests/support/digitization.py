"""Invented documents of one invented district (Sơn Hà, Bình Nguyên province) about digitising party
members' records — a directive with a duty table and a bulleted list, the plan its office issued to carry it
out, a regulation with its own article on entry into force, a commune's notice of a meeting closing in two
columns, a district report with a results table. Shared by the answer tests that need documents of
these shapes; nothing here is taken from a real or a development document."""
from __future__ import annotations

DIRECTIVE = """ĐẢNG BỘ TỈNH BÌNH NGUYÊN
HUYỆN ỦY SƠN HÀ
*
Số 14-CT/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Sơn Hà, ngày 10 tháng 3 năm 2026

CHỈ THỊ
về số hóa hồ sơ đảng viên

Căn cứ Kế hoạch số 40-KH/TU ngày 05/01/2026 của Ban Thường vụ Tỉnh ủy về chuyển đổi số trong công tác đảng,
Ban Thường vụ Huyện ủy yêu cầu các cấp ủy thực hiện tốt các nội dung sau:

I. NHIỆM VỤ
1. Nâng cao nhận thức
Cấp ủy các cấp coi số hóa hồ sơ đảng viên là nhiệm vụ thường xuyên. Việc tuyên truyền tập trung vào các nội dung:
- Mục đích của việc số hóa hồ sơ đảng viên;
- Cách tra cứu hồ sơ trên phần mềm quản lý đảng viên;
- Trách nhiệm bảo mật thông tin của cán bộ, đảng viên.
Các chi bộ tổ chức học tập Chỉ thị trong tháng 4/2026.
2. Kinh phí
Kinh phí số hóa do Văn phòng Huyện ủy quản lý, quyết toán các khoản chi theo quy định hiện hành của Nhà nước.
Kinh phí số hóa năm 2026 dùng cho ba khoản, gồm: máy quét tài liệu; phần mềm lưu trữ hồ sơ; bồi dưỡng cán bộ nhập liệu.
3. Văn phòng Huyện ủy xây dựng kế hoạch triển khai Chỉ thị, ban hành trước ngày 31/3/2026.

II. PHÂN CÔNG THỰC HIỆN
TT	Nội dung	Cơ quan chủ trì	Cơ quan phối hợp	Thời gian
1	Xây dựng quy trình số hóa hồ sơ	Văn phòng Huyện ủy	Ban Tổ chức Huyện ủy	Quý II/2026
2	Rà soát hồ sơ đảng viên các chi bộ	Ban Tổ chức Huyện ủy	Văn phòng Huyện ủy	Quý III/2026
3	Mua sắm máy quét tài liệu	Văn phòng Huyện ủy	Các đảng ủy cơ sở	Thường xuyên
4	Tuyên truyền về số hóa hồ sơ	Ban Tuyên giáo Huyện ủy	Huyện đoàn	Thường xuyên, mỗi quý một lần

T/M BAN THƯỜNG VỤ
BÍ THƯ
Hoàng Văn Lâm
"""

PLAN = """HUYỆN ỦY SƠN HÀ                                ĐẢNG CỘNG SẢN VIỆT NAM
   VĂN PHÒNG
      *
Số 08-KH/VPHU                            Sơn Hà, ngày 25 tháng 3 năm 2026

KẾ HOẠCH
triển khai thực hiện Chỉ thị số 14-CT/HU ngày 10/3/2026 của Ban Thường vụ Huyện ủy về số hóa hồ sơ đảng viên

1. Bộ phận Tổng hợp xây dựng quy trình số hóa hồ sơ, trình Chánh Văn phòng trước ngày 15/4/2026.
2. Tổng kinh phí dự kiến 300 triệu đồng từ ngân sách huyện, trong đó: năm 2026 là 200 triệu đồng (máy quét, tập huấn); năm 2027 là 100 triệu đồng (phần mềm lưu trữ).
3. Chỉ tiêu đến hết năm 2026
- Tỷ lệ hồ sơ đảng viên được số hóa đạt 60%.
4. Chỉ tiêu đến năm 2028
- Hồ sơ đảng viên được số hóa đạt 100%.

K/T CHÁNH VĂN PHÒNG
PHÓ CHÁNH VĂN PHÒNG
Đỗ Minh Quang
"""

RULE = """TỈNH ỦY BÌNH NGUYÊN
*
Số 05-QĐi/TU

ĐẢNG CỘNG SẢN VIỆT NAM
Bình Nguyên, ngày 02 tháng 02 năm 2026

QUY ĐỊNH
về lưu trữ hồ sơ đảng viên điện tử

Điều 1. Phạm vi điều chỉnh
Quy định này quy định việc lưu trữ hồ sơ đảng viên điện tử trong Đảng bộ tỉnh Bình Nguyên, gồm: hồ sơ kết nạp đảng viên; hồ sơ chuyển sinh hoạt đảng; hồ sơ khen thưởng, kỷ luật đảng viên.
Điều 2. Thu hồi tài khoản và đối chiếu hồ sơ
1. Trong thời hạn 05 ngày làm việc kể từ ngày quyết định nghỉ hưu có hiệu lực, văn phòng cấp ủy thu hồi tài khoản của cán bộ.
2. Hằng quý, văn phòng cấp ủy cấp huyện đối chiếu hồ sơ đảng viên điện tử với hồ sơ giấy, đề nghị điều chỉnh những sai lệch của hồ sơ phát hiện được.
Điều 3. Sao lưu
1. Bản sao lưu được lưu giữ tách biệt trong thời gian không dưới 24 tháng.
2. Văn phòng Tỉnh ủy sao lưu dữ liệu hằng tháng vào ngày làm việc cuối cùng của tháng.
Điều 4. Hiệu lực thi hành
Quy định này có hiệu lực thi hành kể từ ngày 01/4/2026.

Nơi nhận:
- Các huyện ủy,
- Lưu Văn phòng Tỉnh ủy.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Hoàng Văn Lâm
"""

NOTICE = """ĐẢNG BỘ HUYỆN SƠN HÀ                           ĐẢNG CỘNG SẢN VIỆT NAM
ĐẢNG ỦY XÃ TÂN LẬP
        *
Số 31-TB/ĐU                               Tân Lập, ngày 20 tháng 4 năm 2026

THÔNG BÁO
kết luận của Ban Thường vụ Đảng ủy xã về số hóa hồ sơ đảng viên

Ngày 18/4/2026, Ban Thường vụ Đảng ủy xã họp nghe báo cáo tiến độ số hóa hồ sơ đảng viên. Hội nghị do đồng chí Lê Văn Bình, Bí thư Đảng ủy xã chủ trì.
1. Đảng bộ xã có 9 chi bộ trực thuộc với 215 đảng viên. Đến ngày 15/4/2026 có 120 đảng viên đã được số hóa hồ sơ, đạt 55,8%.
2. Văn phòng Đảng ủy thành lập tổ nhập liệu trước ngày 30/4, mỗi tổ có ít nhất 02 cán bộ.
3. Về nhiệm vụ trọng tâm thời gian tới
3.1. Hoàn thành số hóa hồ sơ của 95 đảng viên còn lại trước ngày 30/6.
3.2. Rà soát hồ sơ của đảng viên chuyển sinh hoạt đến trong tháng 5.
3.3. Báo cáo kết quả về Văn phòng Huyện ủy trước ngày 05/7.

Nơi nhận:
- Thường trực Huyện ủy,
- Văn phòng Huyện ủy,          (để báo cáo)
- Các chi bộ trực thuộc,
- Lưu Văn phòng Đảng ủy.

                                              T/M BAN THƯỜNG VỤ
                                           PHÓ BÍ THƯ THƯỜNG TRỰC

                                              Trần Thị Mai
"""

REPORT = """HUYỆN ỦY SƠN HÀ
*
Số 22-BC/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Sơn Hà, ngày 05 tháng 10 năm 2026

BÁO CÁO
sơ kết số hóa hồ sơ đảng viên

I. KẾT QUẢ
TT	Chỉ tiêu	Kế hoạch	Kết quả	Tỷ lệ (%)
1	Cán bộ, công chức cấp xã được tập huấn số hóa	180	171	95,0
2	Chi bộ hoàn thành số hóa hồ sơ	64	52	81,3

T/M BAN THƯỜNG VỤ
BÍ THƯ
Hoàng Văn Lâm
"""

DOCS = {"14-CT-HU.txt": DIRECTIVE, "08-KH-VPHU.txt": PLAN, "05-QDi-TU.txt": RULE, "31-TB-DU.txt": NOTICE,
        "22-BC-HU.txt": REPORT}
