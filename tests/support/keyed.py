"""A service with API keys over a store holding one `access: internal` document with a marker word:
the keys, the document, and the helpers the access, upload and security tests share."""
from __future__ import annotations

import json

import httpx

from service.knowledge import KnowledgeBase


READ, INTERNAL, ADMIN = "doc-0123456789abcdef", "noibo-0123456789abcdef", "quantri-0123456789abcdef"


KEYS = {READ: "read", INTERNAL: "internal", ADMIN: "admin"}


MARKER = "Xkorbanit"  # a word no public document uses


INTERNAL_NUMBER, CITED_ONLY_BY_INTERNAL = "777-KH/TU", "987-CT/TW"


INTERNAL_DOC = f"""---
number: {INTERNAL_NUMBER}
type: Kế hoạch
title: Kế hoạch về công tác {MARKER} trong học tập lý luận chính trị
issued: 2024-02-20
issuer: Ban Thường vụ Tỉnh ủy
access: internal
---
KẾ HOẠCH
về công tác {MARKER} trong học tập lý luận chính trị

Thực hiện Chỉ thị số {CITED_ONLY_BY_INTERNAL} ngày 01/02/2024 của Ban Bí thư về công tác {MARKER}, Ban Thường vụ Tỉnh ủy ban hành kế hoạch {MARKER} như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Các cấp ủy, tổ chức đảng phải hoàn thành báo cáo {MARKER} về học tập lý luận chính trị trước ngày 15/03/2024.
2. Chi bộ phải tổ chức sinh hoạt chuyên đề {MARKER} về nêu gương đạo đức cách mạng hằng tháng.

II. TỔ CHỨC THỰC HIỆN
1. Bí thư chi bộ phải xây dựng kế hoạch cá nhân {MARKER} về tu dưỡng, rèn luyện đạo đức chậm nhất ngày 30/04/2024.
2. Ban Tuyên giáo Tỉnh ủy chủ trì hướng dẫn học tập {MARKER}, báo cáo kết quả {MARKER} trong Quý II/2024.
"""


def bare_health(r: httpx.Response) -> bool:
    """/healthz for a caller who may not read: up, and nothing about the store."""
    body = r.json()
    return r.status_code == 200 and body["status"] == "ok" and body.get("store") is None and body.get("documents") is None


def client(base_url: str, key: str | None = None, how: str = "x-api-key") -> httpx.Client:
    headers = {}
    if key is not None:
        headers = {"X-API-Key": key} if how == "x-api-key" else {"Authorization": f"{how} {key}"}
    return httpx.Client(base_url=base_url, headers=headers, timeout=60, trust_env=False)


def store_state(kb: KnowledgeBase) -> tuple:
    """Everything a refused upload must leave as it was: the catalog and the point counts."""
    return (json.dumps(kb.store.catalog(), sort_keys=True, ensure_ascii=False, default=str), kb.stats())
