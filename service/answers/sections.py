"""Questions that name a part of a document: "Mục III.1 của Kế hoạch 222 nói gì?", "Khoản 2 Điều 8
Quy định 124", "chú thích số 1", "dòng 6 của bảng phân công". The answer is that section's own text —
or, when the stored text has no such section, exactly that (a partial text is said to be partial).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest.normalize import fold
from ingest.tokenize import syllables

from ..records import DocRef, Passage, Span, doc_label, document_face, section_label
from ..retrieval.names import TYPE_ALT, SectionRef
from ..retrieval.query import STOP_SYLLABLES, ParsedQuestion
from ..retrieval.scoring import W, text_match
from .compose import Builder, Quote, is_heading, none_answer
from .context import Context
from .support import counted_unit
from .cross import as_named

_WORDS = {"part": "Phần", "chapter": "Chương", "section": "Mục", "article": "Điều", "clause": "khoản",
          "point": "điểm", "footnote": "chú thích", "row": "dòng", "item": "mục"}


def ref_label(refs: list[SectionRef]) -> str:
    return " ".join(f"{_WORDS[r.kind]} {r.number}" for r in refs)


_ORDINAL_WORDS = {"nhat": 1, "mot": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
                  "chin": 9, "muoi": 10}


def _value(number: str) -> int | None:
    """A part's or chapter's number, however written: "II", "2", "THỨ HAI" → 2."""
    from ..retrieval.scoring import roman_value

    token = fold(number).lower().replace("thu ", "").strip()
    if token.isdigit():
        return int(token)
    if token in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[token]
    return roman_value(token.upper())


# A section is found by the chain of sections above it, not by its path string: paths are kept
# short ("I.1" under "Phần thứ nhất" when no other "I" exists), the chain always holds every level.
_TYPED = ("part", "chapter", "section", "article")  # levels named by a word in the tree
_PLAIN_ORDER = {"section": 0, "clause": 1, "item": 1, "point": 2}  # unnamed levels, outer first


@dataclass
class _Chain:
    typed: dict[str, str]  # "part" → "II", "article" → "9"
    plain: list[str]  # the unnamed numbering below them: ["I", "1"] of "Phần II, I.1"
    annex: str | None  # "Quy chế": the annexed document the section belongs to
    row: str | None  # the row number when the section is a table row


def _chain(sec: dict, by_path: dict[str, dict]) -> _Chain:
    seq = [sec]
    seen = {sec.get("path")}
    while (parent := seq[-1].get("parent")) and parent in by_path and parent not in seen:
        seen.add(parent)
        seq.append(by_path[parent])
    c = _Chain({}, [], None, None)
    for node in reversed(seq):
        kind, number = node.get("kind") or "", str(node.get("number") or "")
        if kind == "annex":
            c.annex = node.get("path")
        elif kind in _TYPED:
            c.typed[kind] = number
        elif kind == "row":
            c.row = number
        elif kind == "sub":
            c.plain.append(number.split(".")[-1])  # "2.1" under item 2
        elif number:
            c.plain.append(number)
    return c


def _same(kind: str, a: str, b: str) -> bool:
    if a.strip().lower() == b.strip().lower():
        return True
    return kind in ("part", "chapter") and _value(a) is not None and _value(a) == _value(b)


def _names_annex(low: str, annex: str) -> bool:
    """The question names the annex as where to read — not to rule it out ("Điều 2 của Quyết định
    (không phải Điều 2 của Quy chế)")."""
    at = low.find(annex)
    if at < 0:
        return False
    return re.search(r"(?:khong phai|chu khong|khong tinh|ngoai)\b[^.;?()]{0,30}$", low[:at]) is None


def _matches(chain: _Chain, refs: list[SectionRef], low: str) -> float | None:
    """How well a section answers the named refs: 0 exact, larger = looser; None = not it."""
    typed = {r.kind: r.number for r in refs if r.kind in ("part", "chapter", "article")}
    plain: list[str] = []
    for r in sorted((r for r in refs if r.kind in _PLAIN_ORDER), key=lambda r: _PLAIN_ORDER[r.kind]):
        if r.kind == "section" and "section" in chain.typed:
            typed["section"] = r.number  # a regulation's "Mục 2" between Chương and Điều
        else:
            plain.extend(x for x in r.number.split(".") if x)
    annex = next((r.number for r in refs if r.kind == "annex"), None)
    if annex is not None:
        # "Phụ lục 1", "phụ lục II": the annex of that number, and what the other refs name inside it.
        own = (chain.annex or "").split(" ")[-1]
        if not chain.annex or not _same("part", own, annex):
            return None
        refs = [r for r in refs if r.kind != "annex"]
        if not refs:
            return 0.0 if chain.row is None and not chain.plain and not chain.typed else None
    row = next((r.number for r in refs if r.kind == "row"), None)
    if (row is None) != (chain.row is None) or (row is not None and row != chain.row):
        return None
    for kind, number in typed.items():
        own = chain.typed.get(kind)
        if own is None:
            if kind == "chapter" and "article" in typed:
                continue  # articles are numbered across chapters: "Điều 9 Chương III" is Điều 9
            return None
        if not _same(kind, own, number):
            return None
    deepest = max((_TYPED.index(k) for k in typed), default=-1)
    if any(_TYPED.index(k) > deepest for k in chain.typed) and (typed or not plain):
        return None  # "Chương I" is the chapter, not its first Điều
    rank = 0.0
    if "article" in chain.typed and "article" not in typed and plain:
        return None  # "khoản 2" alone names no clause of an article
    if plain != chain.plain:
        n = len(plain)
        if not plain or n >= len(chain.plain) or [x.lower() for x in chain.plain[-n:]] != [x.lower() for x in plain]:
            return None
        rank += 1 + len(chain.plain) - n  # "2.2" names II.2.2; deeper matches are looser
    if chain.annex:  # an annex the question names ("Điều 3 của Quy chế") first; else the main text
        rank += -0.5 if _names_annex(low, fold(chain.annex).lower()) else 0.5
    return rank


_PART_OF = re.compile(r"\s*(?:trong|cua|thuoc|tai)\s*")


def item_of_named(ctx: Context) -> ParsedQuestion | None:
    """"Kết luận số 8 trong TB 27": a numbered document the store does not hold, written right before
    ("trong", "của") a stored one that has an item of that number, is that item — the question is
    re-read as a section question; None when no such pair is named."""
    q = ctx.q
    low = fold(q.expanded).lower()
    stats = ctx.kb.retriever.stats
    for a, b in zip(q.named, q.named[1:]):
        if a.code == b.code or not _PART_OF.fullmatch(low[a.span[1]:b.span[0]]):
            continue
        if stats.named([a], ctx.levels):
            continue
        item = SectionRef("item", a.number, a.span)
        if any(resolve(ctx, d.doc_id, [item]) is not None for d in stats.named([b], ctx.levels)):
            return replace(q, named=[n for n in q.named if n is not a], sections=[item, *q.sections],
                           kind="section")
    # "kết luận số 5 trong thông báo của xã": the document it stands in, described by kind and issuer
    for a in q.named:
        m = _PART_OF_DESCRIBED.match(low, a.span[1])
        if a.object or m is None or stats.named([a], ctx.levels):
            continue
        item = SectionRef("item", a.number, a.span)
        for doc_id in ctx.faced_ids(q.expanded[m.start("doc"):m.end("doc")]):
            entry = ctx.document(doc_id) or {}
            if (nd := as_named(entry.get("number") or "")) is not None and resolve(ctx, doc_id, [item]) is not None:
                return replace(q, named=[n for n in q.named if n is not a] + [nd], sections=[item, *q.sections],
                               kind="section")
    return None


# "… trong thông báo của xã", "… của kế hoạch huyện": a document by its kind, not its number
_PART_OF_DESCRIBED = re.compile(rf"\s*(?:trong|cua|thuoc|tai)\s+(?P<doc>(?:{TYPE_ALT})(?![0-9a-z])(?!\s*(?:so\s*)?\d)[^?,;.]*?)"
                                r"(?=\s+(?:noi|ghi|quy dinh|la|co|yeu cau|de cap|neu|giao)\b|\s*[?,;.]|$)")


def resolve(ctx: Context, doc_id: str, refs: list[SectionRef]) -> dict | None:
    """The section of `doc_id` the refs name, or None."""
    if any(r.kind == "footnote" for r in refs):
        n = next(r.number for r in refs if r.kind == "footnote")
        entry = ctx.document(doc_id) or {}
        fn = next((f for f in entry.get("footnotes") or [] if str(f.get("number")) == n), None)
        return {"path": f"footnote {n}", "title": "", "start": fn["start"], "end": fn["end"]} if fn else None
    tree = ctx.section_tree(doc_id)
    by_path = {sec["path"]: sec for sec in tree if sec.get("path")}
    chains = [(_chain(sec, by_path), sec) for sec in tree]
    low = fold(ctx.q.expanded).lower()
    best = _best(chains, refs, low)
    if best is None:
        # "Phần IV" of a plan numbered "IV." without the word: a level the document never names by
        # its word is read as the plain numbering at that place.
        kinds = {k for c, _ in chains for k in c.typed}
        # …the outer level first, however the question orders them ("Mục 4 phần I" is I.4)
        outer = [SectionRef("section", r.number, r.span) for r in refs if r.kind in ("part", "chapter") and r.kind not in kinds]
        plain = outer + [r for r in refs if not (r.kind in ("part", "chapter") and r.kind not in kinds)]
        if plain != refs:
            best = _best(chains, plain, low)
    if best is None and refs[0].kind == "row":
        return _row_by_line(ctx, doc_id, refs[0].number)
    return best


def _best(chains: list[tuple[_Chain, dict]], refs: list[SectionRef], low: str) -> dict | None:
    best: tuple[float, int, dict] | None = None
    for chain, sec in chains:
        rank = _matches(chain, refs, low)
        if rank is not None and (best is None or (rank, len(sec["path"])) < best[:2]):
            best = (rank, len(sec["path"]), sec)
    return best[2] if best else None


def _row_by_line(ctx: Context, doc_id: str, number: str) -> dict | None:
    """A duty table written as text lines ("6 | Giám sát … | … | 6 tháng cuối năm"): the line of row N."""
    entry = ctx.document(doc_id) or {}
    text = entry.get("text") or ""
    m = re.search(rf"^[ \t]*0?{re.escape(number)}[ \t]*[|\t][^\n]+", text, re.M)
    if not m:
        return None
    sec = ctx.section_at(doc_id, m.start())
    return {"path": sec["path"] if sec else None, "title": sec["title"] if sec else "", "start": m.start(),
            "end": m.end(), "row": True}


def _candidate_docs(ctx: Context) -> list[str]:
    named = [d.doc_id for d in ctx.lk.named]
    if named:
        return named
    seen: list[str] = []
    for p in ctx.passages()[:5]:
        if p.doc_id not in seen:
            seen.append(p.doc_id)
    return seen


def compose_section(ctx: Context) -> dict | None:
    refs = list(ctx.q.sections)
    docs = _candidate_docs(ctx)
    found = [(d, sec) for d in docs if (sec := resolve(ctx, d, refs)) is not None]
    if not found:
        if ctx.lk.named:
            return _absent(ctx, refs)
        return None
    if len(found) > 1 and not ctx.lk.named:
        terms = ctx.terms()
        found.sort(key=lambda f: -text_match(terms, f[1].get("title") or ""))
    doc_id, sec = found[0]
    return _section_text(ctx, doc_id, sec)


def _absent(ctx: Context, refs: list[SectionRef]) -> dict:
    doc = ctx.lk.named[0]
    entry = ctx.document(doc.doc_id) or {}
    label = doc_label(entry.get("type"), entry.get("number"), doc.doc_id)
    note = " (kho chỉ lưu một phần văn bản này)" if entry.get("completeness") == "partial" else ""
    return none_answer(f"Bản {label} trong kho không có {ref_label(refs)}{note}. Các văn bản hiện có trong kho "
                       "không đề cập đến nội dung này.", ctx.passages())


# A "heading" longer than this, or holding a sentence's end before its last character, is the first
# paragraph of a numbered point: said once, as its sentences, never both whole and sentence by sentence.
HEADING_MAX_CHARS = 160


_LABEL_ONLY = re.compile(r"\s*(?:(?:Điều|Khoản|Mục|Điểm)\s+)?(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\s*[.):\-–]?\s*")


def _is_paragraph(ctx: Context, doc_id: str, start: int, end: int) -> bool:
    text = ((ctx.document(doc_id) or {}).get("text") or "")[start:end].strip()
    # (the label's own full stop, "2.3. Thời gian …", "Điều 3. Đối tượng …", ends no sentence)
    text = re.sub(r"^(?:(?:Điều|Chương|Mục|Phần)\s+)?(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\s*[.):\-–]\s*", "", text)
    return len(text) > HEADING_MAX_CHARS or re.search(r"[.;:!?]\s+\S", text) is not None


def _section_text(ctx: Context, doc_id: str, sec: dict) -> dict | None:
    path = sec.get("path")
    rows: list[Passage] = [p for p in ctx.doc_passages(doc_id)
                           if p.start < sec["end"] and sec["start"] < p.end]
    quotes: list[Quote] = []
    terms = ctx.terms()
    # the heading is said in the reply's first line (below): never again as a quote
    head_end = sec["heading_end"] if sec.get("heading_end") and sec["heading_end"] > sec["start"] and \
        (sec.get("title") or "").strip() else None
    if head_end is not None and _is_paragraph(ctx, doc_id, sec["start"], head_end):
        head_end = None  # a point's first paragraph is its text, quoted sentence by sentence, not a heading
    for p in rows:
        for s, e in p.sentence_spans():
            s, e = max(s, sec["start"]), min(e, sec["end"])
            if s >= e:
                continue
            if head_end is None and p.start <= sec["start"] < s and _LABEL_ONLY.fullmatch(p.quote(sec["start"], s)):
                s = sec["start"]  # the section's first sentence is quoted from its label ("c) Báo cáo …")
            text = p.quote(s, e)
            if not text.strip() or (not sec.get("row") and is_heading(ctx, doc_id, s, e, text)):
                continue
            quotes.append(Quote(text_match(terms, text), p, s, e))
    body = [x for x in quotes if head_end is None or x.end > head_end]
    quotes = body or quotes  # a section that is all heading line ("3. Về …: Thống nhất …") is that line
    if not quotes:
        return None
    limit = ctx.k or W.max_list_quotes
    parts = _titled_children(ctx, doc_id, sec)
    if parts and _asks_whole(ctx, doc_id) and len(quotes) > limit:
        # "Phần III gồm những nội dung gì?" of a part too long to read out, whose points are titled: the
        # points by their titles, every one, rather than the first sentences of the first few
        return _outline_of(ctx, doc_id, sec, parts)
    # A section short enough to read out is quoted whole ("Phần II đặt mục tiêu gì?" is all of its
    # targets); a longer one, by the sentences nearest the question.
    if ctx.q.topic_syllables and len(quotes) > limit:
        # The sentences that share most with the rest of the question ("… nói gì về thời hạn?"),
        # the earliest first on ties; shown in reading order.
        keep = {id(x) for x in sorted(quotes, key=lambda x: -x.score)[:limit]}
        quotes = [x for x in quotes if id(x) in keep]
    quotes = quotes[:limit]
    b = Builder(ctx)
    entry = ctx.document(doc_id) or {}
    label = doc_label(entry.get("type"), entry.get("number"), doc_id)
    title = (sec.get("title") or "").strip()
    where = section_label(path) if path else "Đoạn được hỏi"
    heading = _heading_span(entry, doc_id, sec) if head_end is not None and title else None
    # The section's heading names what it is about; it is document text, cited like any quote.
    lead = f"{where[:1].upper()}{where[1:]} của {label}"
    unit = _SECTION_UNITS.get(counted_unit(ctx) or "")
    children = [x for x in ctx.section_tree(doc_id) if x.get("parent") == path] if unit else []
    if len(children) >= 2:
        lead += f" có {len(children)} {unit}"  # "Điều 4 có mấy khoản?": counted by the text's own numbering
    if heading is not None and heading.quote:
        b.direct(f"{lead}: “{heading.quote.strip()}”", heading)
    else:
        b.direct(f"{lead}:")
    b.quotes(quotes, terms if ctx.q.topic_syllables else None)
    return b.result("passages")


# The parts of a section a count asks for ("Điều 4 có mấy khoản"), as written.
_SECTION_UNITS = {"khoan": "khoản", "diem": "điểm", "muc": "mục", "dieu": "điều", "chuong": "chương", "phan": "phần"}


# Nouns a question asks a part's contents by ("gồm những nội dung gì", "có những điểm nào").
_CONTENT_NOUNS = frozenset({"noi", "dung", "van", "de", "viec", "diem", "phan", "muc", "y", "chinh", "gom", "co"})


def _asks_whole(ctx: Context, doc_id: str) -> bool:
    """The question asks what the part holds, not something in it: its topic is only the document's
    own face ("nghị quyết 15 ĐU xã") and nouns of asking."""
    face = set(syllables(document_face(ctx.document(doc_id) or {})))
    return not (set(ctx.q.topic_syllables) - face - _CONTENT_NOUNS - STOP_SYLLABLES)


# A point's title: its heading line, or the short first sentence every sibling opens with ("4. Xây dựng
# lực lượng dân quân. Kiện toàn …") — at most this many characters.
POINT_TITLE_MAX = 100
_FIRST_SENTENCE = re.compile(r"\s*(?:(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\s*[.):\-–]\s*)?(?P<title>[^\n]*?[^\s.:][.:]?)(?=\s*\n|\.\s|:\s|$)")


def _with_stop(text: str, end: int) -> int:
    """A title quoted with the full stop or colon that ends it."""
    return end + 1 if text[end:end + 1] in (".", ":") else end


def _title_end(text: str, sec: dict) -> int | None:
    """Where a point's short title ends (with its full stop or colon): its heading line, or its short
    first sentence; None when it opens with no short title."""
    m = _FIRST_SENTENCE.match(text, sec["start"], sec["end"])
    if m is None or len(m.group("title")) > POINT_TITLE_MAX:
        return None
    return _with_stop(text, m.end("title"))


def _titled_children(ctx: Context, doc_id: str, sec: dict) -> list[tuple[dict, int]]:
    """The section's own points (one level down) with where each one's title ends, when every one of
    them has a short title (a heading line, or a short first sentence: siblings all opening so are
    titled alike)."""
    path = sec.get("path") or ""
    kids = sorted((c for c in ctx.section_tree(doc_id) if (c.get("path") or "").startswith(path + ".")
                   and "." not in c["path"][len(path) + 1:] and c.get("kind") != "row"), key=lambda c: c["start"])
    text = (ctx.document(doc_id) or {}).get("text") or ""
    ends = [_title_end(text, c) for c in kids]
    return list(zip(kids, ends)) if len(kids) >= 2 and None not in ends else []


def _outline_of(ctx: Context, doc_id: str, sec: dict, parts: list[tuple[dict, int]]) -> dict:
    entry = ctx.document(doc_id) or {}
    label = doc_label(entry.get("type"), entry.get("number"), doc_id)
    where = section_label(sec.get("path") or "")
    b = Builder(ctx)
    heading = _heading_span(entry, doc_id, sec) if sec.get("heading_end") and (sec.get("title") or "").strip() else None
    lead = f"{where[:1].upper()}{where[1:]} của {label}"
    said = f": “{heading.quote.strip()}”" if heading is not None and heading.quote else ""
    b.direct(f"{lead}{said} — gồm {len(parts)} nội dung:", heading)
    text = entry.get("text") or ""
    # (under one "Theo …, mục III:" line: the points are the part asked about)
    b.quote_spans([replace(_heading_span(entry, doc_id, c), end=end, quote=text[c["start"]:end], section=sec.get("path"))
                   for c, end in parts])
    return b.result("passages")


# The words a level is counted by in the reply ("4 chương").
_LEVEL_NOUNS = {"part": "phần", "chapter": "chương", "section": "mục", "article": "điều"}


def compose_outline(ctx: Context) -> dict | None:
    """"Quy chế … có mấy chương, là những chương nào?": the count of the sections of the asked level
    in the named (or described) document and each one's heading, quoted. A plan numbered "I.", "II."
    answers "mấy phần"/"mấy mục" with those. None when the question asks no outline or the document
    has no sections of that level."""
    level = ctx.q.outline
    if level is None:
        return None
    doc_id = _outline_doc(ctx)
    if doc_id is None:
        return None
    tree = ctx.section_tree(doc_id)
    secs = [sec for sec in tree if sec.get("kind") == level]
    if not secs and level in ("part", "section"):
        secs = [sec for sec in tree if sec.get("kind") == "roman"]
    secs = [sec for sec in secs if sec.get("heading_end") and sec["heading_end"] > sec["start"]]
    if not secs:
        return None
    entry = ctx.document(doc_id) or {}
    text = entry.get("text") or ""
    ref = DocRef(doc_id, entry.get("number"), entry.get("title"), entry.get("type"), entry.get("issued"))
    spans = [Span(ref, sec["start"], sec["heading_end"], text[sec["start"]:sec["heading_end"]], None,
                  sec.get("title") or "") for sec in secs]
    b = Builder(ctx)
    label = doc_label(entry.get("type"), entry.get("number"), doc_id)
    b.direct(f"{label} có {len(spans)} {_LEVEL_NOUNS[level]}:", *spans)
    b.quote_spans(spans)
    return b.result("passages")


def _outline_doc(ctx: Context) -> str | None:
    if ctx.lk.named:
        return ctx.lk.named[0].doc_id
    from .metadata import described_document  # metadata's reading of a document described by its kind

    found = described_document(ctx, any_year=True)
    return found.doc_id if found else None


# ---------------------------------------------------------------------------------------------
# Where a topic is: "Điều nào nói về đối tượng không áp dụng?", "… nằm ở mục nào", "ở điều mấy"

# The question asks which part holds something (folded): a part's kind then "nào" / "mấy" / "gì", or
# "nằm ở / thuộc / ở" before one.
_WHERE = re.compile(r"(?<![0-9a-z])(?<!nhung )(?<!cac )(?P<kind>dieu|muc|phan|chuong|khoan|diem|tieu muc|cho|(?<!giai )doan)\s+"
                    r"(?:nao|may|so may|thu may)(?![0-9a-z])")
_COUNTS = re.compile(r"(?<![0-9a-z])(?:co|gom)\s+(?:bao nhieu|may)(?![0-9a-z])")  # "có mấy chương": an outline
# Words of asking where, not what about ("phần nào quy định", "nằm ở mục nào", "nói về").
WHERE_ASK_WORDS = frozenset("nao may so thu nam o thuoc quy dinh noi ve de cap trong cua la tim muon em toi minh "
                            "phai dau".split())
_WHERE_PHRASE = re.compile(r"(?<![0-9a-z])(?:(?:nam|la|thuoc|o)\s+)*(?:dieu|muc|phan|chuong|khoan|diem|tieu muc|cho|(?<!giai )doan)\s+"
                           r"(?:nao|may|so may|thu may)(?![0-9a-z])")
_PART_WORDS = re.compile(r"(?<!\w)(?:[Đđ]iều|[Mm]ục|[Pp]hần|[Cc]hương|[Kk]hoản|[Đđ]iểm|[Cc]hỗ|[Đđ]oạn)(?!\w)")
# A section's heading outweighs its text: the part that is about a topic names it in its heading. The
# text counts this much (a heading without the question's words can still hold them all in its body).
WHERE_BODY_SHARE = 0.5
WHERE_QUOTES = 3  # sentences of the section quoted under its heading, the nearest the question first


# Which paths a part's kind asked for can be ("Điều mấy" is an article, not one of its khoản).
_KIND_PATHS = {"dieu": re.compile(r"^Điều \d+[a-zđ]?$"), "khoan": re.compile(r"^Điều \d+[a-zđ]?\.\d+$"),
               "chuong": re.compile(r"^Chương ")}


def _of_kind(path: str, kind: str) -> bool:
    rx = _KIND_PATHS.get(kind)
    return rx.match(path) is not None if rx else not path.startswith(("Điều", "Chương"))


def asks_where(q: ParsedQuestion) -> bool:
    low = fold(q.expanded).lower()
    return _WHERE.search(low) is not None and not q.sections and not _COUNTS.search(low)


def _run_in_end(ctx: Context, doc_id: str, sec: dict) -> int | None:
    """Where a numbered point's short first sentence ends, when the point goes on after it."""
    text = (ctx.document(doc_id) or {}).get("text") or ""
    end = _title_end(text, sec)
    return end if end is not None and len(text[end:sec["end"]].strip()) >= 2 else None


def _heading_of(ctx: Context, doc_id: str, sec: dict) -> str:
    end = sec.get("heading_end") or sec["start"]
    return ((ctx.document(doc_id) or {}).get("text") or "")[sec["start"]:end].strip()


def _heading_span(entry: dict, doc_id: str, sec: dict) -> Span:
    """A section's heading line, cited as document text (its quote the exact slice)."""
    ref = DocRef(doc_id, entry.get("number"), entry.get("title"), entry.get("type"), entry.get("issued"))
    return Span(ref, sec["start"], sec["heading_end"], (entry.get("text") or "")[sec["start"]:sec["heading_end"]],
                sec.get("path"), (sec.get("title") or "").strip())


def compose_where(ctx: Context) -> dict | None:
    """The part of a document the question's topic is about, by its heading first ("Điều 3. Đối tượng
    không áp dụng"), then its text: the reply names the part and quotes its heading; the part's
    sentences nearest the question follow. None when no heading or text shares the topic's words."""
    if not asks_where(ctx.q):
        return None
    # the where-phrase and the words naming parts ("phần", "mục" as written) ask where; "phân công"
    # (folded alike) is a topic word
    said = _WHERE_PHRASE.sub(" ", fold(ctx.q.topic).lower()) if ctx.q.typed_without_diacritics else \
        fold(_PART_WORDS.sub(" ", ctx.q.topic)).lower()
    topic = " ".join(w for w in syllables(_WHERE_PHRASE.sub(" ", said)) if w not in WHERE_ASK_WORDS)
    terms = ctx.terms(topic)
    if terms.empty:
        return None
    kind = _WHERE.search(fold(ctx.q.expanded).lower()).group("kind")
    best: tuple[float, float, str, dict] | None = None  # (rank, support, document, part)
    for doc_id in _candidate_docs(ctx)[:3]:
        passages = ctx.doc_passages(doc_id)
        for sec in ctx.section_tree(doc_id):
            if sec.get("kind") in ("row", "footnote") or sec.get("row") or not _of_kind(sec.get("path") or "", kind):
                continue
            heading, head_end = _heading_of(ctx, doc_id, sec), None
            if heading and _is_paragraph(ctx, doc_id, sec["start"], sec.get("heading_end") or sec["start"]):
                # a point opening with a short title ("7. Thực hiện tốt chính sách hậu phương quân đội.
                # Ngân sách …") is headed by it
                head_end = _run_in_end(ctx, doc_id, sec)
                heading = "" if head_end is None else ((ctx.document(doc_id) or {}).get("text") or "")[sec["start"]:head_end]
            if not heading:
                continue  # only parts with a heading of their own are "where" a topic is
            body = " ".join(p.quote(max(p.start, sec["start"]), min(p.end, sec["end"])) for p in passages
                            if p.start < sec["end"] and sec["start"] < p.end)
            head, text = text_match(terms, heading), text_match(terms, body)
            score = head + WHERE_BODY_SHARE * text
            if best is None or score > best[0] or (score == best[0] and sec["end"] - sec["start"] < best[3]["end"] - best[3]["start"]):
                best = (score, max(head, text), doc_id, sec, head_end)
    if best is None or best[1] < W.support:
        return None  # neither the heading nor the text of any part speaks of the topic
    _, _, doc_id, sec, head_end = best
    entry = ctx.document(doc_id) or {}
    label = doc_label(entry.get("type"), entry.get("number"), doc_id)
    heading = _heading_span(entry, doc_id, sec)
    if head_end is not None:  # its short first sentence, which the point's text goes on after
        heading = replace(heading, end=head_end, quote=(entry.get("text") or "")[sec["start"]:head_end])
    b = Builder(ctx)
    where = section_label(sec.get("path")) or "Đoạn"
    parents = [s for s in ctx.section_tree(doc_id) if s.get("path") and sec.get("path", "").startswith(s["path"] + ".")
               and s.get("heading_end") and not _is_paragraph(ctx, doc_id, s["start"], s["heading_end"])]
    spans = [_heading_span(entry, doc_id, p) for p in parents[-1:]]
    inside = f" (thuộc “{spans[0].quote.strip()}”)" if spans else ""
    b.direct(f"{where[:1].upper()}{where[1:]} của {label}: “{heading.quote.strip()}”{inside}", heading, *spans)
    quotes = [Quote(text_match(terms, p.quote(s, e)), p, s, e) for p in ctx.doc_passages(doc_id)
              if p.start < sec["end"] and sec["start"] < p.end for s, e in p.sentence_spans()
              if sec["start"] <= s and e <= sec["end"] and s >= min(heading.end, sec.get("heading_end") or sec["start"])
              and not (s == heading.start and e <= heading.end)]  # (the title sentence itself)
    quotes = sorted(quotes, key=lambda x: -x.score)[:WHERE_QUOTES]
    b.quotes(sorted(quotes, key=lambda x: x.start), terms)
    return b.result("passages")
