"""Lessons for trainers: an outline of cited points from a topic (build), review questions (questions), .docx / .md (export)."""
