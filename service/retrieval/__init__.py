"""Retrieval: a question parsed once (query), the weights (scoring), what the store holds as a whole (stats), and hybrid search with text rescoring (retriever)."""
