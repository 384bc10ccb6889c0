"""The evaluation (`make eval`): Sổ tay over HTTP on several question sets and corpora, its variants
side by side, and optionally its peers.

    python -m eval.run [--questions A.jsonl B.jsonl …] [--corpus DIR DIR …] [--obligations G.jsonl …]
                       [--variants sparse sparse+e5 …] [--peers] [--quick] [--repeat 3]
                       [--ports 8710-8719] [--markdown] [--out-dir eval/out]

Defaults: the shipped corpus `corpus/` and `../shared/eval/corpus-dev/` ingested together (two
cross-document dev questions join both); the sets `../shared/eval/questions.jsonl`,
`questions-dev.jsonl` and `eval/questions/extra.jsonl`; the gold duties `obligations.jsonl` and
`obligations-dev.jsonl`; the variants of eval/variants.py DEFAULT_VARIANTS.

For each variant (a set of environment settings, eval/variants.py) the corpora are ingested by
`sotay ingest` into a fresh temporary data dir, `sotay serve` runs on 127.0.0.1 (a port of
`--ports`, else a free one) in its own process, and this process queries it with httpx:

- `GET /api/search?k=10` for every question with evidence → rank of the first hit holding an
  evidence string → hit@1, hit@5, MRR@10;
- `POST /api/ask` for every question → right or wrong, and why (eval/metrics.py): answer accuracy
  over the answerable questions, false abstentions (kind "none" on an answerable question) and
  false answers (any other kind on an unanswerable one) apart; answer lengths;
- latency: client wall time of every request after a warm-up, each question searched and asked
  `--repeat` times round-robin → p50/p95; the server's RSS at the end;
- `GET /api/obligations` → duties against the gold files (eval/duties.py).

Everything is reported per set, per kind (`kind`; a set without kinds under its own label, the first
set as "first-set"), per document (`doc`; several `docs` as "cross") and overall. The peers
(eval/peers.py: the llama-index tutorial pipeline, BM25 without segmentation) run in-process on the
same corpora and questions: retrieval and search latency only.

Writes `report.txt` (what is printed), `results.json` (everything, every question's outcome),
`failures.json` and `failures.txt` (the questions answered wrong, per variant and kind, with what
came back and why: retrieval miss, false abstention, false answer, the answer_has strings missing,
evidence not in a cited quote, documents needed but not cited) to `--out-dir`, and each variant's
server log as `serve-<variant>.log`. Progress goes to stderr.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from . import report
from .duties import StoredDoc, score_duties
from .metrics import load_questions
from .scoring import Outcome, QuestionSet, breakdowns, failing, failure_reasons, load_set, new_outcome, \
    record_answer, record_search
from .variants import DEFAULT_VARIANTS, Variant, VariantUnavailable, parse_variant, process_env

REPO = Path(__file__).resolve().parents[1]


def _shared_eval() -> Path:
    """`../shared/eval` beside the clone (CI, /work/main, the worktrees); SOTAY_SHARED_EVAL overrides it."""
    return Path(os.environ.get("SOTAY_SHARED_EVAL") or REPO.parent / "shared" / "eval")


SHARED_EVAL = _shared_eval()
DEFAULT_CORPORA = [REPO / "corpus", SHARED_EVAL / "corpus-dev"]
DEFAULT_QUESTIONS = [SHARED_EVAL / "questions.jsonl", SHARED_EVAL / "questions-dev.jsonl",
                     REPO / "eval" / "questions" / "extra.jsonl"]
DEFAULT_OBLIGATIONS = [SHARED_EVAL / "obligations.jsonl", SHARED_EVAL / "obligations-dev.jsonl"]
DEFAULT_OUT = REPO / "eval" / "out"
SEARCH_K = 10
DEFAULT_REPEAT = 3
# Not evaluated, not timed: they load the question parser, the store's caches and the obligation pool.
WARMUP_QUESTIONS = [
    "kế hoạch học tập và làm theo tư tưởng Hồ Chí Minh",
    "trách nhiệm nêu gương của cán bộ, đảng viên",
    "thoi han bao cao ket qua",
    "Ai phải làm gì trước ngày nào?",
]
INGEST_TIMEOUT_S = 3600
SERVE_TIMEOUT_S = 300


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _excerpt(text: str) -> str:
    return report.excerpt(text, 200)


# ----------------------------------------------------------------------------------------------
# `sotay` processes
# ----------------------------------------------------------------------------------------------


def _sotay() -> list[str]:
    exe = Path(sys.executable).parent / "sotay"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "service.cli"]


def _env(settings: dict[str, str], data_dir: Path) -> dict[str, str]:
    env = process_env(dict(os.environ), settings, str(data_dir))
    # This checkout's code, whatever the installed package points at.
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")
    return env


def ingest(corpora: list[Path], env: dict[str, str]) -> dict:
    t = time.perf_counter()
    p = subprocess.run(_sotay() + ["ingest", *map(str, corpora), "--json"], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=INGEST_TIMEOUT_S)
    took = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"sotay ingest exited with {p.returncode}: {p.stderr[-1500:]}")
    summary = json.loads(p.stdout)
    errors = [f"ingest {i.get('source')}: {i.get('error')}" for i in summary.get("items", []) if i.get("error")]
    return {"seconds": took, "counts": summary.get("counts"), "errors": errors}


def _port(ports: range | None) -> int:
    """A port of `ports` nobody listens on (or any free one)."""
    if ports is None:
        from tests.support.serving import free_port

        return free_port()
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


@contextlib.contextmanager
def serving(env: dict[str, str], log_path: Path, ports: range | None) -> Iterator[tuple[str, int]]:
    """`sotay serve` in its own process group; yields (base URL, pid); stopped with SIGINT (the store is
    flushed and unlocked), SIGKILL if it does not exit."""
    from tests.support.serving import wait_healthy

    port = _port(ports)
    cmd = _sotay() + ["serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    with open(log_path, "wb") as logf:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=logf, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, SERVE_TIMEOUT_S, log_tail=lambda: log_path.read_text("utf-8", "replace")[-1500:])
        yield url, proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _error_of(r) -> str:
    try:
        body = r.json()
        return f"HTTP {r.status_code} {body['error']['code']}: {body['error']['message']}"
    except Exception:  # noqa: BLE001 - any non-contract body
        return f"HTTP {r.status_code}: {report.excerpt(r.text, 200)}"


# ----------------------------------------------------------------------------------------------
# One variant over HTTP
# ----------------------------------------------------------------------------------------------


def query_all(client, sets: list[QuestionSet], repeat: int) -> list[Outcome]:
    """Every question searched (when it has evidence) and asked, `repeat` times round-robin; the
    first pass is scored, every pass timed."""
    pairs = [(s, q) for s in sets for q in s.questions]
    outcomes = {(s.label, q["id"]): new_outcome(q, s.label) for s, q in pairs}
    for rep in range(repeat):
        for s, q in pairs:
            o = outcomes[(s.label, q["id"])]
            if q.get("evidence"):
                t = time.perf_counter()
                r = client.get("/api/search", params={"q": q["question"], "k": SEARCH_K})
                ms = (time.perf_counter() - t) * 1000.0
                if r.status_code == 200:
                    o.search_ms.append(ms)
                    record_search(o, q, r.json().get("hits", []), SEARCH_K, _excerpt)
                else:
                    o.errors.append(f"search: {_error_of(r)}")
            t = time.perf_counter()
            r = client.post("/api/ask", json={"question": q["question"]})
            ms = (time.perf_counter() - t) * 1000.0
            if r.status_code == 200:
                o.ask_ms.append(ms)
                record_answer(o, q, r.json(), _excerpt)
            else:
                o.errors.append(f"ask: {_error_of(r)}")
        log(f"    pass {rep + 1}/{repeat} done")
    return list(outcomes.values())


def stored_documents(client) -> list[StoredDoc]:
    """Every stored document with its text (`GET /api/documents`, then `/api/documents/{doc_id}`)."""
    out = []
    for meta in client.get("/api/documents").json().get("documents", []):
        doc = client.get(f"/api/documents/{meta['doc_id']}").json()
        out.append(StoredDoc(meta["doc_id"], meta.get("number"), doc.get("text") or ""))
    return out


def eval_variant(variant: Variant, corpora: list[Path], sets: list[QuestionSet], gold: list[dict] | None,
                 repeat: int, ports: range | None, out_dir: Path) -> dict:
    import httpx

    out: dict[str, Any] = {"name": variant.name, "system": "sotay", "note": variant.note}
    try:
        settings = variant.settings()
    except VariantUnavailable as exc:
        log(f"  {variant.name}: skipped ({exc})")
        return out | {"skipped": str(exc)}
    out["settings"] = settings
    with tempfile.TemporaryDirectory(prefix="sotay-eval-") as tmp:
        env = _env(settings, Path(tmp) / "data")
        out["ingest"] = ingest(corpora, env)
        log(f"  {variant.name}: ingested {out['ingest']['counts']} in {out['ingest']['seconds']:.1f} s")
        log_path = out_dir / f"serve-{_slug(variant.name)}.log"
        t = time.perf_counter()
        with serving(env, log_path, ports) as (url, pid), \
                httpx.Client(base_url=url, timeout=120, trust_env=False) as client:
            out["serve_ready_s"] = time.perf_counter() - t
            out["healthz"] = client.get("/healthz").json()
            stored = stored_documents(client)
            out["documents"] = [{"doc_id": d.doc_id, "number": d.number} for d in stored]
            for wq in WARMUP_QUESTIONS:
                client.get("/api/search", params={"q": wq, "k": SEARCH_K})
                client.post("/api/ask", json={"question": wq})
            client.get("/api/obligations")
            outcomes = query_all(client, sets, repeat)
            r = client.get("/api/obligations")
            out["rss_mb"] = rss_mb(pid)
        if r.status_code == 200 and gold is not None:
            out["obligations"] = score_duties(r.json().get("obligations", []), gold, stored)
        elif r.status_code != 200:
            out["obligations_error"] = _error_of(r)
    out["outcomes"] = outcomes
    out["summary"] = breakdowns(outcomes)
    return out


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name).strip("-")


# ----------------------------------------------------------------------------------------------
# Peers, in-process
# ----------------------------------------------------------------------------------------------


def eval_peer(peer, sets: list[QuestionSet], repeat: int) -> list[Outcome]:
    for wq in WARMUP_QUESTIONS:
        peer.search(wq, SEARCH_K)
    pairs = [(s, q) for s in sets for q in s.questions if q.get("evidence")]
    outcomes = {(s.label, q["id"]): new_outcome(q, s.label) for s, q in pairs}
    for _ in range(repeat):
        for s, q in pairs:
            t = time.perf_counter()
            texts = peer.search(q["question"], SEARCH_K)
            o = outcomes[(s.label, q["id"])]
            o.search_ms.append((time.perf_counter() - t) * 1000.0)
            record_search(o, q, [{"text": x} for x in texts], SEARCH_K, _excerpt)
    return list(outcomes.values())


def run_peers(corpora: list[Path], sets: list[QuestionSet], repeat: int) -> list[dict]:
    from .peers import BM25Peer, LlamaIndexPeer

    results = []
    for cls in (LlamaIndexPeer, BM25Peer):
        t = time.perf_counter()
        try:
            with contextlib.redirect_stdout(sys.stderr):  # llama-index prints its notices to stdout
                peer = cls([str(c) for c in corpora])
        except Exception as exc:  # noqa: BLE001 - one broken peer must not hide the other rows
            log(f"  {cls.name}: failed to build: {exc!r}")
            results.append({"name": cls.name, "system": "peer", "error": repr(exc)})
            continue
        build_s = time.perf_counter() - t
        log(f"  {cls.name}: built in {build_s:.1f} s ({peer.info()})")
        outcomes = eval_peer(peer, sets, repeat)
        results.append({"name": cls.name, "system": "peer", "info": peer.info(), "build_s": build_s,
                        "outcomes": outcomes, "summary": breakdowns(outcomes)})
    return results


# ----------------------------------------------------------------------------------------------
# Output
# ----------------------------------------------------------------------------------------------

KIND_ORDER = ["first-set", "deadline", "timewindow", "role", "metadata", "list", "content", "section",
              "exception", "yesno", "missing", "cross", "unanswerable"]


def print_report(results: list[dict], sets: list[QuestionSet], corpora: list[Path], repeat: int,
                 markdown: bool, header: str) -> list[str]:
    lines = [header, ""]
    lines.append("Overall")
    lines.append(report.overall_table(results, markdown))
    lines.append("")
    lines.append("Per question set")
    lines.append(report.per_set_table(results, markdown))
    lines.append("")
    lines.append("Per kind (right: answers right over all questions of the kind, an abstention on an "
                 "unanswerable question being right)")
    lines.append(report.breakdown_table(results, "per_kind", "Kind", KIND_ORDER, markdown))
    lines.append("")
    lines.append("Per document (several documents: cross)")
    lines.append(report.breakdown_table(results, "per_doc", "Document", None, markdown))
    lines.append("")
    lines.append("Answer length (characters of `answer`, answers given)")
    lines.append(report.length_table(results, markdown))
    for r in results:
        if r.get("system") == "sotay" and r.get("summary"):
            c = r["summary"]["overall"]["cites_every_doc"]
            lines.append(f"{r['name']}: answers citing every document their several-document question names: "
                         f"{c['answers']}/{c['questions']}")
    lines.append("")
    lines.append(f"hit@k / MRR@10: GET /api/search?k={SEARCH_K}, first passage holding an evidence string, over "
                 "the questions with evidence. answer acc: right answers over answerable questions (kind not "
                 "\"none\", every answer_has string present, an evidence string inside a cited quote). right (all): "
                 "over every question. false abst: kind \"none\" / answerable; false ans: another kind / "
                 f"unanswerable. Latency: client wall time over HTTP to `sotay serve` on 127.0.0.1, warm, each "
                 f"question ×{repeat}; * peers in-process, no HTTP. dated duties P / R: precision of dated "
                 "obligations, recall of gold duties (eval/duties.py). ingest s: `sotay ingest` of the corpora (* peers: index "
                 "build in-process). RSS: the server's at the end.")
    for r in results:
        if r.get("system") != "sotay" or not r.get("obligations"):
            continue
        lines.append("")
        lines.append(f"Duties ({r['name']}) against the gold files, per document")
        lines.append(report.duties_table(r["obligations"], markdown))
        lines += report.duties_listing(r["obligations"])
        break  # obligations come from ingest: the other variants' are in results.json
    for r in results:
        if r.get("system") == "sotay" and r.get("summary"):
            errs = r["ingest"]["errors"] + [e for o in r["outcomes"] for e in o.errors]
            if errs:
                lines.append(f"{r['name']}: {len(errs)} errors, first: {errs[0]}")
            unstable = [o for o in r["outcomes"] if o.unstable]
            if unstable:
                lines.append(f"{r['name']}: {len(unstable)} questions gave different results across repeats: "
                             + ", ".join(o.id for o in unstable[:10]))
    return lines


def _finite(x: Any) -> Any:
    """NaN (an empty percentile, no expected items) as null: the JSON stays standard."""
    if isinstance(x, float) and x != x:
        return None
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_finite(v) for v in x]
    return x


def write_outputs(out_dir: Path, results: list[dict], meta: dict, report_lines: list[str]) -> list[str]:
    """results.json, failures.json, failures.txt; returns the lines summarising the failures."""
    out_dir.mkdir(parents=True, exist_ok=True)
    failures: dict[str, list[dict]] = {}
    text: list[str] = []
    summary_lines: list[str] = []
    for r in results:
        if r.get("system") != "sotay" or not r.get("outcomes"):
            continue
        bad = failing(r["outcomes"])
        recs = [report.failure_record(o.to_json(), failure_reasons(o)) for o in bad]
        failures[r["name"]] = recs
        totals: dict[str, int] = {}
        for o in r["outcomes"]:
            totals[o.kind] = totals.get(o.kind, 0) + 1
        text += report.failures_text(r["name"], recs, totals) + [""]
        counts = report.failures_by_kind(recs)
        summary_lines.append(f"{r['name']}: {len(recs)} questions answered wrong — "
                             + ", ".join(f"{k} {n}" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))))
    systems = []
    for r in results:
        r = dict(r)
        if "outcomes" in r:
            r["questions"] = [o.to_json() for o in r.pop("outcomes")]
        systems.append(r)
    payload = meta | {"systems": systems, "report": "\n".join(report_lines)}
    (out_dir / "results.json").write_text(json.dumps(_finite(payload), ensure_ascii=False, indent=1, default=str) + "\n",
                                          "utf-8")
    (out_dir / "failures.json").write_text(json.dumps(_finite(failures), ensure_ascii=False, indent=1) + "\n", "utf-8")
    (out_dir / "failures.txt").write_text("\n".join(text) + "\n", "utf-8")
    (out_dir / "report.txt").write_text("\n".join([*report_lines, "", *summary_lines]) + "\n", "utf-8")
    return summary_lines


# ----------------------------------------------------------------------------------------------
# main
# ----------------------------------------------------------------------------------------------


def _resolve(path: str | Path) -> Path:
    p = Path(path)
    if not p.is_absolute() and not p.exists() and (REPO / p).exists():
        return REPO / p
    return p


def _ports(spec: str | None) -> range | None:
    if not spec:
        return None
    lo, _, hi = spec.partition("-")
    return range(int(lo), int(hi or lo) + 1)


def _load() -> str:
    """The 1-minute load average: latencies taken while other work shares the CPUs say so."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (AttributeError, OSError):
        return "?"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="*", help="question sets (JSONL), as --questions")
    ap.add_argument("--questions", nargs="+", default=None, metavar="JSONL",
                    help="question sets (default: the first and dev sets of ../shared/eval, eval/questions/extra.jsonl)")
    ap.add_argument("--corpus", nargs="+", default=None, metavar="DIR",
                    help="folders (or files) ingested together (default: corpus/ and ../shared/eval/corpus-dev/)")
    ap.add_argument("--obligations", nargs="*", default=None, metavar="JSONL",
                    help="gold duties (default: obligations.jsonl and obligations-dev.jsonl); none given: skipped")
    ap.add_argument("--variants", nargs="+", default=None, metavar="VARIANT",
                    help=f"Sổ tay variants (eval/variants.py, or label:KEY=VALUE,…; default: {' '.join(DEFAULT_VARIANTS)})")
    ap.add_argument("--peers", action="store_true", help="also the llama-index tutorial and BM25 (in-process)")
    ap.add_argument("--quick", action="store_true", help="one pass (no repeats for latency), no peers")
    ap.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, help="times each question is searched and asked")
    ap.add_argument("--ports", default=None, help="serve on the first free port of this range, e.g. 8710-8719")
    ap.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    ap.add_argument("--out-dir", default=str(DEFAULT_OUT), help="where results.json and failures.{json,txt} go")
    args = ap.parse_args(argv)

    set_paths = [_resolve(p) for p in (args.sets + (args.questions or []))] or DEFAULT_QUESTIONS
    corpora = [_resolve(p) for p in args.corpus] if args.corpus else DEFAULT_CORPORA
    gold_paths = DEFAULT_OBLIGATIONS if args.obligations is None else [_resolve(p) for p in args.obligations]
    for p in [*set_paths, *corpora, *gold_paths]:
        if not p.exists():
            print(f"Không tìm thấy '{p}'.", file=sys.stderr)
            return 2
    try:
        variants = [parse_variant(v) for v in (args.variants or DEFAULT_VARIANTS)]
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    repeat = 1 if args.quick else max(1, args.repeat)
    out_dir = _resolve(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sets = [load_set(p) for p in set_paths]
    gold = [g for p in gold_paths for g in load_questions(p)] if gold_paths else None

    started, load_start = time.perf_counter(), _load()
    results: list[dict] = []
    for v in variants:
        log(f"{v.name} ...")
        t = time.perf_counter()
        try:
            res = eval_variant(v, corpora, sets, gold, repeat, _ports(args.ports), out_dir)
        except Exception as exc:  # noqa: BLE001 - report the row as broken, keep the other rows
            import traceback

            traceback.print_exc()
            res = {"name": v.name, "system": "sotay", "error": repr(exc)}
        res["wall_s"] = time.perf_counter() - t
        results.append(res)
    if args.peers and not args.quick:
        log("peers ...")
        results += run_peers(corpora, sets, repeat)

    n = sum(len(s.questions) for s in sets)
    header = (f"Sổ tay eval — {n} questions in {len(sets)} sets ("
              + ", ".join(f"{s.label}: {len(s.questions)}" for s in sets) + "); corpora "
              + ", ".join(str(c.relative_to(REPO) if c.is_relative_to(REPO) else c) for c in corpora)
              + f"; {datetime.now().strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} CPUs, load average {load_start} "
              f"at start, {_load()} at end")
    lines = print_report(results, sets, corpora, repeat, args.markdown, header)
    meta = {"generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "question_sets": {s.label: str(s.path) for s in sets}, "corpora": [str(c) for c in corpora],
            "gold": [str(p) for p in gold_paths], "repeat": repeat, "search_k": SEARCH_K,
            "machine": {"cpus": os.cpu_count(), "load_average_start": load_start, "load_average_end": _load(),
                        "python": platform.python_version(), "platform": platform.platform()},
            "total_s": time.perf_counter() - started}
    fail_lines = write_outputs(out_dir, results, meta, lines)
    print("\n".join(lines))
    print()
    for line in fail_lines:
        print(line)
    print(f"total {time.perf_counter() - started:.0f} s; report and results in {out_dir}/report.txt, results.json; "
          f"failing questions in {out_dir}/failures.txt, failures.json")
    return 0 if all(not r.get("error") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
