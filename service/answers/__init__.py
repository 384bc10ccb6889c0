"""Answers to a question, one composer per kind of question; the calendar (ics) and the optional LLM rephrasing (llama)."""
