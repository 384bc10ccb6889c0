"""The features underthesea's word segmenter gives its CRF, computed in Python: the same strings as
underthesea_core's `CRFFeaturizer`, two to three times faster.

Why our own: segmentation is half of the ingest time and more than half of it was that featurizer,
which builds every feature string anew for every token (≈ 25 µs a token here, 43 features; this one
≈ 9 µs, keeping the strings that recur). Its definition
is short and public — underthesea_core 3.3.2, src/featurizers.rs, pinned in pyproject.toml — and this
module follows it: for a template "T[a]" or "T[a,b]" (tokens a..b around the position, joined by a
space) with an optional function, the feature is "<template>=<value>", where the value is "BOS" when
token a lies before the sentence, "EOS" when token a or b lies past its end, else the text, its
`lower` case, `isdigit` ("True" when it parses as a 32-bit integer), `istitle` ("True" when every
space-separated part starts with a character that upper case leaves as it is) or `is_in_dict`
("True" when its lower case is in the model's dictionary).

The model, its tagger and the tokenizer stay underthesea's; only the featurizer object of the loaded
word-segmentation model is replaced (`install`), after checking that both give the same features on
probe sentences and on every character this one takes (Latin, Vietnamese, punctuation): the library's
Unicode tables are newer than Python's ("ƛ" has an upper case since Unicode 16), so a character they
disagree on, or any outside those scripts, sends its sentence to the library's featurizer.
"""
from __future__ import annotations

import logging
import re
from os.path import dirname, join
from typing import Any

log = logging.getLogger("sotay")

_TEMPLATE = re.compile(r"T\[(?P<index1>-?\d+)(,(?P<index2>-?\d+))?](\[(?P<column>.*)])?(\.(?P<function>.*))?")
_FUNCTIONS = ("lower", "isdigit", "istitle", "is_in_dict")
_BOOLEAN = ("isdigit", "istitle", "is_in_dict")
_INT = re.compile(r"[+-]?[0-9]+")  # Rust's i32 parse: an optional sign and ASCII digits
# The characters this featurizer takes, once `install` has checked each against the library's: Latin,
# combining marks, Vietnamese, general punctuation and currency signs.
RANGES = ((0x0000, 0x0250), (0x0300, 0x0370), (0x1E00, 0x1F00), (0x2000, 0x2070), (0x20A0, 0x20D0))
MODEL = "ws_crf_vlsp2013_20230727"  # underthesea's word-segmentation model (pipeline/word_tokenize/models)
PROBES = (  # sentences both featurizers must agree on before ours replaces the library's
    "Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy , tổ chức đảng báo cáo trước ngày 15 / 12 / 2024 .",
    "HUYỆN ỦY Tam Đường ĐẢNG CỘNG SẢN VIỆT NAM Số 12 - KH / HU -5 +7 2147483648 007 a",
    "x",
)


def _isdigit(text: str) -> str:
    return "True" if _INT.fullmatch(text) and -2**31 <= int(text) < 2**31 else "False"


def _istitle(text: str) -> str:
    for part in text.split(" "):
        first = part[0]  # an empty part raises, as the library panics
        if first != first.upper():
            return "False"
    return "True"


class _Strings(dict):
    """value → "<template>=<value>", made once: most feature values (a word, "True", "BOS") recur."""

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def __missing__(self, value: str) -> str:
        if len(self) >= CACHED_VALUES:
            self.clear()
        out = self[value] = self.prefix + value
        return out


# Strings kept per template of one token, and tokens' values: a language's syllables and the numbers
# and names of a few documents fit (≈ 2 MB a template at most); a process meeting more starts over.
CACHED_VALUES = 20_000


class Featurizer:
    """`process(sentences)` as `underthesea_core.CRFFeaturizer(templates, dictionary)` gives it, for
    sentences whose tokens are one-column rows ([[token], …]: what word_tokenize passes)."""

    def __init__(self, templates: list[str], dictionary: set[str], fallback: Any = None, exclude: str = ""):
        self.dictionary = dictionary
        self.fallback = fallback  # the library's featurizer, for sentences this one does not take
        # a token with a character outside RANGES, or one of `exclude`, is not taken
        ranges = "".join(f"\\U{lo:08x}-\\U{hi - 1:08x}" for lo, hi in RANGES)
        self.outside = re.compile(f"[^{ranges}]" + (f"|[{re.escape(exclude)}]" if exclude else ""))
        parsed: list[tuple[str, int, int, str | None]] = []
        for syntax in templates:
            found = list(_TEMPLATE.finditer(syntax))
            if len(found) != 1 or found[0]["column"] not in (None, "0"):
                raise ValueError(f"feature template not supported: {syntax!r}")
            m = found[0]
            a = int(m["index1"])
            b = int(m["index2"]) if m["index2"] is not None else a
            if b < a:
                raise ValueError(f"feature template not supported: {syntax!r}")
            fn = m["function"] if m["function"] in _FUNCTIONS else None  # another function: the text
            parsed.append((syntax + "=", a, b - a + 1, fn))
        self.before = max(0, -min(a for _, a, _, _ in parsed))
        self.after = max(0, max(a for _, a, _, _ in parsed))
        self.kinds = list(dict.fromkeys((size, fn) for _, _, size, fn in parsed))  # the value lists needed
        self._tokens: dict[str, tuple[str, str, str, str]] = {}
        self._rows = self._row_maker(parsed)

    def _row_maker(self, parsed: list[tuple[str, int, int, str | None]]) -> Any:
        """A function (value lists → every token's features) written out for these templates: one
        expression per feature inside one list comprehension. Why generated: a loop over the templates
        for each token, or a list per template then transposed, cost twice as much."""
        env: dict[str, Any] = {}
        items = []
        for k, (prefix, a, size, fn) in enumerate(parsed):
            at = f"v{self.kinds.index((size, fn))}[p + {a + self.before}]"
            if fn in _BOOLEAN or size == 1:  # few values, or one word's: strings made once
                env[f"s{k}"] = _Strings(prefix)
                items.append(f"s{k}[{at}]")
            else:  # a span of words: rarely the same twice
                env[f"s{k}"] = prefix
                items.append(f"s{k} + {at}")
        args = ", ".join(f"v{j}" for j in range(len(self.kinds)))
        exec(f"def rows(n, {args}):\n    return [[{', '.join(items)}] for p in range(n)]\n", env)
        return env["rows"]

    def process(self, sentences: list[list[list[str]]]) -> list[list[list[str]]]:
        out = []
        for rows in sentences:
            tokens = [row[0] for row in rows]
            # one column; no empty token, none with a space (its empty parts make the library panic)
            if any(len(row) != 1 for row in rows) or not all(tokens) or any(" " in t for t in tokens) \
                    or any(map(self.outside.search, tokens)):
                if self.fallback is None:
                    raise ValueError("sentence outside what this featurizer takes")
                out.append(self.fallback.process([rows])[0])
            else:
                out.append(self.features(tokens))
        return out

    def _token(self, token: str) -> tuple[str, str, str, str]:
        """A token's lower case, istitle, isdigit and is_in_dict values."""
        got = self._tokens.get(token)
        if got is None:
            if len(self._tokens) >= CACHED_VALUES:
                self._tokens.clear()
            low = token.lower()
            got = self._tokens[token] = (low, _istitle(token), _isdigit(token),
                                         "True" if low in self.dictionary else "False")
        return got

    def features(self, tokens: list[str]) -> list[list[str]]:
        """Each token's features, in template order."""
        n = len(tokens)
        before, after = self.before, self.after
        info = [self._token(t) for t in tokens]
        one = {None: tokens, "lower": [x[0] for x in info], "istitle": [x[1] for x in info],
               "isdigit": [x[2] for x in info], "is_in_dict": [x[3] for x in info]}
        spans: dict[tuple[int, str | None], list[str]] = {}

        def inner(size: int, fn: str | None) -> list[str]:
            """The value of each span of `size` tokens inside the sentence, by its first token."""
            if size == 1:
                return one[fn]
            got = spans.get((size, fn))
            if got is None:
                m = max(0, n - size + 1)
                if fn is None or fn == "lower":  # lower case of a span: its tokens' (a space stops every rule)
                    w = one[fn]
                    if size == 2:
                        got = [a + " " + b for a, b in zip(w, w[1:])]
                    elif size == 3:
                        got = [a + " " + b + " " + c for a, b, c in zip(w, w[1:], w[2:])]
                    else:
                        got = [" ".join(w[i:i + size]) for i in range(m)]
                elif fn == "is_in_dict":
                    d = self.dictionary
                    got = ["True" if x in d else "False" for x in inner(size, "lower")]
                elif fn == "istitle":  # a span's parts are its tokens'
                    t = one["istitle"]
                    got = ["False" if "False" in t[i:i + size] else "True" for i in range(m)]
                else:
                    got = [_isdigit(x) for x in inner(size, None)]
                spans[(size, fn)] = got
            return got

        # each list padded: "BOS" for a span starting before the sentence, "EOS" for one running past it
        return self._rows(n, *[["BOS"] * before + inner(size, fn) + ["EOS"] * (min(size, n + 1) - 1 + after)
                               for size, fn in self.kinds])


def install(model: Any) -> bool:
    """Give underthesea's loaded word-segmentation model (`FastCRFSequenceTagger`) this featurizer,
    with its own as the fallback, when both agree on the probes. False (and the library's kept) when
    anything differs or cannot be read."""
    library = getattr(model, "featurizer", None)
    if library is None or isinstance(library, Featurizer):
        return isinstance(library, Featurizer)
    try:
        import joblib
        import underthesea.pipeline.word_tokenize as wt
        from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

        path = join(dirname(wt.__file__), "models", MODEL)
        templates, dictionary = joblib.load(join(path, "features.bin")), joblib.load(join(path, "dictionary.bin"))
        ours = Featurizer(templates, dictionary)
        probes = [[[t] for t in tokenize(p)] for p in PROBES]
        if ours.process(probes) != library.process(probes):
            log.warning("underthesea's word-segmentation features differ from ours: the library's are used")
            return False
        # Every character as a token of one sentence; where the features differ, each character around
        # is tried alone (its text, its lower case, whether upper case changes it).
        chars = [chr(c) for lo, hi in RANGES for c in range(lo, hi) if not chr(c).isspace()]
        near = {c for p, (got, want) in enumerate(zip(ours.features(chars), library.process([[[c] for c in chars]])[0]))
                if got != want for c in chars[max(0, p - 2):p + 3]}
        differ = "".join(c for c in sorted(near) if ours.features([c]) != library.process([[[c]]])[0])
        ours = Featurizer(templates, dictionary, library, exclude=differ)
    except Exception as e:  # another model or library version: keep the library's
        log.warning("underthesea's word-segmentation features kept (%s)", e)
        return False
    model.featurizer = ours
    return True
