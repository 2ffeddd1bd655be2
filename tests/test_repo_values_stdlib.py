"""Constructor values a script computes at module level from standard-library constants (`vocab =
string.printable; n_vocab = len(vocab)` in a helpers module the script star-imports): the value is the same on
every Python, so it is stated, with the line that computes it - not a guess. The repository is generated here;
no torch."""
from __future__ import annotations

import string

from tree_helpers import write_tree as write

from reader_app.repo.values import mine

MODEL = """
    import torch.nn as nn


    class Tagger(nn.Module):
        def __init__(self, n_in, hidden, n_out):
            super().__init__()
            self.embed = nn.Embedding(n_in, hidden)
            self.head = nn.Linear(hidden, n_out)
    """


def _mined(tmp_path, files):
    root = write(tmp_path / "repo", {"model.py": MODEL, **files})
    found = mine(str(root), str(root / "model.py"), "Tagger", ["n_in", "hidden", "n_out"])
    return {name: (m.value, m.where) for name, m in found.items()}


def test_a_size_computed_from_a_string_constant_in_a_star_imported_helper_is_stated(tmp_path):
    got = _mined(tmp_path, {
        "helpers.py": """
            import string
            import math

            letters = string.ascii_letters + " .,;'"
            n_letters = len(letters)
            """,
        "train.py": """
            import argparse
            from helpers import *
            from model import Tagger

            parser = argparse.ArgumentParser()
            parser.add_argument('--hidden', type=int, default=48)
            args = parser.parse_args()
            tagger = Tagger(n_letters, args.hidden, n_letters)
            """})
    expected = len(string.ascii_letters) + 5
    assert got["n_in"] == (expected, "helpers.py:6") and got["n_out"] == (expected, "helpers.py:6")
    assert got["hidden"] == (48, "train.py:7")


def test_constants_imported_by_name_or_alias_are_read_and_a_rebound_module_is_not(tmp_path):
    got = _mined(tmp_path, {
        "train.py": """
            import string as s
            from string import digits
            from model import Tagger

            tagger = Tagger(len(s.printable), 2 * len(digits), 7)
            """})
    assert got["n_in"] == (len(string.printable), "train.py:6") and got["hidden"] == (20, "train.py:6")

    got = _mined(tmp_path / "rebound", {
        "train.py": """
            import string
            from model import Tagger

            string = load_alphabet()
            tagger = Tagger(len(string.printable), 16, 7)
            """})
    assert "n_in" not in got or got["n_in"][0] != len(string.printable)
