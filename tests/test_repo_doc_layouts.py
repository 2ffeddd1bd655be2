"""Per-argument layouts a forward() docstring states (Sphinx `:param x: ..., a tensor of dimensions (batch_size,
char_pad_len)`, Google `x (Tensor): shape (B, T, C)`, numpy `x : torch.Tensor, shape [batch, seq_len]`, the class
docstring for what the method leaves out), what forward() does with each argument (the layer it feeds, a gather
index, a packed sequence's lengths and whose data they count), and a word-vector width a script reads from the
first line of a pretrained file whose published name states it. All torch-free; the repositories are generated."""
from __future__ import annotations

import textwrap

from tree_helpers import write_tree

from reader_app.repo.doc_layouts import arg_layouts
from reader_app.repo.input_uses import input_uses
from reader_app.repo.values import mine

SPHINX = textwrap.dedent('''
    import torch
    import torch.nn as nn
    from torch.nn.utils.rnn import pack_padded_sequence


    class Tagger(nn.Module):
        def forward(self, chars, ends, words, word_lengths, flags=None):
            """
            Tag words.

            :param chars: padded character ids, a tensor of dimensions (batch_size, max_chars)
            :param ends: positions of each word's last character,
                a tensor of dimensions (batch_size, max_words)
            :param words: padded encoded words, a tensor of dimensions (batch_size, max_words)
            :param word_lengths: true word counts, a tensor of dimensions (batch_size)
            :param flags: optional switches (optional)
            """
            word_lengths, order = word_lengths.sort(dim=0, descending=True)
            words = words[order]
            c, _ = self.char_rnn(self.char_embed(chars[order]))
            picked = torch.gather(c, 1, ends[order].unsqueeze(2).expand(-1, -1, c.size(2)))
            w = torch.cat((self.word_embed(words), picked), dim=2)
            packed = pack_padded_sequence(w, word_lengths.tolist(), batch_first=True)
            return self.rnn(packed)
''')

GOOGLE = textwrap.dedent('''
    import torch.nn as nn


    class Encoder(nn.Module):
        """Frames to states.

        Args:
            mask (BoolTensor): shape (B, n_frames), True at real frames
        """

        def forward(self, feats, mask):
            """Encode.

            Args:
                feats (Tensor): shape (B, n_frames, feat_dim)
            """
            return self.proj(feats) * mask.unsqueeze(-1)
''')

NUMPY = textwrap.dedent('''
    import torch.nn as nn


    class PointNet(nn.Module):
        def forward(self, points, neighbours):
            """
            Parameters
            ----------
            points : torch.Tensor, shape [batch, n_points, in_ch]
            neighbours : torch.LongTensor
                shape [batch, n_points, k], the indices of each point's neighbours
            """
            return points.gather(1, neighbours)
''')


def test_sphinx_layouts_name_every_axis_and_say_ids_in_words():
    layouts = arg_layouts(SPHINX, "Tagger", "forward", ["chars", "ends", "words", "word_lengths", "flags"])
    assert layouts["chars"].items == ["batch_size", "max_chars"]
    assert layouts["ends"].items == ["batch_size", "max_words"]  # on the continuation line
    assert layouts["word_lengths"].items == ["batch_size"]  # one axis, where the words say it is a shape
    assert "flags" not in layouts  # `(optional)` is no shape
    assert layouts["words"].integer and layouts["chars"].integer  # "encoded", "ids"
    line = SPHINX.splitlines().index(next(l for l in SPHINX.splitlines() if ":param words:" in l)) + 1
    assert layouts["words"].line == line


def test_google_layouts_come_from_the_method_then_the_class_docstring():
    layouts = arg_layouts(GOOGLE, "Encoder", "forward", ["feats", "mask"])
    assert layouts["feats"].items == ["B", "n_frames", "feat_dim"]
    assert layouts["mask"].items == ["B", "n_frames"]  # from the class docstring
    assert not layouts["feats"].integer


def test_numpy_layouts_and_a_stated_integer_type():
    layouts = arg_layouts(NUMPY, "PointNet", "forward", ["points", "neighbours"])
    assert layouts["points"].items == ["batch", "n_points", "in_ch"]
    assert layouts["neighbours"].items == ["batch", "n_points", "k"]
    assert layouts["neighbours"].integer and not layouts["points"].integer


def test_uses_follow_an_argument_through_sorting_and_reindexing():
    uses = input_uses(SPHINX, "Tagger", "forward", ["chars", "ends", "words", "word_lengths"])
    assert uses["chars"].layers == ["char_embed"] and uses["words"].layers == ["word_embed"]
    assert uses["ends"].index_line is not None and uses["chars"].index_line is None
    lengths = uses["word_lengths"]
    assert lengths.lengths_line is not None and lengths.batch_first
    # the packed data carries the words and, through the gather, the characters, never the index or lengths
    assert set(lengths.packs) == {"words", "chars"}
    assert input_uses(NUMPY, "PointNet", "forward", ["points", "neighbours"])["neighbours"].index_line


TRAIN = """
import torch
from net import Tagger

emb_file = './embeddings/glove.840B.300d.txt'  # pretrained vectors
hidden = 64
with open(emb_file, 'r') as f:
    word_dim = len(f.readline().split(' ')) - 1  # the width of the vectors
model = Tagger(word_dim=word_dim, hidden=hidden)
"""

NET = """
import torch.nn as nn


class Tagger(nn.Module):
    def __init__(self, word_dim, hidden):
        super().__init__()
        self.rnn = nn.LSTM(word_dim, hidden)

    def forward(self, x):
        return self.rnn(x)
"""


def test_a_word_vector_width_read_from_the_file_is_the_width_its_name_states(tmp_path):
    root = write_tree(tmp_path / "repo", {"net.py": NET, "train.py": TRAIN})
    values = mine(str(root), str(root / "net.py"), "Tagger", ["word_dim", "hidden"])
    assert values["word_dim"].value == 300
    assert values["word_dim"].where.startswith("train.py:8") and "glove.840B.300d.txt" in values["word_dim"].where
    assert values["hidden"].value == 64


def test_a_file_whose_name_states_no_width_states_nothing(tmp_path):
    root = write_tree(tmp_path / "repo", {"net.py": NET,
                                          "train.py": TRAIN.replace("glove.840B.300d.txt", "my_vectors.txt")})
    values = mine(str(root), str(root / "net.py"), "Tagger", ["word_dim", "hidden"])
    assert "word_dim" not in values or values["word_dim"].value != 300


def test_a_fasttext_header_states_its_width(tmp_path):
    train = TRAIN.replace("glove.840B.300d.txt", "wiki.en.vec").replace(
        "len(f.readline().split(' ')) - 1", "int(f.readline().split()[1])")
    root = write_tree(tmp_path / "repo", {"net.py": NET, "train.py": train})
    assert mine(str(root), str(root / "net.py"), "Tagger", ["word_dim", "hidden"])["word_dim"].value == 300


TYPED = textwrap.dedent('''
    import torch.nn as nn


    class Encoder(nn.Module):
        def forward(self, input_var, input_lengths=None, loss=None):
            """
            Args:
                input_var (batch, seq_len): tensor containing the features of the input sequence.
                input_lengths (list of int, optional): the lengths of the sequences in the mini-batch
                loss (callable): fused cross-entropy (over the text positions only, no full logits)
            """
            return self.rnn(input_var)
''')


def test_a_google_type_group_gives_a_shape_but_never_prose():
    layouts = arg_layouts(TYPED, "Encoder", "forward", ["input_var", "input_lengths", "loss"])
    assert layouts["input_var"].items == ["batch", "seq_len"]
    assert "input_lengths" not in layouts and "loss" not in layouts
