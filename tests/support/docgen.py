"""A seeded generator of Party documents with known truth, for tests of the parser.

`generate(seed)` writes one document as a converter would hand it over (plain text, "\\n" line
breaks) and returns it with what a correct reading finds in it: every section (path, kind,
number, title, parent), every text table (columns, rows, cells), every footnote (number, text,
the section holding its marker), the header and closing fields, the bases of the preamble, and
where each body paragraph belongs.

What varies, drawn from the seed: the issuer under its parent ("ĐẢNG BỘ TỈNH … / HUYỆN ỦY …"),
header layouts (lines in either order, two columns on one line), numbering schemes (Roman parts
with "-" or ".", items "1." "1-" "1)", sub-items "2.1." "2.1.3.", points "a)" "a." "đ)", Phần with
its title on the same line or the next, Chương / Mục / Điều / khoản / điểm, top-level items), dash
and "+" lists, duty tables in three text shapes (pipes, tabs, one cell a line), footnotes placed
at page breaks with page numbers and running headers, decoy numbers inside sentences ("tăng 2.1
lần", "15.4.2025"), closings in either order, and a Quyết định whose Quy chế is annexed after the
decision's own signature.

Duty sentences come from `DUTY_LINES`: each `DutyLine` carries the facts it states (actors, a
deadline window), so tests of deadlines and actors can plug their own lines in (append to the list
or pass `duties=`) and assert on `GeneratedDoc.duties`, which says where each one was placed.
Lists under a lead-in (`ListBlock`, passed as `lists=`: "Giao Ban Dân vận Huyện ủy: - …; - …") are
laid out as dash or "+" items, points a) b), or "- label:" lines, and `GeneratedDoc.lists` says where
and how each was placed (tests/support/duty_lines.py plants them with their truth).
Nothing here imports the code under test: the truth is written from the rules, not computed by
the parser.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

# --------------------------------------------------------------------------------------------
# Duty lines: sentences with the facts they state


@dataclass(frozen=True)
class DeadlineTruth:
    text: str  # the time phrase as written
    start: date | None = None
    end: date | None = None
    kind: str = "dated"  # dated | relative | recurring | event | ongoing | vague
    exclusive_end: bool = False


@dataclass(frozen=True)
class DutyLine:
    """One duty sentence (ends with "."), and what a correct reading finds in it."""
    text: str
    actors: tuple[str, ...] = ()  # the bodies or positions bound, as written
    deadline: DeadlineTruth | None = None


DUTY_LINES: list[DutyLine] = [
    DutyLine("Các chi bộ tổ chức quán triệt Kế hoạch đến toàn thể đảng viên, hoàn thành trước ngày 15/4/2025.",
             ("chi bộ",), DeadlineTruth("trước ngày 15/4/2025", None, date(2025, 4, 15), exclusive_end=True)),
    DutyLine("Ban Tuyên giáo Huyện ủy chủ trì, phối hợp với Văn phòng Huyện ủy hướng dẫn việc học tập chuyên đề "
             "trong quý II/2025.", ("Ban Tuyên giáo Huyện ủy",),
             DeadlineTruth("trong quý II/2025", date(2025, 4, 1), date(2025, 6, 30))),
    DutyLine("Ủy ban Kiểm tra Huyện ủy kiểm tra việc thực hiện tại 05 đảng bộ cơ sở, báo cáo kết quả chậm nhất "
             "ngày 30/11/2025.", ("Ủy ban Kiểm tra Huyện ủy",),
             DeadlineTruth("chậm nhất ngày 30/11/2025", None, date(2025, 11, 30))),
    DutyLine("Văn phòng Huyện ủy theo dõi, đôn đốc, tổng hợp tình hình và báo cáo Ban Thường vụ Huyện ủy "
             "hằng quý.", ("Văn phòng Huyện ủy",), DeadlineTruth("hằng quý", kind="recurring")),
    DutyLine("Các đảng ủy cơ sở xây dựng kế hoạch cụ thể, gửi về Ban Tuyên giáo Huyện ủy trong tháng 5/2025.",
             ("đảng ủy cơ sở",), DeadlineTruth("trong tháng 5/2025", date(2025, 5, 1), date(2025, 5, 31))),
    DutyLine("Mặt trận Tổ quốc và các tổ chức chính trị - xã hội huyện tuyên truyền sâu rộng đến đoàn viên, "
             "hội viên và Nhân dân.", ("Mặt trận Tổ quốc", "tổ chức chính trị - xã hội"), None),
    DutyLine("Người đứng đầu cấp ủy, cơ quan, đơn vị phải gương mẫu thực hiện, chịu trách nhiệm trước cấp ủy "
             "cấp trên về kết quả thực hiện.", ("Người đứng đầu",), None),
    DutyLine("Cán bộ, đảng viên đăng ký ít nhất 01 việc làm cụ thể và báo cáo kết quả tại kỳ sinh hoạt chi bộ "
             "cuối năm.", ("cán bộ", "đảng viên"), None),
    DutyLine("Ban Tổ chức Huyện ủy đưa nội dung này vào tiêu chí đánh giá, xếp loại chất lượng tổ chức đảng, "
             "hoàn thành trước ngày 20/12/2025.", ("Ban Tổ chức Huyện ủy",),
             DeadlineTruth("trước ngày 20/12/2025", None, date(2025, 12, 20), exclusive_end=True)),
    DutyLine("Các chi bộ thôn, bản sinh hoạt chuyên đề ít nhất 01 lần trong năm 2025.", ("chi bộ thôn, bản",),
             DeadlineTruth("trong năm 2025", date(2025, 1, 1), date(2025, 12, 31))),
    DutyLine("Đảng ủy các xã, thị trấn báo cáo sơ kết 6 tháng trước ngày 15.6.2025 và báo cáo năm trước ngày "
             "15.11.2025.", ("Đảng ủy các xã, thị trấn",),
             DeadlineTruth("trước ngày 15.6.2025", None, date(2025, 6, 15), exclusive_end=True)),
    DutyLine("Trung tâm Chính trị huyện mở 02 lớp bồi dưỡng cho cán bộ chủ chốt cơ sở trong 6 tháng đầu năm 2025.",
             ("Trung tâm Chính trị huyện",), DeadlineTruth("trong 6 tháng đầu năm 2025", date(2025, 1, 1),
                                                             date(2025, 6, 30))),
]

@dataclass(frozen=True)
class ListBlock:
    """A lead-in and the list it introduces ("Giao Ban Dân vận Huyện ủy: - …; - …", "Đảng ủy các xã có
    trách nhiệm: a) …; b) …"), and the paragraph right after it. docgen draws how it is laid out:
    dash or "+" items, points a) b) (sections of their own), or — when `label` is given — a "- label:"
    line under a lead-in naming no one, with "+" items ("Phân công cụ thể như sau: - Ban …: + …")."""
    lead: str  # the lead-in sentence, ending with ":"
    items: tuple[str, ...]  # the items as written, without their label
    label: str | None = None  # the actor as a label ("Ban Tuyên giáo Huyện ủy"), when the block may be laid out so
    after: str | None = None  # a paragraph right after a dash list (never after points)


# Sentences that are no duty, with decoy numbers ("2.1", "15.4.2025") inside them.
FILLER: list[str] = [
    "Năm 2024, toàn huyện có 2.1 nghìn đảng viên tham gia học tập, tăng 2.1 lần so với năm 2020.",
    "Hội nghị sơ kết ngày 15.4.2025 đã đánh giá những kết quả bước đầu, chỉ ra hạn chế cần khắc phục.",
    "Việc thực hiện phải thiết thực, hiệu quả, tránh hình thức, phù hợp với điều kiện thực tế của địa phương.",
    "Nội dung học tập gắn với việc thực hiện nhiệm vụ chính trị của từng cơ quan, đơn vị theo mục 2.3 của "
    "hướng dẫn.",
    "Kết quả thực hiện là một căn cứ để đánh giá, xếp loại tổ chức đảng và đảng viên hằng năm.",
]

# --------------------------------------------------------------------------------------------
# Names (an invented country of provinces; the parser must not know them)

PROVINCES = ["Sơn Nguyên", "Bình Sơn", "Hà Lâm", "Đông Giang", "Nam Hải", "Thanh Khê"]
DISTRICTS = ["Phong Thạnh", "Tân Lập", "Mường Khoa", "Yên Hòa", "Bắc Trà", "Đồng Lư"]
COMMUNES = ["Nậm Tăm", "Tà Xùa", "Phúc Khánh", "Quang Minh"]
SIGNERS = ["Vũ Mạnh Hà", "Nguyễn Văn An", "Lò Thị Mai", "Hà Quang Tịnh", "Bế Thị Lan Phương", "Đinh Công Sơn",
           "Trương Thị Mai", "Đoàn Văn Minh", "Nguyễn Văn A"]
RECIPIENTS = ["Thường trực Tỉnh ủy (để báo cáo)", "Ban Tuyên giáo Tỉnh ủy", "Các đồng chí Ủy viên Ban Thường vụ",
              "Các đảng ủy cơ sở trực thuộc", "Văn phòng Huyện ủy", "Các ban xây dựng Đảng", "Lưu Văn phòng"]
TYPES = [("KẾ HOẠCH", "Kế hoạch", "KH"), ("CHỈ THỊ", "Chỉ thị", "CT"), ("HƯỚNG DẪN", "Hướng dẫn", "HD"),
         ("THÔNG BÁO", "Thông báo", "TB"), ("NGHỊ QUYẾT", "Nghị quyết", "NQ")]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
ORDINALS = ["thứ nhất", "thứ hai", "thứ ba", "thứ tư"]
POINTS = ["a", "b", "c", "d", "đ", "e", "g", "h"]
SECTION_TITLES = ["MỤC ĐÍCH, YÊU CẦU", "NHIỆM VỤ TRỌNG TÂM", "GIẢI PHÁP THỰC HIỆN", "PHÂN CÔNG NHIỆM VỤ",
                  "TỔ CHỨC THỰC HIỆN", "ĐÁNH GIÁ KẾT QUẢ", "NHIỆM VỤ, GIẢI PHÁP"]
ITEM_TITLES = ["Tổ chức học tập, quán triệt", "Xây dựng kế hoạch thực hiện", "Công tác tuyên truyền",
               "Kiểm tra, giám sát", "Sơ kết, tổng kết", "Công tác cán bộ", "Chế độ báo cáo"]
ARTICLE_TITLES = ["Phạm vi điều chỉnh", "Đối tượng áp dụng", "Nguyên tắc làm việc", "Trách nhiệm của tập thể",
                  "Trách nhiệm của cá nhân", "Chế độ họp", "Chế độ báo cáo", "Điều khoản thi hành"]
TABLE_COLUMNS = [
    ["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành"],
    ["STT", "Nhiệm vụ", "Đơn vị thực hiện", "Thời hạn"],
    ["TT", "Nội dung công việc", "Chủ trì", "Phối hợp", "Thời gian"],
]
TABLE_TASKS = ["Xây dựng kế hoạch thực hiện, gửi về Ban Tuyên giáo Huyện ủy", "Tổ chức hội nghị quán triệt",
               "Rà soát, thống kê tài sản công dôi dư; báo cáo Đảng ủy", "Sơ kết 6 tháng thực hiện Kế hoạch",
               "Kiểm tra việc thực hiện tại 05 đảng bộ cơ sở", "Tổng hợp, báo cáo Ban Thường vụ Huyện ủy",
               "Cập nhật chuyên mục trên trang thông tin điện tử", "Giám sát chuyên đề đối với người đứng đầu"]
TABLE_BODIES = ["Các chi, đảng bộ cơ sở", "Ban Tuyên giáo Huyện ủy", "Văn phòng Huyện ủy", "Ủy ban Kiểm tra Huyện ủy",
                "Ban Tổ chức Huyện ủy", "chi ủy, đảng ủy cơ sở phối hợp thủ trưởng cơ quan"]
TABLE_TIMES = ["trước 15/4", "tháng 5", "quý II", "6 tháng cuối năm", "trước 20/6", "hằng tháng", "trước 15/12/2025",
               "tháng 01/2026"]
FOOTNOTES = ["Theo Quy định số 08-QĐi/TW, ngày 25/10/2018 của Ban Chấp hành Trung ương.",
             "Trừ đảng viên được miễn sinh hoạt đảng; đảng viên thuộc chi bộ thôn, bản không giữ chức vụ.",
             "Gồm các đảng bộ cơ sở xã, thị trấn và các chi bộ cơ sở trực thuộc, theo mục 2.1 Hướng dẫn.",
             "Không áp dụng đối với các cơ sở đang sử dụng vào mục đích giáo dục, y tế.",
             "Kể cả các đồng chí đã nghỉ hưu từ ngày 15.4.2025."]
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

# --------------------------------------------------------------------------------------------
# Truth records


@dataclass
class ExpectedSection:
    path: str
    kind: str
    number: str
    title: str
    parent: str | None


@dataclass
class ExpectedTable:
    section: str | None
    columns: list[str]
    rows: list[list[str]]  # cells as written; "" when empty
    row_paths: list[str]


@dataclass
class ExpectedFootnote:
    number: int
    text: str
    section: str | None  # the section holding its marker
    after: str  # the word the marker is glued to


@dataclass
class ExpectedParagraph:
    text: str  # as it must read after repair (page breaks removed)
    section: str | None


@dataclass
class GeneratedDoc:
    seed: int
    text: str  # what the reader hands to the pipeline
    sections: list[ExpectedSection] = field(default_factory=list)
    tables: list[ExpectedTable] = field(default_factory=list)
    footnotes: list[ExpectedFootnote] = field(default_factory=list)
    paragraphs: list[ExpectedParagraph] = field(default_factory=list)
    # name → quotes as written (header and the document's own closing): issuer, issuer_parent,
    # number, place_date, type, signer, signer_position, recipient, basis
    quotes: dict[str, list[str]] = field(default_factory=dict)
    # normalised values: issuer, issuer_parent, number, place, issued, type, title, signer, recipients
    values: dict[str, object] = field(default_factory=dict)
    duties: list[tuple[DutyLine, str | None]] = field(default_factory=list)  # each duty and its section
    # each list placed: the block, its section, the layout drawn ("-", "+", "a)", "label"), and the
    # section of each item (the points' own paths for "a)")
    lists: list[tuple[ListBlock, str | None, str, list[str | None]]] = field(default_factory=list)
    page_breaks: int = 0
    shape: str = ""  # numbering scheme drawn

    def type_of(self, section: str | None) -> object:
        """The type of the document a section belongs to: an annexed Quy chế's own, else the document's
        (a standing rule's yearless dates recur yearly, docs/deadlines.md)."""
        if section is not None and (section == "Quy chế" or section.startswith("Quy chế, ")):
            return "Quy chế"
        return self.values.get("type")


# --------------------------------------------------------------------------------------------
# Building blocks


@dataclass
class _Block:
    text: str  # one line (never a newline inside, except tables, which are several blocks)
    kind: str  # header | heading | body | row | closing | rule | annexhead | annexclosing
    section: str | None = None
    gap: bool = True  # a blank line before it
    breakable: bool = False  # a page break may cut it
    markers: list[int] = field(default_factory=list)  # footnotes referenced in it


class _Gen:
    def __init__(self, seed: int, duties: list[DutyLine] | None, lists: list[ListBlock] | None = None):
        self.r = random.Random(seed)
        self.seed = seed
        self.duties = duties if duties is not None else DUTY_LINES
        self.lists = list(lists or [])  # placed in order, each once, where an item's body may hold one
        self.doc = GeneratedDoc(seed, "")
        self.blocks: list[_Block] = []
        self.fn_style = self.r.choice(["super", "paren"])
        self.footnote_texts: dict[int, str] = {}

    # ---- helpers
    def q(self, name: str, quote: str) -> None:
        self.doc.quotes.setdefault(name, []).append(quote)

    def section(self, path: str, kind: str, number: str, title: str, parent: str | None) -> None:
        self.doc.sections.append(ExpectedSection(path, kind, number, title, parent))

    def add(self, text: str, kind: str, section: str | None = None, gap: bool = True, breakable: bool = False,
            markers: list[int] | None = None) -> None:
        self.blocks.append(_Block(text, kind, section, gap, breakable, markers or []))
        if kind in ("body", "heading"):
            self.doc.paragraphs.append(ExpectedParagraph(text, section))

    def sentence(self, section: str | None) -> str:
        if self.r.random() < 0.75:
            duty = self.r.choice(self.duties)
            self.doc.duties.append((duty, section))
            return duty.text
        return self.r.choice(FILLER)

    def paragraph_text(self, section: str | None, n: int | None = None) -> tuple[str, list[int]]:
        text = " ".join(self.sentence(section) for _ in range(n or self.r.randint(1, 3)))
        markers: list[int] = []
        if self.r.random() < 0.25:  # a footnote marker glued to a word mid-paragraph
            words = text.split(" ")
            k = self.r.randrange(1, max(2, len(words) - 2))
            word = words[k].rstrip(",.;")
            if word.isalpha():
                num = len(self.footnote_texts) + 1
                mark = _marker(num, self.fn_style)
                words[k] = word + mark + words[k][len(word):]
                self.footnote_texts[num] = self.r.choice(FOOTNOTES)
                self.doc.footnotes.append(ExpectedFootnote(num, self.footnote_texts[num], section, word))
                markers.append(num)
                text = " ".join(words)
        return text, markers

    def body(self, section: str | None, bullet: str = "", n: int | None = None, gap: bool = True) -> None:
        text, markers = self.paragraph_text(section, n)
        self.add(bullet + text, "body", section, gap=gap, breakable=True, markers=markers)

    # ---- header
    def header(self, type_caps: str, type_name: str, code: str) -> None:
        r = self.r
        p, d, c = r.choice(PROVINCES), r.choice(DISTRICTS), r.choice(COMMUNES)
        setups = [
            ([f"TỈNH ỦY {p.upper()}"], f"Tỉnh ủy {p}", None, "TU"),
            ([f"ĐẢNG BỘ TỈNH {p.upper()}", f"HUYỆN ỦY {d.upper()}"], f"Huyện ủy {d}", f"Đảng bộ tỉnh {p}", "HU"),
            ([f"TỈNH ỦY {p.upper()}", "ỦY BAN KIỂM TRA"], f"Ủy ban Kiểm tra Tỉnh ủy {p}", None, "UBKTTU"),
            ([f"HUYỆN ỦY {d.upper()}", "BAN TUYÊN GIÁO"], f"Ban Tuyên giáo Huyện ủy {d}", None, "BTGHU"),
            ([f"ĐẢNG BỘ HUYỆN {d.upper()}", f"ĐẢNG ỦY XÃ {c.upper()}"], f"Đảng ủy xã {c}", f"Đảng bộ huyện {d}", "ĐU"),
            ([f"ĐẢNG BỘ TỈNH {p.upper()}", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH"], "Đảng ủy Khối các cơ quan tỉnh",
             f"Đảng bộ tỉnh {p}", "ĐU"),
        ]
        issuer_lines, issuer, parent, suffix = r.choice(setups)
        self.issuer_lines = issuer_lines
        self.place = r.choice([p, d])
        issued = date(2025, r.randint(1, 12), r.randint(1, 28))
        self.issued = issued
        n = r.randint(1, 299)
        self.number = f"{n}-{code}/{suffix}"
        num_line = r.choice([f"Số {self.number}", f"Số: {self.number}", f"Số {n} - {code}/{suffix}"])
        day = f"{issued.day:02d}" if r.random() < 0.5 else str(issued.day)
        month = f"{issued.month:02d}" if issued.month < 3 and r.random() < 0.5 else str(issued.month)
        date_line = f"{self.place}, ngày {day} tháng {month} năm {issued.year}"
        party = "ĐẢNG CỘNG SẢN VIỆT NAM"
        layout = r.choice(["stacked", "222", "columns"])
        if layout == "stacked":
            for ln in issuer_lines:
                self.add(ln, "header", gap=False)
            self.add("*", "header", gap=False)
            self.add(num_line, "header", gap=False)
            self.add(party, "header")
            self.add(date_line, "header")
        elif layout == "222":
            for ln in issuer_lines:
                self.add(ln, "header", gap=False)
            self.add(party, "header")
            self.add(date_line, "header")
            self.add(num_line, "header")
        else:  # two columns flattened onto one line
            sep = r.choice(["\t", "\t\t", "      "])
            self.add(issuer_lines[0] + sep + party, "header", gap=False)
            for ln in issuer_lines[1:]:
                self.add(ln, "header", gap=False)
            self.add("*", "header", gap=False)
            self.add(num_line + sep + date_line, "header", gap=False)
        subject = r.choice(["về tăng cường công tác kiểm tra, giám sát năm 2025",
                            "thực hiện Chỉ thị số 30-CT/TU của Ban Thường vụ Tỉnh ủy về thực hành tiết kiệm",
                            "về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"])
        self.add(type_caps, "header")
        self.add(subject, "header", gap=r.random() < 0.5)
        if r.random() < 0.5:
            self.add("-----", "rule", gap=False)
        own = issuer_lines[1:] if parent else issuer_lines
        if layout == "columns" and len(own) > 1:  # the party line stands between them: one quote a line
            for ln in own:
                self.q("issuer", ln)
        else:
            self.q("issuer", "\n".join(own))
        if parent:
            self.q("issuer_parent", issuer_lines[0])
        self.q("number", num_line)
        self.q("place_date", date_line)
        self.q("type", type_caps)
        self.doc.values.update(issuer=issuer, issuer_parent=parent, number=self.number, place=self.place,
                               issued=issued, type=type_name, title=subject)

    def preamble(self, enact: str) -> None:
        r = self.r
        bases = []
        if r.random() < 0.5:
            for b in r.sample(["Căn cứ Điều lệ Đảng", "Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ nhiệm kỳ "
                               "2020 - 2025", "Căn cứ Chỉ thị số 30-CT/TU, ngày 14/02/2025 của Ban Thường vụ Tỉnh ủy "
                               "về thực hành tiết kiệm, chống lãng phí"], r.randint(1, 3)):
                bases.append(b + ";")  # a basis line is quoted with the ";" that ends it
                self.add(f"- {b};", "body")
            self.add(f"{enact} như sau:", "body")
        else:
            b = ("Thực hiện Kế hoạch số 44-KH/TU, ngày 29/10/2024 của Ban Thường vụ Tỉnh ủy về thực hiện Kết luận "
                 "số 01-KL/TW")
            bases.append(b)
            self.add(f"{b}, {enact} như sau:", "body")
        for b in bases:
            self.q("basis", b)

    # ---- numbering schemes
    def points(self, parent: str, gap_first: bool) -> None:
        style = self.r.choice(["{})", "{}.", "{})"])
        for k in range(self.r.choice([2, 3, 4, 6])):  # six points reach "đ)" and "e)"
            num = POINTS[k]
            path = f"{parent}.{num}"
            text, markers = self.paragraph_text(path, 1)
            line = style.format(num) + " " + text
            self.section(path, "point", num, text, parent)
            self.add(line, "body", path, gap=gap_first or k > 0, breakable=True, markers=markers)

    def items(self, anchor: str | None, parent: str | None, count: int, kind: str = "item") -> None:
        r = self.r
        sep = r.choice([". ", "- ", ") ", ". "])
        for k in range(1, count + 1):
            path = f"{anchor}.{k}" if anchor else str(k)
            shape = r.choice(["titled", "titled", "body", "subs"])
            if shape == "body":  # "1. Các chi bộ … ." : the item is its own text
                text, markers = self.paragraph_text(path, 1)
                self.section(path, kind, str(k), text, parent)
                self.add(f"{k}{sep}{text}", "body", path, breakable=True, markers=markers)
                if r.random() < 0.4:
                    self.points(path, gap_first=r.random() < 0.5)
                continue
            title = r.choice(ITEM_TITLES)
            self.section(path, kind, str(k), title, parent)
            self.add(f"{k}{sep}{title}", "heading", path)
            if shape == "subs":
                for m in range(1, r.randint(2, 3) + 1):
                    num = f"{k}.{m}"
                    sub = f"{anchor}.{num}" if anchor else num
                    st = r.choice(ITEM_TITLES)
                    self.section(sub, "sub", num, st, path)
                    self.add(f"{num}. {st}", "heading", sub)
                    if r.random() < 0.3:
                        num3 = f"{num}.1"
                        sub3 = f"{anchor}.{num3}" if anchor else num3
                        self.section(sub3, "sub", num3, st, sub)
                        self.add(f"{num3}. {st}", "heading", sub3)
                        self.body(sub3)
                        if self.lists and r.random() < LIST_CHANCE:
                            self.lead_in_list(sub3)
                    else:
                        self.body(sub)
                        if self.lists and r.random() < LIST_CHANCE:
                            self.lead_in_list(sub)
                continue
            # the first point may follow the heading with no blank line (it must not be swallowed)
            if r.random() < 0.5:
                self.points(path, gap_first=r.random() < 0.5)
            else:
                self.body(path)
                if self.lists and r.random() < LIST_CHANCE:
                    self.lead_in_list(path)
                elif r.random() < 0.5:
                    bullet = r.choice(["- ", "+ ", "- "])
                    for _ in range(r.randint(1, 3)):
                        self.body(path, bullet=bullet, n=1)

    def lead_in_list(self, path: str) -> None:
        """The next list block under item `path`, in a layout drawn from the seed."""
        r = self.r
        block = self.lists.pop(0)
        layouts = ["-", "+", "a)"] + (["label"] if block.label else [])
        layout = r.choice(layouts)
        spaced = r.random() < 0.5  # a blank line between items, or none
        sections: list[str | None] = []
        if layout == "label":
            self.add(r.choice(["Phân công thực hiện cụ thể như sau:", "Nhiệm vụ cụ thể như sau:"]), "body", path)
            self.add(f"- {block.label}:", "body", path, gap=spaced)
        else:
            self.add(block.lead, "body", path)
        for k, item in enumerate(block.items):
            if layout == "a)":
                num = POINTS[k]
                ppath = f"{path}.{num}"
                self.section(ppath, "point", num, item, path)
                self.add(f"{num}) {item}", "body", ppath, gap=spaced or k == 0)
                sections.append(ppath)
            else:
                mark = "+" if layout in ("+", "label") else r.choice(["-", "-", "–"])
                self.add(f"{mark} {item}", "body", path, gap=spaced)
                sections.append(path)
        if block.after and layout != "a)":
            self.add(block.after, "body", path, gap=r.random() < 0.5)
        self.doc.lists.append((block, path, layout, sections))

    def table(self, holder: str | None, ordinal: int = 1) -> None:
        r = self.r
        columns = r.choice(TABLE_COLUMNS)
        shape = r.choice(["pipe", "tab", "lines"])
        rows: list[list[str]] = []
        for k in range(1, r.randint(3, 7) + 1):
            cells = [str(k), r.choice(TABLE_TASKS)]
            for name in columns[2:]:
                if name.startswith("Thời"):
                    cells.append(r.choice(TABLE_TIMES))
                elif shape != "lines" and name == "Phối hợp" and r.random() < 0.3:
                    cells.append("")  # an empty cell
                else:
                    cells.append(r.choice(TABLE_BODIES))
            rows.append(cells)
        where = f"{holder}, " if holder else ""
        which = f"bảng {ordinal}, " if ordinal > 1 else ""
        paths = [f"{where}{which}dòng {row[0]}" for row in rows]
        self.doc.tables.append(ExpectedTable(holder, columns, rows, paths))
        for row, path in zip(rows, paths):
            self.section(path, "row", row[0], row[1], holder)
        gap = True
        if shape == "pipe":
            outer = r.random() < 0.3
            fmt = (lambda cs: "| " + " | ".join(cs) + " |") if outer else (lambda cs: " | ".join(cs))
            self.add(fmt(columns), "row", holder, gap=gap)
            if outer:
                self.add("|" + "|".join("---" for _ in columns) + "|", "row", holder, gap=False)
            for row in rows:
                self.add(fmt(row).replace("|  |", "|   |"), "row", holder, gap=False)
        elif shape == "tab":
            self.add("\t".join(columns), "row", holder, gap=gap)
            for row in rows:
                self.add("\t".join(row), "row", holder, gap=False)
        else:
            for n, name in enumerate(columns):
                self.add(name, "row", holder, gap=gap and n == 0)
            between = r.random() < 0.5
            for row in rows:
                for n, cell in enumerate(row):
                    self.add(cell, "row", holder, gap=between and n == 0)
        if r.random() < 0.3:  # a note right under the last row, in lower case: not part of the table
            self.add("ghi chú: thời gian thực hiện có thể điều chỉnh cho phù hợp tình hình thực tế.", "body", holder,
                     gap=False)

    def scheme_roman(self) -> None:
        r = self.r
        sep = r.choice(["- ", ". "])
        titles = r.sample(SECTION_TITLES, r.randint(2, 4))
        table_at = r.randrange(len(titles)) if r.random() < 0.7 else None
        for n, title in enumerate(titles):
            num = ROMAN[n]
            self.section(num, "roman", num, title, None)
            if r.random() < 0.2:  # "II." alone, its title on the line below
                self.add(f"{num}{sep.strip()}", "heading", num)
                self.add(title, "heading", num, gap=False)
            else:
                self.add(f"{num}{sep}{title}", "heading", num)
            if table_at == n:
                self.table(num)
                if r.random() < 0.2:  # a second table in the same part: "III, bảng 2, dòng 1"
                    self.body(num)
                    self.table(num, ordinal=2)
                if r.random() < 0.5:
                    continue
            if r.random() < 0.3:
                for _ in range(r.randint(1, 2)):
                    self.body(num, bullet="- ")
            else:
                self.items(num, num, r.randint(1, 4))

    def scheme_parts(self) -> None:
        r = self.r
        n_parts = r.randint(2, 3)
        # Each Phần holds items ("Phần I.1"), or Roman parts that restart at I: a Roman label found
        # in two Phần is qualified by its Phần ("Phần II, I"), one found once is not.
        romans = [r.randint(1, 2) for _ in range(n_parts)] if r.random() < 0.5 else None
        ordinal_words = r.random() < 0.2
        for n in range(n_parts):
            num = ROMAN[n]
            path = f"Phần {num}"
            title = r.choice(["ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN", "NHIỆM VỤ, GIẢI PHÁP", "TỔ CHỨC THỰC HIỆN"])
            word = r.choice(["Phần", "PHẦN"])
            if ordinal_words:  # "PHẦN THỨ NHẤT": the number is the ordinal as written
                num = ORDINALS[n] if word == "Phần" else ORDINALS[n].upper()
                path = f"Phần {num}"
            self.section(path, "part", num, title, None)
            if r.random() < 0.5:
                self.add(f"{word} {num}", "heading", path)
                self.add(title, "heading", path, gap=False)
            else:
                self.add(f"{word} {num}. {title}", "heading", path)
            if romans is None:
                if r.random() < 0.3:  # a table right under the Phần heading: "Phần II, dòng 1"
                    self.table(path)
                self.items(path, path, r.randint(1, 3))
                continue
            for m in range(romans[n]):
                rn = ROMAN[m]
                shared = sum(1 for c in romans if c > m) > 1
                rpath = f"{path}, {rn}" if shared else rn
                rt = r.choice(SECTION_TITLES)
                self.section(rpath, "roman", rn, rt, path)
                self.add(f"{rn}. {rt}", "heading", rpath)
                self.items(rpath, rpath, r.randint(1, 3))

    def scheme_articles(self, prefix: str = "", root: str | None = None) -> None:
        """Chương / (Mục) / Điều / khoản / điểm. Điều numbers run on through the chapters; Mục
        numbers restart in each, so a Mục label found in two chapters carries its Chương."""
        r = self.r
        art = 1
        n_chapters = r.randint(1, 3)
        mucs = [r.randint(1, 2) for _ in range(n_chapters)] if r.random() < 0.4 else [0] * n_chapters
        for c in range(n_chapters):
            cnum = ROMAN[c]
            cpath = f"{prefix}Chương {cnum}"
            ct = r.choice(["NHỮNG QUY ĐỊNH CHUNG", "NHIỆM VỤ, QUYỀN HẠN", "CHẾ ĐỘ LÀM VIỆC", "ĐIỀU KHOẢN THI HÀNH"])
            self.section(cpath, "chapter", cnum, ct, root)
            if r.random() < 0.6:
                self.add(f"Chương {cnum}", "heading", cpath)
                self.add(ct, "heading", cpath, gap=False)
            else:
                self.add(f"Chương {cnum}. {ct}", "heading", cpath)
            holders: list[tuple[str, int | None]] = [(cpath, None)]
            if mucs[c]:
                holders = []
                for m in range(1, mucs[c] + 1):
                    shared = sum(1 for k in mucs if k >= m) > 1
                    holders.append((f"{prefix}Chương {cnum}, Mục {m}" if shared else f"{prefix}Mục {m}", m))
            for hpath, m in holders:
                if m is not None:
                    mt = r.choice(["QUY ĐỊNH CHUNG", "TRÁCH NHIỆM CỤ THỂ"])
                    self.section(hpath, "section", str(m), mt, cpath)
                    self.add(f"Mục {m}. {mt}", "heading", hpath)
                for _ in range(r.randint(1, 3)):
                    apath = f"{prefix}Điều {art}"
                    at = r.choice(ARTICLE_TITLES)
                    self.section(apath, "article", str(art), at, hpath)
                    self.add(f"Điều {art}. {at}", "heading", apath)
                    art += 1
                    if r.random() < 0.3:
                        self.body(apath)
                        continue
                    sep = r.choice([". ", "- ", ". "])
                    for k in range(1, r.randint(2, 4) + 1):
                        kp = f"{apath}.{k}"
                        text, markers = self.paragraph_text(kp, 1)
                        if r.random() < 0.3:
                            text = text.rstrip(".") + " như sau:"
                            self.section(kp, "clause", str(k), text, apath)
                            self.add(f"{k}{sep}{text}", "body", kp, markers=markers)
                            self.points(kp, gap_first=r.random() < 0.5)
                        else:
                            self.section(kp, "clause", str(k), text, apath)
                            self.add(f"{k}{sep}{text}", "body", kp, breakable=True, markers=markers)

    def scheme_letters(self) -> None:
        """A report: "A. KẾT QUẢ …", "B. PHƯƠNG HƯỚNG …", each with Roman parts restarting at I."""
        r = self.r
        titles = ["KẾT QUẢ THỰC HIỆN NHIỆM VỤ 6 THÁNG ĐẦU NĂM", "PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM",
                  "KIẾN NGHỊ, ĐỀ XUẤT"]
        n_parts = r.randint(2, 3)
        romans = [r.randint(1, 3) for _ in range(n_parts)]
        for n in range(n_parts):
            letter = "ABC"[n]
            path = f"Phần {letter}"
            self.section(path, "part", letter, titles[n], None)
            self.add(f"{letter}{r.choice(['. ', '- '])}{titles[n]}", "heading", path)
            for m in range(romans[n]):
                rn = ROMAN[m]
                shared = sum(1 for c in romans if c > m) > 1
                rpath = f"{path}, {rn}" if shared else rn
                rt = r.choice(SECTION_TITLES)
                self.section(rpath, "roman", rn, rt, path)
                self.add(f"{rn}. {rt}", "heading", rpath)
                self.items(rpath, rpath, r.randint(1, 3))

    def scheme_items(self) -> None:
        if self.r.random() < 0.4:  # a table before the first item, under no section: "dòng 1"
            self.add("Phân công thực hiện cụ thể như sau:", "body")
            self.table(None)
        self.items(None, None, self.r.randint(2, 5))

    # ---- closing
    def closing(self, body_name: str) -> None:
        r = self.r
        recipients = r.sample(RECIPIENTS, r.randint(2, 5))
        signer = r.choice(SIGNERS)
        if r.random() < 0.15:
            signer = signer.upper()  # names set in capitals
        position = r.choice([["T/M BAN THƯỜNG VỤ", "BÍ THƯ"], ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"],
                             ["K/T BÍ THƯ", "PHÓ BÍ THƯ THƯỜNG TRỰC"], [f"T/M {body_name}", "CHỦ NHIỆM"]])
        signed = r.random() < 0.5
        dashes = r.random() < 0.8

        def recip() -> None:
            self.add("Nơi nhận:", "closing")
            for n, x in enumerate(recipients):
                end = "." if n == len(recipients) - 1 else ","
                self.add(f"- {x}{end}" if dashes else f"{x}{end}", "closing", gap=False)

        def sign() -> None:
            self.add(position[0], "closing")
            for ln in position[1:]:
                self.add(ln, "closing", gap=False)
            if signed:
                self.add("(Đã ký)", "closing")
            self.add(signer, "closing")

        layout = r.choice(["recipients first"] * 5 + ["signature first"] * 2 + ["columns"] * 2)
        if layout == "columns" and len(recipients) >= len(position):
            # the two columns flattened onto shared lines: recipients left, signature right
            sep = r.choice(["\t\t", "\t", "        "])
            rows = ["Nơi nhận:"] + [(f"- {x}" if dashes else x) + ("." if n == len(recipients) - 1 else ",")
                                    for n, x in enumerate(recipients)]
            for n, row in enumerate(rows):
                right = position[n] if n < len(position) else ("(Đã ký)" if signed and n == len(position) else "")
                self.add(row + (sep + right if right else ""), "closing", gap=n == 0)
            self.add(signer, "closing")
            self.q("signer", signer)
            for ln in position:
                self.q("signer_position", ln)
            for x in recipients:
                self.q("recipient", x)
            self.doc.values.update(signer=signer, recipients=recipients)
            return
        if layout == "recipients first":
            recip()
            sign()
        else:
            sign()
            recip()
        self.q("signer", signer)
        self.q("signer_position", "\n".join(position))
        for x in recipients:
            self.q("recipient", x)
        self.doc.values.update(signer=signer, recipients=recipients)

    # ---- documents
    def plan(self) -> None:
        caps, name, code = self.r.choice(TYPES)
        self.header(caps, name, code)
        self.preamble("Ban Thường vụ ban hành Kế hoạch thực hiện")
        shape = self.r.choice(["roman", "roman", "parts", "items", "letters"])
        self.doc.shape = shape
        getattr(self, f"scheme_{shape}")()
        self.closing("ỦY BAN KIỂM TRA")

    def regulation(self) -> None:
        self.header("QUY ĐỊNH", "Quy định", "QĐ")
        self.preamble("Ban Thường vụ quy định")
        self.doc.shape = "articles"
        self.scheme_articles()
        self.closing("ỦY BAN KIỂM TRA")

    def decision(self) -> None:
        """A Quyết định whose Quy chế is annexed after its own signature."""
        r = self.r
        self.header("QUYẾT ĐỊNH", "Quyết định", "QĐ")
        self.doc.shape = "decision+annex"
        self.add("BAN THƯỜNG VỤ", "body")
        self.add("- Căn cứ Điều lệ Đảng;", "body")
        self.q("basis", "Căn cứ Điều lệ Đảng;")
        self.add("QUYẾT ĐỊNH:", "body")
        arts = ["Ban hành kèm theo Quyết định này Quy chế làm việc của Ban Chấp hành Đảng bộ.",
                "Quyết định có hiệu lực kể từ ngày ký.",
                "Văn phòng và các cơ quan liên quan chịu trách nhiệm thi hành Quyết định này."]
        for k, t in enumerate(arts, 1):
            self.section(f"Điều {k}", "article", str(k), t, None)
            self.add(f"Điều {k}. {t}", "body", f"Điều {k}")
        self.closing("BAN THƯỜNG VỤ")
        # the annex: the issuer repeated, its type, subject, "(Ban hành kèm theo …)"
        if r.random() < 0.5:
            for ln in self.issuer_lines:
                self.add(ln, "annexhead", gap=False)
            self.add("ĐẢNG CỘNG SẢN VIỆT NAM", "annexhead")
        subject = "làm việc của Ban Chấp hành Đảng bộ nhiệm kỳ 2025 - 2030"
        self.add("QUY CHẾ", "annexhead")
        self.add(subject, "annexhead", gap=False)
        self.add(f"(Ban hành kèm theo Quyết định số {self.number}, ngày {self.issued.day}/{self.issued.month}/"
                 f"{self.issued.year} của Ban Thường vụ)", "annexhead", gap=False)
        self.add("-----", "rule", gap=False)
        self.section("Quy chế", "annex", "", subject, None)
        self.scheme_articles(prefix="Quy chế, ", root="Quy chế")
        if r.random() < 0.5:  # the annex signed again: a closing of its own, not the document's
            self.add("T/M BAN THƯỜNG VỤ", "annexclosing")
            self.add("BÍ THƯ", "annexclosing", gap=False)
            self.add(r.choice(SIGNERS), "annexclosing")

    # ---- rendering, with page breaks
    def render(self) -> str:
        """The blocks as text, with page breaks decided first: between blocks (before a body or
        heading block that opens a paragraph) or inside a long paragraph. At each break: the
        footnotes referenced on the page ending, its page number, the next page's running header."""
        r = self.r
        plan: list[tuple[bool, int | None]] = []  # per block: a break before it, a cut inside it
        body_seen = False
        for b in self.blocks:
            body_seen = body_seen or b.kind in ("body", "heading")
            before = body_seen and b.gap and b.kind in ("body", "heading") and r.random() < BREAK_CHANCE / 2
            cut = self._cut(b.text) if b.breakable and len(b.text) > 80 and r.random() < BREAK_CHANCE else None
            plan.append((before, cut))
        breaks = sum(bool(a) + (c is not None) for a, c in plan)
        self.doc.page_breaks = breaks
        # A running header is known as one by repeating at two breaks, or by naming the document.
        choices = [None, f"{self.doc.values['type']} số {self.number}"]
        if breaks >= 2:
            choices.append(self.issuer_lines[-1])
        running = r.choice(choices)
        lines: list[str] = []
        pending: list[int] = []
        written: set[int] = set()
        page = 1

        def page_break() -> None:
            nonlocal page
            page += 1
            lines.append("")
            if pending:
                for m in pending:
                    lines.append(self._fn_def(m))
                    written.add(m)
                pending.clear()
                lines.append("")
            number = r.choice(["- {} -", "{}", "Trang {}", "{}"]).format(page)
            top = r.random() < 0.5  # the number at the top of the new page, under its running header
            if not top:
                lines.extend([number, ""])
            if running:
                lines.extend([running, ""])
            if top:
                lines.extend([number, ""])

        for b, (before, cut) in zip(self.blocks, plan):
            if b.gap and lines:
                lines.append("")
            if before and lines:
                page_break()
            if cut is not None:
                first, rest = b.text[:cut].rstrip(" "), b.text[cut:]
                lines.append(first)
                pending += [m for m in b.markers if _marker(m, "super") in first or _marker(m, "paren") in first]
                page_break()
                lines.append(rest)
                pending += [m for m in b.markers if m not in written and m not in pending]
                continue
            lines.append(b.text)
            pending += [m for m in b.markers if m not in pending]
        if pending:  # footnotes of the last page, at its foot
            lines.append("")
            lines += [self._fn_def(m) for m in pending]
        return "\n".join(lines) + "\n"

    def _fn_def(self, m: int) -> str:
        style = "paren" if self.fn_style == "paren" or self.r.random() < 0.5 else "super"
        return f"{_marker(m, style)} {self.footnote_texts[m]}"

    def _cut(self, text: str) -> int | None:
        """Where a page break may cut a paragraph: before a lower-case word, never in its first
        or last few words, never right after a footnote marker."""
        spots = [i + 1 for i, ch in enumerate(text) if ch == " " and 30 < i < len(text) - 20
                 and text[i + 1].isalpha() and text[i + 1].islower() and text[i - 1].isalpha()]
        return self.r.choice(spots) if spots else None


BREAK_CHANCE = 0.12  # per long paragraph: a page break cuts it; half that between two blocks
LIST_CHANCE = 0.8  # per item body, when list blocks are given: a lead-in list follows it


def _marker(m: int, style: str) -> str:
    return str(m).translate(SUPERSCRIPT) if style == "super" else f"({m})"


def generate(seed: int, duties: list[DutyLine] | None = None, lists: list[ListBlock] | None = None) -> GeneratedDoc:
    """One document with its truth. Same seed, same document. `lists`: lead-in lists to place (each
    at most once, in order, where a numbered item's body may hold one; `GeneratedDoc.lists` says
    which were placed, where and how)."""
    g = _Gen(seed, duties, lists)
    kind = g.r.choice(["plan", "plan", "plan", "regulation", "decision"])
    getattr(g, kind)()
    g.doc.text = g.render()
    return g.doc


def generate_many(n: int, seed: int = 0, duties: list[DutyLine] | None = None) -> list[GeneratedDoc]:
    return [generate(seed * 100_003 + k, duties) for k in range(n)]
