"""The scratch folder a contained child may write to: its home, its temp folder and its working folder."""
from __future__ import annotations

import os


def prepare(scratch: str, mirror: str | None = None) -> tuple[str, dict[str, str]]:
    """Make scratch/home, scratch/tmp and scratch/work; returns (working folder, environment overrides).

    The working folder links to every top-level entry of `mirror` (the repository), so code that opens
    `configs/x.yaml` relative to where it runs still reads it, while a file it creates lands in scratch.
    """
    home, tmp, work = (os.path.join(scratch, name) for name in ("home", "tmp", "work"))
    for folder in (home, tmp, work):
        os.makedirs(folder, exist_ok=True)
    if mirror:
        try:
            entries = os.listdir(mirror)
        except OSError:
            entries = []
        for name in entries:
            try:
                os.symlink(os.path.join(mirror, name), os.path.join(work, name))
            except OSError:
                pass
    env = {"HOME": home, "TMPDIR": tmp, "TEMP": tmp, "TMP": tmp, "XDG_CACHE_HOME": os.path.join(home, ".cache"),
           "XDG_CONFIG_HOME": os.path.join(home, ".config"), "MPLCONFIGDIR": os.path.join(home, ".config"),
           "PYTHONNOUSERSITE": "1", "no_proxy": "*"}
    return work, env
