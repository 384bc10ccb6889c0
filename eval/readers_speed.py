"""Reading throughput per format (characters of text out per second), on the shipped corpus made
into each format here: UTF-8 .txt, legacy TCVN3/VNI bytes, UTF-8 mojibake (repaired line by line),
.docx, .docx in legacy fonts, PDF text layer.

    python -m eval.readers_speed
"""
from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    from ingest.readers import read_bytes
    from tests.support.docx_files import make_docx
    from tests.support.legacy import ENCODERS, surface, to_tcvn3
    from tests.support.pdf_files import make_pdf

    texts = [p.read_text("utf-8").translate(str.maketrans("¹²³", "123")) for p in sorted((ROOT / "corpus").iterdir())]
    text = "\n".join(t.split("\n---\n", 1)[-1] for t in texts) * 4  # the bodies, ~270k characters
    lines = text.split("\n")
    cases = {
        ".txt UTF-8": (text.encode(), "a.txt"),
        ".txt TCVN3 bytes": (ENCODERS["tcvn3"](text), "a.txt"),
        ".txt VNI bytes": (ENCODERS["vni"](text), "a.txt"),
        ".txt TCVN3 shown as Latin-1 (UTF-8)": (surface(to_tcvn3(text)).encode(), "a.txt"),
        ".docx": (make_docx(lines), "a.docx"),
        ".docx in .VnTime runs": (make_docx([("runs", [(surface(to_tcvn3(ln)), ".VnTime")]) for ln in lines]), "a.docx"),
        ".pdf text layer": (make_pdf([lines[i:i + 40] for i in range(0, len(lines), 40)]), "a.pdf"),
    }
    read_bytes(cases[".docx"][0], "warm.docx")  # imports (yaml, lxml, pypdf) before timing
    read_bytes(cases[".pdf text layer"][0], "warm.pdf")
    print(f"{'input':40} {'chars':>9} {'seconds':>8} {'chars/s':>10}")
    for label, (data, name) in cases.items():
        t0 = time.perf_counter()
        doc = read_bytes(data, name)
        dt = time.perf_counter() - t0
        print(f"{label:40} {len(doc.text):9,d} {dt:8.2f} {len(doc.text) / dt:10,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
