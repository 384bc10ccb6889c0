"""Questions about a document itself — who signed it, when and where, who issued it, to whom it goes,
what it is based on, what it is about — and about documents the store only knows from citations.

Answers quote the document's own header and closing lines (document text, cited like any quote);
when the stored text lacks them (a partial text kept with its metadata only), the sentences of other
stored documents that cite it by number ("Kết luận số 14-KL/TW, ngày 22/9/2021 của Bộ Chính trị").
"""
from __future__ import annotations

import re
from datetime import date

from ingest.normalize import fold

from ..records import DocRef, Span, doc_label, document_face
from ..retrieval.names import TYPE_ALT, TYPE_WORDS, NamedDoc
from ..retrieval.scoring import W, text_match
from ..retrieval.stats import StoredDoc
from .compose import Builder, format_date, none_answer
from .context import Context
from .support import YEAR

_DOCNO = re.compile(r"\b\d{1,4}\s?-\s?[A-ZĐ][A-ZĐa-zđ]{0,5}(?:\s?/\s?[A-ZĐ][A-ZĐa-zđ-]{0,9}){1,2}")
_PLACE_DATE = re.compile(r"^[^\n,]{2,40},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.M)
_NUMBER_LINE = re.compile(r"^\s*Số\s*:?\s*\d{1,4}\s?-[^\n]{2,20}$", re.M)
_RECIPIENTS = re.compile(r"^\s*Nơi\s+nhận\s*:?", re.M | re.I)
_SIGN_START = re.compile(r"^\s*(?:T/?M\.?|K/?T\.?|TM\.|KT\.|Q\.\s|TUQ\.)\s*\S", re.M)
_BASIS = re.compile(r"^\s*[-–]?\s*(Căn cứ|Thực hiện|Để (?:góp phần )?(?:thực hiện|triển khai)|Xét|Theo đề nghị|Trên cơ sở)\b",
                    re.M)
_FIELD_NAMES = {"signer": ("signer_position", "signer"), "date": ("place_date",), "place": ("place_date",),
                "issuer": ("issuer",), "recipients": ("addressees", "recipients"), "basis": ("basis",),
                "subject": ("type", "title"), "number": ("number",)}
_LABELS = {"signer": "Người ký", "date": "Ngày ban hành", "place": "Nơi ban hành", "issuer": "Cơ quan ban hành",
           "recipients": "Nơi nhận", "basis": "Căn cứ, thực hiện", "subject": "Trích yếu", "number": "Số, ký hiệu",
           "effective": "Hiệu lực", "replaces": "Thay thế", "session": "Hội nghị, khóa", "period": "Thời gian"}


def _ref(entry: dict) -> DocRef:
    return DocRef(entry["doc_id"], entry.get("number"), entry.get("title"), entry.get("type"), entry.get("issued"))


def _span(entry: dict, start: int, end: int) -> Span:
    text = entry.get("text") or ""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(_ref(entry), start, end, text[start:end])


def _preamble_end(entry: dict) -> int:
    secs = entry.get("sections") or []
    return min((s["start"] for s in secs), default=len(entry.get("text") or ""))


def _closing_start(entry: dict) -> int:
    text = entry.get("text") or ""
    for rx in (_RECIPIENTS, _SIGN_START):
        hits = [m.start() for m in rx.finditer(text) if m.start() > len(text) // 2]
        if hits:
            return hits[0]
    return len(text)


_SESSION_LINE = re.compile(r"\bhoi nghi (?:lan )?thu\b|\(?khoa [ivxlc]+\)?|\bnhiem ky \d{4}")


def field_spans(entry: dict, name: str) -> list[Span]:
    """Where a document's own text states one of its metadata: the recorded header fields first
    (ingest's `fields`), else the lines found by their form."""
    recorded = [f for f in entry.get("fields") or []
                if f.get("name") in _FIELD_NAMES.get(name, (name,)) and not f.get("section")]
    if recorded:
        return [_span(entry, f["start"], f["end"]) for f in recorded]
    text = entry.get("text") or ""
    head = text[:_preamble_end(entry)]
    if name in ("date", "place"):
        m = _PLACE_DATE.search(head)
        return [_span(entry, m.start(), m.end())] if m else []
    if name == "number":
        m = _NUMBER_LINE.search(head)
        return [_span(entry, m.start(), m.end())] if m else []
    if name == "session":
        # "HỘI NGHỊ LẦN THỨ MƯỜI BỐN BAN CHẤP HÀNH ĐẢNG BỘ THÀNH PHỐ (KHÓA XXI)": the meeting and term
        # a resolution or notice comes from, on a line of its header
        for m in re.finditer(r"[^\n]+", head):
            if _SESSION_LINE.search(fold(m.group(0)).lower()):
                return [_span(entry, m.start(), m.end())]
        return []
    if name == "basis":
        out = []
        for m in _BASIS.finditer(head):
            line_start = text.rfind("\n", 0, m.start(1)) + 1
            line_end = text.find("\n", m.start(1))
            out.append(_span(entry, line_start, line_end if line_end >= 0 else len(head)))
        return out
    closing = _closing_start(entry)
    if name == "recipients":
        m = _RECIPIENTS.search(text, closing)
        if not m:
            return []
        sign = _SIGN_START.search(text, m.end())
        end = sign.start() if sign else len(text)
        block = text[m.start():end].rstrip()
        return [_span(entry, m.start(), m.start() + len(block))]
    if name == "signer":
        signer = entry.get("signer")
        at = text.rfind(signer) if signer else -1
        m = _SIGN_START.search(text, closing)
        if at < 0 and not m:
            return []
        start = m.start() if m and (at < 0 or m.start() < at) else at
        end = at + len(signer) if at >= 0 else text.find("\n\n", start) % (len(text) + 1)
        return [_span(entry, start, end)]
    if name == "subject":
        title = entry.get("title") or ""
        at = text.find(title) if title else -1
        return [_span(entry, at, at + len(title))] if at >= 0 else []
    if name == "issuer":
        # The capitalised lines opening the header, when they name the issuer ("QUY ĐỊNH" is the
        # document's kind, not who issued it); else the first line of the text that names it
        # ("Bộ Chính trị quy định …").
        issuer = fold(entry.get("issuer") or "").lower()
        lines = re.match(r"\s*((?:[^\n]*[A-ZĐ]{2,}[^\n]*\n){1,3})", head)
        if lines and lines.group(1).strip().isupper() and (not issuer or issuer in fold(lines.group(1)).lower()):
            return [_span(entry, lines.start(1), lines.end(1))]
        # The issuer as the subject of the document's verb: "Bộ Chính trị quy định …", "… kết luận".
        m = re.search(rf"(?<![0-9a-z]){re.escape(issuer)}\s+(?:quy dinh|ban hanh|ket luan|chi thi|yeu cau|thong bao)(?![0-9a-z])",
                      fold(text).lower()) if issuer else None
        if m is None:
            return []
        at = m.start()
        s = text.rfind("\n", 0, at) + 1
        e = text.find("\n", at)
        return [_span(entry, s, e if e >= 0 else len(text))]
    if name == "effective":
        return _effective_spans(entry)
    if name == "replaces":
        at = text.find("thay thế")
        if at < 0:
            return []
        return [_span(entry, *_sentence_around(text, at))]
    return []


def _sentence_around(text: str, at: int) -> tuple[int, int]:
    """The sentence (or line) holding position `at`."""
    s = max(text.rfind(". ", 0, at) + 2, text.rfind("\n", 0, at) + 1)
    e = min(x for x in (text.find(". ", at) + 1, text.find("\n", at), len(text)) if x > 0)
    return s, e


# How a document states its own entry into force: "Quy định này có hiệu lực (thi hành) kể từ ngày …",
# "… có hiệu lực từ ngày ký". "kể từ ngày quyết định có hiệu lực" (another paper's force, inside a
# duty) is neither.
_OWN_FORCE = re.compile(r"(?<![a-z])(?:nay\s+(?:co\s+)?hieu luc|co hieu luc(?:\s+thi hanh)?\s+(?:ke\s+)?tu(?:\s+ngay|\s+khi)?)(?![a-z])")
# A section that holds it: "Điều 16. Hiệu lực thi hành", "Điều khoản thi hành".
_FORCE_HEADING = re.compile(r"(?<![a-z])(?:hieu luc|dieu khoan thi hanh|thi hanh)(?![a-z])")


def _effective_spans(entry: dict) -> list[Span]:
    """The sentence by which the document states when it takes effect: one of the form "… này có
    hiệu lực (kể) từ …", the one in a section headed "Hiệu lực thi hành" first; a sentence that only
    uses the words ("kể từ ngày quyết định có hiệu lực" in a duty) is no such statement."""
    text = entry.get("text") or ""
    low = fold(text).lower()
    headed = [(sec["start"], sec["end"]) for sec in entry.get("sections") or []
              if _FORCE_HEADING.search(fold(sec.get("title") or "").lower())]
    best: tuple[int, int, int] | None = None  # (-rank, start, end)
    for m in re.finditer(r"hieu luc", low):
        s, e = _sentence_around(text, m.start())
        own = _OWN_FORCE.search(low, s, e) is not None
        under = any(a <= s < b for a, b in headed)
        if not own:
            continue
        rank = 2 * under + 1
        if best is None or rank > -best[0]:
            best = (-rank, s, e)
    if best is None:
        return []
    sp = _span(entry, best[1], best[2])
    inside = [sec for sec in entry.get("sections") or [] if sec["start"] <= sp.start < sec["end"]]
    sec = min(inside, key=lambda x: x["end"] - x["start"]) if inside else None
    return [Span(sp.doc, sp.start, sp.end, sp.quote, sec["path"], sec.get("title")) if sec else sp]


# "kể từ ngày 01/6/2027", "từ ngày 01 tháng 6 năm 2027": the day a document takes effect, as written.
_FROM_DAY = re.compile(r"\btừ\s+ngày\s+(\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})", re.I)


# What a document citing another says of it ("Quy định số 55-QĐ/TW, ngày 19/12/2016 của Bộ Chính
# trị về …"): never who signed it, where, or to whom it was sent.
_CITED_FIELDS = ("date", "issuer", "subject", "number")

# "T/M BAN THƯỜNG VỤ", "T/L BAN THƯỜNG VỤ": the organ on whose behalf the signer signs.
_ON_BEHALF = re.compile(r"^\s*(?:T/[MLml]\.?|T\.[ML]\.|TM\.?|TL\.?)\s+(?P<organ>BAN THƯỜNG VỤ|BAN CHẤP HÀNH|THƯỜNG TRỰC)\b")
_ORGANS = {"BAN THƯỜNG VỤ": "Ban Thường vụ", "BAN CHẤP HÀNH": "Ban Chấp hành", "THƯỜNG TRỰC": "Thường trực"}
_COMMITTEE = re.compile(r"^(?:Tỉnh|Huyện|Thành|Thị|Quận|Đảng) ủy\b|^Đảng ủy\b")


def signing_organ(entry: dict) -> str | None:
    """A committee's document signed "T/M BAN THƯỜNG VỤ" is issued by its standing committee:
    "Ban Thường vụ Tỉnh ủy Lai Châu" (as the documents themselves name that organ)."""
    position = entry.get("signer_position") or next(
        (f.get("value") for f in entry.get("fields") or [] if f.get("name") == "signer_position"), "")
    m = _ON_BEHALF.match(position or "")
    issuer = (entry.get("issuer") or "").strip()
    if not m or not _COMMITTEE.match(issuer):
        return None
    return f"{_ORGANS[m.group('organ')]} {issuer}"


# "có hiệu lực (thi hành) kể từ ngày ký / ban hành": in force from the document's own date.
_FROM_SIGNING = re.compile(r"\bhieu luc(?:\s+thi hanh)?\s+(?:ke\s+)?tu\s+ngay\s+(?:ky|ban hanh)\b")


def _dates_it(quote: str, nd: NamedDoc) -> bool:
    """The citing sentence writes the cited document's date right after its number ("Chỉ thị số
    15-CT/TU, ngày 18/12/2026 …"), not only its number."""
    return re.search(rf"(?<!\d)0*{re.escape(nd.number)}\s*-\s*[a-z]+(?:/[a-z-]+)?\s*,?\s*(?:ngay|ban hanh ngay)\s+\d",
                     fold(quote).lower()) is not None


_WORDED_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)


def _date_as_written(entry: dict) -> str:
    """The issue date in figures as the date line writes its numbers ("ngày 21 tháng 4 năm 2027" →
    21/4/2027, "ngày 09 tháng 02" → 09/02), with dd/mm/yyyy beside it when that differs."""
    issued = date.fromisoformat(entry["issued"])
    for sp in field_spans(entry, "date"):
        m = _WORDED_DATE.search(sp.quote)
        if m and (int(m.group(3)), int(m.group(2)), int(m.group(1))) == (issued.year, issued.month, issued.day):
            written = f"{m.group(1)}/{m.group(2)}/{m.group(3)}"
            # both ways when they differ: readers (and other systems) look for either
            return written if written == format_date(issued) else f"{written} ({format_date(issued)})"
    return format_date(issued)


def _value(entry: dict, name: str) -> str | None:
    """What the catalog knows of a field, for the direct reply (the quotes prove it)."""
    if name == "signer":
        return entry.get("signer")
    if name == "date":
        return _date_as_written(entry) if entry.get("issued") else None
    if name == "place":
        return entry.get("place")
    if name == "issuer":
        return entry.get("issuer")
    if name == "subject":
        return entry.get("title")
    if name == "number":
        return entry.get("number")
    return None


# ---------------------------------------------------------------------------------------------
# Documents the store knows only from citations


def names_document(text: str, nd: NamedDoc) -> bool:
    """The text cites the document by its number ("… Quy định số 08-QĐi/TU …")."""
    return any(nd.matches(re.sub(r"\s+", "", m.group(0))) for m in _DOCNO.finditer(text))


def citing_spans(ctx: Context, nd: NamedDoc, limit: int = 4) -> list[Span]:
    """Sentences of stored documents that cite `nd` by number, the most informative first (those
    that give a date, an issuer or a subject)."""
    hits = ctx.kb.retriever.number_candidates(ctx.lk, nd, 40)
    from ..records import Passage

    out: list[tuple[int, Span]] = []
    seen: set[tuple[str, int]] = set()
    for h in hits:
        p = Passage.of(h.payload)
        for s, e in p.sentence_spans():
            sent = p.quote(s, e)
            if not any(nd.matches(re.sub(r"\s+", "", m.group(0))) for m in _DOCNO.finditer(sent)):
                continue
            if (p.doc_id, s) in seen:
                continue
            seen.add((p.doc_id, s))
            sec = ctx.section_at(p.doc_id, s)
            a, b = _mention(sent, nd)
            piece = sent[a:b]
            # What it tells of the document: a date, an issuer ("của …"), a subject ("về …"); what
            # the question asks for counts double.
            asks = set(ctx.q.asks)
            informative = sum((2 if field in asks else 1) * bool(re.search(rx, piece)) for field, rx in (
                ("date", r"ngày\s+\d|\d{1,2}/\d{1,2}/\d{4}"), ("issuer", r"\bcủa\b"), ("subject", r"\bvề\b")))
            out.append((-informative, Span(p.doc, s + a, s + b, piece, sec["path"] if sec else p.section,
                                           sec["title"] if sec else p.section_title)))
    out.sort(key=lambda x: x[0])
    return [s for _, s in out[:limit]]


_DOC_WORD = re.compile(r"(?:Kết luận|Quy định|Chỉ thị|Nghị quyết|Hướng dẫn|Kế hoạch|Thông báo|Quyết định|Quy chế"
                       r"|Chương trình|Đề án|Công văn|Thông tri|Báo cáo)\s+(?:số\s+)?\d", re.I)
# A citing sentence longer than this is quoted from the mention to the next document it names.
MENTION_CUT = 240


def _mention(sentence: str, nd: NamedDoc) -> tuple[int, int]:
    """The part of a citing sentence about `nd`: from its mention ("Kết luận số 01-KL/TW, ngày …
    của …") to the mention of the next document, when the sentence is long; else all of it."""
    if len(sentence) <= MENTION_CUT:
        return 0, len(sentence)
    for m in _DOCNO.finditer(sentence):
        if not nd.matches(re.sub(r"\s+", "", m.group(0))):
            continue
        lead = [w for w in _DOC_WORD.finditer(sentence, max(0, m.start() - 25), m.end())]
        start = lead[-1].start() if lead else m.start()
        # The next item of a list of documents (", Kế hoạch số …", " và Kết luận số …"); a document
        # named inside this one's subject ("… về thực hiện Kết luận số 01-KL/TW") stays.
        end = len(sentence)
        for nxt in _DOC_WORD.finditer(sentence, m.end()):
            before = sentence[max(0, nxt.start() - 4):nxt.start()]
            if re.search(r"(?:[,;]\s*|\svà\s)$", before):
                end = nxt.start()
                break
        end = len(sentence[:end].rstrip(" ,;")) if not sentence[:end].endswith(" và ") else end - 4
        return start, end
    return 0, len(sentence)


def _reference(ctx: Context, nd: NamedDoc) -> dict | None:
    """What the stored documents' reference lists say of a cited document."""
    for ref in ctx.kb.missing_references(ctx.levels):
        if nd.matches(ref["number"], ref.get("issued")):
            return ref
    return None


def _cited_form(ctx: Context, spans: list[Span]) -> bool:
    """The citing sentences hold the form the question asks for — a count of its unit, an amount, a
    span — or it asks for none."""
    from ingest.deadlines import find_deadlines

    from .support import (asked_ordinal, asks_amount, counted_unit, states_amount, states_count_of, states_duration,
                          states_ordinal)

    unit, amount, span, ordinal = counted_unit(ctx), asks_amount(ctx), ctx.q.duration, asked_ordinal(ctx)
    if ctx.q.kind == "section":
        return False  # a part of its text: no citing sentence holds it
    if ctx.q.kind == "list":
        # "… gồm những mục nào", "kiểm tra những huyện nào": only a citing sentence listing them says so
        from .passages import enumerates

        return any(enumerates(s.quote) for s in spans)
    if ctx.q.kind in ("deadline", "timewindow", "role") or ctx.q.deadline_cue:
        # what the document gives whom to do, and by when: only a citing sentence stating a time says so
        # (its own date, "Kế hoạch số 45-KH/HU ngày 18/3/2027", is no deadline)
        return any(find_deadlines(s.quote) for s in spans)
    if ordinal:
        return any(states_ordinal(ordinal, s.quote) for s in spans)
    if span:
        return any(states_duration(span, s.quote) for s in spans)
    if unit:
        return any(states_count_of(unit, s.quote) for s in spans)
    if amount:
        return any(states_amount(amount, s.quote) for s in spans)
    return True


def _cited_topic(ctx: Context, spans: list[Span]) -> bool:
    """A citing sentence speaks of what the question asks about the document (W.support): "về trách
    nhiệm nêu gương … trước hết là …" answers whose example it sets; "Căn cứ Kế hoạch số 45 … về triển
    khai Chương trình …" says nothing of the tasks it gives."""
    terms = ctx.terms(ctx.q.topic)
    return terms.empty or max(text_match(terms, s.quote) for s in spans) >= W.support


def compose_missing(ctx: Context, nd: NamedDoc) -> dict:
    """A document named in the question that the store does not hold."""
    spans = citing_spans(ctx, nd, limit=2)
    ref = _reference(ctx, nd)
    label = doc_label((ref or {}).get("type"), (ref or {}).get("number")) if ref else "Văn bản được hỏi"
    if not spans:
        return none_answer(f"Kho không có {label.lower() if not ref else label}, và không văn bản nào trong kho "
                           "nhắc đến văn bản này.", ctx.passages())
    b = Builder(ctx)
    facts = []
    if ref and ref.get("issued"):
        facts.append(f"ngày {format_date(date.fromisoformat(ref['issued']))}")
    if ref and ref.get("issuer"):
        facts.append(f"của {ref['issuer']}")
    if ref and ref.get("title"):
        facts.append(f"về {ref['title']}")
    said = f" ({', '.join(facts)})" if facts else ""
    if not ctx.q.asks and not (_cited_form(ctx, spans) and _cited_topic(ctx, spans)):
        # A figure of the document itself ("gồm bao nhiêu điều?") no citing sentence states: said
        # plainly, with what the stored documents do say of it as related text. (What it is about —
        # "trách nhiệm nêu gương trước hết của những ai?" — its cited title may well answer.)
        return none_answer(f"{label}{said}: kho chưa lưu toàn văn văn bản này, nên không trả lời được nội dung "
                           "được hỏi; các văn bản trong kho chỉ viện dẫn nó.", ctx.passages())
    b.direct(f"{label}{said}: kho chưa lưu toàn văn; các văn bản trong kho viện dẫn như sau:", *spans[:1])
    b.quote_spans(spans)
    return b.result("passages")


def compose_metadata(ctx: Context) -> dict | None:
    """The asked fields of the document the question is about: the first it names as its source
    ("Quy định 55 được chú thích trong KH 222 ban hành ngày nào?" asks about Quy định 55), or the
    one it describes ("báo cáo sơ kết 6 tháng đầu năm 2026 của Đảng ủy xã Tân Phước do ai ký")."""
    q = ctx.q
    stored = list(ctx.lk.named)
    owned = _owned_document(ctx)
    if owned is not None:
        stored = [owned]
    if not stored:
        subjects = [d for d in q.named if not d.object]
        if subjects:
            return compose_missing(ctx, subjects[0])
        described = described_document(ctx)
        cited = described_reference(ctx, described)
        if cited is not None:
            return compose_missing(ctx, cited)  # "BTV Tỉnh ủy ra kế hoạch triển khai Sổ tay … ngày nào": a cited one
        if described is None:
            return None
        stored = [described]
    b = Builder(ctx)
    _doc_metadata(ctx, b, stored[0])
    if not b.cites.items:
        return _not_stated(ctx, stored[0])
    return b.result("passages")


def _not_stated(ctx: Context, doc: StoredDoc) -> dict | None:
    """The document is stored but states none of the asked fields (a partial text, a copy without
    its signature): said plainly, never filled from a document that only cites it."""
    entry = ctx.document(doc.doc_id)
    if entry is None:
        return None
    label = doc_label(entry.get("type"), entry.get("number"), entry["doc_id"])
    asked = ", ".join(_LABELS[a].lower() for a in ctx.q.asks if a in _LABELS)
    note = " (kho chỉ lưu một phần văn bản này)" if entry.get("completeness") == "partial" else ""
    return none_answer(f"Bản {label} trong kho không ghi {asked}{note}; các văn bản trong kho không cho biết "
                       "thông tin này.", ctx.passages())


def _described_text(entry: dict) -> str:
    return f"{document_face(entry)} {(entry.get('issued') or '')[:4]}"


# "Quy chế làm việc của Ban Chỉ đạo CT 15": a kind of document written without a number, then "của"
# and a numbered document of another kind — the numbered one qualifies the document asked about.
# "KH triển khai CT 21", "Kế hoạch thực hiện Nghị quyết 05": a kind of document written without a number,
# then what it carries out — a document of that kind implementing the numbered one.
_OWNED_BY = re.compile(rf"\b(?P<type>{TYPE_ALT})\b(?!\s*(?:so\s*)?\d)(?P<gap>[^?.;]*?)\b(?:cua|trien khai(?: thuc hien)?|thuc hien|cu the hoa)\b[^?.;]*$")


def _owned_document(ctx: Context) -> StoredDoc | None:
    """The stored document of the kind the question opens with, when the numbered document it
    names only qualifies it ("… của Ban Chỉ đạo CT 15"); None when the question asks about the
    numbered document itself or no one stored document of that kind stands out."""
    subjects = [d for d in ctx.q.named if not d.object]
    if not subjects:
        return None
    low = fold(ctx.q.expanded).lower()
    m = _OWNED_BY.search(low[:subjects[0].span[0]])
    if m is None or TYPE_WORDS[m.group("type")] == subjects[0].code:
        return None
    return described_document(ctx, any_year=True, kinds={TYPE_WORDS[m.group("type")]})


# "quy định mới", "kế hoạch hiện hành": words saying which version is meant, which no title or issuer
# holds — not words the document's face must cover.
_RECENCY = re.compile(r"(?<!\w)(?:mới nhất|mới|hiện hành|moi nhat|hien hanh)(?!\w)", re.I)


def described_document(ctx: Context, among: list[dict] | None = None, *, any_year: bool = False,
                       kinds: set[str] | None = None, years: set[str] | None = None) -> StoredDoc | None:
    """The stored document a question describes without its number: of the kind it names, of the
    years it names (unless `any_year`), and whose kind, title, issuer and place cover the question's
    words clearly more than any other's (W.described_doc, W.described_margin); None when no one
    document stands out."""
    low = fold(ctx.q.expanded).lower()
    if kinds is None:
        # the kinds written without a number ("KH triển khai CT 21" describes a plan; "CT 21" is named)
        found = [(TYPE_WORDS[m.group(0)], re.match(r"\s*(?:so\s*)?\d", low[m.end():]) is None)
                 for m in re.finditer(r"(?<![0-9a-z])(?:" + TYPE_ALT + r")(?![0-9a-z])", low)]
        kinds = {k for k, bare in found if bare} or {k for k, _ in found}
    if years is None:
        years = set() if any_year else set(YEAR.findall(ctx.q.topic))
    terms = ctx.terms(_RECENCY.sub(" ", ctx.q.topic))
    scored: list[tuple[float, dict]] = []
    for entry in ctx.kb.meta(ctx.levels) if among is None else among:
        own = _type_code(entry)
        # (a Quy chế or Quy định is issued annexed to a Quyết định, under its number)
        if kinds and own not in kinds and not (own == "qd" and kinds & {"qc"}):
            continue
        text = _described_text(entry)
        if years and not years <= set(YEAR.findall(text)):
            continue
        scored.append((text_match(terms, text), entry))
    scored.sort(key=lambda x: -x[0])
    if not scored or scored[0][0] < W.described_doc:
        return None
    if len(scored) > 1 and scored[0][0] < W.described_margin * scored[1][0]:
        return None
    e = scored[0][1]
    return StoredDoc.of(e)


def _reference_text(ref: dict) -> str:
    return f"{ref.get('type') or ''} {ref.get('title') or ''} {ref.get('issuer') or ''} {(ref.get('issued') or '')[:4]}"


def described_reference(ctx: Context, stored: StoredDoc | None) -> NamedDoc | None:
    """A document the stored ones cite but the store does not hold, when the question describes it by
    kind, subject and issuer ("kế hoạch của BTV Tỉnh ủy về triển khai Sổ tay đảng viên điện tử") clearly
    better than it describes any stored one (W.described_doc, W.described_margin): its number, for what
    the citing documents say of it. None otherwise."""
    low = fold(ctx.q.expanded).lower()
    found = [(TYPE_WORDS[m.group(0)], re.match(r"\s*(?:so\s*)?\d", low[m.end():]) is None)
             for m in re.finditer(r"(?<![0-9a-z])(?:" + TYPE_ALT + r")(?![0-9a-z])", low)]
    kinds = {k for k, bare in found if bare}
    if not kinds:
        return None
    terms = ctx.terms(ctx.q.topic)
    scored = sorted(((text_match(terms, _reference_text(r)), r) for r in ctx.kb.missing_references(ctx.levels)
                     if _type_code({"number": r.get("number"), "type": r.get("type")}) in kinds),
                    key=lambda x: -x[0])
    if not scored or scored[0][0] < W.described_doc:
        return None
    if len(scored) > 1 and scored[0][0] < W.described_margin * scored[1][0]:
        return None
    if stored is not None:
        entry = ctx.document(stored.doc_id) or {}
        if scored[0][0] < W.described_margin * text_match(terms, _described_text(entry)):
            return None
    m = re.match(r"\s*(\d{1,4})\s*-\s*([^/\s]+)", fold(scored[0][1]["number"]).lower())
    if m is None:
        return None
    return NamedDoc(m.group(1).lstrip("0") or "0", "qd" if m.group(2) == "qdi" else m.group(2))


def _type_code(entry: dict) -> str | None:
    number = entry.get("number") or ""
    if "-" in number:
        code = fold(number.split("-", 1)[1].split("/")[0]).lower()
        return "qd" if code == "qdi" else code
    return TYPE_WORDS.get(fold(entry.get("type") or "").lower())


# The period a report or review covers, as its title writes it: "(từ tháng 3 đến tháng 9/2027)", "6 tháng
# đầu năm 2027", "giai đoạn 2021 – 2025", "năm 2026".
_PERIOD = re.compile(r"\(?(?:từ\s+(?:tháng|quý|năm|ngày)\s+[^()\n]{1,40}?\s+đến\s+[^()\n]{1,30}?\d{4}"
                     r"|\d+\s+tháng\s+(?:đầu|cuối)\s+năm\s+\d{4}|giai\s+đoạn\s+\d{4}\s*[-–]\s*\d{4}|(?:quý\s+[IV]+|năm)\s+\d{4})\)?",
                     re.I)
# A signer's name: two to five capitalised words alone on a line.
_NAME_LINE = re.compile(r"^\s*((?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]*\s+){1,4}[A-ZĐÀ-Ỹ][a-zđà-ỹ]*)\s*$")


def _name_line(block: str) -> str | None:
    """The signer's name: the last line of the signature block that is a name."""
    for line in reversed(block.splitlines()):
        m = _NAME_LINE.match(line)
        if m:
            return m.group(1)
    return None


# Words of a post written in capitals in a signature, as they are written in running text.
_TITLE_WORDS = {"văn phòng": "Văn phòng", "bí thư": "Bí thư", "thường trực": "Thường trực", "chánh": "Chánh",
                "chủ nhiệm": "Chủ nhiệm", "chủ tịch": "Chủ tịch", "ủy ban": "Ủy ban", "thường vụ": "Thường vụ",
                "kiểm tra": "Kiểm tra", "tỉnh ủy": "Tỉnh ủy", "huyện ủy": "Huyện ủy", "thành ủy": "Thành ủy",
                "thị ủy": "Thị ủy", "đảng ủy": "Đảng ủy", "ban chỉ đạo": "Ban Chỉ đạo"}
_ON_BEHALF_LINE = re.compile(r"^\s*(?:T/?M|K/?T|T/?L|TM|KT|TL|Q|TUQ)\.?\s", re.I)


def _signer_title(entry: dict) -> str | None:
    """The signer's own posts: the lines of the signature's position block that are not "T/M …", "K/T …"
    (on whose behalf), as running text writes them ("PHÓ CHÁNH VĂN PHÒNG" → "Phó Chánh Văn phòng";
    "TRƯỞNG BAN / PHÓ BÍ THƯ THƯỜNG TRỰC TỈNH ỦY" → "Trưởng ban, Phó Bí thư Thường trực Tỉnh ủy")."""
    fields = [f for f in entry.get("fields") or [] if f.get("name") == "signer_position" and not f.get("section")]
    text = entry.get("text") or ""
    lines = [ln.strip() for f in fields for ln in text[f["start"]:f["end"]].splitlines() if ln.strip()]
    own = [ln for ln in lines if not _ON_BEHALF_LINE.match(ln) and ln.isupper()]
    if not own:
        return None
    titles = []
    for line in own:
        title = " ".join(line.lower().split())
        for low, written in _TITLE_WORDS.items():
            title = re.sub(rf"(?<!\w){low}(?!\w)", written, title)
        titles.append(title[:1].upper() + title[1:])
    return ", ".join(titles)


# A title naming the document it implements: "(Chương trình hành động) thực hiện Nghị quyết số 05-NQ/TU".
_IMPLEMENTS = re.compile(r"(?:thực hiện|triển khai)\s+(?:[^\W\d_]+\s+){1,3}(?:số\s+)?\d{1,4}-", re.I)


# Fields a yes/no question asks whether there are ("có thay thế … không?", "có căn cứ … không?"): the
# text naming one answers "Có"; a text naming none is said not to state it, never answered "Không".
_EXISTENCE = frozenset({"replaces", "basis"})


def _two_digits(day: str) -> str:
    """"01/6/2027" as the replies write dates: "01/06/2027" (as written when it is no d/m/yyyy date)."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\s*", day)
    return f"{int(m.group(1)):02d}/{int(m.group(2)):02d}/{m.group(3)}" if m else day


# The date a citation gives right after a document's number: "số 04-QĐi/TU, ngày 12/3/2024".
_CITED_ON = re.compile(r"\s*,?\s*ngày\s+(?:(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
                       r"|(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4}))", re.I)


def _dated_number(text: str, m: re.Match[str]) -> str:
    """A cited document's number, with the date the citation gives it (dd/mm/yyyy) when it gives one."""
    number = re.sub(r"\s+", "", m.group(0))
    day = _CITED_ON.match(text, m.end())
    if day is None:
        return number
    d, mo, y = (int(g) for g in (day.groups()[:3] if day.group(1) else day.groups()[3:]))
    try:
        return f"{number} ngày {date(y, mo, d).strftime('%d/%m/%Y')}"
    except ValueError:
        return number


def _doc_metadata(ctx: Context, b: Builder, doc: StoredDoc) -> None:
    entry = ctx.document(doc.doc_id)
    if entry is None:
        return
    label = doc_label(entry.get("type"), entry.get("number"), entry["doc_id"])
    replies: list[str] = []
    for name in ctx.q.asks:
        spans = field_spans(entry, name)
        if name == "basis" and _IMPLEMENTS.search(entry.get("title") or ""):
            # "Chương trình hành động thực hiện Nghị quyết số 05-NQ/TU …": the title names what it implements
            spans = [sp for sp in field_spans(entry, "subject") if _IMPLEMENTS.search(sp.quote)
                     and sp not in spans][:1] + spans
        if name == "period":
            spans = [sp for sp in field_spans(entry, "subject") if _PERIOD.search(sp.quote)][:1]
        if spans and name == "date" and ctx.q.named:
            # How the documents citing it write its date ("Quy định số 55-QĐ/TW, ngày 19/12/2016 …").
            nd = next((n for n in ctx.q.named if n.matches(entry.get("number"), entry.get("issued"))), None)
            spans += [s for s in (citing_spans(ctx, nd, limit=1) if nd else [])
                      if s.doc.doc_id != entry["doc_id"] and _dates_it(s.quote, nd)]
        if not spans and name in _CITED_FIELDS:
            # The stored text lacks it (a partial text): what citing documents say.
            nd = next((n for n in ctx.q.named if n.matches(entry.get("number"), entry.get("issued"))), None)
            spans = citing_spans(ctx, nd, limit=2) if nd else []
            spans = [s for s in spans if s.doc.doc_id != entry["doc_id"]]
        if not spans:
            continue
        value = _value(entry, name)
        if name == "effective" and entry.get("issued") and _FROM_SIGNING.search(fold(spans[0].quote).lower()):
            # "có hiệu lực kể từ ngày ký": the day it was signed, as its date line states it
            value = f"{_value(entry, 'date')} (từ ngày ký)"
            spans += [sp for sp in field_spans(entry, "date") if sp not in spans][:1]
        elif name == "effective" and (day := _FROM_DAY.search(spans[0].quote)):
            value = f"từ ngày {_two_digits(day.group(1))}"  # "có hiệu lực thi hành kể từ ngày 01/6/2027"
        if name == "session":
            value = spans[0].quote  # the header line names the meeting and the term
        if name == "period":
            value = _PERIOD.search(spans[0].quote).group(0).strip("() ")  # "từ tháng 3 đến tháng 9/2027"
        if name == "signer" and not value:
            value = _name_line(spans[0].quote)  # "T/M …\nPHÓ BÍ THƯ\n(Đã ký)\nLương Văn Khải"
        if name == "signer" and value and (title := _signer_title(entry)):
            value = f"{value} ({title})"  # "Trần Quốc Bảo (Phó Chánh Văn phòng)": who signs, in which post
        if name == "issuer" and (organ := signing_organ(entry)):
            value = organ  # "Ban Thường vụ Tỉnh ủy Lai Châu": the committee's organ that signs for it
            spans += [sp for sp in field_spans(entry, "signer_position") if sp not in spans][:1]
        if name == "recipients":
            # every group of the block ("Nơi nhận:" heads the first; a note set beside some splits it)
            items = entry.get("recipients") or [ln for sp in spans for ln in sp.quote.splitlines()
                                                 if ln.strip() and not _RECIPIENTS.match(ln)]
            value = f"{len(items)} nơi" if items else None
        if name in ("basis", "replaces"):
            # each with its date as the text gives it ("04-QĐi/TU ngày 12/03/2024"): two documents may
            # share a number across years
            numbers = list(dict.fromkeys(_dated_number(s.quote, m) for s in spans for m in _DOCNO.finditer(s.quote)))
            value = ", ".join(numbers) or None
        statement = f"{_LABELS[name]}: {value}" if value else f"{_LABELS[name]}:"
        replies.append(f"{statement} {b.marks(*spans)}")
        b.quote_spans(spans)
    if replies:
        line = f"{label} — " + "; ".join(replies)
        if ctx.q.yesno and set(ctx.q.asks) & _EXISTENCE:
            line = f"Có. {line}"  # "có thay thế hướng dẫn nào không?": the text names the one it replaces
        b.reply = line if b.reply is None else f"{b.reply}\n{line}"


# "Hướng dẫn kiểm điểm năm 2025 của Ban Tổ chức Tỉnh ủy …": a document kind with its year.
_KIND_YEAR = re.compile(r"(?<![0-9a-z])(?P<type>" + TYPE_ALT + r")(?![0-9a-z])(?:\s+[a-z0-9]+){0,10}?\s+nam\s+((?:19|20)\d{2})")


def other_year_document(ctx: Context) -> str | None:
    """The question describes a document of a year the store does not hold, when it holds that
    document of another year ("Hướng dẫn kiểm điểm năm 2025 …" beside the 2026 one): said so, not
    answered from the other year's text (a deadline of 2026 is no answer for 2025)."""
    if ctx.lk.named:
        return None
    low = fold(ctx.q.expanded).lower()
    m = _KIND_YEAR.search(low)
    if not m:
        return None
    w = ctx.q.window
    if w is not None and w.span[0] <= m.start(2) < w.span[1] and re.search(r"[,;:]", low[m.end("type"):m.start(2)]):
        return None  # "Theo kế hoạch thực hiện CT 15, năm 2028 phải làm gì?": a time asked, not a year of the plan
    # the kind the year is written with ("KH năm 2028 … thực hiện Chỉ thị 15" describes a plan; the
    # year may be the question's time window, not in its topic)
    kinds = {TYPE_WORDS[m.group("type")]}
    if described_document(ctx, kinds=kinds, years={m.group(2)}) is not None:
        return None
    other = described_document(ctx, any_year=True, kinds=kinds)
    if other is None:
        return None
    entry = ctx.document(other.doc_id) or {}
    label = doc_label(entry.get("type"), entry.get("number"), other.doc_id)
    return (f"Kho không có văn bản này của năm {m.group(2)}; văn bản gần nhất trong kho là {label} "
            f"({entry.get('title') or ''}), không phải của năm {m.group(2)}.")


# "Kế hoạch thực hiện CT 15 của Huyện ủy Bắc Vân": a kind of document, then the local committee that
# issued it ("của" + a committee word + the place's name).
_ISSUED_BY = re.compile(r"(?<![0-9a-z])(?P<type>" + TYPE_ALT + r")(?![0-9a-z])(?!\s*(?:so\s*)?\d)[^?.;]*?"
                        r"\bcua\s+(?:ban thuong vu\s+|ban chap hanh\s+)?(?P<body>(?:huyen|quan|thi xa|thanh|dang)\s+uy"
                        r"(?:\s+(?:xa|phuong|thi tran))?\s+(?P<name>[a-z]+(?:\s+[a-z]+)?))")


def other_issuer_document(ctx: Context) -> str | None:
    """The question describes a document of a local committee that issued nothing stored ("Kế hoạch …
    của Huyện ủy Bắc Vân", when Bắc Vân is only named inside another body's documents): said so, not
    answered from the documents of the committee that did issue them."""
    if ctx.lk.named or ctx.placed_ids():
        return None
    low = fold(ctx.q.expanded).lower()
    m = _ISSUED_BY.search(low)
    if m is None:
        return None
    said = ctx.q.expanded[m.start("body"):m.end("body")]
    name = ctx.q.expanded[m.start("name"):m.end("name")]
    if not name[:1].isupper():
        return None  # "của Đảng ủy xã giao trường tôi …": words after the committee, not a place's name
    key = " ".join(fold(said).lower().split())
    if any(key in " ".join(fold(ctx.issuer_place(e["doc_id"])).lower().split()) for e in ctx.kb.meta(ctx.levels)):
        return None  # a stored document's issuer ("Thành ủy Hòa Bình Đông")
    kind = next((e.get("type") for e in ctx.kb.meta(ctx.levels) if _type_code(e) == TYPE_WORDS[m.group("type")]), None)
    what = (kind or m.group("type")).lower()
    return (f"Kho không có {what} nào của {said}; các văn bản hiện có do cơ quan khác ban hành, "
            "nên không thể trả lời theo văn bản của nơi khác.")
