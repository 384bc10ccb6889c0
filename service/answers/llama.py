"""llama-index integration: Sổ tay as a retriever in anyone's llama-index pipeline, and the
optional rephrasing of an extractive answer through an OpenAI-compatible server.

The retriever returns passages as `TextNode`s whose metadata is the citation (document number,
section, span), so a pipeline built on it can still cite verbatim.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

if TYPE_CHECKING:
    from ..knowledge import KnowledgeBase


class SotayRetriever(BaseRetriever):
    def __init__(self, kb: "KnowledgeBase", *, k: int = 5, doc: str | None = None, scopes: tuple[str, ...] = ("read",)):
        super().__init__()
        self._kb, self._k, self._doc, self._scopes = kb, k, doc, scopes

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        passages = self._kb.search(query_bundle.query_str, k=self._k, doc=self._doc, scopes=self._scopes)
        nodes = []
        for p in passages:
            node = TextNode(
                id_=p.chunk_id,
                text=p.text,
                metadata={"doc_id": p.doc_id, "doc_number": p.doc_number, "doc_title": p.doc_title,
                          "section": p.section, "section_title": p.section_title, "start": p.start, "end": p.end},
                excluded_embed_metadata_keys=["start", "end"],
                excluded_llm_metadata_keys=["start", "end", "doc_id"],
            )
            nodes.append(NodeWithScore(node=node, score=p.score))
        return nodes


_MARKER = re.compile(r"\[(\d+)\]")

REPHRASE_PROMPT = (
    "Viết lại câu trả lời sau bằng tiếng Việt cho dễ đọc, KHÔNG thêm thông tin mới, giữ nguyên mọi "
    "ngày tháng, số văn bản và mọi dấu trích dẫn dạng [n] đúng chỗ.\n\nCâu hỏi: {question}\n\nCâu trả lời:\n{answer}"
)


def rephrase(answer: dict, llm_url: str, *, timeout: float = 20.0) -> dict:
    """Ask an OpenAI-compatible server to rephrase the extractive answer. The result is used only
    if it keeps exactly the same [n] markers; on any failure the extractive answer stands."""
    if answer.get("kind") == "none":
        return answer
    try:
        from llama_index.core.llms import ChatMessage
        from llama_index.llms.openai_like import OpenAILike  # optional; not a dependency
    except ImportError:
        return answer
    try:
        llm = OpenAILike(api_base=llm_url, api_key="none", model="default", is_chat_model=True, timeout=timeout)
        msg = REPHRASE_PROMPT.format(question=answer["question"], answer=answer["answer"])
        text = llm.chat([ChatMessage(role="user", content=msg)]).message.content or ""
    except Exception:  # the server is optional; a failure must never lose the answer
        return answer
    return with_rephrased(answer, text)


def with_rephrased(answer: dict, text: str) -> dict:
    """The rephrased text replaces the answer only when it keeps the same citation markers."""
    if not text.strip() or sorted(_MARKER.findall(text)) != sorted(_MARKER.findall(answer["answer"])):
        return answer
    return {**answer, "answer": text.strip(), "extractive_answer": answer["answer"]}
