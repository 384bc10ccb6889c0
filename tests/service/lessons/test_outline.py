"""service/lessons/outline.py: an edited outline drops a removed point everywhere, and a topic typed
without diacritics is titled as the documents write it."""
from __future__ import annotations

import json

from service.lessons.build import build_lesson
from service.lessons.outline import restored_topic


def test_restored_topic_takes_the_documents_spelling():
    texts = ["Tăng cường vai trò nêu gương của cán bộ.", "Nêu gương là trách nhiệm.", "neu guong"]
    assert restored_topic("Neu guong", texts) == "nêu gương"
    assert restored_topic("neu  guong", texts) == "nêu gương"
    assert restored_topic("nêu gương", []) == "nêu gương"  # typed with diacritics: as typed
    assert restored_topic("lam viec", texts) == "lam viec"  # no text has the words


def test_a_removed_point_is_gone_from_duties_and_questions(kb):
    full = build_lesson(kb, "kế hoạch cá nhân")
    ids = [p["id"] for part in full["parts"] for p in part["points"]]
    duty_ids = [o["id"] for o in full["obligations"]]
    # Reordering removes nothing.
    assert [o["id"] for o in build_lesson(kb, "kế hoạch cá nhân", points=list(reversed(ids)))["obligations"]] == duty_ids
    for i, pid in enumerate(ids):
        quote = next(p["citation"]["quote"] for part in full["parts"] for p in part["points"] if p["id"] == pid)
        edited = build_lesson(kb, "kế hoạch cá nhân", points=ids[:i] + ids[i + 1:])
        shown = json.dumps({k: edited[k] for k in ("parts", "obligations", "questions")}, ensure_ascii=False)
        assert quote not in shown, pid
        assert {o["id"] for o in edited["obligations"]} <= set(duty_ids)


def test_title_from_a_topic_without_diacritics(kb):
    assert build_lesson(kb, "Neu guong")["title"] == "Bài giảng: Nêu gương"
    assert build_lesson(kb, "ke hoach ca nhan")["title"] == "Bài giảng: Kế hoạch cá nhân"
