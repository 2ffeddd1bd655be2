"""Constructor values that flow from a DICT OF DEFAULTS through argparse and a FACTORY (issue 11, constructor
values): a function returns the defaults as a dict literal, a helper (or a loop in the script) turns each key into
an option, the script splats the parsed options into the repository's factory (`**args_to_dict(args, keys)`), and
the factory computes the model's arguments with code of its own (a tuple from a loop over `"16,8".split(",")`, a
branch on `image_size`). The options are known with their values and the dict literal's lines; the trace runs the
factory with them, so its arithmetic and branches hold. Each repository is generated here."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_cli, write_tree as write

from reader_app.repo.values import mine

NET = """
import torch.nn as nn


class TinyUNet(nn.Module):
    def __init__(self, in_channels, model_channels, out_channels, num_res_blocks, attention_resolutions,
                 channel_mult=(1, 2), use_scale_shift_norm=False):
        super().__init__()
        self.stem = nn.Conv2d(in_channels, model_channels, 3, padding=1)
        blocks, ch, ds = [], model_channels, 1
        for level, mult in enumerate(channel_mult):
            for _ in range(num_res_blocks):
                blocks.append(nn.Conv2d(ch, mult * model_channels, 3, padding=1))
                ch = mult * model_channels
                if ds in attention_resolutions:  # a tuple of downsample rates: an int here fails
                    blocks.append(nn.Conv2d(ch, ch, 1))
            if level != len(channel_mult) - 1:
                blocks.append(nn.Conv2d(ch, ch, 3, stride=2, padding=1))
                ds *= 2
        self.blocks = nn.Sequential(*blocks)
        self.out = nn.Conv2d(ch, out_channels * (2 if use_scale_shift_norm else 1), 1)

    def forward(self, x):
        return self.out(self.blocks(self.stem(x)))
"""

SCRIPT_UTIL = """
from .net import TinyUNet


def model_defaults():
    return dict(
        image_size=32,
        num_channels=24,
        num_res_blocks=1,
        attention_resolutions="16,8",
        learn_sigma=True,
        use_scale_shift_norm=False,
    )


def create_model_and_schedule(image_size, num_channels, num_res_blocks, attention_resolutions, learn_sigma,
                              use_scale_shift_norm):
    model = create_model(image_size, num_channels, num_res_blocks, learn_sigma=learn_sigma,
                         attention_resolutions=attention_resolutions, use_scale_shift_norm=use_scale_shift_norm)
    return model, [1.0] * 10


def create_model(image_size, num_channels, num_res_blocks, learn_sigma, attention_resolutions, use_scale_shift_norm):
    if image_size == 64:
        channel_mult = (1, 2, 3, 4)
    elif image_size == 32:
        channel_mult = (1, 2, 2)
    else:
        raise ValueError(f"unsupported image size: {image_size}")
    attention_ds = []
    for res in attention_resolutions.split(","):
        attention_ds.append(image_size // int(res))
    return TinyUNet(
        in_channels=3,
        model_channels=num_channels,
        out_channels=(3 if not learn_sigma else 6),
        num_res_blocks=num_res_blocks,
        attention_resolutions=tuple(attention_ds),
        channel_mult=channel_mult,
        use_scale_shift_norm=use_scale_shift_norm,
    )


def add_dict_to_argparser(parser, default_dict):
    for k, v in default_dict.items():
        parser.add_argument(f"--{k}", default=v, type=type(v))


def args_to_dict(args, keys):
    return {k: getattr(args, k) for k in keys}
"""

TRAIN = """
import argparse

from tinydiff.script_util import add_dict_to_argparser, args_to_dict, create_model_and_schedule, model_defaults


def main():
    args = create_argparser().parse_args()
    model, schedule = create_model_and_schedule(**args_to_dict(args, model_defaults().keys()))
    print(model, len(schedule), args.lr)


def create_argparser():
    defaults = dict(lr=1e-4, batch_size=8)
    defaults.update(model_defaults())
    parser = argparse.ArgumentParser()
    add_dict_to_argparser(parser, defaults)
    return parser


if __name__ == "__main__":
    main()
"""

HELPER_REPO = {"tinydiff/__init__.py": "", "tinydiff/net.py": NET, "tinydiff/script_util.py": SCRIPT_UTIL,
               "scripts/train.py": TRAIN, "README.md": "# Tiny diffusion\n\n`python scripts/train.py`\n"}

# The same class with the loop written in the script itself and the model built from the options one by one.
LOOP_REPO = {
    "net.py": """
    import torch.nn as nn


    class Mixer(nn.Module):
        def __init__(self, hidden, layers):
            super().__init__()
            self.blocks = nn.Sequential(*[nn.Linear(hidden, hidden) for _ in range(layers)])

        def forward(self, x):
            return self.blocks(x)
    """,
    "train.py": """
    import argparse
    from net import Mixer

    DEFAULTS = {"width": 48, "depth": 3, "seed": 0}

    parser = argparse.ArgumentParser()
    for key, value in DEFAULTS.items():
        parser.add_argument(f"--{key}", default=value, type=type(value))
    args = parser.parse_args()
    model = Mixer(hidden=args.width * 2, layers=args.depth)
    """,
}


def test_options_from_a_dict_of_defaults_reach_a_factory_through_its_callers(tmp_path):
    root = write(tmp_path / "repo", HELPER_REPO)
    params = ["image_size", "num_channels", "num_res_blocks", "learn_sigma", "attention_resolutions",
              "use_scale_shift_norm"]
    values = mine(str(root), str(root / "tinydiff" / "script_util.py"), "create_model", params)
    assert {k: m.value for k, m in values.items()} == {
        "image_size": 32, "num_channels": 24, "num_res_blocks": 1, "learn_sigma": True,
        "attention_resolutions": "16,8", "use_scale_shift_norm": False}
    # each value's provenance is the dict literal's line that states it
    lines = (root / "tinydiff" / "script_util.py").read_text().splitlines()
    for name, mined in values.items():
        file, line = mined.where.rsplit(":", 1)
        assert file == "tinydiff/script_util.py" and lines[int(line) - 1].strip().startswith(f"{name}="), mined


def test_the_class_call_inside_the_factory_takes_what_the_callers_pass(tmp_path):
    root = write(tmp_path / "repo", HELPER_REPO)
    params = ["in_channels", "model_channels", "out_channels", "num_res_blocks", "attention_resolutions"]
    values = mine(str(root), str(root / "tinydiff" / "net.py"), "TinyUNet", params)
    # `model_channels=num_channels`, `out_channels=(3 if not learn_sigma else 6)`: followed up to the defaults
    assert values["model_channels"].value == 24 and values["out_channels"].value == 6
    assert values["model_channels"].where.startswith("tinydiff/script_util.py:")
    assert "attention_resolutions" not in values  # a loop builds it: only running the factory says


def test_an_options_loop_in_the_script_states_its_values(tmp_path):
    root = write(tmp_path / "repo", LOOP_REPO)
    values = mine(str(root), str(root / "net.py"), "Mixer", ["hidden", "layers"])
    assert values["hidden"].value == 96 and values["layers"].value == 3
    line = next(i for i, text in enumerate((root / "train.py").read_text().splitlines(), 1) if "DEFAULTS = " in text)
    assert values["layers"].where == f"train.py:{line}"  # the dict literal's line


def test_a_defaults_dict_of_another_kind_states_nothing(tmp_path):
    # a dict looped over for something other than adding options is no parser
    repo = dict(LOOP_REPO)
    repo["train.py"] = LOOP_REPO["train.py"].replace('parser.add_argument(f"--{key}", default=value, '
                                                     'type=type(value))', 'print(key, value)')
    root = write(tmp_path / "repo", repo)
    values = mine(str(root), str(root / "net.py"), "Mixer", ["hidden", "layers"])
    assert "hidden" not in values and "layers" not in values


@pytest.mark.slow
def test_the_trace_runs_the_factory_with_the_stated_options(tmp_path):
    root = write(tmp_path / "repo", HELPER_REPO)
    code, data, err = trace_cli(root, "--no-lines")
    assert code == 0, err
    assert data["error"] is None
    outs = first_outs(data)
    # image_size 32 takes the (1, 2, 2) branch: two downsamplings, 48 channels at the end; learn_sigma doubles 3
    assert outs["stem"] == [2, 24, 32, 32]
    assert outs["out"] == [2, 6, 8, 8]
    # "16,8" became the rates (2, 4): an attention 1x1 conv after the blocks at 16x16 and 8x8 (and none at 32x32)
    kinds = [(layer["name"], layer["calls"][0]["out"][0]) for layer in data["layers"]
             if layer["name"].startswith("blocks.") and layer["calls"]]
    assert [shape for _, shape in kinds] == [[2, 24, 32, 32], [2, 24, 16, 16], [2, 48, 16, 16], [2, 48, 16, 16],
                                             [2, 48, 8, 8], [2, 48, 8, 8], [2, 48, 8, 8]]
    assert data["arg_sources"]["image_size"]["from"].startswith("tinydiff/script_util.py:")
    assert any("create_model()" in w and "attention_resolutions=[2, 4]" in w and "channel_mult=[1, 2, 2]" in w
               for w in data["warnings"]), data["warnings"]


# A factory in a script that does work when imported (a script, not a library): the class is built directly,
# its argument followed from the factory's parameter to the script's own call of the factory.
SCRIPT_FACTORY_REPO = {
    "net.py": """
    import torch.nn as nn


    class Widener(nn.Module):
        def __init__(self, width):
            super().__init__()
            self.fc = nn.Linear(width, 2 * width)

        def forward(self, x):
            return self.fc(x)
    """,
    "run.py": """
    from net import Widener


    def make(width):
        return Widener(width)


    model = make(40)
    raise SystemExit("this script ran when it was imported")
    """,
}


@pytest.mark.slow
def test_a_factory_parameter_takes_the_value_its_caller_passes(tmp_path):
    root = write(tmp_path / "repo", SCRIPT_FACTORY_REPO)
    code, data, err = trace_cli(root, "--no-lines")
    assert code == 0, err
    assert data["args"] == {"width": 40}
    assert data["arg_sources"]["width"]["from"].startswith("run.py:")
    assert first_outs(data)["fc"][-1] == 80
    assert not any("factory" in w for w in data["warnings"]), data["warnings"]
