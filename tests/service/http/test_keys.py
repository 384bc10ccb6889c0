"""Who is calling (service/http/keys.py): the key ring and its scopes, settings that cannot work, the
loopback rule. Over HTTP: test_security.py."""
from __future__ import annotations

import pytest

from service.config import Settings
from service.http import keys
from service.http.app import create_app
from support.keyed import ADMIN, READ


def test_keyring_and_scopes():
    ring = keys.KeyRing({"a" * 20: "read", "b" * 20: "admin", "c" * 20: " Internal "})
    assert ring.scope_of("a" * 20) == "read" and ring.scope_of("b" * 20) == "admin"
    assert ring.scope_of("c" * 20) == "internal"
    assert ring.scope_of("a" * 19) is None and ring.scope_of("") is None and ring.scope_of("\udcff") is None
    assert not keys.KeyRing({}) and ring.counts() == {"read": 1, "admin": 1, "internal": 1}
    kid = keys.key_id("a" * 20)
    assert kid.startswith("sha256:") and "a" * 8 not in kid
    with pytest.raises(keys.SecurityConfigError) as e:
        create_app(Settings(api_keys={"k" * 20: "superuser"}))
    assert "superuser" in e.value.message and "k" * 20 not in e.value.message  # the key is not echoed
    with pytest.raises(keys.SecurityConfigError):
        create_app(Settings(rate_limit="nhanh lắm"))
    # Configuration from the environment
    env = Settings.from_env({"SOTAY_API_KEYS": f"{READ}:read, {ADMIN}:admin", "SOTAY_UPLOAD_MAX_MB": "5",
                             "SOTAY_CORS_ORIGINS": "https://a.vn, https://b.vn", "SOTAY_RATE_LIMIT": "off"})
    assert env.api_keys == {READ: "read", ADMIN: "admin"} and READ not in repr(env)
    assert env.upload_max_mb == 5 and env.cors_origins == ("https://a.vn", "https://b.vn") and env.rate_limit is None
    assert Settings.from_env({}).rate_limit == "60/minute"
    with pytest.raises(ValueError):
        Settings.from_env({"SOTAY_UPLOAD_MAX_PAGES": "-3"})


def test_loopback_rule():
    for host in ("127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"):
        assert keys.is_loopback(host), host
    for host in ("10.0.0.1", "192.168.1.5", "::ffff:10.0.0.1", "2001:db8::1", "testclient", "localhost", "", None):
        assert not keys.is_loopback(host), host
