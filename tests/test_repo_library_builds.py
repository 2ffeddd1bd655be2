"""The call a run reaches a registered factory through: a script hands its `--model` option to a library
function that builds a model by name (timm's `create_model(args.model, ...)`), and the result names that call
beside the option. A second builder call for another option (a teacher model whose default is no factory of the
class) does not count; two different calls given the class's names leave it unsaid. Read statically; the
repositories are generated here."""
from __future__ import annotations

from tree_helpers import write_tree as write

from reader_app.repo.values_registry import library_builds

PARSER = """
import argparse
from zoo import create_model, build_net


def get_args_parser():
    parser = argparse.ArgumentParser()
    parser.add_argument('--model', default='net_small', type=str)
    parser.add_argument('--teacher-model', default='regnet_160', type=str)
    parser.add_argument('--backbone', default='net_large', type=str)
    return parser


def main(args):
    model = create_model(args.model, num_classes=10)
    teacher = create_model(args.teacher_model, num_classes=10)
{extra}

if __name__ == '__main__':
    main(get_args_parser().parse_args())
"""

NAMES = ["net_small", "net_large", "model_factory"]


def test_the_library_call_the_option_goes_through_is_named(tmp_path):
    root = write(tmp_path / "one", {"main.py": PARSER.format(extra="")})
    assert library_builds(str(root), NAMES) == "create_model at main.py:15"


def test_two_different_builder_calls_leave_the_way_unsaid(tmp_path):
    root = write(tmp_path / "two", {"main.py": PARSER.format(extra="    other = build_net(args.backbone)\n")})
    assert library_builds(str(root), NAMES) is None


def test_no_option_handed_to_a_builder_says_nothing(tmp_path):
    root = write(tmp_path / "none", {"main.py": "from zoo import create_model\n\nmodel = create_model('net_small')\n"})
    assert library_builds(str(root), NAMES) is None
