"""Documents a text cites by number ("Kết luận số 14-KL/TW, ngày 22/9/2021 của Bộ Chính trị về …"),
with what the citing sentence says of them: type, date, issuer, subject."""
from __future__ import annotations

import re
from datetime import date

from .models import Reference
from .normalize import fold
from .structure import DOC_TYPES, normalize_number, type_from_number

_TYPES = "|".join(DOC_TYPES)
# A document number ("14-KL/TW", "08-QĐi/TW"), found first; the type written before it ("Kết luận
# số") and the date after it (", ngày 22/9/2021") are read around it. One pattern with the type
# as an optional prefix tried the fifteen type names at every character of the text.
_NUM = re.compile(r"\b\d{1,4}\s?[-–]\s?[A-ZĐ][A-ZĐa-zđ]{0,5}(?:\s?/\s?[A-ZĐ][A-ZĐa-zđ]{0,7}){1,2}", re.IGNORECASE)
_TYPE_BEFORE = re.compile(rf"(?P<type>{_TYPES})\s+(?:số\s*)?$", re.IGNORECASE)
TYPE_BEFORE_WITHIN = 24  # characters before a number where its type is written
_DATE_AFTER = re.compile(r"\s*,?\s*ngày\s+(?P<date>\d{1,2}/\d{1,2}/\d{4})", re.IGNORECASE)
_OF = re.compile(r"\s*của\s+")
_ISSUER_STOP = re.compile(r"[,;.(“\"”\n]|\s(?:về|và|tiếp tục|đối với|thực hiện|đẩy mạnh|nhằm|để)\s")
ISSUER_WITHIN = 300  # characters after "của" where the issuer's name ends
# A subject ("về …") ends with its clause: at ";", ".", a new line; at the next document cited
# (", ngày", ", Kế hoạch số …", "và Hướng dẫn số …"); at a clause opener (", đồng thời", "nhằm",
# "để"); at a parenthesis; or where the citing sentence's own subject and verb begin
# ("…, Ban Thường vụ Tỉnh ủy yêu cầu …").
_SUBJECT_STOP = re.compile(
    rf"[;.\n]|,\s*(?:ngày|{_TYPES})\b|\s+và\s+(?:{_TYPES})\b|\s+(?:để|nhằm)\s|\s+\("
    r"|,\s+(?:đồng\s+thời|góp\s+phần|trong\s+đó|qua\s+đó|từ\s+đó|bảo\s+đảm|đảm\s+bảo|nhằm|để)\b",
    re.IGNORECASE,
)
# ", <a capitalised subject of at most ten words> <a verb that enacts or assigns>"
_NEW_CLAUSE = re.compile(
    r",\s+(?P<w>\w)(?:[^\s,;]*\s+){0,10}?(?:ban\s+hành|yêu\s+cầu|quy\s+định|hướng\s+dẫn|kết\s+luận|chỉ\s+đạo|"
    r"đề\s+nghị|giao|chủ\s+trì|xây\s+dựng|tổ\s+chức|triển\s+khai)\b"
)
SUBJECT_WITHIN = 400  # characters after "về" where a subject must end


def _parse_date(s: str | None) -> str | None:
    if not s:
        return None
    d, m, y = (int(x) for x in s.split("/"))
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _issuer_after(text: str, pos: int) -> tuple[str | None, int]:
    m = _OF.match(text, pos)
    if not m:
        return None, pos
    start = m.end()
    limit = min(len(text), start + ISSUER_WITHIN)
    stop = _ISSUER_STOP.search(text, start, limit)
    end = stop.start() if stop else limit
    words = text[start:end].split()[:9]
    issuer = " ".join(words).strip() or None
    return issuer, start + len(text[start:end]) if issuer else pos


def _subject_after(text: str, pos: int) -> str | None:
    rest = text[pos:pos + SUBJECT_WITHIN]
    m = re.match(r"\s*(?:về\s*)?[“\"]([^”\"]{3,300})[”\"]", rest)
    if m:
        return m.group(1).strip()
    m = re.match(r"\s*về\s+", rest)
    if not m:
        return None
    end = len(rest)
    stop = _SUBJECT_STOP.search(rest, m.end())
    if stop:
        end = stop.start()
    clause = next((c for c in _NEW_CLAUSE.finditer(rest, m.end(), end) if c.group("w").isupper()), None)
    if clause:
        end = clause.start()
    subject = rest[m.end():end].strip(" ,")
    return subject[:250] or None


def find_references(text: str, *, own_number: str | None, doc_id: str) -> list[Reference]:
    """Every document number cited in `text`, merged per number (first mention that states a
    field wins)."""
    own = fold(own_number or "").lower()
    found: dict[str, Reference] = {}
    stated: dict[str, int] = {}  # how many fields the mention that gave each reference's fields states
    for m in _NUM.finditer(text):
        number = normalize_number(m.group(0))
        key = fold(number).lower()
        if key == own:
            continue
        before = _TYPE_BEFORE.search(text, max(0, m.start() - TYPE_BEFORE_WITHIN), m.start())
        typ = before.group("type") if before else None
        typ = next((t for t in DOC_TYPES if t.lower() == typ.lower()), None) if typ else type_from_number(number)
        dated = _DATE_AFTER.match(text, m.end())
        issuer, after = _issuer_after(text, dated.end() if dated else m.end())
        ref = Reference(
            number=number, type=typ, issued=_parse_date(dated.group("date") if dated else None), issuer=issuer,
            title=_subject_after(text, after), cited_by=[doc_id],
        )
        fields = ("issued", "issuer", "title")
        count = sum(getattr(ref, f) is not None for f in fields)
        if key not in found:
            found[key], stated[key] = ref, count
            continue
        old = found[key]
        # The fullest citation ("Chỉ thị số 30-CT/TU, ngày 14/02/2025 của Ban Thường vụ Tỉnh ủy về …")
        # tells what the document is; a passing mention ("thực hiện Chỉ thị số 30-CT/TU của … về
        # <this plan's own subject>") only fills what it leaves out.
        fuller = count > stated[key]
        for f in ("type", *fields):
            if getattr(ref, f) is not None and (getattr(old, f) is None or fuller):
                setattr(old, f, getattr(ref, f))
        stated[key] = max(count, stated[key])
    return list(found.values())
