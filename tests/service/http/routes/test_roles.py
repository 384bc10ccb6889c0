"""GET /api/roles (service/http/routes/roles.py)."""
from __future__ import annotations



def test_roles(http):
    r = http.get("/api/roles")
    assert r.status_code == 200
    roles = r.json()["roles"]
    assert isinstance(roles, list) and all(isinstance(x, str) and x for x in roles)
    assert len(set(roles)) == len(roles)
    assert "bí thư chi bộ" in roles, "the picker offers the gazetteer's roles"
