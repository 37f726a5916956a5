"""The real models, loaded once per session (see conftest.py)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from matcher.embeddings import MultilingualEncoder, OnnxInt8Encoder, SentenceTransformerEncoder
from matcher.embeddings.base import l2_normalise

pytestmark = pytest.mark.slow

QUERY = "We need help to reduce the energy use of our injection moulding machines."
PARAPHRASE = "Our plastic moulding presses consume too much electricity and we want to cut it."
UNRELATED = "The students organised a football tournament on Saturday."


def test_minilm_dim_norm_and_paraphrase(minilm: SentenceTransformerEncoder) -> None:
    assert (minilm.model_id, minilm.dim, minilm.max_seq_length) == ("all-MiniLM-L6-v2", 384, 256)
    q, p, u = minilm.encode([QUERY, PARAPHRASE, UNRELATED])
    assert np.linalg.norm(q) == pytest.approx(1.0, abs=1e-5)
    assert q @ p > q @ u + 0.3


def test_minilm_matches_sentence_transformers_own_encode(minilm: SentenceTransformerEncoder) -> None:
    ours = minilm.encode([QUERY, UNRELATED])
    theirs = minilm._st.encode([QUERY, UNRELATED], convert_to_numpy=True)
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_minilm_long_text_is_pooled_over_windows(minilm: SentenceTransformerEncoder) -> None:
    head = " ".join(["Precision gearboxes for agricultural tractors."] * 40)
    tail = " ".join(["Clinical trials of a new cardiac stent."] * 40)
    long_text = f"{head} {tail}"
    (n_tokens,) = minilm.token_counts([long_text])
    assert n_tokens > 256
    long_vec, head_vec, tail_vec = minilm.encode([long_text, head, tail])
    # the tail, beyond the first window, still shapes the vector (no silent truncation)
    assert long_vec @ tail_vec > 0.3
    assert long_vec @ head_vec > 0.3


def test_onnx_int8_is_close_to_torch(
    minilm: SentenceTransformerEncoder, minilm_onnx: OnnxInt8Encoder
) -> None:
    texts = [QUERY, PARAPHRASE, UNRELATED, "Smart grid control", "Diseño de moldes de inyección"]
    cos = np.sum(minilm.encode(texts) * minilm_onnx.encode(texts), axis=1)
    assert cos.min() >= 0.98, cos
    assert minilm_onnx.model_id == "all-MiniLM-L6-v2+onnx-int8"
    # a second encoder on the same cache dir reuses the export
    again = OnnxInt8Encoder(cache_dir=minilm_onnx.cache_dir).load()
    np.testing.assert_allclose(again.encode(texts[:1]), minilm_onnx.encode(texts[:1]), atol=1e-6)


def test_use_cross_lingual_pair_beats_unrelated(use_multilingual: MultilingualEncoder) -> None:
    en = "We are looking for a partner to develop humidity sensors for greenhouses."
    es = "Buscamos un socio para desarrollar sensores de humedad para invernaderos."
    it = "Il gruppo organizza un torneo di calcio per gli studenti."
    e, s, i = use_multilingual.encode([en, es, it])
    assert e @ s > e @ i + 0.2
    assert use_multilingual.dim == 512
    np.testing.assert_allclose(l2_normalise(np.stack([e, s])), np.stack([e, s]), atol=1e-6)


def test_onnx_int8_vectors_do_not_depend_on_threads(minilm_onnx: OnnxInt8Encoder) -> None:
    # threads > 1 runs windows in parallel; each window is still its own batch of one
    texts = [QUERY, PARAPHRASE, UNRELATED, " ".join([QUERY] * 30), "", "Smart grid control"]
    parallel = OnnxInt8Encoder(threads=2, cache_dir=minilm_onnx.cache_dir)
    np.testing.assert_array_equal(parallel.encode(texts), minilm_onnx.encode(texts))


def test_onnx_export_of_an_older_recipe_is_rebuilt(minilm_onnx: OnnxInt8Encoder, tmp_path) -> None:
    import json
    import shutil

    stale = tmp_path / minilm_onnx.model_dir.name
    shutil.copytree(minilm_onnx.model_dir, stale)
    meta = json.loads((stale / "meta.json").read_text())
    meta["recipe"] = 1
    (stale / "meta.json").write_text(json.dumps(meta))
    # rebuilt in a child process: the loading process never imports torch (~600 MB it would keep)
    code = (
        "import json, sys; from pathlib import Path; from matcher.embeddings import OnnxInt8Encoder; "
        "v = OnnxInt8Encoder(cache_dir=Path(sys.argv[1])).load().encode([sys.argv[2]]); "
        "print(json.dumps({'torch': 'torch' in sys.modules, "
        "'st': 'sentence_transformers' in sys.modules, 'v': v[0].tolist()}))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path), QUERY], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert not got["torch"] and not got["st"]
    from matcher.embeddings.onnx_int8 import RECIPE

    assert json.loads((stale / "meta.json").read_text())["recipe"] == RECIPE
    np.testing.assert_allclose(np.array([got["v"]]), minilm_onnx.encode([QUERY]), atol=1e-6)


def test_a_failed_export_is_a_clear_error(tmp_path) -> None:
    from matcher.exceptions import UnavailableError

    with pytest.raises(UnavailableError, match="cannot export 'no-such-model-here'"):
        OnnxInt8Encoder(model="no-such-model-here", cache_dir=tmp_path).load()
    assert not any(tmp_path.rglob("*.onnx"))  # nothing half-written is left to be read
