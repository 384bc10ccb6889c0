"""The dense path's knobs, measured in-process on the dev sets (faster than `make eval`, which runs
each variant over HTTP): the dense ranking's RRF weight in the store's fusion (scoring.W.dense_rrf)
for each model, against sparse only.

    python -m eval.dense_sweep [--models e5-small minilm] [--weights 0.25 0.5 1 2] [--data DIR]

The corpora (corpus/ and ../shared/eval/corpus-dev/) are ingested once per model into `--data`
(kept, so a second run only queries); every question of the default sets is searched (k=10) and
asked. Prints hit@1 / hit@5 / MRR@10 / answer accuracy / false abstentions / false answers per set
and overall, and the questions whose rank 1 or answer changed against sparse only.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from service.config import Settings
from service.knowledge import KnowledgeBase

from .run import DEFAULT_CORPORA, DEFAULT_QUESTIONS
from .scoring import load_set, new_outcome, record_answer, record_search, summarize


def _spec(name: str) -> str | None:
    if name == "sparse":
        return None
    if name == "minilm":
        from service.index.embed import default_model_path

        return default_model_path()
    return name


KNOBS = {"w": ("dense_weight", float)}  # name in --configs → Retriever attribute, type


def configure(kb: KnowledgeBase, config: str) -> None:
    """`w=0.5,rs=0.3`: retriever knobs (KNOBS) for one pass."""
    for pair in filter(None, config.split(",")):
        key, _, value = pair.partition("=")
        attr, conv = KNOBS[key.strip()]
        setattr(kb.retriever, attr, conv(value.strip()))


def run(kb: KnowledgeBase, sets, config: str | None) -> tuple[dict, dict]:
    if config:
        configure(kb, config)
    out, per_q, every = {}, {}, []
    for s in sets:
        outcomes = []
        for q in s.questions:
            o = new_outcome(q, s.label)
            if q.get("evidence"):
                t = time.perf_counter()
                hits = kb.search(q["question"], k=10)
                o.search_ms.append((time.perf_counter() - t) * 1000)
                record_search(o, q, [{"text": h.text} for h in hits], 10, str)
            t = time.perf_counter()
            a = kb.ask(q["question"])
            o.ask_ms.append((time.perf_counter() - t) * 1000)
            record_answer(o, q, a, str)
            outcomes.append(o)
            per_q[(s.label, q["id"])] = (o.rank, o.right)
        out[s.label] = summarize(outcomes)
        every += outcomes
    out["all"] = summarize(every)
    return out, per_q


def _row(label: str, sm: dict) -> str:
    r = sm["retrieval"]
    lat = sm["latency"]
    return (f"{label:<40}{r['hit@1']:>7.3f}{r['hit@5']:>7.3f}{r['mrr@10']:>7.3f}"
            f"{sm['correct']:>5}/{sm['answerable']:<4}{sm['false_abstentions']:>4}{sm['false_answers']:>4}"
            f"{lat['ask_ms']['p95']:>9.1f}{lat['search_ms']['p95']:>9.1f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", nargs="+", default=["sparse", "e5-small"])
    ap.add_argument("--configs", nargs="+", default=["w=1"], help="retriever knobs per pass, e.g. w=0.5,rs=0.3")
    ap.add_argument("--data", type=Path, default=Path("/tmp/sotay-dense-sweep"))
    args = ap.parse_args(argv)
    sets = [load_set(p) for p in DEFAULT_QUESTIONS if p.exists()]
    base: dict | None = None
    print(f"{'variant / set':<40}{'hit@1':>7}{'hit@5':>7}{'MRR':>7}{'right':>10}{'FAb':>4}{'FAn':>4}"
          f"{'ask p95':>9}{'srch p95':>9}")
    for name in args.models:
        data = args.data / name.replace("/", "_")
        fresh = not data.exists()
        with KnowledgeBase(Settings(data_dir=data, embed_model=_spec(name))) as kb:
            if fresh:
                t = time.perf_counter()
                kb.ingest_paths(DEFAULT_CORPORA)
                print(f"# {name}: ingested in {time.perf_counter() - t:.1f} s", flush=True)
            for cfg in (args.configs if kb.embedder is not None else [None]):
                res, per_q = run(kb, sets, cfg)
                label = name if cfg is None else f"{name} {cfg}"
                for key in [s.label for s in sets] + ["all"]:
                    print(_row(f"{label} {key}", res[key]), flush=True)
                if base is None:
                    base = per_q
                else:
                    changed = [(k, base[k], v) for k, v in per_q.items() if k in base and
                               ((base[k][0] == 1) != (v[0] == 1) or base[k][1] != v[1])]
                    for (sl, qid), (r0, a0), (r1, a1) in changed:
                        print(f"    {sl} {qid}: rank {r0}→{r1}, right {a0}→{a1}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
