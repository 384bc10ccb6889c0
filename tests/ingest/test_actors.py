"""The gazetteer of actors and the roles users pick: loading, matching, binding, exemptions."""
from __future__ import annotations

import pytest

from ingest.actors import (
    actor, actors, ancestors, binds, exemptions, find_actor_spans, find_actors, match_role, role,
    role_names, roles,
)
from ingest.normalize import fold

FOOTNOTE_2 = ("Trừ đảng viên được miễn sinh hoạt; đảng viên thuộc chi bộ thôn, bản, tổ dân phố không giữ "
              "chức vụ bí thư, phó bí thư chi bộ.")


# ------------------------------------------------------------------------------- gazetteer


def test_gazetteer_loads_with_a_hierarchy():
    table = actors()
    for name in ["cấp ủy", "Tỉnh ủy", "huyện ủy", "thành ủy", "đảng ủy", "chi bộ", "tổ chức đảng",
                 "người đứng đầu", "lãnh đạo chủ chốt", "cán bộ", "đảng viên", "công chức", "viên chức",
                 "người lao động", "Mặt trận Tổ quốc", "tổ chức chính trị - xã hội", "đoàn viên", "hội viên",
                 "Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo Trung ương", "Trường Chính trị tỉnh",
                 "trung tâm chính trị cấp huyện", "Trường Cao đẳng Cộng đồng", "Sở Giáo dục và Đào tạo",
                 "Ban Thường vụ Tỉnh đoàn", "ban cán sự đảng", "đảng đoàn", "cơ quan báo chí",
                 "cơ quan tư tưởng - văn hóa", "Văn phòng Tỉnh ủy", "cấp có thẩm quyền", "Ban Thường trực Mặt trận"]:
        assert name in table, name
    # DESIGN §7: các cấp ủy ⊃ tỉnh ủy, huyện ủy, thành ủy, đảng ủy, chi bộ
    for child in ["Tỉnh ủy", "huyện ủy", "thành ủy", "đảng ủy", "đảng ủy xã", "đảng ủy trực thuộc", "chi bộ", "chi bộ thôn"]:
        assert "cấp ủy" in ancestors(child), child
        assert "tổ chức đảng" in ancestors(child), child
    assert "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội" in ancestors("Ban Thường trực Mặt trận")
    assert "Ban Tuyên giáo" in ancestors("Ban Tuyên giáo Tỉnh ủy")
    assert "cấp ủy" not in ancestors("Sở Giáo dục và Đào tạo")
    assert all(a.kind in ("body", "person", "position") for a in table.values())


@pytest.mark.parametrize("text, expected", [
    ("Các cấp ủy lãnh đạo", ["cấp ủy"]),
    ("Ban Tuyên giáo Tỉnh ủy hướng dẫn", ["Ban Tuyên giáo Tỉnh ủy"]),  # longest match, not "Tỉnh ủy"
    ("BAN TUYEN GIAO TINH UY", ["Ban Tuyên giáo Tỉnh ủy"]),  # no diacritics, upper case
    ("ban tuyên giáo tỉnh uỷ", ["Ban Tuyên giáo Tỉnh ủy"]),  # old tone placement
    ("Sở Giáo dục và Đào tạo tiếp tục", ["Sở Giáo dục và Đào tạo"]),
    ("Mặt trận Tổ quốc và các tổ chức chính trị - xã hội cấp tỉnh",
     ["Mặt trận Tổ quốc và các tổ chức chính trị - xã hội"]),
    ("các chi, đảng bộ cơ sở tổ chức", ["chi bộ", "đảng ủy cơ sở"]),
    ("cho cán bộ, đảng viên², công chức, viên chức, người lao động",
     ["cán bộ", "đảng viên", "công chức", "viên chức", "người lao động"]),
    ("các cơ quan tư tưởng - văn hóa, báo chí tỉnh", ["cơ quan tư tưởng - văn hóa", "cơ quan báo chí"]),
    ("cấp có thẩm quyền thông báo", ["cấp có thẩm quyền"]),
    ("tổ chức chính trị-xã hội", ["tổ chức chính trị - xã hội"]),  # spacing around the dash
])
def test_find_actors(text, expected):
    assert find_actors(text) == expected


def test_folding_collisions_are_not_actors():
    # "đồng chí ủy viên" folds to "dong chi uy vien", which contains "chi uy" (chi ủy)
    assert find_actors("các đồng chí ủy viên ban chấp hành") == ["ủy viên ban chấp hành"]
    assert find_actors("tăng cường tinh thần trách nhiệm") == []


def test_spans_index_the_input():
    text = "Các huyện ủy, thành ủy, đảng ủy trực thuộc xây dựng kế hoạch"
    spans = find_actor_spans(text)
    assert [text[m.start:m.end] for m in spans] == ["huyện ủy", "thành ủy", "đảng ủy trực thuộc"]


# ------------------------------------------------------------------------------- roles


def test_at_least_twenty_roles_with_known_actors():
    names = role_names()
    assert len(names) >= 20 and len(set(names)) == len(names)
    for r in roles():
        assert r.actors and all(a in actors() for a in r.actors), r.name
        # expanded up the hierarchy; the bodies staff work for are taken as named
        for a in r.declared:
            assert ancestors(a) <= r.actors
        assert set(r.works_for) <= r.actors


@pytest.mark.parametrize("typed, expected", [
    ("bí thư chi bộ", "bí thư chi bộ"),
    ("bi thu chi bo", "bí thư chi bộ"),  # no diacritics
    ("chi bộ, bí thư", "bí thư chi bộ"),  # word order
    ("Tôi là bí thư đảng ủy xã", "bí thư đảng ủy xã"),
    ("toi la bi thu dang uy xa", "bí thư đảng ủy xã"),
    ("chủ tịch UBND xã", "chủ tịch UBND xã"),
    ("trưởng phòng cấp huyện", "trưởng phòng cấp huyện"),
    ("giảng viên Trường Chính trị tỉnh", "giảng viên Trường Chính trị tỉnh"),
    ("giáo viên", "giáo viên"),
    ("tôi là đoàn viên", "đoàn viên"),
    ("cán bộ Ban Tuyên giáo", "cán bộ Ban Tuyên giáo Tỉnh ủy"),
    ("phóng viên", "phóng viên"),
    ("đảng viên chi bộ thôn", "đảng viên chi bộ thôn"),
    ("tôi là đảng viên ở chi bộ thôn", "đảng viên chi bộ thôn"),
    ("đảng viên", "đảng viên"),
    ("công chức", "công chức"),
    ("hiệu trưởng", "hiệu trưởng"),
    ("cán bộ Mặt trận", "cán bộ Mặt trận"),
    ("BI THU CHI BO THON", "bí thư chi bộ thôn"),
])
def test_match_role(typed, expected):
    r = match_role(typed)
    assert r is not None and r.name == expected


def test_match_role_without_a_role():
    assert match_role("") is None
    assert match_role("mức lương cơ sở năm 2024") is None


def test_role_flags():
    assert role("đảng viên chi bộ thôn").flags == {
        "chi_bo_thon": True, "bi_thu_chi_bo": False, "mien_sinh_hoat": False, "lanh_dao_chu_chot": False}
    secretary = role("bí thư đảng ủy xã")
    assert secretary.flags["lanh_dao_chu_chot"] is True
    assert {"lãnh đạo chủ chốt", "cấp ủy", "tổ chức đảng", "đảng viên", "cán bộ"} <= secretary.actors


def test_binds_follows_the_hierarchy_downwards_only():
    secretary = match_role("bí thư đảng ủy xã")
    assert binds(["cấp ủy"], secretary)
    assert binds(["các cấp ủy"], secretary)  # surface forms are canonicalised
    assert binds(["lãnh đạo chủ chốt"], secretary)
    assert not binds(["Sở Giáo dục và Đào tạo"], secretary)
    assert not binds(["Tỉnh ủy"], secretary)
    assert not binds([], secretary)
    assert binds(["cấp ủy"], match_role("bí thư chi bộ"))  # chi bộ ⊂ cấp ủy
    assert not binds(["chi bộ"], match_role("bí thư huyện ủy"))
    teacher = match_role("giáo viên")
    assert binds(["viên chức"], teacher)
    assert not binds(["Sở Giáo dục và Đào tạo"], teacher)
    assert not binds(["Đoàn Thanh niên"], match_role("đoàn viên"))  # members are not the organisation
    assert binds(["Ban Thường vụ Tỉnh đoàn"], match_role("cán bộ Tỉnh đoàn"))
    # staff act for their body's own duties, not for every "cơ quan, đơn vị"
    reporter = match_role("phóng viên")
    assert binds(["cơ quan báo chí"], reporter) and binds(["cơ quan tư tưởng - văn hóa"], reporter)
    assert not binds(["cơ quan, đơn vị"], reporter)
    assert binds(["Ban Tuyên giáo"], match_role("cán bộ Ban Tuyên giáo"))  # "Ban tuyên giáo các cấp"
    assert not binds(["ban đảng"], match_role("cán bộ Ban Tuyên giáo"))
    # a leader acts for the body in every category it belongs to
    assert binds(["cơ quan, đơn vị"], match_role("chủ tịch UBND xã"))
    assert not binds(["cấp ủy"], None)


def test_exemptions_apply_only_when_the_role_is_known_to_qualify():
    assert exemptions([FOOTNOTE_2], role("đảng viên chi bộ thôn")) == [FOOTNOTE_2]
    assert exemptions([FOOTNOTE_2], role("đảng viên được miễn sinh hoạt")) == [FOOTNOTE_2]
    assert exemptions([FOOTNOTE_2], role("bí thư chi bộ thôn")) == []  # holds the post
    assert exemptions([FOOTNOTE_2], role("bí thư đảng ủy xã")) == []
    assert exemptions([FOOTNOTE_2], role("đảng viên")) == []  # unknown: shown, not asserted
    inline = "Người đứng đầu chi bộ (trừ chi bộ thôn, bản, tổ dân phố)"
    assert exemptions([inline], role("bí thư chi bộ thôn")) == [inline]
    assert exemptions([inline], role("bí thư chi bộ")) == []
    assert exemptions([FOOTNOTE_2], None) == []


def test_actor_lookup():
    assert actor("chi bộ").parents == ("cấp ủy",)
    assert actor("không có") is None
    assert fold("Đảng") == "Dang"
