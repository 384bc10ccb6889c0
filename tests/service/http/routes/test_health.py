"""GET /healthz (service/http/routes/health.py)."""
from __future__ import annotations



def test_healthz(http):
    r = http.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["documents"] == 6
    assert body["store"]["backend"] == "edge"
    assert body["store"]["chunks"] > 0
