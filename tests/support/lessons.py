"""What the lesson tests share: the topics they build lessons on, and every citation of a lesson."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import CORPUS




TOPICS = ["nêu gương", "kế hoạch cá nhân", "tuyên truyền", "Mặt trận Tổ quốc giám sát"]


UNCOVERED = "công thức nấu phở"


def all_citations(lesson: dict) -> list[dict]:
    """Every citation the lesson carries, wherever it sits."""
    out = list(lesson["citations"])
    out += [p["citation"] for part in lesson["parts"] for p in part["points"]]
    for o in lesson["obligations"]:
        out += [o["citation"]] + ([o["deadline_citation"]] if o.get("deadline_citation") else [])
    out += [q["citation"] for q in lesson["questions"]]
    return out


# A plan only the `internal` scope may read (the lesson tests in process and over HTTP).
INTERNAL = """---
number: 77-KH/TU
type: Kế hoạch
title: Kế hoạch nội bộ về nêu gương trong cơ quan
issued: 2024-02-01
issuer: Ban Thường vụ Tỉnh ủy
access: internal
---
KẾ HOẠCH

1. Nêu gương trong cơ quan
Cán bộ, đảng viên trong cơ quan nêu gương theo Quy định số 88-QĐ/TW, ngày 01/01/2020 của Bộ Chính trị về nêu gương nội bộ. Hoàn thành việc đăng ký nêu gương trước ngày 31/3/2024.
"""


def corpus_with_internal_plan(folder: Path, **extra: str) -> Path:
    """``folder`` holding the shipped corpus, the internal plan and ``extra`` files (name → text)."""
    for f in CORPUS.iterdir():
        shutil.copy(f, folder / f.name)
    for name, text in {"77-KH-TU-2024-noi-bo.md": INTERNAL, **extra}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
