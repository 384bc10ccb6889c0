"""Which converter reads old Word files best: LibreOffice headless (→ .docx → our .docx reader)
against antiword and catdoc (plain text), on .doc files made here from generated .docx fixtures
with tables, footnotes and Word list numbering, and from the shipped corpus.

    python -m eval.office_fidelity

For each converter it prints: character similarity to the .docx reading (difflib ratio over the
whole text), tables (share of cell texts found), footnotes (share of notes found and linked to a
marker as our reader renders them), numbering (share of automatic list labels present), and the
seconds per file.
"""
from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from ingest.readers import read_bytes
from ingest.readers.office import soffice


def fixtures() -> list[tuple[str, bytes, dict]]:
    """(name, .docx bytes, what must survive)."""
    from tests.support.docx_files import make_docx

    cells = [["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian"],
             ["1", "Quán triệt Kết luận 01", "Ban Tuyên giáo", "Quý I/2024"],
             ["2", "Sơ kết việc học tập", "Văn phòng Tỉnh ủy", "trước ngày 15/6/2024"]]
    notes = {1: "Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị.", 2: "Quy định số 144-QĐ/TW."}
    blocks = ["KẾ HOẠCH", "Thực hiện Kết luận số 01-KL/TW{fn:1} và Quy định 144{fn:2}.",
              ("style", "List Number", "Mục đích"), ("style", "List Number", "Yêu cầu"),
              ("style", "List Number", "Nhiệm vụ"), ("table", cells), "Các cấp ủy triển khai thực hiện."]
    out = [("bang-chu-thich-danh-so", make_docx(blocks, notes),
            {"cells": [c for row in cells for c in row], "notes": list(notes.values()),
             "labels": ["1. Mục đích", "2. Yêu cầu", "3. Nhiệm vụ"]})]
    for p in sorted((ROOT / "corpus").iterdir()):
        text = p.read_text("utf-8")
        if text.startswith("---"):
            text = text.split("\n---\n", 1)[1]
        out.append((p.stem, make_docx([line for line in text.split("\n")]), {}))
    return out


def to_doc(docx: bytes, tmp: Path, name: str) -> Path:
    src = tmp / f"{name}.docx"
    src.write_bytes(docx)
    subprocess.run([soffice(), f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(tmp), str(src)],
                   check=True, capture_output=True, timeout=300)
    return tmp / f"{name}.doc"


def read_libreoffice(doc: Path) -> str:
    return read_bytes(doc.read_bytes(), doc.name).text


def read_antiword(doc: Path) -> str:
    return subprocess.run(["antiword", "-m", "UTF-8.txt", "-w", "0", str(doc)], capture_output=True,
                          timeout=120).stdout.decode("utf-8", "replace")


def read_catdoc(doc: Path) -> str:
    return subprocess.run(["catdoc", "-d", "utf-8", "-w", str(doc)], capture_output=True,
                          timeout=120).stdout.decode("utf-8", "replace")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def main() -> int:
    readers = {"LibreOffice → .docx reader": read_libreoffice}
    if shutil.which("antiword"):
        readers["antiword"] = read_antiword
    if shutil.which("catdoc"):
        readers["catdoc"] = read_catdoc
    rows: dict[str, dict[str, list[float]]] = {k: {"similarity": [], "tables": [], "footnotes": [], "numbering": [],
                                                   "seconds": []} for k in readers}
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        for name, docx, must in fixtures():
            truth = norm(read_bytes(docx, f"{name}.docx").text)
            doc = to_doc(docx, tmp, name)
            for label, fn in readers.items():
                t0 = time.perf_counter()
                got = fn(doc)
                rows[label]["seconds"].append(time.perf_counter() - t0)
                got_n = norm(got)
                rows[label]["similarity"].append(difflib.SequenceMatcher(None, truth, got_n, autojunk=False).ratio())
                if must:
                    rows[label]["tables"].append(sum(c in got_n for c in must["cells"]) / len(must["cells"]))
                    linked = [f"({i}) {n}" in got_n for i, n in enumerate(must["notes"], 1)]
                    markers = "¹" in got_n and "²" in got_n
                    rows[label]["footnotes"].append(sum(linked) / len(linked) if markers else 0.0)
                    rows[label]["numbering"].append(sum(lb in got_n for lb in must["labels"]) / len(must["labels"]))
    print(f"{'converter':28} {'similarity':>10} {'tables':>7} {'footnotes':>9} {'numbering':>9} {'s/file':>7}")
    for label, r in rows.items():
        mean = {k: sum(v) / len(v) if v else float("nan") for k, v in r.items()}
        print(f"{label:28} {mean['similarity']:10.3f} {mean['tables']:7.2f} {mean['footnotes']:9.2f} "
              f"{mean['numbering']:9.2f} {mean['seconds']:7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
