"""Invented documents more than one test module asks about (a fictional province, Sông Đà Thượng)."""

# A Quyết định and the Quy chế annexed to it, under its number.
DECISION = """TỈNH ỦY SÔNG ĐÀ THƯỢNG
*
Số 318-QĐ/TU

ĐẢNG CỘNG SẢN VIỆT NAM
Sông Đà Thượng, ngày 12 tháng 3 năm 2030

QUYẾT ĐỊNH
ban hành Quy chế tiếp xúc, đối thoại với Nhân dân của người đứng đầu cấp ủy

Điều 1. Ban hành kèm theo Quyết định này Quy chế tiếp xúc, đối thoại với Nhân dân của người đứng đầu cấp ủy các cấp.
Điều 2. Quyết định này có hiệu lực từ ngày 01/4/2030 và thay thế Quyết định số 97-QĐ/TU, ngày 05/6/2025 của Ban Thường vụ Tỉnh ủy.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ THƯỜNG TRỰC
Hoàng Minh Tuấn

QUY CHẾ
tiếp xúc, đối thoại với Nhân dân của người đứng đầu cấp ủy
(ban hành kèm theo Quyết định số 318-QĐ/TU, ngày 12/3/2030 của Ban Thường vụ Tỉnh ủy)

Chương I
NỘI DUNG
Điều 3. Số lần đối thoại
1. Bí thư đảng ủy xã đối thoại với Nhân dân ít nhất 02 lần mỗi năm, lần thứ nhất trước ngày 30 tháng 6 hằng năm.
2. Bí thư huyện ủy đối thoại với Nhân dân ít nhất 01 lần mỗi năm.
Điều 4. Ủy quyền
Bí thư cấp ủy được ủy quyền cho phó bí thư chủ trì đối thoại khi đi công tác, trừ buổi đối thoại lần thứ nhất trong năm.
"""
