"""Plain data classes the repository engine hands out: file roles, model classes, layers, patterns."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

ROLES = ("model", "training", "data", "helpers", "config", "dependencies", "readme", "notebook", "tests", "other")


@dataclass
class FileRole:
    """What one file is for in the repository's anatomy.

    Attributes:
        path: path relative to the repository root, with forward slashes.
        role: one of ROLES.
        reason: a short phrase saying why (its name, its folder, or what it contains).
    """

    path: str
    role: str
    reason: str


@dataclass
class Layer:
    """One building block of a model, found in its `__init__`.

    Line numbers are 1-based lines of the model's file (for a notebook: of `read_source`'s text).

    Attributes:
        name: the attribute name (`self.name`); children of a container are dotted (`blocks.0`, `transformer.wte`).
        type: the layer type: `nn.Linear` for torch layers, the class name for the repo's own modules.
        line: first line of the statement that builds it.
        end_line: last line of that statement.
        call: the constructor expression as written in the source.
        uses: lines in forward() (and the methods forward calls) where the layer is used.
        children: the parts of an nn.Sequential / nn.ModuleList / nn.ModuleDict, as layers.
        local_class: the repository's own class when the layer is a local module, else None.
        local_file: the file defining local_class (names can repeat across files), else None.
    """

    name: str
    type: str
    line: int
    end_line: int
    call: str
    uses: list[int] = field(default_factory=list)
    children: list["Layer"] = field(default_factory=list)
    local_class: str | None = None
    local_file: str | None = None

    def to_json(self) -> dict:
        return {
            "name": self.name, "type": self.type, "line": self.line, "end_line": self.end_line,
            "call": self.call, "uses": list(self.uses), "local_class": self.local_class,
            "local_file": self.local_file,
            "children": [child.to_json() for child in self.children],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Layer":
        layer = _from_fields(cls, data)
        layer.children = [Layer.from_json(child) for child in data.get("children", [])]
        return layer


@dataclass
class ModelClass:
    """An nn.Module subclass defined in the repository, or a function model: a module-level function the README
    builds the model with, returning a container it fills (`def MLPMixer(...): return nn.Sequential(...)`).

    Attributes:
        name: the class name.
        file: path relative to the root (a notebook's lines are those of `read_source`'s text).
        line: line of the `class` statement (first decorator excluded).
        end_line: last line of the class.
        main: True for the one class ranked as the repository's main model.
        bases: base classes as written (`nn.Module`, `BaseModel`).
        init_line: line of `def __init__`, or None when the class has none of its own.
        forward_line: line of `def forward`, or None.
        forward_end_line: last line of forward(), or None.
        score: ranking score (higher is more likely the main model).
        reasons: short phrases explaining the score, strongest first.
        group: the family it belongs to ("40 variants of MixNet", "30 copies of GPTModel"), or "".
        kind: "class", or "function" for a function model (no __init__ or forward of its own: `line` is its `def`).
    """

    name: str
    file: str
    line: int
    end_line: int
    main: bool = False
    bases: list[str] = field(default_factory=list)
    init_line: int | None = None
    forward_line: int | None = None
    forward_end_line: int | None = None
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    group: str = ""
    kind: str = "class"

    def to_json(self) -> dict:
        return {
            "name": self.name, "file": self.file, "line": self.line, "end_line": self.end_line,
            "main": self.main, "bases": list(self.bases), "init_line": self.init_line,
            "forward_line": self.forward_line, "forward_end_line": self.forward_end_line,
            "score": round(self.score, 2), "reasons": list(self.reasons), "group": self.group, "kind": self.kind,
        }

    @classmethod
    def from_json(cls, data: dict) -> "ModelClass":
        return _from_fields(cls, data)


@dataclass
class Pattern:
    """A named code pattern a reader should recognise (residual connection, attention, ...).

    Attributes:
        kind: e.g. `residual`, `multi_head_attention`, `scaled_dot_product_attention`, `attention`,
            `embedding`, `normalization`, `dropout`, `activation`, `gradient_clipping`, `lr_scheduler`.
        file: path relative to the root.
        line: first line of the code showing the pattern.
        end_line: last line of it.
        explanation: one plain sentence saying what the code does and why.
    """

    kind: str
    file: str
    line: int
    end_line: int
    explanation: str

    def to_json(self) -> dict:
        return {"kind": self.kind, "file": self.file, "line": self.line, "end_line": self.end_line,
                "explanation": self.explanation}


def _from_fields(cls, data: dict):
    """An instance of the data class `cls` from its JSON form (keys it does not know are ignored)."""
    return cls(**{f.name: data[f.name] for f in fields(cls) if f.init and f.name in data})


@dataclass
class RepoInfo:
    """Everything the engine learned about one repository, from reading its source (never running it).

    Attributes:
        root: the repository folder.
        roles: one FileRole per file, in path order.
        models: every nn.Module subclass found, the main model first, then by score.
        main: the main model, or None when no model class was found.
        layers: the main model's layers (empty without a main model).
        patterns: the code patterns found, by file and line.
        problems: one human sentence per file that was skipped or could not be read, and per
            repository-level problem (no Python at all, no model class).
    """

    root: Path
    roles: list[FileRole] = field(default_factory=list)
    models: list[ModelClass] = field(default_factory=list)
    main: ModelClass | None = None
    layers: list[Layer] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Every model's layers, by (file, class name), read during the scan so that no syntax tree outlives
    # it (a kept AST of a big repository costs ~100 MB and slows every garbage collection). Not in the JSON.
    layer_table: dict[tuple[str, str], list[Layer]] = field(default_factory=dict, repr=False, compare=False)

    def layers_of(self, model: ModelClass) -> list[Layer]:
        """The layers of any model class of this repository (the UI opens a local submodule's class)."""
        return self.layer_table.get((model.file, model.name), [])

    def model_named(self, name: str, file: str | None = None) -> ModelClass | None:
        """The model class called `name` (in `file` when given: names can repeat), best ranked first."""
        for model in self.models:
            if model.name == name and (file is None or model.file == file):
                return model
        return None

    def local_model(self, layer: Layer) -> ModelClass | None:
        """The repository's own class a layer is built from, to open it (None for torch layers)."""
        if layer.local_class is None:
            return None
        return self.model_named(layer.local_class, layer.local_file)

    def role_of(self, path: str) -> str | None:
        for role in self.roles:
            if role.path == path:
                return role.role
        return None

    def to_json(self, with_layer_table: bool = False) -> dict:
        """A JSON-ready dict in the shape `reader-app repo --json` prints (paths relative to root).

        `with_layer_table` adds every model's layers, so that `from_json` gives back the whole RepoInfo
        (a child process scans; the window gets plain data)."""
        main = None
        if self.main is not None:
            main = self.main.to_json()
        data = {
            "root": str(self.root),
            "roles": [{"path": r.path, "role": r.role, "reason": r.reason} for r in self.roles],
            "models": [m.to_json() for m in self.models],
            "main": main,
            "layers": [layer.to_json() for layer in self.layers],
            "patterns": [p.to_json() for p in self.patterns],
            "problems": list(self.problems),
        }
        if with_layer_table:
            data["layer_table"] = [{"file": file, "name": name, "layers": [layer.to_json() for layer in layers]}
                                   for (file, name), layers in self.layer_table.items()]
        return data

    @classmethod
    def from_json(cls, data: dict) -> "RepoInfo":
        """The RepoInfo that `to_json(with_layer_table=True)` described."""
        models = [ModelClass.from_json(m) for m in data.get("models", [])]
        info = cls(root=Path(data["root"]),
                   roles=[_from_fields(FileRole, r) for r in data.get("roles", [])],
                   models=models,
                   main=next((m for m in models if m.main), None),
                   patterns=[_from_fields(Pattern, p) for p in data.get("patterns", [])],
                   problems=list(data.get("problems", [])))
        info.layer_table = {(entry["file"], entry["name"]): [Layer.from_json(layer) for layer in entry["layers"]]
                            for entry in data.get("layer_table", [])}
        if info.main is not None:
            info.layers = info.layer_table.get((info.main.file, info.main.name)) or \
                [Layer.from_json(layer) for layer in data.get("layers", [])]
        return info
