"""How forward() reads one argument packing several tensors (packed.py): unpacked into names, read by position
into names, or used as a tensor (then it is not packed); the docstring's rank per position."""
from __future__ import annotations

import pytest

pytest.importorskip("torch")

from reader_app.trace.child.packed import packed_argument  # noqa: E402


def unpacks(self, forward_input):
    """
    forward_input[0] = mel_spectrogram:  batch x n_mel_channels x max_frames
    forward_input[1] = audio: batch x time
    """
    spect, audio = forward_input
    return spect, audio


def by_position(self, inputs):
    """inputs[2]: BxTxC"""
    images = inputs[0]
    labels = inputs[2]
    return images, labels


def in_place(self, pair):
    return self.head(self.left(pair[0]) + self.right(pair[1]))


def a_tensor_indexed(self, x):
    first = x[0]
    second = x[1]
    return first + second + x.mean()


def test_a_packed_argument_is_read_from_how_forward_unpacks_it():
    packed = packed_argument(unpacks, "forward_input")
    assert packed.names == ["spect", "audio"] and packed.ranks == {0: 3, 1: 2}
    assert packed.where.endswith("units_packed.py:17") and packed.lines == [6, 6]
    packed = packed_argument(by_position, "inputs")
    assert packed.names == ["images", "", "labels"] and packed.ranks == {2: 3} and packed.lines == [3, 0, 4]
    packed = packed_argument(in_place, "pair")
    assert packed.names == ["pair[0]", "pair[1]"] and packed.lines == [0, 0] and packed.where.endswith("units_packed.py:29")
    assert packed_argument(a_tensor_indexed, "x") is None  # used whole as well: a tensor
