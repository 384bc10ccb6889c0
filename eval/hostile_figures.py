"""Figures for the hostile-input hardening (issue 16), against a real `sotay serve` in a subprocess:

    python -m eval.hostile_figures [--port 8910] [--root PATH] [--upload-seconds 60]

1. Answers while a heavy upload is parsed: ask latency (p50 / p95 / max, sequential questions) before
   and during the upload of a 4 MB one-paragraph document (the red team's ~46,000 duty sentences),
   with the size budget raised so that it is really parsed (until the time budget stops it), and the
   service's resident memory. ``--root`` runs another checkout's code (e.g. the one before the worker).
2. The time of ``GET /api/documents/{id}`` with a read key: a 1.4 MB internal document's id against
   an id that does not exist (medians of alternating requests).
3. `sotay compact` on synthetic documents after replacements and deletions: seconds, data directory
   size after and what it freed.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
READ, ADMIN = "doc-0123456789abcdef", "quantri-0123456789abcdef"
QUESTIONS = ["Hạn hoàn thành xây dựng kế hoạch tập thể là khi nào?", "Chuẩn mực đạo đức đầu tiên theo Quy định 144 là gì?",
             "Kết luận 14-KL/TW bàn về vấn đề gì?", "Việc tổ chức cưới hỏi của đảng viên phải thực hiện thế nào?"]
DUTIES = ["Các chi bộ tổ chức quán triệt Kế hoạch số 12-KH/TU đến đảng viên, hoàn thành trước ngày 15/4/2025.",
          "Ban Tuyên giáo Huyện ủy hướng dẫn việc học tập chuyên đề năm 2025 trong quý II/2025.",
          "Văn phòng Huyện ủy theo dõi, đôn đốc và báo cáo kết quả hằng quý.",
          "Ủy ban Kiểm tra Huyện ủy kiểm tra việc thực hiện tại các đảng bộ cơ sở trước ngày 30/11/2025."]


def one_paragraph(size: int) -> bytes:
    parts, n = [], 0
    while n < size:
        parts.append(DUTIES[len(parts) % len(DUTIES)])
        n += len(parts[-1]) + 1
    return ("HUYỆN ỦY PHONG THẠNH\nSố 5-KH/HU\nPhong Thạnh, ngày 02 tháng 01 năm 2025\n\nKẾ HOẠCH\nvề thử\n\n"
            "1. Nhiệm vụ\n\n" + " ".join(parts) + "\n").encode()


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration):
        return 0.0


class Serve:
    def __init__(self, root: Path, data: Path, port: int, **env: str):
        self.url = f"http://127.0.0.1:{port}"
        full = {**os.environ, "PYTHONPATH": str(root), "SOTAY_DATA_DIR": str(data), "SOTAY_RATE_LIMIT": "off",
                "SOTAY_API_KEYS": f"{READ}:read,{ADMIN}:admin", **env}
        self.proc = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(port)], cwd=root,
                                     env=full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError("sotay serve did not start")

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


def asks(url: str, seconds: float, stop: threading.Event | None = None) -> list[float]:
    out: list[float] = []
    end = time.monotonic() + seconds
    with httpx.Client(base_url=url, headers={"X-API-Key": READ}, timeout=120) as c:
        i = 0
        while time.monotonic() < end and not (stop and stop.is_set()):
            t = time.perf_counter()
            r = c.post("/api/ask", json={"question": QUESTIONS[i % len(QUESTIONS)]})
            out.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.text
            i += 1
    return out


def upload_figures(root: Path, port: int, seconds: float) -> None:
    data = Path(tempfile.mkdtemp(prefix="sotay-fig-")) / "data"
    subprocess.run([sys.executable, "-m", "service.cli", "ingest", str(ROOT / "corpus")], cwd=root, check=True,
                   env={**os.environ, "PYTHONPATH": str(root), "SOTAY_DATA_DIR": str(data)}, capture_output=True)
    srv = Serve(root, data, port, SOTAY_MAX_DOCUMENT_CHARS="10000000", SOTAY_PARSE_TIMEOUT=str(int(seconds)))
    try:
        before = asks(srv.url, 15)
        body = one_paragraph(4_000_000)
        outcome: dict = {}
        peak = [rss_mb(srv.proc.pid)]

        def upload() -> None:
            t = time.monotonic()
            try:
                r = httpx.post(srv.url + "/api/documents", files={"file": ("mot-doan.txt", body)},
                               headers={"X-API-Key": ADMIN}, timeout=seconds + 900)
                outcome.update(status=r.status_code, code=(r.json().get("error") or {}).get("code"), s=time.monotonic() - t)
            except httpx.HTTPError as e:
                outcome.update(status=None, code=type(e).__name__, s=time.monotonic() - t)

        th = threading.Thread(target=upload, daemon=True)
        th.start()
        time.sleep(1.0)
        stop = threading.Event()
        mem = threading.Thread(target=lambda: [peak.append(rss_mb(srv.proc.pid)) or time.sleep(0.5)
                                               for _ in iter(lambda: stop.is_set(), True)], daemon=True)
        mem.start()
        during = asks(srv.url, seconds, stop)
        stop.set()
        th.join(5)
        print(f"ask before upload: n={len(before)} p50={pct(before, .5):.0f} ms p95={pct(before, .95):.0f} ms "
              f"max={max(before):.0f} ms")
        print(f"ask during upload: n={len(during)} p50={pct(during, .5):.0f} ms p95={pct(during, .95):.0f} ms "
              f"max={max(during):.0f} ms")
        print(f"upload: {outcome or 'still running when measuring stopped'}; service RSS peak {max(peak):.0f} MB")
    finally:
        srv.stop()


def timing_figures(port: int) -> None:
    data = Path(tempfile.mkdtemp(prefix="sotay-fig-"))
    big = data / "extra" / "noi-bo.md"
    big.parent.mkdir()
    body = "\n\n".join(f"{k}. {DUTIES[k % 4]}" for k in range(1, 15_000))
    big.write_text("---\nnumber: 909-KH/TU\nissued: 2024-01-02\naccess: internal\n---\nKẾ HOẠCH\nvề thử\n\n" + body,
                   encoding="utf-8")
    subprocess.run([sys.executable, "-m", "service.cli", "ingest", str(ROOT / "corpus"), str(big.parent)], cwd=ROOT,
                   check=True, env={**os.environ, "PYTHONPATH": str(ROOT), "SOTAY_DATA_DIR": str(data / "data"),
                                    "SOTAY_MAX_DOCUMENT_CHARS": "10000000"}, capture_output=True)
    srv = Serve(ROOT, data / "data", port)
    try:
        with httpx.Client(base_url=srv.url, headers={"X-API-Key": READ}, timeout=60) as c:
            internal = "909-kh-tu-2024-01-02"
            size = len(httpx.get(f"{srv.url}/api/documents/{internal}", headers={"X-API-Key": ADMIN}).content)
            times: dict[str, list[float]] = {"internal": [], "missing": []}
            for i in range(400):
                for label, doc_id in (("internal", internal), ("missing", "khong-co-van-ban-nay-abc")):
                    t = time.perf_counter()
                    assert c.get(f"/api/documents/{doc_id}").status_code == 404
                    times[label].append((time.perf_counter() - t) * 1000)
        print(f"GET /api/documents/{{id}} with a read key ({size / 1e6:.1f} MB internal document): "
              + ", ".join(f"{k} median {statistics.median(v[50:]):.2f} ms" for k, v in times.items()))
    finally:
        srv.stop()


def compaction_figures(n_docs: int) -> None:
    """Synthetic documents (eval/synth.py) stored, a tenth of them replaced by another version and a
    tenth deleted, then `sotay compact`."""
    from eval import synth
    from ingest.pipeline import build_document
    from service.index.points import build_points
    from service.store import EdgeStore

    data = Path(tempfile.mkdtemp(prefix="sotay-fig-")) / "data"
    raws = list(synth.generate(n_docs, 7))
    with EdgeStore(str(data)) as store:
        for raw in raws:
            store.replace_document(*build_points(build_document(raw), None))
        for k, raw in enumerate(raws[: n_docs // 5]):
            doc = build_document(raw)
            if k % 2:
                store.delete_document(doc.doc_id)
            else:
                edited = type(raw)(raw.source, raw.format, raw.text.replace(" và ", " cùng "), raw.front_matter)
                store.replace_document(*build_points(build_document(edited), None))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOTAY_DATA_DIR": str(data)}
    r = subprocess.run([sys.executable, "-m", "service.cli", "compact"], cwd=ROOT, env=env, capture_output=True,
                       text=True)
    print(f"compact ({n_docs} synthetic documents, {n_docs // 10} replaced, {n_docs // 10} deleted):",
          r.stdout.strip() or r.stderr.strip())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=8910)
    ap.add_argument("--root", default=str(ROOT), help="the checkout whose service is measured in part 1")
    ap.add_argument("--upload-seconds", type=float, default=60.0)
    ap.add_argument("--only", choices=("upload", "timing", "compact"))
    ap.add_argument("--compact-docs", type=int, default=300)
    args = ap.parse_args(argv)
    if args.only in (None, "upload"):
        upload_figures(Path(args.root), args.port, args.upload_seconds)
    if args.only in (None, "timing"):
        timing_figures(args.port + 1)
    if args.only in (None, "compact"):
        compaction_figures(args.compact_docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
