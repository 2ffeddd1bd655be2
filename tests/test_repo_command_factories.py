"""A README command names the model by a factory the repository defines (issue 11, model zoos on a library's
training script): `MODEL=pool_s` then `python3 validate.py /data --model $MODEL` to a script the repository does
not hold, the name written in the command itself, or `--arch $ARCH` from a `for` loop to the repository's own
train.py that builds `models.__dict__[args.arch]()`. The main model is the class that factory builds, and the
trace is told that factory (stated_names), with the line that says so. Each repository is generated here."""
from __future__ import annotations

from command_factory_repos import (BACKBONE_BY_ARCH, EVALUATE_BY_NAME, FIXED_LAUNCHER, FORWARDING_LAUNCHER,
                                   LITERAL_README, LOOP_README, TRAIN_BY_ARCH, UNNAMED_README, VARIABLE_README,
                                   WRAPPED_README, zoo)
from tree_helpers import write_tree as write

from reader_app.repo import scan_repo
from reader_app.repo.command_factories import commanded_factories
from reader_app.repo.stated_names import stated_names
from reader_app.repo.values_commands import shell_lines

FACTORIES = ["pool_s", "pool_m", "general_a", "general_b", "general_c"]


def main_of(root) -> tuple[str, list[str]]:
    main = scan_repo(root).main
    return f"{main.file}:{main.name}", main.reasons


def test_a_shell_variable_naming_a_factory_for_an_absent_script_picks_its_class(tmp_path):
    root = write(tmp_path / "zoo", zoo(VARIABLE_README))
    main, reasons = main_of(root)
    assert main == "models/pools.py:PoolNet"
    assert "a documented command names its factory pool_s (README.md:9, MODEL=pool_s at README.md:8)" in reasons
    assert stated_names(str(root), FACTORIES) == {"pool_s": "README.md:9, MODEL=pool_s at README.md:8"}


def test_the_factory_name_written_in_a_launcher_command_picks_its_class(tmp_path):
    root = write(tmp_path / "zoo", zoo(LITERAL_README))  # `./distributed_train.sh 2 /data --model pool_m`
    main, reasons = main_of(root)
    assert main == "models/pools.py:PoolNet"
    assert stated_names(str(root), FACTORIES) == {"pool_m": "README.md:8"}


def test_a_launcher_of_the_repository_forwarding_its_arguments_to_an_absent_script_passes_the_name(tmp_path):
    root = write(tmp_path / "zoo", zoo(LITERAL_README, **{"distributed_train.sh": FORWARDING_LAUNCHER}))
    assert main_of(root)[0] == "models/pools.py:PoolNet"
    assert stated_names(str(root), FACTORIES) == {"pool_m": "README.md:8"}


def test_a_launcher_that_forwards_nothing_takes_no_name_from_the_command(tmp_path):
    root = write(tmp_path / "zoo", zoo(LITERAL_README, **{"distributed_train.sh": FIXED_LAUNCHER}))
    assert main_of(root)[0] == "models/general.py:GeneralNet"
    assert stated_names(str(root), FACTORIES) == {}


def test_a_command_value_naming_no_factory_changes_nothing(tmp_path):
    root = write(tmp_path / "zoo", zoo(UNNAMED_README))  # `--model resnet50`: the library's, not the repository's
    main, reasons = main_of(root)
    assert main == "models/general.py:GeneralNet"
    assert not any("documented command" in r for r in reasons)
    assert stated_names(str(root), FACTORIES) == {}


def test_a_loop_variable_to_the_repository_train_script_picks_the_first_pass_over_the_default(tmp_path):
    root = write(tmp_path / "zoo", zoo(LOOP_README, **{"train.py": TRAIN_BY_ARCH}))  # default general_a
    main, _ = main_of(root)
    assert main == "models/pools.py:PoolNet"
    assert stated_names(str(root), FACTORIES) == {"pool_m": "README.md:7, ARCH=pool_m at README.md:6"}


def test_only_the_option_a_present_script_builds_by_names_the_model(tmp_path):
    # evaluate.py keeps `--name` as a label and builds `create_model(args.model)`; it does not train, so the
    # command's model comes before the option's default (general_b) only because the script builds by it
    readme = "```bash\npython evaluate.py --name pool_s --model pool_m\n```\n"
    root = write(tmp_path / "zoo", zoo(readme, **{"evaluate.py": EVALUATE_BY_NAME}))
    assert stated_names(str(root), FACTORIES) == {"pool_m": "README.md:2"}
    assert any("a documented command names its factory pool_m (README.md:2)" in r for r in main_of(root)[1])


def test_a_name_the_repository_own_parser_gives_a_backbone_inside_its_model_picks_no_model(tmp_path):
    # `--arch pool_s` to a wrapper absent here: the repository's main.py defines `--arch` and builds the backbone
    # by it inside Pretrainer, so the name picks a part of the model: neither the ranking nor the trace takes it
    root = write(tmp_path / "zoo", zoo(WRAPPED_README, **{"main.py": BACKBONE_BY_ARCH}))
    assert not any("documented command" in r for info in scan_repo(root).models for r in info.reasons)
    assert commanded_factories(str(root), FACTORIES) == {}
    direct = write(tmp_path / "direct", zoo(WRAPPED_README.replace("run_with_cluster.py --nodes 4", "main.py"),
                                            **{"main.py": BACKBONE_BY_ARCH}))  # the same run of main.py itself
    assert commanded_factories(str(direct), FACTORIES) == {}


def test_a_variable_belongs_to_its_own_code_block():
    text = "```bash\nMODEL=pool_s\npython a.py --model $MODEL\n```\n\n```bash\npython b.py --model ${MODEL}\n```\n"
    lines = {number: (line, held) for number, line, held in shell_lines(text)}
    assert lines[3] == ("python a.py --model pool_s", {"MODEL": ("pool_s", 2)})
    assert lines[7] == ("python b.py --model ${MODEL}", {})  # another session: nothing set there
    loop = list(shell_lines("for M in pool_m pool_s; do python c.py --model $M; done\n"))
    assert loop == [(1, "for M in pool_m pool_s; do python c.py --model pool_m; done", {"M": ("pool_m", 1)})]
