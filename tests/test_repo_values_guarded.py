"""Constructor values a training script sets AFTER parsing its options (issue 11, held-out class: a text
recogniser's script): a setting inside an `if` holds only when its test holds for the defaults the app reads
(`if opt.rgb: opt.input_channel = 3` with `--rgb` a store_true flag leaves the option's default 1), a test the
defaults cannot decide leaves the default with the guarded value noted beside it, and a size computed from the
repository's own helper object (`opt.num_class = len(converter.character)`, the converter's `__init__` making
`['[blank]'] + list(character)`) is evaluated from the constructor's code, with the expression in its provenance.
Each repository is generated here."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_cli, write_tree as write

from reader_app.repo.values import mine

NET = """
import torch.nn as nn


class Recognizer(nn.Module):
    def __init__(self, input_channel, hidden_size, num_class):
        super().__init__()
        self.features = nn.Conv2d(input_channel, hidden_size, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d((1, 6))
        self.head = nn.Linear(hidden_size, num_class)

    def forward(self, image):
        x = self.pool(self.features(image)).flatten(2).transpose(1, 2)
        return self.head(x)
"""

LABELS = """
class BlankConverter(object):
    def __init__(self, alphabet, extra=''):
        # index 0 is the blank a CTC loss needs
        blank = ['[blank]']
        symbols = list(alphabet + extra)
        self.symbols = blank + symbols
        self.index = {}
        for i, char in enumerate(symbols):
            self.index[char] = i + 1


class StartStopConverter(object):
    def __init__(self, alphabet):
        self.symbols = ['[GO]', '[s]'] + list(alphabet)


class VocabConverter(object):
    def __init__(self, alphabet):
        self.symbols = list(alphabet)
        self.size = None

    def build_vocab(self, texts):
        self.symbols = sorted(set(''.join(texts)))
        self.size = len(self.symbols)


class GrowingConverter(object):
    def __init__(self, alphabet):
        self.symbols = ['[blank]']
        for char in alphabet:
            self.symbols.append(char)
"""

TRAIN = """
import argparse
import torch

from labels import BlankConverter, StartStopConverter
from net import Recognizer


def train(opt):
    if 'CTC' in opt.Prediction:
        converter = BlankConverter(opt.alphabet)
    else:
        converter = StartStopConverter(opt.alphabet)
    opt.num_class = len(converter.symbols)
    if opt.rgb:
        opt.input_channel = 3
    if torch.cuda.is_available():
        opt.hidden_size = 512
    model = Recognizer(opt.input_channel, opt.hidden_size, opt.num_class)
    return model


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--rgb', action='store_true', help='use rgb input')
    parser.add_argument('--alphabet', type=str, default='0123456789abcdef', help='character label')
    parser.add_argument('--sensitive', action='store_true', help='case-sensitive labels')
    parser.add_argument('--Prediction', type=str, required=True, help='CTC|Attn')
    parser.add_argument('--input_channel', type=int, default=1, help='input channels')
    parser.add_argument('--hidden_size', type=int, default=32, help='feature width')
    opt = parser.parse_args()
    if opt.sensitive:
        opt.alphabet = '0123456789abcdefABCDEF'
    train(opt)
"""

README = "# Tiny recogniser\n\n```\npython train.py --Prediction {head}\n```\n"


def _repo(head: str = "CTC", **changes: str) -> dict[str, str]:
    repo = {"net.py": NET, "labels.py": LABELS, "train.py": TRAIN, "README.md": README.format(head=head)}
    for old, new in changes.items():
        repo["train.py"] = repo["train.py"].replace(old, new)
    return repo


def _line(root, text: str) -> int:
    return next(i for i, line in enumerate((root / "train.py").read_text().splitlines(), 1) if text in line)


def _mined(tmp_path, repo: dict) -> tuple:
    root = write(tmp_path / "repo", repo)
    return root, mine(str(root), str(root / "net.py"), "Recognizer", ["input_channel", "hidden_size", "num_class"])


def test_a_flag_guarded_setting_the_defaults_never_make_is_not_the_value(tmp_path):
    root, values = _mined(tmp_path, _repo())
    # `--rgb` is store_true: `opt.input_channel = 3` never runs by default; the option's own default stands
    assert values["input_channel"].value == 1
    assert values["input_channel"].where == f"train.py:{_line(root, '--input_channel')}"


def test_a_setting_whose_test_holds_for_the_defaults_is_the_value(tmp_path):
    root, values = _mined(tmp_path, _repo(**{"'--rgb', action='store_true'": "'--rgb', type=int, default=1"}))
    assert values["input_channel"].value == 3
    assert values["input_channel"].where == f"train.py:{_line(root, 'opt.input_channel = 3')}"


def test_an_option_without_a_default_is_none_in_a_test(tmp_path):
    # argparse gives a run None for `--checkpoint`: the resumed model's channels are not the default run's
    root, values = _mined(tmp_path, _repo(**{
        "if opt.rgb:": "if opt.checkpoint is not None:",
        "    opt = parser.parse_args()": "    parser.add_argument('--checkpoint', help='resume from')\n"
                                         "    opt = parser.parse_args()"}))
    assert values["input_channel"].value == 1
    assert values["input_channel"].where == f"train.py:{_line(root, '--input_channel')}"


def test_a_test_on_the_value_it_sets_reads_the_value_before_it(tmp_path):
    # `if opt.hidden_size == 32: opt.hidden_size = 48`: the default 32 makes the test hold
    root, values = _mined(tmp_path, _repo(**{"if torch.cuda.is_available():\n        opt.hidden_size = 512":
                                             "if opt.hidden_size == 32:\n        opt.hidden_size = 48"}))
    assert values["hidden_size"].value == 48
    assert values["hidden_size"].where == f"train.py:{_line(root, 'opt.hidden_size = 48')}"


def test_an_undecided_test_leaves_the_default_and_names_the_alternative(tmp_path):
    root, values = _mined(tmp_path, _repo())
    # whether a GPU is there is not something the defaults say: the option's 32 stands, the 512 is noted
    assert values["hidden_size"].value == 32
    where = values["hidden_size"].where
    assert where.startswith(f"train.py:{_line(root, '--hidden_size')}; ")
    assert f"train.py:{_line(root, 'opt.hidden_size = 512')} would set 512 if torch.cuda.is_available()" in where


def test_an_undecided_setting_is_taken_only_when_nothing_else_states_a_value(tmp_path):
    root, values = _mined(tmp_path, _repo(**{"default=32, help='feature width'": "help='feature width'"}))
    assert values["hidden_size"].value == 512
    assert values["hidden_size"].where.startswith(f"train.py:{_line(root, 'opt.hidden_size = 512')} (only if ")


def test_a_size_read_from_the_repositorys_helper_object_is_evaluated_from_its_constructor(tmp_path):
    root, values = _mined(tmp_path, _repo())
    # ['[blank]'] + list('0123456789abcdef'); the case-sensitive alphabet waits for --sensitive (store_true)
    assert values["num_class"].value == 17
    assert values["num_class"].where == f"train.py:{_line(root, 'opt.num_class =')} len(converter.symbols) = 17"


def test_the_helper_the_options_pick_is_the_one_evaluated(tmp_path):
    # the README's command line picks the attention head: its converter adds two tokens, not one
    _, values = _mined(tmp_path, _repo(head="Attn"))
    assert values["num_class"].value == 18


def test_a_helper_argument_by_keyword_and_a_default_of_the_constructor(tmp_path):
    _, values = _mined(tmp_path, _repo(**{"BlankConverter(opt.alphabet)": "BlankConverter(extra='xyz', "
                                                                           "alphabet=opt.alphabet)"}))
    assert values["num_class"].value == 20


@pytest.mark.parametrize("change", [
    # a field a loop builds is not followed: no value rather than a wrong one
    {"BlankConverter(opt.alphabet)": "GrowingConverter(opt.alphabet)",
     "import BlankConverter,": "import BlankConverter, GrowingConverter,"},
    # a field another method sets from the data (a vocabulary built at run time)
    {"BlankConverter(opt.alphabet)": "VocabConverter(opt.alphabet)",
     "import BlankConverter,": "import BlankConverter, VocabConverter,"},
    # a helper made from what only a run knows (a file's characters)
    {"BlankConverter(opt.alphabet)": "BlankConverter(open(opt.alphabet).read())"},
    # a class that is not the repository's: its code is not here to read
    {"BlankConverter(opt.alphabet)": "Tokenizer(opt.alphabet)", "import torch": "import torch\nfrom tok import Tokenizer"},
])
def test_a_helper_field_the_code_does_not_state_is_not_guessed(tmp_path, change):
    _, values = _mined(tmp_path, _repo(**change))
    assert "num_class" not in values


@pytest.mark.slow
def test_the_trace_builds_the_model_with_the_evaluated_sizes(tmp_path):
    root = write(tmp_path / "repo", _repo())
    code, data, err = trace_cli(root, "--no-lines")
    assert code == 0, err
    assert data["error"] is None
    assert data["args"]["input_channel"] == 1 and data["args"]["num_class"] == 17
    assert data["arg_sources"]["num_class"]["from"].endswith("len(converter.symbols) = 17")
    outs = first_outs(data)
    assert outs["features"][1] == 32 and outs["head"][-1] == 17
