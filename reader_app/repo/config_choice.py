"""Which of the repository's configuration files a run loads when the script takes the path as an argument it
must be given (`parser.add_argument('config', type=str)`, `--config` without a default): the file a command line
of the README or a run script passes to that script; else the one file the README names (`cp default.yaml
config.yaml`); else the repository's only configuration file; else the one named default or base; else the
first of several, labelled as a choice. Read as text; nothing is run. Plain Python, shared by the values engine
and the ranking (a registry key the chosen file states).
"""
from __future__ import annotations

import os
import re
import shlex

from reader_app.repo.values_source import read, walk_files

CONFIG_SUFFIXES = (".yaml", ".yml", ".json")
# A file named as the one every run starts from (`configs/default.yaml`, `base.yml`).
DEFAULT_STEM = re.compile(r"^(default|defaults|base|base_config|default_config)$", re.IGNORECASE)
CONFIG_FOLDER = re.compile(r"^(conf|confs|config|configs|cfg|cfgs|settings|experiments|hparams)$", re.IGNORECASE)
# Files with these names describe a tool or an environment, never a run's model.
NOT_RUN_CONFIGS = {"environment.yml", "environment.yaml", "docker-compose.yml", "docker-compose.yaml",
                   "mkdocs.yml", "codecov.yml", ".pre-commit-config.yaml", "package.json", "tsconfig.json",
                   "package-lock.json", "readthedocs.yml", ".readthedocs.yml", "readthedocs.yaml", "citation.cff"}


def repository_configs(root: str) -> list[str]:
    """Paths (relative to root) of the configuration files a run could load: YAML anywhere, JSON in a
    config-named folder; those in config-named folders only, when there are any."""
    out = []
    for path in walk_files(root, CONFIG_SUFFIXES):
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        name = os.path.basename(rel).lower()
        folders = rel.split("/")[:-1]
        if name in NOT_RUN_CONFIGS or any(f.startswith(".") for f in folders):
            continue
        in_folder = any(CONFIG_FOLDER.match(f) for f in folders)
        if name.endswith(".json") and not in_folder:
            continue  # a JSON file outside a config folder is data (labels, vocabularies) more often than a run's
        out.append((not in_folder, rel))
    foldered = [rel for outside, rel in out if not outside]
    return foldered or [rel for _, rel in out]


def passed_configs(root: str, script_rel: str) -> list[tuple[str, str]]:
    """(config file rel, "README.md:19") for each repository configuration file a command line running
    `script_rel` passes (positionally or after a flag), in the order the README, then other files, say them."""
    from reader_app.repo.values_commands import _RUN, _runs

    script_rel = script_rel.split(" cell ")[0].replace(os.sep, "/")
    module = script_rel[:-3].replace("/", ".") if script_rel.endswith(".py") else None
    files = [p for p in walk_files(root, (".md", ".rst", ".sh", ".txt")) if not p.endswith("requirements.txt")]
    files.sort(key=lambda p: (not os.path.basename(p).lower().startswith("readme"), p))
    found: list[tuple[str, str]] = []
    for path in files:
        rel = os.path.relpath(path, root)
        for number, line in enumerate(read(path).splitlines(), 1):
            match = _RUN.search(line)
            if not match or not _runs(match, script_rel, module):
                continue
            try:
                words = shlex.split(re.split(r"[`|;&>]|\s#", line[match.end():])[0])
            except ValueError:
                words = line[match.end():].split()
            for word in words:
                value = word.partition("=")[2] if word.startswith("-") else word
                value = value.strip().lstrip("./") if value.startswith("./") else value.strip()
                if value.lower().endswith(CONFIG_SUFFIXES) and os.path.isfile(os.path.join(root, value)):
                    found.append((value, f"{rel}:{number}"))
    return found


def documented_configs(root: str, configs: list[str]) -> list[tuple[str, str]]:
    """(config file rel, "README.md:71") for each of `configs` a README names by its path or its file name (`cd
    config; cp default.yaml config.yaml`), in the order the README says them; a placeholder (`-c [config
    yaml]`) names no file."""
    readmes = [p for p in walk_files(root, (".md", ".rst", ".txt")) if os.path.basename(p).lower().startswith("readme")]
    found = []
    for path in sorted(readmes, key=lambda p: (p.count(os.sep), p)):
        lines = read(path).splitlines()
        for rel in configs:
            names = re.compile(rf"(?<![\w.-])({re.escape(rel)}|{re.escape(os.path.basename(rel))})(?![\w-])")
            number = next((n for n, line in enumerate(lines, 1) if names.search(line)), None)
            if number is not None:
                found.append((number, rel, f"{os.path.relpath(path, root)}:{number}"))
        if found:
            break  # the top README decides; a nested one describes its own folder
    return [(rel, where) for _, rel, where in sorted(found)]


def chosen_config(root: str, script_rel: str, option: str,
                  suffixes: tuple[str, ...] = CONFIG_SUFFIXES) -> tuple[str, str] | None:
    """(config file rel, why it is the one) for the script whose option `option` must be given a path, of the
    files its loader reads (`suffixes`: .yaml/.yml for yaml.safe_load); None when the repository holds none."""
    script = os.path.basename(script_rel.split(" cell ")[0])
    passed = passed_configs(root, script_rel)
    if passed:
        rel, where = passed[0]
        return rel, f"{where} passes it to {script}"
    every = repository_configs(root)
    configs = [rel for rel in every if rel.lower().endswith(suffixes)]
    kind = f" of the kind its loader reads ({'/'.join(suffixes)})" if len(configs) < len(every) else ""
    named = documented_configs(root, configs)
    if len({rel for rel, _ in named}) == 1:  # `cp config/default.yaml config/config.yaml`, then `-c [config yaml]`
        rel, where = named[0]
        return rel, f"{where} names it; {script} must be given its path as '{option}'"
    if len(configs) == 1:
        return configs[0], f"the repository's only configuration file{kind}; {script} takes its path as '{option}'"
    defaults = [rel for rel in configs if DEFAULT_STEM.match(os.path.splitext(os.path.basename(rel))[0])]
    if len(defaults) == 1:
        return defaults[0], (f"the one named as the default of {len(configs)} configuration files; {script} takes "
                             f"the path as '{option}' and no command line of the repository passes one")
    if configs:
        return configs[0], (f"a choice: the first of {len(configs)} configuration files; {script} takes the "
                            f"path as '{option}' and no command line of the repository passes one")
    return None
