"""The `sotay` command as users run it (service/cli.py): a real subprocess on a real data directory.
Backup, restore and migrate: tests/service/test_backup.py; crashes: test_crash.py."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from conftest import CORPUS, ROOT
from fixtures_gen import make_pdf_without_text, to_cp1258

SOTAY = [sys.executable, "-m", "service.cli"]


def run(args: list[str], data: Path, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOTAY_DATA_DIR": str(data)}
    env.pop("SOTAY_EMBED_MODEL", None)
    env.pop("SOTAY_QDRANT_URL", None)
    return subprocess.run(SOTAY + args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, **kw)


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    """The corpus plus the bad files of issue 2, in one folder."""
    d = tmp_path_factory.mktemp("batch")
    for f in CORPUS.iterdir():
        shutil.copy(f, d / f.name)
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (d / "legacy.txt").write_bytes(to_cp1258("Tỉnh ủy Lai Châu ban hành kế hoạch học tập."))
    (d / "scan.pdf").write_bytes(make_pdf_without_text())
    return d


def test_ingest_batch_with_bad_files(batch, tmp_path):
    data = tmp_path / "data"
    r = run(["ingest", str(batch), "--json"], data)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    by_source = {i["source"]: i for i in report["items"]}
    assert report["counts"]["added"] == 6
    for bad in ("empty.txt", "binary.txt", "legacy.txt", "scan.pdf"):
        item = by_source[bad]
        assert item["status"] == "error" and bad in item["error"], item
    # Re-ingesting unchanged files changes nothing.
    again = json.loads(run(["ingest", str(batch), "--json"], data).stdout)
    assert again["counts"]["unchanged"] == 6 and "added" not in again["counts"]
    # A changed file replaces its old records: its old text is no longer found.
    changed = batch / "55-QD-TW-2016-viec-can-lam-ngay.md"
    text = changed.read_text("utf-8")
    changed.write_text(text.replace("đơn giản, tiết kiệm", "giản dị, tiết kiệm"), "utf-8")
    try:
        third = json.loads(run(["ingest", str(changed), "--json"], data).stdout)
        assert third["counts"] == {"updated": 1}
        hits = json.loads(run(["search", "cưới hỏi ma chay", "--json", "-k", "20"], data).stdout)["hits"]
        assert any("giản dị, tiết kiệm" in h["text"] for h in hits)
        assert not any("đơn giản, tiết kiệm" in h["text"] for h in hits)
    finally:
        changed.write_text(text, "utf-8")


def test_search_documents_and_errors(tmp_path):
    data = tmp_path / "data"
    assert run(["ingest"], data).returncode == 0  # default: corpus/
    r = run(["search", "han chot nop ke hoach ca nhan", "--json"], data)
    hits = json.loads(r.stdout)["hits"]
    assert hits and hits[0]["doc_number"] == "222-KH/TU"
    docs = json.loads(run(["documents", "--json"], data).stdout)
    assert len(docs["documents"]) == 6 and any(m["number"] == "01-KL/TW" for m in docs["missing"])
    r = run(["search", "", "--json"], data)
    assert r.returncode == 1 and "trống" in r.stderr
    r = run(["search", "x", "--doc", "999-XX/TW"], data)
    assert r.returncode == 1 and "999-XX/TW" in r.stderr
    r = run(["search"], data)
    assert r.returncode == 2
    r = run(["ingest", str(tmp_path / "khong-co.txt")], data)
    assert r.returncode == 1 and "khong-co.txt" in r.stderr


def test_second_process_gets_a_clear_error(tmp_path):
    from service.config import Settings
    from service.knowledge import KnowledgeBase

    data = tmp_path / "data"
    with KnowledgeBase(Settings(data_dir=data)):
        r = run(["documents"], data)
        assert r.returncode == 1 and "đang được" in r.stderr


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def test_cli_lesson_writes_docx_and_markdown(tmp_path):
    env = {**os.environ, "SOTAY_DATA_DIR": str(tmp_path / "data")}
    env.pop("SOTAY_EMBED_MODEL", None)
    env.pop("SOTAY_QDRANT_URL", None)

    def sotay(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)

    assert sotay("ingest", str(CORPUS)).returncode == 0
    out = tmp_path / "bai.docx"
    r = sotay("lesson", "Mặt trận Tổ quốc giám sát", "--doc", "124-QĐ/TW", "--out", str(out), "--json")
    assert r.returncode == 0, r.stderr
    lesson = json.loads(r.stdout)
    assert [d["number"] for d in lesson["documents"]] == ["124-QĐ/TW"]
    doc = DocxDocument(str(out))
    assert doc.paragraphs[0].text == lesson["title"]
    r = sotay("lesson", "nêu gương", "--out", str(tmp_path))  # a folder: named after the topic
    assert r.returncode == 0 and (tmp_path / "bai-giang-neu-guong.docx").exists(), r.stderr
    md = tmp_path / "x.md"
    assert sotay("lesson", "tuyên truyền", "--out", str(md)).returncode == 0
    assert md.read_text("utf-8").startswith("# Bài giảng: Tuyên truyền")
    r = sotay("lesson", "công thức nấu phở")
    assert r.returncode == 0 and "không đề cập" in r.stdout
    for args, needle in ((["lesson", ""], "Chủ đề"), (["lesson", "nêu gương", "--doc", "999-KH/TU"], "999-KH/TU"),
                         (["lesson", "nêu gương", "--out", str(tmp_path / "x.pdf")], ".docx")):
        r = sotay(*args)
        assert r.returncode == 1 and needle in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
