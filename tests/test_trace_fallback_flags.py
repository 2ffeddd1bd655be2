"""An optional package imported under `try: ... / except ImportError: HAS_X = False` is left to fail when it is not
installed, so the model takes the plain path its own code keeps for that case instead of calling a stand-in; a
package imported without such a flag is still stood in. The repositories are generated here."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs as outs, trace_repos

_MODEL = """
import torch.nn as nn

try:
    from fastattn.ops import fused_linear
    FAST_AVAILABLE = True
except ImportError:
    FAST_AVAILABLE = False


class Net(nn.Module):
    def __init__(self, dim=16, out=5):
        super().__init__()
        self.proj = nn.Linear(dim, out)

    def forward(self, x):
        if FAST_AVAILABLE:
            return fused_linear(x, self.proj.weight)
        return self.proj(x)
"""

FLAGGED = {"model.py": _MODEL}
# The same import without a flag: the handler only warns, so the code has no plain path of its own to take.
UNFLAGGED = {"model.py": _MODEL.replace("    FAST_AVAILABLE = False", "    print('fastattn missing')")
             .replace("if FAST_AVAILABLE:", "if True:")}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("flags"), {"flagged": FLAGGED, "unflagged": UNFLAGGED}, "--no-lines")


def test_a_flagged_optional_package_is_left_to_fail_and_the_plain_path_runs(traced):
    code, data, err = traced["flagged"]
    assert code == 0, err
    assert data["reached_output"], data.get("error")
    assert outs(data)["proj"][-1] == 5
    assert "package 'fastattn' missing: model.py:5 sets FAST_AVAILABLE = False and the code takes its own way " \
           "without it" in data["degraded"]


def test_an_unflagged_import_is_still_stood_in_and_its_call_named(traced):
    code, data, err = traced["unflagged"]
    assert "fastattn" in (data.get("error") or {}).get("message", "")
