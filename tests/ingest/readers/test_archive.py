"""ingest.readers.archive: zip members inflated within limits whatever the zip declares (issue 16):
the lying bzip2 and deflate bombs are refused while memory stays flat; honest packages read."""
from __future__ import annotations

import gc
import io
import zipfile
import zlib

import pytest

import support.docx_files as gen
from ingest.readers import archive, read_bytes
from ingest.readers.archive import Limits, SafeZip
from support.readers import error

MAX_GROWTH_MB = 200


@pytest.fixture(scope="module")
def docx() -> bytes:
    return gen.make_docx(["KẾ HOẠCH", "1. Các chi bộ phải học tập chuyên đề năm 2024."])


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2], ids=["deflate", "bzip2"])
def test_lying_bomb_is_refused_with_flat_memory(docx, method):
    bomb = gen.lying_bomb(docx, method, n_mib=1024)  # document.xml declares ~1 KB, inflates to 1 GiB
    assert len(bomb) < 2 * 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as z:  # what zipfile believes
        assert z.getinfo("word/document.xml").file_size < 10_000
    gc.collect()
    with gen.PeakRss() as rss:
        e = error(read_bytes, bomb, "bom.docx")
    assert e.code == "too_large" and "word/document.xml" in e.message
    assert rss.growth_mb < MAX_GROWTH_MB, rss.growth_mb


def test_honest_size_over_the_member_limit_is_refused_before_inflating(docx):
    limits = Limits(max_member=1024 * 1024)
    big = gen.rezip(docx, [("word/media/big.bin", b" " * (2 * 1024 * 1024))])
    zf = SafeZip(big, "lon.docx", limits)
    e = error(zf.read, "word/media/big.bin")
    assert e.code == "too_large"
    assert zf.inflated == 0


def test_member_inflating_past_its_declared_size_stops_one_byte_after(docx):
    """A member that declares 60 MB honestly-looking but holds 1 GiB: read stops at the limit."""
    data = gen.deflate_spaces(1024)
    bomb = gen._zip([("a.xml", zipfile.ZIP_DEFLATED, data, 0, 60 * 1024 * 1024)])
    with gen.PeakRss() as rss:
        e = error(SafeZip(bomb, "a.zip").read, "a.xml")
    assert e.code == "too_large" and rss.growth_mb < MAX_GROWTH_MB


def test_total_inflated_budget_across_members():
    members = [(f"m{i}.xml", zipfile.ZIP_STORED, b"x" * 1000, zlib.crc32(b"x" * 1000), 1000) for i in range(5)]
    zf = SafeZip(gen._zip(members), "a.zip", Limits(max_total=3500))
    for i in range(3):
        assert zf.read(f"m{i}.xml") == b"x" * 1000
    assert error(zf.read, "m3.xml").code == "too_large"


def test_wrong_crc_and_truncated_members_are_corrupt():
    body = b"<w:document/>" * 10
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = comp.compress(body) + comp.flush()
    bad_crc = gen._zip([("a.xml", zipfile.ZIP_DEFLATED, data, zlib.crc32(body) ^ 1, len(body))])
    assert error(SafeZip(bad_crc, "a.zip").read, "a.xml").code == "corrupt"
    short = gen._zip([("a.xml", zipfile.ZIP_DEFLATED, data[:5], zlib.crc32(body), len(body))])
    assert error(SafeZip(short, "a.zip").read, "a.xml").code == "corrupt"
    bz = gen._zip([("a.xml", zipfile.ZIP_BZIP2, gen.bzip2_spaces(1)[:20], 0, 1 << 20)])
    assert error(SafeZip(bz, "a.zip").read, "a.xml").code == "corrupt"


def test_honest_bzip2_and_stored_members_read():
    body = "Kế hoạch học tập".encode() * 100
    for method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", method) as z:
            z.writestr("a.txt", body)
        assert SafeZip(buf.getvalue(), "a.zip").read("a.txt") == body


def test_declared_limits_checked_from_the_directory(docx):
    many = gen.docx_with_many_entries(docx, archive.MAX_ENTRIES + 1)
    assert error(read_bytes, many, "nhieu.docx").code == "too_large"
    ratio = gen.docx_with_huge_member(docx, 201)
    e = error(read_bytes, ratio, "bom.docx")
    assert e.code == "too_large" and "MB" in e.message


def test_encrypted_member_is_refused(docx):
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        info = z.getinfo("word/document.xml")
    data = bytearray(docx)
    # set the "encrypted" flag in the central directory entry of word/document.xml
    name = b"word/document.xml"
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[central + 8] |= 0x1
    assert info.flag_bits & 0x1 == 0
    assert error(read_bytes, bytes(data), "khoa.docx").code in ("encrypted", "corrupt")


def test_zip_of_documents_lists_every_file(docx):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("van-ban/b.txt", "Kế hoạch B")
        z.writestr("van-ban/a.docx", docx)
        z.writestr("van-ban/anh.png", b"\x89PNG\r\n\x1a\n")
        z.writestr("__MACOSX/van-ban/._a.docx", b"x")
        z.writestr("van-ban/.DS_Store", b"x")
        z.writestr("van-ban/~$a.docx", b"x")
        z.writestr("van-ban/con/", b"")
        z.writestr("../../etc/passwd.txt", "không phải đường dẫn của ta")
    members = archive.iter_documents(buf.getvalue(), "thu-muc.zip")
    assert [m.name for m in members] == ["etc/passwd.txt", "van-ban/a.docx", "van-ban/anh.png", "van-ban/b.txt"]
    assert members[1].data == docx and all(m.error is None for m in members)


def test_zip_of_documents_with_a_bomb_inside_reports_it_and_reads_the_rest(docx):
    bomb = gen._zip([("bom.xml", zipfile.ZIP_DEFLATED, gen.deflate_spaces(1024), 0, 1000),
                     ("a.txt", zipfile.ZIP_STORED, "Kế hoạch".encode(), zlib.crc32("Kế hoạch".encode()),
                      len("Kế hoạch".encode()))])
    with gen.PeakRss() as rss:
        members = archive.iter_documents(bomb, "goi.zip")
    assert rss.growth_mb < MAX_GROWTH_MB
    assert [m.name for m in members] == ["a.txt", "bom.xml"]
    assert members[0].data == "Kế hoạch".encode()
    assert members[1].data is None and members[1].error.code == "too_large" and "goi.zip/bom.xml" in members[1].error.message
