"""Constructor values a trainer object reads from itself (`Generator(self.g_dim, self.c_dim)` in a method)
after its constructor copied them from the namespace a script parses and hands it (`self.c_dim =
config.c_dim`): the script's option defaults are the values, and a branch on such a copy (`if self.dataset
== 'Both'`) that the defaults rule out builds nothing. The repository is generated here; no torch."""
from __future__ import annotations

from tree_helpers import write_tree as write

from reader_app.repo.values import mine

REPO = {
    "nets.py": """
        import torch.nn as nn


        class Painter(nn.Module):
            def __init__(self, width=64, code_dim=5, blocks=6):
                super().__init__()
                self.first = nn.Conv2d(3 + code_dim, width, 7, padding=3)
        """,
    "trainer.py": """
        from nets import Painter


        class Trainer:
            def __init__(self, loader, config):
                self.width = config.g_width
                self.code_dim = config.code_dim
                self.extra_dim = config.extra_dim
                self.blocks = config.g_blocks
                self.dataset = config.dataset
                self.build()

            def build(self):
                if self.dataset == 'Both':
                    self.net = Painter(self.width, self.code_dim + self.extra_dim, self.blocks)
                else:
                    self.net = Painter(self.width, self.code_dim, self.blocks)
        """,
    "main.py": """
        import argparse
        from trainer import Trainer


        def main(config):
            trainer = Trainer(None, config)


        if __name__ == '__main__':
            parser = argparse.ArgumentParser()
            parser.add_argument('--code_dim', type=int, default=9)
            parser.add_argument('--extra_dim', type=int, default=4)
            parser.add_argument('--g_width', type=int, default=48)
            parser.add_argument('--g_blocks', type=int, default=3)
            parser.add_argument('--dataset', type=str, default='Faces', choices=['Faces', 'Both'])
            main(parser.parse_args())
        """,
}


def test_values_a_trainer_copies_from_the_parsed_namespace_are_the_scripts_defaults(tmp_path):
    root = write(tmp_path / "repo", REPO)
    found = mine(str(root), str(root / "nets.py"), "Painter", ["width", "code_dim", "blocks"])
    got = {name: (m.value, m.where) for name, m in found.items()}
    # the `Both` branch (code_dim + extra_dim = 13) is ruled out by --dataset's default
    assert got == {"width": (48, "main.py:14"), "code_dim": (9, "main.py:12"), "blocks": (3, "main.py:15")}


def test_a_copy_no_parser_states_is_left_to_the_class_default(tmp_path):
    files = dict(REPO, **{"main.py": """
        from trainer import Trainer
        trainer = Trainer(None, load_settings())
        """})
    root = write(tmp_path / "repo", files)
    found = mine(str(root), str(root / "nets.py"), "Painter", ["width", "code_dim", "blocks"], required=set())
    assert not {name for name, m in found.items() if m.kind == "call"}
