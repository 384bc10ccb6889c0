"""Duty sentences with known actors and deadline windows, for documents from tests/support/docgen.py.

Each `PlantedDuty` is one sentence (a docgen `DutyLine`) holding one or two duties, with what a
correct reading finds: for every duty clause, a fragment of it (`evidence`) and its deadline truth
(from the grammar's templates, tests/support/deadline_forms.py); for the sentence, the actors it
binds, as (category, owner, levels) of the gazetteer (ingest/data/actors.yaml), and the roles that
must and must not get it. The truth is written from the phrases, not computed by the code under test.

    duties = planted_duties(seed)            # a pool drawn from the seed
    doc = docgen.generate(seed, duties=[p.line for p in duties])
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from datetime import date

from support.deadline_forms import TEMPLATES, Values, is_standing, yearly
from support.docgen import DeadlineTruth, DutyLine, ListBlock

PLAN_YEAR = 2025  # docgen's documents are of 2025


@dataclass(frozen=True)
class Actor:
    """An actor phrase as written, and the ActorRefs it must give: (category, owner, levels)."""
    text: str
    refs: tuple[tuple[str, str | None, tuple[str, ...]], ...]
    bound: tuple[str, ...] = ()  # roles (as users type them) the duty binds
    not_bound: tuple[str, ...] = ()  # roles it must not bind


ACTORS: list[Actor] = [
    Actor("Các chi bộ", (("chi bộ", None, ("thôn", "xã")),), ("bí thư chi bộ",), ("bí thư huyện ủy",)),
    Actor("Ban Tuyên giáo Huyện ủy", (("Ban Tuyên giáo", "huyện ủy", ("huyện",)),),
          ("cán bộ Ban Tuyên giáo huyện ủy",), ("cán bộ Ban Tuyên giáo Tỉnh ủy", "giáo viên")),
    Actor("Văn phòng Huyện ủy", (("văn phòng cấp ủy", "huyện ủy", ("huyện",)),), ("cán bộ Văn phòng Huyện ủy",),
          ("cán bộ Văn phòng Tỉnh ủy",)),
    Actor("Ủy ban kiểm tra các đảng ủy cơ sở", (("Ủy ban Kiểm tra", "đảng ủy cơ sở", ("xã",)),),
          ("chủ nhiệm ủy ban kiểm tra đảng ủy xã",), ("chủ nhiệm ủy ban kiểm tra huyện ủy",)),
    Actor("Bí thư đảng ủy, chủ tịch UBND cấp xã",
          (("bí thư đảng ủy", "đảng ủy", ("xã",)), ("chủ tịch UBND", "Ủy ban nhân dân", ("xã",))),
          ("bí thư đảng ủy xã", "chủ tịch UBND xã"), ("chủ tịch UBND tỉnh", "bí thư chi bộ thôn")),
    Actor("Người đứng đầu chi bộ (trừ chi bộ thôn, bản)", (("người đứng đầu chi bộ", "chi bộ", ("thôn", "xã")),),
          ("bí thư chi bộ",), ("bí thư chi bộ thôn", "đảng viên chi bộ thôn")),
    Actor("Hiệu trưởng các trường tiểu học", (("hiệu trưởng", "trường tiểu học", ("xã",)),),
          ("hiệu trưởng trường tiểu học",), ("giáo viên", "chủ tịch UBND xã")),
    Actor("Đảng đoàn Hội đồng nhân dân huyện", (("đảng đoàn", "Hội đồng nhân dân", ("huyện",)),),
          ("Đảng đoàn Hội đồng nhân dân huyện",), ("Đảng đoàn Hội đồng nhân dân tỉnh",)),
    Actor("Huyện đoàn", (("Huyện đoàn", None, ("huyện",)),), ("Huyện đoàn",), ("đoàn viên", "Tỉnh đoàn")),
    Actor("Trung tâm Chính trị huyện", (("trung tâm chính trị cấp huyện", None, ("huyện",)),),
          ("giảng viên trung tâm chính trị",), ("giảng viên Trường Chính trị tỉnh",)),
    Actor("Mặt trận Tổ quốc và các tổ chức chính trị - xã hội cấp xã",
          (("Mặt trận Tổ quốc và các tổ chức chính trị - xã hội", None, ("xã",)),), ("cán bộ Mặt trận",), ()),
    Actor("Các huyện ủy, thị ủy, thành ủy",
          (("huyện ủy", None, ("huyện",)), ("cấp ủy cấp huyện", None, ("huyện",)), ("thành ủy", None, ("huyện",))),
          ("bí thư huyện ủy",), ("bí thư đảng ủy xã",)),
    # posts and the bodies they head, exclusions, level qualifiers (issue 13 item 3)
    Actor("Bí thư chi bộ khu phố", (("bí thư cấp ủy", "chi bộ thôn", ("thôn",)),),
          ("bí thư chi bộ thôn",), ("bí thư đảng ủy xã", "đảng viên chi bộ thôn")),
    Actor("Bí thư các chi bộ thôn, bản", (("bí thư cấp ủy", "chi bộ thôn", ("thôn",)),),
          ("bí thư chi bộ thôn",), ("bí thư đảng ủy xã", "đảng viên chi bộ thôn")),
    Actor("Chi bộ khu phố", (("chi bộ thôn", None, ("thôn",)),), ("bí thư chi bộ thôn",), ("bí thư đảng ủy xã",)),
    Actor("Các chi bộ (trừ chi bộ thôn, bản)", (("chi bộ", None, ("thôn", "xã")),),
          ("bí thư chi bộ",), ("bí thư chi bộ thôn", "bí thư chi bộ khu phố")),
    Actor("Các chi bộ cấp xã", (("chi bộ", None, ("xã",)),), ("bí thư chi bộ",), ("bí thư chi bộ thôn",)),
    Actor("Các tổ chức cơ sở đảng (trừ chi bộ thôn, bản, tổ dân phố)", (("tổ chức đảng", None, ()),),
          ("bí thư đảng ủy xã",), ("bí thư chi bộ thôn", "bí thư chi bộ khu phố")),
    Actor("Trưởng ban công tác Mặt trận thôn",
          (("trưởng ban công tác Mặt trận", "ban công tác Mặt trận", ("thôn",)),),
          ("trưởng ban công tác Mặt trận thôn",), ("trưởng phòng cấp huyện", "chủ tịch Ủy ban Mặt trận Tổ quốc")),
    Actor("Ban công tác Mặt trận các thôn", (("ban công tác Mặt trận", None, ("thôn",)),),
          ("trưởng ban công tác Mặt trận",), ("cán bộ Ban Tuyên giáo huyện ủy",)),
    Actor("Cán bộ, đảng viên", (("cán bộ", None, ()), ("đảng viên", None, ())), ("đảng viên", "bí thư chi bộ"),
          ("phóng viên",)),
    Actor("Bí thư cấp ủy từ cấp huyện trở lên", (("bí thư cấp ủy", "cấp ủy", ("huyện", "tỉnh", "trung ương")),),
          ("bí thư huyện ủy",), ("bí thư chi bộ thôn", "bí thư đảng ủy xã")),
    Actor("Người đứng đầu cơ quan, đơn vị (từ cấp huyện trở lên)",
          (("người đứng đầu", "cơ quan, đơn vị", ("huyện", "tỉnh", "trung ương")),),
          ("trưởng phòng cấp huyện",), ("bí thư đảng ủy xã", "chủ tịch UBND xã")),
]

# What the actors do: a verb phrase before the time phrase (no time word, no "đã").
VERBS = ["tổ chức quán triệt Kế hoạch đến cán bộ, đảng viên, hoàn thành",
         "rà soát, tổng hợp danh sách và gửi báo cáo về Ban Thường vụ Huyện ủy",
         "xây dựng kế hoạch cụ thể",
         "kiểm tra việc thực hiện tại các cơ sở, báo cáo kết quả",
         "đăng ký nội dung sinh hoạt chuyên đề"]
SECOND_VERBS = ["gửi báo cáo năm", "tổ chức sơ kết", "báo cáo kết quả thực hiện về Văn phòng Huyện ủy"]


@dataclass(frozen=True)
class Clause:
    evidence: str  # a fragment of the duty clause, verbatim
    deadline: DeadlineTruth  # for the Values it was drawn with
    template: object = None  # the grammar's template, and its values: the truth depends on the
    values: object = None  # document's issue date for recurrences and issuance-anchored deadlines


def truth(clause: Clause, issued: date | None, doc_type: str | None = None) -> DeadlineTruth:
    """The clause's deadline truth in a document issued on `issued`, of type `doc_type` (docgen draws
    both): "sau khi Kế hoạch được ban hành 30 ngày" counts from the issue date only in a Kế hoạch."""
    if clause.template is None or issued is None:
        return clause.deadline
    values = replace(clause.values, issued=issued)
    phrase, d = clause.template.render(values)
    if "{T}" in clause.template.phrase and doc_type and doc_type != clause.values.doc_type:
        d = replace(d, start=None, end=None)  # another document's issuance: an anchor, no date
    if is_standing(doc_type) and d.kind == "dated" and d.implied_year:
        # in a standing rule (a Quy định, an annexed Quy chế) a yearless day recurs every year
        d = replace(d, **yearly({"start": d.start, "end": d.end, "kind": d.kind, "implied_year": d.implied_year},
                                replace(values, doc_type=doc_type).plan_start()))
    return _truth(replace(d, text=phrase))


@dataclass(frozen=True)
class PlantedDuty:
    line: DutyLine
    actor: Actor
    clauses: tuple[Clause, ...]


def _usable(t) -> bool:
    """A template for a duty sentence: read inside a sentence, and saying when (not "đầu năm")."""
    v = Values.draw(random.Random(7), plan_year=PLAN_YEAR, issued=date(PLAN_YEAR, 3, 10), doc_type="Kế hoạch")
    return t.in_sentence and t.render(v)[1].kind != "vague"


# "giai đoạn 2023 - 2025", "nhiệm kỳ 2020-2025" after a verb name a programme's period in these
# documents ("Giải thưởng … đợt 2, giai đoạn 2023 - 2025"); ingest.obligations takes a multi-year span
# as a duty's window only as "trong giai đoạn …" or an explicit "từ năm … đến năm …".
_PROGRAMME_PERIOD = ("giai đoạn", "nhiệm kỳ")
USABLE = [t for t in TEMPLATES if _usable(t)
          and not (t.form == "range.years" and t.phrase.lower().startswith(_PROGRAMME_PERIOD))]
# Dated ones for sentences with two duties: each must come out with its own window.
DATED = [t for t in USABLE
         if t.render(Values.draw(random.Random(1), plan_year=PLAN_YEAR, doc_type="Kế hoạch"))[1].kind == "dated"]


def _truth(d) -> DeadlineTruth:
    return DeadlineTruth(d.text, d.start, d.end, d.kind, d.exclusive_end)


def planted_duties(seed: int, n: int = 12) -> list[PlantedDuty]:
    rng = random.Random(seed)
    out: list[PlantedDuty] = []
    for k in range(n):
        v = Values.draw(rng, plan_year=PLAN_YEAR, issued=date(PLAN_YEAR, rng.randint(1, 12), rng.randint(1, 28)),
                        doc_type="Kế hoạch")
        actor = rng.choice(ACTORS)
        verb = rng.choice(VERBS)
        if k % 3 == 2:  # two duties, two time phrases, one sentence
            t1, t2 = rng.choice(DATED), rng.choice(DATED)
            (p1, d1), (p2, d2) = t1.render(v), t2.render(replace(v, day=v.day2, pday=v.pday2))
            if t1.form == t2.form:  # two phrases of one form can read as one ("quý I và quý II/2025")
                continue
            second = rng.choice(SECOND_VERBS)
            text = f"{actor.text} {verb} {p1} và {second} {p2}."
            v2 = replace(v, day=v.day2, pday=v.pday2)
            clauses = (Clause(f"{verb} {p1}", _truth(replace(d1, text=p1)), t1, v),
                       Clause(f"{second} {p2}", _truth(replace(d2, text=p2)), t2, v2))
        else:
            t = rng.choice(USABLE)
            p, d = t.render(v)
            text = f"{actor.text} {verb} {p}."
            clauses = (Clause(f"{verb} {p}", _truth(replace(d, text=p)), t, v),)
        line = DutyLine(text, tuple(r[0] for r in actor.refs), clauses[0].deadline)
        out.append(PlantedDuty(line, actor, clauses))
    return out


# Duty tables of docgen: what a lead / cooperating cell names, and what a time cell gives (plan year 2025).
TABLE_ACTORS: dict[str, tuple[set[tuple[str, str | None]], set[tuple[str, str | None]]]] = {
    "Các chi, đảng bộ cơ sở": ({("chi bộ", None), ("đảng ủy cơ sở", None)}, set()),
    "Ban Tuyên giáo Huyện ủy": ({("Ban Tuyên giáo", "huyện ủy")}, set()),
    "Văn phòng Huyện ủy": ({("văn phòng cấp ủy", "huyện ủy")}, set()),
    "Ủy ban Kiểm tra Huyện ủy": ({("Ủy ban Kiểm tra", "huyện ủy")}, set()),
    "Ban Tổ chức Huyện ủy": ({("Ban Tổ chức", "huyện ủy")}, set()),
    "chi ủy, đảng ủy cơ sở phối hợp thủ trưởng cơ quan": ({("chi bộ", None), ("đảng ủy cơ sở", None)},
                                                           {("người đứng đầu", "cơ quan, đơn vị")}),
}
TABLE_WINDOWS: dict[str, tuple[date | None, date | None, str]] = {
    "trước 15/4": (None, date(2025, 4, 15), "dated"),
    "tháng 5": (date(2025, 5, 1), date(2025, 5, 31), "dated"),
    "quý II": (date(2025, 4, 1), date(2025, 6, 30), "dated"),
    "6 tháng cuối năm": (date(2025, 7, 1), date(2025, 12, 31), "dated"),
    "trước 20/6": (None, date(2025, 6, 20), "dated"),
    "hằng tháng": (None, None, "recurring"),
    "trước 15/12/2025": (None, date(2025, 12, 15), "dated"),
    "tháng 01/2026": (date(2026, 1, 1), date(2026, 1, 31), "dated"),
}


def table_window(cell: str, issued: date | None) -> tuple[date | None, date | None, str]:
    """The window of a time cell in a document issued on `issued`: a yearless day before the issue
    is the next year's ("trước 15/4" in a plan issued in June 2025: 15/4/2026; docs/deadlines.md)."""
    start, end, kind = TABLE_WINDOWS[cell]
    if issued is not None and end is not None and re.fullmatch(r"trước \d{1,2}/\d{1,2}", cell) and end < issued:
        end = end.replace(year=end.year + 1)
    return start, end, kind


# ------------------------------------------------------------------------------------------------
# Lists under a lead-in (issue 13): the items bind the actors the lead-in names, unless an item names
# its own; a prohibiting lead-in makes its items prohibitions; the paragraph after the list keeps its
# own actor and lends it to no item.

# How a lead-in names who the items bind ({a}: the actor phrase), and what its items then are.
LEAD_INS = [("{A} có trách nhiệm:", "must"), ("Giao {a}:", "must"), ("Đề nghị {a}:", "must"),
            ("{A} thực hiện các nhiệm vụ sau:", "must"), ("{A} phải:", "must")]
PROHIBITING = [("Nghiêm cấm {a}:", "must not"), ("{A} không được:", "must not")]
# Actor phrases whose first word is a common noun: written in lower case inside a sentence.
_COMMON_START = ("Các ", "Người ", "Bí thư ", "Hiệu trưởng ", "Trưởng ", "Chi bộ ", "Cán bộ ", "Mỗi ")
ITEM_VERBS = ["Xây dựng kế hoạch thực hiện", "Rà soát, tổng hợp danh sách, báo cáo kết quả",
              "Tổ chức hội nghị quán triệt", "Kiểm tra việc thực hiện tại cơ sở", "Đăng ký nội dung sinh hoạt chuyên đề"]
PROHIBITED = ["Sử dụng xe công vào việc riêng", "Tổ chức tiệc chiêu đãi bằng ngân sách nhà nước",
              "Nhận quà tặng dưới mọi hình thức liên quan đến công việc được giao"]


@dataclass(frozen=True)
class PlantedItem:
    text: str
    actor: Actor  # the lead-in's, or the item's own
    clause: Clause | None  # evidence and deadline truth (None: a prohibition without a time)
    evidence: str = ""


@dataclass(frozen=True)
class PlantedList:
    block: ListBlock
    actor: Actor
    polarity: str  # "must" | "must not"
    items: tuple[PlantedItem, ...]
    after: Actor | None  # the actor of the paragraph after the list


def _mid(actor_text: str) -> str:
    return actor_text[0].lower() + actor_text[1:] if actor_text.startswith(_COMMON_START) else actor_text


def planted_lists(seed: int, n: int = 6) -> list[PlantedList]:
    rng = random.Random(seed * 7 + 1)
    out: list[PlantedList] = []
    for _ in range(n):
        actor = rng.choice(ACTORS)
        prohibiting = rng.random() < 0.2
        lead, polarity = rng.choice(PROHIBITING if prohibiting else LEAD_INS)
        lead_text = lead.format(A=actor.text, a=_mid(actor.text))
        items: list[PlantedItem] = []
        for k in range(rng.randint(2, 3)):
            end = ";" if k < 2 else "."
            if prohibiting:
                what = PROHIBITED[k % len(PROHIBITED)]
                items.append(PlantedItem(f"{what}{end}", actor, None, what))
                continue
            v = Values.draw(rng, plan_year=PLAN_YEAR, issued=date(PLAN_YEAR, rng.randint(1, 12), rng.randint(1, 28)),
                            doc_type="Kế hoạch")
            t = rng.choice(USABLE)
            p, d = t.render(v)
            verb = rng.choice(ITEM_VERBS)
            own = rng.choice([a for a in ACTORS if a is not actor]) if rng.random() < 0.25 else None
            text = f"{own.text} {verb[0].lower()}{verb[1:]} {p}" if own else f"{verb} {p}"
            items.append(PlantedItem(text + end, own or actor, Clause(f"{verb[0].lower()}{verb[1:]} {p}"
                                     if own else f"{verb} {p}", _truth(replace(d, text=p)), t, v)))
        last = items[-1]
        if rng.random() < 0.3:  # the last item without its full stop
            items[-1] = replace(last, text=last.text.rstrip("."))
        other = rng.choice([a for a in ACTORS if a is not actor])
        after = f"{other.text} theo dõi, đôn đốc việc thực hiện và báo cáo kết quả." if rng.random() < 0.7 else None
        label = actor.text if not prohibiting else None
        out.append(PlantedList(ListBlock(lead_text, tuple(i.text for i in items), label, after), actor, polarity,
                               tuple(items), other if after else None))
    return out
