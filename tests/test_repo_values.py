"""Constructor values mined from a repository's own text, with where it says them (no torch, no import
of the repository). Each test builds a small repository of one kind and checks what a reader would see
in the trace's provenance."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from tree_helpers import write_tree as write

from reader_app.repo.stated_names import stated_names
from reader_app.repo.values import mine

MODEL = textwrap.dedent("""
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self, in_channels, latent_dim, hidden_dims=None):
            super().__init__()
            self.fc = nn.Linear(in_channels, latent_dim)

    def net_small():
        return Net(1, 2)
    """)




def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def where(found: dict) -> dict:
    return {k: (m.value, m.where) for k, m in found.items()}


def test_yaml_section_that_names_the_class_wins_over_others(tmp_path):
    root = write(tmp_path, {"models/net.py": MODEL,
                            "configs/other.yaml": "model_params:\n  name: OtherVAE\n  in_channels: 1\n  latent_dim: 7\n",
                            "configs/net.yaml": "model_params:\n  name: Net\n  in_channels: 3\n  latent_dim: 128\n"})
    found = where(mine(str(root), str(root / "models/net.py"), "Net", ["in_channels", "latent_dim", "hidden_dims"],
                       {"in_channels", "latent_dim"}))
    assert found == {"in_channels": (3, "configs/net.yaml:3"), "latent_dim": (128, "configs/net.yaml:4")}


def test_call_site_follows_names_to_a_star_imported_conf_and_argparse(tmp_path):
    root = write(tmp_path, {
        "models/net.py": MODEL,
        "conf.py": "latent_dim = 64 * 2\n",
        "train.py": """
            import argparse
            from conf import *
            from models.net import Net
            parser = argparse.ArgumentParser()
            parser.add_argument('--in-channels', type=int, default=3)
            args = parser.parse_args()
            model = Net(args.in_channels, latent_dim=latent_dim)
            """})
    found = where(mine(str(root), str(root / "models/net.py"), "Net", ["in_channels", "latent_dim", "hidden_dims"],
                       {"in_channels", "latent_dim"}))
    assert found == {"in_channels": (3, f"train.py:{line_of(root / 'train.py', 'default=3')}"),
                     "latent_dim": (128, "conf.py:1")}


def test_readme_block_and_function_scope_dict_config(tmp_path):
    root = write(tmp_path, {
        "gpt.py": textwrap.dedent("""
            import torch.nn as nn
            class GPT(nn.Module):
                def __init__(self, cfg):
                    super().__init__()

            def main():
                CONFIG = {"vocab_size": 50257, "emb_dim": 768, "n_layers": 12}
                model = GPT(CONFIG)
            """),
        "README.md": "# gpt\n\n```python\nfrom gpt import GPT\nmodel = GPT({'vocab_size': 10})\n```\n"})
    found = mine(str(root), str(root / "gpt.py"), "GPT", ["cfg"])
    assert found["cfg"].value == {"vocab_size": 50257, "emb_dim": 768, "n_layers": 12}
    assert found["cfg"].where == f"gpt.py:{line_of(root / 'gpt.py', 'CONFIG = {')}"
    root2 = write(tmp_path / "readme_only", {"gpt.py": (root / "gpt.py").read_text().split("def main")[0],
                                             "README.md": (root / "README.md").read_text()})
    assert where(mine(str(root2), str(root2 / "gpt.py"), "GPT", ["cfg"])) == {"cfg": ({"vocab_size": 10}, "README.md:5")}


def test_readme_values_after_a_shell_block(tmp_path):
    """READMEs usually open with a ```bash install block: the Python blocks after it are still read."""
    readme = ("# net\n\n```bash\n$ pip install net\n```\n\n## Usage\n\n```python\nfrom net import Net\n"
              "model = Net(in_channels=3, latent_dim=256)\n```\n\n```bibtex\n@misc{net}\n```\n")
    root = write(tmp_path, {"net.py": MODEL, "README.md": readme})
    found = where(mine(str(root), str(root / "net.py"), "Net", ["in_channels", "latent_dim", "hidden_dims"],
                       {"in_channels", "latent_dim"}))
    assert found == {"in_channels": (3, "README.md:11"), "latent_dim": (256, "README.md:11")}


def test_tests_toy_sizes_and_own_factory_variants_are_not_the_default(tmp_path):
    root = write(tmp_path, {"net.py": MODEL,
                            "tests/test_net.py": "from net import Net\nNet(1, 2, [4, 4])\n",
                            "examples/run.py": "from net import Net\nmodel = Net(3, 16)\n"})
    found = where(mine(str(root), str(root / "net.py"), "Net", ["in_channels", "latent_dim", "hidden_dims"]))
    assert found == {"in_channels": (3, "examples/run.py:2"), "latent_dim": (16, "examples/run.py:2")}


def test_the_factory_a_training_script_names(tmp_path):
    root = write(tmp_path, {"net.py": MODEL,
                            "trainer.py": "import argparse\np = argparse.ArgumentParser()\n"
                                          "p.add_argument('--arch', default='net_small', choices=['net_small'])\n"})
    assert stated_names(str(root), ["net_small", "net_large"]) == {"net_small": "trainer.py:3"}


@pytest.mark.parametrize("bad", ["configs/broken.yaml", "broken.py", "notebook.ipynb"])
def test_unreadable_files_are_passed_over(tmp_path, bad):
    root = write(tmp_path, {"net.py": MODEL, bad: "{{{ not: [valid\n  def (", "run.py": "from net import Net\nNet(3, 5)\n"})
    found = where(mine(str(root), str(root / "net.py"), "Net", ["in_channels", "latent_dim"]))
    assert found == {"in_channels": (3, "run.py:2"), "latent_dim": (5, "run.py:2")}


def test_a_registry_key_a_script_picks_names_the_factory(tmp_path):
    root = write(tmp_path, {"net.py": MODEL + "\nNETS = {'Net-S': net_small}\n",
                            "sample.py": "import argparse\np = argparse.ArgumentParser()\n"
                                         "p.add_argument('--model', default='Net-S')\n"})
    assert stated_names(str(root), ["net_small"]) == {"net_small": "sample.py:3"}


def test_a_call_in_a_branch_the_option_defaults_rule_out_states_nothing(tmp_path):
    root = write(tmp_path, {
        "models/net.py": MODEL,
        "train.py": """
            import argparse
            from models.net import Net
            parser = argparse.ArgumentParser()
            parser.add_argument('--size', choices=['big', 'small'], default='small')
            args = parser.parse_args()
            if args.size == 'big' or args.size == 'huge':
                model = Net(7, latent_dim=512)
            else:
                model = Net(3, latent_dim=32)
            """})
    found = where(mine(str(root), str(root / "models/net.py"), "Net", ["in_channels", "latent_dim", "hidden_dims"],
                       {"in_channels", "latent_dim"}))
    assert found == {"in_channels": (3, f"train.py:{line_of(root / 'train.py', 'Net(3')}"),
                     "latent_dim": (32, f"train.py:{line_of(root / 'train.py', 'Net(3')}")}


def test_a_config_built_with_values_outranks_an_empty_one_filled_field_by_field(tmp_path):
    # An export script builds `Args()` and sets its fields from a checkpoint; the training script builds
    # `Args(**model_args)` from its own constants: the values the reader sees are the training script's.
    model = """
        from dataclasses import dataclass
        import torch.nn as nn

        @dataclass
        class Args:
            dim: int = 4096
            n_layers: int = 32

        class Net(nn.Module):
            def __init__(self, params: Args):
                super().__init__()
                self.layers = nn.ModuleList(nn.Linear(params.dim, params.dim) for _ in range(params.n_layers))
        """
    root = write(tmp_path, {
        "model.py": model,
        "export.py": """
            from model import Args, Net
            def load(checkpoint):
                config = Args()
                config.dim = checkpoint["dim"]
                return Net(config)
            """,
        "train.py": """
            from model import Args, Net
            dim = 288
            n_layers = 6
            model_args = dict(dim=dim, n_layers=n_layers)
            model = Net(Args(**model_args))
            """})
    found = mine(str(root), str(root / "model.py"), "Net", ["params"])
    assert found["params"].where.startswith("train.py:")
    assert found["params"].value["kwargs"] == {"dim": (288, "train.py:5"), "n_layers": (6, "train.py:5")}
