"""Every weight and threshold of ranking, sentence choice and abstention, named in one place, and
the small scoring formulas they weigh (in the manner of bm25s: one named function per formula).

Scores are sums of parts on comparable scales: `text_match` is 0..2 (coverage of the question's
content syllables, 0..1, plus coverage of its bigram phrases, 0..1). Each weight says what it
trades. The figures were set on the development sets (`make eval`); a change here is measured
there, per kind of question and per document, never on one question.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ingest.tokenize import syllables

from .cues import STOP_SYLLABLES


@dataclass(frozen=True)
class Weights:
    # -- passage ranking (Retriever.rescore) ---------------------------------------------------
    # The store's fused rank vs the passage's own words: the fusion finds candidates, the text
    # decides their order. Higher trusts the engine's order more. Measured on the dev sets (145
    # questions, both corpora): 0.3 → hit@1 0.80, 0.45 → 0.79, 0.6 → 0.76, 0.8 → 0.74, hit@5 flat (0.92);
    # on the shipped corpus alone 0.3 loses 3 of our own 14 extra questions' rank 1: 0.45 keeps both.
    fused: float = 0.45
    # The dense ranking's weight in the store's RRF, against 1 for each sparse ranking (a weight w
    # divides a hit's dense rank); only when a model is configured (SOTAY_EMBED_MODEL). Lower lets
    # the words decide which passages reach rescoring; higher lets paraphrases in but also pushes
    # out short passages that state a date or duty in few words. e5-small on the dev sets
    # (eval/dense_sweep.py, all 143 questions with evidence): hit@1 0.699 at 0.25, 0.727 at 0.5,
    # 0.720 at 1, against 0.734 with no dense vector at all (README: why dense stays off).
    dense_rrf: float = 0.5
    # The passage's own words, and the same words read with the heading path and document title
    # ("Kế hoạch cá nhân" is the subject of every line under that heading). Half and half: a
    # passage that says it itself beats one that only stands under the right heading.
    own_text: float = 0.5
    with_context: float = 0.5
    # A question phrased with a section heading's words is about that section.
    heading: float = 0.4
    # The document the question names (or a passage citing it by number). Above this, another
    # document's passage must cover clearly more of the question to outrank it.
    named_doc: float = 0.3
    # "Khi nào?" is answered by a passage that states a time.
    dated: float = 0.5
    # "Quý II/2025 phải hoàn thành những việc gì?": a passage with a deadline inside the window the
    # question names, over one dated at another time (dated alone cannot tell them apart). As much as
    # `dated` again: the window is the question's subject, but a passage of another document that
    # happens to fall in it must not outrank the named document's (named_doc + text still count).
    in_window: float = 0.5
    # "The first standard": the numbered item with that number; never a passage outside the numbering.
    ordinal_hit: float = 0.6
    ordinal_unnumbered: float = -0.3
    # A passage inside a section the question names; of the one document a section question names,
    # more than any text match (the section is the answer, whatever words it shares with the question:
    # "Mục III.1 của Kế hoạch 222 giao nhiệm vụ cho những cơ quan nào").
    named_section: float = 0.3
    named_section_sole: float = 2.0
    # A question asking who signed / when / to whom: the block of the named document that says it
    # (closing, header, preamble). Such questions share almost no words with that block. When the
    # question only asks that of one named document, what is left of it after the name and the cue
    # ("ký", "ngày") matches other documents by chance: meta_block_sole outweighs any text match
    # (own_text + with_context times ≤ 2). A question that also asks something else, or of several
    # documents ("… và nó nghiêm cấm những gì?"), keeps the smaller gain.
    meta_block: float = 0.5
    meta_block_sole: float = 2.0
    # "Ai được miễn?", "trường hợp nào?": a passage stating an exception or a condition.
    exception_passage: float = 0.3

    # -- sentence choice inside the best passages (answers) ------------------------------------
    # The passage's rank breaks ties between sentences that cover the question equally.
    rank_prior: float = 0.15
    named_doc_sentence: float = 0.2
    ordinal_sentence: float = 0.3
    dated_sentence: float = 0.4
    # Sentences within this share of the best one are quoted too (a list split over sentences).
    keep_share: float = 0.8
    # How many of the best passages give sentences.
    sentence_pool: int = 6
    # A document of the local body the question names ("ở xã Tân Phước" → the commune committee's
    # report) is preferred by this much, for its sentences and its duties: the locality is said to
    # choose among documents, as a document's name is, only more weakly than a name (named_doc_sentence);
    # so does a question whose words are a document's title (answers.context.titled_ids).
    placed_doc: float = 0.1
    # The same for the document whose title the question's words are (no document named): its best
    # passages join the sentences, this many, wherever the documents citing its title rank.
    titled_pool: int = 3
    # …and only when its title alone covers this much of the question's topic (text_match 0..2), not
    # its issuer or year: lower takes more questions about a thing inside a document for questions
    # about the document's subject.
    titled_share: float = 0.8
    # A sentence that ends with a colon ("… báo cáo kết quả 9 tháng … như sau:", "… đạt được các kết
    # quả sau:") introduces what follows and answers nothing itself; it loses this much for content,
    # list and exception questions. It is often the sentence that repeats the document's title and
    # issuer, which is why it otherwise wins.
    lead_in: float = 0.3
    # Within one document, words every part of it uses (its title's "6 tháng đầu năm 2026", "Đảng bộ
    # xã") tell its sentences apart less than a word few of its chunks use ("hạn chế"): a sentence
    # gains this much times its match with the question's terms weighed by their rarity inside its own
    # document (text_match, 0..2). Higher: the document's rare words decide more than the whole
    # question's coverage; 0: sentences ranked on the store-wide weights alone.
    local_match: float = 0.3
    # "có mấy mức, là những mức nào": a passage stating a count of the unit asked ("theo bốn mức")
    # joins the sentences from this deep in the ranking, and its sentence gains count_sentence. Deeper
    # finds the count below passages that repeat the question's other words, at the cost of reading more.
    count_pool: int = 20
    count_sentence: float = 0.5

    # -- duties ----------------------------------------------------------------------------------
    # A duty near the passage search's best sentences is the one asked about.
    near_passage: float = 0.3
    # "By when?" wants a stated time: an undated duty ranks this much lower.
    undated_duty: float = -0.5
    # A "by when?" question from someone who stated a role: that role's own duty first among equals.
    role_duty: float = 0.2
    # Clauses of one sentence (each its own duty) share the sentence's words: when the question uses
    # one clause's verb ("báo cáo", "chỉ đạo"), that clause takes the sentence's best score and the
    # others stay at least this much below it. Higher drops the other clauses out of the answer
    # (duty_keep_share); a clause alone in its sentence is never moved.
    clause_verb: float = 0.3
    # …and a clause's shortfall against its sentence's best clause counts only this share: the
    # sentence's subject and object belong to all its clauses ("báo cáo tiến độ" of the work the
    # other clause names). 1 scores each clause on its own words; 0 leaves only the verb to decide.
    clause_gap_share: float = 0.5
    # Duties within this share of the best one are listed too.
    duty_keep_share: float = 0.85
    # A role question naming a subject: the role's duties within this share of the best topic match.
    role_topic_share: float = 0.6
    # …and the duties naming the post itself within this share: lower keeps more of the post's own
    # duties that speak of the topic in other words; higher lets the broad categories' duties crowd them out.
    own_post_topic_share: float = 0.2

    # -- abstention --------------------------------------------------------------------------------
    # Least text_match of the best sentence (with its heading context) that counts as support.
    # Lower answers more questions the documents do not cover; higher refuses paraphrased ones.
    support: float = 0.75
    # …when the question uses a word no stored passage contains ("lương"): only a near-complete
    # match of everything else counts as support.
    support_unseen: float = 1.3
    # How fast unseen words raise the threshold: their share of the topic's weight times this
    # (capped at 1). 2.5 makes a word carrying 40 % of the topic demand the full support_unseen.
    unseen_scale: float = 2.5
    # A question asking for an amount ("bao nhiêu tiền", "mấy phần trăm") is supported only by a
    # sentence holding a figure; this share of its content words must also be there.
    amount_cover: float = 0.6

    # -- answer size -------------------------------------------------------------------------------
    max_quotes: int = 4
    max_duties: int = 8
    max_list_quotes: int = 8
    # A time-window answer lists what falls due, in date order: a quarter of a plan holds about a dozen.
    max_window_duties: int = 15
    # A quoted sentence longer than this is cut to the clauses (";") that speak to the question —
    # those within clause_share of the best clause, first to last. Shorter answers, same verbatim text.
    long_quote: int = 300
    clause_share: float = 0.5

    # -- verdicts ----------------------------------------------------------------------------------
    # "Có." for a role's duty only when the duty covers this much of the question (text_match 0..2):
    # a verdict on a duty about something else would state a falsehood with a citation.
    verdict: float = 1.2

    # -- documents described, not numbered ---------------------------------------------------------
    # "số ký hiệu của kế hoạch học tập … năm 2024 của tỉnh Lai Châu": the stored document of that
    # kind and year whose kind, title, issuer and place cover at least this much of the question
    # (text_match 0..2) and this many times the next one's. Lower finds more documents described
    # loosely, at the risk of answering about the wrong one.
    described_doc: float = 0.8
    described_margin: float = 1.5

    # -- answer forms --------------------------------------------------------------------------------
    # "X là gì?" is answered by the sentence defining X ("“X” là …"); "có tên là gì?" by one that
    # gives a name in quotation marks.
    definition: float = 0.3
    quoted_name: float = 0.25
    # A list question is answered item by item from a section whose heading (alone or with its
    # parent's) has at least this share of its words in the question.
    list_heading_share: float = 0.5
    # A sentence of the asked form within this share of the best match is preferred to it.
    form_share: float = 0.6
    # "Đảng bộ có 350 đảng viên thì …": a duty whose size condition the asked size meets ("có trên 300
    # đảng viên") gains this, one it fails loses it. Higher lets the condition outrank the words.
    size_condition: float = 0.8
    # "… phải trả lời trong bao lâu?": a duty whose text holds the act after the question's modal
    # gains this. Higher lets the act outrank the question's other words (the procedure's earlier step).
    asked_verb: float = 0.3


W = Weights()


@dataclass(frozen=True)
class QueryTerms:
    """Content syllables and bigrams of a question, each weighted by its rarity in the store."""
    weights: dict[str, float]
    bigrams: dict[tuple[str, str], float]

    @property
    def empty(self) -> bool:
        return not self.weights

    # The sums every text_match divides by, computed once per question, not once per passage.
    @cached_property
    def weight_total(self) -> float:
        return sum(self.weights.values()) or 1.0

    @cached_property
    def bigram_total(self) -> float:
        return sum(self.bigrams.values())


def idf(n: int, df: int) -> float:
    """BM25's smoothed inverse document frequency over `n` chunks."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


# Classifier nouns count a thing without saying which ("một buổi sinh hoạt", "một cuộc giám sát", "mấy
# nhóm nhiệm vụ", "những loại hồ sơ"): a document may write the thing without them ("tại sinh hoạt chi
# bộ", "III. NHIỆM VỤ, GIẢI PHÁP"), so their rarity is no evidence.
CLASSIFIERS = frozenset({"buoi", "cuoc", "nhom", "loai"})
# The share of its rarity a classifier keeps: enough to break ties, never to outweigh the thing's name.
CLASSIFIER_WEIGHT = 0.25


def query_terms(sylls: list[str], weight_of) -> QueryTerms:
    """`sylls`: the question's folded syllables in order; `weight_of`: syllable → IDF."""
    def weight(s: str) -> float:
        return weight_of(s) * (CLASSIFIER_WEIGHT if s in CLASSIFIERS else 1.0)

    weights = {s: weight(s) for s in sylls if s not in STOP_SYLLABLES}
    bigrams = {(a, b): max(weight(a), weight(b)) for a, b in zip(sylls, sylls[1:])
               if not (a in STOP_SYLLABLES and b in STOP_SYLLABLES)}
    return QueryTerms(weights, bigrams)


@lru_cache(maxsize=65_536)
def syllable_sets(text: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """Folded syllables and adjacent pairs of a text; cached, since the same passages come back
    for many questions and folding them is most of the rescoring time."""
    sylls = syllables(text)
    return frozenset(sylls), frozenset(zip(sylls, sylls[1:]))


def without(terms: QueryTerms, text: str) -> QueryTerms:
    """The question's terms that `text` does not use. Figures stay: "năm 2024" in a title is also the
    year of the thing asked ("Chuyên đề năm 2024")."""
    have, have_bi = syllable_sets(text)
    return QueryTerms({t: w for t, w in terms.weights.items() if t not in have or t.isdigit()},
                      {b: w for b, w in terms.bigrams.items() if b not in have_bi or any(x.isdigit() for x in b)})


def local_terms(terms: QueryTerms, df: dict[str, int], n: int, face: str) -> QueryTerms:
    """The question's terms that do not name the document (`face`: its title, issuer and place),
    weighed by their rarity among its `n` chunks (`df`: chunks of it using each folded syllable); a
    pair by its rarer half."""
    if n <= 0:
        return QueryTerms({}, {})
    have, have_bi = syllable_sets(face)
    return QueryTerms({t: w * idf(n, df.get(t, 0)) for t, w in terms.weights.items() if t not in have},
                      {b: w * min(idf(n, df.get(b[0], 0)), idf(n, df.get(b[1], 0)))
                       for b, w in terms.bigrams.items() if b not in have_bi})


def text_match(terms: QueryTerms, text: str) -> float:
    """How much of the question a text covers, rare terms counting more: content syllables
    (0..1) plus bigram phrases (0..1)."""
    if terms.empty:
        return 0.0
    have, have_bi = syllable_sets(text)
    # list comprehensions, not generators: the same sums in the same order, at about half the cost
    # (this runs for every candidate passage of every question)
    cov = sum([w for t, w in terms.weights.items() if t in have]) / terms.weight_total
    btotal = terms.bigram_total
    bi = sum([w for b, w in terms.bigrams.items() if b in have_bi]) / btotal if btotal else 0.0
    return cov + bi


def coverage(terms: QueryTerms, text: str) -> float:
    """The content-syllable half of text_match alone (0..1)."""
    if terms.empty:
        return 0.0
    have, _ = syllable_sets(text)
    return sum(w for t, w in terms.weights.items() if t in have) / terms.weight_total


@lru_cache(maxsize=65_536)
def _content_syllables(text: str) -> tuple[str, ...]:
    """Folded syllables of a text without the stop syllables (cached: headings recur)."""
    return tuple(s for s in syllables(text) if s not in STOP_SYLLABLES)


def heading_in_question(q_sylls: set[str], heading: str) -> float:
    """Share of a (short) heading's content syllables that the question uses; 0 for headings
    too short or too long to say anything."""
    hs = _content_syllables(heading)
    if not 2 <= len(hs) <= 12:
        return 0.0
    return sum(1 for s in hs if s in q_sylls) / len(hs)


def rank_decay(rank: int) -> float:
    """1.0 for the store's first hit, decaying slowly (DCG's discount)."""
    return 1.0 / math.log2(rank + 2)


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(token: str) -> int | None:
    if not token or not all(c in _ROMAN for c in token):
        return None
    vals = [_ROMAN[c] for c in token]
    return sum(-v if i + 1 < len(vals) and v < vals[i + 1] else v for i, v in enumerate(vals))


def first_number(path: str | None) -> int | None:
    """First number of a citation path: "Điều 1.2" → 1, "II.3" → 2, "footnote 1" → None."""
    if not path or path.startswith("footnote"):
        return None
    for part in path.replace(".", " ").split():
        if part.isdigit():
            return int(part)
        value = roman_value(part)
        if value is not None:
            return value
    return None


def defines(text_folded: str, term: str) -> bool:
    """The (folded) text defines the term: "“Dự án chậm tiến độ” là …", "Lãng phí là …"."""
    import re

    tail = " ".join(term.split()[-3:])
    return bool(re.search(re.escape(tail) + r"[”\"»)]?\s*(?:la|duoc hieu la)\s", text_folded))


# --- size conditions ("có trên 300 đảng viên", "từ 30 đảng viên trở lên") -------------------------------
# Units a rule sizes a body by, folded.
_SIZE_UNITS = r"(?P<unit>dang vien|nguoi|chi bo|ho|thanh vien|to chuc co so dang|dang bo)"
_ASKED_SIZE = re.compile(rf"(?<![0-9a-z])co\s+(?P<n>\d+)\s+{_SIZE_UNITS}")
_SIZE_RULE = re.compile(rf"(?<![0-9a-z])(?P<dir>tren|duoi|hon|tu|it nhat|toi thieu|khong qua|toi da|khong duoi)"
                        rf"\s+(?P<m>\d+)\s+{_SIZE_UNITS}(?P<tail>\s+tro\s+(?:len|xuong))?")


def asked_size(folded_question: str) -> tuple[int, str] | None:
    """(number, unit) the question sizes its subject by: "đảng bộ có 350 đảng viên" → (350, "dang vien")."""
    m = _ASKED_SIZE.search(folded_question)
    return (int(m.group("n")), m.group("unit")) if m else None


def size_fit(asked: tuple[int, str] | None, folded_text: str) -> int:
    """+1 when the text's size condition for the same unit holds for the asked size, -1 when it fails,
    0 when the text states none."""
    if asked is None:
        return 0
    n, unit = asked
    for m in _SIZE_RULE.finditer(folded_text):
        if m.group("unit") != unit:
            continue
        bound, way, tail = int(m.group("m")), m.group("dir"), (m.group("tail") or "").strip()
        if way in ("tren", "hon"):
            holds = n > bound
        elif way == "duoi":
            holds = n < bound
        elif way in ("khong qua", "toi da") or (way == "tu" and tail.endswith("xuong")):
            holds = n <= bound
        else:  # "từ … (trở lên)", "ít nhất", "tối thiểu", "không dưới"
            holds = n >= bound
        return 1 if holds else -1
    return 0
