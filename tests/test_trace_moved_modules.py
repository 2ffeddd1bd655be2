"""A layer library's submodule that moved in a newer release (timm.models.layers.helpers -> timm.layers.helpers):
the old package is kept as a shim re-importing the new one's modules, and code written for the old layout imports
the old submodule path. The trace reads it as the moved module and says so; a submodule that exists nowhere still
stops with the missing-module message. The library is generated here, in the app's shared libraries folder."""
from __future__ import annotations

from tree_helpers import first_outs as outs, trace_cli, write_tree as write

LIBRARY = {
    "movedlib_zz/__init__.py": "",
    "movedlib_zz/layers/__init__.py": "from movedlib_zz.layers.helpers import to_pair\n",
    "movedlib_zz/layers/helpers.py": "def to_pair(x):\n    return (x, x)\n",
    "movedlib_zz/models/__init__.py": "",
    # the old layout, kept only as a shim: its modules moved to movedlib_zz.layers
    "movedlib_zz/models/layers/__init__.py": "# DEPRECATED: use movedlib_zz.layers\n"
                                             "from movedlib_zz.layers.helpers import *\n",
    "movedlib_zz-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: movedlib-zz\nVersion: 1.0\n",
    "movedlib_zz-1.0.dist-info/RECORD": "movedlib_zz/__init__.py,,\n",
}


def _repo(helper_module: str) -> dict:
    return {"requirements.txt": "movedlib-zz\n", "model.py": f"""
import torch.nn as nn
from {helper_module} import to_pair


class PatchNet(nn.Module):
    def __init__(self, patch=4, dim=24):
        super().__init__()
        self.embed = nn.Conv2d(3, dim, kernel_size=to_pair(patch), stride=to_pair(patch))

    def forward(self, x):
        return self.embed(x)
"""}


def test_a_submodule_of_the_old_layout_is_read_where_it_moved(tmp_path):
    shared = write(tmp_path / "model-libraries", LIBRARY)
    repo = write(tmp_path / "repo", _repo("movedlib_zz.models.layers.helpers"))
    code, data, err = trace_cli(repo, "--no-lines", env={"READER_APP_MODEL_LIBRARIES": str(shared)})
    assert code == 0, err
    assert outs(data)["embed"][1] == 24
    assert any("movedlib_zz.models.layers.helpers" in line and "movedlib_zz.layers.helpers" in line
               for line in data["degraded"]), data["degraded"]


def test_a_submodule_that_exists_nowhere_still_stops_the_trace(tmp_path):
    shared = write(tmp_path / "model-libraries", LIBRARY)
    repo = write(tmp_path / "repo", _repo("movedlib_zz.models.layers.nowhere"))
    code, data, err = trace_cli(repo, "--no-lines", env={"READER_APP_MODEL_LIBRARIES": str(shared)})
    assert code != 0 and "nowhere" in err
