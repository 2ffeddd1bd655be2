"""Which lines of model.js and of the PyTorch source belong together (plain data, no widgets)."""
from __future__ import annotations

from pathlib import Path


class LineLinks:
    """The line links of one Translation.

    Attributes:
        translation: the Translation; blocks: layer name -> (first, last) model.js lines of its block
        (its comments and the line that makes it).
    """

    def __init__(self, translation):
        self.translation = translation
        lines = translation.model_js.splitlines()
        self.blocks: dict[str, tuple[int, int]] = {}
        for layer in translation.layers:
            if not layer.js_line:
                continue
            first = layer.js_line
            while first > 1 and lines[first - 2].lstrip().startswith("//"):  # the comments above it
                first -= 1
            self.blocks[layer.name] = (first, layer.js_line)

    def js_block(self, layer) -> tuple[int, int]:
        return self.blocks.get(layer.name, (layer.js_line, layer.js_line))

    def layer_at(self, js_line: int):
        """The layer whose block holds this model.js line, or None (the header, buildModel, the outputs)."""
        for layer in self.translation.layers:
            first, last = self.js_block(layer)
            if first <= js_line <= last:
                return layer
        return None

    def construct_outside_layers(self, js_line: int) -> str:
        """Before the first layer is the constructor's frame; after the last, the outputs of the data flow."""
        starts = [first for first, _ in self.blocks.values()]
        return "constructor" if not starts or js_line < min(starts) else "data flow"

    def torch_ranges(self, layers: list, file: str) -> list[tuple[int, int, str]]:
        """The PyTorch lines of `file` the layers come from: definitions, then the forward() calls."""
        ranges = []
        for layer in layers:
            if layer.file == file and layer.line:
                ranges.append((layer.line, layer.line, "definition"))
        for layer in layers:
            if layer.call_file == file and layer.call_line and (layer.call_line, layer.call_line, "definition") \
                    not in ranges:
                ranges.append((layer.call_line, layer.call_line, "use"))
        return list(dict.fromkeys(ranges))

    @staticmethod
    def panel_layer(layer, names: list[str]) -> str:
        """The Layers panel's entry for a TF.js layer: its PyTorch module, or the nearest module holding it."""
        known = set(names)
        for start in (layer.torch_module, layer.scope):
            parts = start.split(".") if start else []
            while parts:
                name = ".".join(parts)
                if name in known:
                    return name
                parts.pop()
        return ""

    def relative(self, path: Path) -> str | None:
        root = Path(self.translation.root)
        path = Path(path)
        return path.relative_to(root).as_posix() if path.is_relative_to(root) else None
