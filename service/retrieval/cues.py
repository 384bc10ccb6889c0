"""The words by which Vietnamese asks for a kind of answer — "ai ký", "ban hành ngày nào", "khi nào",
"có … không", "gồm những gì", "là gì" — matched on the folded question, each written down once, and
the function words that are never topic words."""
from __future__ import annotations

import re

from ingest.normalize import canonical, fold

# Cue phrases are matched on the folded question, and folding merges words: "thế" (như thế nào)
# with "thể" (tập thể), "đâu" with "đầu" (đầu tư), "hạn" with "hàn". A matched word written with
# diacritics must therefore be one of the cue words as written (a question typed without diacritics
# passes as it is) — the same guard ingest.deadlines uses.
CUE_VOCAB = frozenset(canonical(w) for w in """
    gì nào ai đâu sao mấy bao nhiêu thế như ra là những gồm có phải không đúng được hay cho biết xin hỏi làm
    ơn giúp tôi em mình liệt kê theo thứ tự thời gian lần lượt vậy nhỉ à ạ ở đi đến từ nữa rồi chưa khi lúc
    giờ hạn chót cuối hoàn thành nộp gửi báo cáo trước ngày tháng quý lâu trong xong chậm nhất muộn tối đa thì
    trường hợp điều kiện cần thực hiện giao việc nhiệm vụ của trách nhiệm chúng bọn đang hiện giữ chức ký
    người bởi tên với danh ban hành đời phát hiệu lực vào hôm năm nơi nhận tại địa do cơ quan cấp tổ chức
    căn cứ văn bản nghị quyết kết luận chỉ thị hướng dẫn quy định quy chế kế hoạch triển khai dựa trên sở về
    bàn nói vấn đề nội dung chủ trích yếu gọi đầy đủ số thay thế miễn ngoại trừ thuộc diện đối tượng bắt buộc
    lệ bị còn vẫn tính bao các mốc đến điểm hình thức cho để góp phần dựa coi hiểu nhắc tới cập vậy nhỉ
    tỉnh huyện xã phường thành phố trung ương công quyết thông đồng chí vị
    hội lần khóa khoá trễ kịp muộn quá đúng hạn kéo dài diễn đảng ủy thường vụ kể đặt đề nêu đưa giai đoạn thời kỳ khoảng sơ tổng lên
    loại đơn kính hoạt động sự kiện cái diễn
""".split())
# Words of the metadata cues alone ("bắt đầu áp dụng", "văn bản cũ nào bị bỏ", "cụ thể hóa những chủ
# trương nào"): checked as typed like the others, but they stay subject words elsewhere ("áp dụng",
# "Hòa" of a place name typed without diacritics are no question words).
META_VOCAB = frozenset(canonical(w) for w in "bắt đầu áp dụng chính thi cũ bỏ bãi hết cụ hóa hoá chủ trương".split())
_WORD = re.compile(r"[^\W\d_]+")


def cue_ok(expanded: str, span: tuple[int, int]) -> bool:
    for w in _WORD.findall(expanded[span[0]:span[1]]):
        if fold(w) != w and canonical(w).lower() not in CUE_VOCAB | META_VOCAB:
            return False
    return True


def cue_spans(rx: re.Pattern[str], expanded: str, low: str) -> list[tuple[int, int]]:
    """The cue's matches whose words were typed as the cue's (cue_ok). A match that is not one is
    searched past from its next character, not skipped whole: "Ban Tuyên giáo Tỉnh ủy có nhiệm vụ
    gì" first reads "giáo … nhiệm vụ gì" as "giao … nhiệm vụ gì", and the cue "có nhiệm vụ gì"
    inside it must still be found."""
    out: list[tuple[int, int]] = []
    pos = 0
    while (m := rx.search(low, pos)) is not None:
        if cue_ok(expanded, m.span()):
            out.append(m.span())
            pos = max(m.end(), m.start() + 1)
        else:
            pos = m.start() + 1
    return out


# ---------------------------------------------------------------------------------------------
# What the question asks about a document itself (metadata)

# "ký" (signed) folds like the "kỳ" of "định kỳ", "thời kỳ", "nhiệm kỳ", "học kỳ", "chu kỳ", "thường kỳ"
# (both are cue words as typed): after those syllables it is the period, never the signature ("báo cáo
# định kỳ vào khi nào?" asks when a duty recurs, not when a document was signed).
_SIGN = r"(?<!dinh )(?<!thoi )(?<!nhiem )(?<!hoc )(?<!chu )(?<!thuong )ky"

META_CUES: dict[str, re.Pattern[str]] = {
    "signer": re.compile(r"\b(ai ky|nguoi ky|do ai ky|ky boi ai|ky ten|ky voi chuc danh|chuc danh (?:gi|nao)"
                         r"|ai la nguoi ky|nguoi ky la ai|ai da ky|(?:dong chi|vi) nao ky)\b"),
    "date": re.compile(r"\b(?:" + _SIGN + r"|ban hanh|ra doi|phat hanh|(?<!dien )(?<!tro )(?<!dua )ra|de)\s+(?:vao\s+)?(?:ngay|nam|thang|luc|khi|hom)\s+(?:nao|bao nhieu|may)"
                       r"|\b(?:" + _SIGN + r"|ban hanh|ra doi)\s+(?:khi nao|bao gio|luc nao)"
                       r"|\bngay\s+(?:ban hanh|ky)\b|\b(?:ngay|nam)\s+nao\s+(?:ban hanh|ky)\b|\bngay thang nam nao\b"
                       # "cơ quan nào ban hành, ngày mấy?": the date asked in a clause of its own after the issuing
                       r"|\bban hanh\s*,\s*(?:vao\s+)?(?:ngay|nam) (?:may|nao)\b"
                       r"|\bla\s+(?:van ban|ke hoach|quy dinh|ket luan|chi thi|nghi quyet|huong dan|thong bao)\s+(?:ngay|nam)\s+nao\b"),
    "place": re.compile(r"\b(?:ky|ban hanh)\s+(?:o|tai)\s+dau\b|\bdia danh\b"),
    "issuer": re.compile(r"\b(?:do|cua)\s+(?:ai|co quan nao|cap nao|to chuc nao)(?:\s+cua\s+[a-z]+(?:\s+[a-z]+)?)?\s+(?:ky\s+)?ban hanh\b"
                         r"|\b(?:ai|co quan nao|cap nao)\s+ban hanh\b|\bco quan ban hanh\b"
                         r"|\b(?:la\s+)?(?:cua|do)\s+(?:ai|co quan nao|cap nao)\s*(?:[?.!,]|$)"
                         # "là kế hoạch của đảng ủy xã nào?": the document's own kind, then the issuer asked
                         r"|\bla\s+(?:van ban|ke hoach|quy dinh|quy che|ket luan|chi thi|nghi quyet|huong dan|thong bao"
                         r"|quyet dinh|bao cao)\s+(?:cua|do)\s+(?:[a-z]+\s+){1,3}?nao\b"),
    "recipients": re.compile(r"\bnoi nhan\b|\b(?:duoc\s+)?gui\s+(?:den|toi|cho|ve|len)\s+(?:nhung\s+|cac\s+)?(?:co quan|don vi|ai|noi|dau)\b"
                             r"|\b(?:duoc\s+)?gui\s+(?:nhung|cac)\s+(?:noi|co quan|don vi)\s+nao\b|\b(?:duoc\s+)?gui\s+(?:nhung|cac)\s+dau\b"
                             r"|\b(?:duoc\s+)?gui\s+(?:di\s+)?(?:nhung\s+)?dau\b"
                             r"|\bkinh gui\s+(?:(?:nhung|cac)\s+)?(?:ai|noi|co quan|don vi)(?:\s+nao)?\b"),
    # "sơ kết giai đoạn nào", "báo cáo kỳ nào": the period a report covers (its title says)
    "period": re.compile(r"\b(?:so ket|tong ket|bao cao|danh gia)\b(?:\s+[a-z]+){0,3}?\s+(?:giai doan|thoi ky|ky|khoang thoi gian) nao\b"),
    "basis": re.compile(r"\bcan cu\s+(?:vao\s+)?(?:nhung\s+|cac\s+)?(?:van ban|nghi quyet|ket luan|chi thi|huong dan"
                        r"|quy dinh|quy che|ke hoach|cong van|quyet dinh|thong bao)?\s*nao\b|\bcan cu\s+(?:vao\s+)?(?:gi|dau)\b"
                        r"|\b(?:de\s+(?:gop phan\s+)?)?thuc hien\s+(?:van ban|nghi quyet|ket luan|chi thi|huong dan|ke hoach|quy dinh)\s+nao\b"
                        r"|\btrien khai\s+(?:van ban|nghi quyet|ket luan|chi thi|huong dan)\s+nao\b|\bdua tren\s+(?:van ban|co so)\s+nao\b"
                        # "dựa trên những văn bản nào", "làm ra để thực hiện những văn bản nào của cấp trên"
                        r"|\b(?:dua (?:tren|vao)|(?:de\s+)?(?:thuc hien|trien khai|cu the hoa))\s+(?:nhung|cac)\s+(?:van ban|nghi quyet|ket luan|chi thi"
                        r"|huong dan|quy dinh|chu truong)\s+nao\b"),
    "subject": re.compile(r"\b(?:ve|ban ve|noi ve)\s+(?:viec|van de|noi dung|chu de)?\s*gi\b|\btrich yeu\b"
                          # "là loại văn bản gì": its kind, which the type line above the subject says
                          r"|\bloai van ban (?:gi|nao)\b|\bthuoc loai (?:van ban )?(?:gi|nao)\b"
                          r"|\bco ten (?:goi )?(?:la )?gi\b|\bten (?:day du )?(?:la )?gi\b"),
    "number": re.compile(r"\bso\s+(?:may|bao nhieu|hieu)\b|\bso hieu\b|\bky hieu\b"),
    # "có hiệu lực từ ngày nào", "bắt đầu áp dụng từ hôm nào"
    "effective": re.compile(r"\bhieu luc\b|\b(?:(?:bat dau|chinh thuc)\s+)?(?:ap dung|thi hanh)\s+(?:tu|ke tu)\s+"
                            r"(?:ngay|hom|khi|luc|thang)\s+(?:nao|may|bao gio)\b|\b(?:bat dau|chinh thuc)\s+(?:ap dung|thi hanh)\b"),
    # "nghị quyết hội nghị lần thứ mấy, khóa nào": the meeting and term a document comes from
    # (of a document's own meeting: "các Hội nghị Trung ương khóa XIII lần thứ mấy" asks about its content)
    "session": re.compile(r"\b(?:nghi quyet|ket luan|thong bao)\s+(?:cua\s+)?hoi nghi\s+(?:lan\s+)?thu (?:may|bao nhieu)\b"),
    "replaces": re.compile(r"\bthay (?:the\s+)?(?:cho\s+)?(?:van ban|quy dinh|ket luan|chi thi|nghi quyet|huong dan"
                          r"|ke hoach|cong van)?\s*nao\b"
                          # "văn bản cũ nào bị bỏ", "bãi bỏ quy định nào"
                          r"|\b(?:van ban|quy dinh|ket luan|chi thi|nghi quyet|huong dan|quy che)\s+cu\s+(?:nao|gi)\b"
                          r"|\bbai bo\s+(?:van ban|quy dinh|ket luan|chi thi|nghi quyet|huong dan|quy che)?\s*nao\b"
                          r"|\bnao\s+(?:bi|duoc)\s+(?:bo|bai bo|thay the|het hieu luc)\b"),
}

# "Văn phòng Huyện ủy ra KH triển khai CT 21 ngày nào", "BTV Tỉnh ủy ban hành kế hoạch triển khai Sổ tay
# đảng viên điện tử vào ngày nào": the issuing verb and a kind of document, what it is, then the day asked —
# not "… ban hành KH trước ngày nào" (a deadline). The words between are the document's subject, typed as
# the user likes: only the two ends are cue words (`issue_day_spans`).
_ISSUED_ON = re.compile(r"\b(?P<verb>(?:ra|ban hanh|" + _SIGN + r")\s+(?:van ban|ke hoach|quy dinh|quy che|ket luan|chi thi"
                        r"|nghi quyet|huong dan|thong bao|quyet dinh|bao cao|chuong trinh))\b"
                        r"(?:\s+(?!truoc\b|cham\b|han\b|muon\b|phai\b|can\b)[a-z0-9/-]+){0,10}?"
                        r"\s+(?P<day>(?:vao\s+)?(?:ngay|hom)\s+nao)\b")


def issue_day_spans(expanded: str, low: str) -> list[tuple[int, int]]:
    """The spans of the two ends of "… ra <kind of document> … ngày nào" (the verb with the kind, the day
    asked), when both are cue words as typed."""
    out = []
    for m in _ISSUED_ON.finditer(low):
        ends = [m.span("verb"), m.span("day")]
        if all(cue_ok(expanded, sp) for sp in ends):
            out += ends
    return out


# ---------------------------------------------------------------------------------------------
# Cues of the other kinds

# "by when?" — and "how long?", which relative deadlines answer
DEADLINE = re.compile(
    r"\b(khi nao|bao gio|luc nao|han chot|thoi han|han cuoi|han hoan thanh|han nop|han gui|han bao cao|deadline"
    # "hạn" — but "quá hạn giải quyết" names overdue items ("có bị quá hạn không?" still asks of a deadline)
    r"|(?<!qua )han(?!\s+che)\b|qua han(?=\s*(?:khong|chua|[?.!,]|$))"
    r"|truoc ngay nao|ngay nao|thang nao|quy nao|thoi gian nao|bao lau|trong bao lau|may ngay|may thang"
    r"|(?:vao|trong|truoc) (?:thang|ngay|quy) may|thang may|quy may"
    r"|den bao gio|xong truoc|cham nhat|muon nhat|tre nhat"
    # "tối đa mấy ngày", "tối đa bao lâu": a longest time; "tối đa bao nhiêu người", "tỷ lệ … tối đa: … bao
    # nhiêu %" ask a largest count or share, not a time
    r"|toi da(?=\s+(?:la\s+)?(?:bao lau|(?:bao nhieu|may)\s+(?:ngay|tuan|thang|nam|gio)\b)))\b"
    r"(?!\s+cung\b)"  # "tháng nào cũng", "lúc nào cũng": every month, always — no question of when
)
# "how long?": a span of time, which a sentence stating one answers ("không quá 24 tháng", "từ 90 đến
# 120 phút", "trong vòng 10 ngày làm việc") — the unit asked, or "any" for "bao lâu".
DURATION = re.compile(r"\b(?:bao lau|(?:may|bao nhieu)\s+(?P<unit>ngay|tuan|thang|nam|gio|phut))\b")


def duration_unit(low: str) -> str | None:
    """The (folded) time unit a question asks a span of ("trước mấy ngày" → "ngay"), "any" for
    "bao lâu", else None."""
    m = DURATION.search(low)
    return (m.group("unit") or "any") if m else None


# "khi nào thì được …" asks for a condition, not a date
CONDITION = re.compile(r"\b(?:khi nao|truong hop nao|luc nao)\s+thi\b|\btrong truong hop nao\b|\bdieu kien\b")
DUTY = re.compile(r"\b(phai lam gi|phai lam nhung gi|can lam gi|can lam nhung gi|phai lam|lam nhung gi|phai thuc hien"
                   r"|duoc giao (?:nhung )?(?:viec|nhiem vu)|giao (?:cho )?(?:toi|chung toi|minh)|nhiem vu (?:cua )?(?:toi|minh)"
                   r"|trach nhiem (?:cua )?(?:toi|minh)|co nhiem vu gi|co trach nhiem gi"
                   # "phó bí thư phụ trách những việc gì", "chi ủy viên phụ trách gì"
                   r"|phu trach (?:nhung )?(?:(?:cong )?viec |linh vuc |mang )?(?:gi|nao))\b"
                   r"|\bgiao\b(?:\s+\w+){1,8}?\s+(?:nhung\s+)?(?:viec|nhiem vu)\s+(?:gi|nao)\b")
ROLE = re.compile(
    # "tôi làm việc tại công an xã", "em công tác ở Ban Tuyên giáo": where the asker works is the role (its staff)
    r"\b(?:toi|em|minh|chung toi|bon em|bon toi)\s+(?:(?P<work>(?:hien\s+|dang\s+)?(?:lam viec|cong tac|lam)\s+(?:o|tai))"
    r"|la|dang la|lam|dang lam|hien la|hien dang la|giu chuc|dang giu chuc|chi la|cung la|von la)"
    r"\s+(?P<role>[^,.;?!]{3,80}?)"
    # (typed without diacritics, "can bo" is "cán bộ" and "co quan", "co so" are "cơ quan", "cơ sở": no stop)
    r"(?=\s*(?:[,.;?!]|\b(?:thi|va|nam|nay|phai|can(?!\s+bo\b)|co(?!\s+(?:quan|so)\b)|o|tai|theo|duoc|se|muon|xin|thoi)\b|$))"
)
# Yes/no questions end in "không" / "chưa" ("… có phải … không?", "… được không?") or open with
# "có phải" / "phải chăng" / "liệu".
# The deadline cues that ask "when?" — not "thời hạn", "hạn" as the noun a yes/no question is about
# ("… có phải chờ thời hạn 15 ngày làm việc không?").
WHEN_ASKED = re.compile(r"\b(khi nao|bao gio|luc nao|ngay nao|thang nao|quy nao|nam nao|thoi gian nao|bao lau|thang may|quy may"
                        r"|may ngay|may thang|may tuan|han nao|han chot|han cuoi|cham nhat|muon nhat"
                        # "có bị trễ hạn không?": whether a date is past the deadline — the deadline decides
                        r"|tre han|qua han|dung han|kip han|muon han)\b")
YESNO_END = re.compile(r"\b(khong|chua)\s*[?.!…]*\s*$")
YESNO_START = re.compile(r"^\W*(?:co phai|phai chang|lieu)\b")
# "đã xong chưa, xong khi nào?": whether something has been done — a report's past sentence answers
# it, with its date, before any duty's deadline.
STATUS = re.compile(r"\bda\b[^,;?]{1,60}\bchua\b\s*(?:[,;?.!…]|$)")


EXCEPTION = re.compile(
    r"\b(mien|duoc mien|ngoai tru|tru\s+(?:nhung|cac|truong hop)|khong phai|khong thuoc(?:\s+dien|\s+doi tuong)?"
    r"|khong can|khong ap dung|khong bat buoc|truong hop nao|ngoai le|khong bi|co con la|van phai|co bi tinh)\b"
)
LIST = re.compile(
    r"\b(gom nhung|gom (?:cac|co)|bao gom|gom\b|liet ke|ke ten|nhung gi|la nhung|co nhung|cac\s+\w+(?:\s+\w+){0,3}\s+(?:nao|(?<!lam\s)gi)"
    # "những nhiệm vụ trọng tâm thời gian tới nào": a plural noun phrase, however long, then "nào"
    r"|nhung\s+\w+(?:\s+\w+){0,4}\s+(?:nao|gi)|nhung\s+\w+(?:\s+(?!nhung\b|la\b|co\b|va\b)\w+){5,8}\s+nao"
    r"|nhung diem nao|nhung viec|nhung noi dung|nhung hinh thuc)\b"
    # "Các chỉ tiêu đến hết năm 2027 của NQ 27 là gì?": a plural subject asked what it is
    r"|^\W*(?:cac|nhung)\s.{3,90}?\s(?:la gi|gom gi|la nhung gi)\W*$"
)


def list_cue(expanded: str, low: str) -> bool:
    """A list question: "gồm những gì", "những hạn chế nào/gì". The words between "những" and "nào"
    are the topic, typed as the user likes: only the cue words at the two ends are checked as typed."""
    for m in LIST.finditer(low):
        words = list(_WORD.finditer(expanded, m.start(), m.end()))
        ends = words[:1] + words[-1:] if len(words) > 2 else words
        if all(cue_ok(expanded, w.span()) for w in ends):
            return True
    return False
# "Which duties fall in that time?" — the plural of duties, not one thing's date.
WINDOW_LIST = re.compile(
    r"\b(nhung viec|viec gi|nhung moc|moc (?:thoi gian )?(?:nao|gi)|han chot nao|nhung han(?!\s+che)|nhung nhiem vu"
    r"|nhiem vu (?:gi|nao)|den han|(?:phai|can) (?:lam )?(?:xong|hoan thanh|lam|thuc hien) nhung (?:gi|viec)"
    # "có mốc hoàn thành nào", "phải nộp gì", "cần gửi những gì": what falls due, asked by its verb
    r"|moc (?:[a-z]+ ){1,2}(?:nao|gi)|(?:phai|can) (?:(?!la\b)[a-z]+ ){1,2}(?:nhung )?gi"
    # "có những hoạt động nào", "tổ chức cái gì", "diễn ra những gì": what is done or held in that time
    r"|(?:nhung|cac) (?:hoat dong|cong viec|su kien)(?: [a-z]+){0,2}? (?:nao|gi)|(?:hoat dong|su kien) (?:nao|gi)"
    r"|(?:to chuc|dien ra) (?:cai |nhung )?gi)\b"
)


# "có những báo cáo nào phải nộp", "các việc gì cần xong": which things fall due, asked by a plural
# noun (any noun: only the words at its ends are cue words) and a verb of duty after it.
WINDOW_NOUN_LIST = re.compile(r"\b(?:nhung|cac)\s+(?:[a-z]+\s+){1,3}?(?:nao|gi)\s+(?:phai|can)\b")


def window_list_cue(expanded: str, low: str) -> bool:
    """Which duties fall in a time the question names: WINDOW_LIST's cues, or a plural noun asked for
    with a verb of duty after it (the noun typed as the user likes; only the cue words are checked)."""
    if any(cue_ok(expanded, m.span()) for m in WINDOW_LIST.finditer(low)):
        return True
    for m in WINDOW_NOUN_LIST.finditer(low):
        words = list(_WORD.finditer(expanded, m.start(), m.end()))
        ends = words[:1] + words[-2:]
        if all(cue_ok(expanded, w.span()) for w in ends):
            return True
    return False


_DEFINE = (
    re.compile(r"^\W*(?P<term>[a-z0-9 ,-]{3,60}?)\s+(?:la gi|la the nao|duoc hieu (?:la gi|nhu the nao))\s*[?.!]*\s*$"),
    re.compile(r"\bthe nao (?:la|thi duoc coi la|thi bi coi la|duoc coi la|bi coi la)\s+(?P<term>[a-z0-9 ,-]{3,60}?)\s*[?.!]*\s*$"),
    re.compile(r"\b(?:bi|duoc) coi la\s+(?P<term>[a-z0-9 ,-]{3,60}?)\s*[?.!]*\s*$"),
)
# "… có tên là gì?", "chủ đề gì?": the answer is a name, written in quotation marks.
ASKS_NAME = re.compile(r"\b(?:co ten(?: goi)?(?: la)? gi|ten(?: goi| day du)?(?: la)? gi|chu de(?: la)? gi)\b")


def defined_term(low: str) -> str | None:
    for rx in _DEFINE:
        m = rx.search(low)
        if m:
            term = " ".join(m.group("term").replace(",", " ").split())
            return term or None
    return None


# ---------------------------------------------------------------------------------------------
# Words that say what kind of answer is wanted, not what it is about. They are rare in the
# documents, so left in they would outweigh the topic words when passages are ranked, and a
# question word the documents never use must not count as an unseen topic word (abstention).

QUESTION_PHRASES = re.compile(
    r"\b(la gi|la nhung gi|nhung gi|nhu the nao|the nao|ra sao|vi sao|tai sao|gom nhung|bao gom nhung|la bao nhieu"
    r"|bao nhieu|co nhung|co phai|phai khong|dung khong|duoc khong|hay khong|co ten la|noi gi|noi ve gi|quy dinh gi"
    r"|hay cho biet|cho biet|xin hoi|cho hoi|lam on|giup toi|giup em|giup minh|liet ke|theo thu tu thoi gian|lan luot"
    r"|o dau|di dau|den dau|tu dau|ai|gi|nao|co may|may|(?:bi|duoc) coi la|duoc hieu la|the nao la|nhu the nao thi"
    # who asks and how they refer to a document: "bọn em", "chúng tôi", "khi nhắc tới …", "vậy"
    r"|bon em|bon toi|chung toi|chung em|toi|minh|nhac toi|nhac den|de cap toi|de cap den|vay|nhi"
    # what a document is said to do with what is asked ("KL 33 đặt ra mấy mục tiêu", "đề ra những nhiệm vụ gì")
    r"|dat ra|de ra|neu ra|dua ra|ke ten|ke ra"
    # the classifier of a plural asked ("những loại hồ sơ nào"): the kinds are what the text lists, not a word it uses
    r"|(?:nhung|cac|may)\s+loai(?=\s+[a-z])"
    # the verb of a span asked ("kéo dài bao lâu", "diễn ra quá 30 ngày"): documents write the span, not the verb
    r"|(?:keo dai|dien ra)(?=\s+(?:trong\s+)?(?:bao lau|qua|hon|toi da|toi thieu)\b))\b"
)
# Function words (folded syllables): never weighed as topic terms. Only syllables that are function
# words whatever their diacritics: folding merges "tài" (tài sản) with "tại", "cán" (cán bộ) with
# "cần", "tư" (tư tưởng) with "từ", "độ" (tiến độ) with "do", "Minh" with "mình" — those stay content.
STOP_SYLLABLES = frozenset("va cua cac nhung la duoc voi theo ve cho nay da o mot em phai khong".split())
# Function words as typed with their diacritics ("trong" = in, never "trồng"; "tại", "khi"): no subject
# of a question when written so (typed without diacritics they may be content: "trong" of "trồng").
FUNCTION_WORDS = frozenset("trong tại khi để đối bằng".split())
# Chat words that never name what is asked — "e" (em), "mik"/"mk" (mình), "cỡ"/"khoảng"/"chừng" (about),
# "hồi" (back when), "ổng"/"bả" (he/she) — yet no document uses: not "unseen" subjects that would raise
# the support threshold. Accented ones only as typed ("hồi" folds like "hội"); the folded ones are no
# Vietnamese content syllable.
CHAT_WORDS = frozenset("cỡ khoảng chừng hồi ạ nhé nha ổng bả".split())
CHAT_FOLDED = frozenset("e mik mk mjk".split())


# Words that state an exception or a condition in the documents (folded): "trừ", "không áp dụng",
# "trường hợp", "dưới …", "tối đa".
EXCEPTION_WORDS = re.compile(
    r"(?<![0-9a-z])(tru|ngoai tru|khong ap dung|khong tinh|khong phai|khong bat buoc|mien|truong hop|neu|duoi"
    r"|it nhat|toi da|khong qua|chi)(?![0-9a-z])"
)
