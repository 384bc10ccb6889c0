""".docx (WordprocessingML) → text: paragraphs and table cells in document order, Word's automatic
list numbers rendered ("I.", "1.", "a)"), footnotes and endnotes numbered by first reference (¹ ²)
and listed at the end as "(1) …", text boxes after their paragraph.

The package is read through `archive.SafeZip` (members inflated within limits, whatever the zip
declares) and parsed with lxml without entity resolution or network; python-docx is not used to
read, because it inflates every member through zipfile before we could bound anything.

Runs typed in a legacy font (.VnTime/.VnTimeH → TCVN3, VNI-Times → VNI) are converted to Unicode
by the font's table (`encodings.font_encoding`, the strongest signal there is), a capitals font's
run in capitals; runs in other fonts are left alone, so a Unicode header above a TCVN3 body reads
right.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any, Iterator

from . import encodings
from .archive import SafeZip
from .base import DOCX, ENCRYPTED_OFFICE, ReadError, describe_content, is_zip, wrong_content
from .encodings import FontEncoding

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_WRAPPERS = {"sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo", "hyperlink", "fldSimple", "dir", "bdo"}
_SKIP = {"pPr", "rPr", "sectPr", "del", "moveFrom", "instrText", "delText", "delInstrText", "fldData"}


def _wq(name: str) -> str:
    return f"{{{_W}}}{name}"


def _local(el: Any) -> tuple[str | None, str]:
    tag = el.tag
    if not isinstance(tag, str):  # comments, processing instructions, unresolved entities
        return None, ""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return None, tag


def parse_xml(blob: bytes | None) -> Any:
    """XML without entity expansion, DTD loading or network (XXE, billion laughs)."""
    if not blob:
        return None
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_blank_text=False)
    return etree.fromstring(blob, parser)


def read_docx(data: bytes, source: str) -> tuple[str, tuple[str, ...]]:
    """The text of a .docx and the legacy encodings its runs were converted from."""
    def corrupt(detail: str = "") -> ReadError:
        return ReadError(source, "corrupt", f"Tệp '{source}' bị hỏng hoặc không phải tệp Word .docx hợp lệ{detail}; "
                                            "hãy mở bằng Word và lưu lại.")

    if not is_zip(data):
        desc = describe_content(data)
        if desc == ENCRYPTED_OFFICE:
            raise ReadError(source, "encrypted", f"Tệp '{source}' được đặt mật khẩu; hãy gỡ mật khẩu rồi nạp lại.")
        if desc is not None:
            raise ReadError(source, "corrupt", wrong_content(source, desc, "tệp Word .docx"))
        raise corrupt(" (không phải gói ZIP của Office)")
    zf = SafeZip(data, source, what="tệp Word .docx")
    main = _main_part(zf)
    if main is None:
        desc = describe_content(data)
        if desc not in (None, "tệp nén ZIP", DOCX):
            raise ReadError(source, "corrupt", wrong_content(source, desc, "tệp Word .docx"))
        raise corrupt(" (thiếu phần nội dung word/document.xml)")
    try:
        root = parse_xml(zf.read(main))
        parts = {kind: parse_xml(zf.read(name)) for kind, name in _related(zf, main).items()}
    except ReadError:
        raise
    except Exception:
        raise corrupt() from None
    body = root.find(_wq("body")) if root is not None else None
    if body is None:
        raise corrupt(" (không có phần thân văn bản)")
    try:
        styles = _Styles(parts.get("styles"))
        reader = _DocxText(
            numbering=_Numbering.build(parts.get("numbering"), parts.get("styles")),
            notes={**_notes(parts.get("endnotes"), "endnote"), **_notes(parts.get("footnotes"), "footnote")},
            styles=styles,
        )
        lines: list[str] = []
        reader.blocks(body, lines, keep_empty=True)
    except ReadError:
        raise
    except Exception:
        raise corrupt() from None
    while lines and not lines[-1].strip():
        lines.pop()
    text = "\n".join(lines)
    if reader.note_lines:
        text = (text + "\n\n" if text.strip() else "") + "\n".join(reader.note_lines)
    return text, tuple(sorted(reader.legacy))


def _main_part(zf: SafeZip) -> str | None:
    """The main document part named by the package relationships (word/document.xml by default)."""
    if "_rels/.rels" in zf:
        try:
            rels = parse_xml(zf.read("_rels/.rels", limit=1024 * 1024))
            for rel in rels.iter(f"{{{_PKG_RELS}}}Relationship"):
                if rel.get("Type", "").endswith("/officeDocument") and rel.get("TargetMode") != "External":
                    name = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                    if name in zf:
                        return name
        except ReadError:
            raise
        except Exception:
            pass
    return "word/document.xml" if "word/document.xml" in zf else None


def _related(zf: SafeZip, main: str) -> dict[str, str]:
    """styles / numbering / footnotes / endnotes parts of the main part."""
    folder, name = posixpath.split(main)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    out: dict[str, str] = {}
    if rels_name not in zf:
        return out
    rels = parse_xml(zf.read(rels_name, limit=4 * 1024 * 1024))
    for rel in rels.iter(f"{{{_PKG_RELS}}}Relationship"):
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        if kind in ("numbering", "styles", "footnotes", "endnotes") and kind not in out \
                and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            path = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
            if path in zf:
                out[kind] = path
    return out


def _notes(root: Any, kind: str) -> dict[tuple[str, str], Any]:
    """(kind, id) → the w:footnote / w:endnote element, separators excluded."""
    if root is None:
        return {}
    out = {}
    for el in root.iter(_wq(kind)):
        if el.get(_wq("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        nid = el.get(_wq("id"))
        if nid is not None:
            out[(kind, nid)] = el
    return out


# --------------------------------------------------------------------------------------------
# fonts: which runs are typed in a legacy font


@dataclass
class _Style:
    font: str | None
    based_on: str | None
    kind: str | None


def _font_of(rpr: Any) -> str | None:
    """The font of a run's high-ANSI characters (where legacy letters are), from w:rFonts."""
    if rpr is None:
        return None
    fonts = rpr.find(_wq("rFonts"))
    if fonts is None:
        return None
    return fonts.get(_wq("hAnsi")) or fonts.get(_wq("ascii"))


class _Styles:
    """Run font resolution: the run's own rFonts, then its character style, then its paragraph's
    style (or the default paragraph style), each with its basedOn chain, then the document
    defaults."""

    def __init__(self, root: Any):
        self.styles: dict[str, _Style] = {}
        self.default_para: str | None = None
        self.default_font: str | None = None
        if root is None:
            return
        defaults = root.find(f"{_wq('docDefaults')}/{_wq('rPrDefault')}/{_wq('rPr')}")
        self.default_font = _font_of(defaults)
        for st in root.iter(_wq("style")):
            sid = st.get(_wq("styleId"), "")
            based = st.find(_wq("basedOn"))
            self.styles[sid] = _Style(_font_of(st.find(_wq("rPr"))), based.get(_wq("val")) if based is not None
                                      else None, st.get(_wq("type")))
            if st.get(_wq("type")) == "paragraph" and st.get(_wq("default")) in ("1", "true", "on"):
                self.default_para = sid

    def _chain(self, sid: str | None) -> str | None:
        for _ in range(20):
            st = self.styles.get(sid or "")
            if st is None:
                return None
            if st.font:
                return st.font
            sid = st.based_on
        return None

    def run_font(self, run: Any, para_style: str | None) -> str | None:
        rpr = run.find(_wq("rPr"))
        font = _font_of(rpr)
        if font:
            return font
        rstyle = rpr.find(_wq("rStyle")) if rpr is not None else None
        return (self._chain(rstyle.get(_wq("val")) if rstyle is not None else None)
                or self._chain(para_style or self.default_para) or self.default_font)


# --------------------------------------------------------------------------------------------
# text


Piece = tuple[str, "FontEncoding | None"]


class _DocxText:
    """Walks WordprocessingML in document order, producing one line per paragraph."""

    def __init__(self, numbering: "_Numbering | None", notes: dict[tuple[str, str], Any], styles: _Styles):
        self.numbering = numbering
        self.notes = notes
        self.styles = styles
        self.note_numbers: dict[tuple[str, str], int] = {}
        self.note_lines: list[str] = []
        self.legacy: set[str] = set()

    def blocks(self, container: Any, lines: list[str], keep_empty: bool) -> None:
        for child in container:
            ns, name = _local(child)
            if ns == _W:
                if name == "p":
                    self.paragraph(child, lines, keep_empty)
                elif name == "tbl":
                    self.table(child, lines)
                elif name in _WRAPPERS:
                    self.blocks(child, lines, keep_empty)
            elif ns == _MC and name == "AlternateContent":
                chosen = _alternate(child)
                if chosen is not None:
                    self.blocks(chosen, lines, keep_empty)

    def table(self, tbl: Any, lines: list[str]) -> None:
        for tr in _children(tbl, "tr"):
            for tc in _children(tr, "tc"):
                self.blocks(tc, lines, keep_empty=False)

    def paragraph(self, p: Any, lines: list[str], keep_empty: bool, numbered: bool = True) -> None:
        buf: list[Piece] = []
        extra: list[str] = []
        ppr = p.find(_wq("pPr"))
        pstyle = ppr.find(_wq("pStyle")) if ppr is not None else None
        self._inline(p, buf, extra, pstyle.get(_wq("val")) if pstyle is not None else None, None)
        line = self._render(buf)
        if numbered and self.numbering is not None:
            label = self.numbering.label(ppr)
            if label:
                line = label + line
        if keep_empty or line.strip():
            lines.append(line)
        lines.extend(extra)

    def _render(self, buf: list[Piece]) -> str:
        """Join a paragraph's pieces, converting each stretch typed in one legacy font together (a
        VNI letter is a base and a mark, which a run boundary may split)."""
        out: list[str] = []
        i = 0
        while i < len(buf):
            text, fe = buf[i]
            j = i + 1
            while j < len(buf) and buf[j][1] == fe:
                text += buf[j][0]
                j += 1
            if fe is not None and text:
                converted = encodings.convert_run(text, fe)
                if converted != text:
                    self.legacy.add(fe.encoding)
                text = converted
            out.append(text)
            i = j
        return "".join(out)

    def _inline(self, el: Any, buf: list[Piece], extra: list[str], pstyle: str | None,
                fe: FontEncoding | None) -> None:
        for child in el:
            ns, name = _local(child)
            if ns == _W:
                if name == "r":
                    run_fe = encodings.font_encoding(self.styles.run_font(child, pstyle))
                    self._inline(child, buf, extra, pstyle, run_fe)
                elif name == "t":
                    # text after an unresolved entity (&x; kept as a node) is the entity node's tail
                    buf.append(((child.text or "") + "".join(c.tail or "" for c in child), fe))
                elif name in ("tab", "ptab"):
                    buf.append(("\t", None))
                elif name in ("br", "cr"):
                    buf.append(("\n", None))
                elif name == "noBreakHyphen":
                    buf.append(("-", None))
                elif name == "softHyphen":
                    if fe is not None:  # Word stores TCVN3's 0xAD (ư) typed in a .VnTime run as a soft hyphen
                        buf.append(("\xad", fe))
                elif name == "sym":
                    self._sym(child, buf)
                elif name in ("footnoteReference", "endnoteReference"):
                    buf.append((self._marker(name[: -len("Reference")], child.get(_wq("id"))), None))
                elif name == "txbxContent":
                    self.blocks(child, extra, keep_empty=False)
                elif name in _SKIP:
                    continue
                else:
                    self._inline(child, buf, extra, pstyle, fe)
            elif ns == _MC:
                if name == "AlternateContent":
                    chosen = _alternate(child)
                    if chosen is not None:
                        self._inline(chosen, buf, extra, pstyle, fe)
            elif ns is not None:  # drawings, VML: only text boxes inside them matter
                self._inline(child, buf, extra, pstyle, fe)

    def _sym(self, el: Any, buf: list[Piece]) -> None:
        """<w:sym w:font=".VnTime" w:char="F0B5"/>: a character inserted from a font's table."""
        fe = encodings.font_encoding(el.get(_wq("font")))
        try:
            code = int(el.get(_wq("char"), ""), 16)
        except ValueError:
            return
        code = code - 0xF000 if code >= 0xF000 else code
        if fe is not None and 0x20 <= code < 0x100:
            buf.append((bytes([code]).decode("latin-1"), fe))

    def _marker(self, kind: str, nid: str | None) -> str:
        key = (kind, nid or "")
        if key not in self.notes:
            return ""
        if key not in self.note_numbers:
            number = len(self.note_numbers) + 1
            self.note_numbers[key] = number
            parts: list[str] = []
            for p in self.notes[key].iter(_wq("p")):
                buf: list[Piece] = []
                ppr = p.find(_wq("pPr"))
                pstyle = ppr.find(_wq("pStyle")) if ppr is not None else None
                self._inline(p, buf, [], pstyle.get(_wq("val")) if pstyle is not None else None, None)
                piece = " ".join(self._render(buf).split())
                if piece:
                    parts.append(piece)
            self.note_lines.append(f"({number}) {' '.join(parts)}".rstrip())
        return str(self.note_numbers[key]).translate(_SUPERSCRIPT)


def _alternate(el: Any) -> Any:
    choice = el.find(f"{{{_MC}}}Choice")
    return choice if choice is not None else el.find(f"{{{_MC}}}Fallback")


def _children(el: Any, name: str) -> Iterator[Any]:
    """Direct w:`name` children, looking through content-control / custom-XML wrappers."""
    for child in el:
        ns, local = _local(child)
        if ns == _W and local == name:
            yield child
        elif ns == _W and local in ("sdt", "sdtContent", "customXml", "ins", "moveTo"):
            yield from _children(child, name)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def _letter(n: int) -> str:
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


@dataclass
class _Level:
    start: int
    fmt: str
    text: str | None
    suffix: str
    legal: bool


class _Numbering:
    """Word's automatic list numbering ("I.", "1.", "a)") is not in the paragraph text; render it,
    since the structure parser needs it. Best effort: any problem → no labels, never an error."""

    def __init__(self) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}  # id → numId, ilvl, basedOn
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()

    @classmethod
    def build(cls, numbering_xml: Any, styles_xml: Any) -> "_Numbering | None":
        try:
            root = numbering_xml  # parsed
            if root is None:
                return None
            self = cls()
            for an in root.iter(_wq("abstractNum")):
                levels = {}
                for lvl in an.iter(_wq("lvl")):
                    levels[int(lvl.get(_wq("ilvl"), "0"))] = _level(lvl)
                self.abstract[an.get(_wq("abstractNumId"), "")] = levels
            for num in root.iter(_wq("num")):
                aid = _val(num.find(_wq("abstractNumId")))
                overrides = {}
                for ov in num.iter(_wq("lvlOverride")):
                    so = _val(ov.find(_wq("startOverride")))
                    if so is not None:
                        overrides[int(ov.get(_wq("ilvl"), "0"))] = int(so)
                if aid is not None:
                    self.nums[num.get(_wq("numId"), "")] = (aid, overrides)
            sroot = styles_xml
            if sroot is not None:
                for st in sroot.iter(_wq("style")):
                    ppr = st.find(_wq("pPr"))
                    numpr = ppr.find(_wq("numPr")) if ppr is not None else None
                    nid = _val(numpr.find(_wq("numId"))) if numpr is not None else None
                    ilvl = _val(numpr.find(_wq("ilvl"))) if numpr is not None else None
                    based = _val(st.find(_wq("basedOn")))
                    self.styles[st.get(_wq("styleId"), "")] = (nid, ilvl, based)
            return self
        except Exception:
            return None

    def _style_numpr(self, style: str | None) -> tuple[str | None, str | None]:
        nid = ilvl = None
        for _ in range(20):  # basedOn chain
            if style is None or style not in self.styles:
                break
            s_nid, s_ilvl, based = self.styles[style]
            nid = nid if nid is not None else s_nid
            ilvl = ilvl if ilvl is not None else s_ilvl
            if nid is not None:
                break
            style = based
        return nid, ilvl

    def label(self, ppr: Any) -> str | None:
        try:
            return self._label(ppr)
        except Exception:
            return None

    def _label(self, ppr: Any) -> str | None:
        nid = ilvl = None
        if ppr is not None:
            numpr = ppr.find(_wq("numPr"))
            if numpr is not None:
                nid = _val(numpr.find(_wq("numId")))
                ilvl = _val(numpr.find(_wq("ilvl")))
            if nid is None:
                s_nid, s_ilvl = self._style_numpr(_val(ppr.find(_wq("pStyle"))))
                nid = s_nid
                ilvl = ilvl if ilvl is not None else s_ilvl
        if nid is None or nid not in self.nums:
            return None
        level_no = int(ilvl or 0)
        aid, overrides = self.nums[nid]
        levels = self.abstract.get(aid, {})
        level = levels.get(level_no)
        if level is None:
            return None
        counters = self.counters.setdefault(aid, {})
        if nid not in self.started:
            self.started.add(nid)
            for lv, start in overrides.items():
                counters[lv] = start - 1
                for deeper in [d for d in counters if d > lv]:
                    del counters[deeper]
        counters[level_no] = counters.get(level_no, level.start - 1) + 1
        for deeper in [d for d in counters if d > level_no]:
            del counters[deeper]
        if level.text is None:
            return None
        if level.fmt == "bullet":
            text = level.text
            if not text or any("\ue000" <= c <= "\uf8ff" for c in text):
                text = "•"
        else:

            def sub(m: re.Match) -> str:
                k = int(m.group(1)) - 1
                lv = levels.get(k)
                n = counters.get(k, lv.start if lv else 1)
                fmt = "decimal" if level.legal else (lv.fmt if lv else "decimal")
                return "" if fmt == "none" else _format_number(n, fmt)

            text = re.sub(r"%([1-9])", sub, level.text)
        if not text.strip():
            return None
        return text + ("" if level.suffix == "nothing" else " ")


def _val(el: Any) -> str | None:
    return None if el is None else el.get(_wq("val"))


def _level(lvl: Any) -> _Level:
    start = _val(lvl.find(_wq("start")))
    return _Level(
        start=int(start) if start is not None else 0,
        fmt=_val(lvl.find(_wq("numFmt"))) or "decimal",
        text=_val(lvl.find(_wq("lvlText"))),
        suffix=_val(lvl.find(_wq("suff"))) or "tab",
        legal=lvl.find(_wq("isLgl")) is not None,
    )


