"""ingest.readers: entry points, names and paths, folders, and nothing but RawDocument or ReadError."""
from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest

from ingest.readers import SUPPORTED_SUFFIXES, RawDocument, ReadError, read_bytes, read_path
from support.readers import assert_clean, error
import builtins
import pickle

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import support.docx_files as gen
from ingest.readers import iter_sources
from support.legacy import SAMPLE_VI
from support.pdf_files import make_pdf

FUZZED = (".txt", ".md", ".docx", ".pdf")  # the converted formats run LibreOffice: tested in test_office.py
HEADER_TABLE = (
    "table",
    [["TỈNH ỦY LAI CHÂU", "ĐẢNG CỘNG SẢN VIỆT NAM"], ["Số 222-KH/TU", "Lai Châu, ngày 18 tháng 12 năm 2023"]],
)
PDF_PAGES = [
    ["TỈNH ỦY LAI CHÂU", "ĐẢNG CỘNG SẢN VIỆT NAM", "Kế hoạch thực hiện Kết luận số 01-KL/TW của Ban"],
    ["Thường vụ Tỉnh ủy về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."],
]


# --------------------------------------------------------------------------------------------
# names, paths, suffixes


def test_read_bytes_never_touches_the_filesystem(monkeypatch):
    def forbidden(*a, **k):
        raise AssertionError(f"filesystem touched: {a!r}")

    payload = "Nội dung tải lên, không phải /etc/passwd.\n"
    with monkeypatch.context() as m:
        for mod, name in [(builtins, "open"), (io, "open"), (os, "open"), (os, "stat"), (os, "lstat"),
                          (os, "listdir"), (os, "scandir")]:
            m.setattr(mod, name, forbidden)
        m.setattr(Path, "open", forbidden)
        m.setattr(Path, "read_bytes", forbidden)
        doc = read_bytes(payload.encode(), "../../etc/passwd.txt")
        doc2 = read_bytes(b"---\nnumber: 1\n---\nx\n", "..\\..\\Windows\\win.md")
        e = error(read_bytes, b"", "/etc/shadow.txt")
    assert doc.source == "passwd.txt" and doc.text == payload
    assert doc2.source == "win.md"
    assert e.source == "shadow.txt"


def test_suffix_is_case_insensitive_and_unsupported_is_clear():
    assert read_bytes(b"abc", "VAN-BAN.TXT").format == "txt"
    e = error(read_bytes, b"abc", "quyet-dinh.xyz")
    assert e.code == "unsupported" and ".docx" in e.message and ".doc," in e.message
    e = error(read_bytes, b"abc", "quyet-dinh.doc")  # supported, but these bytes are no .doc
    assert e.code == "corrupt" and ".doc" in e.message
    assert error(read_bytes, b"abc", "khong-duoi").code == "unsupported"
    assert error(read_bytes, b"abc", "../").code == "unsupported"


def test_read_path_unreadable(tmp_path):
    e = error(read_path, tmp_path / "khong-co.txt")
    assert e.code == "unreadable" and "'khong-co.txt'" in e.message
    d = tmp_path / "thu-muc.md"
    d.mkdir()
    e = error(read_path, d)
    assert e.code == "unreadable" and "thư mục" in e.message
    assert error(read_path, tmp_path / "x.exe").code == "unsupported"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads everything")
def test_read_path_permission_denied(tmp_path):
    f = tmp_path / "khoa.txt"
    f.write_text("abc")
    f.chmod(0)
    try:
        e = error(read_path, f)
        assert e.code == "unreadable" and "quyền" in e.message
    finally:
        f.chmod(0o644)


def test_read_path_permission_error_is_reported(tmp_path, monkeypatch):
    f = tmp_path / "khoa.txt"
    f.write_text("abc")
    real_open = builtins.open

    def deny(file, *a, **k):
        if os.fspath(file) == os.fspath(f):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *a, **k)

    monkeypatch.setattr(builtins, "open", deny)
    e = error(read_path, f)
    assert e.code == "unreadable" and "quyền" in e.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_read_path_special_file_does_not_block(tmp_path):
    fifo = tmp_path / "ong.txt"
    os.mkfifo(fifo)
    assert error(read_path, fifo).code == "unreadable"


def test_iter_sources(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".an").mkdir()
    (tmp_path / "b" / "sau").mkdir()
    for rel in [
        "z.txt", "a/2.PDF", "a/1.md", "b/x.docx", "b/sau/y.txt", "b/note.doc", "b/.hidden.txt",
        "b/~$x.docx", ".an/secret.txt", "anh.png",
    ]:
        (tmp_path / rel).write_bytes(b"x")
    explicit = tmp_path / "b" / "x.docx"
    missing = tmp_path / "khong-co.pdf"
    got = list(iter_sources([tmp_path, explicit, missing, str(tmp_path / "b" / "note.doc")]))  # each once
    rel = [p.relative_to(tmp_path).as_posix() for p in got]
    assert rel == [
        # folder: sorted; every file but hidden ones and lock files, unreadable types too (reported)
        "a/1.md", "a/2.PDF", "anh.png", "b/note.doc", "b/sau/y.txt", "b/x.docx", "z.txt",
        "khong-co.pdf",  # explicit paths come through, to be reported by read_path
    ]
    assert all(isinstance(p, Path) for p in got)


def test_read_error_pickles():
    e = ReadError("a.pdf", "encrypted", "Tệp 'a.pdf' được đặt mật khẩu.")
    e2 = pickle.loads(pickle.dumps(e))
    assert (e2.source, e2.code, e2.message, str(e2)) == (e.source, e.code, e.message, e.message)


# --------------------------------------------------------------------------------------------
# never anything but RawDocument or ReadError

_SAMPLES: dict[str, bytes] = {}


def _sample(suffix: str) -> bytes:
    if suffix not in _SAMPLES:
        _SAMPLES[suffix] = {
            ".txt": SAMPLE_VI.encode(),
            ".md": ("---\nnumber: 1-KL/TW\nissued: 2021-01-01\n---\n" + SAMPLE_VI).encode(),
            ".docx": gen.make_docx([HEADER_TABLE, "Văn bản{fn:1}"], {1: "Chú thích"}),
            ".pdf": make_pdf(PDF_PAGES),
        }[suffix]
    return _SAMPLES[suffix]


def _check_outcome(data: bytes, name: str) -> None:
    try:
        doc = read_bytes(data, name, max_pdf_pages=50, ocr=False)
    except ReadError as e:
        assert e.code in {
            "unsupported", "empty", "too_large", "binary", "legacy_encoding", "front_matter",
            "corrupt", "encrypted", "no_text_layer",
        }
        assert e.message and e.source in e.message
    else:
        assert_clean(doc)
        assert doc.format == name.rsplit(".", 1)[1]


_PREFIXES = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"---\n", b"%PDF-1.4\n", b"PK\x03\x04"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=_PREFIXES, body=st.binary(max_size=600), suffix=st.sampled_from(FUZZED))
def test_arbitrary_bytes(prefix, body, suffix):
    _check_outcome(prefix + body, "tep" + suffix)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300), suffix=st.sampled_from((".txt", ".md")))
def test_arbitrary_text(text, suffix):
    _check_outcome(text.encode("utf-8", "surrogatepass"), "tep" + suffix)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    suffix=st.sampled_from(FUZZED),
    edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.binary(min_size=0, max_size=8)), max_size=4),
    cut=st.floats(0.05, 1),
)
def test_damaged_real_files(suffix, edits, cut):
    data = bytearray(_sample(suffix))
    for where, patch in edits:
        i = int(where * len(data))
        data[i:i + len(patch)] = patch
    _check_outcome(bytes(data[: max(1, int(cut * len(data)))]), "hong" + suffix)

