"""Offline fixtures for repository environments: pure-Python wheels written by hand, a local index,
and repositories whose model needs a package only the environment has."""
from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_wheel(folder: Path, name: str, version: str, code: str, requires: tuple[str, ...] = ()) -> Path:
    """A valid pure-Python wheel of package `name` whose __init__ is `code`, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    info = f"{name}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + \
        "".join(f"Requires-Dist: {r}\n" for r in requires)
    files = {f"{name}/__init__.py": code.encode(),
             f"{info}/METADATA": metadata.encode(),
             f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
             f"{info}/top_level.txt": f"{name}\n".encode()}
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in files.items())
    record += f"{info}/RECORD,,\n"
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for path, data in files.items():
            zf.writestr(path, data)
        zf.writestr(f"{info}/RECORD", record)
    return wheel


def offline_pip(monkeypatch, wheels: Path) -> None:
    """pip (run by the engine) sees only the wheels folder: no network in tests."""
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheels))


MODEL = '''import torch.nn as nn
import widthlib


class Widened(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, widthlib.WIDTH)

    def forward(self, x):
        return self.fc(x)
'''


def repo_needing_widthlib(root: Path, requirements: str = "widthlib==1.0\ntorch==1.4.0\n") -> Path:
    """A repository whose model imports `widthlib` (only an environment has it) and pins an old torch."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "model.py").write_text(MODEL)
    (root / "requirements.txt").write_text(requirements)
    return root


def widthlib_wheels(folder: Path) -> Path:
    build_wheel(folder, "widthlib", "1.0", "WIDTH = 24\n")
    return folder
