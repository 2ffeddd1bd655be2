"""Issue 11 class 1, the helper-package kind (YOLO-style repositories): a package the repository takes its
utilities from (plotting, logging, profiling) is imported in a try/except that pip-installs it when the
import fails or when an attribute check says it is not the real package, and its names are imported all
over the repository (a package __init__, the model's own module). Zero-config, as a new user traces it:

- when the model only needs it for utilities, it is stood in for (the check passes, pip is never run) and
  listed in `degraded` as not used by the model;
- when the model really calls one of its functions or reads one of its values to size a layer, the trace
  says so honestly: which package, what the model used from it, the line, and where the repository lists it.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from tree_helpers import trace_cli, write_tree as write

BASE = {
    "requirements.txt": "helperkit-zz>=8.0\n",
    "utils/__init__.py": """
        from helperkit_zz.utils import LOGGER, TryExcept  # noqa: F401
        """,
    "utils/general.py": """
        from helperkit_zz.utils.ops import Profile, make_divisible  # noqa: F401

        from utils import LOGGER

        LOGGER.info("general utilities loaded")
        """,
    "models/__init__.py": "",
    "models/common.py": """
        import torch.nn as nn

        # Import the helper package, or install it if missing
        try:
            import helperkit_zz

            assert hasattr(helperkit_zz, "__version__")  # verify package is not a directory
        except (ImportError, AssertionError):
            import os

            os.system("pip install -U helperkit-zz")
            import helperkit_zz

        from helperkit_zz.utils.plotting import Annotator, colors

        from utils.general import make_divisible


        class Conv(nn.Module):
            def __init__(self, c1, c2):
                super().__init__()
                self.conv = nn.Conv2d(c1, c2, 3, padding=1)
                self.act = nn.SiLU()

            def forward(self, x):
                return self.act(self.conv(x))


        def draw(image, boxes):
            annotator = Annotator(image)
            for box in boxes:
                annotator.box_label(box, color=colors(0))
            return annotator.result()
        """,
}

UTILITIES_ONLY = dict(BASE, **{"models/yolo.py": """
    import torch.nn as nn

    from models.common import Conv, draw


    class DetectionModel(nn.Module):
        def __init__(self, ch=3, widths=(16, 32)):
            super().__init__()
            self.stem = Conv(ch, widths[0])
            self.down = Conv(widths[0], widths[1])
            self.head = nn.Conv2d(widths[1], 8, 1)

        def forward(self, x):
            return self.head(self.down(self.stem(x)))

        def show(self, image, boxes):
            return draw(image, boxes)
    """})

# The layer widths come from the helper package's make_divisible: the model really needs it.
SIZED_BY_IT = dict(BASE, **{"models/yolo.py": """
    import torch.nn as nn

    from models.common import Conv
    from utils.general import make_divisible


    class DetectionModel(nn.Module):
        def __init__(self, ch=3, width_multiple=0.5):
            super().__init__()
            c2 = make_divisible(64 * width_multiple, 8)
            self.stem = Conv(ch, c2)

        def forward(self, x):
            return self.stem(x)
    """})

# A value of the helper package sizes a layer.
WIDTH_FROM_IT = dict(BASE, **{"models/yolo.py": """
    import helperkit_zz
    import torch.nn as nn


    class DetectionModel(nn.Module):
        def __init__(self, ch=3):
            super().__init__()
            self.stem = nn.Conv2d(ch, helperkit_zz.DEFAULT_WIDTH, 3)

        def forward(self, x):
            return self.stem(x)
    """})

REPOS = {"utilities_only": UTILITIES_ONLY, "sized_by_it": SIZED_BY_IT, "width_from_it": WIDTH_FROM_IT}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("helper_package")
    roots = {name: write(base / name, files) for name, files in REPOS.items()}
    # no shared model-libraries folder: the helper package is missing everywhere
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(trace_cli, root, "--no-lines", env={"READER_APP_MODEL_LIBRARIES": ""})
                   for name, root in roots.items()}
        return {name: f.result() for name, f in futures.items()}


def test_a_helper_package_used_only_for_utilities_is_stood_in_and_pip_never_runs(traced):
    code, data, err = traced["utilities_only"]
    assert code == 0, err
    assert data["file"] == "models/yolo.py" and data["class"] == "DetectionModel"
    outs = {l["name"]: l["calls"][0]["out"][0] for l in data["layers"] if l["calls"]}
    batch, height, width = outs["stem"][0], outs["stem"][2], outs["stem"][3]
    assert outs["stem"] == [batch, 16, height, width] and outs["head"] == [batch, 8, height, width]
    assert "package 'helperkit_zz' missing: stood in; not used by the model" in data["degraded"]
    # the attribute check passed on the stand-in, so the except branch (pip install) never ran
    assert not any("pip" in line or "process" in line for line in data["warnings"] + data["degraded"])


def test_a_helper_function_that_sizes_the_layers_is_named_with_its_line(traced):
    code, data, err = traced["sized_by_it"]
    assert code == 2
    message = err.strip().splitlines()[-1]
    assert "needs the package 'helperkit_zz'" in message
    assert "(it calls helperkit_zz.utils.ops.make_divisible)" in message
    assert "the repository lists it in requirements.txt:1" in message and "reader-app env create" in message
    assert data["error"]["file"] == "models/yolo.py" and data["error"]["line"] == 11  # the make_divisible call
    assert "Traceback" not in err


def test_a_helper_value_read_as_a_layer_size_is_named_not_a_type_error(traced):
    code, data, err = traced["width_from_it"]
    assert code == 2
    message = err.strip().splitlines()[-1]
    assert "needs the package 'helperkit_zz'" in message
    assert "(it uses helperkit_zz.DEFAULT_WIDTH as a number)" in message
    assert "TypeError" not in message and "_Placeholder" not in message
    assert data["error"]["file"] == "models/yolo.py" and data["error"]["line"] == 9
