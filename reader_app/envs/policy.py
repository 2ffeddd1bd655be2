"""Which of a repository's requirements an environment may install, and which it must not.

An environment sees the app's torch. Installing another torch (a pinned old one, a CUDA build, or the
CUDA libraries and compilers that come with one) would cost gigabytes and shadow the app's torch, so
those requirements are dropped with a note; torchvision and torchaudio are compiled against one torch
release, so when the app lacks them they are installed at the release made for the app's torch.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader_app.envs.requirements import Found, Wanted

TORCH_NAMES = {"torch", "pytorch"}
COMPANIONS = {"torchvision", "torchaudio"}
# the CUDA stack a GPU torch brings, and other builds of torch itself
# nvidia-*-cu12 and friends are CUDA runtimes; nvidia-ml-py (NVML bindings, pure Python) is not
CUDA_NAMES = re.compile(r"^(nvidia-.*-cu\d+.*|nvidia-.*cuda.*|triton|pytorch-triton.*|pytorch-cuda|cuda-python|cuda-.*|cudatoolkit|"
                        r"cupy-cuda.*|torch-cuda.*|torch-nightly|tensorrt.*)$")
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


@dataclass
class Host:
    """What the app's own Python provides.

    Attributes:
        torch: its torch version ("2.13.0+cpu"), or "" when it has none.
        packages: normalized name -> version of every distribution it sees.
    """

    torch: str
    packages: dict[str, str] = field(default_factory=dict)

    def public_torch(self) -> str:
        return self.torch.split("+")[0]

    def cpu_build(self) -> bool:
        return self.torch.endswith("+cpu")


def companion_version(name: str, torch_version: str) -> str | None:
    """The torchvision / torchaudio release built for `torch_version`, or None when no rule is known.

    torch 2.N pairs with torchvision 0.(N+15) and torchaudio 2.N (PyTorch's release table since 2.0).
    """
    match = re.match(r"^2\.(\d+)\.(\d+)", torch_version)
    if not match:
        return None
    minor, patch = int(match.group(1)), int(match.group(2))
    if name == "torchvision":
        return f"0.{minor + 15}.{patch}"
    if name == "torchaudio":
        return f"2.{minor}.{patch}"
    return None


@dataclass
class Dropped:
    """A requirement the environment will not install.

    Attributes:
        wanted: the requirement as the repository stated it.
        reason: one sentence for the reader.
    """

    wanted: Wanted
    reason: str


@dataclass
class Plan:
    """What creating the environment will do.

    Attributes:
        install: requirement lines handed to pip.
        dropped: requirements not installed, with why.
        constraints: lines pip must respect (the app's torch stays the only torch).
        notes: sentences about the files read and skipped.
        read: the dependency files read.
        cpu_index: also look in PyTorch's CPU wheel index (for torchvision/torchaudio builds for a CPU torch).
        refused: a sentence when nothing may be installed at all, else "".
    """

    install: list[Wanted] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    read: list[str] = field(default_factory=list)
    cpu_index: bool = False
    refused: str = ""


def plan_for(found: Found, host: Host) -> Plan:
    """Split what the repository wants into what to install and what to drop, with reasons."""
    plan = Plan(notes=list(found.notes), read=list(found.read))
    if not host.torch:
        plan.refused = "the app's Python has no torch, so an environment that shares it cannot be made"
        return plan
    torch = host.torch
    for wanted in found.wanted:
        name = wanted.name
        if name in TORCH_NAMES:
            plan.dropped.append(Dropped(wanted, f"the app's torch {torch} is used instead (never another "
                                                "torch or a CUDA build)"))
        elif CUDA_NAMES.match(name):
            plan.dropped.append(Dropped(wanted, "part of a CUDA build of torch; the app's torch runs on the CPU"))
        elif name in COMPANIONS and name in host.packages:
            plan.dropped.append(Dropped(wanted, f"the app's {name} {host.packages[name]} (built for its torch) "
                                                "is used instead"))
        elif name in COMPANIONS:
            version = companion_version(name, host.public_torch())
            if version is None:
                plan.dropped.append(Dropped(wanted, f"no {name} release is known to match torch {torch}, so it "
                                                    "is not installed; install it into the app's Python"))
                continue
            pinned = Wanted(f"{name}=={version}", name, wanted.source)
            plan.install.append(pinned)
            if wanted.text.strip() != name:
                plan.notes.append(f"{wanted.source}: '{wanted.text}' is installed as {name} {version}, the "
                                  f"release built for torch {host.public_torch()}")
        else:
            plan.install.append(wanted)
    # a dependency of a dependency must not bring another torch either: pip may only keep the app's
    plan.constraints = [f"torch=={torch}"] + [f"{n}=={host.packages[n]}" for n in sorted(COMPANIONS)
                                              if n in host.packages]
    for name in sorted(COMPANIONS - set(host.packages)):
        version = companion_version(name, host.public_torch())
        if version:
            plan.constraints.append(f"{name}=={version}")
    plan.cpu_index = host.cpu_build()
    return plan


def forbidden_download(name: str) -> bool:
    """True for a project pip must never fetch into an environment (torch itself, the CUDA stack)."""
    return name in TORCH_NAMES or bool(CUDA_NAMES.match(name))
