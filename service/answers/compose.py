"""Writing an answer: a direct reply first, then the quotes, each cited once.

Every statement carries [n] markers pointing at `citations[n-1]`, every quote is verbatim
`document.text[start:end]`, no line is written twice, and a heading alone is never a quote.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ingest.normalize import fold

from ..records import Citations, Duty, Passage, Span, actor_names, obligation_json, section_label

if TYPE_CHECKING:
    from .context import Context

NONE_TEXT = "Các văn bản hiện có trong kho không đề cập đến nội dung này."
_BARE_HEADING = re.compile(r"^(?:(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]+\s*[.:]?|(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\s*[.):\-–]?)$")
_TERMINAL = re.compile(r"[.!?;:…]['\"”’»)]*\s*$")


@dataclass
class Quote:
    """A sentence chosen for an answer, with how well it answers (`score`, what the support threshold
    reads) and where it ranks among the others (`rank`: the score with tie-breaking gains that say
    nothing of support, such as the words rare inside its document)."""
    score: float
    passage: Passage
    start: int
    end: int
    rank: float | None = None

    @property
    def order(self) -> float:
        return self.score if self.rank is None else self.rank

    @property
    def text(self) -> str:
        return self.passage.quote(self.start, self.end)


# A heading of at least this many words says something by itself ("Điều 1. Yêu nước, tôn trọng Nhân
# dân, tuyệt đối trung thành …"): it may be quoted. Shorter ones ("2.2. Kế hoạch cá nhân",
# "II. ĐỐI TƯỢNG …") only name what follows.
HEADING_WORDS_QUOTABLE = 8


# The label opening a heading: "Điều 3.", "Chương II.", "Mục 1.", "Phần I.".
_HEADING_LABEL = re.compile(r"^(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]+[a-zđ]?\s*[.:\-–]?\s*")


# A heading that names its topic with "Về …" ("5. Về tổ chức Lễ hội Đền Sơn Khê năm 2027").
_TOPIC_LABEL = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])?[.)\-]?\s*Về\s", re.I)


# Quotes of this many sections in a row under one parent ("II.1", "II.2", "II.3") are a list: one
# "Theo …, mục II:" line above them, not one line each (each [n] still cites its own section).
# Fewer stay under their own sections, which tell the reader more than the parent.
SIBLINGS_UNDER_PARENT = 3


def _inside_section(under: tuple[str, str], doc_id: str, section: str | None) -> bool:
    """`section` of `doc_id` lies below the heading's section ("3.1.a" below "3.1")."""
    return doc_id == under[0] and bool(section) and section.startswith(under[1] + ".")


# The label a heading opens with: "Chương III.", "Phần thứ hai:", "Điều 9.", "II.", "2.1."
_LABEL = re.compile(r"^(?:(?:Chương|Phần|Mục|Điều|Tiểu mục)\s+(?:thứ\s+)?[\dIVXLCa-zà-ỹ]+|[IVXLC]+|\d+(?:\.\d+)*)\s*[.:\-–)]?\s*",
                    re.I)


# A run-in heading: the short label a point opens with before its first sentence ("3. Về công tác nhân
# sự. Thực hiện …", "6. Tổ chức thực hiện. Văn phòng …"), split off as a sentence of its own.
RUN_IN_WORDS = 6
_NUMBER_LABEL = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)\-–]\s*")


def _run_in(sec: dict, start: int, text: str) -> bool:
    """`text` (at `start`) is the run-in label its section's title opens with, and the title goes on."""
    said = _NUMBER_LABEL.sub("", text.strip()).rstrip(".: ")
    title = (sec.get("title") or "").strip()
    return (0 < len(said.split()) <= RUN_IN_WORDS and sec["start"] <= start <= sec["start"] + 12
            and title.startswith(said) and len(title) > len(said) + 3 and title[len(said):len(said) + 1] in ".:")


def is_heading(ctx: "Context", doc_id: str, start: int, end: int, text: str) -> bool:
    """A section's heading line that only names what follows: never quoted on its own."""
    stripped = text.strip()
    if _BARE_HEADING.match(stripped):
        return True
    for sec in ctx.section_tree(doc_id):
        if sec.get("kind") == "row" or sec.get("row"):
            continue  # a table row is its cells, not a heading over them
        if sec.get("kind") == "annex" and sec["start"] <= start < sec.get("heading_end", sec["start"]):
            return True  # an annexed Quy chế's title block names the document, however long it is
        if sec["start"] <= start and end <= sec.get("heading_end", sec["start"]) and not _TERMINAL.search(text):
            if _TOPIC_LABEL.match(stripped):
                return True  # "5. Về tổ chức Lễ hội …": names a topic, however many words
            # words that say something: "2." and "2027" in "2. Các chỉ tiêu đến hết năm 2027" do not,
            # nor the label "Điều 3." of "Điều 3. Đối tượng không thuộc phạm vi điều chỉnh" ("Chương II
            # TIẾP NHẬN …" shouts its title after the label)
            said = _HEADING_LABEL.sub("", stripped)
            letters = [c for c in said if c.isalpha()]
            shouting = bool(letters) and all(c.isupper() for c in letters)
            return shouting or sum(1 for w in said.split() if any(c.isalpha() for c in w)) < HEADING_WORDS_QUOTABLE
    return False


def format_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


# A rhythm the deadline's own words already state ("6 tháng một lần, trước ngày 10/6 …", "mỗi quý …").
_RHYTHM_WRITTEN = re.compile(r"(?<!\w)(?:hằng|hàng|mỗi|định kỳ|một lần|\d+\s+lần)(?!\w)", re.IGNORECASE)


def deadline_phrase(deadline: dict | None, recurrence: str | None, as_of: date | None = None) -> str:
    """The deadline as a date and window, as the direct reply says it: "trước ngày 15/01/2024 (hạn
    cuối 14/01/2024)", "Quý II/2024: 01/04/2024–30/06/2024", "20 ngày làm việc kể từ …"."""
    if not deadline:
        return recurrence or "không nêu thời hạn"
    # Dates as dd/mm/yyyy ("trước ngày 10/3/2027" → "trước ngày 10/03/2027"): the reply states the
    # date one way; the quote beside it keeps the document's own writing.
    text = re.sub(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)",
                  lambda m: f"{int(m.group(1)):02d}/{int(m.group(2)):02d}/{m.group(3)}", deadline.get("text") or "")
    start = date.fromisoformat(deadline["start"]) if deadline.get("start") else None
    end = date.fromisoformat(deadline["end"]) if deadline.get("end") else None
    if recurrence and recurrence != "thường xuyên" and recurrence.lower() not in text.lower() \
            and not _RHYTHM_WRITTEN.search(text):
        # the rhythm written apart from its day ("hằng tháng báo cáo … trước ngày 25"): said with it
        text = f"{recurrence}, {text[:1].lower()}{text[1:]}"  # "hằng năm, trước ngày 15/6" (a cell's capital)
    parts = [text]
    # a recurrence's stored window is its first occurrence only: said so, never as the one deadline
    first = "lần đầu: " if deadline.get("rrule") or deadline.get("class") == "recurring" else ""
    if start and end and start != end:
        parts.append(f"({first}{format_date(start)}–{format_date(end)})")
    elif end and deadline.get("exclusive_end"):
        parts.append(f"({first}hạn cuối {format_date(end - timedelta(days=1))})")
    elif end and not re.search(r"\d{1,2}/\d{1,2}/\d{4}", text):
        parts.append(f"({first}{format_date(end)})")
    elif start and not end:
        parts.append(f"(từ {format_date(start)})")
    if deadline.get("implied_year") and not first:
        # (a recurrence recurs every year: its first year is no guess worth a note)
        parts.append(f"(năm {deadline['implied_year']}, theo thời gian của văn bản)")
    if deadline.get("relative") and _words(deadline["relative"]) not in _words(text):
        # (said only when the text does not already say it, commas aside: "Chậm nhất 20 ngày làm việc, kể từ …")
        parts.append(f"({deadline['relative']})")
    last = end - timedelta(days=1) if end and deadline.get("exclusive_end") else end
    if as_of and last and last < as_of:
        parts.append("— đã qua")
    return " ".join(p for p in parts if p)


def _clauses(text: str) -> list[tuple[int, int]]:
    """Clause spans of a sentence: split after ";" outside brackets and quotation marks."""
    spans, start, depth = [], 0, 0
    for i, c in enumerate(text):
        if c in "([“":
            depth += 1
        elif c in ")]”" and depth:
            depth -= 1
        elif c == ";" and depth == 0:
            spans.append((start, i + 1))
            start = i + 1
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def trimmed(q: Quote, terms) -> Quote:
    """A sentence longer than W.long_quote, cut to the run of its clauses that speak to the question
    (each clause within W.clause_share of the best one); still verbatim text, cited where it stands."""
    from ..retrieval.scoring import W, text_match

    text = q.text
    if len(text) <= W.long_quote:
        return q
    parts = _clauses(text)
    if len(parts) < 2:
        return q
    scores = [text_match(terms, text[a:b]) for a, b in parts]
    best = max(scores)
    if best <= 0:
        return q
    keep = [i for i, sc in enumerate(scores) if sc >= W.clause_share * best]
    a, b = parts[keep[0]][0], parts[keep[-1]][1]
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1] in " ;":
        b -= 1
    return Quote(q.score, q.passage, q.start + a, q.start + b, q.rank)


_BULLET = re.compile(r"[ \t]*[-+•–][ \t]+")


def with_bullet(p: Passage, start: int) -> int:
    """Where a sentence is quoted from: its line's bullet when the sentence opens a bulleted line."""
    at = start - p.start
    line = p.text.rfind("\n", 0, at) + 1
    if 0 <= at <= len(p.text) and _BULLET.fullmatch(p.text, line, at):
        return p.start + line + len(p.text[line:at]) - len(p.text[line:at].lstrip())
    return start


@dataclass
class Builder:
    """Collects the lines and citations of one answer."""
    ctx: "Context"
    cites: Citations = field(default_factory=Citations)
    lines: list[str] = field(default_factory=list)
    reply: str | None = None
    obligations: list[dict] = field(default_factory=list)

    def marks(self, *spans: Span) -> str:
        ns = list(dict.fromkeys(self.cites.cite(s) for s in spans))
        return "".join(f"[{n}]" for n in ns)

    def direct(self, text: str, *spans: Span) -> None:
        """The one-line reply that answers; every statement in it cites what says so."""
        self.reply = f"{text} {self.marks(*spans)}".strip() if spans else text

    def add(self, line: str) -> None:
        if line not in self.lines:
            self.lines.append(line)

    def span_of(self, p: Passage, start: int, end: int) -> Span:
        """A quote of a passage, cited by the section it stands in (a passage can open with the
        headings above its first paragraph)."""
        sec = self.ctx.section_at(p.doc_id, start) if p.section is not None or p.kind != "body" else None
        return Span(p.doc, start, end, p.quote(start, end), sec["path"] if sec else p.section,
                    sec["title"] if sec else p.section_title)

    def _reply_names(self, label: str, where: str) -> bool:
        """The reply line names this document, and this section when there is one ("Mục II.5 của Kế
        hoạch 222-KH/TU: …" before quotes of mục II.5)."""
        reply = (self.reply or "").lower()
        return bool(reply) and label.lower() in reply and (not where or f"{where.lower()} của" in reply)

    def _label_of_quoted(self, q: Quote, chosen: list[Quote]) -> bool:
        """`q` is a point's run-in label ("3. Về công tác nhân sự.") and a later sentence of the same
        point is quoted too: the label only names what that sentence says. (Quoted alone, as the
        items of a list are, the label is the item's name.)"""
        sec = self.ctx.section_at(q.passage.doc_id, q.start)
        if sec is None or not _run_in(sec, q.start, q.text):
            return False
        return any(x.passage.doc_id == q.passage.doc_id and q.end <= x.start < sec["end"] for x in chosen)

    def quotes(self, chosen: list[Quote], terms=None) -> None:
        """Quotes grouped by document, then in reading order, under a "Theo <văn bản>, <mục>:" line.
        With `terms`, a long sentence is quoted from its first to its last clause that speaks to them.
        An item of a bulleted list is quoted from its bullet ("- Chủ trương …;"), as the document writes it."""
        if terms is not None:
            chosen = [trimmed(q, terms) for q in chosen]
        chosen = [Quote(q.score, q.passage, with_bullet(q.passage, q.start), q.end, q.rank) for q in chosen]
        chosen = [q for q in chosen if not self._label_of_quoted(q, chosen)]
        order: list[str] = []
        for q in chosen:
            if q.passage.doc_id not in order:
                order.append(q.passage.doc_id)
        seen: set[tuple[str, int, int]] = set()
        rows: list[tuple[Quote, Span]] = []
        for q in sorted(chosen, key=lambda x: (order.index(x.passage.doc_id), x.start)):
            key = (q.passage.doc_id, q.start, q.end)
            if key not in seen:
                seen.add(key)
                rows.append((q, self.span_of(q.passage, q.start, q.end)))
        current = None
        under: tuple[str, str] | None = None  # (document, section) the current heading names
        for i, (q, span) in enumerate(rows):
            doc_id = q.passage.doc_id
            if under is not None and _inside_section(under, doc_id, span.section):
                # the items of a list ("a) Đơn xin vào Đảng;") stay under their lead-in's heading: each
                # [n] still cites its own point
                self.lines.append(f"- “{span.quote}” {self.marks(span)}")
                continue
            section = span.section
            parent = section.rsplit(".", 1)[0] if section and "." in section else None
            if parent is not None:
                run = 0
                for q2, s2 in rows[i:]:
                    if not _inside_section((doc_id, parent), q2.passage.doc_id, s2.section):
                        break
                    run += 1
                if run >= SIBLINGS_UNDER_PARENT:
                    section = parent  # "II.1", "II.2", "II.3" read out together: under "mục II"
            where = section_label(section)
            head = f"Theo {q.passage.doc.label}{', ' + where if where else ''}:"
            if head != current:
                if current is not None or not self._reply_names(q.passage.doc.label, where):
                    self.lines.append(head)
                # (the reply line already names the document and section of the first quotes: not again)
                current = head
                under = (doc_id, section) if section else None
            self.lines.append(f"- “{span.quote}” {self.marks(span)}")

    def quote_spans(self, spans: list[Span]) -> None:
        """Quotes already cut as spans (header lines, footnotes, citing sentences), grouped by document
        in the order the documents first come: a "Theo …:" line is never repeated (the lines are kept
        unique), so a quote after another document's must not fall under that document's heading."""
        order: list[str] = []
        for span in spans:
            if span.doc.doc_id not in order:
                order.append(span.doc.doc_id)
        current = self._open_heading()
        for span in sorted(spans, key=lambda sp: order.index(sp.doc.doc_id)):
            line = f"- “{span.quote}” {self.marks(span)}"
            if line in self.lines:
                continue  # quoted already (two fields read off one sentence): no heading over nothing
            where = section_label(span.section)
            head = f"Theo {span.doc.label}{', ' + where if where else ''}:"
            if head != current:
                if head in self.lines:  # the same document and section again, after others: said again
                    self.lines.append(head)
                else:
                    self.add(head)
                current = head
            self.add(line)

    def _open_heading(self) -> str | None:
        """The "Theo …:" line the last quotes stand under, when nothing else was said after them."""
        for line in reversed(self.lines):
            if line.startswith("- “"):
                continue
            return line if line.startswith("Theo ") and line.endswith(":") else None
        return None

    def duty(self, duty: Duty, as_of: date | None, due_in_window: date | None = None, said: str | None = None,
             who: bool = False) -> None:
        """One duty line: when, what, where, with its citations; the exceptions stated for it.
        `due_in_window`: the day a recurrence falls due in the window asked about, when that is not
        its first occurrence (said beside the rule, which stays as written). `said`: the time the
        reply's first line already states — not said again on the duty's line. `who`: the line names
        who must act (a document's duties listed for everyone, not one role's)."""
        o = obligation_json(duty, self.cites, (self.ctx.document(duty.doc.doc_id) or {}).get("text"))
        self.obligations.append(o)
        when = deadline_phrase(duty.deadline, duty.recurrence, as_of)
        if due_in_window is not None:
            if (duty.deadline or {}).get("exclusive_end"):  # "trước ngày 15 …": the last day is the 14th
                when += f" (trong khoảng hỏi: hạn cuối {format_date(due_in_window - timedelta(days=1))})"
            else:
                when += f" (trong khoảng hỏi: {format_date(due_in_window)})"
        where = section_label(duty.section)
        marks = f"[{o['citation']['n']}]"
        if o.get("deadline_citation") and o["deadline_citation"]["n"] != o["citation"]["n"]:
            marks += f"[{o['deadline_citation']['n']}]"
        lead = "" if said is not None and when == said else f"{when}: "
        if who:
            # only who the duty's own sentence names (one inherited from elsewhere is not stated as fact),
            # and not when the action opens with them
            sentence = fold(duty.context.quote if duty.context is not None else duty.quote).lower()
            # (or the lead-in its item stands under: "3. Chỉ huy trưởng Ban Chỉ huy quân sự xã:" over "c) …")
            sentence += " " + fold(self._lead_in(duty)).lower()
            names = [n for n in actor_names(duty) if fold(n).lower() in sentence
                     and not fold(duty.action).lower().startswith(fold(n).lower())]
            if names:
                lead = f"{', '.join(names[:3])} — {lead}"
        self.add(f"- {lead}{duty.action} ({duty.doc.number or duty.doc.label}{', ' + where if where else ''}) {marks}")
        for i, ex in enumerate(duty.exceptions):
            src = o["exception_citations"][i]["n"] if i < len(o["exception_citations"]) else o["citation"]["n"]
            self.add(f"  Ngoại lệ: “{ex}” [{src}]")

    def _lead_in(self, duty: Duty) -> str:
        """The title of the item a point stands under, when it is a lead-in ending in a colon."""
        path = duty.section or ""
        if "." not in path:
            return ""
        parent = path.rsplit(".", 1)[0]
        title = next((s.get("title") or "" for s in self.ctx.section_tree(duty.doc.doc_id) if s.get("path") == parent), "")
        return title if title.rstrip().endswith(":") else ""

    def result(self, kind: str) -> dict:
        text = "\n".join(([self.reply] if self.reply else []) + self.lines)
        return {"kind": kind, "answer": text, "citations": self.cites.items, "obligations": self.obligations,
                "reply": self.reply or ""}


def none_answer(text: str, related: list[Passage] | None = None) -> dict:
    """Nothing in the store supports an answer: say exactly what is missing."""
    return {"kind": "none", "answer": text, "citations": [], "obligations": [], "reply": text,
            "related": [p.to_json() for p in (related or [])[:3]]}
