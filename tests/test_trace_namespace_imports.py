"""Issue 11 class 2a: the model file lives in a folder WITHOUT __init__.py and imports its siblings with
relative imports (`from .nn import conv`, `from ..common.layers import Block`). Python imports such a file
by its dotted path from the repository root (implicit namespace packages), as the repository's scripts do;
the trace must too, instead of importing it as a top-level module ("attempted relative import with no
known parent package"). Generated here and traced zero-config, with the class named."""
from __future__ import annotations

from tree_helpers import first_outs, trace_repos, write_tree

from reader_app.trace.child.module_names import package_root, script_roots

# One level: the folder itself is the namespace package; a sibling named like torch's `nn` module.
FLAT = {
    "README.md": "A small image classifier.\n",
    "setup.py": "from setuptools import setup\nsetup(name='shapenet', py_modules=[], packages=['shapenet'])\n",
    "shapenet/nn.py": """
        import torch.nn as nn


        def conv(cin, cout):
            return nn.Conv2d(cin, cout, 3, padding=1)
        """,
    "shapenet/blocks.py": """
        import torch.nn as nn

        from .nn import conv


        class Block(nn.Module):
            def __init__(self, channels):
                super().__init__()
                self.conv = conv(channels, channels)
                self.act = nn.ReLU()

            def forward(self, x):
                return x + self.act(self.conv(x))
        """,
    "shapenet/net.py": """
        import torch.nn as nn

        from .blocks import Block
        from .nn import conv


        class ShapeNet(nn.Module):
            def __init__(self, in_channels=3, width=12, classes=7):
                super().__init__()
                self.stem = conv(in_channels, width)
                self.block = Block(width)
                self.pool = nn.AdaptiveAvgPool2d(1)
                self.head = nn.Linear(width, classes)

            def forward(self, x):
                return self.head(self.pool(self.block(self.stem(x))).flatten(1))
        """,
}

# Two levels: `from ..common.layers import Mix` from src/models/, no __init__.py anywhere.
NESTED = {
    "README.md": "A sequence mixer.\n",
    "src/common/layers.py": """
        import torch.nn as nn


        class Mix(nn.Module):
            def __init__(self, dim):
                super().__init__()
                self.proj = nn.Linear(dim, dim)

            def forward(self, x):
                return self.proj(x).relu()
        """,
    "src/models/heads.py": """
        import torch.nn as nn


        def head(dim, out):
            return nn.Linear(dim, out)
        """,
    "src/models/mixer.py": """
        import torch.nn as nn

        from ..common.layers import Mix
        from .heads import head


        class Mixer(nn.Module):
            def __init__(self, dim=24, out=5):
                super().__init__()
                self.mix = Mix(dim)
                self.out = head(dim, out)

            def forward(self, x):
                return self.out(self.mix(x))
        """,
}


# The namespace folder below a folder named like a standard-library module (`code`): `code.shapenet` cannot
# be imported (the standard library's `code` wins), `shapenet.net` from inside `code/` can.
UNDER_STDLIB_NAME = {("code/" + name if name.startswith("shapenet/") else name): text for name, text in FLAT.items()}


def test_a_model_in_a_folder_without_init_imports_its_siblings_relatively(tmp_path):
    results = trace_repos(tmp_path, {"flat": FLAT, "nested": NESTED, "code": UNDER_STDLIB_NAME}, "--no-lines")
    code, data, err = results["flat"]
    assert code == 0, err
    assert data["file"] == "shapenet/net.py" and data["class"] == "ShapeNet" and data["reached_output"]
    outs = first_outs(data)
    assert outs["stem"][1] == 12 and outs["head"][-1] == 7
    assert "relative import" not in err

    code, data, err = results["nested"]
    assert code == 0, err
    assert data["file"] == "src/models/mixer.py" and data["class"] == "Mixer" and data["reached_output"]
    outs = first_outs(data)
    assert outs["mix.proj"][-1] == 24 and outs["out"][-1] == 5

    code, data, err = results["code"]
    assert code == 0, err
    assert data["file"] == "code/shapenet/net.py" and data["reached_output"]
    assert first_outs(data)["head"][-1] == 7


def test_the_module_name_is_the_one_python_gives_from_the_repository_root(tmp_path):
    root = write_tree(tmp_path / "repo", {
        **FLAT, **NESTED, **UNDER_STDLIB_NAME,
        "pkg/__init__.py": "", "pkg/model.py": "from .layers import Block\n",  # a regular package: as before
        "plain/net.py": "import torch\n",  # no relative import: its folder stays the top level, as a script's
        "top.py": "from .layers import Block\n",  # at the root no spelling has a parent package
    })
    real = str(root.resolve())
    assert package_root(str(root / "shapenet/net.py"), str(root)) == (real, "shapenet.net")
    assert package_root(str(root / "src/models/mixer.py"), str(root)) == (real, "src.models.mixer")
    assert package_root(str(root / "code/shapenet/net.py"), str(root)) == (f"{real}/code", "shapenet.net")
    assert package_root(str(root / "pkg/model.py"), str(root)) == (real, "pkg.model")
    assert package_root(str(root / "plain/net.py"), str(root)) == (f"{real}/plain", "net")
    assert package_root(str(root / "top.py"), str(root)) == (real, "top")


# The code lives under a folder its scripts run from (`codes/`), and the model file imports the repository's
# own modules absolutely from there (`import models.modules.module_util as mutil`), with no __init__.py on the
# way: Python finds them only with codes/ on sys.path, as `python codes/train.py` puts it.
SCRIPTS_FOLDER = {
    "README.md": "Video restoration.\n\n    cd codes\n    python train.py\n",
    "codes/models/modules/module_util.py": """
        import torch.nn as nn


        def make_layer(block, n_layers):
            return nn.Sequential(*[block() for _ in range(n_layers)])


        class ResidualBlock(nn.Module):
            def __init__(self, nf=16):
                super().__init__()
                self.conv = nn.Conv2d(nf, nf, 3, padding=1)

            def forward(self, x):
                return x + self.conv(x)
        """,
    "codes/models/modules/restore_arch.py": """
        import functools

        import torch.nn as nn

        import models.modules.module_util as mutil


        class RestoreNet(nn.Module):
            def __init__(self, nf=16, blocks=3):
                super().__init__()
                self.conv_first = nn.Conv2d(3, nf, 3, padding=1)
                self.trunk = mutil.make_layer(functools.partial(mutil.ResidualBlock, nf=nf), blocks)
                self.conv_last = nn.Conv2d(nf, 3, 3, padding=1)

            def forward(self, x):
                return self.conv_last(self.trunk(self.conv_first(x)))
        """,
    "codes/train.py": """
        import models.modules.restore_arch as arch

        model = arch.RestoreNet(nf=16, blocks=3)
        """,
}


def test_absolute_imports_rooted_at_the_folder_the_scripts_run_from_resolve(tmp_path):
    code, data, err = trace_repos(tmp_path, {"scripts": SCRIPTS_FOLDER}, "--no-lines")["scripts"]
    assert code == 0, err
    assert data["file"] == "codes/models/modules/restore_arch.py" and data["class"] == "RestoreNet"
    assert data["reached_output"] and not data["degraded"], data["degraded"]
    outs = first_outs(data)
    assert outs["trunk.2.conv"][1] == 16 and outs["conv_last"][1] == 3
    root = (tmp_path / "scripts").resolve()
    assert script_roots(str(root / "codes/models/modules/restore_arch.py"), str(root)) == [f"{root}/codes"]
