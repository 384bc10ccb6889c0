"""List questions that pick rows of a table by one of its columns: "Trong bảng phân công, Văn phòng
Huyện ủy chủ trì những việc nào?" (the rows whose "Cơ quan chủ trì" cell names that office — not those
where it only works with the lead body), "các nhiệm vụ có thời gian hoàn thành là thường xuyên" (the
rows whose "Thời gian hoàn thành" cell says so).

The question names the column by the words of its header that no other column has ("chủ trì" of
"Cơ quan chủ trì" beside "Cơ quan phối hợp"), and the value by the words of a cell ("Văn phòng Huyện
ủy"); every row whose cell in that column holds the value is quoted whole, and no other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.tokenize import expand_abbreviations, syllables

from ..records import DocRef, Span
from ..retrieval.cues import STOP_SYLLABLES
from .compose import Builder
from .context import Context
from .support import _SERIAL

# A value is matched by at least this many syllables of a cell's item ("Văn phòng Huyện ủy", "Thường
# xuyên", "Năm 2028"): one syllable ("Ban", "Quý") is in too many questions to pick rows by.
VALUE_SYLLABLES_MIN = 2
# The column holding what each row is (its task): the one whose header says so, else the longest cells.
_CONTENT_HEADER = re.compile(r"(?<![a-z])(?:noi dung|nhiem vu|cong viec|viec|chi tieu|ten)(?![a-z])")


@dataclass
class _Pick:
    entry: dict
    table: dict
    column: int
    value: str  # the cell's item the question names, as the document writes it
    rows: list[dict]


def _phrase(text: str) -> str:
    return " " + " ".join(syllables(text)) + " "


# The head noun a column's header opens with, which names no column by itself: "Cơ quan chủ trì",
# "Đơn vị phối hợp" are named by "chủ trì", "phối hợp".
_GENERIC_HEAD = re.compile(r"^(?:co quan|don vi|bo phan|ca nhan|nguoi|to chuc)\s+")


def _named_columns(columns: list[str], asked: str) -> list[int]:
    """Columns whose own header words (those no other column's header has, its generic head noun left
    out) the question says in order."""
    out = []
    for i, name in enumerate(columns):
        if _SERIAL.match(name or ""):
            continue
        others = {s for j, other in enumerate(columns) if j != i for s in syllables(other)}
        head = _GENERIC_HEAD.sub("", " ".join(syllables(name))).split()
        own = [s for s in head if s not in others and s not in STOP_SYLLABLES]
        if own and f" {' '.join(own)} " in asked:
            out.append(i)
    return out


def _items(cell: str) -> list[str]:
    """A cell's items, written out as the question is ("UBND huyện" → "Ủy ban nhân dân huyện"): "Văn
    phòng Huyện ủy, Huyện đoàn" → two bodies ("Ban Tuyên giáo và Dân vận Huyện ủy" is one)."""
    return [expand_abbreviations(x.strip()) for x in re.split(r"[,;\n]", cell) if x.strip()]


def _pick(ctx: Context, entry: dict, asked: str) -> _Pick | None:
    text = entry.get("text") or ""
    for table in entry.get("tables") or []:
        columns, rows = table.get("columns") or [], table.get("rows") or []
        if len(rows) < 2:
            continue
        for col in _named_columns(columns, asked):
            header = _phrase(columns[col])
            matched: list[tuple[dict, str, str]] = []  # (row, the item's phrase, the item as written)
            for row in rows:
                cells = row.get("cells") or []
                if col >= len(cells):
                    continue
                cell = text[cells[col]["start"]:cells[col]["end"]]
                said = [(_phrase(item), item) for item in _items(cell)]
                said = [(ph, item) for ph, item in said
                        if len(ph.split()) >= VALUE_SYLLABLES_MIN and ph in asked and ph not in header]
                if said:
                    matched.append((row, *max(said, key=lambda x: len(x[0]))))
            # the value the question names most fully: "Chi ủy các chi bộ thôn" leaves out the rows of
            # "Các chi bộ thôn", which it only contains
            longest = [m for m in matched if not any(m[1] != o[1] and m[1] in o[1] for o in matched)]
            if longest and len(longest) < len(rows):
                value = max(longest, key=lambda m: len(m[1]))[2]
                return _Pick(entry, table, col, value, [m[0] for m in longest])
    return None


def _content_column(entry: dict, table: dict) -> int | None:
    columns = table.get("columns") or []
    for i, name in enumerate(columns):
        if _CONTENT_HEADER.search(" ".join(syllables(name))):
            return i
    return None


def compose_rows(ctx: Context) -> dict | None:
    """The rows of a table the question picks by a column and a value; None when it picks none."""
    asked = _phrase(ctx.q.expanded)
    if ctx.lk.named_ids:
        doc_ids = list(dict.fromkeys(sorted(ctx.lk.named_ids)))
    else:
        doc_ids = list(dict.fromkeys(p.doc_id for p in ctx.source_passages()))
    for doc_id in doc_ids:
        entry = ctx.document(doc_id)
        if not entry or not entry.get("tables"):
            continue
        pick = _pick(ctx, entry, asked)
        if pick is not None:
            return _answer(ctx, pick)
    return None


def _answer(ctx: Context, pick: _Pick) -> dict:
    entry, text = pick.entry, pick.entry.get("text") or ""
    ref = DocRef(entry["doc_id"], entry.get("number"), entry.get("title"), entry.get("type"), entry.get("issued"))
    b = Builder(ctx)
    spans = [Span(ref, r["start"], r["end"], text[r["start"]:r["end"]], r.get("path")) for r in pick.rows]
    what = _content_column(entry, pick.table)
    column = pick.table["columns"][pick.column]
    items = []
    for row, span in zip(pick.rows, spans):
        cells = row.get("cells") or []
        name = text[cells[what]["start"]:cells[what]["end"]].strip() if what is not None and what < len(cells) else ""
        items.append(f"{' '.join(name.split())} {b.marks(span)}" if name else b.marks(span))
    b.direct(f"Bảng có {len(pick.rows)} dòng ghi “{pick.value}” ở cột “{column}”: " + "; ".join(items))
    b.quote_spans(spans)
    return b.result("passages")
