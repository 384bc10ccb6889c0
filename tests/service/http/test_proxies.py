"""Client addresses behind a reverse proxy (service/http/proxies.py, issue 16 item 6): X-Forwarded-For
is believed only from SOTAY_TRUSTED_PROXIES, read from the right; the address reaches the access log,
the audit line and the rate limit. Over real HTTP from loopback, which plays the proxy."""
from __future__ import annotations

import json
import time
import logging

import pytest

from conftest import ROOT
from service.config import Settings
from service.http.app import create_app
from service.http.keys import SecurityConfigError
from service.http.proxies import client_address, parse_networks
from support.kb import ingested
from support.keyed import ADMIN, KEYS, READ, client
from support.serving import serve_in_thread as served

LOOPBACK = parse_networks(["127.0.0.1/32"])


def test_right_most_untrusted_hop():
    trusted = parse_networks(["10.0.0.0/8", "127.0.0.1/32"])
    assert client_address("127.0.0.1", ["203.0.113.66, 198.51.100.7"], trusted) == "198.51.100.7"
    assert client_address("127.0.0.1", ["203.0.113.66", "198.51.100.7, 10.1.2.3"], trusted) == "198.51.100.7"
    assert client_address("127.0.0.1", ["10.1.2.3, 10.9.9.9"], trusted) == "10.1.2.3"  # all ours: the farthest
    assert client_address("127.0.0.1", ["[2001:db8::1]:4711"], trusted) == "2001:db8::1"
    assert client_address("127.0.0.1", ["unknown"], trusted) == "127.0.0.1"  # no proxy of ours wrote that
    # From a peer that is not a trusted proxy, the header is the client's own words: ignored.
    assert client_address("198.51.100.7", ["203.0.113.66"], trusted) == "198.51.100.7"
    assert client_address("127.0.0.1", ["203.0.113.66"], []) == "127.0.0.1"
    with pytest.raises(SecurityConfigError):
        parse_networks(["nginx"])


def _audit_clients(caplog) -> list[str]:
    return [json.loads(r.getMessage())["client"] for r in caplog.records if r.name == "sotay.audit"]


@pytest.mark.parametrize("trusted", [(), ("127.0.0.1/32",)], ids=["no-proxy-trusted", "loopback-proxy-trusted"])
def test_forged_addresses_do_not_reach_the_logs(tmp_path, caplog, trusted):
    caplog.set_level(logging.INFO, logger="sotay")
    settings = dict(api_keys=KEYS, trusted_proxies=trusted, rate_limit="3/minute")
    with ingested(tmp_path / "data", [ROOT / "corpus" / "14-KL-TW-2021-bao-ve-can-bo-sang-tao.md"]) as kb, \
            served(create_app(Settings(data_dir=kb.settings.data_dir, **settings), kb=kb)) as url:
        with client(url, ADMIN) as admin:
            # A client that forged the header, relayed by a proxy that appended the real address.
            relayed = {"X-Forwarded-For": "203.0.113.66, 198.51.100.7"}
            assert admin.delete("/api/documents/khong-co", headers=relayed).status_code == 404
        # The access line is written by the server's thread once the response is sent: wait for it.
        deadline = time.monotonic() + 5
        while True:
            access = [r for r in caplog.records if r.name == "sotay.access" and getattr(r, "method", "") == "DELETE"]
            if access or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        want = "198.51.100.7" if trusted else "127.0.0.1"
        assert _audit_clients(caplog) == [want] and [r.client for r in access] == [want]
        # The rate limit counts the client the proxy saw, not the one the header claims.
        with client(url) as anon:
            for forged in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"):
                r = anon.get("/api/search", params={"q": "cán bộ"},
                             headers={"X-Forwarded-For": f"{forged}, 198.51.100.9", "X-API-Key": READ})
        assert r.status_code == 429  # one key: counted together whatever the header says
        with client(url) as anon:
            statuses = [anon.post("/api/ask", json={"question": "cán bộ"},
                                  headers={"X-Forwarded-For": f"203.0.113.{i}, 198.51.100.{i}"}).status_code
                        for i in range(5)]
        assert set(statuses) == {401}  # without a key, no address makes a forwarded request local
