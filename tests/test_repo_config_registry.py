"""A model picked from a registry dict by a key a YAML configuration states, the configuration's path a required
positional argument of the training script (`parser.add_argument('config')`), the constructor's arguments read
from the same configuration (`Generator(z_dim=config['z_dist']['dim'], **config['generator']['kwargs'])`)
(issue 11, held-out class). Both the ranking (which registry entry) and the values (which file, and why).
Each repository is generated here."""
from __future__ import annotations

from tree_helpers import write_tree as write

from reader_app.repo import scan_repo
from reader_app.repo.values import mine

SMALL = """
import torch.nn as nn


class Generator(nn.Module):
    def __init__(self, z_dim, size, nfilter=64, embed_size=256):
        super().__init__()
        self.fc = nn.Linear(z_dim + embed_size, nfilter * size)

    def forward(self, z):
        return self.fc(z)


class Discriminator(nn.Module):
    def __init__(self, size, nfilter=64):
        super().__init__()
        self.fc = nn.Linear(size, nfilter)

    def forward(self, x):
        return self.fc(x)
"""

# the other entry has more machinery (a block class it builds), so the graph alone would prefer it
BIG = SMALL.replace("class Generator(nn.Module):", """class Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc = nn.Linear(width, width)

    def forward(self, x):
        return self.fc(x)


class Generator(nn.Module):""").replace("        self.fc = nn.Linear(z_dim + embed_size, nfilter * size)\n",
                                        "        self.fc = nn.Linear(z_dim + embed_size, nfilter * size)\n"
                                        "        self.blocks = nn.Sequential(Block(nfilter * size), Block(nfilter * size))\n")

REGISTRY = """
from nets.models import small, big

generator_dict = {
    'small': small.Generator,
    'big': big.Generator,
}

discriminator_dict = {
    'small': small.Discriminator,
    'big': big.Discriminator,
}
"""

CONFIG_PY = """
import yaml
from nets.models import generator_dict, discriminator_dict


def load_config(path):
    with open(path, 'r') as f:
        config = yaml.safe_load(f)
    return config


def build_models(config):
    Generator = generator_dict[config['generator']['name']]
    Discriminator = discriminator_dict[config['discriminator']['name']]
    generator = Generator(z_dim=config['z_dist']['dim'], size=config['data']['img_size'],
                          **config['generator']['kwargs'])
    discriminator = Discriminator(size=config['data']['img_size'], **config['discriminator']['kwargs'])
    return generator, discriminator
"""

TRAIN = """
import argparse
from nets.config import load_config, build_models

parser = argparse.ArgumentParser()
parser.add_argument('config', type=str, help='Path to config file.')
args = parser.parse_args()

config = load_config(args.config)
generator, discriminator = build_models(config)
"""


def _yaml(name: str, dim: int, size: int, nfilter: int) -> str:
    return f"""data:
  img_size: {size}
generator:
  name: {name}
  kwargs:
    nfilter: {nfilter}
    embed_size: 1
discriminator:
  name: {name}
  kwargs:
    nfilter: {nfilter}
z_dist:
  dim: {dim}
"""


def _repo(tmp_path, configs: dict[str, str], readme: str = "# GAN\n\n    python train.py PATH_TO_CONFIG\n"):
    return write(tmp_path / "repo", {"nets/__init__.py": "", "nets/models/__init__.py": REGISTRY,
                                     "nets/models/small.py": SMALL, "nets/models/big.py": BIG,
                                     "nets/config.py": CONFIG_PY, "train.py": TRAIN, "README.md": readme,
                                     **configs})


def test_the_registry_entry_the_only_config_names_is_the_main_model(tmp_path):
    root = _repo(tmp_path, {"configs/faces.yaml": _yaml("small", 128, 32, 16)})
    main = scan_repo(root).main
    assert (main.file, main.name) == ("nets/models/small.py", "Generator")
    assert any("faces.yaml" in r for r in main.reasons)


def test_the_graph_alone_prefers_the_other_entry(tmp_path):
    # without a configuration stating the key, nothing picks the small entry: the test above is the config's doing
    root = _repo(tmp_path, {"configs/faces.yaml": _yaml("small", 128, 32, 16).replace("name: small", "kind: x")})
    main = scan_repo(root).main
    assert (main.file, main.name) != ("nets/models/small.py", "Generator")


def test_values_come_from_the_only_config_with_why_that_file(tmp_path):
    root = _repo(tmp_path, {"configs/faces.yaml": _yaml("small", 128, 32, 16)})
    values = mine(str(root), str(root / "nets/models/small.py"), "Generator",
                  ["z_dim", "size", "nfilter", "embed_size"])
    assert {k: v.value for k, v in values.items()} == {"z_dim": 128, "size": 32, "nfilter": 16, "embed_size": 1}
    assert values["z_dim"].where.startswith("configs/faces.yaml:")
    assert "only configuration file" in values["z_dim"].where


def test_of_several_configs_the_one_the_readme_passes_decides_model_and_values(tmp_path):
    configs = {"configs/a_faces.yaml": _yaml("big", 64, 16, 8), "configs/b_cars.yaml": _yaml("small", 128, 32, 16)}
    root = _repo(tmp_path, configs, "# GAN\n\n```\npython train.py configs/b_cars.yaml\n```\n")
    main = scan_repo(root).main
    assert (main.file, main.name) == ("nets/models/small.py", "Generator")
    values = mine(str(root), str(root / "nets/models/small.py"), "Generator", ["z_dim", "size"])
    assert values["z_dim"].value == 128 and "README.md:4 passes it" in values["z_dim"].where


def test_of_several_configs_nobody_passes_the_values_are_labelled_a_choice(tmp_path):
    configs = {"configs/a_faces.yaml": _yaml("small", 64, 16, 8), "configs/b_cars.yaml": _yaml("small", 128, 32, 16)}
    root = _repo(tmp_path, configs)
    values = mine(str(root), str(root / "nets/models/small.py"), "Generator", ["z_dim", "size"])
    assert values["z_dim"].value == 64
    assert "a choice" in values["z_dim"].where


def test_a_registry_imported_relatively_picks_the_same_way(tmp_path):
    root = _repo(tmp_path, {"configs/faces.yaml": _yaml("small", 128, 32, 16),
                            "nets/config.py": CONFIG_PY.replace("from nets.models import", "from .models import")})
    main = scan_repo(root).main
    assert (main.file, main.name) == ("nets/models/small.py", "Generator")
