"""Role questions made from the documents themselves, with known truth: for every post or body a
stored duty names (as the document writes it: "Bí thư chi bộ khu phố", "Chủ tịch Công đoàn cơ sở"),
ask as a cadre would — "Tôi là <post>, tôi phải làm gì?", the same typed without diacritics, with
where the asker works after it, and in the third person — and check that the answer is that role's
duties with one of the duties naming it among the first listed.

    python -m eval.role_probe --corpus DIR [DIR …] [-v]

Prints, per phrasing, how many posts were answered right; with -v, the posts that were not. The
truth is the documents' own duty records, so any folder of documents can be probed (a province's
own archive included) — what it measures is whether the words a cadre uses reach the duties the
text gives that post, not whether the duty records themselves are right (eval/duties.py does that).
"""
from __future__ import annotations

import argparse
import collections
import tempfile
from pathlib import Path

from ingest.actors import actor
from ingest.normalize import fold
from service.answers import answer_question
from service.config import Settings
from service.knowledge import KnowledgeBase

# Posts and bodies worth asking about: named by the document with at least this many words
# ("Chi bộ" alone is every chi bộ; "Bí thư chi bộ khu phố" is a post), and the kinds a person holds.
MIN_WORDS = 2
PERSON_KINDS = ("position", "body")
# How far down the answer the post's own duty may stand: the answer lists its own duties first.
FIRST_LINES = 3

PHRASINGS = {
    "toi-la": "Tôi là {name}, tôi phải làm gì?",
    "khong-dau": "{folded_lower}, toi phai lam gi?",  # "toi la …" typed without diacritics
    "noi-lam": "Tôi là {name} ở {place}, tôi phải làm những việc gì?",
    "ngoi-thu-ba": "{name} có nhiệm vụ gì?",
    # as typed on a phone: without diacritics, the post's words abbreviated ("toi la pbt thuong truc dang uy")
    "viet-tat": "{abbreviated}, phai lam gi?",
    # two asks in one question: the duties, and to whom one reports
    "hai-y": "Tôi là {name}, tôi phải làm gì và báo cáo cho ai?",
}
# How cadres shorten posts and bodies when typing (folded, lower case), longest first.
SHORT = (("uy ban nhan dan", "ubnd"), ("hoi dong nhan dan", "hdnd"), ("mat tran to quoc", "mttq"),
         ("ban thuong vu", "btv"), ("pho bi thu", "pbt"), ("pho chu tich", "pct"), ("bi thu", "bt"),
         ("chu tich", "ct"), ("ban chi dao", "bcd"), ("uy ban kiem tra", "ubkt"), ("van phong", "vp"))


def _abbreviated(name: str) -> str:
    text = "toi la " + fold(name).lower()
    for full, short in SHORT:
        text = text.replace(full, short)
    return text


def _posts(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Each post or body named by a duty (as first written; the same words in another case — "Bí thư
    chi bộ thôn", "bí thư chi bộ thôn" — are one post) → the ids of the duties naming it."""
    out: dict[str, set[str]] = collections.defaultdict(set)
    written: dict[str, str] = {}
    for d in kb.duties(["public"]):
        for ref in d.actor_refs:
            name = " ".join((ref.get("name") or "").split())
            kind = getattr(actor(ref.get("category") or ""), "kind", None)
            if len(name.split()) >= MIN_WORDS and kind in PERSON_KINDS and ref.get("part") != "cooperating":
                out[written.setdefault(name.lower(), name)].add(d.id)
    return out


def _right(ans: dict, ids: set[str]) -> bool:
    return ans["kind"] == "obligations" and any(o.get("id") in ids for o in (ans.get("obligations") or [])[:FIRST_LINES])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m eval.role_probe", description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", nargs="+", required=True, metavar="DIR")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the posts answered wrong")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as data, KnowledgeBase(Settings(data_dir=Path(data))) as kb:
        kb.ingest_paths(args.corpus)
        posts = _posts(kb)
        right: dict[str, int] = collections.Counter()
        wrong: list[str] = []
        for name, ids in sorted(posts.items()):
            values = {"name": name, "folded_lower": "toi la " + fold(name).lower(), "place": "cơ sở của tôi",
                      "abbreviated": _abbreviated(name)}
            for key, form in PHRASINGS.items():
                question = form.format(**values)
                ans = answer_question(kb, question)
                if _right(ans, ids):
                    right[key] += 1
                else:
                    wrong.append(f"{key}\t{question}\t{ans['kind']}\t{ans['answer'][:160]!r}")
        print(f"{len(posts)} posts and bodies named by duties")
        for key in PHRASINGS:
            print(f"{key:12} {right[key]}/{len(posts)} = {right[key] / max(1, len(posts)):.2f}")
        if args.verbose:
            print("\n".join(wrong))


if __name__ == "__main__":
    main()
