"""Search quality of the in-process knowledge base on a question set (issue 2's bar: evidence in the
top 5 for ≥ 23 of 24, at rank 1 for ≥ 20; mean passage length ≤ 600 characters).

    python -m eval.search_quality [QUESTIONS.jsonl] [--dense]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from service.config import Settings
from service.knowledge import KnowledgeBase

from .metrics import first_hit_rank, load_questions, retrieval_summary

DEFAULT_QUESTIONS = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "questions.jsonl"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("questions", nargs="?", default=str(DEFAULT_QUESTIONS))
    ap.add_argument("--corpus", default="corpus")
    ap.add_argument("--dense", action="store_true", help="also use the bundled all-MiniLM-L6-v2")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    model = None
    if args.dense:
        from service.index.embed import default_model_path

        model = default_model_path()
    qs = [q for q in load_questions(args.questions) if q.get("evidence")]
    with tempfile.TemporaryDirectory() as tmp:
        with KnowledgeBase(Settings(data_dir=Path(tmp), embed_model=model)) as kb:
            kb.ingest_paths([args.corpus])
            lengths = [len(p["text"]) for p in kb.store.scroll(kb.store_filter_chunks())] if hasattr(kb, "store_filter_chunks") else []
            ranks = []
            for q in qs:
                hits = kb.search(q["question"], k=10)
                r = first_hit_rank([h.text for h in hits], q["evidence"])
                ranks.append(r)
                if args.verbose and r != 1:
                    print(f"  {q['id']} rank={r}: {q['question']}\n     top: [{hits[0].doc_number} {hits[0].section}] {hits[0].text[:120]}" if hits else f"  {q['id']}: no hits")
            from service.store import StoreFilter

            lengths = [p["end"] - p["start"] for p in kb.store.scroll(StoreFilter(records=["chunk"], access=["public", "internal"]))]
    s = retrieval_summary(ranks)
    top5 = sum(1 for r in ranks if r is not None and r <= 5)
    top1 = sum(1 for r in ranks if r == 1)
    print(f"questions with evidence: {s['n']}  top1: {top1}  top5: {top5}  hit@1 {s['hit@1']:.3f}  hit@5 {s['hit@5']:.3f}  MRR@10 {s['mrr@10']:.3f}")
    print(f"passages: {len(lengths)}  mean length: {sum(lengths) / max(1, len(lengths)):.0f} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
