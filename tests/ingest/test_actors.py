"""The gazetteer of actors and the roles users pick: loading, matching, binding, exemptions."""
from __future__ import annotations

import pytest

from ingest.actors import (
    actor, actor_index, actors, ancestors, binds, exemptions, find_actor_spans, find_actors, issuer_posts, match_role,
    role, role_names, roles,
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
    ("Trưởng thôn, tổ trưởng tổ dân phố thông báo", ["trưởng thôn"]),  # a village's head, one post
    ("Chi ủy viên phụ trách công tác kiểm tra", ["chi ủy viên"]),
    # the head of a military command and the military service council's chair are posts of their own
    ("Chỉ huy trưởng Ban Chỉ huy quân sự xã tham mưu", ["chỉ huy trưởng quân sự"]),
    ("Chủ tịch Hội đồng nghĩa vụ quân sự huyện ký quyết định", ["chủ tịch hội đồng nghĩa vụ quân sự"]),
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


def test_a_deputy_is_not_the_post_it_deputises():
    """"phó bí thư chi bộ" holds the words of "bí thư chi bộ": another post all the same."""
    for typed in ("phó bí thư chi bộ", "pho bi thu chi bo co quan"):
        r = match_role(typed)
        assert r is None or "người đứng đầu chi bộ" not in r.actors, (typed, r and r.name)
    assert "người đứng đầu chi bộ" in match_role("bí thư chi bộ cơ quan").actors
    # a member of a body is not the body: "chi ủy viên" gets the chi ủy viên's duties, not the chi ủy's
    member = match_role("toi la chi uy vien chi bo co quan")
    assert "chi ủy viên" in member.actors and member.declared[0] == "chi ủy viên", member.declared


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


# ------------------------------------------------------------------------------- actor phrases


from ingest.actors import actor_phrase, defined_terms, phrase_refs, role_list  # noqa: E402


def _refs(text):
    ph = actor_phrase(text, 0)
    assert ph is not None, text
    return ph.refs


def _one(refs, name):
    found = [r for r in refs if r.name == name]
    assert len(found) == 1, ([r.name for r in refs], name)
    return found[0]


def test_a_unit_takes_the_body_it_belongs_to_and_its_level():
    refs = _refs("Ban Dân vận Huyện ủy Tân Hà chủ trì tổ chức hội nghị")
    assert [(r.category, r.owner, r.levels) for r in refs] == [("Ban Dân vận", "huyện ủy", ["huyện"])]
    (r,) = _refs("Đảng đoàn Hội đồng nhân dân tỉnh giám sát")
    assert (r.category, r.owner, r.levels) == ("đảng đoàn", "Hội đồng nhân dân", ["tỉnh"])
    (r,) = _refs("Văn phòng Đảng ủy Khối tổng hợp")
    assert (r.category, r.owner) == ("văn phòng cấp ủy", "đảng ủy trực thuộc")


def test_a_unit_word_alone_is_no_actor():
    assert find_actors("mua văn phòng phẩm, trang thiết bị") == []
    assert find_actors("Văn phòng Huyện ủy theo dõi") == ["văn phòng cấp ủy", "huyện ủy"]
    # folding merges "trưởng" (a head) and "trường" (a school): the written diacritics decide
    assert _refs("trưởng công an xã báo cáo")[0].category == "trưởng công an"
    assert _refs("Trường Tiểu học Hòa Bình báo cáo")[0].category in ("trường tiểu học", "trường học")


def test_units_of_several_bodies_and_posts_over_several_bodies():
    refs = _refs("Ủy ban kiểm tra các huyện ủy, thành ủy, đảng ủy trực thuộc báo cáo")
    assert [(r.category, r.owner) for r in refs] == [
        ("Ủy ban Kiểm tra", "huyện ủy"), ("Ủy ban Kiểm tra", "thành ủy"), ("Ủy ban Kiểm tra", "đảng ủy trực thuộc")]
    assert all(r.levels == ["huyện"] for r in refs)
    refs = _refs("đứng đầu các trạm y tế, trường học cấp xã phải đăng ký")
    assert [(r.category, r.owner, r.levels) for r in refs] == [
        ("người đứng đầu", "trạm y tế", ["xã"]), ("người đứng đầu", "trường học", ["xã"])]
    # a singular body: the next one after a comma is an actor of its own
    refs = _refs("Ủy ban Kiểm tra Tỉnh ủy, Văn phòng Tỉnh ủy theo dõi")
    assert [(r.category, r.owner) for r in refs] == [("Ủy ban Kiểm tra", "Tỉnh ủy"), ("Văn phòng Tỉnh ủy", None)]


def test_a_level_said_once_for_a_list():
    refs = _refs("phó bí thư thường trực, chủ tịch HĐND, chủ tịch UBND cấp xã phải gương mẫu")
    assert [r.levels for r in refs] == [["xã"]] * 3
    refs = _refs("Tỉnh ủy, các huyện ủy và hội nông dân cấp xã thực hiện")
    assert [r.levels for r in refs] == [["tỉnh"], ["huyện"], ["xã"]]  # names with a level keep their own
    (r,) = _refs("ủy viên ban thường vụ cấp ủy (từ cấp huyện trở lên) phải")
    assert r.levels == ["huyện", "tỉnh", "trung ương"]
    refs = _refs("Các chi bộ, đoàn thể từ tỉnh đến cơ sở thực hiện")
    assert all(r.levels in ([], ["thôn", "xã"]) for r in refs)  # every level: no restriction said


def test_brackets_enumerate_and_exclude():
    refs = _refs("Cán bộ chủ chốt cấp xã (bao gồm: bí thư chi bộ (trừ chi bộ khu phố); hiệu trưởng các trường "
                 "tiểu học; trưởng công an xã) phải báo cáo")
    assert [r.category for r in refs] == ["người đứng đầu chi bộ", "hiệu trưởng", "trưởng công an"]
    assert refs[0].excluded == ["chi bộ thôn"]
    assert refs[1].owner == "trường tiểu học" and refs[1].levels == ["xã"]
    ph = actor_phrase("Các chi bộ, trừ chi bộ thôn, bản, tổ chức sinh hoạt", 0)
    assert [r.category for r in ph.refs] == ["chi bộ"] and ph.refs[0].excluded == ["chi bộ thôn"]
    # an aside is skipped, not read as an actor
    (r,) = _refs("Văn phòng Huyện ủy (qua Ban Tổ chức Huyện ủy) tổng hợp")
    assert r.category == "văn phòng cấp ủy"


def test_a_footnote_marker_does_not_end_the_phrase():
    refs = _refs("Người đứng đầu² cơ quan, đơn vị chịu trách nhiệm")
    assert [(r.category, r.owner) for r in refs] == [("người đứng đầu", "cơ quan, đơn vị")]
    refs = _refs("cán bộ, đảng viên³, công chức thực hiện")
    assert {r.category for r in refs} == {"cán bộ", "đảng viên", "công chức"}


def test_proper_names_single_a_body_out():
    refs = _refs("Báo Tân Hà, Đài Phát thanh và Truyền hình tỉnh mở chuyên mục")
    assert refs[0].proper == "Tân Hà" and refs[0].category == "cơ quan báo chí"
    assert find_actors("Báo cáo kết quả") == []  # "Báo" before a common word is a verb


def test_terms_a_document_defines_are_actors():
    text = ("“Đơn vị đầu mối” là Văn phòng Huyện ủy và Ban Tổ chức Huyện ủy. “Hồ sơ quá hạn” là hồ sơ lưu "
            "quá 18 tháng. Đơn vị đầu mối tổng hợp báo cáo.")
    terms = defined_terms(text)
    assert [e[1] for e in terms.entries] == ["Đơn vị đầu mối"]
    refs = phrase_refs("Đơn vị đầu mối tổng hợp báo cáo.", terms)
    assert {r.category for r in refs} == {"văn phòng cấp ủy", "Ban Tổ chức"}
    assert all(r.name == "Đơn vị đầu mối" for r in refs)


# ------------------------------------------------------------------------------- roles named by documents


@pytest.mark.parametrize("typed", [
    "Huyện đoàn", "Phòng Giáo dục và Đào tạo", "Trung tâm Chính trị huyện", "Văn phòng Huyện ủy", "hiệu trưởng",
    "trưởng công an xã", "trạm trưởng trạm y tế xã", "chủ nhiệm ủy ban kiểm tra huyện ủy",
    "Đảng đoàn Hội đồng nhân dân tỉnh", "tôi là hiệu trưởng trường tiểu học",
])
def test_every_body_or_post_the_documents_name_is_a_role(typed):
    r = match_role(typed)
    assert r is not None and r.capacities


def test_a_level_the_user_names_is_kept():
    assert match_role("chủ tịch UBND tỉnh").name != "chủ tịch UBND xã"
    assert match_role("chủ tịch UBND tỉnh").levels == ("tỉnh",)
    assert match_role("chủ tịch UBND xã").levels == ("xã",)
    school = match_role("hiệu trưởng trường tiểu học")
    assert school.levels == ("xã",) and any(c.owner == "trường tiểu học" for c in school.capacities)


def _ref(text):
    (r,) = _refs(text)
    return r


def test_binding_compares_body_level_and_exclusions():
    district_ubkt = match_role("chủ nhiệm ủy ban kiểm tra huyện ủy")
    assert binds([], district_ubkt, [_ref("Ủy ban kiểm tra các cấp báo cáo")])
    assert binds([], district_ubkt, _refs("Ủy ban kiểm tra các huyện ủy, thị ủy báo cáo"))  # acts for its body
    assert not binds([], district_ubkt, [_ref("Ủy ban Kiểm tra Tỉnh ủy báo cáo")])
    assert not binds([], district_ubkt, [_ref("Văn phòng Huyện ủy tổng hợp")])
    head = [_ref("Người đứng đầu chi bộ (trừ chi bộ thôn, bản) phải đăng ký")]
    assert binds([], match_role("bí thư chi bộ"), head)  # whether it is a village one is not known
    assert not binds([], match_role("bí thư chi bộ thôn"), head)
    commune = _refs("bí thư đảng ủy, chủ tịch UBND cấp xã phải đăng ký")
    assert binds([], match_role("chủ tịch UBND xã"), commune)
    assert not binds([], match_role("chủ tịch UBND tỉnh"), commune)
    assert not binds([], match_role("giáo viên"), commune)
    press = [_ref("Báo Tân Hà mở chuyên mục")]
    assert not binds([], match_role("phóng viên Đài Phát thanh và Truyền hình tỉnh"), press)


def test_roles_from_the_stored_documents():
    refs = phrase_refs("Ban Tuyên giáo Đảng ủy Khối, Báo Tân Hà thực hiện")
    names = role_list(refs)
    assert names[:len(role_names())] == role_names()
    assert "Ban Tuyên giáo Đảng ủy Khối" in names and "Báo Tân Hà" in names
    me = match_role("tôi là phóng viên Báo Tân Hà", known_actors=refs)
    assert me is not None and binds([], me, [refs[1]]) and not binds([], me, [refs[0]])
    body = match_role("Ban Tuyên giáo Đảng ủy Khối", known_actors=refs)
    assert binds([], body, [refs[0]]) and not binds([], body, [_ref("Ban Tuyên giáo Tỉnh ủy chủ trì")])
    # a term one document defines is a role once known
    terms = defined_terms("“Tổ giúp việc” là Văn phòng Huyện ủy. Tổ giúp việc tổng hợp.")
    known = phrase_refs("Tổ giúp việc tổng hợp.", terms)
    r = match_role("tổ giúp việc", known_actors=known)
    assert r is not None and binds([], r, known)
    assert match_role("tổ giúp việc") is None  # unknown without the documents


# ------------------------------------------------------------------------------- posts and the bodies they head


def test_a_body_said_at_one_level_is_the_narrower_body_of_that_level():
    from ingest.actors import _at_level

    assert _at_level("chi bộ", ["thôn"]) == "chi bộ thôn"  # from the alias "chi bộ thôn" = "chi bộ" + "thôn"
    assert _at_level("cấp ủy", ["xã"]) == "đảng ủy xã"  # "cấp ủy cấp xã"
    assert _at_level("chi bộ", ["thôn", "xã"]) == "chi bộ"  # two levels: not narrowed
    assert _at_level("Mặt trận Tổ quốc và các tổ chức chính trị - xã hội", ["xã"]) == \
        "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội"  # no alias says it: not guessed


def test_a_post_a_document_names_gets_its_bodys_duties_and_keeps_exclusions():
    text = ("Bí thư chi bộ khu phố chịu trách nhiệm về việc thực hiện. Chi bộ khu phố báo cáo kết quả. "
            "Các chi bộ (trừ chi bộ thôn, bản) sinh hoạt chuyên đề. Các chi bộ cấp xã tổ chức đối thoại. "
            "Cán bộ, đảng viên đăng ký việc làm cụ thể.")
    known = phrase_refs(text)
    by = {r.text: r for r in known}
    post = match_role("Bí thư chi bộ khu phố", known_actors=known)
    assert post is not None and post.name == "Bí thư chi bộ khu phố"
    assert binds([], post, [by["Chi bộ khu phố"]])  # the body the post heads
    assert not binds([], post, [by["chi bộ (trừ chi bộ thôn, bản)"]])  # excluded by the text
    assert not binds([], post, [by["chi bộ cấp xã"]])  # another level
    assert binds([], post, [r for r in known if r.category == "đảng viên"])  # roles.yaml: a bí thư is a đảng viên
    assert post.flags.get("chi_bo_thon") is True  # the facts exceptions test, kept
    # the same without the documents (roles.yaml's "bí thư chi bộ thôn")
    village = match_role("bí thư chi bộ thôn")
    assert not binds([], village, [by["chi bộ (trừ chi bộ thôn, bản)"]])
    assert binds([], village, [by["Chi bộ khu phố"]])
    assert binds([], match_role("bí thư chi bộ"), [by["chi bộ (trừ chi bộ thôn, bản)"]])  # which chi bộ: unknown


def test_a_village_front_committee_head_is_a_role_of_its_own():
    text = "Ban công tác Mặt trận thôn tổ chức ngày hội. Trưởng ban công tác Mặt trận thôn báo cáo kết quả."
    known = phrase_refs(text)
    head = match_role("trưởng ban công tác Mặt trận thôn", known_actors=known)
    assert head is not None and all(binds([], head, [r]) for r in known)
    assert not binds([], head, _refs("Ban Thường trực Mặt trận huyện báo cáo"))
    assert not binds([], match_role("trưởng phòng cấp huyện"), known)


def test_a_territorial_body_keeps_the_proper_names_of_its_places_in_its_name():
    refs = _refs("Đảng bộ xã Xuân Lộc và Đảng bộ xã Phú Mỹ¹ hoàn thành")
    assert [r.name for r in refs] == ["Đảng bộ xã Xuân Lộc", "Đảng bộ xã Phú Mỹ"]
    assert all(r.category == "đảng ủy xã" and r.levels == ["xã"] for r in refs)
    assert binds([], match_role("bí thư đảng ủy xã"), refs)  # binding is unchanged: a commune's duty
    (village,) = _refs("Các chi bộ thôn Khe Cát, Đồng Me giới thiệu quần chúng ưu tú")
    assert village.name == "chi bộ thôn Khe Cát, Đồng Me" and village.category == "chi bộ thôn"
    (dept,) = _refs("Ban Dân vận Huyện ủy Tân Hà chủ trì")
    assert dept.name == "Ban Dân vận Huyện ủy Tân Hà"
    # a list of bodies goes on after a place
    names = [r.name for r in _refs("Tỉnh ủy Bình Sơn, Ban Tuyên giáo Tỉnh ủy")]
    assert names == ["Tỉnh ủy Bình Sơn", "Ban Tuyên giáo Tỉnh ủy"]


def test_steering_committees_courts_and_procuracies_are_actors():
    refs = _refs("Công an tỉnh, Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh báo cáo tiến độ")
    assert [r.category for r in refs] == ["công an", "Viện kiểm sát nhân dân", "Tòa án nhân dân"]
    (standing,) = _refs("Cơ quan thường trực tổng hợp, báo cáo")
    assert standing.category == "cơ quan thường trực"
    member = match_role("thành viên Ban Chỉ đạo")
    assert binds([], member, _refs("Ban Chỉ đạo họp định kỳ 6 tháng một lần"))
    assert binds([], member, _refs("Thành viên Ban Chỉ đạo giữ bí mật thông tin"))
    assert not binds([], member, [standing])


def test_a_post_whose_last_word_begins_a_bodys_name_is_that_bodys_post():
    (head,) = _refs("Trưởng Ban Tuyên giáo Huyện ủy chủ trì hội nghị")
    assert (head.category, head.owner, head.in_body, head.name) == (
        "người đứng đầu", "Ban Tuyên giáo", "huyện ủy", "Trưởng Ban Tuyên giáo Huyện ủy")
    (director,) = _refs("Giám đốc Sở Tài chính báo cáo")
    assert (director.category, director.owner) == ("người đứng đầu", "Sở Tài chính")
    (front,) = _refs("Trưởng ban công tác Mặt trận thôn báo cáo")  # a post of its own stays one
    assert front.category == "trưởng ban công tác Mặt trận" and front.levels == ["thôn"]
    assert _refs("Trưởng ban xem xét")[0].category == "trưởng phòng, ban"


def test_a_known_post_refining_a_role_keeps_what_its_words_name():
    known = phrase_refs("Bí thư chi bộ trường tiểu học chịu trách nhiệm. Chi bộ trường tiểu học sinh hoạt chuyên đề. "
                        "Cán bộ, đảng viên gương mẫu.")
    me = match_role("Bí thư chi bộ trường tiểu học", known_actors=known)
    assert all(binds([], me, [r]) for r in known)  # the post, the chi bộ it heads, and as a đảng viên
    assert me.flags.get("bi_thu_chi_bo") is True


# ------------------------------------------------------------------------------- bodies typed with other words


def test_a_body_typed_with_fewer_or_other_words_is_the_known_body_at_the_level_typed():
    text = ("Đảng đoàn Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh lãnh đạo công tác giám sát. Đảng đoàn Hội đồng nhân dân "
            "tỉnh báo cáo kết quả. Đảng đoàn Hội đồng nhân dân huyện báo cáo kết quả. Các đảng đoàn báo cáo định kỳ. "
            "Ban Dân vận Tỉnh ủy chủ trì tổng kết. Ban Dân vận Huyện ủy hướng dẫn các xã. Ủy ban Kiểm tra Tỉnh ủy "
            "kiểm tra. Ủy ban nhân dân tỉnh chỉ đạo.")
    known = phrase_refs(text)
    by = {r.name: r for r in known}
    index = actor_index(known)
    for typed in ("Đảng đoàn MTTQ tỉnh", "dang doan mat tran to quoc tinh", "tôi là Đảng đoàn Mặt trận tỉnh"):
        front = match_role(typed, known_actors=index)
        assert binds([], front, [by["Đảng đoàn Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]]), typed
        assert not binds([], front, [by["Đảng đoàn Hội đồng nhân dân tỉnh"]]), typed  # shares "Đảng đoàn … tỉnh"
        assert binds([], front, [by["đảng đoàn"]]), typed  # what every đảng đoàn does
    # one body: named as the document names it; several ("ban dan van" below): in the user's words
    assert match_role("Đảng đoàn MTTQ tỉnh", known_actors=index).name == "Đảng đoàn Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"
    council = match_role("Đảng đoàn HĐND huyện", known_actors=index)
    assert binds([], council, [by["Đảng đoàn Hội đồng nhân dân huyện"]])
    assert not binds([], council, [by["Đảng đoàn Hội đồng nhân dân tỉnh"]])  # a typed "huyện" is no tỉnh body
    both = match_role("ban dan van", known_actors=index)  # no level typed: every Ban Dân vận the documents name
    assert binds([], both, [by["Ban Dân vận Tỉnh ủy"]]) and binds([], both, [by["Ban Dân vận Huyện ủy"]])
    assert both.name == "ban dan van"
    province = match_role("ban dân vận tỉnh", known_actors=index)
    assert binds([], province, [by["Ban Dân vận Tỉnh ủy"]]) and not binds([], province, [by["Ban Dân vận Huyện ủy"]])
    inspection = match_role("ủy ban kiểm tra tỉnh", known_actors=index)  # "Ủy ban … tỉnh" of another body is not it
    assert binds([], inspection, [by["Ủy ban Kiểm tra Tỉnh ủy"]]) and not binds([], inspection, [by["Ủy ban nhân dân tỉnh"]])
    # a head only a body's name completes ("văn phòng") is never matched from words of another name
    assert match_role("văn phòng tỉnh", known_actors=index) is None
    # without the documents, the words alone: the body at the level typed, not any đảng đoàn
    alone = match_role("Đảng đoàn MTTQ tỉnh")
    assert not binds([], alone, [by["Đảng đoàn Hội đồng nhân dân tỉnh"]])


def test_a_known_name_inside_the_words_does_not_hide_the_body_they_name():
    known = phrase_refs("Các đảng đoàn báo cáo. Mặt trận Tổ quốc tỉnh phát động phong trào. Văn phòng Huyện ủy tổng hợp. "
                        "Huyện ủy lãnh đạo.")
    by = {r.name: r for r in known}
    front = match_role("Đảng đoàn MTTQ tỉnh", known_actors=known)  # holds the known "đảng đoàn" and "MTTQ tỉnh"
    assert not binds([], front, [by["Mặt trận Tổ quốc tỉnh"]])  # the Front is the body the đảng đoàn belongs to
    office = match_role("Văn phòng Huyện ủy", known_actors=known)
    assert binds([], office, [by["Văn phòng Huyện ủy"]]) and not binds([], office, [by["Huyện ủy"]])
    staff = match_role("cán bộ Văn phòng Huyện ủy", known_actors=known)  # a person of a known body keeps it
    assert binds([], staff, [by["Văn phòng Huyện ủy"]])


def test_a_deputy_head_named_without_the_body_is_a_post():
    (deputy, holder) = phrase_refs("Phó Trưởng ban Thường trực là Trưởng Ban Nội chính Tỉnh ủy")
    assert (deputy.category, deputy.name) == ("phó trưởng phòng, ban", "Phó Trưởng ban Thường trực")
    assert "cấp phó" in ancestors(deputy.category) and holder.owner == "Ban Nội chính"
    (dept_deputy,) = _refs("Phó Trưởng Ban Tuyên giáo Tỉnh ủy chủ trì")  # of a named ban: that ban's deputy
    assert (dept_deputy.category, dept_deputy.owner) == ("cấp phó", "Ban Tuyên giáo Tỉnh ủy")
    assert _refs("Phó trưởng ban chỉ đạo điều hành")[0].category == "phó trưởng ban chỉ đạo"


def test_the_kind_of_area_a_territorial_body_is_of_is_part_of_its_name():
    (highland,) = _refs("Các đảng bộ xã vùng cao phấn đấu xóa thôn chưa có tổ chức đảng")
    assert (highland.name, highland.category, highland.levels) == ("đảng bộ xã vùng cao", "đảng ủy xã", ["xã"])
    assert binds([], match_role("bí thư đảng ủy xã"), [highland])  # binding is unchanged: a commune's duty
    (border,) = _refs("Ủy ban nhân dân các xã biên giới rà soát mốc giới")
    assert border.name == "Ủy ban nhân dân các xã biên giới"
    (agencies,) = _refs("Đảng ủy các cơ quan Đảng tỉnh đánh giá, xếp loại")  # the 2025 đảng bộ of the agencies
    assert agencies.name == "Đảng ủy các cơ quan Đảng tỉnh" and agencies.category == "đảng ủy trực thuộc"


def test_a_person_or_post_of_a_body_typed_with_fewer_words_is_of_the_known_body():
    known = phrase_refs("Ban Dân vận Huyện ủy hướng dẫn các xã. Ban Tổ chức Tỉnh ủy thẩm định. Ban Tổ chức Huyện ủy "
                        "tổng hợp. Cán bộ gương mẫu. Trưởng ban xem xét.")
    by = {r.name: r for r in known}
    staff = match_role("tôi là cán bộ ban dân vận", known_actors=known)  # the known "cán bộ" is of no body
    assert binds([], staff, [by["Ban Dân vận Huyện ủy"]]) and binds([], staff, [by["Cán bộ"]])
    head = match_role("trưởng ban tổ chức tỉnh", known_actors=known)  # not the known generic "Trưởng ban"
    assert binds([], head, [by["Ban Tổ chức Tỉnh ủy"]]) and not binds([], head, [by["Ban Tổ chức Huyện ủy"]])
    assert not binds([], head, [by["Trưởng ban"]])


def test_a_post_of_a_known_body_is_that_post_and_a_short_alias_is_one_word():
    """"chi ủy viên Chi bộ Cơ quan …" is a post of the known chi bộ: the chi ủy viên's duties come with it (not
    the chi bộ's alone); "nhân viên" is not the syllables "nhân" (of "nhân dân") and "viên" (of "chi ủy viên")
    read apart; a deputy chair is not the chair."""
    known = phrase_refs("Chi bộ Cơ quan Ủy ban nhân dân xã Phước Lâm sinh hoạt mỗi tháng một lần. Chi ủy viên phụ "
                        "trách công tác kiểm tra. Chủ tịch Ủy ban nhân dân xã ký quyết định.")
    by = {r.name: r for r in known}
    member = match_role("chi ủy viên chi bộ cơ quan Ủy ban nhân dân xã Phước Lâm", known_actors=known)
    assert member is not None and member.name != "người lao động"
    assert binds([], member, [by["Chi ủy viên"]])
    assert match_role("nhân viên", known_actors=known).name == "người lao động"  # the alias written whole
    deputy = match_role("Phó Chủ tịch Ủy ban nhân dân xã", known_actors=known)
    assert not binds([], deputy, [by["Chủ tịch Ủy ban nhân dân xã"]])


def test_a_deputy_chair_of_an_inspection_committee_is_not_its_chair():
    known = phrase_refs("Chủ nhiệm Ủy ban Kiểm tra Huyện ủy chịu trách nhiệm chung. Phó Chủ nhiệm Thường trực "
                        "Ủy ban Kiểm tra Huyện ủy điều hành công việc hằng ngày.")
    by = {r.category: r for r in known}
    assert "phó chủ nhiệm ủy ban kiểm tra" in by and "chủ nhiệm ủy ban kiểm tra" in by
    chair = match_role("Chủ nhiệm Ủy ban Kiểm tra Huyện ủy", known_actors=known)
    deputy = match_role("Phó Chủ nhiệm Ủy ban Kiểm tra Huyện ủy", known_actors=known)
    assert binds([], chair, [by["chủ nhiệm ủy ban kiểm tra"]]) and not binds([], chair, [by["phó chủ nhiệm ủy ban kiểm tra"]])
    assert binds([], deputy, [by["phó chủ nhiệm ủy ban kiểm tra"]]) and not binds([], deputy, [by["chủ nhiệm ủy ban kiểm tra"]])


def test_surfaces_tried_at_a_place_are_those_that_can_match_there(corpus_docs):
    """`one_by_one_at` leaves out only surfaces that cannot match at that place (another first word):
    at every position of the corpus's sentences, the same surfaces match, in the same order."""
    import re

    from ingest.actors import _gazetteer, _scan_text

    g = _gazetteer()
    assert sum(len(v) for v in g.by_first.values()) < len(g.by_first) * len(g.one_by_one)  # it leaves some out
    checked = 0
    for doc in list(corpus_docs.values())[:3]:
        for s in doc.sentences[:80]:
            f = _scan_text(doc.text[s.start:s.end])
            for w in re.finditer(r"[0-9a-z]+|[^0-9a-z ]", f):
                for p in (w.start(), w.start() + 1):  # a word's start, and inside it (or after a sign)
                    everywhere = [(k, rx.match(f, p).end()) for k, rx in g.one_by_one if rx.match(f, p)]
                    there = [(k, rx.match(f, p).end()) for k, rx in g.one_by_one_at(f, p) if rx.match(f, p)]
                    assert there == everywhere, (f, p)
                    checked += bool(everywhere)
    assert checked > 50


def test_the_head_of_a_union_is_no_party_committees_secretary():
    known = phrase_refs("Bí thư Đoàn phường: duy trì đội thanh niên tình nguyện. Chủ tịch Công đoàn cơ sở: vận động "
                        "người lao động. Đảng ủy cơ sở báo cáo kết quả. Bí thư Đảng ủy chủ trì sơ kết.")
    by = {r.name: r for r in known}
    assert by["Bí thư Đoàn phường"].category == "bí thư đoàn"
    assert by["Chủ tịch Công đoàn cơ sở"].category == "chủ tịch công đoàn"
    for typed, own in (("bi thu doan phuong", "Bí thư Đoàn phường"), ("chủ tịch công đoàn", "Chủ tịch Công đoàn cơ sở")):
        role = match_role(typed, known_actors=known)
        assert binds([], role, [by[own]]), typed
        assert not binds([], role, [by["Đảng ủy cơ sở"]]) and not binds([], role, [by["Bí thư Đảng ủy"]]), typed


def test_the_post_of_a_known_body_named_more_narrowly_is_that_post():
    """"chủ nhiệm Ủy ban Kiểm tra Đảng ủy xã Thạch Bình" holds the known body "Ủy ban Kiểm tra Đảng ủy" (and
    the known post "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy", said of no level): the role is the chair, at the
    level the words name — not the body, nor a district's chair."""
    known = phrase_refs("Ủy ban Kiểm tra Đảng ủy tổng hợp báo cáo. Chủ nhiệm Ủy ban Kiểm tra Đảng ủy chủ trì kiểm tra. "
                        "Chủ nhiệm Ủy ban Kiểm tra Huyện ủy ký kết luận.")
    by = {r.text: r for r in known}
    chair = match_role("chủ nhiệm Ủy ban Kiểm tra Đảng ủy xã Thạch Bình", known_actors=known)
    assert chair is not None and chair.declared == ("chủ nhiệm ủy ban kiểm tra",), chair
    assert binds([], chair, [by["Chủ nhiệm Ủy ban Kiểm tra Đảng ủy"]])
    assert not binds([], chair, [by["Chủ nhiệm Ủy ban Kiểm tra Huyện ủy"]])


def test_issuer_posts_name_the_issuing_bodys_posts_alone():
    terms = issuer_posts("HUYỆN ỦY LAM SƠN\nỦY BAN KIỂM TRA")
    text = "Phó Chủ nhiệm Thường trực giúp Chủ nhiệm điều hành; các phó chủ nhiệm dự họp."
    found = [(text[m.start:m.end], m.actors) for m in find_actor_spans(text, terms)]
    assert found == [("Phó Chủ nhiệm Thường trực", ("phó chủ nhiệm ủy ban kiểm tra",)),
                     ("Chủ nhiệm", ("chủ nhiệm ủy ban kiểm tra",))], found  # lower case: anyone's deputy
    assert terms.owner(terms.entries[0][0]) == ("huyện ủy", ("huyện",))
    assert issuer_posts("HUYỆN ỦY LAM SƠN").entries == ()  # a Huyện ủy has no post named "chủ nhiệm"


def test_a_role_typed_without_diacritics_its_abbreviations_written_out_reads_folded():
    """"chu tich uy ban mttq xa" reaches the matcher as "chu tich uy ban Mặt trận Tổ quốc xa" (the
    abbreviation written out with its marks): read folded, it is the Front's chair at the commune, as typed
    with diacritics."""
    typed = match_role("Chủ tịch Ủy ban Mặt trận Tổ quốc xã")
    mixed = match_role("chu tich uy ban Mặt trận Tổ quốc xa")
    assert mixed is not None and mixed.declared == typed.declared
    assert {(c.category, c.owner, tuple(c.levels)) for c in mixed.capacities} == \
        {(c.category, c.owner, tuple(c.levels)) for c in typed.capacities}


def test_one_person_in_several_capacities_is_bound_by_each():
    """"giáo viên; đảng viên": what binds a teacher and what binds a party member, the first one's post first."""
    both = match_role("giáo viên; đảng viên sinh hoạt ở chi bộ trường học")
    assert both is not None and both.declared[0] == match_role("giáo viên").declared[0]
    assert binds([], both, _refs("Đảng viên gương mẫu thực hiện.")) and binds([], both, _refs("Viên chức gương mẫu thực hiện."))
    assert not binds([], match_role("giáo viên"), _refs("Đảng viên gương mẫu thực hiện."))
    assert match_role("giáo viên;") == match_role("giáo viên")
