"""Vietnamese tokens for the sparse index and for queries.

Two views of the same text:
- `words`: underthesea word segmentation ("kế_hoạch", "ban_tuyên_giáo_tỉnh_ủy"), canonical tone
  placement, lower case. Date, quarter and document-number tokens ("15/01/2024", "quý_i/2024",
  "01-kl/tw") are kept whole; Party bodies from a gazetteer stay one token.
- `folded_terms`: accent-folded syllables and syllable bigrams ("ke", "hoach", "ke_hoach"). No
  segmentation, because text typed without diacritics cannot be segmented reliably; bigrams give
  back most of the precision that words have.
"""
from __future__ import annotations

import os
import re
import sys
import threading
from functools import lru_cache
from importlib import resources
from typing import Callable

from .crf_features import install as install_features
from .normalize import canonical, fold

# Tokens that must survive segmentation whole. Order matters: longest patterns first.
_PROTECTED = re.compile(
    r"""
    (?P<docno>\b\d{1,4}\s?[-–]\s?[A-ZĐa-zđ]{1,6}(?:\s?/\s?[A-ZĐa-zđ]{1,8}){1,2}\b)   # 01-KL/TW, 08-QĐi/TW
  | (?P<quarter>\b[Qq]u[ýy]\s+(?:[IV]{1,3}|[1-4])\s?/\s?\d{4}\b)                  # Quý I/2024
  | (?P<date>\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{1,2}/\d{4}\b|\b\d{1,2}/\d{1,2}\b)       # 15/01/2024, 01/2024, 19/5
  | (?P<span>\b(?:19|20)\d{2}\s?[-–]\s?(?:19|20)\d{2}\b)                          # 2021-2025
    """,
    re.VERBOSE,
)
_PLACEHOLDER = "zqz{}zqz"
_PLACEHOLDER_RE = re.compile(r"zqz(\d+)zqz")
_WORD_CHAR = re.compile(r"\w", re.UNICODE)
# Where segmentation is cut: sentence ends, line breaks, and " | " (the separator of an index text's
# parts: document label, heading path, passage). Each piece is segmented on its own, so a piece
# that recurs — a heading path over many passages, a duty's sentence inside its passage — can be
# segmented once (`Segmenter`).
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+|\s\|\s")


@lru_cache(maxsize=1)
def _gazetteer() -> re.Pattern[str]:
    lines = resources.files("ingest").joinpath("data/fixed_words.txt").read_text("utf-8").splitlines()
    phrases = sorted({ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")}, key=len, reverse=True)
    # Match on the folded, lower-cased text so "ban tuyen giao tinh uy" is found too.
    alts = "|".join(re.escape(fold(p).lower()) for p in phrases)
    return re.compile(rf"(?<!\w)(?:{alts})(?!\w)")


@lru_cache(maxsize=65536)
def _norm_token(tok: str) -> str:
    tok = canonical(tok).lower().strip()
    if tok.isdigit():
        return tok.lstrip("0") or "0"  # "01" and "1" are the same number to a reader
    return re.sub(r"\s+", "_", tok)


def _protected_spans(text: str) -> list[tuple[int, int, str]]:
    spans = [(m.start(), m.end(), m.lastgroup or "") for m in _PROTECTED.finditer(text)]
    protected = list(spans)  # non-empty, in order, not overlapping (one finditer)
    low = fold(text).lower()  # same length as text
    for m in _gazetteer().finditer(low):
        a, b = m.span()
        # a gazetteer phrase over a date or number stays the date or number (phrases are non-empty)
        if not any(s < b and a < e for s, e, _ in protected):
            spans.append((a, b, "fixed"))
    return sorted(spans)


_LOAD_LOCK = threading.Lock()
_loaded = False

# underthesea's package init imports its optional pipelines: translate pulls in transformers and
# torch (~2.5 s of every start), and classify, sentiment, lang_detect and dependency_parse download
# models when called — which this machine must never do. Marking them absent in sys.modules makes
# Python refuse those imports, and the init's optional-import guard turns that into None: a fast
# start, and any call to one fails at once instead of reaching for the network.
_NEVER_LOADED = (
    "underthesea.pipeline.classification", "underthesea.pipeline.sentiment", "underthesea.pipeline.lang_detect",
    "underthesea.pipeline.dependency_parse", "underthesea.pipeline.translate", "underthesea.agent",
    "underthesea.address",  # convert_address: 76 ms of every start, never called
)


def underthesea():
    """The underthesea package with only its bundled offline pipelines (word_tokenize, pos_tag, …)."""
    for name in _NEVER_LOADED:
        sys.modules.setdefault(name, None)
    import underthesea as module

    return module


def _load_model() -> None:
    """Set underthesea's word-segmentation model as its first call would, from the same files, but
    with Python's C unpickler: the library reads its 72,547-word dictionary through joblib's pure-Python
    one (0.18 → 0.06 s of a server's first question). The files are plain pickles of a list and a set
    (joblib adds nothing for objects without arrays); anything else is left to the library."""
    import glob
    import pickle

    module = sys.modules["underthesea.pipeline.word_tokenize"]
    found = glob.glob(os.path.join(os.path.dirname(module.__file__), "models", "ws_crf_*"))
    if len(found) != 1 or module.word_tokenize_model is not None:
        return
    from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger
    from underthesea_core import CRFFeaturizer, CRFTagger

    tagger = FastCRFSequenceTagger()
    try:
        with open(os.path.join(found[0], tagger.path_features), "rb") as f:
            features = pickle.load(f)
        with open(os.path.join(found[0], tagger.path_dictionary), "rb") as f:
            dictionary = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return
    if not (isinstance(features, list) and isinstance(dictionary, set)):
        return
    estimator = CRFTagger()
    estimator.load(os.path.join(found[0], tagger.path_model))
    tagger.featurizer, tagger.estimator = CRFFeaturizer(features, dictionary), estimator
    module.word_tokenize_model = tagger


def _word_tokenize():
    """underthesea's tokenizer, loaded once. Its first call sets a global model before loading
    it, so two threads making the first call at once would see a half-loaded model."""
    global _loaded
    word_tokenize = underthesea().word_tokenize  # imported lazily: its model takes a while to load

    if not _loaded:
        with _LOAD_LOCK:
            if not _loaded:
                _load_model()
                word_tokenize("khởi động")
                _loaded = True
    return word_tokenize


_features_installed = False


def _install_features() -> None:
    """In a process that segments documents (`Segmenter`), underthesea's word-segmentation features
    computed by ingest/crf_features.py: the same features, two to three times faster. A process that
    only segments queries keeps the library's (ours keeps its own copy of the model's dictionary)."""
    global _features_installed
    if not _features_installed:
        _word_tokenize()
        with _LOAD_LOCK:
            if not _features_installed:
                install_features(sys.modules["underthesea.pipeline.word_tokenize"].word_tokenize_model)
                _features_installed = True


def _segment_sentence(sentence: str) -> list[str]:
    word_tokenize = _word_tokenize()

    spans = _protected_spans(sentence)
    kept: list[tuple[str, str]] = []
    out, pos = [], 0
    for i, (s, e, kind) in enumerate(spans):
        out.append(sentence[pos:s])
        out.append(f" {_PLACEHOLDER.format(i)} ")
        kept.append((sentence[s:e], kind))
        pos = e
    out.append(sentence[pos:])
    tokens: list[str] = []
    for tok in word_tokenize("".join(out)):
        m = _PLACEHOLDER_RE.fullmatch(tok.strip())
        if m:
            raw, kind = kept[int(m.group(1))]
            tokens.extend(_protected_tokens(raw, kind))
        elif _PLACEHOLDER_RE.search(tok):  # glued to neighbours by the tokenizer: keep the parts
            for part in re.split(r"(zqz\d+zqz)", tok):
                pm = _PLACEHOLDER_RE.fullmatch(part)
                if pm:
                    raw, kind = kept[int(pm.group(1))]
                    tokens.extend(_protected_tokens(raw, kind))
                elif part.strip():
                    tokens.append(part)
        else:
            tokens.append(tok)
    return tokens


def _protected_tokens(raw: str, kind: str) -> list[str]:
    compact = re.sub(r"\s*([-–/])\s*", r"\1", raw).replace("–", "-")
    if kind == "docno":
        number = compact.split("-", 1)[0]
        return [compact, number.lstrip("0") or "0"]  # "01-KL/TW" is also asked for as "Kết luận 01"/"kết luận 1"
    return [compact]


def _piece_words(piece: str) -> tuple[str, ...]:
    return tuple(_norm_token(t) for t in _segment_sentence(piece) if _WORD_CHAR.search(t))


def segment(text: str) -> list[str]:
    """Word tokens as written (multi-syllable words joined by spaces), punctuation dropped."""
    tokens: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if sentence.strip():
            tokens.extend(t for t in _segment_sentence(sentence) if _WORD_CHAR.search(t))
    return tokens


def words(text: str) -> list[str]:
    """Canonical lower-case word tokens for the `bm25` vector."""
    return [t for piece in _SENTENCE_END.split(text) if piece.strip() for t in _piece_words(piece)]


# Pieces kept across the documents one process segments, when it asks (`share_pieces`: the worker
# processes of a folder's ingest). Boilerplate recurs from document to document — the header's and
# closing's lines and their context, "Nơi nhận:", headings such as "TỔ CHỨC THỰC HIỆN", and whole
# sentences that a district's plan copies from the plan it implements — and segmentation is most of
# the ingest time. Memory: ≈ 0.5 KB a piece (the piece and its words), so this many cost ≈ 25 MB a
# worker; more would keep rarer pieces for little gain.
SHARED_PIECES = 50_000
_shared_words: Callable[[str], tuple[str, ...]] | None = None


def share_pieces(limit: int = SHARED_PIECES) -> None:
    """Keep the words of up to `limit` distinct pieces (least recently used dropped first) for every
    `Segmenter` of this process; 0 stops. For a process that ingests many documents, not the service
    (queries are not cached). `_piece_words` is a pure function of the piece: the words are the same."""
    global _shared_words
    _shared_words = lru_cache(maxsize=limit)(_piece_words) if limit > 0 else None


class Segmenter:
    """`words` that segments each distinct piece (sentence, heading path, label) once. Indexing
    a document segments its label and heading paths with every passage under them, and each
    duty's sentence again inside its passage: with one Segmenter per document that is ~1.3× the
    document's characters instead of ~2.6× (measured on the synthetic corpus), and segmentation is
    most of the ingest time. Per document, so memory stays bounded and queries are not cached
    (unless the process shares pieces across documents: `share_pieces`)."""

    def __init__(self) -> None:
        _install_features()
        self._pieces: dict[str, tuple[str, ...]] = {}
        self._segment = _shared_words or _piece_words

    def words(self, text: str, heading: str | None = None) -> list[str]:
        """`words(text)`. `heading`: the heading path ("Phần I / 1. Mục đích") that is one of the
        text's " | " parts; its titles are segmented one by one, since each recurs in many paths."""
        out: list[str] = []
        for part in text.split(" | ") if heading else (text,):
            for title in part.split(" / ") if heading and part == heading else (part,):
                for piece in _SENTENCE_END.split(title):
                    if piece.strip():
                        got = self._pieces.get(piece)
                        if got is None:
                            got = self._pieces[piece] = self._segment(piece)
                        out.extend(got)
        return out


_SYLLABLE = re.compile(r"[0-9a-z]+(?:[/-][0-9a-z]+)*")


def syllables(text: str) -> list[str]:
    """Accent-folded lower-case syllables ("Kế hoạch 01/2024" → ["ke", "hoach", "01/2024"]). A count
    written with a leading zero is the count ("03 tháng" is the "3 tháng" a user types)."""
    return [_ZEROS.sub("", s) for s in _SYLLABLE.findall(fold(text).lower())]


_ZEROS = re.compile(r"^0+(?=\d$|\d\d$)")  # "03" → "3", "012" → "12"; "0" and "2028" stay


def accented_syllables(text: str) -> list[str]:
    """Lower-case syllables with their diacritics, in the canonical tone placement."""
    return re.findall(r"[^\W\d_]+", canonical(text).lower())


def folded_terms(text: str) -> list[str]:
    """Accent-folded syllables plus adjacent-syllable bigrams, for the `bm25_folded` vector."""
    sylls = syllables(text)
    return sylls + [f"{a}_{b}" for a, b in zip(sylls, sylls[1:])]


# What users type → what the documents write (DESIGN §4). Expanded at query time only.
ABBREVIATIONS: dict[str, str] = {
    "bct": "Bộ Chính trị",
    "bbt": "Ban Bí thư",
    "bch tw": "Ban Chấp hành Trung ương",
    "bchtw": "Ban Chấp hành Trung ương",
    "mttq": "Mặt trận Tổ quốc",
    "ct-xh": "chính trị - xã hội",
    "ctxh": "chính trị - xã hội",
    "hđnd": "Hội đồng nhân dân",
    "hdnd": "Hội đồng nhân dân",
    "ubnd": "Ủy ban nhân dân",
    "btg": "Ban Tuyên giáo",
    "tw": "Trung ương",
    "kl": "Kết luận",
    "qđ": "Quy định",
    "qđi": "Quy định",  # "QĐi 08": the code a Quy định's number carries ("08-QĐi/TU")
    "qdi": "Quy định",
    "qd": "Quy định",
    # a provincial committee's Quy định is numbered "08-QĐi/TU": cadres name it "QĐi 08"
    "qđi": "Quy định",
    "qdi": "Quy định",
    "ct": "Chỉ thị",
    "nq": "Nghị quyết",
    "hd": "Hướng dẫn",
    "kh": "Kế hoạch",
    "tb": "Thông báo",
    "đv": "đảng viên",
    "đ/c": "đồng chí",  # ("do đ/c nào ký": the comrade who signed)
    "d/c": "đồng chí",
    "dv": "đảng viên",
    "cb": "cán bộ",
    "cbđv": "cán bộ, đảng viên",
    "cbdv": "cán bộ, đảng viên",
    "đtn": "Đoàn Thanh niên",
    "httt": "học tập và làm theo",
    # Bodies and document kinds of provincial and district papers, as cadres type them.
    "bc": "Báo cáo",
    "qc": "Quy chế",
    "bcđ": "Ban Chỉ đạo",
    "bcd": "Ban Chỉ đạo",
    "btv": "Ban Thường vụ",
    "bch": "Ban Chấp hành",
    "btc": "Ban Tổ chức",
    "ubkt": "Ủy ban Kiểm tra",
    # "UB MTTQ xã", "UBMTTQ": the committee, as cadres write it
    "ub": "Ủy ban",
    "ubmttq": "Ủy ban Mặt trận Tổ quốc",
    "vp": "Văn phòng",
    "bdv": "Ban Dân vận",
    "bnc": "Ban Nội chính",
    "mttqvn": "Mặt trận Tổ quốc Việt Nam",
    "vksnd": "Viện kiểm sát nhân dân",
    "tand": "Tòa án nhân dân",
    "tccs": "tổ chức cơ sở",
    "tccsđ": "tổ chức cơ sở đảng",
    "tccsd": "tổ chức cơ sở đảng",
    "csdl": "cơ sở dữ liệu",
    "vh-xh": "văn hóa - xã hội",
    "thcs": "trung học cơ sở",
    "thpt": "trung học phổ thông",
    "pctn": "phòng, chống tham nhũng",
    "htx": "hợp tác xã",
    "ctr": "Chương trình",
    "ctrhđ": "Chương trình hành động",
    "tu": "Tỉnh ủy",
    "hu": "Huyện ủy",
    "đu": "Đảng ủy",
    "du": "Đảng ủy",
    "cv": "Công văn",
    "tt": "Thường trực",
    # Posts, as written in notes and on phones: "PCT UBND xã", "PBT Đảng ủy", "UVBTV".
    "pct": "Phó Chủ tịch",
    "pbt": "Phó Bí thư",
    "bt": "Bí thư",  # "Phó BT Thường trực", "toi la bt chi bo"
    "cty": "Công ty",
    "uvbtv": "Ủy viên Ban Thường vụ",
    "pctt": "phòng, chống thiên tai",
    # Chat shorthand for the words questions turn on: "có dc … ko", "làm ntn".
    "ko": "không",
    "dc": "được",
    "đc": "được",
    "ntn": "như thế nào",
    "trc": "trước",
    "j": "gì",  # "phải làm j", "ngày nào j"
    "bn": "bao nhiêu",
    "nv": "nhiệm vụ",  # "có nv gì", "hoàn thành tốt nv"
    "sv": "sinh viên",
    "hssv": "học sinh, sinh viên",
    # The four grades of a yearly review, as written in reports and typed
    "htxsnv": "hoàn thành xuất sắc nhiệm vụ",
    "httnv": "hoàn thành tốt nhiệm vụ",
    "htnv": "hoàn thành nhiệm vụ",
    "khtnv": "không hoàn thành nhiệm vụ",
    "online": "trực tuyến",  # "dự online", "họp online": the documents say "trực tuyến"
    "vs": "với",
    # Congress and mass-work papers as typed: "ĐH chi bộ", "NK 2027-2032", "CA xã", "UBMT xã".
    "đh": "đại hội",
    "dh": "đại hội",
    "nk": "nhiệm kỳ",
    "ca": "Công an",
    "ubmt": "Ủy ban Mặt trận Tổ quốc",
    "ktgs": "kiểm tra giám sát",  # "chương trình KTGS" (no comma: a comma in the question would split its clauses)
}
# Abbreviations that are also words ("tu dưỡng", "du lịch", "đu đủ"): only as typed in capitals.
_CAPITALS_ONLY = frozenset({"tu", "hu", "du", "đu", "ca"})  # "ca" is also a word ("ca trực", "ca hát")
_ABBR_RE = re.compile(
    r"(?<![\w/-])(" + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True)) + r")(?![\w/-])",
    re.IGNORECASE,
)


# An issuer's code as document numbers write it, typed as a word: a body's abbreviation and its
# committee's ("VPHU" = Văn phòng Huyện ủy, "BTGTU" = Ban Tuyên giáo Tỉnh ủy, "UBKTTU"). Capitals only:
# typed in lower case these letters may be a word.
_BODY_CODES = ("vp", "btg", "btc", "ubkt", "bdv", "bnc", "btv", "bcđ", "bcd", "tt")
_COMMITTEE_CODES = ("tu", "hu", "đu", "du", "tw")
_COMPOUND_RE = re.compile(
    r"(?<![\w/-])(" + "|".join(c.upper() for c in _BODY_CODES) + r")(" + "|".join(c.upper() for c in _COMMITTEE_CODES)
    + r")(?![\w/-])")


# "CT UBND xã", "ct hoi nong dan": before a body whose head is its chủ tịch, "CT" is that post, not a
# Chỉ thị (a directive is named by its number: "CT 21", "Chỉ thị 21-CT/TU").
_CHAIR_RE = re.compile(r"(?<![\w/-])(p?ct)(?=\s+(?:ubnd|ub|ubmttq|mttq|hđnd|hdnd|hđ|hd|ủy ban|uy ban|hội|hoi|công đoàn|cong doan"
                       r"|xã|xa|phường|phuong|thị trấn|thi tran)(?![\w/-]))", re.IGNORECASE)


# "Chủ tịch HĐ NVQS", "chu tich HD …": after a chair or a member, "HĐ"/"HD" is a council (Hội đồng), not
# a guidance (Hướng dẫn, which is named by its number).
_COUNCIL_RE = re.compile(r"(?<![\w/-])(chủ tịch|chu tich|ủy viên|uy vien|thành viên|thanh vien)\s+(hđ|hd)(?![\w/-])",
                         re.IGNORECASE)


# One-letter chat words: "… có phải viết k?" (không), "e đang nghỉ …" (em), "mik/mk" (mình). A letter
# after "điểm"/"tiết" is a point of an article ("điểm k khoản 1", "điểm e"), never a word.
# (ending a clause, or before the verb it negates: "trường hợp k được miễn", "k phải viết")
_CHAT_NO = re.compile(r"(?<![\w/-])[kK](?=\s*(?:[?,.!;]|$)|\s+(?:được|duoc|dc|đc|phải|phai|có|co|cần|can|bị|bi|nên|nen|biết|biet)\b)")
_CHAT_I = re.compile(r"(?<![\w/-])(?:(?P<em>[eE])|(?P<minh>mik|mk|mjk))(?![\w/-])(?!\s*\))")
_POINT_BEFORE = re.compile(r"(?<!kiểm )(?<!kiem )(?:điểm|diem|tiết|tiet)\s+$", re.I)
# "bí thư cb thôn", "sinh hoạt cb": after these, "cb" is a chi bộ, not cán bộ
_BRANCH_CB = re.compile(r"\b(?P<lead>bí thư|bi thu|bt|sinh hoạt|sinh hoat|sh|pbt|chi ủy|chi uy)\s+cb(?![\w/-])", re.I)


# "đang học ĐH", "sinh viên ĐH": a university, not the congress ("ĐH chi bộ") the list spells out
_STUDY_DH = re.compile(r"\b(?P<lead>học|hoc|sinh viên|sinh vien|trường|truong)\s+(?:đh|dh)(?![\w/-])", re.I)


def _chat_word(m: re.Match[str], word: str) -> str:
    """The chat word for a letter typed alone, unless it is a point of an article."""
    return m.group(0) if _POINT_BEFORE.search(m.string, 0, m.start()) else word


def expand_abbreviations(query: str) -> str:
    """'KL 14 của BCT' → 'Kết luận 14 của Bộ Chính trị', 'VPHU' → 'Văn phòng Huyện ủy', 'CT UBND xã' →
    'Chủ tịch Ủy ban nhân dân xã'. Document numbers ("14-KL/TW", "15-KH/VPHU") are left alone."""
    query = _CHAT_NO.sub(lambda m: _chat_word(m, "không"), query)
    query = _CHAT_I.sub(lambda m: _chat_word(m, "em" if m.group("em") else "mình"), query)
    query = _BRANCH_CB.sub(lambda m: f"{m.group('lead')} chi bộ", query)
    query = _STUDY_DH.sub(lambda m: f"{m.group('lead')} đại học", query)
    query = _CHAIR_RE.sub(lambda m: "Phó Chủ tịch" if m.group(1).lower() == "pct" else "Chủ tịch", query)
    # (typed without diacritics, said without them: the role finder reads a post's name in one style)
    query = _COUNCIL_RE.sub(lambda m: f"{m.group(1)} {'Hội đồng' if fold(m.group(1)) != m.group(1) else 'hoi dong'}", query)
    query = _COMPOUND_RE.sub(lambda m: f"{ABBREVIATIONS[m.group(1).lower()]} {ABBREVIATIONS[m.group(2).lower()]}", query)
    return _ABBR_RE.sub(lambda m: m.group(1) if m.group(1).lower() in _CAPITALS_ONLY and not m.group(1).isupper()
                        else ABBREVIATIONS[m.group(1).lower()], query)
