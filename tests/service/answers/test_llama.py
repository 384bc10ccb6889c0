"""llama-index integration (service/answers/llama.py): Sổ tay as a retriever in a llama-index query
pipeline, and the optional rephrasing that keeps every [n] marker or falls back."""
from __future__ import annotations



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
