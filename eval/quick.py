"""Answers per kind of question, in-process, in one run: the figures of the README's "Answers on
questions and documents nobody tuned for". The sets are ingested into a fresh store with the given
folders; each question is answered by `answer_question` and judged by `eval.metrics.answer_correct`
(the same judge `make eval` uses over HTTP, without the server and the repeats).

    python -m eval.quick --questions ../shared/eval/questions.jsonl ../shared/eval/questions-dev.jsonl \\
        eval/questions/extra.jsonl --corpus corpus ../shared/eval/corpus-dev
    python -m eval.quick --questions eval/questions/heldout2.jsonl --corpus eval/corpus-heldout2 -v

Prints right/total per kind (a set's questions without a kind count under the set's name), false
abstentions and false answers, hit@1 and hit@5 of the evidence in `search`, and with -v every
question answered wrong with the start of its answer.
"""
from __future__ import annotations

import argparse
import collections
import tempfile
from pathlib import Path

from eval.metrics import answer_correct, first_hit_rank, load_questions
from service.answers import answer_question
from service.config import Settings
from service.knowledge import KnowledgeBase


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m eval.quick", description=__doc__.split("\n\n")[0])
    ap.add_argument("--questions", nargs="+", required=True, metavar="JSONL")
    ap.add_argument("--corpus", nargs="+", required=True, metavar="DIR")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the questions answered wrong")
    ap.add_argument("--embed", metavar="MODEL", help="dense vectors too (SOTAY_EMBED_MODEL's values, e.g. e5-small)")
    ap.add_argument("--misses", action="store_true", help="list the questions whose evidence is not search's first hit")
    args = ap.parse_args(argv)

    questions = []
    for f in args.questions:
        for q in load_questions(Path(f)):
            q.setdefault("kind", Path(f).stem)
            questions.append(q)
    with tempfile.TemporaryDirectory() as data, KnowledgeBase(Settings(data_dir=Path(data), embed_model=args.embed)) as kb:
        report = kb.ingest_paths(args.corpus)
        if report.errors:
            print("ingest errors:", report.to_json())
        by_kind: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
        false_abstentions = false_answers = 0
        ranks: list[int | None] = []
        wrong: list[str] = []
        misses: list[str] = []
        for q in questions:
            ans = answer_question(kb, q["question"])
            if q.get("evidence"):
                hits = kb.search(q["question"], k=10)
                ranks.append(first_hit_rank([p.text for p in hits], q["evidence"]))
                if ranks[-1] != 1:
                    first = hits[0].text[:160] if hits else ""
                    misses.append(f"{q['id']}\t{q.get('kind', '')}\trank {ranks[-1]}\t{q['question']}\t{first!r}")
            if q.get("unanswerable"):
                ok = ans["kind"] == "none"
                false_answers += not ok
            else:
                ok = answer_correct(ans, q)
                false_abstentions += ans["kind"] == "none"
            kind = "unanswerable" if q.get("unanswerable") else q["kind"]
            by_kind[kind][0] += ok
            by_kind[kind][1] += 1
            if not ok:
                wrong.append(f"{q['id']}\t{kind}\t{q['question']}\t{ans['kind']}\t{ans['answer'][:300]!r}")
    right = sum(r for r, _ in by_kind.values())
    print(f"{'ALL':14} {right}/{len(questions)} = {right / max(1, len(questions)):.2f}")
    for kind in sorted(by_kind):
        r, n = by_kind[kind]
        print(f"{kind:14} {r}/{n} = {r / n:.2f}")
    answerable = sum(1 for q in questions if not q.get("unanswerable"))
    print(f"false abstentions {false_abstentions}/{answerable}, false answers {false_answers}/"
          f"{len(questions) - answerable}")
    if ranks:
        print(f"hit@1 {sum(r == 1 for r in ranks) / len(ranks):.3f} hit@5 {sum((r or 99) <= 5 for r in ranks) / len(ranks):.3f}")
    if args.verbose:
        print("\n".join(wrong))
    if args.misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
