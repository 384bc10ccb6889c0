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
from dataclasses import dataclass, replace
from datetime import date

from support.deadline_forms import TEMPLATES, Values
from support.docgen import DeadlineTruth, DutyLine

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
    phrase, d = clause.template.render(replace(clause.values, issued=issued))
    if "{T}" in clause.template.phrase and doc_type and doc_type != clause.values.doc_type:
        d = replace(d, start=None, end=None)  # another document's issuance: an anchor, no date
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
DATED = [t for t in USABLE if t.render(Values.draw(random.Random(1), plan_year=PLAN_YEAR))[1].kind == "dated"]


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
