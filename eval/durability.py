"""Durability: SIGKILL during ingest (CLI and HTTP upload) and backup / restore / migrate timings.

    python -m eval.durability [--kills 60] [--upload-kills 12] [--docs 300] [--seed N]

The kill loop alternates two versions of the shipped documents (the second has " và " → " cùng "
in each document's second half: same doc_id, new content hash, every point id new). Each run
ingests one version and is killed with SIGKILL, either

* at a random store write — the N-th engine write call (upsert, catalog put, delete, flush), just
  before or just after it; the child is the real `sotay` CLI (or `sotay serve`) with a hook that
  counts those calls and kills its own process, or
* at a random moment from outside (wall clock, over the duration of a whole run).

After every run the data directory is reopened (orphan clean-up included) and checked: every
document is either exactly the version it had before the run or exactly the run's version (the
point ids, the chunk and obligation counts, the catalog's own counts), the store's totals agree
with the catalog, and a question is answered with citations that are verbatim document text.
The loop and the checks are tests/support/crash.py (`tests/journeys/test_crash.py` runs a bounded
loop); this script runs a longer one and prints figures, plus backup/restore/migrate sizes and times
on a synthetic store.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from tests.support.crash import Checker, cli_kill_loop, expected_state, make_versions, upload_kill_loop

ROOT = Path(__file__).resolve().parents[1]


def backup_figures(n_docs: int, work: Path, seed: int) -> dict:
    from eval import synth
    from ingest.pipeline import build_document
    from service.backup import backup, migrate, restore
    from service.config import Settings
    from service.index.points import build_points
    from service.store import EdgeStore

    src = work / "src"
    t0 = time.monotonic()
    with EdgeStore(str(src)) as store:
        for raw in synth.generate(n_docs, seed):
            store.replace_document(*build_points(build_document(raw), None))
        st = store.stats()
    build_s = time.monotonic() - t0
    out: dict = {"documents": st["documents"], "points": st["points"], "chunks": st["chunks"], "build_s": round(build_s, 1)}
    f = work / "b.jsonl.gz"
    s = backup(Settings(data_dir=src), f)
    out["backup_s"], out["backup_mb"] = round(s.seconds, 2), round(f.stat().st_size / 2**20, 2)
    out["data_dir_mb"] = round(sum(p.stat().st_blocks * 512 for p in src.rglob("*") if p.is_file()) / 2**20, 1)
    s = restore(Settings(data_dir=work / "dst"), f)
    out["restore_s"] = round(s.seconds, 2)
    from service.store import qdrant_client

    if st["points"] <= 20000:  # qdrant-client's local mode is slow past that (see DESIGN §5)
        client = qdrant_client(path=str(work / "local"))
        s = migrate(Settings(data_dir=src), "local", client=client)
        out["migrate_local_mode_s"] = round(s.seconds, 2)
    return out


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=60, help="kills of `sotay ingest`")
    ap.add_argument("--upload-kills", type=int, default=12, help="kills of `sotay serve` during uploads")
    ap.add_argument("--docs", type=int, default=300, help="synthetic documents for the backup figures")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args(argv)
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="sotay-durability-"))
    report: dict = {"seed": seed}
    try:
        a, b = make_versions(work / "in")
        checker = Checker({"A": expected_state(a), "B": expected_state(b)})
        data = work / "data"
        s, state = cli_kill_loop(data, {"A": a, "B": b}, checker, kills=args.kills, rng=rng)
        report["cli"] = s.to_json()
        print(f"CLI ingest: {s.kills} SIGKILLs survived in {s.runs} runs ({s.kills_by_op} at a store write, "
              f"{s.kills_by_clock} by the clock; {s.mid_write} left a write half done, {s.mixed_after_kill} left "
              f"old and new documents side by side), {s.seconds:.0f} s", flush=True)
        if args.upload_kills:
            s, state = upload_kill_loop(data, {"A": a, "B": b}, checker, state, kills=args.upload_kills, rng=rng)
            report["upload"] = s.to_json()
            print(f"HTTP upload: {s.kills} SIGKILLs of sotay serve survived in {s.runs} runs "
                  f"({s.mid_write} mid-write), {s.seconds:.0f} s", flush=True)
        if args.docs:
            report["backup"] = backup_figures(args.docs, work / "backup", seed)
            print("backup: " + json.dumps(report["backup"]), flush=True)
        out = ROOT / "eval" / "out"
        out.mkdir(parents=True, exist_ok=True)
        (out / "durability.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
