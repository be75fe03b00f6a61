"""The two bundled data sets, as NumPy arrays (no torch, nothing downloaded).

- Text: CPython's ``pydoc_data.topics.topics`` (the interactive ``help()`` pages, about
  465k characters of English), joined in sorted-key order and encoded as character ids.
- Digits: scikit-learn's ``load_digits`` (1797 8x8 images, 10 classes), pixels scaled to
  [0, 1], split 80/20 by a seeded permutation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lab.errors import LabInputError

TEXT_SOURCE = "CPython's pydoc_data/topics.py (the help() topics text shipped with Python)"
DIGITS_SOURCE = "scikit-learn's bundled load_digits (UCI optical digits, 8x8)"


@dataclass(frozen=True)
class CharCorpus:
    """Character ids of the training and held-out text, and the alphabet."""

    train: np.ndarray
    heldout: np.ndarray
    alphabet: str

    @property
    def vocab_size(self) -> int:
        """Number of distinct characters."""
        return len(self.alphabet)


def load_text() -> str:
    """The English text of ``pydoc_data.topics``, topics joined in sorted-key order.

    Examples
    --------
    >>> len(load_text()) > 100_000
    True
    """
    from pydoc_data.topics import topics

    return "\n".join(topics[key] for key in sorted(topics))


def char_corpus(text: str | None = None, *, heldout_fraction: float = 0.1) -> CharCorpus:
    """Encode ``text`` (default :func:`load_text`) as ids; the last fraction is held out.

    Examples
    --------
    >>> c = char_corpus("abcabcabca", heldout_fraction=0.2)
    >>> c.alphabet, c.train.tolist(), c.heldout.tolist()
    ('abc', [0, 1, 2, 0, 1, 2, 0, 1], [2, 0])
    """
    if not 0.0 < heldout_fraction < 1.0:
        raise LabInputError(f"heldout_fraction={heldout_fraction!r}; use a number in (0, 1)")
    text = load_text() if text is None else text
    alphabet = "".join(sorted(set(text)))
    lookup = {ch: i for i, ch in enumerate(alphabet)}
    ids = np.fromiter((lookup[ch] for ch in text), dtype=np.int64, count=len(text))
    cut = int(round(len(ids) * (1.0 - heldout_fraction)))
    return CharCorpus(ids[:cut], ids[cut:], alphabet)


def windows(ids: np.ndarray, starts: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Input and next-character target windows of ``length`` beginning at ``starts``.

    Examples
    --------
    >>> x, y = windows(np.arange(10), np.array([0, 5]), 3)
    >>> x.tolist(), y.tolist()
    ([[0, 1, 2], [5, 6, 7]], [[1, 2, 3], [6, 7, 8]])
    """
    offsets = np.arange(length)
    pos = np.asarray(starts)[:, None] + offsets[None, :]
    return ids[pos], ids[pos + 1]


def evenly_spaced_starts(n_ids: int, count: int, length: int) -> np.ndarray:
    """``count`` window starts spread evenly over a sequence of ``n_ids`` ids.

    Examples
    --------
    >>> evenly_spaced_starts(100, 3, 9).tolist()
    [0, 45, 90]
    """
    last = n_ids - length - 1
    if last < 0:
        raise LabInputError(f"text of {n_ids} characters is shorter than a window of {length}")
    return np.linspace(0, last, count).round().astype(np.int64)


@dataclass(frozen=True)
class Digits:
    """Digits split into training and test arrays (features in [0, 1])."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def load_digits_split(seed: int = 0, *, test_fraction: float = 0.2) -> Digits:
    """scikit-learn's bundled digits, split by a permutation seeded with ``seed``.

    Examples
    --------
    >>> d = load_digits_split(0)
    >>> d.x_train.shape[1], d.x_train.shape[0] + d.x_test.shape[0]
    (64, 1797)
    """
    from sklearn.datasets import load_digits

    bunch = load_digits()
    x = np.asarray(bunch.data, dtype=np.float64) / 16.0
    y = np.asarray(bunch.target, dtype=np.int64)
    order = np.random.default_rng(seed).permutation(len(y))
    cut = int(round(len(y) * (1.0 - test_fraction)))
    tr, te = order[:cut], order[cut:]
    return Digits(x[tr], y[tr], x[te], y[te])
