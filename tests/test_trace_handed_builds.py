"""Two ways a repository builds its model that only its code says (issue 11, constructor values):

- FACTORIES MADE AT IMPORT TIME: the model module makes its factories as partials, by name in a loop
  (`setattr(thismodule, f"{dataset}_{name}", partial(_net, layers=..., num_classes=...))`, over stub `def`s that
  only name the class in an annotation) or plainly (`wide = functools.partial(Net, width=48)`); hubconf.py
  imports one by name. The trace builds the model through the first one hubconf.py lists, with the partial's
  keywords and their line as provenance.
- A PARSED COMMAND LINE HANDED THROUGH FUNCTIONS: `args = parser.parse_args()` in `__main__` -> `train(args)` ->
  `model = Net(args)`. The constructor gets a real argparse.Namespace of that parser's defaults (`_get_kwargs()`,
  `'x' in args`, `vars(args)` work), even when another parser of the repository states more of the fields the
  model reads; the fields the constructor sets on it itself (`args.levels = 4`) are neither guessed nor reported.

Each repository is generated here."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_repos, write_tree

from reader_app.repo.values import mine

# A. Factories set in a loop over stub defs; hubconf.py lists the 3-stage, 10-class one first. The class's own
# call has no stated `layers` (a guess of two stages fails at layers[2]).
LOOP_NET = """
import sys
from functools import partial

import torch.nn as nn


class Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.conv = nn.Conv2d(width, width, 3, padding=1)

    def forward(self, x):
        return x + self.conv(x)


class TinyResNet(nn.Module):
    def __init__(self, block, layers, num_classes=1000):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.stage1 = nn.Sequential(*[block(8) for _ in range(layers[0])])
        self.stage2 = nn.Sequential(*[block(8) for _ in range(layers[1])])
        self.stage3 = nn.Sequential(*[block(8) for _ in range(layers[2])])
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, num_classes)

    def forward(self, x):
        x = self.stage3(self.stage2(self.stage1(self.stem(x))))
        return self.fc(self.pool(x).flatten(1))


def _net(arch, layers, urls, pretrained=False, **kwargs):
    model = TinyResNet(Block, layers, **kwargs)
    if pretrained:
        raise RuntimeError("no weights in this test: " + urls[arch])
    return model


def c10_net8(*args, **kwargs) -> TinyResNet: pass
def c10_net14(*args, **kwargs) -> TinyResNet: pass
def c100_net8(*args, **kwargs) -> TinyResNet: pass


thismodule = sys.modules[__name__]
for dataset in ["c10", "c100"]:
    for layers, name in zip([[1] * 3, [2] * 3], ["net8", "net14"]):
        setattr(thismodule, f"{dataset}_{name}",
                partial(_net, arch=name, layers=layers, urls={"net8": "", "net14": ""},
                        num_classes=10 if dataset == "c10" else 100))
"""

LOOP_REPO = {
    "tinynets/__init__.py": "from .resnet import c10_net8, c10_net14, c100_net8\n",
    "tinynets/resnet.py": LOOP_NET,
    "hubconf.py": "dependencies = ['torch']\n\nfrom tinynets import c100_net8\nfrom tinynets import c10_net8\n",
    "README.md": "# Tiny CIFAR nets\n\nResNets for CIFAR, loadable with torch.hub.\n",
}

# A'. The same, with a training script whose option picks another of them: the script's pick beats hubconf's list
# (which lists the 10-class one first here, also first by name).
LOOP_SCRIPT_REPO = {**LOOP_REPO, "hubconf.py": "from tinynets import c10_net8\nfrom tinynets import c100_net8\n",
                    "train.py": """
import argparse

import tinynets

parser = argparse.ArgumentParser()
parser.add_argument('--arch', default='c100_net8')
args = parser.parse_args()
model = getattr(tinynets, args.arch)()
"""}

# B. A plain module-level functools.partial of the class itself.
PLAIN_REPO = {
    "net.py": """
    import functools

    import torch.nn as nn


    class Wide(nn.Module):
        def __init__(self, width, depth=2):
            super().__init__()
            self.inp = nn.Linear(12, width)
            self.body = nn.Sequential(*[nn.Linear(width, width) for _ in range(depth)])

        def forward(self, x):
            return self.body(self.inp(x))


    wide_48 = functools.partial(Wide, width=48, depth=3)
    """,
    "hubconf.py": "from net import wide_48\n",
}

# C. A stub def that nothing replaces names the class only in its annotation: it is no factory.
STUB_REPO = {
    "net.py": PLAIN_REPO["net.py"].replace("wide_48 = functools.partial(Wide, width=48, depth=3)",
                                           "def wide_48(*args, **kwargs) -> Wide: pass"),
    "hubconf.py": "from net import wide_48\n",
}

# D. The parsed options reach the constructor through train(args); an options module for another tool states more
# of the fields the model reads (with `small` on) but its namespace never reaches the model.
FLOW_NET = """
import torch.nn as nn

from parts import Motion


class FlowNet(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.args = args
        if args.small:
            self.hidden = 16
            args.levels = 2
            args.radius = 1
        else:
            self.hidden = 32
            args.levels = 3
            args.radius = 2
        if 'dropout' not in args._get_kwargs():
            args.dropout = 0
        assert 'small' in args and 'lr' in vars(args)  # a real Namespace: `in` and vars() work
        self.encoder = nn.Conv2d(3, self.hidden, 3, padding=1)
        self.drop = nn.Dropout(args.dropout)
        self.motion = Motion(self.args, self.hidden)

    def forward(self, image1, image2):
        return self.motion(self.drop(self.encoder(image1)) - self.encoder(image2))
"""

PARTS = """
import torch.nn as nn


class Motion(nn.Module):
    def __init__(self, args, hidden):
        super().__init__()
        planes = args.levels * (2 * args.radius + 1) ** 2
        self.corr = nn.Conv2d(hidden, planes, 1)
        self.head = nn.Conv2d(planes, 2, 3, padding=1)
        self.mixed = args.mixed_precision

    def forward(self, x):
        return self.head(self.corr(x))
"""

TRAIN = """
import argparse

from core.flow import FlowNet


def train(args):
    model = FlowNet(args)
    return model


def main(args):
    return train(args)


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--name', default='flow')
    parser.add_argument('--small', action='store_true')
    parser.add_argument('--lr', type=float, default=0.0002)
    parser.add_argument('--dropout', type=float, default=0.0)
    parser.add_argument('--mixed_precision', action='store_true')
    args = parser.parse_args()
    main(args)
"""

OPTIONS = """
import argparse


def export_options():
    parser = argparse.ArgumentParser()
    parser.add_argument('--small', default=True)
    parser.add_argument('--dropout', default=0.5)
    parser.add_argument('--mixed_precision', default=False)
    parser.add_argument('--levels', default=9)
    parser.add_argument('--radius', default=9)
    return parser.parse_args()


if __name__ == '__main__':
    print(export_options())
"""

# E. Nothing states the namespace (no parser reaches the model): its fields are labelled guesses, and the stand-in
# is still a Namespace because the model uses it as one (`_get_kwargs()`, `vars(args)`).
UNSTATED_FLOW_REPO = {"core/flow.py": FLOW_NET.replace("assert 'small' in args and 'lr' in vars(args)",
                                                       "self.names = sorted(vars(args))"),
                      "core/parts.py": PARTS}

FLOW_REPO = {"core/flow.py": FLOW_NET, "core/parts.py": PARTS, "train.py": TRAIN, "options.py": OPTIONS,
             "README.md": "# Tiny flow\n\n`python train.py`\n"}


def _line(root, rel: str, text: str) -> int:
    return next(i for i, line in enumerate((root / rel).read_text().splitlines(), 1) if text in line)


def test_the_namespace_handed_through_functions_is_the_parsers_whole(tmp_path):
    root = write_tree(tmp_path / "repo", FLOW_REPO)
    mined = mine(str(root), str(root / "core" / "flow.py"), "FlowNet", ["args"])["args"]
    assert mined.kind == "namespace"
    # every option of train.py's parser, not options.py's (which states more of the fields but is never handed)
    assert mined.value == {"name": "flow", "small": False, "lr": 0.0002, "dropout": 0.0, "mixed_precision": False}
    assert mined.fields["small"] == f"train.py:{_line(root, 'train.py', '--small')}"
    # the constructor sets levels and radius on every path before anything reads them: not the script's to state
    assert sorted(mined.reads) == ["dropout", "mixed_precision", "small"]


def test_a_field_the_constructor_sets_on_one_path_only_is_still_read(tmp_path):
    repo = dict(FLOW_REPO)
    repo["core/flow.py"] = FLOW_NET.replace("            args.levels = 3\n", "")
    root = write_tree(tmp_path / "repo", repo)
    reads = mine(str(root), str(root / "core" / "flow.py"), "FlowNet", ["args"])["args"].reads
    assert "levels" in reads and "radius" not in reads


def test_without_the_hand_over_the_best_covering_parser_states_the_namespace(tmp_path):
    # the script builds the model from an object it did not parse: no link, so the parser that covers the fields
    # the model reads best states them (options.py here), as before
    repo = dict(FLOW_REPO)
    repo["train.py"] = TRAIN.replace("model = FlowNet(args)", "model = FlowNet(make_args())")
    root = write_tree(tmp_path / "repo", repo)
    mined = mine(str(root), str(root / "core" / "flow.py"), "FlowNet", ["args"])["args"]
    assert mined.value["small"] is True and mined.fields["small"].startswith("options.py:")


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("handed"), {"loop": LOOP_REPO, "plain": PLAIN_REPO,
                                                           "stub": STUB_REPO, "flow": FLOW_REPO,
                                                           "loop_script": LOOP_SCRIPT_REPO,
                                                           "unstated": UNSTATED_FLOW_REPO}, "--no-lines")


@pytest.mark.slow
def test_a_factory_set_in_a_loop_at_import_builds_the_model_hubconf_lists_first(traced, tmp_path):
    code, data, err = traced["loop"]
    assert code == 0, err
    assert data["class"] == "TinyResNet" and data["error"] is None
    assert "built with the factory c100_net8() (named at hubconf.py:3)" in data["warnings"]
    root = write_tree(tmp_path / "again", LOOP_REPO)
    where = f"tinynets/resnet.py:{_line(root, 'tinynets/resnet.py', 'partial(_net,')}"
    assert data["arg_sources"]["layers"] == {"value": [1, 1, 1], "from": f"bound by the partial at {where}"}
    outs = first_outs(data)
    assert outs["fc"] == [2, 100] and outs["stage3"][1] == 8  # hubconf's first: the 100-class one


@pytest.mark.slow
def test_a_training_scripts_pick_beats_the_first_hub_entry(traced):
    code, data, err = traced["loop_script"]
    assert code == 0, err
    assert "built with the factory c100_net8() (named at train.py:7)" in data["warnings"]
    assert first_outs(data)["fc"] == [2, 100]


@pytest.mark.slow
def test_a_plain_module_level_partial_of_the_class_is_its_factory(traced):
    code, data, err = traced["plain"]
    assert code == 0, err
    assert "built with the factory wide_48() (named at hubconf.py:1)" in data["warnings"]
    assert data["arg_sources"]["width"]["value"] == 48 and data["arg_sources"]["width"]["from"].startswith(
        "bound by the partial at net.py:")
    outs = first_outs(data)
    assert outs["inp"][-1] == 48 and "body.2" in outs


@pytest.mark.slow
def test_a_stub_def_is_no_factory(traced):
    code, data, err = traced["stub"]
    assert not any("wide_48()" in w for w in data["warnings"]), data["warnings"]


@pytest.mark.slow
def test_the_constructor_gets_a_real_namespace_of_the_handed_parser(traced):
    code, data, err = traced["flow"]
    assert code == 0, err
    assert data["error"] is None
    sources = {k: v["from"] for k, v in data["arg_sources"].items()}
    assert sources["small"].startswith("train.py:") and sources["dropout"].startswith("train.py:")
    assert data["arg_sources"]["small"]["value"] is False
    assert "levels" not in sources and "radius" not in sources  # the constructor's own: not guessed, not reported
    assert not any("guess" in v for v in sources.values()), sources
    outs = first_outs(data)
    assert outs["encoder"][1] == 32  # the big variant train.py's defaults select, not options.py's small one
    assert outs["motion.corr"][1] == 3 * 5 ** 2  # levels 3, radius 2 set by the constructor


def test_the_ranking_sees_import_time_partials_as_factories_and_hubconfs_imports_as_entries(tmp_path):
    from reader_app.repo import scan_repo

    main = scan_repo(write_tree(tmp_path / "loop", LOOP_REPO)).main
    assert main.name == "TinyResNet"
    assert "hubconf.py offers its factory c100_net8() for torch.hub" in main.reasons
    # the stubs the loop replaces build what its partial's callable builds; their own `pass` builds nothing
    assert any(r.startswith("the repository builds it through 4 factories: _net(), c100_net8(), c10_net14()")
               for r in main.reasons), main.reasons
    plain = scan_repo(write_tree(tmp_path / "plain", PLAIN_REPO)).main
    assert "hubconf.py offers its factory wide_48() for torch.hub" in plain.reasons
    assert any("factory: wide_48()" in r for r in plain.reasons), plain.reasons
    stub = scan_repo(write_tree(tmp_path / "stub", STUB_REPO)).main
    assert not any("wide_48" in r for r in stub.reasons), stub.reasons


def test_a_namespace_returned_by_the_repositorys_own_parse_function_is_followed(tmp_path):
    # `args = get_args()` imported from a module whose function parses the command line, handed on through run()
    repo = dict(FLOW_REPO)
    repo["opts.py"] = """
import argparse


def get_args():
    parser = argparse.ArgumentParser()
    parser.add_argument('--small', action='store_true')
    parser.add_argument('--dropout', type=float, default=0.25)
    parser.add_argument('--mixed_precision', action='store_true')
    return parser.parse_args()
"""
    repo["train.py"] = """
from core.flow import FlowNet
from opts import get_args


def run(config):
    return FlowNet(config)


if __name__ == '__main__':
    args = get_args()
    run(args)
"""
    root = write_tree(tmp_path / "repo", repo)
    mined = mine(str(root), str(root / "core" / "flow.py"), "FlowNet", ["args"])["args"]
    # opts.py's namespace, not options.py's (which ties on the fields it states and comes first by name)
    assert mined.kind == "namespace" and mined.value == {"small": False, "dropout": 0.25, "mixed_precision": False}
    assert mined.fields["dropout"] == f"opts.py:{_line(root, 'opts.py', '--dropout')}"


@pytest.mark.slow
def test_an_unstated_namespace_the_model_uses_as_one_is_a_namespace_of_labelled_guesses(traced):
    code, data, err = traced["unstated"]
    assert code == 0, err
    assert data["error"] is None
    sources = {k: v["from"] for k, v in data["arg_sources"].items()}
    assert set(sources) == {"small", "dropout", "mixed_precision"}  # levels, radius: the constructor's own
    assert all("guess" in v for v in sources.values()), sources


def test_a_namespace_a_trainer_keeps_and_hands_to_the_model_is_followed(tmp_path):
    # `Solver(config)` built with the parsed options, `self.config = config`, then `FlowNet(self.config)`
    repo = dict(FLOW_REPO)
    repo["train.py"] = TRAIN.replace('''def train(args):
    model = FlowNet(args)
    return model


def main(args):
    return train(args)
''', '''class Solver:
    def __init__(self, config, steps=10):
        self.config = config
        self.steps = steps

    def build(self):
        self.net = FlowNet(self.config)


def main(args):
    return Solver(args).build()
''')
    root = write_tree(tmp_path / "repo", repo)
    mined = mine(str(root), str(root / "core" / "flow.py"), "FlowNet", ["args"])["args"]
    assert mined.kind == "namespace" and mined.value["small"] is False and mined.value["name"] == "flow"
    assert mined.fields["small"].startswith("train.py:")
