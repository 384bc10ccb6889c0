"""ingest.readers.encodings: TCVN3, VNI, VISCII and Windows-1258 → Unicode, in every format.

The tables are checked entry by entry against glibc's iconv charmaps (an implementation apart from
ours), every Vietnamese letter round-trips (Unicode → legacy bytes → Unicode), and the shipped and
development documents, converted to each encoding as .txt, as .docx runs in the legacy fonts and
as a PDF text layer, read back to the same text and, through build_document, the same sections,
footnotes and deadlines as the Unicode original."""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

import support.docx_files as gen
from ingest.pipeline import build_document
from ingest.readers import encodings as enc
from ingest.readers import read_bytes
from support.legacy import ENCODERS, SAMPLE_VI, surface, tcvn3_mojibake, to_tcvn3, to_vni_text
from support.pdf_files import make_pdf
from support.readers import assert_clean, error

ROOT = Path(__file__).resolve().parents[3]
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()), None)
DOCUMENTS = sorted((ROOT / "corpus").iterdir()) + (
    sorted((SHARED / "eval" / "corpus-dev").iterdir()) if SHARED else [])

LOWER = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
LETTERS = LOWER + LOWER.upper()
# What a legacy file cannot hold is typed in ASCII by its authors: VISCII has no typographic quotes.
ASCII_FOR = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "¹": "1",
                           "²": "2", "³": "3"})

needs_iconv = pytest.mark.skipif(shutil.which("iconv") is None, reason="glibc iconv is the oracle")


def iconv_decode(charset: str, b: int) -> str | None:
    r = subprocess.run(["iconv", "-f", charset, "-t", "UTF-8"], input=bytes([b]), capture_output=True)
    return r.stdout.decode() if r.returncode == 0 else None


# --------------------------------------------------------------------------------------------
# the tables


@needs_iconv
@pytest.mark.parametrize("name, charset, table", [("tcvn3", "TCVN5712-1", enc._TCVN3),
                                                  ("viscii", "VISCII", enc._VISCII)])
def test_every_table_entry_is_glibcs(name, charset, table):
    for b, cp in table.items():
        assert iconv_decode(charset, b) == chr(cp), (name, hex(b))
        assert enc.decode_bytes(bytes([b]), name) == chr(cp)


@needs_iconv
@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "viscii", "cp1258"])
def test_every_vietnamese_letter_round_trips(encoding):
    for ch in LETTERS:
        data = ENCODERS[encoding](ch)
        back = enc.decode_bytes(data, encoding)
        expected = ch.lower() if encoding == "tcvn3" and not to_tcvn3(ch.lower()).isascii() and \
            to_tcvn3(ch) == to_tcvn3(ch.lower()) else ch  # VN3 has no capital toned letters
        assert back == expected, (encoding, ch, data, back)
    assert enc.decode_bytes(ENCODERS[encoding](LETTERS), encoding).lower() == LETTERS.lower()


def test_every_vni_and_tcvn3_letter_round_trips_as_font_runs():
    """The surface form Word keeps for a run in the font; capitals in a capitals font (.VnTimeH)."""
    for ch in LETTERS:
        assert enc.convert_run(to_vni_text(ch), enc.font_encoding("VNI-Times")) == ch
        font = ".VnTimeH" if ch.isupper() else ".VnTime"
        assert enc.convert_run(surface(to_tcvn3(ch.lower())), enc.font_encoding(font)) == ch


def test_font_names():
    assert enc.font_encoding(".VnTime") == enc.FontEncoding("tcvn3", False)
    assert enc.font_encoding("ABCDEF+.VnTimeH") == enc.FontEncoding("tcvn3", True)
    assert enc.font_encoding(".VnArial NarrowH").upper
    assert enc.font_encoding("VNI-Times") == enc.FontEncoding("vni", False)
    assert enc.font_encoding("Times New Roman") is None and enc.font_encoding(None) is None


def test_syllables():
    for w in ("nghiêng", "người", "quốc", "giữa", "khuyến", "tập", "Đảng", "oanh", "chuyện", "hoà"):
        assert enc.is_syllable(w), w
    for w in ("TØnh", "cña", "vµ", "ầp", "tửnh", "ủaứ", "Müller", "été", "ăn" * 2):
        assert not enc.is_syllable(w), w


# --------------------------------------------------------------------------------------------
# the documents, as .txt bytes


def _representable(text: str, encoding: str) -> str:
    text = unicodedata.normalize("NFC", text)
    if encoding == "viscii":
        return text.translate(ASCII_FOR)
    if encoding == "tcvn3":  # its letters fill 0xA1–0xFF: ¹ ² ³ (0xB9 0xB2 0xB3) are ạ and two capitals there
        return text.translate(str.maketrans("¹²³", "123"))
    return text


def _case_insensitive_equal(a: str, b: str) -> int:
    """Equal but for the case of letters; returns how many letters differ in case."""
    assert a.lower() == b.lower()
    return sum(x != y for x, y in zip(a, b))


@pytest.fixture(scope="module")
def built() -> dict[str, object]:
    """Each document's Unicode reading, built once."""
    return {}


def _reference(built: dict, path: Path, encoding: str):
    key = (path.name, encoding if encoding in ("viscii", "tcvn3") else "")
    if key not in built:
        original = _representable(path.read_text("utf-8"), encoding)
        built[key] = (original, build_document(read_bytes(original.encode(), path.name)))
    return built[key]


def _same_structure(a, b) -> None:
    assert [s.path for s in a.sections] == [s.path for s in b.sections]
    assert [(f.number, f.text) for f in a.footnotes] == [(f.number, f.text) for f in b.footnotes]
    deadlines = lambda d: [(o.deadline.start, o.deadline.end) if o.deadline else None for o in d.obligations]  # noqa: E731
    assert deadlines(a) == deadlines(b)
    assert (a.number, a.issued, a.doc_id) == (b.number, b.issued, b.doc_id)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "viscii", "cp1258"])
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name[:14])
def test_document_in_legacy_bytes_reads_back(built, path, encoding):
    original, reference = _reference(built, path, encoding)
    raw = read_bytes(ENCODERS[encoding](original), path.name)
    assert raw.provenance.legacy_encodings == (encoding,)
    assert_clean(raw)
    expected = read_bytes(original.encode(), path.name)
    if encoding == "tcvn3":  # plain VN3 text cannot say that a word starts with a capital toned letter ("Ủy")
        diff = _case_insensitive_equal(raw.text, expected.text)
        assert diff <= 0.002 * len(expected.text), diff
    else:
        assert raw.text == expected.text
    if encoding == "tcvn3":
        assert {k: str(v).lower() for k, v in raw.front_matter.items()} == \
            {k: str(v).lower() for k, v in expected.front_matter.items()}
    else:
        assert raw.front_matter == expected.front_matter
    _same_structure(build_document(raw), reference)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "viscii"])
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name[:14])
def test_document_saved_as_mojibake_utf8_reads_back(path, encoding):
    """The legacy bytes shown as Windows-1252 and saved as UTF-8 (a wrong conversion, a copy from a
    .VnTime document into a Unicode editor): repaired line by line, short lines ("Sè 222") too."""
    original = _representable(path.read_text("utf-8"), encoding)
    shown = to_vni_text(original) if encoding == "vni" else surface(ENCODERS[encoding](original))
    raw = read_bytes(shown.encode("utf-8"), path.name)
    expected = read_bytes(original.encode(), path.name)
    assert raw.provenance.legacy_encodings == (encoding,)
    if encoding == "tcvn3":
        _case_insensitive_equal(raw.text, expected.text)
    else:
        assert raw.text == expected.text


# --------------------------------------------------------------------------------------------
# .docx runs in legacy fonts


def _legacy_runs(line: str, encoding: str) -> list[tuple[str, str]]:
    """A line typed as a legacy-font user would: VNI-Times throughout; for TCVN3, .VnTime with
    every capital toned letter in .VnTimeH (the lower-case code drawn as a capital)."""
    if encoding == "vni":
        return [(to_vni_text(line), "VNI-Times")]
    runs: list[tuple[str, str]] = []
    for ch in line:
        font = ".VnTimeH" if ch.isupper() and not to_tcvn3(ch.lower()).isascii() and \
            to_tcvn3(ch) == to_tcvn3(ch.lower()) else ".VnTime"
        piece = surface(to_tcvn3(ch.lower() if font == ".VnTimeH" else ch))
        if runs and runs[-1][1] == font:
            runs[-1] = (runs[-1][0] + piece, font)
        else:
            runs.append((piece, font))
    return runs


def _body(path: Path) -> str:
    text = path.read_text("utf-8")
    return text.split("\n---\n", 1)[1] if text.startswith("---") else text


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
@pytest.mark.parametrize("path", DOCUMENTS[:3] + DOCUMENTS[4:5], ids=lambda p: p.name[:14])
def test_docx_typed_in_legacy_fonts_reads_exactly(path, encoding):
    lines = _representable(_body(path), encoding).split("\n")
    unicode_docx = gen.make_docx(lines)
    legacy_docx = gen.make_docx([("runs", _legacy_runs(line, encoding)) for line in lines])
    expected = read_bytes(unicode_docx, path.stem + ".docx")
    got = read_bytes(legacy_docx, path.stem + ".docx")
    assert got.text == expected.text
    assert got.provenance.legacy_encodings == (encoding,)
    _same_structure(build_document(got), build_document(expected))


def test_docx_mixed_unicode_header_and_tcvn3_body():
    header = [("ĐẢNG CỘNG SẢN VIỆT NAM", "Times New Roman")]
    body = _legacy_runs(SAMPLE_VI, "tcvn3")
    doc = read_bytes(gen.make_docx([("runs", header), ("runs", body), "Müller, São Paulo: tên riêng."]), "tron.docx")
    assert doc.text == f"ĐẢNG CỘNG SẢN VIỆT NAM\n{SAMPLE_VI}\nMüller, São Paulo: tên riêng."


def test_docx_legacy_font_holding_unicode_text_is_left_alone():
    """A document converted to Unicode by a tool that kept the .VnTime font name."""
    doc = read_bytes(gen.make_docx([("runs", [(SAMPLE_VI, ".VnTime")])]), "da-chuyen.docx")
    assert doc.text == SAMPLE_VI and doc.provenance.legacy_encodings == ()


def test_docx_soft_hyphen_in_vntime_run_is_u_horn():
    """Word keeps TCVN3's 0xAD (ư) typed in a .VnTime run as <w:softHyphen/>."""
    data = gen.make_docx([("runs", [("Tr\xadêng", ".VnTime")])])
    xml_doc = data  # python-docx wrote the character itself; rewrite it as Word does
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(xml_doc)) as z:
        body = z.read("word/document.xml").decode()
    body = body.replace("Tr\xadêng", "Tr</w:t><w:softHyphen/><w:t>êng")
    data = gen.rezip(xml_doc, [("word/document.xml", body.encode())], drop=["word/document.xml"])
    assert read_bytes(data, "a.docx").text == "Trường"


# --------------------------------------------------------------------------------------------
# mixed and undecidable text; PDF text layers


def test_txt_mixed_utf8_header_and_tcvn3_body():
    data = "ĐẢNG CỘNG SẢN VIỆT NAM\nSố 12-KH/TU\n".encode() + to_tcvn3(SAMPLE_VI * 2)
    doc = read_bytes(data, "tron.txt")
    assert doc.text == "ĐẢNG CỘNG SẢN VIỆT NAM\nSố 12-KH/TU\n" + SAMPLE_VI * 2
    assert doc.provenance.legacy_encodings == ("tcvn3",)


def test_utf8_text_with_a_mojibake_body_is_repaired_line_by_line():
    text = "ĐẢNG CỘNG SẢN VIỆT NAM\n" + "\n".join(tcvn3_mojibake(s) for s in SAMPLE_VI.split("; "))
    doc = read_bytes(text.encode(), "a.txt")
    assert doc.text == "ĐẢNG CỘNG SẢN VIỆT NAM\n" + SAMPLE_VI.replace("; ", "\n")


def test_unicode_vietnamese_and_foreign_names_are_untouched():
    text = SAMPLE_VI + "\nTrích dẫn: Müller, Gößling, Françoise, Ørsted, São Paulo, Zürich, Besançon, µg, ½, ±.\n"
    doc = read_bytes(text.encode(), "a.txt")
    assert doc.text == text and doc.provenance.legacy_encodings == ()


def test_undecidable_legacy_is_refused():
    e = error(read_bytes, b"Noi dung \x8f\x81qx \xa4\xa4\xa4x zz\xfe\xfe " * 20, "a.txt")
    assert e.code == "legacy_encoding"
    assert error(read_bytes, b"Van ban so 12 \xe9\xa4 ngay", "a.txt").code == "legacy_encoding"  # too little to tell


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_pdf_text_layer_made_from_legacy_fonts(encoding):
    lines = ["ĐẢNG CỘNG SẢN VIỆT NAM"] + [s.strip() for s in SAMPLE_VI.split(",")]
    drawn = [surface(ENCODERS[encoding](line)) for line in lines]
    doc = read_bytes(make_pdf([drawn], font="Helvetica"), "cu.pdf")
    assert doc.provenance.legacy_encodings == (encoding,)
    got = doc.text.split("\n")
    want = [line if encoding == "vni" else line for line in lines]
    assert [g.lower() for g in got] == [w.lower() for w in want]
    assert got[0] == "ĐẢNG CỘNG SẢN VIỆT NAM" and re.search("Tỉnh ủy", doc.text)
