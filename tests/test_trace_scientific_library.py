"""A scientific library the model's code imports at module level and calls only while building (a flow's
`from scipy import linalg`, `linalg.qr` for an orthogonal init): the app's shared model-libraries folder
carries scipy (packaging/model-libraries.txt), so such a model traces zero-config and the result says where
scipy came from. A compiled library loads helpers under top-level names of their own (scipy's `_cyutility`):
the result names the library, not its helpers."""
from __future__ import annotations

import os

import pytest
from tree_helpers import APP_ROOT, first_outs, trace_cli, write_tree as write

from reader_app.trace import libraries

# A shared library whose package loads a helper module under a top-level name of its own.
HELPER_LOADING_LIBRARY = {
    "numlib_zz/__init__.py": """
        import importlib.util
        import os
        import sys

        _spec = importlib.util.spec_from_file_location(
            "_numlib_zz_helper", os.path.join(os.path.dirname(__file__), "_numlib_zz_helper.py"))
        _helper = importlib.util.module_from_spec(_spec)
        sys.modules["_numlib_zz_helper"] = _helper
        _spec.loader.exec_module(_helper)
        WIDTH = _helper.WIDTH
        """,
    "numlib_zz/_numlib_zz_helper.py": "WIDTH = 12\n",
    "numlib_zz-1.5.dist-info/METADATA": "Metadata-Version: 2.1\nName: numlib-zz\nVersion: 1.5\n",
    "numlib_zz-1.5.dist-info/RECORD": "numlib_zz/__init__.py,,\nnumlib_zz/_numlib_zz_helper.py,,\n",
}

USES_HELPER_LIBRARY = {
    "model.py": """
        import torch.nn as nn
        import numlib_zz


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, numlib_zz.WIDTH)

            def forward(self, x):
                return self.fc(x)
        """,
}

# scipy at module level, used only in __init__ (an LU-decomposed invertible 1x1 convolution's start).
SCIPY_AT_INIT = {
    "model.py": """
        import numpy as np
        import torch
        import torch.nn as nn
        from scipy import linalg as la


        class InvConv(nn.Module):
            def __init__(self, in_channel):
                super().__init__()
                q, _ = la.qr(np.random.randn(in_channel, in_channel))
                w_p, w_l, w_u = la.lu(q.astype(np.float32))
                self.weight = nn.Parameter(torch.from_numpy(w_p @ w_l @ w_u).unsqueeze(2).unsqueeze(3))

            def forward(self, x):
                return nn.functional.conv2d(x, self.weight)


        class TinyFlow(nn.Module):
            def __init__(self, in_channel=5):
                super().__init__()
                self.inv = InvConv(in_channel)
                self.out = nn.Conv2d(in_channel, 2, 1)

            def forward(self, x):
                return self.out(self.inv(x))
        """,
}


def test_a_library_is_named_by_its_package_not_by_the_helpers_it_loads(tmp_path):
    shared = write(tmp_path / "model-libraries", HELPER_LOADING_LIBRARY)
    repo = write(tmp_path / "repo", USES_HELPER_LIBRARY)
    code, data, err = trace_cli(repo, "--no-lines", env={"READER_APP_MODEL_LIBRARIES": str(shared)})
    assert code == 0, err
    assert first_outs(data)["fc"][-1] == 12
    said = [line for line in data["degraded"] if "shared model libraries" in line]
    assert said == [f"package 'numlib_zz' 1.5 from the app's shared model libraries ({shared}), not from "
                    "the tracing Python"]


def test_scipy_is_pinned_in_the_shared_libraries():
    text = (APP_ROOT / "packaging" / "model-libraries.txt").read_text()
    pins = [line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip()]
    assert any(pin.startswith("scipy==") for pin in pins)


def _folder_with_scipy() -> str | None:
    folder = libraries.folder()
    return folder if folder and os.path.isdir(os.path.join(folder, "scipy")) else None


@pytest.mark.skipif(_folder_with_scipy() is None, reason="no model-libraries folder with scipy (make install makes it)")
def test_a_model_calling_scipy_while_building_traces_zero_config(tmp_path):
    repo = write(tmp_path / "repo", SCIPY_AT_INIT)
    code, data, err = trace_cli(repo, "--no-lines", env={"READER_APP_MODEL_LIBRARIES": _folder_with_scipy()})
    assert code == 0, err
    assert data["inputs"][0]["shape"][1] == 5 and first_outs(data)["out"][1] == 2
    assert any(line.startswith("package 'scipy' ") for line in data["degraded"]), data["degraded"]
    assert "needs the package" not in err
