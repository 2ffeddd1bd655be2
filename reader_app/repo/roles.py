"""The anatomy of a repository: what each file is for, and why the engine thinks so."""
from __future__ import annotations

import re

from reader_app.repo.records import FileRole
from reader_app.repo.walk import SourceFile

DEPENDENCY_FILES = {"requirements.txt", "pyproject.toml", "setup.py", "setup.cfg", "environment.yml",
                    "environment.yaml", "pipfile", "pipfile.lock", "poetry.lock", "conda.yaml", "conda.yml",
                    "uv.lock", "requirements-dev.txt"}
CONFIG_EXTENSIONS = (".yaml", ".yml", ".json", ".toml", ".cfg", ".ini", ".gin", ".jsonnet")
CONFIG_FOLDERS = {"configs", "config", "conf", "cfg", "cfgs", "hparams", "hyperparams", "experiments"}
CONFIG_NAMES = {"config.py", "configs.py", "args.py", "arguments.py", "options.py", "opts.py", "hparams.py",
                "settings.py", "defaults.py", "default_config.py"}
MODEL_NAMES = re.compile(r"^(model|models|net|nets|network|networks|arch|architecture|modeling\w*|\w+_model|"
                         r"\w+_net|\w+_arch|\w+net)\.py$")
MODEL_FOLDERS = {"models", "model", "networks", "nets", "network", "archs", "arch", "modeling", "modules", "layers"}
TRAIN_NAMES = re.compile(r"^(train\w*|main\w*|run\w*|finetune\w*|fine_tune\w*|pretrain\w*|launch\w*|trainer\w*|"
                         r"fit\w*|learn\w*|experiment\w*)\.py$")
DATA_NAMES = re.compile(r"^(data|dataset|datasets|dataloader|dataloaders|loader|loaders|data_utils|"
                        r"\w*dataset\w*|\w*_data|data_\w+|prepare\w*|preprocess\w*)\.py$")
DATA_FOLDERS = {"data", "datasets", "dataset", "dataloaders", "loaders"}
HELPER_NAMES = re.compile(r"^(utils?|util_\w+|\w+_utils?|helpers?|\w+_helpers?|common|tools?|misc|logger|"
                          r"logging_utils|metrics?|visuali[sz]e\w*|plot\w*|checkpoint\w*)\.py$")
HELPER_FOLDERS = {"utils", "util", "helpers", "tools", "scripts", "common", "misc"}
TEST_FOLDERS = {"tests", "test", "testing", "unittests"}
EVAL_NAMES = re.compile(r"^(eval\w*|test|inference|infer|predict\w*|sample\w*|generate\w*|demo\w*|bench\w*)\.py$")


class FileFacts:
    """What reading a Python file revealed, for its role.

    Attributes:
        module_classes: names of nn.Module subclasses it defines.
        dataset_classes: names of classes it defines that look like datasets.
        trains: True when it runs an optimisation loop (`.backward()` and `.step()`).
    """

    __slots__ = ("module_classes", "dataset_classes", "trains")

    def __init__(self, module_classes=(), dataset_classes=(), trains=False):
        self.module_classes = list(module_classes)
        self.dataset_classes = list(dataset_classes)
        self.trains = trains


def _names(items: list[str], limit: int = 3) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _by_name(source: SourceFile) -> tuple[str, str] | None:
    """Roles that a file's name or folder decides whatever it contains."""
    parts = source.rel.lower().split("/")
    name, folders = parts[-1], parts[:-1]
    if any(f in TEST_FOLDERS for f in folders) or name.startswith("test_") or name.endswith("_test.py") \
            or name == "conftest.py":
        return "tests", "a test file" if not folders else f"in the {folders[-1]}/ folder: tests"
    if source.kind == "notebook":
        return "notebook", "a Jupyter notebook"
    if name.startswith("readme"):
        return "readme", "the project's README"
    if name in DEPENDENCY_FILES or (name.startswith("requirements") and name.endswith(".txt")):
        return "dependencies", f"{name} lists the packages the code needs"
    if name.endswith(CONFIG_EXTENSIONS):
        return "config", "a configuration file" + (f" in {folders[-1]}/" if folders else "")
    if source.kind == "python" and any(f in CONFIG_FOLDERS for f in folders):
        return "config", f"Python configuration in the {next(f for f in folders if f in CONFIG_FOLDERS)}/ folder"
    return None


OTHER_KINDS = (
    ((".md", ".rst", ".txt", ".tex", ".html", ".pdf"), "documentation"),
    ((".png", ".jpg", ".jpeg", ".gif", ".svg", ".bmp", ".webp"), "an image"),
    ((".sh", ".bash", ".bat", ".ps1"), "a shell script"),
    ((".pt", ".pth", ".ckpt", ".bin", ".safetensors", ".h5", ".onnx", ".npz", ".npy", ".pkl"),
     "saved weights or arrays"),
    ((".csv", ".tsv", ".jsonl", ".parquet"), "a data file"),
    ((".c", ".cc", ".cpp", ".cu", ".cuh", ".h", ".hpp"), "C/C++/CUDA source (custom kernels)"),
)


def _other_reason(name: str, folders: list[str]) -> str:
    if name in ("license", "license.txt", "license.md", "copying"):
        return "the license"
    if name in ("dockerfile", "makefile") or name.startswith("."):
        return "build or tooling file"
    for extensions, reason in OTHER_KINDS:
        if name.endswith(extensions):
            return reason
    return "not Python source"


def classify(source: SourceFile, facts: FileFacts | None) -> FileRole:
    """The role of one file, from its name, its folders and (for Python) what it defines."""
    decided = _by_name(source)
    if decided:
        return FileRole(source.rel, *decided)
    parts = source.rel.lower().split("/")
    name, folders = parts[-1], parts[:-1]
    if source.kind != "python":
        return FileRole(source.rel, "other", _other_reason(name, folders))
    facts = facts or FileFacts()
    if name in CONFIG_NAMES:
        return FileRole(source.rel, "config", f"{name}: settings and command-line arguments")
    if facts.module_classes and not TRAIN_NAMES.match(name):
        return FileRole(source.rel, "model", f"defines nn.Module subclasses: {_names(facts.module_classes)}")
    if TRAIN_NAMES.match(name):
        extra = " and defines " + _names(facts.module_classes) if facts.module_classes else ""
        return FileRole(source.rel, "training", f"named {name}: a training entry point{extra}")
    if MODEL_NAMES.match(name) or any(f in MODEL_FOLDERS for f in folders):
        return FileRole(source.rel, "model", "named like a model file" if MODEL_NAMES.match(name)
                        else f"in the {next(f for f in folders if f in MODEL_FOLDERS)}/ folder")
    if facts.dataset_classes:
        return FileRole(source.rel, "data", f"defines datasets: {_names(facts.dataset_classes)}")
    if DATA_NAMES.match(name) or any(f in DATA_FOLDERS for f in folders):
        return FileRole(source.rel, "data", "named like data loading" if DATA_NAMES.match(name)
                        else f"in the {next(f for f in folders if f in DATA_FOLDERS)}/ folder")
    if facts.trains:
        return FileRole(source.rel, "training", "runs a training loop (loss.backward() and optimizer.step())")
    if HELPER_NAMES.match(name) or any(f in HELPER_FOLDERS for f in folders):
        return FileRole(source.rel, "helpers", "named like helpers" if HELPER_NAMES.match(name)
                        else f"in the {next(f for f in folders if f in HELPER_FOLDERS)}/ folder")
    if EVAL_NAMES.match(name):
        return FileRole(source.rel, "other", "evaluation or inference script")
    if name == "__init__.py":
        return FileRole(source.rel, "other", "package marker")
    return FileRole(source.rel, "other", "Python source with no model, data or training code")


def is_entry(source: SourceFile, facts: FileFacts | None) -> bool:
    """Files that start the program: training scripts, mains, notebooks (their usage ranks the main model)."""
    name = source.rel.lower().rsplit("/", 1)[-1]
    if source.kind == "notebook":
        return True
    if source.kind != "python" or _by_name(source) is not None and _by_name(source)[0] == "tests":
        return False
    return bool(TRAIN_NAMES.match(name) or EVAL_NAMES.match(name) or (facts is not None and facts.trains))


def trains_beside_its_models(source: SourceFile, facts: FileFacts | None) -> bool:
    """A model file that is an entry only because it also trains (a library module with its own trainer
    and demo): its use of its own classes says nothing about which model the repository is about."""
    name = source.rel.lower().rsplit("/", 1)[-1]
    return (source.kind == "python" and facts is not None and bool(facts.module_classes) and facts.trains
            and not TRAIN_NAMES.match(name) and not EVAL_NAMES.match(name))
