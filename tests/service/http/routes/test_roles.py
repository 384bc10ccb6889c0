"""GET /api/roles (service/http/routes/roles.py)."""
from __future__ import annotations



def test_roles(http):
    r = http.get("/api/roles")
    assert r.status_code == 200
    roles = r.json()["roles"]
    assert isinstance(roles, list) and all(isinstance(x, str) and x for x in roles)
    assert len(set(roles)) == len(roles)
    assert "bí thư chi bộ" in roles, "the picker offers the gazetteer's roles"


def test_roles_add_the_bodies_the_documents_name(http):
    from ingest.actors import role_names

    roles = http.get("/api/roles").json()["roles"]
    gazetteer = role_names()
    assert roles[:len(dict.fromkeys(gazetteer))] == list(dict.fromkeys(gazetteer)), "the gazetteer's roles come first"
    from_documents = roles[len(dict.fromkeys(gazetteer)):]
    assert from_documents, "bodies and posts the stored documents name follow"
    assert any("Tuyên giáo" in name for name in from_documents)
