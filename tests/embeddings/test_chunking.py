"""Long texts are split into overlapping token windows and mean-pooled, never truncated."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from tokenizers import Tokenizer
from tokenizers.models import WordLevel
from tokenizers.pre_tokenizers import Whitespace
from tokenizers.processors import TemplateProcessing

from matcher.embeddings.base import l2_normalise
from matcher.embeddings.chunking import plan_windows, pool_windows, token_windows
from matcher.embeddings.windowed import TokenLayout, WindowedEncoder, pad_batch, special_tokens
from matcher.exceptions import ConfigurationError

# -- pure functions ---------------------------------------------------------------------


def test_short_sequence_is_one_window() -> None:
    assert token_windows([1, 2, 3], size=5, overlap=2) == [[1, 2, 3]]
    assert token_windows([1, 2, 3, 4, 5], size=5, overlap=2) == [[1, 2, 3, 4, 5]]
    assert token_windows([], size=5, overlap=2) == []


def test_long_sequence_windows_overlap_and_cover_every_token() -> None:
    ids = list(range(12))
    windows = token_windows(ids, size=5, overlap=2)
    assert windows == [[0, 1, 2, 3, 4], [3, 4, 5, 6, 7], [6, 7, 8, 9, 10], [7, 8, 9, 10, 11]]
    assert all(len(w) == 5 for w in windows)
    assert sorted(set().union(*windows)) == ids
    for a, b in itertools.pairwise(windows):
        assert len(set(a) & set(b)) >= 2


@pytest.mark.parametrize(("size", "overlap"), [(0, 0), (4, 4), (4, -1)])
def test_bad_window_parameters_raise(size: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        token_windows([1, 2, 3], size=size, overlap=overlap)


def test_plan_windows_records_owners_and_skips_empty_texts() -> None:
    windows, owners = plan_windows([[1, 2], [], list(range(10))], size=4, overlap=1)
    assert owners.tolist() == [0, 2, 2, 2]
    assert windows[0] == [1, 2]


def test_pool_windows_is_the_normalised_mean_of_unit_windows() -> None:
    vectors = np.array([[3.0, 0.0], [0.0, 1.0], [0.0, 2.0]], dtype=np.float32)
    pooled = pool_windows(vectors, np.array([0, 0, 2]), n_texts=3)
    assert pooled.dtype == np.float32
    np.testing.assert_allclose(pooled[0], [np.sqrt(0.5), np.sqrt(0.5)], rtol=1e-6)
    np.testing.assert_array_equal(pooled[1], [0.0, 0.0])  # owns no window
    np.testing.assert_allclose(pooled[2], [0.0, 1.0])


def test_pad_batch() -> None:
    ids, mask = pad_batch([[5, 6, 7], [8]], pad_id=0)
    assert ids.tolist() == [[5, 6, 7], [8, 0, 0]]
    assert mask.tolist() == [[1, 1, 1], [1, 0, 0]]
    assert ids.dtype == mask.dtype == np.int64


# -- the encode loop, with a word-level tokenizer and a fake forward pass -----------------

VOCAB = {"[UNK]": 0, "[PAD]": 1, "[CLS]": 2, "[SEP]": 3} | {f"w{i}": 4 + i for i in range(200)}


def _word_tokenizer() -> Tokenizer:
    tokenizer = Tokenizer(WordLevel(VOCAB, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = Whitespace()
    tokenizer.post_processor = TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    return tokenizer


class HashWindowEncoder(WindowedEncoder):
    """Window of 8 tokens (10 with [CLS]/[SEP]); a window's vector is a fixed function of its tokens."""

    model_id = "fake-window"

    def __init__(self, *, batch_size: int = 3, chunk_overlap: int = 3) -> None:
        self.batch_size = batch_size
        self.chunk_overlap = chunk_overlap
        self.forward_rows = 0
        self.max_seen = 0

    @property
    def dim(self) -> int:
        return 16

    def load(self) -> HashWindowEncoder:
        return self

    def _tokenizer(self) -> Tokenizer:
        return _word_tokenizer()

    def _layout(self) -> TokenLayout:
        return TokenLayout(max_length=10, prefix=(2,), suffix=(3,), pad_id=1)

    def _forward(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        self.forward_rows += input_ids.shape[0]
        self.max_seen = max(self.max_seen, input_ids.shape[1])
        table = np.random.default_rng(0).standard_normal((len(VOCAB), self.dim))
        summed = (table[input_ids] * attention_mask[..., None]).sum(axis=1)
        return l2_normalise(summed)


def _words(n: int, start: int = 0) -> list[str]:
    return [f"w{i}" for i in range(start, start + n)]


def test_special_tokens_are_found_from_the_template() -> None:
    assert special_tokens(_word_tokenizer()) == ((2,), (3,))


def test_long_text_is_the_normalised_mean_of_its_windows() -> None:
    enc = HashWindowEncoder()
    words = _words(20)
    long_vec = enc.encode([" ".join(words)])[0]

    spans = token_windows(list(range(20)), size=8, overlap=3)
    assert len(spans) > 1  # the text really is longer than the window
    window_texts = [" ".join(words[i] for i in span) for span in spans]
    window_vecs = enc.encode(window_texts)
    expected = l2_normalise(window_vecs.mean(axis=0, keepdims=True))[0]
    np.testing.assert_allclose(long_vec, expected, atol=1e-6)
    assert enc.max_seen <= 10  # never more than the model window reached the model


def test_long_text_differs_from_its_truncation() -> None:
    enc = HashWindowEncoder()
    words = _words(30)
    full, head = enc.encode([" ".join(words), " ".join(words[:8])])
    assert float(full @ head) < 0.99


def test_batching_does_not_change_vectors_and_blank_texts_are_zero() -> None:
    texts = [" ".join(_words(n, start=n)) for n in (1, 5, 9, 25, 3)] + ["", "   "]
    batched = HashWindowEncoder(batch_size=2).encode(texts)
    one_by_one = np.vstack([HashWindowEncoder(batch_size=64).encode([t]) for t in texts])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-6)
    assert batched.dtype == np.float32 and batched.shape == (7, 16)
    np.testing.assert_allclose(np.linalg.norm(batched[:5], axis=1), 1.0, atol=1e-6)
    assert not batched[5:].any()


def test_empty_input_and_token_counts() -> None:
    enc = HashWindowEncoder()
    assert enc.encode([]).shape == (0, 16)
    assert enc.token_counts(["w1 w2 w3", ""]) == [3, 0]


def test_overlap_not_smaller_than_window_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError):
        HashWindowEncoder(chunk_overlap=8).encode(["w1"])


def test_length_batches_respect_rows_and_token_budget() -> None:
    from matcher.embeddings.windowed import length_batches

    lengths = [256, 256, 256, 40, 40, 40, 40, 10]
    batches = length_batches(lengths, batch_size=4, max_tokens=512)
    assert [list(b) for b in batches] == [[0, 1], [2, 3], [4, 5, 6, 7]]
    assert [list(b) for b in length_batches([900], batch_size=4, max_tokens=512)] == [[0]]
    assert length_batches([], batch_size=4, max_tokens=512) == []
