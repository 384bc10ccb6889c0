"""eval/variants.py: variants are environment settings; ad-hoc ones parse; a missing package skips."""
from __future__ import annotations

import pytest

from eval.variants import (BASE, DEFAULT_VARIANTS, VARIANTS, Variant, VariantUnavailable, parse_variant,
                           process_env)


def test_registered_and_default_variants():
    assert VARIANTS["sparse"].settings() == {}
    assert set(DEFAULT_VARIANTS) <= set(VARIANTS)
    assert VARIANTS["sparse+e5"].env == {"SOTAY_EMBED_MODEL": "e5-small"}


def test_ad_hoc_variant():
    v = parse_variant("mine:SOTAY_EMBED_MODEL=/models/x, SOTAY_TORCH_THREADS=2")
    assert v.name == "mine"
    assert v.settings() == {"SOTAY_EMBED_MODEL": "/models/x", "SOTAY_TORCH_THREADS": "2"}
    for bad in ("nope", ":A=1", "x:A"):
        with pytest.raises(ValueError):
            parse_variant(bad)


def test_a_variant_needing_an_absent_package_is_unavailable():
    with pytest.raises(VariantUnavailable, match="no_such_package_xyz"):
        Variant("x", env={"A": "1"}, requires="no_such_package_xyz").settings()


def test_process_env_starts_from_a_clean_deployment():
    base = {"PATH": "/bin", "SOTAY_EMBED_MODEL": "/elsewhere", "SOTAY_API_KEYS": "k:admin", "SOTAY_RATE_LIMIT": "5/minute"}
    env = process_env(base, {}, "/tmp/d")
    assert env["PATH"] == "/bin" and env["SOTAY_DATA_DIR"] == "/tmp/d"
    assert "SOTAY_EMBED_MODEL" not in env and "SOTAY_API_KEYS" not in env
    assert env["SOTAY_RATE_LIMIT"] == BASE["SOTAY_RATE_LIMIT"] == "off"
    assert process_env(base, {"SOTAY_EMBED_MODEL": "e5-small"}, "/d")["SOTAY_EMBED_MODEL"] == "e5-small"
