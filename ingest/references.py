"""Documents a text cites by number ("Kết luận số 14-KL/TW, ngày 22/9/2021 của Bộ Chính trị về …"),
with what the citing sentence says of them: type, date, issuer, subject."""
from __future__ import annotations

import re
from datetime import date

from .models import Reference
from .normalize import fold
from .structure import DOC_TYPES, normalize_number, type_from_number

_TYPES = "|".join(DOC_TYPES)
_REF = re.compile(
    rf"(?:(?P<type>{_TYPES})\s+(?:số\s*)?)?"
    r"(?P<num>\b\d{1,4}\s?[-–]\s?[A-ZĐ][A-ZĐa-zđ]{0,5}(?:\s?/\s?[A-ZĐ][A-ZĐa-zđ]{0,7}){1,2})"
    r"(?:\s*,?\s*ngày\s+(?P<date>\d{1,2}/\d{1,2}/\d{4}))?",
    re.IGNORECASE,
)
_ISSUER_STOP = re.compile(r"[,;.(“\"”\n]|\s(?:về|và|tiếp tục|đối với|thực hiện|đẩy mạnh|nhằm|để)\s")
_SUBJECT_STOP = re.compile(
    rf"[;.\n]|,\s*(?:ngày|{_TYPES})\b|\s+và\s+(?:{_TYPES})\b|\s+(?:để|nhằm)\s", re.IGNORECASE
)


def _parse_date(s: str | None) -> str | None:
    if not s:
        return None
    d, m, y = (int(x) for x in s.split("/"))
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _issuer_after(text: str, pos: int) -> tuple[str | None, int]:
    m = re.match(r"\s*của\s+", text[pos:])
    if not m:
        return None, pos
    start = pos + m.end()
    stop = _ISSUER_STOP.search(text, start)
    end = stop.start() if stop else len(text)
    words = text[start:end].split()[:9]
    issuer = " ".join(words).strip() or None
    return issuer, start + len(text[start:end]) if issuer else pos


def _subject_after(text: str, pos: int) -> str | None:
    rest = text[pos:pos + 400]
    m = re.match(r"\s*(?:về\s*)?[“\"]([^”\"]{3,300})[”\"]", rest)
    if m:
        return m.group(1).strip()
    m = re.match(r"\s*về\s+", rest)
    if not m:
        return None
    stop = _SUBJECT_STOP.search(rest, m.end())
    subject = rest[m.end(): stop.start() if stop else len(rest)].strip(" ,")
    return subject[:250] or None


def find_references(text: str, *, own_number: str | None, doc_id: str) -> list[Reference]:
    """Every document number cited in `text`, merged per number (first mention that states a
    field wins)."""
    own = fold(own_number or "").lower()
    found: dict[str, Reference] = {}
    for m in _REF.finditer(text):
        number = normalize_number(m.group("num"))
        key = fold(number).lower()
        if key == own:
            continue
        typ = m.group("type")
        typ = next((t for t in DOC_TYPES if t.lower() == typ.lower()), None) if typ else type_from_number(number)
        issuer, after = _issuer_after(text, m.end())
        ref = Reference(
            number=number, type=typ, issued=_parse_date(m.group("date")), issuer=issuer,
            title=_subject_after(text, after), cited_by=[doc_id],
        )
        if key not in found:
            found[key] = ref
            continue
        old = found[key]
        for f in ("type", "issued", "issuer", "title"):
            if getattr(old, f) is None and getattr(ref, f) is not None:
                setattr(old, f, getattr(ref, f))
    return list(found.values())
