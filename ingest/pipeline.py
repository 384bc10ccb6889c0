"""A read document in, one structured `Document` out: repair, header, sections, footnotes,
sentences, chunks, references, obligations. Pure: no storage, no network."""
from __future__ import annotations

import bisect
import hashlib
import json
import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Callable

from .chunks import build_chunks
from .models import Document, Footnote, Sentence
from .header import Header
from .normalize import fold
from .obligations import extract_obligations
from .references import find_references
from .repair import find_markers, repair
from .structure import rstrip_span, lines_of, parse_body, parse_header, sentences_of, split_sentences, type_from_number

if TYPE_CHECKING:
    from .readers import RawDocument

# Bump when parsing changes what records a file yields: stored documents are then re-ingested.
PIPELINE_VERSION = "31"  # 5: a duty per clause, actor refs, contexts (issue 13); 6: numbered annexes one after another; 7: list items take their lead-in's actors, posts the bodies they head, a clause before the sentence's subject, joined periods, lines described by their label; 8: posts defined by a copula and titles "Nhiệm vụ của X", a standing rule's yearless dates yearly, occasions and time cells set by another body, months of a rhythm; 9: items opening with a figure ("1. 100% thôn …"), a bare day in a time column; 10: a rhythm and its due day written apart in one clause, "ngày mùng 5", a subjectless khoản going on about the khoản before it takes its actor; 11: a sentence ends after a quarter's numeral ("… trong quý I. Các chi bộ …"); 12: decoration lines as converters write them ("\*", "---oOo---") pass in the header; 13: the heads of the Youth Union and of a trade union are posts of their own bodies; 14: a note set beside recipients ("(để báo cáo)") leaves a two-column closing's signature whole; 15: a basis is quoted with the ";" that ends its line; 16: deputies ("Phó Chủ tịch UBND xã") are not the head, "Ủy ban MTTQ" is the Mặt trận, a title's horizon ("đến năm 2028") is not the year of yearless days, due days listed apart from their rhythm ("6 tháng một lần báo cáo … trước ngày 10/6 và trước ngày 10/12") are one recurrence, a phase's time ("Giai đoạn 2: từ … đến …: a; b") times each of its duties that states none; 17: run-in headings ("1. Tình hình. …") name their point, a duty due at coordinated times ("trước ngày 15/6 và 15/12 hằng năm", "quý IV/2027 và quý III/2028") is due at each; 18: a post labelling a line of duties ("- Trưởng Công an xã: tham mưu …; báo cáo …") is their subject; 19: a day "năm sau" is in the year after the plan's ("trước ngày 15/01 năm sau"; "… của năm sau" had taken the plan's year); 20: grid tables drawn with "+----+" borders, "tháng 5 - 6/2027" as one window, a khoản opening with "Thời hạn …" never continues the khoản before; 21: the deputy chair of an Ủy ban Kiểm tra is a post of its own, not the chair; 22: a Công văn's "V/v …" line is its subject (it had been a Roman part V), its "Kính gửi:" block its first recipients; 23: the commander of a military command ("Chỉ huy trưởng Ban Chỉ huy quân sự xã") and the military service council and its chair are actors; 24: a PDF's text layer reflows by line width (short header and signature lines stay apart, rules stand alone), its small-font footnote markers are superscripts and its page-foot footnotes ("1 text") move to the end; 25: a post labelling a line of duties is their subject even when a later clause names its own ("Bí thư các chi bộ: thu …; đưa …; mỗi chi bộ kiểm tra …"); 26: people narrowed by a copula before their verb ("Đảng viên là giáo viên, cán bộ quản lý trường học phối hợp …; thông báo …") do those duties; 27: a count written with a leading zero is indexed as the count ("03 tháng" as "3 tháng"); 28: a header whose two columns OCR read as one line ("HUYỆN ỦY X ĐẢNG CỘNG SẢN VIỆT NAM", "Số … <place>, ngày … KẾ HOẠCH …") is split where they meet, and a one- or two-character decoration line ("x" for "*") passes; 29: "sau <event>" with no span before it is when a duty starts, not its deadline ("sau hội nghị, … nộp chi bộ trước ngày 30/4/2029" is due 30/4); 30: a PDF's ruled table is read one row a line with its cells between pipes ("| 1 | Nội dung | Cơ quan chủ trì | … | Thời gian |"), a header repeated on the next page dropped and a row the page break cut joined; 31: a sentence opening with a bare month or quarter and a comma ("Tháng 11/2030, Ban Dân vận … bình xét …") is due then


# A number whose slug can be read back: figures, one dash, capitals, one slash, capitals
# ("222-KH/TU", "144-QĐ/TW"). Its slug alone is its id (up to Đ/D, which users type either way and
# lookups fold alike); any other form also carries a digest of the number as written.
_PLAIN_NUMBER = re.compile(r"\d+-[A-ZĐ]+/[A-ZĐ]+")
_ID_DIGEST = 10  # hex digits of the digest: 40 bits, so ids of different numbers or files do not meet


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", fold(text).lower()).strip("-")


def _digest(text: str) -> str:
    return hashlib.blake2b(unicodedata.normalize("NFC", text).encode(), digest_size=8).hexdigest()[:_ID_DIGEST]


def make_doc_id(number: str | None, issued: date | None, source: str) -> str:
    """Stable id, unique per number as written (plus the issue date: numbers restart each Party
    term) or, for a document without a number, per file name: "222-kh-tu-2023-12-18";
    "777-kh-tu-5c0f…-2024-02-20" for "777 KH.TU"; "bien-ban-3a9e…" for "bien-ban.docx", so
    "bien-ban.pdf" is another document."""
    if number and _PLAIN_NUMBER.fullmatch(number):
        base = _slug(number)
    elif number:
        base = f"{_slug(number) or 'so'}-{_digest(number)}"
    else:
        base = f"{_slug(re.sub(r'[.][A-Za-z0-9]+$', '', source)) or 'van-ban'}-{_digest(source)}"
    return f"{base}-{issued.isoformat()}" if issued else base


def legacy_doc_id(number: str | None, issued: date | None, source: str) -> str:
    """The id before numbers and file names were kept apart (stores written until then use it):
    "777 KH.TU" and "777-KH/TU" met, and so did "evil.docx" and "evil.pdf"."""
    base = number or re.sub(r"\.[A-Za-z0-9]+$", "", source)
    slug = _slug(base) or "van-ban"
    return f"{slug}-{issued.isoformat()}" if issued else slug


def content_digest(doc: Document) -> str:
    """The document's version: its text and metadata as parsed by this PIPELINE_VERSION."""
    meta = {
        "number": doc.number, "type": doc.type, "issuer": doc.issuer, "place": doc.place,
        "issued": doc.issued.isoformat() if doc.issued else None, "title": doc.title, "signer": doc.signer,
        "completeness": doc.completeness, "access": doc.access,
    }
    return hashlib.sha256(
        json.dumps([PIPELINE_VERSION, doc.text, meta], ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()[:32]


def set_access(doc: Document, access: str) -> None:
    """Give a parsed document another access level (the one it is stored with, when the file does not
    say): its version follows, as if the file had said so."""
    doc.access = access
    doc.content_hash = content_digest(doc)


def _date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _str(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def _face_blocks(header: Header) -> list[tuple[tuple[int, int], str | None, str]]:
    """(span, section, kind) of the header block and of every closing block (the document's own,
    then each annex's, whose section is the annex)."""
    blocks: list[tuple[tuple[int, int], str | None, str]] = []
    if header.span:
        blocks.append((header.span, None, "header"))
    if header.closing:
        blocks.append(((header.closing.start, header.closing.end), None, "closing"))
    for a in header.annexes:
        if a.closing:
            blocks.append(((a.closing.start, a.closing.end), a.label, "closing"))
    return blocks


def build_document(raw: "RawDocument", *, choose_id: Callable[[str | None, date | None, str], str] | None = None
                   ) -> Document:
    """`choose_id(number, issued, source)` names the document (default: make_doc_id); a store that
    holds documents under older ids passes one that keeps them."""
    rep = repair(raw.text, wrapped_lines=raw.format == "pdf")
    text = rep.text
    header = parse_header(text, rep.body_end)
    fm = raw.front_matter or {}
    number = _str(fm.get("number")) or header.number
    issued = _date(fm.get("issued")) or header.issued
    doc_id = (choose_id or make_doc_id)(number, issued, raw.source)
    body = parse_body(text, header)
    sections, paragraphs = body.sections, body.paragraphs

    footnotes: list[Footnote] = []
    starts = [s.start for s in sections]
    markers = find_markers(text, {fn.number for fn in rep.footnotes}, limit=rep.body_end)
    for fn in rep.footnotes:
        marker = markers.get(fn.number)
        holder = None
        if marker:  # the deepest section holding the marker: the last one opened before it that spans it
            k = bisect.bisect_right(starts, marker[0]) - 1
            while k >= 0 and not sections[k].start <= marker[0] < sections[k].end:
                k -= 1
            holder = sections[k].path if k >= 0 else None
        footnotes.append(Footnote(fn.number, fn.text, fn.start, fn.end,
                                  marker[0] if marker else None, marker[1] if marker else None, holder))

    sentences = sentences_of(text, paragraphs)
    # Header and closing lines are sentences of their own kinds: a quote of "Lai Châu, ngày 18
    # tháng 12 năm 2023" or of the signer's name is one line, never the whole block.
    for (a, b), section, kind in _face_blocks(header):
        sentences.extend(Sentence(ln.start, rstrip_span(text, ln.start, ln.end), section, kind)
                         for ln in lines_of(text, a, b) if ln.text.strip())
    sentences.sort(key=lambda s: s.start)
    for fn in footnotes:
        sentences.extend(Sentence(s, e, f"footnote {fn.number}", "footnote")
                         for s, e in split_sentences(text, fn.start, fn.end))

    meta = {
        "number": number,
        "type": _str(fm.get("type")) or header.type or type_from_number(number),
        "issuer": _str(fm.get("issuer")) or header.issuer,
        "place": _str(fm.get("place")) or header.place,
        "issued": issued.isoformat() if issued else None,
        "title": _str(fm.get("title")) or header.title,
        "signer": _str(fm.get("signer")) or header.signer,
        "completeness": _str(fm.get("completeness")) or "full",
        "access": (_str(fm.get("access")) or "public").lower(),
    }
    doc = Document(
        doc_id=doc_id, number=number, type=meta["type"], issuer=meta["issuer"], place=meta["place"],
        issued=issued, title=meta["title"], signer=meta["signer"], recipients=header.recipients,
        completeness=meta["completeness"], access=meta["access"] if meta["access"] in ("public", "internal") else "internal",
        text=text, content_hash="", source=raw.source, source_url=_str(fm.get("source_url")),
        provenance=raw.provenance.to_json() if getattr(raw, "provenance", None) is not None else None,
        sections=sections, footnotes=footnotes, sentences=sentences, tables=body.tables, fields=header.fields,
    )
    doc.content_hash = content_digest(doc)
    doc.chunks = build_chunks(doc, paragraphs, _face_blocks(header))
    doc.references = find_references(text, own_number=number, doc_id=doc_id)
    doc.obligations = extract_obligations(doc)
    return doc
