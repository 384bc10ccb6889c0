"""Synthetic Party documents in the style of the shipped corpus, for benchmarks.

Deterministic (seeded `random.Random`): the same `(n_docs, seed)` always yields the same documents.
Mostly Kế hoạch of Tỉnh ủy / Huyện ủy (issuer, "ĐẢNG CỘNG SẢN VIỆT NAM", "Số N-KH/TU", place and
date, type line, subject; Roman parts, numbered items and sub-items, bullets, tasks with deadlines,
references to central documents, an occasional footnote split across a page break, "Nơi nhận:" and
the signature), plus some Quy định with Chương / Điều / khoản / điểm. A few are written as `.md`
with YAML front matter. Sentences are assembled from phrase banks (bodies, actions, topics,
audiences, purposes, deadlines), so the vocabulary and its frequencies look like real documents.

    python -m eval.synth OUT_DIR [-n 2000] [--seed 7]

`generate()` returns `RawDocument`s exactly as `ingest.readers` reads the written files.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ingest.normalize import fold
from ingest.readers import RawDocument, read_bytes

__all__ = ["generate", "render", "write", "PROVINCES", "SynthDoc"]

# --------------------------------------------------------------------------------------------
# Phrase banks
# --------------------------------------------------------------------------------------------

# Province → districts (names as written before the 2025 reorganisation).
PROVINCES: dict[str, list[str]] = {
    "Lai Châu": ["Tam Đường", "Phong Thổ", "Sìn Hồ", "Than Uyên", "Tân Uyên", "Nậm Nhùn", "Mường Tè"],
    "Điện Biên": ["Mường Nhé", "Tủa Chùa", "Tuần Giáo", "Mường Ảng", "Điện Biên Đông"],
    "Lào Cai": ["Bát Xát", "Bảo Thắng", "Bảo Yên", "Văn Bàn", "Si Ma Cai", "Mường Khương"],
    "Hà Giang": ["Đồng Văn", "Mèo Vạc", "Yên Minh", "Quản Bạ", "Vị Xuyên", "Bắc Quang"],
    "Cao Bằng": ["Bảo Lạc", "Hà Quảng", "Trùng Khánh", "Hạ Lang", "Quảng Hòa"],
    "Lạng Sơn": ["Cao Lộc", "Văn Lãng", "Tràng Định", "Bình Gia", "Hữu Lũng"],
    "Sơn La": ["Mộc Châu", "Yên Châu", "Mai Sơn", "Sông Mã", "Thuận Châu", "Quỳnh Nhai"],
    "Yên Bái": ["Lục Yên", "Văn Yên", "Mù Cang Chải", "Trạm Tấu", "Yên Bình"],
    "Tuyên Quang": ["Na Hang", "Lâm Bình", "Chiêm Hóa", "Hàm Yên", "Sơn Dương"],
    "Thái Nguyên": ["Đại Từ", "Định Hóa", "Phú Lương", "Võ Nhai", "Đồng Hỷ"],
    "Phú Thọ": ["Thanh Sơn", "Tân Sơn", "Cẩm Khê", "Hạ Hòa", "Lâm Thao"],
    "Bắc Giang": ["Lục Ngạn", "Sơn Động", "Yên Thế", "Lạng Giang", "Hiệp Hòa"],
    "Quảng Ninh": ["Ba Chẽ", "Bình Liêu", "Tiên Yên", "Đầm Hà", "Hải Hà", "Vân Đồn"],
    "Hải Dương": ["Cẩm Giàng", "Gia Lộc", "Thanh Miện", "Ninh Giang", "Kim Thành"],
    "Hưng Yên": ["Văn Lâm", "Khoái Châu", "Ân Thi", "Phù Cừ", "Tiên Lữ"],
    "Thái Bình": ["Quỳnh Phụ", "Hưng Hà", "Đông Hưng", "Kiến Xương", "Tiền Hải"],
    "Nam Định": ["Giao Thủy", "Hải Hậu", "Nghĩa Hưng", "Xuân Trường", "Ý Yên"],
    "Ninh Bình": ["Gia Viễn", "Nho Quan", "Hoa Lư", "Yên Mô", "Kim Sơn"],
    "Thanh Hóa": ["Mường Lát", "Quan Hóa", "Bá Thước", "Ngọc Lặc", "Thọ Xuân", "Nga Sơn"],
    "Nghệ An": ["Kỳ Sơn", "Tương Dương", "Con Cuông", "Anh Sơn", "Nghi Lộc", "Diễn Châu"],
    "Hà Tĩnh": ["Hương Sơn", "Đức Thọ", "Can Lộc", "Thạch Hà", "Kỳ Anh"],
    "Quảng Bình": ["Minh Hóa", "Tuyên Hóa", "Bố Trạch", "Lệ Thủy"],
    "Quảng Trị": ["Hướng Hóa", "Đakrông", "Gio Linh", "Vĩnh Linh", "Triệu Phong"],
    "Thừa Thiên Huế": ["A Lưới", "Nam Đông", "Phú Lộc", "Phong Điền", "Quảng Điền"],
    "Quảng Nam": ["Nam Giang", "Tây Giang", "Đông Giang", "Phước Sơn", "Núi Thành"],
    "Quảng Ngãi": ["Sơn Hà", "Ba Tơ", "Minh Long", "Bình Sơn", "Mộ Đức"],
    "Bình Định": ["An Lão", "Hoài Ân", "Phù Cát", "Tây Sơn", "Vân Canh"],
    "Phú Yên": ["Đồng Xuân", "Sơn Hòa", "Sông Hinh", "Tuy An", "Phú Hòa"],
    "Khánh Hòa": ["Khánh Vĩnh", "Khánh Sơn", "Diên Khánh", "Vạn Ninh", "Cam Lâm"],
    "Ninh Thuận": ["Bác Ái", "Ninh Sơn", "Ninh Phước", "Thuận Nam", "Ninh Hải"],
    "Bình Thuận": ["Tuy Phong", "Bắc Bình", "Hàm Thuận Bắc", "Tánh Linh", "Đức Linh"],
    "Kon Tum": ["Đắk Glei", "Ngọc Hồi", "Kon Plông", "Sa Thầy", "Đắk Tô"],
    "Gia Lai": ["Kbang", "Mang Yang", "Chư Păh", "Ia Grai", "Krông Pa"],
    "Đắk Lắk": ["Ea Súp", "Krông Búk", "Ea Kar", "Buôn Đôn", "Krông Bông"],
    "Đắk Nông": ["Cư Jút", "Krông Nô", "Đắk Mil", "Đắk Song", "Tuy Đức"],
    "Lâm Đồng": ["Lạc Dương", "Đơn Dương", "Đức Trọng", "Di Linh", "Cát Tiên"],
    "Bình Phước": ["Bù Đăng", "Bù Đốp", "Lộc Ninh", "Hớn Quản", "Phú Riềng"],
    "Tây Ninh": ["Tân Biên", "Tân Châu", "Dương Minh Châu", "Bến Cầu"],
    "Đồng Nai": ["Tân Phú", "Định Quán", "Vĩnh Cửu", "Xuân Lộc", "Nhơn Trạch"],
    "Long An": ["Tân Hưng", "Vĩnh Hưng", "Mộc Hóa", "Đức Hòa", "Cần Giuộc"],
    "Tiền Giang": ["Cái Bè", "Cai Lậy", "Chợ Gạo", "Gò Công Đông", "Tân Phước"],
    "Bến Tre": ["Ba Tri", "Bình Đại", "Thạnh Phú", "Mỏ Cày Nam", "Giồng Trôm"],
    "Trà Vinh": ["Càng Long", "Cầu Kè", "Tiểu Cần", "Trà Cú", "Duyên Hải"],
    "Vĩnh Long": ["Long Hồ", "Mang Thít", "Vũng Liêm", "Tam Bình", "Trà Ôn"],
    "Đồng Tháp": ["Tân Hồng", "Hồng Ngự", "Tam Nông", "Thanh Bình", "Lấp Vò"],
    "An Giang": ["An Phú", "Tịnh Biên", "Tri Tôn", "Chợ Mới", "Thoại Sơn"],
    "Kiên Giang": ["Kiên Lương", "Hòn Đất", "Tân Hiệp", "Giồng Riềng", "U Minh Thượng"],
    "Hậu Giang": ["Phụng Hiệp", "Vị Thủy", "Long Mỹ", "Châu Thành A"],
    "Sóc Trăng": ["Kế Sách", "Mỹ Tú", "Cù Lao Dung", "Mỹ Xuyên", "Thạnh Trị"],
    "Bạc Liêu": ["Hồng Dân", "Phước Long", "Vĩnh Lợi", "Hòa Bình", "Đông Hải"],
    "Cà Mau": ["Thới Bình", "U Minh", "Trần Văn Thời", "Cái Nước", "Ngọc Hiển"],
}

# Central documents that local plans cite: (type, number, dd/mm/yyyy, issuer, subject).
CENTRAL_DOCS: list[tuple[str, str, str, str, str]] = [
    ("Chỉ thị", "05-CT/TW", "15/5/2016", "Bộ Chính trị",
     "đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
    ("Nghị quyết", "04-NQ/TW", "30/10/2016", "Ban Chấp hành Trung ương Đảng khóa XII",
     "tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị, đạo đức, lối sống"),
    ("Quy định", "55-QĐ/TW", "19/12/2016", "Bộ Chính trị",
     "một số việc cần làm ngay để tăng cường vai trò nêu gương của cán bộ, đảng viên"),
    ("Nghị quyết", "18-NQ/TW", "25/10/2017", "Ban Chấp hành Trung ương Đảng khóa XII",
     "một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả"),
    ("Quy định", "124-QĐ/TW", "02/02/2018", "Ban Bí thư",
     "giám sát của Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội và Nhân dân đối với việc tu dưỡng, "
     "rèn luyện đạo đức, lối sống của người đứng đầu, cán bộ chủ chốt và cán bộ, đảng viên"),
    ("Nghị quyết", "35-NQ/TW", "22/10/2018", "Bộ Chính trị",
     "tăng cường bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch trong tình hình mới"),
    ("Quy định", "08-QĐi/TW", "25/10/2018", "Ban Chấp hành Trung ương",
     "trách nhiệm nêu gương của cán bộ, đảng viên, trước hết là Ủy viên Bộ Chính trị, Ủy viên Ban Bí thư, "
     "Ủy viên Ban Chấp hành Trung ương"),
    ("Quy định", "11-QĐi/TW", "18/02/2019", "Bộ Chính trị",
     "trách nhiệm của người đứng đầu cấp ủy trong việc tiếp dân, đối thoại trực tiếp với dân và xử lý những phản ánh, "
     "kiến nghị của dân"),
    ("Chỉ thị", "28-CT/TW", "21/02/2019", "Ban Bí thư",
     "nâng cao chất lượng kết nạp đảng viên và rà soát, sàng lọc, đưa những đảng viên không đủ tư cách ra khỏi Đảng"),
    ("Kết luận", "01-KL/TW", "18/5/2021", "Bộ Chính trị",
     "tiếp tục thực hiện Chỉ thị số 05-CT/TW về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
    ("Chỉ thị", "04-CT/TW", "02/6/2021", "Ban Bí thư",
     "tăng cường sự lãnh đạo của Đảng đối với công tác thu hồi tài sản bị thất thoát, chiếm đoạt trong các vụ án hình sự "
     "về tham nhũng, kinh tế"),
    ("Quy định", "22-QĐ/TW", "28/7/2021", "Ban Chấp hành Trung ương", "công tác kiểm tra, giám sát và kỷ luật của Đảng"),
    ("Kết luận", "14-KL/TW", "22/9/2021", "Bộ Chính trị",
     "chủ trương khuyến khích và bảo vệ cán bộ năng động, sáng tạo vì lợi ích chung"),
    ("Kết luận", "21-KL/TW", "25/10/2021", "Ban Chấp hành Trung ương Đảng khóa XIII",
     "đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị; kiên quyết ngăn chặn, đẩy lùi, xử lý nghiêm cán bộ, "
     "đảng viên suy thoái về tư tưởng chính trị, đạo đức, lối sống"),
    ("Quy định", "37-QĐ/TW", "25/10/2021", "Ban Chấp hành Trung ương", "những điều đảng viên không được làm"),
    ("Quy định", "69-QĐ/TW", "06/7/2022", "Bộ Chính trị", "kỷ luật tổ chức đảng, đảng viên vi phạm"),
    ("Hướng dẫn", "121-HD/BTGTW", "06/11/2023", "Ban Tuyên giáo Trung ương",
     "thực hiện công tác lý luận chính trị năm 2024"),
    ("Quy định", "144-QĐ/TW", "09/5/2024", "Bộ Chính trị",
     "chuẩn mực đạo đức cách mạng của cán bộ, đảng viên trong giai đoạn mới"),
    ("Chỉ thị", "35-CT/TW", "14/6/2024", "Bộ Chính trị",
     "đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng"),
    ("Nghị quyết", "57-NQ/TW", "22/12/2024", "Bộ Chính trị",
     "đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"),
    ("Kết luận", "123-KL/TW", "24/01/2025", "Ban Chấp hành Trung ương Đảng",
     "Đề án bổ sung về phát triển kinh tế năm 2025 với mục tiêu tăng trưởng đạt 8% trở lên"),
]

TOPICS = [
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "công tác kiểm tra, giám sát và thi hành kỷ luật đảng",
    "phòng, chống tham nhũng, lãng phí, tiêu cực",
    "xây dựng tổ chức cơ sở đảng trong sạch, vững mạnh",
    "phát triển đảng viên ở thôn, bản, tổ dân phố",
    "bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch",
    "chuyển đổi số trong các cơ quan đảng",
    "cải cách hành chính và nâng cao chỉ số năng lực cạnh tranh",
    "xây dựng nông thôn mới nâng cao, nông thôn mới kiểu mẫu",
    "giảm nghèo bền vững vùng đồng bào dân tộc thiểu số",
    "bảo vệ môi trường và ứng phó với biến đổi khí hậu",
    "công tác dân vận của hệ thống chính trị",
    "công tác cán bộ và bảo vệ chính trị nội bộ",
    "nâng cao chất lượng sinh hoạt chi bộ",
    "sắp xếp tổ chức bộ máy tinh gọn, hoạt động hiệu lực, hiệu quả",
    "tổ chức đại hội đảng bộ các cấp nhiệm kỳ 2025 - 2030",
    "công tác giáo dục lý luận chính trị",
    "giáo dục truyền thống cách mạng cho thế hệ trẻ",
    "thực hiện dân chủ ở cơ sở",
    "phát triển khoa học, công nghệ và đổi mới sáng tạo",
    "củng cố quốc phòng, an ninh và xây dựng thế trận lòng dân",
    "xây dựng và phát triển văn hóa, con người",
    "công tác thông tin đối ngoại",
    "phòng, chống tội phạm và tệ nạn ma túy",
    "quản lý, sử dụng đất đai và tài nguyên khoáng sản",
    "phát triển kinh tế tập thể, hợp tác xã",
    "chăm sóc sức khỏe nhân dân và phòng, chống dịch bệnh",
    "thực hành tiết kiệm, chống lãng phí",
    "tiếp công dân, giải quyết khiếu nại, tố cáo",
    "đào tạo, bồi dưỡng cán bộ trẻ, cán bộ nữ, cán bộ người dân tộc thiểu số",
]

ACTIONS = [
    "quán triệt, triển khai thực hiện", "tổ chức tuyên truyền sâu rộng", "rà soát, bổ sung, hoàn thiện",
    "xây dựng kế hoạch cụ thể để thực hiện", "tăng cường kiểm tra, giám sát việc thực hiện",
    "lãnh đạo, chỉ đạo thực hiện nghiêm", "đánh giá, sơ kết việc thực hiện", "tổng kết, rút kinh nghiệm việc thực hiện",
    "đôn đốc, hướng dẫn việc thực hiện", "nghiên cứu, đề xuất giải pháp nâng cao hiệu quả",
    "cụ thể hóa và tổ chức thực hiện", "tập trung chỉ đạo thực hiện có hiệu quả",
    "kịp thời tháo gỡ khó khăn, vướng mắc trong", "theo dõi, nắm tình hình",
]

AUDIENCES = [
    "cán bộ, đảng viên", "đoàn viên, hội viên và nhân dân", "cán bộ chủ chốt các cấp",
    "người đứng đầu cấp ủy, cơ quan, đơn vị", "công chức, viên chức, người lao động",
    "đồng bào các dân tộc trên địa bàn", "học sinh, sinh viên", "cán bộ, đảng viên và quần chúng nhân dân",
]

PURPOSES = [
    "nhằm nâng cao nhận thức, trách nhiệm của {aud}",
    "bảo đảm thiết thực, hiệu quả, tránh hình thức",
    "phù hợp với điều kiện thực tiễn của {lv}",
    "tạo sự thống nhất cao trong nhận thức và hành động",
    "kịp thời phát hiện, chấn chỉnh những hạn chế, khuyết điểm",
    "góp phần thực hiện thắng lợi Nghị quyết Đại hội Đảng bộ {lv}",
    "gắn với thực hiện nhiệm vụ chính trị của từng cơ quan, đơn vị",
    "phát huy vai trò tiên phong, gương mẫu của {aud}",
    "không để xảy ra tình trạng chậm trễ, đùn đẩy trách nhiệm",
]

ITEM_TITLES = [
    "Tổ chức học tập, quán triệt", "Công tác tuyên truyền", "Xây dựng kế hoạch thực hiện",
    "Kiểm tra, giám sát việc thực hiện", "Sơ kết, tổng kết và thi đua, khen thưởng",
    "Nâng cao chất lượng sinh hoạt chi bộ", "Đẩy mạnh chuyển đổi số trong hoạt động của cơ quan đảng",
    "Công tác cán bộ", "Phát huy vai trò của Mặt trận Tổ quốc và các tổ chức chính trị - xã hội",
    "Bảo đảm kinh phí, điều kiện thực hiện", "Công tác nắm tình hình tư tưởng",
    "Đổi mới phương thức lãnh đạo của cấp ủy", "Thực hiện trách nhiệm nêu gương",
    "Xây dựng mô hình điểm, nhân rộng điển hình tiêu biểu", "Công tác phối hợp",
    "Giải quyết những vấn đề bức xúc, nổi cộm ở cơ sở", "Chế độ thông tin, báo cáo",
]

SUB_TITLES = [
    ("Kế hoạch tập thể", "Kế hoạch cá nhân"),
    ("Đối với cấp ủy, tổ chức đảng", "Đối với cán bộ, đảng viên"),
    ("Ở cấp {lv}", "Ở cơ sở"),
    ("Nội dung", "Hình thức", "Thời gian"),
    ("Đối tượng", "Tài liệu", "Báo cáo viên"),
]

OBJECTS = [
    "các nhiệm vụ, giải pháp đã đề ra", "các chủ trương, nghị quyết của Đảng", "chương trình hành động của {cap}",
    "nghị quyết đại hội đảng bộ các cấp", "các mục tiêu, chỉ tiêu của năm {year}", "quy chế làm việc của cấp ủy",
    "chuẩn mực đạo đức nghề nghiệp, đạo đức công vụ", "các kết luận sau kiểm tra, giám sát",
]

NEGATIVES = [
    "những nhận thức lệch lạc, thiếu gương mẫu, nói không đi đôi với làm",
    "các thông tin xấu độc, quan điểm sai trái của các thế lực thù địch",
    "biểu hiện quan liêu, xa dân, vô cảm trước khó khăn của nhân dân",
    "tình trạng né tránh, đùn đẩy, sợ trách nhiệm",
    "các vi phạm trong quản lý, sử dụng tài chính, tài sản công",
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
          "Giàng", "Lò", "Hà", "Lường", "Đinh", "Quàng", "Triệu", "Sùng"]
MIDDLE = ["Văn", "Thị", "Mạnh", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Hồng", "Ngọc", "Anh", "Tiến", "Công",
          "Bá", "Kim"]
GIVEN = ["Hà", "Hùng", "Dũng", "Tuấn", "Lan", "Hương", "Thắng", "Sơn", "Long", "Hải", "Bình", "Chiến", "Phong", "Nam",
         "Thủy", "Giang", "Tâm", "Khoa", "Lực", "Tú", "Duy", "Thành", "Vinh", "Trung", "Hiền", "Pao", "Chung"]

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


# --------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------


@dataclass
class SynthDoc:
    filename: str
    content: str  # the file as written (front matter included for .md)
    number: str
    issued: date
    place: str
    kind: str  # "plan" | "regulation"


@dataclass
class _Issuer:
    lines: list[str]  # header lines above "ĐẢNG CỘNG SẢN VIỆT NAM"
    place: str
    code: str  # "TU" | "HU"
    cap: str  # "Tỉnh ủy" | "Huyện ủy"
    lv: str  # "tỉnh" | "huyện"
    province: str
    district: str | None


def _d(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if day.day < 10 or day.month < 10 else f"{day.day}/{day.month}/{day.year}"


class _Gen:
    def __init__(self, rnd: random.Random):
        self.r = rnd
        self.used: set[tuple[str, date]] = {("222-KH/TU", date(2023, 12, 18))}

    # -- small pieces ---------------------------------------------------------------------------

    def pick(self, seq):
        return self.r.choice(seq)

    def name(self) -> str:
        return f"{self.pick(FAMILY)} {self.pick(MIDDLE)} {self.pick(GIVEN)}"

    def issuer(self) -> _Issuer:
        province = self.pick(list(PROVINCES))
        if self.r.random() < 0.55:
            return _Issuer([f"TỈNH ỦY {province.upper()}"], province, "TU", "Tỉnh ủy", "tỉnh", province, None)
        district = self.pick(PROVINCES[province])
        return _Issuer([f"ĐẢNG BỘ TỈNH {province.upper()}", f"HUYỆN ỦY {district.upper()}"], district, "HU",
                       "Huyện ủy", "huyện", province, district)

    def ref(self, before: date) -> tuple[str, str, str, str, str]:
        ok = [c for c in CENTRAL_DOCS if _parse_dmy(c[2]) < before]
        return self.pick(ok or CENTRAL_DOCS[:1])

    def cite(self, before: date, full: bool | None = None) -> str:
        typ, num, dmy, iss, subj = self.ref(before)
        full = self.r.random() < 0.5 if full is None else full
        if full:
            return f"{typ} số {num}, ngày {dmy} của {iss} về {subj}"
        return f"{typ} số {num} của {iss}"

    def local_cite(self, iss: _Issuer, before: date) -> str:
        day = before - timedelta(days=self.r.randint(60, 900))
        typ, code = self.pick([("Kế hoạch", "KH"), ("Nghị quyết", "NQ"), ("Chương trình", "CTr"), ("Chỉ thị", "CT")])
        return (f"{typ} số {self.r.randint(2, 320)}-{code}/{iss.code}, ngày {_d(day)} của Ban Thường vụ {iss.cap}"
                f" về {self.pick(TOPICS)}")

    def deadline(self, issued: date) -> str:
        y = issued.year + (1 if issued.month >= 10 else 0)
        r = self.r.random()
        if r < 0.35:
            day = issued + timedelta(days=self.r.randint(20, 330))
            return f"{self.pick(['hoàn thành', 'xong', 'báo cáo kết quả'])} trước ngày {_d(day)}"
        if r < 0.55:
            return f"hoàn thành trong Quý {self.pick(['I', 'II', 'III', 'IV'])}/{y}"
        if r < 0.7:
            return f"hoàn thành trong tháng {self.r.randint(1, 12):02d}/{y}"
        if r < 0.82:
            return "định kỳ 6 tháng, hằng năm báo cáo kết quả thực hiện"
        if r < 0.92:
            return f"báo cáo kết quả trước ngày {self.r.randint(5, 25)}/{self.r.choice([6, 11, 12])} hằng năm"
        return "thực hiện thường xuyên"

    def fill(self, s: str, iss: _Issuer, issued: date) -> str:
        return s.format(aud=self.pick(AUDIENCES), lv=iss.lv, cap=iss.cap, year=issued.year)

    def body(self, iss: _Issuer) -> str:
        cap, lv = iss.cap, iss.lv
        bank = [
            f"Ban Tuyên giáo {cap}", f"Ban Tổ chức {cap}", f"Ủy ban Kiểm tra {cap}", f"Ban Dân vận {cap}",
            f"Văn phòng {cap}", f"Ủy ban Mặt trận Tổ quốc {lv}", f"Đảng đoàn Hội đồng nhân dân {lv}",
            f"Ban cán sự đảng Ủy ban nhân dân {lv}" if lv == "tỉnh" else f"Đảng ủy Ủy ban nhân dân {lv}",
            f"Ban Thường vụ {'Tỉnh đoàn' if lv == 'tỉnh' else 'Huyện đoàn'}",
            "Sở Giáo dục và Đào tạo" if lv == "tỉnh" else "Phòng Giáo dục và Đào tạo",
            "Trường Chính trị tỉnh" if lv == "tỉnh" else "Trung tâm Chính trị huyện",
            f"Công an {lv}", f"Bộ Chỉ huy Quân sự {lv}" if lv == "tỉnh" else f"Ban Chỉ huy Quân sự {lv}",
        ]
        if lv == "tỉnh":
            bank += ["Ban Nội chính Tỉnh ủy", "Báo " + iss.province, "Đài Phát thanh và Truyền hình tỉnh",
                     "Sở Nội vụ", "Sở Thông tin và Truyền thông"]
        return self.pick(bank)

    def bodies(self, iss: _Issuer) -> str:
        if iss.lv == "tỉnh":
            return self.pick([
                "Các huyện ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy",
                "Các ban đảng, ban cán sự đảng, đảng đoàn, đảng ủy trực thuộc",
                "Các cấp ủy, tổ chức đảng, cơ quan, đơn vị",
                "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội tỉnh",
                "Các sở, ban, ngành, đoàn thể tỉnh",
            ])
        return self.pick([
            "Các chi bộ, đảng bộ cơ sở", "Đảng ủy các xã, thị trấn", "Các cấp ủy, tổ chức đảng, cơ quan, đơn vị",
            "Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội huyện", "Các cơ quan chuyên môn thuộc Ủy ban nhân dân huyện",
        ])

    def sentence(self, iss: _Issuer, issued: date, topic: str) -> str:
        r = self.r
        aud = self.pick(AUDIENCES)
        purpose = self.fill(self.pick(PURPOSES), iss, issued)
        obj = self.fill(self.pick(OBJECTS), iss, issued)
        k = r.randrange(16)
        if k == 0:
            lead = self.body(iss)
            other = self.body(iss)
            while other == lead:
                other = self.body(iss)
            s = f"{lead} chủ trì, phối hợp với {other} {self.pick(ACTIONS)} {topic}; {self.deadline(issued)}"
        elif k == 1:
            s = f"{self.bodies(iss)} {self.pick(ACTIONS)} {obj} đến {aud}, {purpose}"
        elif k == 2:
            s = f"Các cấp ủy, tổ chức đảng {self.pick(ACTIONS)} {topic} gắn với {self.pick(TOPICS)}, {purpose}"
        elif k == 3:
            s = (f"Giao {self.body(iss)} theo dõi, đôn đốc, tổng hợp kết quả thực hiện, báo cáo Ban Thường vụ "
                 f"{iss.cap}; {self.deadline(issued)}")
        elif k == 4:
            s = f"Tiếp tục {self.pick(ACTIONS)} {self.cite(issued, full=False)} gắn với {topic}"
        elif k == 5:
            s = (f"Tăng cường đấu tranh, phê phán {self.pick(NEGATIVES)}; biểu dương, nhân rộng gương người tốt, "
                 f"việc tốt, tập thể, cá nhân điển hình, tiêu biểu trong {topic}")
        elif k == 6:
            s = (f"Người đứng đầu cấp ủy, cơ quan, đơn vị chịu trách nhiệm trước Ban Thường vụ {iss.cap} về kết quả "
                 f"{topic} tại cơ quan, đơn vị mình")
        elif k == 7:
            s = (f"Đổi mới nội dung, hình thức {self.pick(['tuyên truyền', 'sinh hoạt', 'học tập', 'kiểm tra'])}, "
                 f"ứng dụng công nghệ thông tin và các nền tảng mạng xã hội để {self.pick(ACTIONS)} {topic}")
        elif k == 8:
            s = (f"Kế hoạch phải được thông qua trước tập thể lãnh đạo hoặc toàn thể cơ quan, đơn vị; đồng thời gửi "
                 f"lên cấp ủy cấp trên trực tiếp để theo dõi, đánh giá. Hoàn thành xây dựng kế hoạch "
                 f"trước ngày {_d(issued + timedelta(days=r.randint(15, 60)))}")
        elif k == 9:
            s = (f"{self.bodies(iss)} tổ chức hội nghị sơ kết, đánh giá kết quả {topic}, kết hợp biểu dương, khen "
                 f"thưởng những tập thể, cá nhân tiêu biểu, {self.deadline(issued)}")
        elif k == 10:
            s = (f"Các chi bộ đưa nội dung {topic} vào sinh hoạt thường kỳ, sinh hoạt chuyên đề; mỗi đảng viên "
                 f"đăng ký ít nhất {self.pick(['01', '02', 'một', 'hai'])} việc làm cụ thể để thực hiện trong năm {issued.year + (issued.month >= 10)}")
        elif k == 11:
            s = (f"Thực hiện nghiêm {self.cite(issued, full=True)}; kịp thời phát hiện, xử lý nghiêm tổ chức đảng, "
                 f"đảng viên vi phạm")
        elif k == 12:
            s = (f"{self.body(iss)} tham mưu Ban Thường vụ {iss.cap} {self.pick(ACTIONS)} {topic}, {purpose}")
        elif k == 13:
            s = (f"Phấn đấu đến hết năm {issued.year + r.randint(1, 3)}, {r.randint(70, 100)}% {self.pick(['chi bộ', 'tổ chức cơ sở đảng', 'cơ quan, đơn vị', 'xã, thị trấn'])} "
                 f"{self.pick(['hoàn thành tốt nhiệm vụ', 'tổ chức sinh hoạt chuyên đề ít nhất 01 lần/quý', 'ứng dụng phần mềm quản lý văn bản', 'có mô hình điểm'])}")
        elif k == 14:
            s = (f"Bố trí kinh phí thực hiện từ nguồn ngân sách {iss.lv} và các nguồn hợp pháp khác; "
                 f"{self.body(iss)} hướng dẫn việc lập dự toán, thanh quyết toán theo quy định")
        else:
            s = (f"Mặt trận Tổ quốc và các tổ chức chính trị - xã hội phát huy vai trò giám sát đối với việc "
                 f"{topic} của {aud}")
        s = s[0].upper() + s[1:]
        return s + "."

    def paragraph(self, iss: _Issuer, issued: date, topic: str, n: int | None = None) -> str:
        n = n or self.r.choices((1, 2, 3), (50, 38, 12))[0]
        return " ".join(self.sentence(iss, issued, topic) for _ in range(n))

    # -- plans ----------------------------------------------------------------------------------

    def number_date(self, code: str, suffix: str, lo: date, hi: date) -> tuple[str, date]:
        while True:
            day = lo + timedelta(days=self.r.randrange((hi - lo).days))
            num = f"{self.r.randint(1, 480)}-{code}/{suffix}"
            if (num, day) not in self.used:
                self.used.add((num, day))
                return num, day

    def header(self, iss: _Issuer, number: str, issued: date, type_line: str, subject: str) -> list[str]:
        out = ["", ""] if self.r.random() < 0.5 else []
        out += iss.lines
        if self.r.random() < 0.3:
            # Real headers often put a "*" under the issuer; the header parser does not accept it
            # yet (it ends the header there), so the synthetic documents use a rule line instead.
            out.append(self.pick(["-----", "-------", "---------------"]))
        out += ["", "ĐẢNG CỘNG SẢN VIỆT NAM", ""]
        sep = self.pick(["Số ", "Số: ", "Số: "])
        dateline = f"{iss.place}, ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}"
        if self.r.random() < 0.5:
            out += [f"{sep}{number}", "", dateline]
        else:
            out += [dateline, "", f"{sep}{number}"]
        out += ["", type_line, subject, ""]
        return out

    def closing(self, iss: _Issuer, extra_recipients: list[str]) -> list[str]:
        rec = ["Nơi nhận:"]
        above = "Ban Tuyên giáo Trung ương" if iss.lv == "tỉnh" else f"Ban Thường vụ Tỉnh ủy {iss.province}"
        rec.append(f"- {above},")
        rec.append(f"- Các đồng chí Ủy viên Ban Thường vụ {iss.cap},")
        rec += [f"- {x}," for x in extra_recipients]
        rec.append(f"- Lưu Văn phòng {iss.cap}.")
        sign = ["", "T/M BAN THƯỜNG VỤ", self.pick(["BÍ THƯ", "PHÓ BÍ THƯ", "PHÓ BÍ THƯ THƯỜNG TRỰC"]), "", "", "",
                self.name()]
        return [""] + rec + sign

    def plan(self, i: int) -> SynthDoc:
        r = self.r
        iss = self.issuer()
        number, issued = self.number_date("KH", iss.code, date(2019, 1, 1), date(2025, 12, 20))
        year = issued.year + (1 if issued.month >= 10 else 0)
        topic = self.pick(TOPICS)
        base = self.ref(issued)
        style = r.randrange(3)
        if style == 0:
            subject = f"thực hiện {base[0]} số {base[1]} của {base[3]} về {base[4]}" + (f" năm {year}" if r.random() < 0.5 else "")
        elif style == 1:
            subject = f"{self.pick(['tổ chức thực hiện', 'đẩy mạnh', 'nâng cao hiệu quả'])} {topic} năm {year}"
        else:
            subject = f"triển khai {topic} giai đoạn {year} - {year + r.choice([2, 4, 5])}"
        lines = self.header(iss, number, issued, "KẾ HOẠCH", subject)
        pre = f"Thực hiện {self.cite(issued, full=True)}"
        if r.random() < 0.6:
            pre += f", {self.local_cite(iss, issued)}"
        pre += f", Ban Thường vụ {iss.cap} ban hành Kế hoạch {subject} như sau:"
        lines += [pre, ""]

        footnote_left = 1 if r.random() < 0.35 else 0
        footnotes: list[str] = []
        sep = self.pick(["- ", ". "])
        parts = [("MỤC ĐÍCH, YÊU CẦU", "bullets"),
                 (self.pick(["NỘI DUNG", "NHIỆM VỤ, GIẢI PHÁP", "NHIỆM VỤ TRỌNG TÂM", "NỘI DUNG VÀ GIẢI PHÁP"]), "items"),
                 ("TỔ CHỨC THỰC HIỆN", "tasks")]
        if r.random() < 0.25:
            parts.insert(1, ("MỤC TIÊU", "bullets"))
        for pn, (ptitle, pkind) in enumerate(parts):
            lines += [f"{ROMAN[pn]}{sep}{ptitle}", ""]
            if pkind == "bullets":
                for _ in range(r.randint(2, 3)):
                    lines += ["- " + self.paragraph(iss, issued, topic), ""]
            elif pkind == "items":
                titles = r.sample(ITEM_TITLES, r.randint(3, 5))
                for n, t in enumerate(titles, 1):
                    lines += [f"{n}. {t}", ""]
                    if r.random() < 0.3:
                        subs = self.pick(SUB_TITLES)
                        for m, st in enumerate(subs, 1):
                            lines += [f"{n}.{m}. {st.format(lv=iss.lv)}", "", self.paragraph(iss, issued, topic), ""]
                        continue
                    for _ in range(r.choices((1, 2, 3), (40, 40, 20))[0]):
                        para = self.paragraph(iss, issued, topic)
                        if r.random() < 0.5:
                            para = "- " + para
                        if footnote_left and r.random() < 0.3:
                            fn_no = len(footnotes) + 1
                            para, note = self.footnote(para, fn_no, issued)
                            footnotes.append(note)
                            footnote_left -= 1
                            # the footnote sits at the foot of the page: split the paragraph there
                            cut = _lower_cut(para, r)
                            if cut:
                                lines += [para[:cut].rstrip(), "", note, "", para[cut:].lstrip(), ""]
                            else:
                                lines += [para, "", note, ""]
                            continue
                        if r.random() < 0.05:  # a page break inside a sentence, no footnote
                            cut = _lower_cut(para, r)
                            if cut:
                                lines += [para[:cut].rstrip(), "", "", "", para[cut:].lstrip(), ""]
                                continue
                        lines += [para, ""]
            else:
                for n in range(1, r.randint(3, 5) + 1):
                    lead = self.body(iss) if n > 1 or r.random() < 0.5 else self.bodies(iss)
                    task = f"{n}. {lead} {self.pick(ACTIONS)} Kế hoạch này. {self.sentence(iss, issued, topic)}"
                    if r.random() < 0.5:
                        task = task[:-1] + f" {self.pick(['Thời gian', 'Thời hạn'])}: {self.deadline(issued)}."
                    lines += [task, ""]
        extra = r.sample([
            "Các ban đảng, ban cán sự đảng, đảng đoàn", "Các huyện ủy, thành ủy, đảng ủy trực thuộc",
            "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội", "Các chi bộ, đảng bộ cơ sở",
            "Các cơ quan báo chí", "Trường Chính trị tỉnh",
        ], r.randint(1, 3))
        lines += self.closing(iss, extra)
        text = "\n".join(lines) + "\n"
        fname = f"{i:05d}-{number.replace('/', '-')}-{issued.year}-{_slug(iss.place)}"
        return self.finish(fname, text, number, issued, iss, "plan", "Kế hoạch", subject)

    def footnote(self, para: str, n: int, issued: date) -> tuple[str, str]:
        sup = str(n).translate(SUPERSCRIPT)
        words = para.split(" ")
        spots = [j for j, w in enumerate(words[:-3]) if w.isalpha() and w.islower() and j > 3]
        if not spots:
            return para, ""
        j = self.pick(spots)
        words[j] += sup
        typ, num, dmy, iss, subj = self.ref(issued)
        note = self.pick([
            f"({n}) {typ} số {num}, ngày {dmy} của {iss} về {subj}.",
            f"({n}) Trừ đảng viên được miễn sinh hoạt; đảng viên thuộc chi bộ thôn, bản, tổ dân phố không giữ chức vụ "
            f"bí thư, phó bí thư chi bộ.",
            f"({n}) Bao gồm: cán bộ chủ chốt cấp xã, người đứng đầu các cơ quan, đơn vị sự nghiệp và tương đương.",
        ])
        return " ".join(words), note

    # -- regulations ----------------------------------------------------------------------------

    def regulation(self, i: int) -> SynthDoc:
        r = self.r
        iss = self.issuer()
        number, issued = self.number_date("QĐ", iss.code, date(2019, 1, 1), date(2025, 12, 20))
        topic = self.pick(TOPICS)
        subject = f"về {topic}"
        lines = self.header(iss, number, issued, "QUY ĐỊNH", subject)
        lines += ["- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
                  f"- Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ {iss.lv} khóa {self.pick(['XX', 'XXI', 'XV', 'XVI', 'XXII'])}, "
                  f"nhiệm kỳ {2020 if issued.year < 2025 else 2025} - {2025 if issued.year < 2025 else 2030};",
                  f"- Căn cứ {self.cite(issued, full=True)},", "",
                  f"Ban Thường vụ {iss.cap} quy định {topic} như sau:", ""]
        chapters = [("QUY ĐỊNH CHUNG", ["Phạm vi điều chỉnh và đối tượng áp dụng", "Mục đích", "Nguyên tắc"]),
                    (f"NỘI DUNG {topic.split(',')[0].upper()}", r.sample([
                        "Nội dung chủ yếu", "Trách nhiệm của cấp ủy, tổ chức đảng", "Trách nhiệm của người đứng đầu",
                        "Trách nhiệm của cán bộ, đảng viên", "Phương thức thực hiện", "Chế độ thông tin, báo cáo",
                        "Quan hệ phối hợp", "Kiểm tra, giám sát"], r.randint(2, 5))),
                    ("TỔ CHỨC THỰC HIỆN", ["Khen thưởng và xử lý vi phạm", "Hiệu lực thi hành", "Tổ chức thực hiện"])]
        art = 0
        for cn, (ctitle, arts) in enumerate(chapters):
            lines += [f"Chương {ROMAN[cn]}", ctitle, ""]
            for atitle in arts:
                art += 1
                lines.append(f"Điều {art}. {atitle}")
                if atitle == "Hiệu lực thi hành":
                    lines += [f"Quy định này có hiệu lực kể từ ngày ký, thay thế các quy định trước đây của Ban Thường "
                              f"vụ {iss.cap} trái với Quy định này.", ""]
                    continue
                if atitle == "Phạm vi điều chỉnh và đối tượng áp dụng":
                    lines += [f"1. Quy định này quy định về {topic} trong Đảng bộ {iss.lv}.",
                              f"2. Quy định này áp dụng đối với các cấp ủy, tổ chức đảng, cơ quan, đơn vị và "
                              f"{self.pick(AUDIENCES)} thuộc Đảng bộ {iss.lv}.", ""]
                    continue
                if r.random() < 0.3:
                    lines += [self.paragraph(iss, issued, topic), ""]
                    continue
                for k in range(1, r.randint(2, 4) + 1):
                    lines.append(f"{k}. {self.paragraph(iss, issued, topic, r.randint(1, 2))}")
                    if r.random() < 0.25:
                        for pt in "abc"[: r.randint(2, 3)]:
                            lines.append(f"{pt}) {self.sentence(iss, issued, topic)[:-1]};")
                lines.append("")
        lines += self.closing(iss, ["Các ban đảng, ban cán sự đảng, đảng đoàn", "Các chi bộ, đảng bộ cơ sở"])
        text = "\n".join(lines) + "\n"
        fname = f"{i:05d}-{number.replace('/', '-')}-{issued.year}-{_slug(iss.place)}"
        return self.finish(fname, text, number, issued, iss, "regulation", "Quy định", subject)

    def finish(self, fname: str, text: str, number: str, issued: date, iss: _Issuer, kind: str,
               type_: str, subject: str) -> SynthDoc:
        if self.r.random() < 0.1:  # front matter, as the shipped .md documents carry it
            issuer = f"{iss.cap} {iss.place}"
            fm = (f"---\nnumber: {number}\ntype: {type_}\ntitle: {type_} {subject}\nissued: {issued.isoformat()}\n"
                  f"issuer: {issuer}\ncompleteness: full\n---\n")
            return SynthDoc(fname + ".md", fm + text.lstrip("\n"), number, issued, iss.place, kind)
        return SynthDoc(fname + ".txt", text, number, issued, iss.place, kind)


def _parse_dmy(s: str) -> date:
    d, m, y = (int(x) for x in s.split("/"))
    return date(y, m, d)


def _slug(s: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", fold(s).lower()) or "x"


def _lower_cut(para: str, r: random.Random) -> int | None:
    """A place to split a paragraph (a page break): before a lower-case word, mid-paragraph."""
    spots = [m.start() + 1 for m in re.finditer(r" (?=[a-zđà-ỹ])", para) if len(para) * 0.3 < m.start() < len(para) * 0.8]
    return r.choice(spots) if spots else None


# --------------------------------------------------------------------------------------------
# API
# --------------------------------------------------------------------------------------------


def render(n_docs: int, seed: int = 7, *, regulation_share: float = 0.15) -> list[SynthDoc]:
    """The files (name and content) of `n_docs` synthetic documents."""
    gen = _Gen(random.Random(seed))
    out = []
    for i in range(n_docs):
        out.append(gen.regulation(i) if gen.r.random() < regulation_share else gen.plan(i))
    return out


def generate(n_docs: int, seed: int = 7) -> list[RawDocument]:
    """`n_docs` synthetic documents, read as `ingest.readers` reads their files."""
    return [read_bytes(d.content.encode("utf-8"), d.filename) for d in render(n_docs, seed)]


def write(out_dir: str | Path, n_docs: int, seed: int = 7) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for d in render(n_docs, seed):
        p = out / d.filename
        p.write_text(d.content, encoding="utf-8")
        paths.append(p)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write synthetic Party documents (Kế hoạch, Quy định) to a folder.")
    ap.add_argument("out_dir")
    ap.add_argument("-n", "--docs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    paths = write(args.out_dir, args.docs, args.seed)
    chars = sum(len(p.read_text("utf-8")) for p in paths)
    print(f"{len(paths)} documents, {chars:,} characters → {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
