"""How parsing time grows with the input (issue 16 item 2): prints seconds per document shape.

    python -m eval.parse_scaling [--big]

Shapes: N duty sentences in one paragraph against the same sentences in paragraphs of ten (a
linear parser takes about the same time for both), a table of many rows, many numbered items with
points; `--big` adds the 4 MB one-paragraph document of the red-team report (~26,000 sentences).
"Structure" is everything but the obligation analysis (repair, header, sections, tables,
sentences, chunks, references); "all" is `build_document`.
"""
from __future__ import annotations

import argparse
import time

from ingest import pipeline
from ingest.readers import RawDocument

DUTIES = [
    "Các chi bộ tổ chức quán triệt Kế hoạch số 12-KH/TU đến đảng viên, hoàn thành trước ngày 15/4/2025.",
    "Ban Tuyên giáo Huyện ủy hướng dẫn việc học tập chuyên đề năm 2025 trong quý II/2025.",
    "Văn phòng Huyện ủy theo dõi, đôn đốc và báo cáo kết quả hằng quý.",
    "Ủy ban Kiểm tra Huyện ủy kiểm tra việc thực hiện tại các đảng bộ cơ sở trước ngày 30/11/2025.",
]
HEAD = "HUYỆN ỦY PHONG THẠNH\nSố 5-KH/HU\nPhong Thạnh, ngày 02 tháng 01 năm 2025\n\nKẾ HOẠCH\nvề thử nghiệm\n\n"


def _sentences(n: int) -> list[str]:
    return [DUTIES[i % len(DUTIES)] for i in range(n)]


def shapes(big: bool) -> list[tuple[str, str]]:
    s2000 = _sentences(2000)
    out = [
        ("2,000 sentences, one paragraph", HEAD + "1. Nhiệm vụ\n\n" + " ".join(s2000) + "\n"),
        ("2,000 sentences, paragraphs of ten",
         HEAD + "1. Nhiệm vụ\n\n" + "\n\n".join(" ".join(s2000[i:i + 10]) for i in range(0, 2000, 10)) + "\n"),
        ("5,000-row pipe table", HEAD + "I. PHÂN CÔNG\n\nTT | Nội dung | Cơ quan chủ trì | Thời gian\n"
         + "".join(f"{k} | Tổ chức hội nghị quán triệt | Văn phòng Huyện ủy | trước 15/4\n" for k in range(1, 5001))),
        ("2,000 items with 2 points each", HEAD + "".join(
            f"{k}. Nhiệm vụ thứ {k}\na) {DUTIES[0]}\nb) {DUTIES[1]}\n\n" for k in range(1, 2001))),
    ]
    if big:
        n, parts = 0, []
        while n < 4_000_000:
            parts.append(DUTIES[len(parts) % len(DUTIES)])
            n += len(parts[-1]) + 1
        out.append((f"4 MB, one paragraph ({len(parts):,} sentences)", HEAD + "1. Nhiệm vụ\n\n" + " ".join(parts) + "\n"))
    return out


def timed(text: str, obligations: bool) -> float:
    raw = RawDocument(source="scaling.txt", format="txt", text=text, front_matter={})
    keep = pipeline.extract_obligations
    if not obligations:
        pipeline.extract_obligations = lambda doc: []
    try:
        t = time.perf_counter()
        pipeline.build_document(raw)
        return time.perf_counter() - t
    finally:
        pipeline.extract_obligations = keep


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--big", action="store_true", help="add the 4 MB one-paragraph document")
    args = ap.parse_args()
    timed(HEAD + "1. Nhiệm vụ\n\n" + " ".join(_sentences(50)), True)  # warm up: models and gazetteers load once
    print(f"{'shape':48s} {'chars':>10s} {'structure s':>12s} {'all s':>8s}")
    for name, text in shapes(args.big):
        print(f"{name:48s} {len(text):>10,d} {timed(text, False):>12.2f} {timed(text, True):>8.2f}", flush=True)


if __name__ == "__main__":
    main()
