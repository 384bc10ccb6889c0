"""OCR quality: every shipped (and development) document printed to a scanned PDF at 300 dpi (pages
rendered as images with DejaVu Serif, no text layer), read back through `ingest.readers` (Tesseract,
Vietnamese model), and compared with the text that was printed.

    python -m eval.ocr_quality [--dpi 300] [--limit N]

Prints per document: pages, seconds per page, Tesseract's mean confidence, the character error rate
(CER) on the body text (whitespace normalised), and whether build_document finds the same section
paths and deadlines as on the original text.
"""
from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

from tests.support.ocr_metrics import body_start, cer

ROOT = Path(__file__).resolve().parents[1]


def documents() -> list[Path]:
    shared = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()), None)
    docs = sorted((ROOT / "corpus").iterdir())
    if shared:
        docs += sorted((shared / "eval" / "corpus-dev").iterdir())
    return docs


def body(path: Path) -> str:
    text = path.read_text("utf-8")
    return text.split("\n---\n", 1)[1].lstrip("\n") if text.startswith("---") else text


def main(argv: list[str] | None = None) -> int:
    from pypdf import PdfReader

    from ingest.pipeline import build_document
    from ingest.readers import read_bytes
    from tests.support.pdf_files import make_scanned_pdf

    ap = argparse.ArgumentParser()
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--limit", type=int, default=0, help="first N documents only")
    args = ap.parse_args(argv)
    docs = documents()[: args.limit or None]
    print(f"{'document':40} {'pages':>5} {'s/page':>6} {'conf':>5} {'CER all':>7} {'CER body':>8} sections deadlines")
    total_pages = total_s = 0.0
    cers = []
    for path in docs:
        text = body(path)
        pdf, _ = make_scanned_pdf(text, args.dpi)
        t0 = time.perf_counter()
        raw = read_bytes(pdf, path.stem + ".pdf")
        seconds = time.perf_counter() - t0
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        got = build_document(raw)
        want = build_document(read_bytes(text.encode(), path.stem + ".txt"))
        reference = read_bytes(text.encode(), path.stem + ".txt").text
        rate_all = cer(reference, raw.text)
        rate = cer(reference, raw.text, body_start(want, reference))
        cers.append(rate)
        same_sections = [s.path for s in got.sections] == [s.path for s in want.sections]
        dl = lambda d: sorted(str((o.deadline.start, o.deadline.end)) for o in d.obligations if o.deadline)  # noqa: E731
        same_deadlines = dl(got) == dl(want)
        total_pages += pages
        total_s += seconds
        print(f"{path.name[:40]:40} {pages:5d} {seconds / pages:6.1f} {raw.provenance.ocr_confidence:5.2f} "
              f"{rate_all:7.2%} {rate:8.2%} {'same' if same_sections else 'DIFF':>8} {'same' if same_deadlines else 'DIFF':>9}",
              flush=True)
    print(f"all: {int(total_pages)} pages, {total_s / max(total_pages, 1):.1f} s/page, body CER mean "
          f"{sum(cers) / len(cers):.2%}, max {max(cers):.2%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
