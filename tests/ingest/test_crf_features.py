"""ingest/crf_features.py: underthesea's word-segmentation features computed in Python are, string for
string, those of the library's own featurizer (underthesea_core's CRFFeaturizer, loaded from the same
model files) — on every character it takes, on the corpus's sentences and on the edge cases of each
function — and word segmentation gives the same words with either."""
from __future__ import annotations

import random
from os.path import dirname, join

import joblib
import pytest
import underthesea.pipeline.word_tokenize as wt
from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize
from underthesea_core import CRFFeaturizer

from ingest.crf_features import MODEL, Featurizer, install
from ingest.tokenize import Segmenter, _word_tokenize

PATH = join(dirname(wt.__file__), "models", MODEL)
# Every character of the ranges the featurizer takes (Latin, combining marks, Vietnamese, punctuation).
CHECKED = [chr(c) for lo, hi in ((0x21, 0x250), (0x300, 0x370), (0x1E00, 0x1F00), (0x2010, 0x2070), (0x20A0, 0x20D0))
           for c in range(lo, hi)]


@pytest.fixture(scope="module")
def pair():
    """The featurizer documents are segmented with (installed by the first Segmenter) and the library's own."""
    Segmenter()
    ours = wt.word_tokenize_model.featurizer
    assert isinstance(ours, Featurizer)
    templates, dictionary = joblib.load(join(PATH, "features.bin")), joblib.load(join(PATH, "dictionary.bin"))
    return ours, CRFFeaturizer(templates, dictionary)


def _same(pair, sentences: list[list[str]]) -> None:
    ours, library = pair
    rows = [[[t] for t in s] for s in sentences]
    for got, want, s in zip(ours.process(rows), library.process(rows), sentences):
        assert got == want, s


def test_it_takes_vietnamese_and_leaves_what_the_library_reads_otherwise(pair):
    """Every Vietnamese letter is computed here; the characters whose case the library's newer Unicode
    tables map otherwise ("ƛ" has an upper case since Unicode 16) go to the library."""
    ours, _ = pair
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxy" + "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    for c in letters + letters.upper():
        assert not ours.outside.search(c), c
    assert ours.outside.search("ƛ") and ours.outside.search("Σ") and ours.outside.search("北")


def test_every_character_alone_and_between_words(pair):
    rng = random.Random(3)
    words = ["Ban", "thường", "vụ", "ĐẢNG", "12", "-5", "Kế hoạch".split()[0], "hoạch"]
    sentences = [[c] for c in CHECKED]
    for c in CHECKED:  # inside a word, at its start, with its upper and lower case, next to others
        sentences.append([rng.choice(words), c + "a", "A" + c, c.upper() + c.lower(), rng.choice(words), c * 2])
    _same(pair, sentences)


def test_numbers_titles_and_sentence_edges(pair):
    numbers = ["0", "007", "+5", "-0", "-12", "2147483647", "2147483648", "-2147483648", "-2147483649", "+", "-",
               "1.5", "1,5", "15/12/2024", "01-KL/TW", "½", "²", "Ⅳ"]
    titles = ["Ban", "ban", "BAN", "Đảng", "đảng", "Ủy", "ủy", "İstanbul", "ǅemal", "ß", "ŉ", "1a", "(Ban", "\"Ban"]
    sentences = [numbers, titles, ["Ban"], ["Ban", "Thường"], ["một", "hai", "ba"], numbers[:4] + titles[:4]]
    sentences += [titles[i:i + 5] for i in range(len(titles))] + [numbers[i:i + 3] for i in range(len(numbers))]
    _same(pair, sentences)


def test_sentences_of_the_corpus_and_of_generated_documents(pair, corpus_docs):
    from support.docgen import generate

    texts = [d.text[s.start:s.end] for d in corpus_docs.values() for s in d.sentences]
    texts += [line for seed in range(40) for line in generate(seed).text.splitlines()]
    sentences = [t for t in map(tokenize, texts) if t]
    assert len(sentences) > 2000
    _same(pair, sentences)


def test_what_it_does_not_take_goes_to_the_library(pair):
    ours, library = pair
    alone = Featurizer(*[joblib.load(join(PATH, f)) for f in ("features.bin", "dictionary.bin")])
    for odd in (["Σίσυφος", "và"], ["北京"], ["a b"], [""], ["ok", "🙂"]):
        with pytest.raises(ValueError):
            alone.process([[[t] for t in odd]])
        assert ours.process([[[t] for t in odd if t]]) == library.process([[[t] for t in odd if t]])


def test_the_loaded_model_uses_it_and_segments_alike(corpus_docs):
    """Once documents are segmented, the model has it installed; segmenting with the library's own
    featurizer gives the same words."""
    Segmenter()
    segment = _word_tokenize()
    model = wt.word_tokenize_model
    assert isinstance(model.featurizer, Featurizer) and install(model)
    texts = [d.text[s.start:s.end] for d in corpus_docs.values() for s in d.sentences][:400]
    ours = [segment(t) for t in texts]
    installed = model.featurizer
    model.featurizer = installed.fallback
    try:
        assert [segment(t) for t in texts] == ours
    finally:
        model.featurizer = installed
