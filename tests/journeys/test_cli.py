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
from support.pdf_files import make_pdf_without_text

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
    (d / "legacy.txt").write_bytes(b"Noi dung \x8f\x81qx \xa4\xa4\xa4x zz\xfe\xfe " * 20)  # no certain encoding
    (d / "anh.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # a type we do not read: listed, not skipped
    (d / "scan.pdf").write_bytes(make_pdf_without_text())
    return d


def test_ingest_batch_with_bad_files(batch, tmp_path):
    data = tmp_path / "data"
    r = run(["ingest", str(batch), "--json"], data)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    by_source = {i["source"]: i for i in report["items"]}
    assert report["counts"]["added"] == 6
    for bad in ("empty.txt", "binary.txt", "legacy.txt", "scan.pdf", "anh.png"):
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


def _env(data: Path) -> dict:
    env = {**os.environ, "SOTAY_DATA_DIR": str(data)}
    env.pop("SOTAY_EMBED_MODEL", None)
    env.pop("SOTAY_QDRANT_URL", None)
    return env


def test_ingest_shows_progress_and_a_table_of_outcomes(tmp_path):
    from support.folders import mixed_folder

    folder = tmp_path / "van-ban"
    folder.mkdir()
    kinds = mixed_folder(folder, 20, rtf=0)
    (folder / "bang.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    r = run(["ingest", str(folder), "--progress", "always"], tmp_path / "data")
    assert r.returncode == 0, r.stderr
    progress = [ln for ln in r.stderr.splitlines() if " tệp · " in ln]
    assert len(progress) == len(kinds) + 1  # one line per file off a terminal
    assert progress[-1].startswith("[" + "#" * 24 + "] 21/21 tệp") and "ký tự/s" in progress[0]
    assert any("· còn " in ln for ln in progress[:-1])
    out = r.stdout
    assert "Đã xử lý 21 tệp:" in out and "thêm mới       19" in out and "từ chối         2" in out
    refused = [ln for ln in r.stderr.splitlines() if ln.startswith("từ chối ")]  # one line each, with the reason
    assert len(refused) == 2 and "0020-anh.png: Tệp '0020-anh.png' không được hỗ trợ" in refused[0]
    assert refused[1].startswith("từ chối bang.xls: Tệp 'bang.xls' không được hỗ trợ")
    # nothing shown when stderr is not a terminal and no one asked
    again = run(["ingest", str(folder)], tmp_path / "data")
    assert " tệp · " not in again.stderr and "không đổi      19" in again.stdout


def test_output_into_a_closed_pipe_ends_quietly(tmp_path):
    """`sotay documents | head`: the reader closes its end; no traceback, no BrokenPipeError."""
    assert run(["ingest", str(CORPUS)], tmp_path / "data").returncode == 0
    for args in (["documents"], ["ask", "Hạn nộp kế hoạch cá nhân là khi nào?"], ["search", "kế hoạch", "--json"]):
        p = subprocess.Popen(SOTAY + args, cwd=ROOT, env=_env(tmp_path / "data"), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        p.stdout.close()  # as `head` does once it has its lines
        err = p.stderr.read().decode()
        assert p.wait(timeout=180) in (0, 141), err
        assert "Traceback" not in err and "BrokenPipe" not in err, err


@pytest.mark.slow
def test_ingest_killed_halfway_then_rerun_keeps_every_document_whole(tmp_path):
    """500 mixed files; SIGKILL once half are done; the rerun reads only the rest, and every stored
    document has all its passages and duties (the store writes a document whole or not at all)."""
    import signal

    from service.config import Settings
    from service.knowledge import KnowledgeBase
    from service.store import StoreFilter
    from support.folders import mixed_folder

    folder, data = tmp_path / "luu-tru", tmp_path / "data"
    folder.mkdir()
    kinds = mixed_folder(folder, 500)
    readable = sum(1 for k in kinds.values() if k != "refused")
    p = subprocess.Popen(SOTAY + ["ingest", str(folder), "--progress", "always"], cwd=ROOT, env=_env(data),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    done = 0
    for line in p.stderr:
        if " tệp · " in line:
            done = int(line.split("] ", 1)[1].split("/", 1)[0])
            if done >= 250:
                p.send_signal(signal.SIGKILL)
                break
    p.wait(timeout=60)
    assert p.returncode == -signal.SIGKILL and 250 <= done < 500

    r = run(["ingest", str(folder), "--json", "--progress", "never"], data)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    counts = report["counts"]
    assert counts["error"] == len(kinds) - readable
    assert counts.get("unchanged", 0) >= done - 30 and counts.get("updated", 0) == 0  # 25 of the first done are refused
    assert counts.get("unchanged", 0) + counts["added"] == readable

    with KnowledgeBase(Settings(data_dir=data)) as kb:
        catalog = kb.store.catalog(with_fields=["counts", "source"])
        assert len(catalog) == readable
        for entry in catalog:
            for record, key in (("chunk", "chunks"), ("obligation", "obligations")):
                got = sum(1 for _ in kb.store.scroll(StoreFilter(records=[record], doc_ids=[entry["doc_id"]],
                                                                 access=["public", "internal"])))
                assert got == entry["counts"][key], (entry["source"], record)


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


def test_ingest_leaves_what_a_first_question_reads_for_the_next_start(tmp_path):
    """`sotay ingest` ends by keeping the term statistics beside the store, for the live documents it
    leaves (a server then starts without reading every catalog entry); a later search uses them."""
    data = tmp_path / "data"
    assert run(["ingest", str(CORPUS), "--json"], data).returncode == 0
    kept = json.loads((data / "shard" / "termstats.json").read_text("utf-8"))
    assert kept["value"]["public"]["n"] > 0 and kept["value"]["public"]["df"]
    r = run(["search", "kế hoạch học tập", "--json"], data)
    assert r.returncode == 0 and json.loads(r.stdout)["hits"]
    assert json.loads((data / "shard" / "termstats.json").read_text("utf-8"))["key"] == kept["key"]
