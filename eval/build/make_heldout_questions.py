"""Writes eval/questions/heldout.jsonl (held-out set H13). Questions are authored by hand below."""
import json
from pathlib import Path

CTR, QD, BC, HD = "27-CTr/HU", "145-QĐ/TU", "58-BC/ĐU", "14-HD/BTCTU"
OUT = Path(__file__).resolve().parents[1] / "questions" / "heldout.jsonl"

Q = [
# metadata 8
("metadata", "Ai ký Quyết định 145-QĐ/TU của Tỉnh ủy Lâm Giang, ký với chức danh gì?",
 ["Nông Thị Bích Hạnh", "PHÓ BÍ THƯ THƯỜNG TRỰC"], ["Nông Thị Bích Hạnh"], QD),
("metadata", "chuong trinh hanh dong 27 cua huyen uy dong khe ban hanh ngay nao",
 ["Đông Khê, ngày 18 tháng 8 năm 2026"], ["18 tháng 8 năm 2026"], CTR),
("metadata", "Hướng dẫn 14-HD/BTCTU do cơ quan nào ban hành, ai ký?",
 ["Ban Tổ chức Tỉnh ủy hướng dẫn một số nội dung như sau", "Triệu Quang Lâm"], ["Ban Tổ chức Tỉnh ủy", "Triệu Quang Lâm"], HD),
("metadata", "Báo cáo 58-BC/ĐU của Đảng ủy xã Phú Điền được gửi tới những nơi nào?",
 ["Ban Thường vụ Huyện ủy (để báo cáo)", "Lưu Văn phòng Đảng ủy"], ["Ban Thường vụ Huyện ủy", "Văn phòng Huyện ủy"], BC),
("metadata", "CTr 27-CTr/HU căn cứ vào những văn bản nào?",
 ["Căn cứ Kế hoạch số 112-KH/TU, ngày 30/7/2026", "Căn cứ Nghị quyết Đại hội đại biểu Đảng bộ huyện Đông Khê lần thứ XXI"], ["09-NQ/TU", "112-KH/TU", "XXI"], CTR),
("metadata", "qd 145 cua BTV tinh uy ky o dau, ngay nao",
 ["Lâm Giang, ngày 05 tháng 9 năm 2026"], ["Lâm Giang", "05 tháng 9 năm 2026"], QD),
("metadata", "Hướng dẫn kiểm điểm 14 của Ban Tổ chức TU ra ngày nào, căn cứ công văn nào của BTV Tỉnh ủy?",
 ["Lâm Giang, ngày 16 tháng 9 năm 2026", "Căn cứ Công văn số 1045-CV/TU, ngày 08/9/2026"], ["16 tháng 9 năm 2026", "1045-CV/TU"], HD),
("metadata", "bao cao 58 cua dang uy xa phu dien do ai ky",
 ["Đinh Công Khải"], ["Đinh Công Khải"], BC),
# section 8
("section", "Điều 6 của Quy chế ban hành kèm QĐ 145 quy định gì?",
 ["Các trường hợp không xem xét, xử lý", "Phản ánh, kiến nghị không ghi họ tên hoặc mạo danh người khác"], ["không ghi họ tên"], QD),
("section", "Phần II Chương trình hành động 27-CTr/HU đặt mục tiêu gì đến hết năm 2027?",
 ["Ít nhất 85% đảng viên cài đặt và sử dụng ứng dụng Sổ tay đảng viên điện tử", "Có ít nhất 30 hợp tác xã, tổ hợp tác nông nghiệp"], ["85%", "30 hợp tác xã"], CTR),
("section", "phu luc 1 huong dan 14-HD/BTCTU gom nhung tieu chi nao",
 ["KHUNG ĐIỂM TIÊU CHÍ CHUYỂN ĐỔI SỐ ĐỐI VỚI CHI BỘ", "Tỷ lệ đảng viên cài đặt và sử dụng Sổ tay đảng viên điện tử", "Có đảng viên tham gia Tổ công nghệ số cộng đồng"], ["Sổ tay đảng viên điện tử", "Tổ công nghệ số cộng đồng"], HD),
("section", "Mục III.2 của Báo cáo 58-BC/ĐU nói gì?",
 ["Chi bộ thôn Khe Mít và chi bộ thôn Nà Pồng kiện toàn, thành lập Tổ công nghệ số cộng đồng"], ["10/11/2026"], BC),
("section", "Điều 2 của Quyết định 145-QĐ/TU (không phải Điều 2 của Quy chế) quy định gì?",
 ["có hiệu lực thi hành từ ngày 01/10/2026", "thay thế Quyết định số 87-QĐ/TU, ngày 12/3/2022"], ["01/10/2026", "87-QĐ/TU"], QD),
("section", "dieu 8a quy che phan anh kien nghi noi ve cai gi",
 ["lưu trữ điện tử trên Hệ thống trong thời hạn tối thiểu 05 năm"], ["05 năm"], QD),
("section", "Phần IV điểm 3 CTr 27 giao Văn phòng Huyện ủy việc gì?",
 ["Văn phòng Huyện ủy chủ trì theo dõi, đôn đốc việc thực hiện"], ["trước ngày 15/6", "trước ngày 15/12"], CTR),
("section", "Phụ lục 2 của Hướng dẫn kiểm điểm năm 2026 là biểu mẫu gì?",
 ["BIỂU SỐ 01 - BÁO CÁO TIẾN ĐỘ KIỂM ĐIỂM", "(Biểu số 01 tại Phụ lục 2)"], ["Biểu số 01", "tiến độ"], HD),
# deadline 10
("deadline", "Chi bộ trực thuộc đảng ủy cơ sở phải xong kiểm điểm, xếp loại đảng viên năm 2026 trước ngày nào?",
 ["hoàn thành kiểm điểm, đánh giá, xếp loại đảng viên trước ngày 15/11/2026"], ["15/11/2026"], HD),
("deadline", "huyen uy gui bao cao tong hop xep loai to chuc co so dang ve ban to chuc tinh uy cham nhat ngay nao",
 ["chậm nhất ngày 30 tháng 12 năm 2026"], ["30/12/2026"], HD),
("deadline", "Hạn các chi bộ, đảng bộ trực thuộc gửi kế hoạch thực hiện CTr 27-CTr/HU về Huyện ủy là khi nào?",
 ["gửi về Huyện ủy (qua Văn phòng Huyện ủy) trước ngày 30/9/2026"], ["30/9/2026"], CTR),
("deadline", "Nhận được phản ánh qua app Lâm Giang số thì cơ quan tiếp nhận phải phân loại trong bao lâu?",
 ["Trong 03 ngày làm việc kể từ ngày nhận được phản ánh, kiến nghị"], ["03 ngày làm việc"], QD),
("deadline", "thoi han giai quyet phan anh kien nghi theo quy che 145 la bao lau, co duoc gia han khong",
 ["không quá 15 ngày làm việc kể từ ngày thụ lý", "gia hạn một lần nhưng không quá 10 ngày làm việc"], ["15 ngày làm việc", "10 ngày làm việc"], QD),
("deadline", "Xã Phú Điền phải gửi báo cáo kết quả năm 2026 lên Huyện ủy trước ngày nào?",
 ["báo cáo kết quả thực hiện năm 2026 gửi Huyện ủy trước ngày 05/12/2026"], ["05/12/2026"], BC),
("deadline", "Từ khi nào Huyện ủy Đông Khê thôi gửi văn bản giấy cho các tổ chức cơ sở đảng?",
 ["từ ngày 01/01/2027, không gửi văn bản giấy"], ["01/01/2027"], CTR),
("deadline", "BTV huyện ủy phải đăng ký thời gian kiểm điểm của mình với Ban Tổ chức Tỉnh ủy trước ngày nào?",
 ["đăng ký với Ban Tổ chức Tỉnh ủy trước ngày 20/10/2026"], ["20/10/2026"], HD),
("deadline", "Đề án bản đồ số vùng trồng quế, hồi, chè Shan tuyết phải xong khi nào và ai chủ trì?",
 ["Đề án bản đồ số vùng trồng quế, hồi, chè Shan tuyết"], ["Quý IV/2026", "UBND huyện"], CTR),
("deadline", "cac huyen uy gui bao cao ket qua xu ly phan anh kien nghi ve VPTU vao luc nao",
 ["hằng quý, trước ngày 15 của tháng cuối quý"], ["trước ngày 15 của tháng cuối quý"], QD),
# timewindow 7
("timewindow", "Trong quý IV/2026, theo bảng phân công của CTr 27-CTr/HU, những việc nào phải hoàn thành?",
 ["Rà soát, cập nhật danh sách đảng viên cài đặt Sổ tay đảng viên điện tử", "Thành lập Tổ công nghệ số cộng đồng ở 100% thôn, tổ dân phố", "Báo cáo kết quả thực hiện năm 2026"], ["31/10/2026", "15/11/2026", "15/12/2026"], CTR),
("timewindow", "thang 11/2026 xa phu dien co nhung viec gi den han",
 ["báo cáo Đảng ủy trước ngày 10/11/2026", "hoàn thành việc gửi, nhận văn bản qua Hệ thống trước ngày 30/11/2026"], ["10/11/2026", "30/11/2026"], BC),
("timewindow", "Trong tháng 10/2026, theo Hướng dẫn 14-HD/BTCTU, các huyện ủy phải làm những việc gì?",
 ["đăng ký với Ban Tổ chức Tỉnh ủy trước ngày 20/10/2026", "báo cáo tiến độ hằng tháng, trước ngày 25"], ["20/10/2026", "trước ngày 25"], HD),
("timewindow", "Từ giữa tháng 12/2026 đến hết năm, Đảng ủy xã Phú Điền còn việc gì phải hoàn thành?",
 ["Hoàn thành chỉ tiêu kết nạp 05 đảng viên mới còn lại trước ngày 20/12/2026", "lập hồ sơ cấp mã số vùng trồng cho 84 ha quế"], ["20/12/2026", "84 ha"], BC),
("timewindow", "Năm 2027 Huyện ủy Đông Khê có những việc gì theo bảng phân công trong CTr 27?",
 ["Số hóa hồ sơ đảng viên tại các tổ chức cơ sở đảng", "Sơ kết 01 năm thực hiện Chương trình hành động"], ["Quý II/2027", "Tháng 8/2027"], CTR),
("timewindow", "trong quy IV nam 2026 ai phai to chuc kiem diem theo HD 14",
 ["tổ chức kiểm điểm trong quý IV năm 2026"], ["diện Ban Thường vụ Tỉnh ủy quản lý"], HD),
("timewindow", "Trước khi hết tháng 9/2026 huyện Đông Khê phải làm xong những gì theo CTr 27-CTr/HU?",
 ["Hội nghị quán triệt Nghị quyết số 09-NQ/TU cho cán bộ chủ chốt", "gửi về Huyện ủy (qua Văn phòng Huyện ủy) trước ngày 30/9/2026"], ["quán triệt", "30/9/2026"], CTR),
# role 8
("role", "Tôi là bí thư chi bộ thôn Khe Mít, xã Phú Điền. Quý IV này chi bộ tôi phải làm những gì, hạn khi nào?",
 ["Chi bộ thôn Khe Mít và chi bộ thôn Nà Pồng kiện toàn, thành lập Tổ công nghệ số cộng đồng", "Chi bộ thôn Khe Mít, chi bộ thôn Nà Pồng và chi bộ thôn Đồng Me hoàn thành việc gửi, nhận văn bản qua Hệ thống"], ["10/11/2026", "30/11/2026"], BC),
("role", "toi la bi thu chi bo thon Dong Me, chi bo toi con viec gi chua xong, han bao gio",
 ["chi bộ thôn Đồng Me hoàn thành việc gửi, nhận văn bản qua Hệ thống trước ngày 30/11/2026"], ["30/11/2026"], BC),
("role", "Tôi là chánh văn phòng Tỉnh ủy, theo quy chế 145 chúng tôi phải báo cáo định kỳ thế nào?",
 ["Tổng hợp, báo cáo định kỳ hằng quý, trước ngày 20 của tháng cuối quý"], ["trước ngày 20 của tháng cuối quý", "15/12"], QD),
("role", "Tôi là đảng viên mới kết nạp tháng 8/2026, cuối năm nay tôi có phải kiểm điểm không, có được xếp loại không?",
 ["kiểm điểm nhưng không xếp loại chất lượng"], ["không xếp loại"], HD),
("role", "em là đảng viên trẻ ở chi bộ thôn, chương trình 27 của huyện ủy có giao gì cho đảng viên trẻ không ạ",
 ["Mỗi chi bộ thôn, tổ dân phố cử 01 đảng viên trẻ làm thành viên Tổ công nghệ số cộng đồng"], ["Tổ công nghệ số cộng đồng"], CTR),
("role", "Tôi là cán bộ UBKT Tỉnh ủy. Theo Quy chế tiếp nhận phản ánh, kiến nghị qua môi trường số thì cơ quan tôi nhận những phản ánh nào?",
 ["tiếp nhận các phản ánh có dấu hiệu vi phạm của đảng viên do Văn phòng Tỉnh ủy chuyển đến"], ["dấu hiệu vi phạm"], QD),
("role", "toi la bi thu dang uy xa, theo HD 14 dang uy xa phai danh gia xep loai chi bo truc thuoc truoc ngay nao",
 ["Đảng ủy cơ sở hoàn thành đánh giá, xếp loại chất lượng các chi bộ trực thuộc trước ngày 30/11/2026"], ["30/11/2026"], HD),
("role", "Tôi là chủ nhiệm Ủy ban Kiểm tra Huyện ủy Đông Khê, CTr 27 giao gì cho chúng tôi?",
 ["Ủy ban Kiểm tra Huyện ủy đưa nội dung thực hiện Chương trình hành động vào chương trình kiểm tra, giám sát năm 2027"], ["năm 2027"], CTR),
# list 7
("list", "Quy chế 145 cho phép gửi phản ánh, kiến nghị qua những kênh nào?",
 ["Cổng tiếp nhận phản ánh trên ứng dụng", "hộp thư điện tử phananh@lamgiang.dcs.vn"], ["Lâm Giang số", "phananh@lamgiang.dcs.vn"], QD),
("list", "cac muc xep loai chat luong to chuc dang, dang vien nam 2026 gom nhung muc nao",
 ["được xếp loại theo 04 mức"], ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Không hoàn thành nhiệm vụ"], HD),
("list", "Mục tiêu đến năm 2030 trong CTr 27-CTr/HU gồm những gì?",
 ["Tỷ trọng kinh tế số đạt tối thiểu 12%", "100% thôn, tổ dân phố có sóng di động 4G"], ["12%", "4G"], CTR),
("list", "Báo cáo 9 tháng của Đảng ủy xã Phú Điền tự nêu những hạn chế gì?",
 ["Kết nạp đảng viên mới và cấp mã số vùng trồng quế đạt thấp", "hạ tầng mạng ở các thôn vùng cao chưa ổn định"], ["kết nạp đảng viên", "Khe Mít"], BC),
("list", "Những chi bộ nào ở xã Phú Điền chưa gửi nhận văn bản qua Hệ thống?",
 ["Còn 03 chi bộ (chi bộ thôn Khe Mít, chi bộ thôn Nà Pồng, chi bộ thôn Đồng Me)"], ["Khe Mít", "Nà Pồng", "Đồng Me"], BC),
("list", "Theo hướng dẫn kiểm điểm năm 2026 của tỉnh Lâm Giang, đối tượng phải kiểm điểm gồm những ai",
 ["Tổ chức cơ sở đảng, chi bộ trực thuộc đảng ủy cơ sở và đảng viên trong Đảng bộ tỉnh"], ["cán bộ diện Ban Thường vụ Tỉnh ủy quản lý"], HD),
("list", "QĐ 145-QĐ/TU giao những cơ quan nào chịu trách nhiệm thi hành?",
 ["chịu trách nhiệm thi hành Quyết định này"], ["Văn phòng Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy"], QD),
# yesno 8
("yesno", "Đơn tố cáo đảng viên gửi qua app Lâm Giang số có được xử lý theo Quy chế 145 không?",
 ["Quy chế này không áp dụng đối với đơn tố cáo đảng viên, tổ chức đảng"], ["không áp dụng"], QD),
("yesno", "CTr 27 có bắt chi bộ tháng nào cũng phải sinh hoạt về chuyển đổi số không?",
 ["đưa nội dung chuyển đổi số vào sinh hoạt chi bộ thường kỳ ít nhất 01 lần mỗi quý"], ["mỗi quý"], CTR),
("yesno", "Tổ chức đảng xếp loại Hoàn thành nhiệm vụ năm 2026 có được xét khen thưởng không?",
 ["không xem xét khen thưởng đối với tổ chức đảng xếp loại"], ["không xem xét khen thưởng"], HD),
("yesno", "xa phu dien da dat chi tieu ket nap dang vien nam 2026 chua",
 ["kết nạp được 07 đảng viên mới"], ["07"], BC),
("yesno", "Tôi gửi phản ánh lên Tỉnh ủy qua mạng thì tên tuổi của tôi có được giữ kín không?",
 ["không tiết lộ họ tên, địa chỉ, bút tích"], ["không tiết lộ"], QD),
("yesno", "Quyết định 145 có thay thế quyết định nào trước đây không?",
 ["thay thế Quyết định số 87-QĐ/TU, ngày 12/3/2022"], ["87-QĐ/TU"], QD),
("yesno", "so to chuc dang xep loai HTXSNV co duoc vuot qua 20% khong",
 ["không vượt quá 20% số được xếp loại"], ["20%"], HD),
("yesno", "Xã Phú Điền đã thành lập Tổ công nghệ số cộng đồng ở tất cả các thôn chưa?",
 ["thành lập Tổ công nghệ số cộng đồng ở 06/08 thôn"], ["06/08"], BC),
# exception 6
("exception", "Từ 01/01/2027 những loại văn bản nào Huyện ủy vẫn được gửi bằng giấy?",
 ["trừ văn bản mật và văn bản phải lưu bản gốc theo quy định"], ["văn bản mật", "lưu bản gốc"], CTR),
("exception", "phan anh khong ghi ho ten thi co duoc xem xet khong, co ngoai le nao khong",
 ["có nội dung cụ thể, kèm tài liệu, chứng cứ rõ ràng về hành vi vi phạm"], ["chứng cứ"], QD),
("exception", "Chi bộ có dưới 70% đảng viên cài Sổ tay đảng viên điện tử thì có bị hạn chế xếp loại không, có trường hợp nào được miễn?",
 ["Không áp dụng đối với chi bộ có trên 50% đảng viên từ 70 tuổi trở lên"], ["70 tuổi"], HD),
("exception", "Đảng viên được miễn công tác và sinh hoạt đảng có phải kiểm điểm năm 2026 không?",
 ["vẫn phải kiểm điểm nếu trong năm có vi phạm"], ["vi phạm"], HD),
("exception", "Phản ánh liên quan đến thiên tai có phải chờ thời hạn 15 ngày làm việc như bình thường không?",
 ["báo cáo ngay với người đứng đầu và giải quyết trong 48 giờ"], ["48 giờ"], QD),
("exception", "dang vien nghi thai san 4 thang trong nam co bi xep loai khong hoan thanh nhiem vu khong",
 ["xếp loại theo kết quả thực hiện nhiệm vụ trong thời gian công tác thực tế", "không vì lý do nghỉ theo chế độ"], ["thời gian công tác thực tế"], HD),
# content 8
("content", "Tỷ lệ đảng viên xã Phú Điền cài đặt Sổ tay đảng viên điện tử sau 9 tháng năm 2026 là bao nhiêu?",
 ["Đảng viên cài đặt Sổ tay đảng viên điện tử"], ["323", "92,3"], BC),
("content", "htx que hoi phu dien ban hang online 9 thang duoc bao nhieu tien",
 ["doanh thu trực tuyến 9 tháng đạt 1,26 tỷ đồng"], ["1,26 tỷ đồng"], BC),
("content", "Ngân sách huyện Đông Khê dành cho chuyển đổi số tối thiểu là bao nhiêu?",
 ["không thấp hơn 1,5% tổng chi thường xuyên hằng năm"], ["1,5%"], CTR),
("content", "CTr 27 đặt ra cấp mã số vùng trồng cho bao nhiêu ha trong giai đoạn 2026 - 2028?",
 ["cấp mã số vùng trồng cho ít nhất 1.200 ha"], ["1.200 ha"], CTR),
("content", "Đảng bộ xã Phú Điền có bao nhiêu chi bộ, bao nhiêu đảng viên?",
 ["Đảng bộ xã hiện có 14 chi bộ trực thuộc"], ["14", "412"], BC),
("content", "Kết quả giải quyết phản ánh được trả lời cho người gửi bằng hình thức nào, trong bao lâu sau khi có kết quả?",
 ["chậm nhất 02 ngày làm việc sau khi có kết quả"], ["văn bản điện tử", "02 ngày làm việc"], QD),
("content", "Xã Phú Điền kiến nghị Huyện ủy, UBND huyện hỗ trợ những gì?",
 ["hỗ trợ xã 02 trạm phát sóng di động"], ["02 trạm phát sóng", "kỹ năng số"], BC),
("content", "Chi bộ chấm tiêu chí chuyển đổi số dưới 5 điểm thì ảnh hưởng thế nào đến xếp loại?",
 ["Chi bộ đạt dưới 5 điểm thì không xếp loại"], ["Hoàn thành tốt nhiệm vụ"], HD),
]

CROSS = [
("Thôn Khe Mít chưa có Tổ công nghệ số cộng đồng. Huyện ủy yêu cầu 100% thôn phải có tổ này trước ngày nào, và Đảng ủy xã Phú Điền giao cho chi bộ thôn hạn nào?",
 ["Thành lập Tổ công nghệ số cộng đồng ở 100% thôn, tổ dân phố", "báo cáo Đảng ủy trước ngày 10/11/2026"], ["15/11/2026", "10/11/2026"], [CTR, BC]),
("Đơn vị tôi để 04 phản ánh, kiến nghị quá hạn giải quyết trong năm 2026 thì xếp loại cuối năm bị ảnh hưởng gì, theo văn bản nào?",
 ["quá hạn giải quyết từ 03 lần trở lên trong năm"], ["Hoàn thành xuất sắc nhiệm vụ", "145-QĐ/TU"], [QD, HD]),
("Báo cáo 58 của xã Phú Điền đặt hạn xếp loại chi bộ ngày 30/11/2026 theo hướng dẫn nào của tỉnh, và theo hướng dẫn đó chi bộ phải kiểm điểm đảng viên xong trước ngày nào?",
 ["theo Hướng dẫn số 14-HD/BTCTU, ngày 16/9/2026", "hoàn thành kiểm điểm, đánh giá, xếp loại đảng viên trước ngày 15/11/2026"], ["14-HD/BTCTU", "15/11/2026"], [BC, HD]),
("Nghị quyết 09-NQ/TU mà Huyện ủy Đông Khê cụ thể hóa bằng CTr 27 cũng là căn cứ của quyết định nào của BTV Tỉnh ủy về phản ánh, kiến nghị qua môi trường số, và quyết định đó có hiệu lực từ ngày nào?",
 ["Căn cứ Nghị quyết số 09-NQ/TU, ngày 15/7/2026", "có hiệu lực thi hành từ ngày 01/10/2026"], ["145-QĐ/TU", "01/10/2026"], [CTR, QD]),
]

UNANS = [
"Hướng dẫn kiểm điểm năm 2025 của Ban Tổ chức Tỉnh ủy Lâm Giang yêu cầu chi bộ hoàn thành kiểm điểm trước ngày nào?",
"tinh uy ha nguyen quy dinh thoi han giai quyet phan anh kien nghi qua moi truong so la bao nhieu ngay",
"Mỗi thành viên Tổ công nghệ số cộng đồng được hỗ trợ bao nhiêu tiền một tháng?",
"Toàn huyện Đông Khê hiện có bao nhiêu đảng viên?",
"Ai là chủ tịch UBND xã Phú Điền?",
"xa phu dien nam 2025 ket nap duoc bao nhieu dang vien moi",
]

def main() -> None:
    rows = []
    for kind, q, ev, ah, doc in Q:
        rows.append({"kind": kind, "question": q, "evidence": ev, "answer_has": ah, "doc": doc})
    for q, ev, ah, docs in CROSS:
        rows.append({"kind": "cross", "question": q, "evidence": ev, "answer_has": ah, "doc": None, "docs": docs})
    for q in UNANS:
        rows.append({"kind": "unanswerable", "question": q, "evidence": [], "answer_has": [], "doc": None, "unanswerable": True})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        for i, r in enumerate(rows, 1):
            f.write(json.dumps({"id": f"h-{i:02d}", **r}, ensure_ascii=False) + "\n")
    print(len(rows), "questions ->", OUT)

if __name__ == "__main__":
    main()
