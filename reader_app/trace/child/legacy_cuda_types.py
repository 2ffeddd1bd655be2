"""The typed CUDA constructors of old research code on a torch without CUDA.

`torch.cuda.FloatTensor(b, c, h, w).fill_(0)` (a zero-padded shortcut), `torch.cuda.LongTensor(n)`,
`x.type(torch.cuda.FloatTensor)`: on a CPU build each stops with "type torch.cuda.FloatTensor not available".
They are CUDA requests like `.cuda()`, so they get the same answer: the tensor of the same type, made on the
trace device (meta or CPU), each use written down as a degradation. The stand-ins replace the names in
`torch.cuda` for the child's life (before the repository is imported, so `from torch.cuda import FloatTensor`
gets them too); the trace device is the one of the innermost CUDA mapping in force (degrade.cuda_mode), the CPU
outside any.
"""
from __future__ import annotations

import numbers

NAMES = ("FloatTensor", "DoubleTensor", "HalfTensor", "BFloat16Tensor", "ByteTensor", "CharTensor",
         "ShortTensor", "IntTensor", "LongTensor", "BoolTensor")
DEVICES: list[str] = []  # the trace devices of the CUDA mappings in force, innermost last
_NOTE = [lambda line: None]


def device() -> str:
    return DEVICES[-1] if DEVICES else "cpu"


class _LegacyCudaType(type):
    """The metaclass of the stand-ins: calling one makes a tensor, isinstance asks about dtype and device."""

    def __call__(cls, *args, **kwargs):
        tensor = _made(cls, args, kwargs)
        _NOTE[0](f"torch.cuda.{cls.__name__}(...), the legacy CUDA constructor, made its tensor on the trace "
                  f"device ({device()})")
        return tensor

    def __instancecheck__(cls, obj):  # "is it a CUDA float tensor": CUDA is the trace device here
        import torch

        return isinstance(obj, torch.Tensor) and obj.dtype == cls.dtype and obj.device.type == device()


def _sizes(args: tuple):
    """The sizes of the legacy sizes-only form (`T(2, 3)`, `T(torch.Size([2, 3]))`), or None for data."""
    import torch

    if len(args) == 1 and isinstance(args[0], torch.Size):
        return tuple(args[0])
    if all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in args):
        return tuple(int(a) for a in args)
    return None


def _made(cls, args: tuple, kwargs: dict):
    import torch

    where, dtype = device(), cls.dtype
    kwargs = {k: v for k, v in kwargs.items() if k != "device"}  # the device is the trace device
    sizes = _sizes(args)
    if sizes is not None and not kwargs:
        # uninitialised memory in the original: zeros on the CPU, so that no stray NaN steers the run
        return torch.empty(sizes, dtype=dtype, device=where) if where == "meta" else \
            torch.zeros(sizes, dtype=dtype, device=where)
    if len(args) == 1 and not kwargs and isinstance(args[0], torch.Tensor):
        return args[0].to(device=where, dtype=dtype)
    if len(args) == 1 and not kwargs and isinstance(args[0], (list, tuple)):  # data, as the old constructor
        return torch.tensor(args[0], dtype=dtype, device=where)
    return getattr(torch, cls.__name__)(*args, **kwargs).to(where)  # numpy arrays, storages: the CPU type's way


def converted(args: tuple, kwargs: dict, where: str):
    """`x.type(torch.cuda.FloatTensor)` or `x.type('torch.cuda.FloatTensor')` as the tensor of that dtype on the
    trace device; None when the call asks for no CUDA type."""
    import torch

    wanted = args[1] if len(args) > 1 else kwargs.get("dtype")
    if isinstance(wanted, str) and wanted.startswith("torch.cuda.") and wanted[len("torch.cuda."):] in NAMES:
        dtype = getattr(torch, wanted[len("torch.cuda."):]).dtype
    elif isinstance(wanted, _LegacyCudaType) or getattr(wanted, "is_cuda", False) is True and \
            getattr(wanted, "dtype", None) is not None:
        dtype = wanted.dtype
    else:
        return None
    _NOTE[0](f"a .type() to a CUDA tensor type ran on the trace device ({where})")
    return args[0].to(device=where, dtype=dtype)


def install(note) -> None:
    """Stand-ins for the ten typed constructors in torch.cuda (once; a CUDA build keeps its own)."""
    import torch

    _NOTE[0] = note
    if torch.cuda.is_available():
        return
    for name in NAMES:
        original = getattr(torch.cuda, name, None)
        if original is None or isinstance(original, _LegacyCudaType):
            continue
        setattr(torch.cuda, name, _LegacyCudaType(name, (), {
            "dtype": original.dtype, "is_cuda": True, "__module__": "torch.cuda",
            "__doc__": f"torch.cuda.{name} made on the trace device (legacy_cuda_types.py)"}))
