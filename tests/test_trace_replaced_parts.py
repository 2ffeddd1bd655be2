"""Parts a script replaces or adds on the model it has just built (held-out class 3: the fine-tuning and
self-supervised pattern). The network the repository trains is the built model with those parts in place, so
the trace makes them too. Each repository is generated here:

a. a self-supervised script picks a factory by an option's default (`nets.__dict__[args.arch](...)`), then sets
   `student.head = ProjectionHead(student.embed_dim, args.out_dim, ...)`: the head is the repository's class,
   one value read off the built model, the others the options' defaults. Also in the script: a teacher built
   the same way (not the traced build), a literal attribute (set), a part under an option whose default is off
   (not made), a part whose size only a run knows (said, not guessed), the `else:` branch for other
   architectures, and a part set after the model is wrapped in another object (not the model any more). A
   test sets another head (a test's build is a check, not what the repository trains). An evaluation script
   that builds the same model and sets nothing makes the training script's build one of two (the repository
   reader then needs the trace's values read inside one of the calls);
   The backbone reads its drop-path schedule back as numbers (`x.item() for x in torch.linspace(...)`), which a
   meta-device build answers without moving to the CPU;
b. a fine-tuning script at module level builds the class and replaces `model.fc = nn.Linear(model.fc.in_features,
   12)` and an item of a Sequential, `model.classifier[-1] = nn.Linear(12, args.num_classes)`.
"""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_cli, write_tree

from reader_app.repo.values_replaced import replaced_parts

SELF_SUPERVISED = {
    "README.md": "# tiny self-supervised ViT\n\nTrain with `python train_ssl.py --data_path /data`.\n",
    "backbone.py": """
        import torch
        import torch.nn as nn


        class TinyViT(nn.Module):
            def __init__(self, patch_size=4, embed_dim=24, depth=2, drop_path_rate=0.0, num_classes=0):
                super().__init__()
                self.embed_dim = embed_dim
                self.patch_embed = nn.Conv2d(3, embed_dim, patch_size, patch_size)
                rates = [x.item() for x in torch.linspace(0, drop_path_rate, depth)]  # stochastic depth
                self.blocks = nn.ModuleList([nn.Sequential(nn.LayerNorm(embed_dim), nn.Linear(embed_dim, embed_dim),
                                                           nn.Dropout(rate)) for rate in rates])
                self.head = nn.Linear(embed_dim, num_classes) if num_classes > 0 else nn.Identity()

            def forward(self, x):
                x = self.patch_embed(x).flatten(2).transpose(1, 2)
                for block in self.blocks:
                    x = x + block(x)
                return self.head(x.mean(1))


        def tiny(patch_size=4, **kwargs):
            return TinyViT(patch_size=patch_size, embed_dim=24, depth=2, **kwargs)


        def small(patch_size=4, **kwargs):
            return TinyViT(patch_size=patch_size, embed_dim=40, depth=3, **kwargs)


        class ProjectionHead(nn.Module):
            def __init__(self, in_dim, out_dim, hidden_dim=32, use_bn=False):
                super().__init__()
                norm = nn.BatchNorm1d(hidden_dim) if use_bn else nn.Identity()
                self.mlp = nn.Sequential(nn.Linear(in_dim, hidden_dim), norm, nn.GELU())
                self.last_layer = nn.Linear(hidden_dim, out_dim)

            def forward(self, x):
                return self.last_layer(self.mlp(x))
        """,
    "train_ssl.py": """
        import argparse

        import torch.nn as nn
        import torchvision.models as torchvision_models

        import backbone as nets
        from backbone import ProjectionHead


        def get_args_parser():
            parser = argparse.ArgumentParser('ssl')
            parser.add_argument('--arch', default='small', type=str)
            parser.add_argument('--patch_size', default=8, type=int)
            parser.add_argument('--out_dim', default=300, type=int)
            parser.add_argument('--use_bn_in_head', default=False, type=bool)
            parser.add_argument('--finetune', action='store_true')
            parser.add_argument('--data_path', default='/data', type=str)
            return parser


        def feature_size(path):
            return len(open(path).read())


        def train(args):
            if args.arch in nets.__dict__.keys():
                student = nets.__dict__[args.arch](
                    patch_size=args.patch_size,
                    drop_path_rate=0.1,
                )
                teacher = nets.__dict__[args.arch](patch_size=args.patch_size)
                student.head = ProjectionHead(
                    student.embed_dim,
                    args.out_dim,
                    use_bn=args.use_bn_in_head,
                )
                teacher.head = ProjectionHead(teacher.embed_dim, 7)
                student.role = 'student'
                if args.finetune:
                    student.head = nn.Linear(student.embed_dim, 10)
            else:
                student = torchvision_models.__dict__[args.arch]()
                student.fc = nn.Identity()
            student = student.cuda()
            student.probe = nn.Linear(feature_size(args.data_path), 3)
            student = nn.parallel.DistributedDataParallel(student)
            student.head = nn.Linear(5, 5)


        if __name__ == '__main__':
            train(get_args_parser().parse_args())
        """,
    "tests/test_backbone.py": """
        import torch.nn as nn

        import backbone as nets


        def test_head():
            model = nets.small(patch_size=8, drop_path_rate=0.1)
            model.head = nn.Linear(40, 2)
        """,
}

# An evaluation script that builds the same model as the training script and sets no part.
EVALUATION = {
    "eval_features.py": """
        import argparse

        import backbone as nets

        parser = argparse.ArgumentParser()
        parser.add_argument('--arch', default='small', type=str)
        parser.add_argument('--patch_size', default=8, type=int)
        args = parser.parse_args()
        model = nets.__dict__[args.arch](patch_size=args.patch_size, drop_path_rate=0.1)
        model.eval()
        """,
}

FINE_TUNE = {
    "README.md": "# conv net\n\nFine-tune with `python finetune.py`.\n",
    "models/__init__.py": "",
    "models/net.py": """
        import torch.nn as nn


        class ConvNet(nn.Module):
            def __init__(self, width=16, num_classes=1000):
                super().__init__()
                self.features = nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.ReLU(),
                                              nn.AdaptiveAvgPool2d(1), nn.Flatten())
                self.fc = nn.Linear(width, num_classes)
                self.classifier = nn.Sequential(nn.Dropout(0.1), nn.Identity())

            def forward(self, x):
                return self.classifier(self.fc(self.features(x)))
        """,
    "finetune.py": """
        import argparse

        import torch.nn as nn

        from models.net import ConvNet

        parser = argparse.ArgumentParser()
        parser.add_argument('--num_classes', type=int, default=5)
        parser.add_argument('--width', type=int, default=24)
        args = parser.parse_args()

        model = ConvNet(width=args.width).to('cuda')
        model.fc = nn.Linear(model.fc.in_features, 12)
        model.classifier[-1] = nn.Linear(12, args.num_classes)
        """,
}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    """Each repository traced as a user runs it, one after the other: {name: (status, JSON, stderr)}; the
    self-supervised one also with the head's output size set by its dotted name, as Trace Settings sends it."""
    base = tmp_path_factory.mktemp("replaced")
    ssl = write_tree(base / "ssl", SELF_SUPERVISED)
    return {"ssl": trace_cli(ssl), "ssl_set": trace_cli(ssl, "--arg", "head.out_dim=9"),
            "fine": trace_cli(write_tree(base / "fine", FINE_TUNE))}


def test_a_head_the_script_sets_on_the_built_model_is_traced_with_its_stated_sizes(traced):
    status, data, err = traced["ssl"]
    assert status == 0, err
    assert data["class"] == "TinyViT"
    outs = first_outs(data)
    assert outs["head.mlp"][-1] == 32 and outs["head"][-1] == 300  # --out_dim's default, not nn.Identity
    assert outs["patch_embed"][1] == 40  # the factory the option picks, `small`
    # the drop-path schedule's `.item()` is answered from its values: the build stays on the meta device
    assert (data["device"], data["fallback_reason"]) == ("meta", None)
    sources = data["arg_sources"]
    assert sources["head"]["from"].startswith("train_ssl.py:33: student.head = ProjectionHead(")
    assert sources["head.out_dim"] == {"value": 300, "from": "train_ssl.py:15"}
    assert sources["head.in_dim"]["value"] == 40 and "student.embed_dim of the built model" in \
        sources["head.in_dim"]["from"]
    assert "head replaced as train_ssl.py:33 does" in data["warnings"]
    assert "role added as train_ssl.py:39 does" in data["warnings"]


def test_parts_the_default_run_does_not_make_on_this_model_are_left_out_and_an_unstated_one_is_said(traced):
    status, data, err = traced["ssl"]
    assert status == 0, err
    warnings = " | ".join(data["warnings"])
    assert "fc" not in data["arg_sources"]  # the else: branch builds another model
    assert "train_ssl.py:41" not in warnings  # --finetune is off by default
    assert "train_ssl.py:48" not in warnings  # set on the wrapper, not on the model
    assert "probe not set as train_ssl.py:46 does" in warnings and "feature_size(args.data_path)" in warnings
    assert "probe" not in [layer["name"] for layer in data["layers"]]


def test_a_value_of_the_replaced_part_is_set_by_its_dotted_name(traced):
    status, data, err = traced["ssl_set"]
    assert status == 0, err
    assert first_outs(data)["head"][-1] == 9
    assert data["arg_sources"]["head.out_dim"] == {"value": 9, "from": "--arg"}
    assert not any("matched no constructor argument" in w for w in data["warnings"])


def test_a_fine_tuning_script_replaces_a_layer_and_an_item_of_a_sequential(traced):
    status, data, err = traced["fine"]
    assert status == 0, err
    assert data["class"] == "ConvNet"
    outs = first_outs(data)
    assert outs["features"][-1] == 24  # --width's default reached the class
    assert outs["fc"][-1] == 12 and outs["classifier.1"][-1] == 5 and outs["classifier"][-1] == 5
    assert data["arg_sources"]["fc.in_features"]["value"] == 24
    assert "classifier[-1] replaced as finetune.py:15 does" in data["warnings"]


def test_the_repository_reader_states_each_part_from_the_site_the_build_follows(tmp_path):
    root = write_tree(tmp_path / "ssl", SELF_SUPERVISED | EVALUATION)
    found = replaced_parts(str(root), str(root / "backbone.py"), "small", {"patch_size": 8, "drop_path_rate": 0.1},
                           cited=("train_ssl.py:14", "train_ssl.py:30"))
    assert (found.site, found.name) == ("train_ssl.py:28", "student")
    by_path = {part.path: part for part in found.parts}
    assert list(by_path) == ["head", "role", "probe"]
    head = by_path["head"].value
    assert (head["kind"], head["name"], head["file"]) == ("instance", "ProjectionHead", "backbone.py")
    assert head["kwargs"]["in_dim"][0] == {"kind": "own", "path": "embed_dim"}
    assert head["kwargs"]["use_bn"] == (False, "train_ssl.py:16")
    assert by_path["role"].value == "student"
    assert "not stated" in by_path["probe"].skipped and by_path["probe"].value is None
    # the teacher's call is the build without the drop-path rate: its own head
    teacher = replaced_parts(str(root), str(root / "backbone.py"), "small", {"patch_size": 8})
    assert (teacher.site, teacher.name, [p.path for p in teacher.parts]) == ("train_ssl.py:32", "teacher", ["head"])
    assert teacher.parts[0].value["kwargs"]["out_dim"] == (7, "train_ssl.py:38")
    # a build with another value (or with none the script states) is not the script's: nothing is set
    assert replaced_parts(str(root), str(root / "backbone.py"), "small", {"patch_size": 16}) is None
    assert replaced_parts(str(root), str(root / "backbone.py"), "small", {}) is None
    # the evaluation script's call states the same values and sets nothing: unless the trace's values were read
    # in one of the two calls, which of them the repository trains is not known
    assert replaced_parts(str(root), str(root / "backbone.py"), "small", {"patch_size": 8, "drop_path_rate": 0.1},
                          cited=("train_ssl.py:14",)) is None
    assert replaced_parts(str(root), str(root / "backbone.py"), "small", {"patch_size": 8, "drop_path_rate": 0.1},
                          cited=("eval_features.py:10",)) is None
    # a value the user set agrees with what the call states: the build is still the script's, changed there
    mine = replaced_parts(str(root), str(root / "backbone.py"), "small", {"drop_path_rate": 0.1},
                          frozenset({"patch_size"}), cited=("train_ssl.py:30",))
    assert (mine.site, [p.path for p in mine.parts]) == ("train_ssl.py:28", ["head", "role", "probe"])
