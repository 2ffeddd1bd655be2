"""Where a repository lists a package it needs (`requirements.txt:16`), by import name or pip spelling."""
from __future__ import annotations

import os
import re

from reader_app.repo.values_source import read


REQUIREMENT_FILES = ("requirements.txt", "requirements-dev.txt", "environment.yml", "environment.yaml", "setup.py",
                     "pyproject.toml", "setup.cfg")


# Import names whose pip project is spelled otherwise (the common ones in model repositories).
DISTRIBUTIONS = {"cv2": ("opencv-python", "opencv-python-headless", "opencv-contrib-python"), "PIL": ("pillow",),
                 "sklearn": ("scikit-learn",), "yaml": ("pyyaml",), "skimage": ("scikit-image",),
                 "attr": ("attrs",), "google.protobuf": ("protobuf",), "Crypto": ("pycryptodome",),
                 "bs4": ("beautifulsoup4",), "dateutil": ("python-dateutil",), "faiss": ("faiss-cpu", "faiss-gpu"),
                 "mmcv": ("mmcv-full", "mmcv"), "pytorch_lightning": ("pytorch-lightning", "lightning"),
                 "lightning": ("lightning", "pytorch-lightning"), "hydra": ("hydra-core",),
                 "detectron2": ("detectron2",), "OpenGL": ("pyopengl",), "wx": ("wxpython",)}


def requirement_line(root: str, package: str) -> str | None:
    """"requirements.txt:16" where the repository lists `package` (import name or a `pip` spelling of it)."""
    names = {package.lower(), package.lower().replace("_", "-"), *DISTRIBUTIONS.get(package, ())}
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])\s*([<>=~!;\[#\"',]|$)",
                         re.IGNORECASE)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d in ("requirements", "docker", "envs")]
        for name in sorted(filenames):
            if name in REQUIREMENT_FILES or (name.startswith("requirements") and name.endswith(".txt")):
                path = os.path.join(dirpath, name)
                for number, line in enumerate(read(path).splitlines(), 1):
                    if pattern.search(line.split("#")[0].strip(" -\t")):
                        return f"{os.path.relpath(path, root)}:{number}"
    return None
