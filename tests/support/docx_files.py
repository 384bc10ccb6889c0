""".docx fixtures built in the test: paragraphs, tables, real footnotes, Word list numbering, runs
in legacy fonts, broken packages and lying zip bombs.

Everything is built in memory and returned as bytes; tests write them where they like.
"""
from __future__ import annotations

import bz2
import functools
import io
import re
import struct
import zipfile
import zlib
from typing import Iterable, Sequence
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# --------------------------------------------------------------------------------------------
# .docx

_FOOTNOTE_REF = re.compile(r"\{fn:(\d+)\}")


def make_docx(
    blocks: Sequence[object],
    footnotes: dict[int, str | Sequence[str]] | None = None,
) -> bytes:
    """A .docx built with python-docx.

    `blocks`: a str is a paragraph, in which "{fn:N}" stands for a reference to footnote id N;
    ("table", [[cell, ...], ...]) is a table; ("style", style_name, text) is a styled paragraph
    (e.g. "List Number", auto-numbered by Word); ("runs", [(text, font or None), ...]) is a paragraph
    of runs, each in the font named (its w:rFonts), e.g. legacy text in ".VnTime". `footnotes`: id → text (or list of paragraphs).
    python-docx has no footnote API, so the footnotes part and the reference runs are written as XML.
    """
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    doc = docx.Document()

    def fill(paragraph, text: str) -> None:
        pos = 0
        for m in _FOOTNOTE_REF.finditer(text):
            if m.start() > pos:
                paragraph.add_run(text[pos:m.start()])
            paragraph._p.append(
                parse_xml(
                    f'<w:r xmlns:w="{W_NS}"><w:rPr><w:rStyle w:val="FootnoteReference"/>'
                    f'<w:vertAlign w:val="superscript"/></w:rPr>'
                    f'<w:footnoteReference w:id="{m.group(1)}"/></w:r>'
                )
            )
            pos = m.end()
        if pos < len(text):
            paragraph.add_run(text[pos:])

    for block in blocks:
        if isinstance(block, str):
            fill(doc.add_paragraph(), block)
        elif block[0] == "table":
            rows = block[1]
            table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    fill(cell.paragraphs[0], value)
        elif block[0] == "style":
            fill(doc.add_paragraph(style=block[1]), block[2])
        elif block[0] == "runs":
            paragraph = doc.add_paragraph()
            for text, font in block[1]:
                run = paragraph.add_run(text)
                if font:
                    run.font.name = font  # w:ascii and w:hAnsi
        else:
            raise ValueError(block)

    if footnotes:
        notes = [
            f'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
            f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
            f"</w:r></w:p></w:footnote>",
        ]
        for nid, text in footnotes.items():
            paras = [text] if isinstance(text, str) else list(text)
            body = []
            for i, para in enumerate(paras):
                ref = (
                    '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
                    if i == 0
                    else ""
                )
                body.append(
                    f'<w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>{ref}'
                    f'<w:r><w:t xml:space="preserve"> {escape(para)}</w:t></w:r></w:p>'
                )
            notes.append(f'<w:footnote w:id="{nid}">{"".join(body)}</w:footnote>')
        blob = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:footnotes xmlns:w="{W_NS}">{"".join(notes)}</w:footnotes>'
        ).encode("utf-8")
        part = Part(
            PackURI("/word/footnotes.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
            blob,
            doc.part.package,
        )
        doc.part.relate_to(part, RT.FOOTNOTES)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def rezip(data: bytes, extra: Iterable[tuple[str, bytes]] = (), *, drop: Iterable[str] = ()) -> bytes:
    """Copy a zip package, dropping some members and adding others."""
    drop = set(drop)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in drop:
                dst.writestr(info, src.read(info))
        for name, blob in extra:
            dst.writestr(name, blob)
    return out.getvalue()


def docx_with_many_entries(data: bytes, n: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for i in range(n):
            dst.writestr(f"word/media/pad{i}.bin", b"")
    return out.getvalue()


def docx_with_huge_member(data: bytes, megabytes: int) -> bytes:
    """A real zip bomb of zeros: `megabytes` MB that deflate to a few hundred KB."""
    out = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED, compresslevel=1
    ) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        with dst.open("word/media/zeros.bin", "w", force_zip64=True) as fh:
            for _ in range(megabytes):
                fh.write(chunk)
    return out.getvalue()


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def fake_ole2(encrypted: bool = False) -> bytes:
    """Bytes that look like an old .doc (or a password-protected .docx, which is OLE2 too)."""
    body = bytearray(OLE2_MAGIC + bytes(504))
    if encrypted:
        body += "EncryptedPackage".encode("utf-16-le") + bytes(64)
    body += bytes(1024)
    return bytes(body)




# --------------------------------------------------------------------------------------------
# zip packages written by hand: members whose declared size and CRC lie about their data


def _zip(members: list[tuple[str, int, bytes, int, int]]) -> bytes:
    """A zip of (name, method, compressed data, declared CRC, declared size) members."""
    out = io.BytesIO()
    central = []
    for name, method, data, crc, size in members:
        offset = out.tell()
        raw = name.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 46 if method == zipfile.ZIP_BZIP2 else 20, 0, method,
                              0, 0x21, crc, len(data), size, len(raw), 0))
        out.write(raw)
        out.write(data)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 46 if method == zipfile.ZIP_BZIP2 else 20, 0,
                                   method, 0, 0x21, crc, len(data), size, len(raw), 0, 0, 0, 0, 0, offset) + raw)
    start = out.tell()
    for entry in central:
        out.write(entry)
    end = out.tell()
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), end - start, start, 0))
    return out.getvalue()


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def deflate_spaces(n_mib: int) -> bytes:
    """Raw deflate data inflating to `n_mib` MiB of spaces, made in milliseconds: after a full flush
    the compressor forgets everything, so each further MiB compresses to the same bytes."""
    chunk = b" " * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    return first + again * (n_mib - 1) + c.flush()


@functools.cache  # shared by the reader and the HTTP tests
def bzip2_spaces(n_mib: int) -> bytes:
    """bzip2 data inflating to `n_mib` MiB of spaces (1 GiB → 785 bytes; ~14 s to make)."""
    c = bz2.BZ2Compressor(9)
    chunk = b" " * (1 << 20)
    return b"".join(c.compress(chunk) for _ in range(n_mib)) + c.flush()


def lying_bomb(docx: bytes, method: int, n_mib: int = 1024, member: str = "word/document.xml") -> bytes:
    """A copy of `docx` whose `member` declares the size and CRC of the real part but whose data
    inflates (deflate or bzip2) to `n_mib` MiB of spaces."""
    members = []
    with zipfile.ZipFile(io.BytesIO(docx)) as src:
        for info in src.infolist():
            real = src.read(info)
            if info.filename == member:
                data = deflate_spaces(n_mib) if method == zipfile.ZIP_DEFLATED else bzip2_spaces(n_mib)
                members.append((info.filename, method, data, zlib.crc32(real), len(real)))
            else:
                members.append((info.filename, zipfile.ZIP_DEFLATED, _deflate(real), zlib.crc32(real), len(real)))
    return _zip(members)


class PeakRss:
    """Peak growth of this process's resident memory while the block runs (sampled every 2 ms)."""

    def __enter__(self) -> "PeakRss":
        import threading

        import psutil

        self._proc = psutil.Process()
        self.base = self._proc.memory_info().rss
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.002):
            self.peak = max(self.peak, self._proc.memory_info().rss)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._proc.memory_info().rss)

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.base) / (1024 * 1024)
