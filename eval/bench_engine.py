"""The bare engine beside Sổ tay in `make bench` (issue 19 item 5): the same points in a Qdrant Edge
shard written directly — no store, no catalog, no visibility or access filter, no payload read —
and queried the way the engine is fastest: the two sparse vectors prefetched (100 each) and fused by
RRF (limit 40), IDF from the engine's own collection-wide statistics. Every figure of ours at a
size is printed beside this shard's figure on the same machine in the same run, as a ratio.

The shard is left in the state ours is in (optimized when ours is), and probed by a fresh process
the way ours is: open time, resident memory after opening and after the queries, query latency.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PREFETCH, LIMIT, RRF_K = 100, 40, 60


def memory() -> dict[str, float]:
    """This process's resident memory in MB, and its parts: anonymous (heaps: ours and the engine's
    in-RAM indexes), file-backed and shared (the engine's memory-mapped files; on tmpfs they are
    shared memory)."""
    out: dict[str, float] = {}
    try:
        with open("/proc/self/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                    out[key] = round(int(value.split()[0]) / 1024, 1)
    except OSError:
        pass
    return out


class BareShard:
    """A plain Edge shard with the store's sparse vectors (IDF modifier, as the engine documents
    it) and nothing else — but the store's bound on the size of a merged segment, so both hold
    their points in the same segments (and the bare shard's optimize, too, does not index the whole
    shard again each time: at 600k chunks it took 7.5 min and 9.6 GB)."""

    def __init__(self, path: str):
        import qdrant_edge as qe

        from service.store.edge import MAX_SEGMENT_KB
        from service.store.types import SPARSE_VECTORS

        self.qe = qe
        sparse = {n: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf) for n in SPARSE_VECTORS}
        self.shard = qe.EdgeShard.create(path, qe.EdgeConfig(
            sparse_vectors=sparse, optimizers=qe.EdgeOptimizersConfig(max_segment_size=MAX_SEGMENT_KB)))
        self.points = 0

    def add(self, points: list) -> None:
        """StorePoints (as `build_points` makes them), payloads as they are."""
        qe = self.qe
        out = [qe.Point(p.id, {n: qe.SparseVector(list(v.indices), list(v.values))
                               for n, v in p.sparse.items() if v.indices}, p.payload) for p in points]
        self.shard.update(qe.UpdateOperation.upsert_points(out))
        self.points += len(out)

    def optimize(self) -> float:
        t0 = time.perf_counter()
        self.shard.flush()
        self.shard.optimize()
        return round(time.perf_counter() - t0, 1)

    def close(self) -> None:
        self.shard.flush()
        self.shard.close()


def _requests(qe) -> list:
    from eval.queries import QUERIES
    from service.index.sparse import query_vectors
    from service.retrieval.query import parse_question

    reqs = []
    for q in QUERIES:
        pq = parse_question(q)
        pre = [qe.Prefetch(limit=PREFETCH, query=qe.Query.Nearest(qe.SparseVector(list(v.indices), list(v.values)),
                                                                   using=name))
               for name, v in query_vectors(pq.words, pq.folded).items()]
        reqs.append(qe.QueryRequest(limit=LIMIT, prefetches=pre, query=qe.Fusion.Rrf(k=RRF_K), with_payload=False,
                                    with_vector=False))
    return reqs


def probe(path: str, rounds: int) -> dict[str, Any]:
    """In a fresh process: open the shard, then time the queries (the same ~50 as ours)."""
    import qdrant_edge as qe

    from eval.bench import lat

    out: dict[str, Any] = {"rss_start": memory()}
    reqs = _requests(qe)  # the question parser loads here, not in the timings
    t0 = time.perf_counter()
    shard = qe.EdgeShard.load(path)
    out["open_s"] = round(time.perf_counter() - t0, 2)
    out["rss_open"] = memory()
    try:
        shard.query(reqs[0])
        times = []
        for _ in range(max(rounds, 3)):
            for r in reqs:
                t0 = time.perf_counter()
                shard.query(r)
                times.append(time.perf_counter() - t0)
        out["query"] = lat(times)
        out["rss_after"] = memory()
        out["points"] = shard.info().points_count
    finally:
        shard.close()
    return out


def run_probe(path: str, rounds: int, timeout: float = 900) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "eval.bench_engine", path, str(rounds)]
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        return {"error": (p.stderr or p.stdout)[-1500:]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def ratio(ours: float | None, bare: float | None) -> str:
    if not ours or not bare:
        return "–"
    return f"{ours / bare:.1f}×"


if __name__ == "__main__":
    print(json.dumps(probe(sys.argv[1], int(sys.argv[2]))))
