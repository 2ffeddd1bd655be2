"""Old-style TorchScript as plain Python (plain_torchscript.py): the repository's ScriptModule classes take forward
hooks and read their jit.Attribute values, its script/trace calls hand back what they were given, and a library's
torch.jit.script still compiles; each repository use is one item of one degradation line."""
from __future__ import annotations

import textwrap

import pytest

torch = pytest.importorskip("torch")

from reader_app.trace.child import plain_torchscript  # noqa: E402

REPO_FILE = "/repo/models.py"
NAMES = ("ScriptModule", "script_method", "script", "trace", "trace_module", "freeze", "optimize_for_inference")


@pytest.fixture()
def installed():
    """The stand-ins for one test, torch.jit as it was afterwards (the units share one process)."""
    saved = {name: getattr(torch.jit, name) for name in NAMES}
    plain_torchscript._USES.clear()
    plain_torchscript.install({REPO_FILE})
    yield
    for name, value in saved.items():
        setattr(torch.jit, name, value)
    plain_torchscript._USES.clear()


def _run(source: str, filename: str) -> dict:
    scope = {"__name__": "generated"}
    exec(compile(textwrap.dedent(source), filename, "exec"), scope)
    return scope


MODEL = """
import torch
from torch import jit, nn

class Block(jit.ScriptModule):
    __constants__ = ['scale']

    def __init__(self):
        super().__init__()
        self.scale = 2.0
        self.repeats = jit.Attribute(3, int)
        self.fc = nn.Linear(4, 6)

    @jit.script_method
    def forward(self, x):
        for _ in range(self.repeats):
            x = self.fc(x)[:, :4] * self.scale
        return x

@torch.jit.script
def double(x):
    return x * 2

traced = torch.jit.trace(Block(), torch.zeros(1, 4))
"""


def test_a_repository_script_module_is_plain_python_with_hooks(installed):
    scope = _run(MODEL, REPO_FILE)
    block = scope["Block"]()
    seen = []
    block.fc.register_forward_hook(lambda module, args, out: seen.append(tuple(out.shape)))
    assert block(torch.zeros(2, 4)).shape == (2, 4)
    assert seen == [(2, 6)] * 3 and block.repeats == 3  # the jit.Attribute's value, read by range()
    assert scope["double"](torch.ones(1)).item() == 2 and not isinstance(scope["double"], torch.jit.ScriptFunction)
    assert type(scope["traced"]) is scope["Block"]  # trace handed back the module it was given
    lines = plain_torchscript.degraded(lambda path: path.rsplit("/", 1)[-1])
    assert len(lines) == 1 and "shapes are the same" in lines[0]
    assert "models.py:5 Block(torch.jit.ScriptModule)" in lines[0]
    assert "models.py:20 torch.jit.script(double)" in lines[0] and "models.py:24 torch.jit.trace(Block)" in lines[0]


def test_a_library_keeps_its_compiled_helpers(installed, tmp_path):
    library = tmp_path / "ops.py"  # TorchScript compiles from the source file
    library.write_text("import torch\n\n@torch.jit.script\ndef triple(x):\n    return x * 3\n")
    scope = _run(library.read_text(), str(library))
    assert isinstance(scope["triple"], torch.jit.ScriptFunction)
    assert plain_torchscript.degraded(str) == []  # nothing of the repository's was changed
