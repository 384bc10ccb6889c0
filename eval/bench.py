"""Benchmarks (issue 2 part 8, issue 19; DESIGN §8). Figures are printed, never asserted.

    python -m eval.bench [--sizes 5k,50k,200k] [--million] [--quick] [--docs 2000] [--profile]
    SOTAY_BENCH_MILLION=1 make bench     # the same as --million: 1M chunks too (hours on this machine)
    SOTAY_PORTS=8720-8729 make bench     # the servers it starts take a port of that range

What it measures, in this order:

a. ingest throughput (characters/s, documents/s) the way `sotay ingest` ingests a folder
   (`KnowledgeBase.ingest_paths`: worker processes, grouped writes) into a data directory on disk:
   the shipped corpus, and a synthetic corpus (`eval.synth`, 2,000 documents by default) read from
   files on disk; a stage breakdown (read, parse = `build_document`, vectors = `build_points`, store
   write = `Store.replace_document`) from a sample of the same files ingested one by one in-process;
   and, on the first `--old-sample` files, the path before issue 19 (one file at a time, each its own
   write) beside the new one in the same run, with the CPU each spent per character (`--ingest-only`
   stops after these).
b. search latency p50/p95 at each size (default 5k, 50k, 200k chunks; `--million` adds 1M):
   `KnowledgeBase.search` (k=10: query parsing + segmentation, the fused store query, the text
   rescoring) and the raw `Store.search` with precomputed query vectors (the retriever's filter and
   limits), beside the bare engine's hybrid query on the same points (eval/bench_engine.py), as
   ratios. ~50 varied queries, a quarter typed without diacritics. The stores are filled with the
   synthetic documents' points, then, past them, with copies under new doc_ids / numbers / dates /
   places (the place names and document numbers are swapped in the texts and in the sparse
   vectors, so copies differ), and optimized as `sotay ingest` leaves them (`--no-optimize`: as
   written). Each size is probed by a fresh process (`--_probe`), as a server would open the store.
c. resident memory of that probe process after opening the store and after the queries (and its
   anonymous / file-backed parts), beside the bare engine's, with the data directory size. Before the
   probe, the store is left as `sotay ingest` leaves it: optimized, its caches kept (keep_caches).
   The memory, start and load figures are printed again at the end beside eval/bench-baseline.json
   (the figures before issue 19 items 3-4; `--baseline` takes an earlier bench.json instead).
d. time from `sotay serve` start (subprocess, free loopback port, pre-ingested data directory, its
   files first dropped from the page cache — a start after a reboot, or on a machine whose other work
   pushed them out; on tmpfs nothing is dropped) to the first successful `POST /api/ask`, and the
   server's CPU by then; on the shipped corpus and, in the full run, on the largest size. The benchmark closes every store it holds on a directory before serving it
   (Edge allows one process per data directory).
e. `answer_question` latency p50/p95 in-process on the shipped corpus.
f. a bounded load test on loopback (`eval.load`): `sotay serve` on the shipped corpus, 32 concurrent
   clients for 60 s (quick: 8 × 10 s) mixing ask, search and obligations; throughput, p50/p95/p99,
   errors, the server's CPU per request (`--profile`: also a py-spy profile of the server under load).

The stores of (b) go to tmpfs when it has room (else disk: 1M chunks needs ~16 GB there).
Results go to stdout (a compact table at the end) and to eval/out/bench.json; the machine's load
average at the start and end is part of them (this machine is shared).
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from eval.queries import QUERIES
from tests.support.serving import free_port

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "eval" / "out"
QUESTIONS = ROOT.parent / "shared" / "eval" / "questions.jsonl"
BASELINE = ROOT / "eval" / "bench-baseline.json"



# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------


def pct(xs: list[float], q: float) -> float:
    """Percentile (linear interpolation), in the units of xs."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    if len(s) == 1:
        return s[0]
    pos = (len(s) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def lat(xs_s: list[float]) -> dict:
    """Latency summary in milliseconds from seconds."""
    ms = [x * 1000 for x in xs_s]
    return {"n": len(ms), "p50_ms": round(pct(ms, 0.5), 2), "p95_ms": round(pct(ms, 0.95), 2),
            "mean_ms": round(statistics.fmean(ms), 2) if ms else None, "max_ms": round(max(ms), 2) if ms else None}


def rss_mb(pid: int | None = None) -> float:
    import psutil

    return round(psutil.Process(pid or os.getpid()).memory_info().rss / 2**20, 1)


def dir_mb(path: str | Path) -> float:
    total = 0
    for dp, _, files in os.walk(path):
        for f in files:
            try:
                total += os.stat(os.path.join(dp, f)).st_blocks * 512  # allocated, not apparent (WAL files are preallocated)
            except OSError:
                pass
    return round(total / 2**20, 1)


def log(msg: str) -> None:
    print(msg, flush=True)


# On the way to a size, both stores are optimized after this many chunks written since they last were:
# an engine's appendable segment keeps its sparse indexes in memory, and its optimize takes more
# while it runs (measured: the builder peaked at 10 GB at 200k chunks, both stores and the pool), so
# 1M in one segment would not fit this 24 GB machine. Below it (the 5k, 50k, 200k steps) nothing changes.
# Each optimize indexes only what was written since: segments are merged only up to
# service.store.edge.MAX_SEGMENT_KB (about this many chunks), in both stores.
OPTIMIZE_EVERY_CHUNKS = 250_000

# Bytes a store of one chunk takes on tmpfs, ours and the bare engine's together (measured: ~5.5 KB
# each at 200k chunks, obligations included), with room to spare.
_TMPFS_PER_CHUNK = 16 * 1024


def bulk_base(largest: int = 200_000) -> tuple[str, str]:
    """Where the stores of (b) go: tmpfs when it has room for the largest size with memory to spare
    (flush = fsync is free there, and the figures are the engine's, not the disk's), else disk."""
    shm = Path("/dev/shm")
    try:
        need = max(4 * 2**30, largest * _TMPFS_PER_CHUNK)
        if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > need \
                and _available_memory() > 2 * need:
            return str(shm), "tmpfs"
    except OSError:
        pass
    return tempfile.gettempdir(), "disk"


def _available_memory() -> int:
    try:
        import psutil

        return psutil.virtual_memory().available
    except Exception:
        return 0


def parse_sizes(s: str) -> list[int]:
    out = []
    for part in s.split(","):
        part = part.strip().lower()
        if not part:
            continue
        mult = {"k": 1000, "m": 1_000_000}.get(part[-1], 1)
        out.append(int(float(part.rstrip("km")) * mult))
    return sorted(set(out))


def environment() -> dict:
    from importlib import metadata

    def ver(pkg: str) -> str | None:
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return None

    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             timeout=5).stdout.strip() or None
    except Exception:
        rev = None
    return {
        "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
        "qdrant_edge_py": ver("qdrant-edge-py"), "underthesea": ver("underthesea"), "commit": rev,
        "loadavg_start": [round(x, 2) for x in os.getloadavg()], "started": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


# --------------------------------------------------------------------------------------------
# (a) ingest
# --------------------------------------------------------------------------------------------


@dataclass
class Built:
    catalog: dict
    points: list  # list[StorePoint]

    @property
    def chunks(self) -> int:
        return sum(1 for p in self.points if p.payload.get("record", "chunk") == "chunk")


def ingest_files(paths: list[Path], store, *, keep: bool) -> tuple[dict, list[Built]]:
    """Read, parse, vectorise and write each file, timing each stage (what ingest_raw does)."""
    from ingest.pipeline import build_document
    from ingest.readers import ReadError, read_path
    from service.index.points import build_points

    t = {"read": 0.0, "parse": 0.0, "vectors": 0.0, "write": 0.0}
    chars = docs = chunks = points = errors = 0
    built: list[Built] = []
    t_all = time.perf_counter()
    for path in paths:
        t0 = time.perf_counter()
        try:
            raw = read_path(path)
        except ReadError:
            errors += 1
            continue
        t1 = time.perf_counter()
        doc = build_document(raw)
        t2 = time.perf_counter()
        catalog, pts = build_points(doc)
        t3 = time.perf_counter()
        store.replace_document(catalog, pts)
        t4 = time.perf_counter()
        t["read"] += t1 - t0
        t["parse"] += t2 - t1
        t["vectors"] += t3 - t2
        t["write"] += t4 - t3
        chars += len(raw.text)
        docs += 1
        chunks += len(doc.chunks)
        points += len(pts)
        if keep:
            built.append(Built(catalog, pts))
    total = time.perf_counter() - t_all
    res = {
        "docs": docs, "errors": errors, "chars": chars, "chunks": chunks, "points": points,
        "seconds": round(total, 2), "chars_per_s": round(chars / total), "docs_per_s": round(docs / total, 2),
        "stages_s": {k: round(v, 2) for k, v in t.items()},
    }
    return res, built


def ingest_folder(folder: Path, data_dir: Path, *, one_by_one: bool = False) -> dict:
    """`sotay ingest FOLDER` in-process (KnowledgeBase.ingest_paths into a data directory on disk):
    wall time from the first file to the last write, characters of the documents stored.
    ``one_by_one``: the path before issue 19 instead (each file read, prepared and written on its
    own in this process: three flushes per document), for the figure beside the new one."""
    from service.config import Settings
    from service.knowledge import KnowledgeBase

    last: list = []
    with KnowledgeBase(Settings(data_dir=data_dir, ingest_workers=1 if one_by_one else None)) as kb:
        t0, cpu0 = time.perf_counter(), time.process_time()
        if one_by_one:
            items, chars = _one_by_one(kb, folder)
        else:
            report = kb.ingest_paths([folder], progress=last.append)
            items, chars = report.items, (last[-1].chars if last else 0)
        dt, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        workers, worker_cpu = kb.last_ingest_workers, kb.last_ingest_worker_cpu_s
    docs = sum(1 for i in items if i.status in ("added", "updated"))
    cpu_total = cpu + worker_cpu
    return {"docs": docs, "errors": sum(1 for i in items if i.status == "error"), "chars": chars,
            "seconds": round(dt, 2), "chars_per_s": round(chars / dt) if dt else 0,
            "docs_per_s": round(docs / dt, 2) if dt else 0, "chunks": sum(i.chunks or 0 for i in items),
            "workers": workers, "store": "disk", "path": "one by one (before)" if one_by_one else "ingest_paths",
            # CPU, less at the mercy of the machine's other users than the wall clock: this process's and
            # the workers' seconds, and what the wall clock would be with every core of its own
            # (the CPU spread over the workers, or over one core for the path without them).
            "cpu_s": {"parent": round(cpu, 2), "workers": round(worker_cpu, 2)},
            "cpu_us_per_char": round(cpu_total / chars * 1e6, 2) if chars else None,
            "chars_per_cpu_s": round(chars / cpu_total) if cpu_total else 0}


def _one_by_one(kb, folder: Path) -> tuple[list, int]:
    """The ingest loop as it was before issue 19: one file at a time, each its own store write."""
    from ingest.readers import iter_sources

    stored = kb._stored_sources()
    items, chars = [], 0
    for path in iter_sources([folder]):
        key = kb._source_key(path)
        if key is not None and key in stored:
            continue
        item, n = kb._ingest_file(path, key, False)
        items.append(item)
        chars += n
    return items, chars


def export_pool(data_dir: Path) -> list[Built]:
    """The stored documents (catalog entries and points with their vectors) to fill the stores of (b)."""
    from service.store import open_store

    pool: list[Built] = []
    with open_store(data_dir=str(data_dir)) as st:
        st.export_documents(lambda d: pool.append(Built(dict(d.catalog), list(d.points))))
    return pool


def warm_up_models() -> float:
    """Load the word segmenter once (it takes seconds) so ingest figures do not include it."""
    from ingest.tokenize import words

    t0 = time.perf_counter()
    words("Ban Thường vụ Tỉnh ủy ban hành Kế hoạch.")
    return round(time.perf_counter() - t0, 2)


# --------------------------------------------------------------------------------------------
# (b) stores of N chunks: synthetic points, then varied copies
# --------------------------------------------------------------------------------------------


class Varier:
    """Copies of built documents under a new doc_id, number, date and place. Place names are
    swapped for one of the same length and numbers for one with as many digits, so every span
    (start/end/sentences) stays valid; the swap is applied to the texts and, token by token, to
    the sparse vectors (words, folded bigrams; folded syllables are added)."""

    def __init__(self, seed: int, used_doc_ids: set[str]):
        from eval.synth import PROVINCES

        self.r = random.Random(seed)
        self.used = used_doc_ids
        places = set(PROVINCES) | {d for ds in PROVINCES.values() for d in ds}
        self.by_len: dict[int, list[str]] = {}
        for p in sorted(places):
            self.by_len.setdefault(len(p), []).append(p)
        self._tok: dict[str, tuple[list[int], list[int], list[int]]] = {}

    def ids(self, s: str) -> tuple[list[int], list[int], list[int]]:
        """Token ids of a phrase: bm25 words, folded multi-syllable terms, folded syllables."""
        if s not in self._tok:
            from ingest.tokenize import folded_terms, syllables, words
            from service.index.sparse import token_id

            sylls = syllables(s)
            multi = [t for t in folded_terms(s) if "_" in t] + [t for t in sylls if "-" in t or "/" in t]
            self._tok[s] = ([token_id(t) for t in words(s)], [token_id(t) for t in multi],
                            [token_id(t) for t in sylls if "-" not in t and "/" not in t])
        return self._tok[s]

    @staticmethod
    def _swap(vec, old: list[int], new: list[int], add: list[int] = ()):
        from service.store import SparseVec

        m = dict(zip(vec.indices, vec.values))
        removed = [m.pop(i) for i in old if i in m]
        if not removed:
            return vec
        v = max(removed)
        for i in list(new) + list(add):
            m[i] = max(m.get(i, 0.0), v)
        idx = sorted(m)
        return SparseVec(idx, [m[i] for i in idx])

    def variant(self, b: Built, k: int) -> Built:
        from ingest.pipeline import make_doc_id
        from service.index.points import point_id
        from service.store import StorePoint

        cat = b.catalog
        old_place = cat.get("place") or ""
        same = [p for p in self.by_len.get(len(old_place), []) if p != old_place]
        new_place = self.r.choice(same) if same and old_place else old_place
        old_num = cat.get("number") or ""
        m = re.match(r"^(\d+)(-.*)$", old_num)
        while True:
            if m:
                digits = len(m.group(1))
                new_num = f"{self.r.randint(10 ** (digits - 1), 10 ** digits - 1)}{m.group(2)}"
            else:
                new_num = old_num
            issued = date(2019, 1, 1) + timedelta(days=self.r.randrange(2500))
            doc_id = make_doc_id(new_num or None, issued, f"copy{k}-{cat.get('source')}")
            if doc_id not in self.used:
                self.used.add(doc_id)
                break
        version = hashlib.sha256(f"{cat['version']}|{doc_id}".encode()).hexdigest()[:32]

        def sub(s):
            if not isinstance(s, str):
                return s
            if old_place and new_place != old_place:
                s = s.replace(old_place, new_place).replace(old_place.upper(), new_place.upper())
            if old_num and new_num != old_num:
                s = s.replace(old_num, new_num)
            return s

        new_cat = dict(cat)
        new_cat.update(doc_id=doc_id, version=version, number=new_num or cat.get("number"), issued=issued.isoformat(),
                       place=new_place or cat.get("place"), title=sub(cat.get("title")), text=sub(cat.get("text")),
                       issuer=sub(cat.get("issuer")), source=f"copy{k}-{cat.get('source')}")
        op_w, op_m, _ = self.ids(old_place) if old_place else ([], [], [])
        np_w, np_m, np_s = self.ids(new_place) if new_place else ([], [], [])
        on_w, on_m, _ = self.ids(old_num) if old_num else ([], [], [])
        nn_w, nn_m, _ = self.ids(new_num) if new_num else ([], [], [])
        # The bare number ("243") is also a bm25 token of "243-KH/TU"; it is in both id lists.
        pts = []
        for p in b.points:
            pl = dict(p.payload)
            rec = pl.get("record", "chunk")
            pos = pl.get("position", len(pts))
            for key in ("text", "context", "doc_title", "quote", "section_title"):
                if key in pl:
                    pl[key] = sub(pl[key])
            pl.update(doc_id=doc_id, version=version, doc_number=new_cat["number"], issued=new_cat["issued"])
            if "chunk_id" in pl:
                pl["chunk_id"] = f"{doc_id}:{pos}"
            sparse = dict(p.sparse)
            if "bm25" in sparse:
                v = sparse["bm25"]
                if new_place != old_place:
                    v = self._swap(v, op_w, np_w)
                if new_num != old_num:
                    v = self._swap(v, on_w, nn_w)
                sparse["bm25"] = v
            if "bm25_folded" in sparse:
                v = sparse["bm25_folded"]
                if new_place != old_place:
                    v = self._swap(v, op_m, np_m, np_s)
                if new_num != old_num:
                    v = self._swap(v, on_m, nn_m)
                sparse["bm25_folded"] = v
            n = len(pts)
            pts.append(StorePoint(point_id(doc_id, rec, n, version), pl, sparse, p.dense))
        return Built(new_cat, pts)


def keep_caches(data_dir: str) -> float | None:
    """What `sotay ingest` does last (KnowledgeBase.keep_caches: the term statistics and the documents'
    metadata kept beside the store), so the probes open the store as it leaves it. Seconds."""
    from service.config import Settings
    from service.knowledge import KnowledgeBase

    kb = KnowledgeBase(Settings(data_dir=Path(data_dir)))
    try:
        if not hasattr(kb, "keep_caches"):  # an older Sổ tay, benchmarked for comparison
            return None
        t0 = time.perf_counter()
        kb.keep_caches()
        return round(time.perf_counter() - t0, 1)
    finally:
        kb.close()


def build_sizes(pool: list[Built], sizes: list[int], data_dir: str, bare_dir: str, seed: int, on_size, *,
                optimize: bool = True) -> list[dict]:
    """Fill our store, and a bare engine shard with the same points, up to each size in turn
    (original documents first, then copies), optimize both when asked (as `sotay ingest` does after
    a large batch), and call on_size(size, info) with both closed."""
    import qdrant_edge as qe

    from eval.bench_engine import BareShard
    from service.store import open_store

    used = {b.catalog["doc_id"] for b in pool}
    varier = Varier(seed, used)
    rows = []
    store = open_store(data_dir=data_dir)
    bare = BareShard(bare_dir)
    chunks = docs = points = 0
    i = 0
    write_s = 0.0
    group: list[Built] = []

    def flush_group() -> None:
        nonlocal write_s
        tw = time.perf_counter()
        if hasattr(store, "replace_documents"):
            store.replace_documents([(b.catalog, b.points) for b in group])
        else:
            for b in group:
                store.replace_document(b.catalog, b.points)
        write_s += time.perf_counter() - tw
        for b in group:
            bare.add(b.points)
        group.clear()

    indexed_at = 0  # chunks written when both were last optimized
    between_s = 0.0
    try:
        for size in sizes:
            t0 = time.perf_counter()
            while chunks < size:
                src = pool[i % len(pool)]
                b = src if i < len(pool) else varier.variant(src, i // len(pool))
                group.append(b)
                chunks += b.chunks
                points += len(b.points)
                docs += 1
                i += 1
                if len(group) >= 32:
                    flush_group()
                    if optimize and hasattr(store, "optimize") and chunks - indexed_at >= OPTIMIZE_EVERY_CHUNKS:
                        t1 = time.perf_counter()
                        store.optimize()
                        bare.optimize()
                        between_s += time.perf_counter() - t1
                        indexed_at = chunks
            flush_group()
            build_s = time.perf_counter() - t0
            info = {"size": size, "chunks": chunks, "points": points, "docs": docs,
                    "distinct_docs": min(i, len(pool)), "build_s": round(build_s, 1),
                    "write_points_per_s": round(points / write_s) if write_s else None}
            if optimize and hasattr(store, "optimize"):
                t1 = time.perf_counter()
                store.optimize()
                info["optimize_s"] = round(time.perf_counter() - t1, 1)
                info["bare_optimize_s"] = bare.optimize()
                info["optimize_between_s"] = round(between_s, 1)  # both, on the way to this size
                indexed_at, between_s = chunks, 0.0
            store.close()
            bare.close()
            gc.collect()
            info["caches_s"] = keep_caches(data_dir)
            info["data_mb"], info["bare_data_mb"] = dir_mb(data_dir), dir_mb(bare_dir)
            log(f"  store of {chunks:,} chunks ({docs:,} documents, {info['distinct_docs']:,} distinct) built in "
                f"{build_s:.1f}s" + (f", optimized in {info['optimize_s']}s (bare {info['bare_optimize_s']}s)"
                                     if "optimize_s" in info else "") +
                f"; {info['data_mb']} MB (bare engine {info['bare_data_mb']} MB); caches kept in {info['caches_s']}s")
            info.update(on_size(size, info) or {})
            rows.append(info)
            store = open_store(data_dir=data_dir)
            bare.shard, bare.qe = qe.EdgeShard.load(bare_dir), qe
    finally:
        store.close()
        if bare.shard is not None:
            bare.shard.close()
    return rows


# --------------------------------------------------------------------------------------------
# the probe: a fresh process opens a store and searches it
# --------------------------------------------------------------------------------------------


def probe(data_dir: str, rounds: int, profile: str | None) -> dict:
    """Run in a child process: open, warm up, time KnowledgeBase.search and Store.search."""
    from service.config import Settings
    from service.knowledge import KnowledgeBase
    from service.retrieval.query import parse_question
    from service.index.sparse import query_vectors
    from service.store import StoreFilter

    from eval.bench_engine import memory

    out: dict[str, Any] = {"rss_start_mb": rss_mb()}
    t0 = time.perf_counter()
    out["segmenter_load_s"] = warm_up_models()
    t0 = time.perf_counter()
    kb = KnowledgeBase(Settings(data_dir=Path(data_dir)))
    out["open_s"] = round(time.perf_counter() - t0, 2)
    out["rss_open_mb"] = rss_mb()
    out["rss_open"] = memory()
    try:
        st = kb.store.stats()
        out["chunks"], out["documents"] = st["chunks"], st["documents"]
        t0 = time.perf_counter()
        kb.search("kế hoạch học tập", k=10)  # term statistics (a catalog scan) load on the first query
        out["first_search_s"] = round(time.perf_counter() - t0, 3)

        # KnowledgeBase.search; the first pass sees each query for the first time
        named = {q for q in QUERIES if parse_question(q).named}  # "Kết luận 14", "222-KH/TU", …
        first, rest, empty = [], [], 0
        by_q: dict[str, list[float]] = {q: [] for q in QUERIES}
        for r in range(rounds):
            for q in QUERIES:
                t0 = time.perf_counter()
                hits = kb.search(q, k=10)
                dt = time.perf_counter() - t0
                (first if r == 0 else rest).append(dt)
                by_q[q].append(dt)
                if r == 0 and not hits:
                    empty += 1
        out["kb_search"] = lat(first + rest)
        out["kb_search_first_pass"] = lat(first)
        out["kb_search_naming_a_document"] = lat([t for q in named for t in by_q[q]])
        out["kb_search_other"] = lat([t for q in QUERIES if q not in named for t in by_q[q]])
        out["kb_slowest"] = [[q, round(statistics.fmean(ts) * 1000, 1)]
                             for q, ts in sorted(by_q.items(), key=lambda kv: -statistics.fmean(kv[1]))[:5]]
        out["kb_empty_results"] = empty

        # where the KnowledgeBase.search time goes (one pass, same steps as Retriever.search)
        flt = StoreFilter(access=["public"])
        ret = kb.retriever
        parse_t, store_t, rescore_t = [], [], []
        for q in QUERIES:
            t0 = time.perf_counter()
            lk = ret.lookup(parse_question(q), ["public"])
            t1 = time.perf_counter()
            hits = ret.candidates(lk, lk.filter(), 40)
            t2 = time.perf_counter()
            ret.rescore(lk, hits)
            t3 = time.perf_counter()
            parse_t.append(t1 - t0)
            store_t.append(t2 - t1)
            rescore_t.append(t3 - t2)
        out["kb_breakdown_mean_ms"] = {"parse": round(statistics.fmean(parse_t) * 1000, 2),
                                       "store": round(statistics.fmean(store_t) * 1000, 2),
                                       "rescore": round(statistics.fmean(rescore_t) * 1000, 2)}

        # raw Store.search: precomputed vectors, the retriever's filter and limits
        vecs = [query_vectors(pq.words, pq.folded) for pq in map(parse_question, QUERIES)]
        raw = []
        for _ in range(max(rounds, 3)):
            for v in vecs:
                t0 = time.perf_counter()
                kb.store.search(sparse=v, dense=None, flt=flt, limit=40, prefetch_limit=100)
                raw.append(time.perf_counter() - t0)
        out["store_search"] = lat(raw)

        if profile:
            try:
                from pyinstrument import Profiler
            except ImportError:
                out["profile"] = "pyinstrument is not installed"
            else:
                p = Profiler(interval=0.0005)
                p.start()
                for _ in range(3):
                    for q in QUERIES:
                        kb.search(q, k=10)
                p.stop()
                Path(profile).write_text(p.output_text(unicode=True, color=False), "utf-8")
                out["profile"] = profile
        out["rss_after_mb"] = rss_mb()
        out["rss_after"] = memory()
        try:
            import resource

            out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        except Exception:
            pass
    finally:
        kb.close()
    return out


def run_bare_probe(path: str, rounds: int) -> dict:
    from eval.bench_engine import run_probe as bare_probe

    return bare_probe(path, rounds)


def run_probe(data_dir: str, rounds: int, profile: str | None = None, timeout: float = 900) -> dict:
    cmd = [sys.executable, "-m", "eval.bench", "--_probe", data_dir, "--_rounds", str(rounds)]
    if profile:
        cmd += ["--_profile", profile]
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        return {"error": (p.stderr or p.stdout)[-1500:]}
    res = json.loads(p.stdout.strip().splitlines()[-1])
    res["probe_wall_s"] = round(time.perf_counter() - t0, 1)
    return res


# --------------------------------------------------------------------------------------------
# (d) sotay serve → first answer; (e) ask latency
# --------------------------------------------------------------------------------------------


def drop_cached(data_dir: str) -> int:
    """Drop the data directory's files from the page cache (as after a reboot, or when other work
    pushed them out): a start then reads the store from the disk. Nothing on tmpfs, whose pages are the
    files. The files dropped."""
    n = 0
    for root, _, names in os.walk(data_dir):
        for name in names:
            try:
                fd = os.open(os.path.join(root, name), os.O_RDONLY)
            except OSError:
                continue
            try:
                os.fsync(fd)  # written pages are dropped only once on the disk
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                n += 1
            except (OSError, AttributeError):
                pass
            finally:
                os.close(fd)
    return n


def serve_to_first_answer(data_dir: str, timeout: float = 300, cold: bool = True) -> dict:
    """`sotay serve` → the first answer, asked as soon as it listens; the server's CPU by then. `cold`:
    the store's files dropped from the page cache first (drop_cached)."""
    import httpx
    import psutil

    port = free_port()
    exe = Path(sys.executable).parent / "sotay"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "service.cli"]
    cmd += ["serve", "--host", "127.0.0.1", "--port", str(port)]
    env = dict(os.environ, SOTAY_DATA_DIR=data_dir)
    env.pop("SOTAY_QDRANT_URL", None)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    logf = tempfile.TemporaryFile(mode="w+")
    url = f"http://127.0.0.1:{port}/api/ask"
    body = {"question": "Hạn hoàn thành xây dựng kế hoạch cá nhân là khi nào?"}
    res: dict[str, Any] = {"port": port}
    if cold:
        res["dropped_files"] = drop_cached(data_dir)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=logf, stderr=subprocess.STDOUT)
    try:
        with httpx.Client(timeout=60) as client:
            attempts = 0
            while True:
                if proc.poll() is not None:
                    logf.seek(0)
                    res["error"] = f"sotay serve exited with {proc.returncode}: " + logf.read()[-1500:]
                    return res
                if time.perf_counter() - t0 > timeout:
                    res["error"] = f"no answer within {timeout:.0f}s"
                    return res
                attempts += 1
                try:
                    r = client.post(url, json=body)
                except httpx.TransportError:
                    time.sleep(0.05)
                    continue
                if r.status_code == 200:
                    res["first_answer_s"] = round(time.perf_counter() - t0, 2)
                    cpu = psutil.Process(proc.pid).cpu_times()
                    res["cpu_s"] = round(cpu.user + cpu.system, 2)
                    res["answer_kind"] = (r.json() or {}).get("kind")
                    break
                res.setdefault("non_200", []).append(r.status_code)
                time.sleep(0.1)
            res["attempts"] = attempts
            t1 = time.perf_counter()
            client.post(url, json={"question": "trách nhiệm nêu gương của người đứng đầu"})
            res["second_answer_ms"] = round((time.perf_counter() - t1) * 1000, 1)
            res["server_rss_mb"] = rss_mb(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        logf.close()
    return res


def ask_latency(data_dir: str, rounds: int) -> dict:
    from service.answers import answer_question
    from service.config import Settings
    from service.knowledge import KnowledgeBase

    qs: list[str] = []
    if QUESTIONS.exists():
        qs = [json.loads(line)["question"] for line in QUESTIONS.read_text("utf-8").splitlines() if line.strip()]
    qs = qs or QUERIES[:25]
    kb = KnowledgeBase(Settings(data_dir=Path(data_dir)))
    try:
        answer_question(kb, "kế hoạch học tập")  # warm up
        first, rest, kinds = [], [], {}
        for r in range(rounds):
            for q in qs:
                t0 = time.perf_counter()
                a = answer_question(kb, q)
                (first if r == 0 else rest).append(time.perf_counter() - t0)
                if r == 0:
                    kinds[a.get("kind")] = kinds.get(a.get("kind"), 0) + 1
    finally:
        kb.close()
    return {"questions": len(qs), "all": lat(first + rest), "first_pass": lat(first), "kinds": kinds}


def load_test(data_dir: str, clients: int, duration: float, profile: bool) -> dict:
    """(f) eval.load against `sotay serve` on `data_dir` (its store must be closed here)."""
    from eval import load

    prof = OUT / "load-profile.txt" if profile else None
    if prof:
        OUT.mkdir(parents=True, exist_ok=True)
    log(f"(f) load test: {clients} clients × {duration:g} s on loopback …")
    try:
        res = load.run(clients=clients, duration=duration, data_dir=data_dir, profile=prof)
    except Exception as e:  # the other figures still get written
        log(f"(f) load test FAILED: {e}")
        return {"error": str(e)[-1500:]}
    log(load.report(res))
    return res


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default=None, help="chunk counts, e.g. 5000,50000,200000 (or 5k,50k,200k,1m)")
    ap.add_argument("--million", action="store_true", help="add 1M chunks (a province's whole archive) to the sizes")
    ap.add_argument("--quick", action="store_true", help="5k chunks only, a small synthetic corpus (< 2 min)")
    ap.add_argument("--docs", type=int, default=None, help="synthetic documents (default 2000; --quick 120)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=None, help="passes over the queries per size (default 3; quick 2)")
    ap.add_argument("--stage-sample", type=int, default=None,
                    help="synthetic documents ingested one by one for the stage breakdown (default 100; quick 30)")
    ap.add_argument("--old-sample", type=int, default=None,
                    help="synthetic documents ingested both the way before issue 19 (one by one) and the new way, "
                         "for the figure beside (default 400; quick 60; 0: skip)")
    ap.add_argument("--ingest-only", action="store_true", help="stop after the ingest figures (a)")
    ap.add_argument("--no-serve", action="store_true")
    ap.add_argument("--no-optimize", action="store_true",
                    help="search the stores of (b) as written, without the optimize `sotay ingest` runs after a large batch")
    ap.add_argument("--no-load", action="store_true", help="skip the load test (f)")
    ap.add_argument("--load-clients", type=int, default=None, help="load test clients (default 32; quick 8)")
    ap.add_argument("--load-duration", type=float, default=None, help="load test seconds (default 60; quick 10)")
    ap.add_argument("--profile", action="store_true",
                    help="pyinstrument profile of search at the largest size; py-spy profile of the server under load")
    ap.add_argument("--keep", default=None, metavar="DIR",
                    help="move the largest size's stores (ours and the bare shard) into DIR instead of deleting "
                         "them, to probe or profile them again (python -m eval.bench --_probe DIR/scale-data)")
    ap.add_argument("--out", default=str(OUT / "bench.json"))
    ap.add_argument("--baseline", default=str(BASELINE),
                    help="figures printed beside the new ones: eval/bench-baseline.json, or an earlier bench.json")
    ap.add_argument("--_probe", help=argparse.SUPPRESS)
    ap.add_argument("--_rounds", type=int, default=3, help=argparse.SUPPRESS)
    ap.add_argument("--_profile", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._probe:
        print(json.dumps(probe(args._probe, args._rounds, args._profile)))
        return 0

    quick = args.quick
    sizes = parse_sizes(args.sizes) if args.sizes else ([5000] if quick else [5000, 50000, 200000])
    if args.million or os.environ.get("SOTAY_BENCH_MILLION", "").strip() not in ("", "0"):
        sizes = sorted(set(sizes) | {1_000_000})
    n_docs = args.docs or (120 if quick else 2000)
    rounds = args.rounds or (2 if quick else 3)
    stage_sample = args.stage_sample if args.stage_sample is not None else (30 if quick else 100)
    T0 = time.perf_counter()
    results: dict[str, Any] = {"env": environment(), "params": {
        "quick": quick, "sizes": sizes, "synthetic_docs": n_docs, "seed": args.seed, "rounds": rounds,
        "queries": len(QUERIES), "queries_without_diacritics": sum(1 for q in QUERIES if q == _fold(q))}}
    base, base_kind = bulk_base(max(sizes))
    results["params"]["bulk_store"] = f"{base} ({base_kind})"
    log(f"Sổ tay benchmarks — {results['env']['cpus']} CPUs, load {results['env']['loadavg_start']}, "
        f"qdrant-edge-py {results['env']['qdrant_edge_py']}, sizes {sizes}, {n_docs} synthetic documents")

    from service.store import open_store

    work = Path(tempfile.mkdtemp(prefix="sotay-bench-"))  # on disk
    bulk = Path(tempfile.mkdtemp(prefix="sotay-bench-", dir=base))
    try:
        results["segmenter_load_s"] = warm_up_models()
        log(f"word segmenter loaded in {results['segmenter_load_s']}s (not counted below)")

        # (a) shipped corpus, on disk, the `sotay ingest` path
        corpus_dir = str(work / "corpus-data")
        res = ingest_folder(ROOT / "corpus", Path(corpus_dir))
        results["ingest_corpus"] = res
        log(f"(a) corpus: {res['docs']} docs, {res['chars']:,} chars in {res['seconds']}s → "
            f"{res['chars_per_s']:,} chars/s, {res['docs_per_s']} docs/s")

        # (a) synthetic corpus: files on disk, ingested into a data directory on disk the way `sotay
        # ingest` does it (KnowledgeBase.ingest_paths: worker processes, grouped writes); the stage
        # breakdown comes from a sequential in-process sample of the same files.
        from eval import synth

        t0 = time.perf_counter()
        files = synth.write(work / "synthetic", n_docs, args.seed)
        log(f"    synthetic corpus: {n_docs} files written in {time.perf_counter() - t0:.1f}s")
        sample = files[: min(stage_sample, len(files))]
        with open_store(data_dir=str(bulk / "stage-sample")) as st:
            stages, _ = ingest_files(sample, st, keep=False)
        shutil.rmtree(bulk / "stage-sample", ignore_errors=True)
        stages["store"] = base_kind
        results["ingest_stages"] = stages
        log(f"(a) stages, {stages['docs']} synthetic docs one by one in-process (store on {base_kind}): "
            f"{stages['chars_per_s']:,} chars/s; seconds {stages['stages_s']}")
        old_sample = args.old_sample if args.old_sample is not None else (60 if quick else 400)
        if old_sample:
            # Before and now on the same files, one after the other in this run (the machine is shared).
            part = work / "synthetic-sample"
            part.mkdir()
            for f in files[:old_sample]:
                shutil.copy(f, part / f.name)
            before = ingest_folder(part, work / "sample-before", one_by_one=True)
            now = ingest_folder(part, work / "sample-now")
            for d in ("sample-before", "sample-now"):
                shutil.rmtree(work / d, ignore_errors=True)
            results["ingest_sample"] = {"before": before, "now": now,
                                        "speedup": round(now["chars_per_s"] / before["chars_per_s"], 2)
                                        if before["chars_per_s"] else None}
            log(f"(a) sample of {old_sample} synthetic docs, store on disk: before (one by one) "
                f"{before['chars_per_s']:,} chars/s, now {now['chars_per_s']:,} chars/s ({now['workers']} workers) → "
                f"×{results['ingest_sample']['speedup']}")
        res = ingest_folder(work / "synthetic", work / "synthetic-data")
        results["ingest_synthetic"] = res
        log(f"(a) synthetic: {res['docs']} docs, {res['chars']:,} chars in {res['seconds']}s → {res['chars_per_s']:,} "
            f"chars/s, {res['docs_per_s']} docs/s (`sotay ingest` path, store on disk, {res['workers']} workers; "
            f"{res['cpu_us_per_char']} µs CPU per character, load {[round(x, 1) for x in os.getloadavg()]})")
        if args.ingest_only:
            return _finish(results, args.out, T0, args.baseline)
        pool = export_pool(work / "synthetic-data")
        shutil.rmtree(work / "synthetic-data", ignore_errors=True)

        # (e) ask latency on the corpus, then (d) serve it (the in-process store is closed first)
        results["ask_corpus"] = ask_latency(corpus_dir, rounds)
        a = results["ask_corpus"]
        log(f"(e) ask (in-process, corpus, {a['questions']} questions × {rounds}): p50 {a['all']['p50_ms']} ms, "
            f"p95 {a['all']['p95_ms']} ms (first pass p50 {a['first_pass']['p50_ms']} / p95 {a['first_pass']['p95_ms']})")
        if not args.no_serve:
            results["serve_corpus"] = serve_to_first_answer(corpus_dir)
            s = results["serve_corpus"]
            log("(d) sotay serve → first answer (corpus): " + (f"{s['first_answer_s']}s (server CPU {s.get('cpu_s')}s), RSS {s.get('server_rss_mb')} MB"
                                                              if "first_answer_s" in s else f"FAILED {s.get('error')}"))
        if not args.no_load:
            results["load"] = load_test(corpus_dir, args.load_clients or (8 if quick else 32),
                                        args.load_duration or (10.0 if quick else 60.0), args.profile)

        # (b, c) search latency and memory per size
        scale_dir = str(bulk / "scale-data")
        bare_dir = str(bulk / "bare-shard")
        largest = max(sizes)

        def on_size(size: int, info: dict) -> dict:
            prof = str(OUT / f"profile-search-{size}.txt") if args.profile and size == largest else None
            if prof:
                OUT.mkdir(parents=True, exist_ok=True)
            r = run_probe(scale_dir, rounds, prof)
            bare = run_bare_probe(bare_dir, rounds)
            if "error" in bare:
                log(f"    bare engine probe FAILED: {bare['error']}")
            else:
                log(f"(b)     bare engine: query p50 {bare['query']['p50_ms']} ms p95 {bare['query']['p95_ms']} ms; RSS after "
                    f"open {bare['rss_open'].get('VmRSS')} MB, after queries {bare['rss_after'].get('VmRSS')} MB; open "
                    f"{bare['open_s']}s")
            if "error" in r:
                log(f"    probe FAILED: {r['error']}")
            else:
                log(f"(b) {r['chunks']:,} chunks: KnowledgeBase.search p50 {r['kb_search']['p50_ms']} ms p95 "
                    f"{r['kb_search']['p95_ms']} ms (p95 without document-number queries "
                    f"{r['kb_search_other']['p95_ms']} ms); Store.search p50 {r['store_search']['p50_ms']} ms p95 "
                    f"{r['store_search']['p95_ms']} ms; breakdown {r['kb_breakdown_mean_ms']}")
                log(f"(c)     RSS after open {r['rss_open_mb']} MB, after queries {r['rss_after_mb']} MB; open "
                    f"{r['open_s']}s, first search {r['first_search_s']}s")
            return {"probe": r, "bare": bare}

        results["search"] = build_sizes(pool, sizes, scale_dir, bare_dir, args.seed, on_size,
                                        optimize=not args.no_optimize)
        del pool
        gc.collect()
        if not args.no_serve and not quick:
            results["serve_largest"] = serve_to_first_answer(scale_dir)
            results["serve_largest"]["chunks"] = results["search"][-1]["chunks"]
            s = results["serve_largest"]
            log(f"(d) sotay serve → first answer ({s['chunks']:,} chunks): " +
                (f"{s['first_answer_s']}s (server CPU {s.get('cpu_s')}s), RSS {s.get('server_rss_mb')} MB" if "first_answer_s" in s
                 else f"FAILED {s.get('error')}"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if args.keep:
            keep = Path(args.keep)
            keep.mkdir(parents=True, exist_ok=True)
            for name in ("scale-data", "bare-shard"):
                if (bulk / name).exists():
                    shutil.move(str(bulk / name), str(keep / name))
            log(f"stores kept in {keep}")
        shutil.rmtree(bulk, ignore_errors=True)

    return _finish(results, args.out, T0, args.baseline)


def _finish(results: dict, out_path: str, t0: float, baseline: str | None) -> int:
    results["total_s"] = round(time.perf_counter() - t0, 1)
    results["env"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    results["env"]["commit_end"] = environment()["commit"]  # others may commit while a long run goes on
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), "utf-8")
    print_table(results)
    print_beside(results, load_baseline(baseline))
    log(f"\nwritten {out} — total {results['total_s']}s")
    return 0


def _fold(s: str) -> str:
    from ingest.normalize import fold

    return fold(s)


def print_table(r: dict) -> None:
    from eval.bench_engine import ratio

    line = "-" * 100
    print("\n" + line)
    e = r["env"]
    commit = e.get("commit") if e.get("commit") == e.get("commit_end") else f"{e.get('commit')}→{e.get('commit_end')}"
    print(f"Sổ tay benchmark  {e['started']}  commit {commit}  Python {e['python']}  {e['cpus']} CPUs  "
          f"qdrant-edge-py {e['qdrant_edge_py']}  load {e['loadavg_start']} → {e.get('loadavg_end')}")
    print(line)
    print(f"{'ingest (the `sotay ingest` path)':36} {'docs':>6} {'chars':>11} {'s':>7} {'chars/s':>9} {'docs/s':>7} {'workers':>7}")
    for key, label in (("ingest_corpus", "shipped corpus, store on disk"), ("ingest_synthetic", "synthetic, store on disk")):
        x = r.get(key)
        if x:
            print(f"{label:36} {x['docs']:>6} {x['chars']:>11,} {x['seconds']:>7} {x['chars_per_s']:>9,} "
                  f"{x['docs_per_s']:>7} {x.get('workers', 1):>7}")
    x = r.get("ingest_synthetic")
    if x and x.get("cpu_us_per_char"):
        # The wall clock is at the mercy of the machine's other users; the CPU spent is less so.
        print(f"  synthetic: CPU µs per character {x['cpu_us_per_char']} (parent {x['cpu_s']['parent']} s + workers "
              f"{x['cpu_s']['workers']} s): {x['chars_per_cpu_s'] * e['cpus']:,} chars/s at most on {e['cpus']} idle cores")
    sm = r.get("ingest_sample")
    if sm:
        for label, x in (("sample, before (one by one)", sm["before"]), ("sample, now", sm["now"])):
            print(f"{label:36} {x['docs']:>6} {x['chars']:>11,} {x['seconds']:>7} {x['chars_per_s']:>9,} "
                  f"{x['docs_per_s']:>7} {x.get('workers', 1):>7}")
        print(f"  now / before on the same files in this run: ×{sm['speedup']}; CPU µs per character: before "
              f"{sm['before']['cpu_us_per_char']}, now {sm['now']['cpu_us_per_char']} (parent "
              f"{sm['now']['cpu_s']['parent']} s + workers {sm['now']['cpu_s']['workers']} s)")
    st = r.get("ingest_stages")
    if st:
        t = st["stages_s"]
        print(f"  stages, {st['docs']} of the synthetic documents one by one in one process: {st['chars_per_s']:,} chars/s; "
              f"read {t['read']} s, parse {t['parse']} s, vectors {t['vectors']} s, write {t['write']} s")
    print(line)
    print("search (k=10) and memory, ours beside the bare engine (same points, same machine, same run)")
    print(f"{'chunks':>10} {'KB p50':>7} {'KB p95':>7} {'Store p95':>9} {'bare p50':>8} {'bare p95':>8} {'KB/bare':>7} "
          f"{'Store/bare':>10} {'RSS MB':>7} {'bare RSS':>8} {'RSS/bare':>8} {'open s':>6} {'bare':>5} {'1st q s':>7} "
          f"{'parse/store/rescore':>19}")
    for row in r.get("search", []):
        p, bare = row.get("probe", {}), row.get("bare", {})
        if "error" in p:
            print(f"{row['chunks']:>10,} probe failed")
            continue
        b = p["kb_breakdown_mean_ms"]
        bq = bare.get("query", {})
        bare_rss = (bare.get("rss_after") or {}).get("VmRSS")
        print(f"{row['chunks']:>10,} {p['kb_search']['p50_ms']:>7} {p['kb_search']['p95_ms']:>7} "
              f"{p['store_search']['p95_ms']:>9} {bq.get('p50_ms', '–'):>8} {bq.get('p95_ms', '–'):>8} "
              f"{ratio(p['kb_search']['p95_ms'], bq.get('p95_ms')):>7} {ratio(p['store_search']['p95_ms'], bq.get('p95_ms')):>10} "
              f"{p['rss_after_mb']:>7} {bare_rss or '–':>8} {ratio(p['rss_after_mb'], bare_rss):>8} {p['open_s']:>6} "
              f"{bare.get('open_s', '–'):>5} {p['first_search_s']:>7} "
              f"{str(b['parse']) + '/' + str(b['store']) + '/' + str(b['rescore']):>19}")
    print("  (ms. KB = KnowledgeBase.search: question parsing, the store query, rescoring; Store = Store.search with\n"
          "   precomputed vectors, the retriever's filter and limits; bare = the engine alone: hybrid RRF of the two\n"
          "   sparse vectors, no filter, no payload (eval/bench_engine.py); ratios of p95 and of RSS; RSS = a fresh\n"
          "   process after the queries; open = opening the store (KnowledgeBase) or the shard; 1st q = first search)")
    print(line)
    a = r.get("ask_corpus")
    if a:
        print(f"ask, in-process, shipped corpus: p50 {a['all']['p50_ms']} ms  p95 {a['all']['p95_ms']} ms  "
              f"(first pass p50 {a['first_pass']['p50_ms']} / p95 {a['first_pass']['p95_ms']}; {a['questions']} questions; "
              f"kinds {a['kinds']})")
    ld = r.get("load")
    if ld and "error" not in ld:
        p = ld["params"]
        print(f"load, {p['clients']} clients × {p['duration_s']:g} s (ask/search/obligations over HTTP, shipped corpus): "
              f"{ld['throughput_rps']} req/s, p50 {ld['all']['p50_ms']} / p95 {ld['all']['p95_ms']} / "
              f"p99 {ld['all']['p99_ms']} ms, errors {ld['errors']}, server CPU {ld.get('server_cpu_ms_per_request')} ms "
              f"per request")
    elif ld:
        print(f"load: FAILED ({ld['error'][:200]})")
    for key, label in (("serve_corpus", "shipped corpus"), ("serve_largest", "largest store")):
        s = r.get(key)
        if not s:
            continue
        if "first_answer_s" in s:
            extra = f" ({s['chunks']:,} chunks)" if "chunks" in s else ""
            print(f"sotay serve → first answer, {label}{extra}: {s['first_answer_s']} s, server CPU {s.get('cpu_s')} s "
                  f"(next ask {s.get('second_answer_ms')} ms, server RSS {s.get('server_rss_mb')} MB)")
        else:
            print(f"sotay serve → first answer, {label}: FAILED ({(s.get('error') or '')[:200]})")
    print(line)


def load_baseline(path: str | None) -> dict:
    """Earlier figures in the shape of eval/bench-baseline.json: that file, or drawn from a bench.json."""
    try:
        raw = json.loads(Path(path).read_text("utf-8")) if path else {}
    except (OSError, ValueError):
        return {}
    if "rss_after_mb" in raw:
        return raw
    out: dict[str, Any] = {"commit": (raw.get("env") or {}).get("commit"), "rss_after_mb": {}, "open_s": {},
                           "first_answer_s": {}, "load": {}}
    for row in raw.get("search") or []:
        p = row.get("probe") or {}
        if "rss_after_mb" in p:
            out["rss_after_mb"][str(row["size"])] = p["rss_after_mb"]
            out["open_s"][str(row["size"])] = p.get("open_s")
    if "first_answer_s" in (raw.get("serve_largest") or {}):
        out["first_answer_s"]["largest"] = raw["serve_largest"]["first_answer_s"]
    ld = raw.get("load") or {}
    if "throughput_rps" in ld:
        out["load"] = {"throughput_rps": ld["throughput_rps"], "p50_ms": ld["all"]["p50_ms"],
                       "p95_ms": ld["all"]["p95_ms"], "server_cpu_ms_per_request": ld.get("server_cpu_ms_per_request"),
                       "server_rss_mb": ld.get("server_rss_mb")}
    return out


def print_beside(r: dict, before: dict) -> None:
    """The memory, start and serving figures of this run beside the baseline's (issue 19 items 3-4)."""
    if not before:
        return
    rows: list[tuple[str, Any, Any]] = []
    for row in r.get("search", []):
        p, size = row.get("probe") or {}, str(row["size"])
        if "error" in p:
            continue
        if size in before.get("rss_after_mb", {}):
            rows.append((f"RSS after queries, {row['chunks']:,} chunks (MB)", before["rss_after_mb"][size], p["rss_after_mb"]))
        if size in before.get("open_s", {}):
            rows.append((f"open, {row['chunks']:,} chunks (s)", before["open_s"][size], p["open_s"]))
    s = r.get("serve_largest") or {}
    if "first_answer_s" in s and "largest" in before.get("first_answer_s", {}):
        rows.append((f"sotay serve → first answer, {s.get('chunks', 0):,} chunks (s)", before["first_answer_s"]["largest"],
                     s["first_answer_s"]))
    ld, bl = r.get("load") or {}, before.get("load") or {}
    if "throughput_rps" in ld and bl:
        rows += [("load: requests/s", bl.get("throughput_rps"), ld["throughput_rps"]),
                 ("load: p50 ms", bl.get("p50_ms"), ld["all"]["p50_ms"]),
                 ("load: p95 ms", bl.get("p95_ms"), ld["all"]["p95_ms"]),
                 ("load: server CPU per request (ms)", bl.get("server_cpu_ms_per_request"), ld.get("server_cpu_ms_per_request")),
                 ("load: server RSS (MB)", bl.get("server_rss_mb"), ld.get("server_rss_mb"))]
    if not rows:
        return
    print(f"beside the baseline (commit {before.get('commit')}; eval/bench-baseline.json or --baseline):")
    print(f"  {'':52} {'before':>9} {'now':>9}")
    for label, old, new in rows:
        print(f"  {label:52} {old if old is not None else '–':>9} {new if new is not None else '–':>9}")


if __name__ == "__main__":
    sys.exit(main())
