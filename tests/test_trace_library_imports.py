"""Missing packages a LIBRARY imports, and layer libraries missing entirely (issue 11, classes 1 and 2).

A layer library the model uses (timm, ultralytics) may import at module level a package that is not
installed here (torchvision whose CUDA build an environment dropped, cv2, pandas) although the model
never calls it: the trace stands in for it so the library loads, and says so. The library's own
fallbacks (try/except ImportError, importlib.util.find_spec probes) still see the package as missing.
A layer library missing entirely is named with the requirements line that lists it and the way out (an
environment of the repository's own). Libraries and repositories are generated here."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tree_helpers import write_tree as write

ROOT = Path(__file__).resolve().parents[1]

# An installed layer library (in a site-packages folder the test puts on the path) whose __init__
# imports a package that is not installed, unguarded, plus one guarded import and one probe.
LIBRARY = {
    "layerlib_zz/__init__.py": """
        import importlib.util
        import missing_vision_zz
        from missing_vision_zz.transforms import InterpolationMode
        try:
            import missing_optional_zz  # the library's own fallback: must still see it missing
            HAS_OPTIONAL = True
        except ImportError:
            HAS_OPTIONAL = False
        HAS_PROBED = importlib.util.find_spec("missing_probe_zz") is not None
        from .layers import Block, Resize
        """,
    "layerlib_zz/layers.py": """
        import torch.nn as nn
        import missing_frames_zz as frames
        from missing_vision_zz.transforms import InterpolationMode

        import importlib.metadata

        MODES = {InterpolationMode.BILINEAR: "bilinear", InterpolationMode.NEAREST: "nearest"}
        frames.set_num_threads(0)  # a setting applied as the library loads
        META_VERSION = importlib.metadata.version("missing-meta-zz")  # read before (or without) importing it


        def mode_name(mode: InterpolationMode | None = None) -> str:  # an annotation evaluated as it loads
            return MODES.get(mode, "bilinear")
        VERSION_OK = tuple(int(p) for p in frames.__version__.split(".")[:2]) >= (1, 0)


        class Block(nn.Module):
            def __init__(self, dim: int, hidden: int):
                super().__init__()
                self.fc1, self.act, self.fc2 = nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim)

            def forward(self, x):
                return self.fc2(self.act(self.fc1(x)))


        class Resize(nn.Module):
            def forward(self, x):
                from missing_vision_zz.transforms import functional
                return functional.resize(x, [8, 8])
        """,
    "layerlib_zz/extra.py": "WIDTH = 24\n",  # a submodule its __init__ does not import
    # a library written for an older torch: its import fails, whatever is installed
    "oldlib_zz/__init__.py": """
        from torch.nn.modules.utils import _removed_helper_zz
        from torch.nn import Linear as Block
        """,
}

USES_LIBRARY = {
    "requirements.txt": "layerlib-zz\n",
    "model.py": """
        import torch.nn as nn
        import layerlib_zz
        from layerlib_zz import HAS_OPTIONAL, HAS_PROBED, Block

        DIM = layerlib_zz.extra.WIDTH  # works only where something else imported layerlib_zz.extra


        class Net(nn.Module):
            def __init__(self, depth=2):
                super().__init__()
                width = 10 if HAS_OPTIONAL or HAS_PROBED else DIM
                self.embed = nn.Linear(5, width)
                self.blocks = nn.Sequential(*[Block(width, 4 * width) for _ in range(depth)])

            def forward(self, x):
                return self.blocks(self.embed(x))
        """,
}

# The model calls the library's function that really needs the missing package.
NEEDS_THROUGH_LIBRARY = {
    "requirements.txt": "layerlib-zz\nmissing-vision-zz==0.1\n",
    "model.py": """
        import torch.nn as nn
        from layerlib_zz import Resize


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 4, 3)
                self.resize = Resize()

            def forward(self, x):
                return self.resize(self.conv(x))
        """,
}

# Class 2: the layer library itself is missing; the repository lists it in environment.yml's pip part.
LIBRARY_MISSING = {
    "environment.yml": "name: dit\ndependencies:\n  - python >= 3.8\n  - pip:\n    - timmish-zz\n    - diffusers\n",
    "models.py": """
        import torch
        import torch.nn as nn
        from timmish_zz.models.vision_transformer import PatchEmbed, Attention, Mlp


        class DiT(nn.Module):
            def __init__(self, input_size=32, patch_size=2, in_channels=4, hidden_size=64):
                super().__init__()
                self.x_embedder = PatchEmbed(input_size, patch_size, in_channels, hidden_size, bias=True)
                self.mlp = Mlp(in_features=hidden_size, hidden_features=hidden_size * 4)

            def forward(self, x):
                return self.mlp(self.x_embedder(x))
        """,
}

# The import of a library that fails for another reason is skipped; what it would have defined is
# missing when the model is built: the sentence gives the import's own failure, not a bare NameError.
BROKEN_LIBRARY = {
    "model.py": """
        import torch.nn as nn
        from oldlib_zz import Block


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.block = Block(4, 4)

            def forward(self, x):
                return self.block(x)
        """,
}

REPOS = {"uses_library": USES_LIBRARY, "needs_through_library": NEEDS_THROUGH_LIBRARY,
         "library_missing": LIBRARY_MISSING, "broken_library": BROKEN_LIBRARY}


def trace(root: Path, site: Path) -> tuple[int, dict, str]:
    path = os.pathsep.join([str(ROOT), str(site)])
    proc = subprocess.run([sys.executable, "-m", "reader_app", "trace", "--json", "--no-lines", str(root)],
                          capture_output=True, text=True, cwd=str(root), timeout=600,
                          env={"PYTHONPATH": path, "PATH": "/usr/bin:/bin", "HOME": str(root)})
    return proc.returncode, json.loads(proc.stdout or "{}"), proc.stderr


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("library_imports")
    site = write(base / "lib" / "python3" / "site-packages", LIBRARY)
    roots = {name: write(base / name, files) for name, files in REPOS.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(trace, root, site) for name, root in roots.items()}
        return {name: f.result() for name, f in futures.items()}


def test_a_package_only_a_library_imports_is_stood_in_and_listed(traced):
    code, data, err = traced["uses_library"]
    assert code == 0, err
    assert data["reached_output"]
    outs = {l["name"]: l["calls"][0]["out"][0] for l in data["layers"] if l["calls"]}
    # the library's guarded import and find_spec probe still saw their packages missing: width is dim
    assert outs["embed"][-1] == 24 and outs["blocks.1"][-1] == 24 and outs["blocks.0.fc1"][-1] == 96
    degraded = data["degraded"]
    assert "package 'missing_vision_zz' missing: stood in where layerlib_zz imports it; not used by the model" \
        in degraded
    assert any(line.startswith("package 'missing_frames_zz' missing: stood in where layerlib_zz") for line in degraded)
    assert not any("missing_optional_zz" in line or "missing_probe_zz" in line for line in degraded)
    assert "package 'missing_meta_zz' missing: stood in where layerlib_zz imports it; not used by the model" \
        in degraded  # its version was read, as libraries check versions
    assert "model.py:6: layerlib_zz.extra imported (the code reads it without importing it)" in degraded


def test_a_library_call_that_needs_the_missing_package_names_it(traced):
    code, data, err = traced["needs_through_library"]
    assert code == 2
    message = err.strip().splitlines()[-1]
    assert "needs the package 'missing_vision_zz' (through layerlib_zz)" in message
    assert "the repository lists it in requirements.txt:2" in message
    assert "Traceback" not in err


def test_a_missing_layer_library_is_named_with_its_requirement_line_and_the_environment(traced):
    code, data, err = traced["library_missing"]
    assert code == 2
    message = err.strip().splitlines()[-1]
    assert "needs the package 'timmish_zz'" in message
    assert "the repository lists it in environment.yml:5" in message
    assert "environment of its own" in message and "reader-app env create" in message
    assert data["error"]["file"] == "models.py" and data["error"]["line"] == 10  # where PatchEmbed is built
    assert "Traceback" not in err


def test_a_library_whose_import_fails_is_named_instead_of_a_bare_name_error(traced):
    code, data, err = traced["broken_library"]
    assert code == 2
    message = err.strip().splitlines()[-1]
    assert "ImportError while importing model.py: cannot import name '_removed_helper_zz'" in message
    assert "so 'Block', which model.py:3 imports, is not defined" in message
    assert "NameError" not in message and "Traceback" not in err
    assert data["error"]["file"] == "model.py" and data["error"]["line"] == 3
