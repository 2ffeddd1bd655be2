"""What the value miner states for a constructor argument that is a part the README or a notebook hands over
(issue 11): a notebook cell hands over what an earlier cell built; a name handed over but built nowhere neither
outweighs a call that states values nor hides what else the repository states; a configuration object stays
an object read field by field. Traced counterparts: tests/test_trace_handed_parts.py."""
from __future__ import annotations

import json

from tree_helpers import write_tree as write

from reader_app.repo.values import mine


def test_a_notebook_cell_hands_over_what_an_earlier_cell_built(tmp_path):
    cells = [["from encpkg import Encoder\n", "enc = Encoder(dim = 24, depth = 3)\n"],
             ["print(enc)\n"],
             ["from encpkg import Captioner\n", "model = Captioner(num_tokens = 11, encoder = enc)\n"]]
    notebook = json.dumps({"cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": []} for c in cells],
                           "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    root = write(tmp_path / "repo", {
        "encpkg/__init__.py": "from .model import Encoder, Captioner\n",
        "encpkg/model.py": """
            import torch.nn as nn


            class Encoder(nn.Module):
                def __init__(self, dim, depth):
                    super().__init__()


            class Captioner(nn.Module):
                def __init__(self, num_tokens, encoder=None):
                    super().__init__()
            """,
        "demo.ipynb": notebook})
    got = mine(str(root), str(root / "encpkg" / "model.py"), "Captioner", ["num_tokens", "encoder"])
    assert got["num_tokens"].value == 11
    encoder = got["encoder"]
    assert encoder.kind == "instance" and encoder.value["name"] == "Encoder"
    assert encoder.value["kwargs"] == {"dim": (24, "demo.ipynb:2"), "depth": (3, "demo.ipynb:2")}


def test_names_handed_over_but_built_nowhere_do_not_outweigh_a_call_that_states_values(tmp_path):
    root = write(tmp_path / "repo", {
        "netpkg/__init__.py": "from .net import Net\n",
        "netpkg/net.py": "import torch.nn as nn\n\nclass Net(nn.Module):\n"
                         "    def __init__(self, num_inputs, channels, width=8, causal=False):\n"
                         "        super().__init__()\n",
        "README.md": "```python\nfrom netpkg import Net\nnet = Net(num_inputs, channels, causal=True)\n```\n\n"
                     "```python\nfrom netpkg import Net\nnet = Net(3, [16, 16], width=4)\n```\n"})
    got = mine(str(root), str(root / "netpkg" / "net.py"), "Net", ["num_inputs", "channels", "width", "causal"])
    assert {k: (m.value, m.where) for k, m in got.items()} == {
        "num_inputs": (3, "README.md:8"), "channels": ([16, 16], "README.md:8"), "width": (4, "README.md:8")}


def test_a_config_object_the_readme_hands_over_unbuilt_is_still_read_from_the_repository(tmp_path):
    root = write(tmp_path / "repo", {
        "model.py": "import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self, args):\n"
                    "        super().__init__()\n        self.fc = nn.Linear(args.hidden_size, 4)\n",
        "train.py": "import argparse\nparser = argparse.ArgumentParser()\n"
                    "parser.add_argument('--hidden_size', type=int, default=48)\n",
        "README.md": "```python\nfrom model import Net\nnet = Net(args)\n```\n"})
    got = mine(str(root), str(root / "model.py"), "Net", ["args"])
    assert got["args"].kind != "unbuilt" and got["args"].value["hidden_size"] == 48


def test_a_config_object_another_package_makes_is_read_field_by_field_not_made_again(tmp_path):
    root = write(tmp_path / "repo", {
        "model.py": "import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self, cfg):\n"
                    "        super().__init__()\n        self.fc = nn.Linear(cfg.hidden, 4)\n",
        "README.md": "```python\nfrom cfglib_zz import get_cfg\nfrom model import Net\nnet = Net(get_cfg())\n```\n"})
    got = mine(str(root), str(root / "model.py"), "Net", ["cfg"])
    assert got["cfg"].kind == "tree" and got["cfg"].reads == ["hidden"]
