"""A script that builds the model's class under another name (issue 11, held-out class "the repository builds its
model under another name"): `from pkg.models import NetCDC as Net` inside the branch a configuration picks, a
rebinding `Model = NetCDC` (module level or in a function), a dict of classes looked up by a configuration's key,
a module imported `as` a short name. The constructor values come from that call, with its line, not from a guess;
a call in the branch of another class bound to the same name gives that class's values, not this one's.
Each repository is generated here."""
from __future__ import annotations

from tree_helpers import write_tree as write

from reader_app.repo import scan_repo
from reader_app.repo.values import mine

NETS = """
import torch.nn as nn


class RadarNet(nn.Module):
    def __init__(self, in_channels, n_class):
        super().__init__()
        self.conv = nn.Conv3d(in_channels, n_class, 3, padding=1)

    def forward(self, x):
        return self.conv(x)


class RadarHG(nn.Module):
    def __init__(self, in_channels, n_class, stacked_num=2):
        super().__init__()
        self.conv = nn.Conv3d(in_channels, n_class, 3, padding=1)

    def forward(self, x):
        return self.conv(x)
"""

BRANCH_IMPORTS = """
def main():
    cfg = {'type': 'NET'}
    if cfg['type'] == 'NET':
        from radar.models.nets import RadarNet as Model
    elif cfg['type'] == 'HG':
        from radar.models.nets import RadarHG as Model
    else:
        raise TypeError(cfg['type'])

    print('building', cfg)
    if cfg['type'] == 'NET':
        model = Model(in_channels=2, n_class=5)
    elif cfg['type'] == 'HG':
        model = Model(in_channels=7, n_class=9, stacked_num=4)
    return model


if __name__ == '__main__':
    main()
"""

# the same at module level, inside the script's `if __name__ == '__main__':` block, the type an unknown config's
CONFIG_BRANCHES = """
import sys
from radar.config import load_config

if __name__ == '__main__':
    cfg = load_config(sys.argv[1])
    if cfg['type'] == 'NET':
        from radar.models.nets import RadarNet as Model
    elif cfg['type'] == 'HG':
        from radar.models.nets import RadarHG as Model

    if cfg['type'] == 'NET':
        model = Model(in_channels=2, n_class=5)
    elif cfg['type'] == 'HG':
        model = Model(in_channels=7, n_class=9, stacked_num=4)
"""

REBIND = """
from radar.models.nets import RadarNet

Model = RadarNet


def main():
    model = Model(in_channels=2, n_class=5)


main()
"""

REBIND_LOCAL = """
from radar.models import nets


def main():
    Model = nets.RadarNet
    model = Model(in_channels=2, n_class=5)


main()
"""

DICT_PICK = """
import json
from radar.models.nets import RadarNet, RadarHG

MODELS = {'net': RadarNet, 'hg': RadarHG}


def main():
    cfg = json.load(open('configs/run.json'))
    model = MODELS[cfg['arch']](in_channels=2, n_class=5)


main()
"""

DICT_STATED_KEY = """
from radar.models.nets import RadarNet, RadarHG

MODELS = {'net': RadarNet, 'hg': RadarHG}
ARCH = 'hg'
Model = MODELS[ARCH]
model = Model(in_channels=7, n_class=9)
"""

MODULE_AS = """
import radar.models.nets as N

model = N.RadarNet(in_channels=2, n_class=5)
"""


def _repo(tmp_path, script: str):
    return write(tmp_path / "repo", {
        "radar/__init__.py": "",
        "radar/models/__init__.py": "",
        "radar/models/nets.py": NETS,
        "radar/config.py": "import json\n\ndef load_config(path):\n    return json.load(open(path))\n",
        "tools/train.py": script,
        "configs/run.json": '{"arch": "net"}',
        "README.md": "# Radar\n\nTrain: `python tools/train.py configs/run.json`\n",
    })


def _mined(root, name: str, params: list[str]) -> dict:
    found = mine(str(root), str(root / "radar/models/nets.py"), name, params)
    return {k: (m.value, m.where) for k, m in found.items()}


def test_import_as_in_a_branch_gives_that_branchs_call(tmp_path):
    root = _repo(tmp_path, BRANCH_IMPORTS)
    assert _mined(root, "RadarNet", ["in_channels", "n_class"]) == {
        "in_channels": (2, "tools/train.py:13"), "n_class": (5, "tools/train.py:13")}
    # the other class bound to the same name: the call in its own branch, never RadarNet's
    assert _mined(root, "RadarHG", ["in_channels", "n_class", "stacked_num"]) == {
        "in_channels": (7, "tools/train.py:15"), "n_class": (9, "tools/train.py:15"),
        "stacked_num": (4, "tools/train.py:15")}


def test_import_as_in_module_level_branches_of_an_unknown_config(tmp_path):
    root = _repo(tmp_path, CONFIG_BRANCHES)
    assert _mined(root, "RadarNet", ["in_channels", "n_class"]) == {
        "in_channels": (2, "tools/train.py:13"), "n_class": (5, "tools/train.py:13")}
    assert _mined(root, "RadarHG", ["in_channels", "n_class"])["in_channels"] == (7, "tools/train.py:15")


def test_module_level_rebinding(tmp_path):
    root = _repo(tmp_path, REBIND)
    assert _mined(root, "RadarNet", ["in_channels", "n_class"]) == {
        "in_channels": (2, "tools/train.py:8"), "n_class": (5, "tools/train.py:8")}
    assert _mined(root, "RadarHG", ["in_channels", "n_class"]) == {}  # nothing builds it


def test_rebinding_to_a_module_attribute_in_a_function(tmp_path):
    root = _repo(tmp_path, REBIND_LOCAL)
    assert _mined(root, "RadarNet", ["in_channels", "n_class"]) == {
        "in_channels": (2, "tools/train.py:7"), "n_class": (5, "tools/train.py:7")}


def test_dict_of_classes_looked_up_by_a_loaded_key(tmp_path):
    root = _repo(tmp_path, DICT_PICK)
    assert _mined(root, "RadarNet", ["in_channels", "n_class"]) == {
        "in_channels": (2, "tools/train.py:10"), "n_class": (5, "tools/train.py:10")}


def test_dict_of_classes_with_a_stated_key_builds_only_its_entry(tmp_path):
    root = _repo(tmp_path, DICT_STATED_KEY)
    assert _mined(root, "RadarHG", ["in_channels", "n_class"]) == {
        "in_channels": (7, "tools/train.py:7"), "n_class": (9, "tools/train.py:7")}
    assert _mined(root, "RadarNet", ["in_channels", "n_class"]) == {}  # the key picks the other entry


def test_module_imported_as_a_short_name(tmp_path):
    root = _repo(tmp_path, MODULE_AS)
    assert _mined(root, "RadarNet", ["in_channels", "n_class"]) == {
        "in_channels": (2, "tools/train.py:4"), "n_class": (5, "tools/train.py:4")}


def _script_builds(root) -> set[str]:
    info = scan_repo(root)
    return {m.name for m in info.models if "the training or main script builds it" in m.reasons}


def test_ranking_credits_each_branch_an_undecided_config_can_take(tmp_path):
    # `Model` is imported in both branches of main(): each branch's own call builds its own class (before, only the
    # last import counted, so the script seemed to build RadarHG alone)
    root = _repo(tmp_path, BRANCH_IMPORTS.replace("cfg = {'type': 'NET'}", "cfg = load_config(sys.argv[1])")
                 .replace("def main():", "import sys\nfrom radar.config import load_config\n\n\ndef main():", 1))
    assert _script_builds(root) == {"RadarNet", "RadarHG"}


def test_ranking_leaves_out_a_branch_whose_class_no_call_builds(tmp_path):
    # the HG branch imports its class but calls nothing under that branch's test: only RadarNet is built
    script = CONFIG_BRANCHES.replace("model = Model(in_channels=7, n_class=9, stacked_num=4)", "model = None")
    assert _script_builds(_repo(tmp_path, script)) == {"RadarNet"}


ARGS_NET = """
import torch.nn as nn


class RadarArgs(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.conv = nn.Conv3d(args.in_channels, args.n_class, 3, padding=1)

    def forward(self, x):
        return self.conv(x)
"""

LAUNCH = """
import argparse


def main(args):
    if args.arch == 'radar':
        from radar.models.nets import RadarArgs as Model
    else:
        raise ValueError(args.arch)
    model = Model(args)


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--arch', default='radar')
    parser.add_argument('--in_channels', type=int, default=2)
    parser.add_argument('--n_class', type=int, default=5)
    main(parser.parse_args())
"""

# another script's parser, which builds no model: its defaults are not what the model gets
EXPORT = """
import argparse

if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--in_channels', type=int, default=9)
    parser.add_argument('--n_class', type=int, default=9)
    print(parser.parse_args())
"""


def test_namespace_handed_to_the_class_under_another_name(tmp_path):
    root = write(tmp_path / "repo", {"radar/__init__.py": "", "radar/models/__init__.py": "",
                                     "radar/models/nets.py": ARGS_NET, "tools/launch.py": LAUNCH,
                                     "tools/export.py": EXPORT})
    found = mine(str(root), str(root / "radar/models/nets.py"), "RadarArgs", ["args"])["args"]
    assert found.kind == "namespace"
    assert (found.value["in_channels"], found.fields["in_channels"]) == (2, "tools/launch.py:16")
    assert (found.value["n_class"], found.fields["n_class"]) == (5, "tools/launch.py:17")


REBIND_BRANCHES = """
import sys
from radar.models import nets
from radar.config import load_config

cfg = load_config(sys.argv[1])
if cfg['type'] == 'HG':
    Model = nets.RadarHG
else:
    Model = nets.RadarNet

if cfg['type'] == 'HG':
    model = Model(in_channels=7, n_class=9, stacked_num=4)
else:
    model = Model(in_channels=2, n_class=5)
"""


def test_rebinding_in_branches_gives_each_class_its_branchs_call(tmp_path):
    root = _repo(tmp_path, REBIND_BRANCHES)
    assert _mined(root, "RadarNet", ["in_channels", "n_class"]) == {
        "in_channels": (2, "tools/train.py:15"), "n_class": (5, "tools/train.py:15")}
    assert _mined(root, "RadarHG", ["in_channels", "n_class", "stacked_num"])["stacked_num"] == \
        (4, "tools/train.py:13")
