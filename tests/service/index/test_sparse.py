"""Sparse BM25 vectors (service/index/sparse.py): stable hashed token ids, term-frequency weights that
saturate and shrink with length, one weight per distinct query term, and a folded vector that a text
typed without diacritics shares with the same text written properly."""
from __future__ import annotations

from ingest.tokenize import folded_terms, words
from service.index.sparse import K1, document_vectors, query_vectors, token_id


def _weights(vec) -> dict[int, float]:
    assert vec.indices == sorted(set(vec.indices)), "indices sorted and distinct"
    assert len(vec.indices) == len(vec.values)
    return dict(zip(vec.indices, vec.values))


def test_token_ids_are_stable_32_bit_hashes():
    ids = {t: token_id(t) for t in ("kế_hoạch", "ke", "hoach", "ke_hoach", "01/2024", "222-kh/tu")}
    assert all(0 <= i < 2**32 for i in ids.values())
    assert len(set(ids.values())) == len(ids)
    token_id.cache_clear()  # the same id without the cache: nothing depends on this process
    assert {t: token_id(t) for t in ids} == ids


def test_document_weights_saturate_and_shrink_with_length():
    once = _weights(document_vectors("nêu gương")["bm25"])
    thrice = _weights(document_vectors("nêu gương nêu gương nêu gương")["bm25"])
    term = token_id(words("nêu gương")[0])
    assert 0 < once[term] < thrice[term] < K1 + 1  # more occurrences weigh more, never past k1 + 1
    padding = " ".join(["cán bộ đảng viên học tập"] * 40)
    diluted = _weights(document_vectors(f"nêu gương {padding}")["bm25"])
    assert diluted[term] < once[term]  # the same single occurrence in a long text weighs less
    assert all(v > 0 for v in diluted.values())


def test_query_vectors_weigh_each_distinct_term_once():
    q = query_vectors(["kế_hoạch", "cá_nhân", "kế_hoạch"], ["ke", "hoach", "ke"])
    assert set(q) == {"bm25", "bm25_folded"}
    assert q["bm25"].indices == sorted({token_id("kế_hoạch"), token_id("cá_nhân")}) and q["bm25"].values == [1.0, 1.0]
    assert q["bm25_folded"].values == [1.0, 1.0]
    assert query_vectors([], []) == {} and set(query_vectors(["x"], [])) == {"bm25"}


def test_text_without_diacritics_shares_the_folded_vector():
    written = document_vectors("Hạn chót nộp kế hoạch cá nhân")
    typed = document_vectors("han chot nop ke hoach ca nhan")
    assert written["bm25_folded"].indices == typed["bm25_folded"].indices
    assert set(_weights(typed["bm25_folded"])) == {token_id(t) for t in folded_terms("han chot nop ke hoach ca nhan")}
    assert written["bm25"].indices != typed["bm25"].indices  # the accented vector keeps them apart


def test_tokens_whose_ids_meet_add_their_weights():
    """Two tokens can hash to one 32-bit id ("t15385" and "t210367" do): the id then carries the sum
    of both weights, each the BM25 term-frequency weight of its own count."""
    from service.index.sparse import AVG_LEN, B, _tf_vector

    assert token_id("t15385") == token_id("t210367")
    tokens = ["t15385", "t210367", "t210367", "khác"]
    vec = _weights(_tf_vector(tokens, AVG_LEN["bm25"]))
    norm = K1 * (1 - B + B * len(tokens) / AVG_LEN["bm25"])
    weight = lambda tf: tf * (K1 + 1) / (tf + norm)  # noqa: E731
    assert vec == {token_id("t15385"): weight(1) + weight(2), token_id("khác"): weight(1)}
