"""OLD-STYLE TORCHSCRIPT MODELS (issue 11, old code on new torch): repositories of 2018-2020 subclass
`torch.jit.ScriptModule`, decorate forward with `@jit.script_method` (with `__constants__ = [...]`), compile helpers
with `@torch.jit.script`, and call `torch.jit.script(Model())` / `torch.jit.trace(model, example)` at module level.
Compiled, the model's submodules refuse forward hooks and the trace stopped ("The tracer failed unexpectedly
(AttributeError: '_CachedForward' object has no attribute '__getattr__')"). The child runs the repository's
TorchScript as the plain Python it is written in and lists that as one degradation. Repositories generated here."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_repos

SCRIPT_MODULE_REPO = {
    "models.py": """
    from typing import List, Optional
    import torch
    from torch import jit, nn
    from torch.nn import functional as F


    class Cell(jit.ScriptModule):
        def __init__(self, size):
            super().__init__()
            self.fc = nn.Linear(size, size)

        @jit.script_method
        def forward(self, x):
            return torch.tanh(self.fc(x))


    class Dynamics(jit.ScriptModule):
        __constants__ = ['min_std']

        def __init__(self, state_size=6, action_size=3, hidden_size=40, min_std=0.1):
            super().__init__()
            self.min_std = min_std
            self.steps = jit.Attribute(2, int)
            self.embed = nn.Linear(state_size + action_size, hidden_size)
            self.rnn = nn.GRUCell(hidden_size, hidden_size)
            self.cell = Cell(hidden_size)
            self.head = nn.Linear(hidden_size, 2 * state_size)

        @jit.script_method
        def forward(self, state: torch.Tensor, action: torch.Tensor,
                    belief: Optional[torch.Tensor] = None) -> List[torch.Tensor]:
            hidden = F.relu(self.embed(torch.cat([state, action], dim=1)))
            if belief is None:
                belief = torch.zeros_like(hidden)
            for _ in range(self.steps):
                belief = self.rnn(hidden, belief)
            mean, std = torch.chunk(self.head(self.cell(belief)), 2, dim=1)
            return [mean, F.softplus(std) + self.min_std]
    """,
}

SCRIPTED_FUNCTION_REPO = {
    "layers.py": """
    import torch
    import torch.nn as nn


    @torch.jit.script
    def fused_gate(a, b):
        return torch.sigmoid(a) * torch.tanh(b)


    class GatedConv(nn.Module):
        def __init__(self, channels=8, out_channels=16):
            super().__init__()
            self.filter = nn.Conv2d(channels, out_channels, 3, padding=1)
            self.gate = nn.Conv2d(channels, out_channels, 3, padding=1)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(out_channels, 5)

        def forward(self, x):
            y = fused_gate(self.gate(x), self.filter(x))
            return self.fc(self.pool(y).flatten(1))
    """,
}

SCRIPTED_AT_MODULE_LEVEL_REPO = {
    "net.py": """
    import torch
    import torch.nn as nn


    class Encoder(nn.Module):
        def __init__(self, in_features=12, width=32, out_features=4):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(in_features, width), nn.ReLU(), nn.Linear(width, out_features))

        def forward(self, x):
            return self.body(x)


    # compiled once at import, as the deployment script of the repository did
    scripted = torch.jit.script(Encoder())
    traced = torch.jit.trace(Encoder(), torch.zeros(1, 12))
    frozen = torch.jit.freeze(scripted.eval())
    """,
}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("torchscript")
    return trace_repos(base, {"module": SCRIPT_MODULE_REPO, "function": SCRIPTED_FUNCTION_REPO,
                              "module_level": SCRIPTED_AT_MODULE_LEVEL_REPO}, "--no-lines")


@pytest.mark.slow
def test_script_module_with_script_method_forward_traces_every_layer(traced):
    code, data, err = traced["module"]
    assert code == 0, err
    assert data["error"] is None and data["class"] == "Dynamics", data["error"]
    outs = first_outs(data)
    batch = data["inputs"][0]["shape"][0]
    assert outs["embed"] == [batch, 40] and outs["rnn"] == [batch, 40]
    assert outs["cell"] == [batch, 40] and outs["cell.fc"] == [batch, 40]  # a ScriptModule inside one
    assert outs["head"] == [batch, 12]
    assert len(next(layer for layer in data["layers"] if layer["name"] == "rnn")["calls"]) == 2  # jit.Attribute 2
    degraded = [line for line in data["degraded"] if "TorchScript" in line]
    assert len(degraded) == 1, data["degraded"]
    assert "shapes are the same" in degraded[0]
    assert "models.py:18 Dynamics(torch.jit.ScriptModule)" in degraded[0]
    assert "models.py:8 Cell(torch.jit.ScriptModule)" in degraded[0]


@pytest.mark.slow
def test_scripted_helper_function_in_forward_runs_as_python(traced):
    code, data, err = traced["function"]
    assert code == 0, err
    assert data["error"] is None and data["class"] == "GatedConv", data["error"]
    outs = first_outs(data)
    batch, _, height, width = data["inputs"][0]["shape"]
    assert outs["filter"] == [batch, 16, height, width] and outs["fc"] == [batch, 5]
    assert any("layers.py:6 torch.jit.script(fused_gate)" in line for line in data["degraded"]), data["degraded"]


@pytest.mark.slow
def test_module_level_script_trace_and_freeze_do_not_stop_the_import(traced):
    code, data, err = traced["module_level"]
    assert code == 0, err
    assert data["error"] is None and data["class"] == "Encoder", data["error"]
    assert not any("skipped" in line for line in data["degraded"]), data["degraded"]
    outs = first_outs(data)
    batch = data["inputs"][0]["shape"][0]
    assert outs["body.0"] == [batch, 32] and outs["body"] == [batch, 4]
    degraded = " ".join(data["degraded"])
    assert "net.py:16 torch.jit.script(Encoder)" in degraded and "net.py:17 torch.jit.trace(Encoder)" in degraded
