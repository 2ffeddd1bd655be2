"""Recording one forward pass as a graph of operations, for translation to another framework.

Modules of torch.nn (Linear, LSTM, Conv2d, ...) are recorded whole, with their hyperparameters; the
model's own modules are looked through: the torch functions and tensor methods their forward() calls
are recorded one by one (a TorchFunctionMode sees every one of them), each with the repository line
that made it and the module it ran in. The graph is plain data: values are numbered, every operation
lists the values it read (or literal arguments) and the values it made.
"""
from __future__ import annotations

import sys

import torch
import torch.nn as nn
from torch.overrides import TorchFunctionMode

# Operations that read only the dtype, device or shape of these arguments ("*": all of them), so that
# `mask.type_as(h)` or `torch.zeros_like(x)` stays a constant.
METADATA_ONLY = {"type_as": {1}, "to": {1, 2}, "zeros_like": "*", "ones_like": "*", "empty_like": "*",
                 "full_like": "*", "new_zeros": "*", "new_ones": "*", "new_full": "*", "new_empty": "*",
                 "new_tensor": "*"}
CONTAINERS = (nn.Sequential, nn.ModuleList, nn.ModuleDict, nn.ParameterList, nn.ParameterDict)
PLAIN = (bool, int, float, str, type(None))


def is_leaf(module: nn.Module) -> bool:
    """A torch.nn building block (recorded whole), as opposed to a container or the model's own code."""
    return type(module).__module__.startswith("torch.nn") and not isinstance(module, CONTAINERS)


def hyperparameters(module: nn.Module) -> dict:
    """The plain attributes a torch.nn module keeps (in_features, eps, kernel_size, batch_first, ...)."""
    found = {}
    for key, value in vars(module).items():
        if key.startswith("_") or key == "training":
            continue
        if isinstance(value, PLAIN):
            found[key] = value
        elif isinstance(value, (tuple, list, torch.Size)) and all(isinstance(v, PLAIN) for v in value):
            found[key] = list(value)
    return found


class Value:
    """A tensor seen during the forward.

    Attributes:
        id: its number in the graph.
        kind: "input", "param", "buffer", "const" (made without the inputs) or "op" (depends on them).
        name: the parameter or buffer name, or the forward() argument.
        params: parameter names a constant was computed from (a position table looked up, say).
        tensor: the tensor itself (kept alive, so that ids are never reused).
    """

    __slots__ = ("id", "kind", "name", "params", "tensor")

    def __init__(self, vid: int, kind: str, tensor, name: str = "", params=()):
        self.id, self.kind, self.tensor, self.name, self.params = vid, kind, tensor, name, tuple(params)

    @property
    def dynamic(self) -> bool:
        return self.kind in ("input", "op")


class OpGraph(TorchFunctionMode):
    """Records operations while active; module hooks mark where torch.nn modules start and end.

    Attributes:
        values: Value by number.
        ops: the operations in execution order (dicts, see `_record`).
        outputs: value numbers of the forward's result, in order, noted when the model itself returns.
    """

    def __init__(self, model: nn.Module, files):
        super().__init__()
        self.model, self.files = model, files
        self.values: list[Value] = []
        self.by_tensor: dict[int, Value] = {}
        self.ops: list[dict] = []
        self.outputs: list = []
        self.output_structure = None
        self.scope: list[str] = [""]
        self.leaf_depth = 0
        self.busy = False
        self._handles = []
        self._names = {}
        for name, p in model.named_parameters(remove_duplicate=False):
            self._names.setdefault(id(p), ("param", name))
        for name, b in model.named_buffers(remove_duplicate=False):
            self._names.setdefault(id(b), ("buffer", name))

    # ---- values -------------------------------------------------------------------------------
    def _new(self, tensor, kind: str, name: str = "", params=()) -> Value:
        value = Value(len(self.values), kind, tensor, name, params)
        self.values.append(value)
        self.by_tensor[id(tensor)] = value
        return value

    def value_of(self, tensor) -> Value:
        found = self.by_tensor.get(id(tensor))
        if found is not None and found.tensor is tensor:
            return found
        kind, name = self._names.get(id(tensor), ("const", ""))
        return self._new(tensor, kind, name, (name,) if kind == "param" else ())

    def add_input(self, name: str, tensor) -> None:
        self._new(tensor, "input", name)

    def _encode(self, arg, found: list):
        """Arguments as JSON: tensors become {"v": number}; the values read are collected in `found`."""
        if isinstance(arg, torch.Tensor):
            value = self.value_of(arg)
            found.append(value)
            return {"v": value.id}
        if isinstance(arg, PLAIN):
            if isinstance(arg, float) and arg != arg:
                return {"float": "nan"}
            if isinstance(arg, float) and arg in (float("inf"), float("-inf")):
                return {"float": "inf" if arg > 0 else "-inf"}
            return arg
        if isinstance(arg, slice):
            return {"slice": [self._encode(arg.start, found), self._encode(arg.stop, found),
                              self._encode(arg.step, found)]}
        if arg is Ellipsis:
            return {"ellipsis": True}
        if isinstance(arg, (tuple, list, torch.Size)):
            return [self._encode(a, found) for a in arg]
        if isinstance(arg, dict):
            return {"dict": {str(k): self._encode(v, found) for k, v in arg.items()}}
        if isinstance(arg, torch.dtype):
            return {"dtype": str(arg).replace("torch.", "")}
        if isinstance(arg, torch.device):
            return {"device": str(arg)}
        return {"object": type(arg).__name__}

    def _site(self):
        frame = sys._getframe(3)
        while frame is not None:
            if frame.f_code.co_filename in self.files:
                return frame.f_code.co_filename, frame.f_lineno
            frame = frame.f_back
        return None, 0

    def _record(self, op: str, args, kwargs, output, module: str = "", own_params=()) -> None:
        tensors = _flat_tensors(output)
        if not tensors:  # `x.shape`, `x.size()`, `.item()`: nothing to record, so nothing to encode
            return
        read: list[Value] = []
        encoded_args, data = [], []
        skip = METADATA_ONLY.get(op, ())
        for position, arg in enumerate(args):
            found: list[Value] = []
            encoded_args.append(self._encode(arg, found))
            read += found
            if skip != "*" and position not in skip:
                data += found
        found = []
        encoded_kwargs = self._encode(dict(kwargs), found)["dict"] if kwargs else {}
        read += found
        data += found if skip != "*" else []
        if all(not v.dynamic for v in data):
            params = sorted({p for v in read for p in v.params} | set(own_params))
            kind = "const"
        else:
            params, kind = (), "op"
        made = [self._new(t, kind, params=params) for t in tensors]
        file, line = self._site()
        self.ops.append({"op": op, "args": encoded_args, "kwargs": encoded_kwargs, "module": module,
                         "scope": self.scope[-1], "out": [v.id for v in made],
                         "shapes": [list(t.shape) for t in tensors],
                         "dtypes": [str(t.dtype).replace("torch.", "") for t in tensors],
                         "structure": _structure(output), "file": file, "line": line})

    # ---- the mode -----------------------------------------------------------------------------
    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        if self.busy or self.leaf_depth:
            return out
        self.busy = True
        try:
            name = getattr(func, "__name__", str(func))
            # `outputs[t] = h` returns None but changes `outputs`: recorded as making a new `outputs`
            made = args[0] if name == "__setitem__" and args and isinstance(args[0], torch.Tensor) else out
            self._record(name, args, kwargs, made)
        finally:
            self.busy = False
        return out

    # ---- module hooks -------------------------------------------------------------------------
    def _pre(self, name: str, leaf: bool):
        def hook(module, args, kwargs):
            if self.leaf_depth:
                if leaf:
                    self.leaf_depth += 1
                return
            if leaf:
                self.busy = True
                self._pending.append((args, kwargs))
                self.busy = False
                self.leaf_depth += 1
            else:
                self.scope.append(name)
        return hook

    def _post(self, name: str, leaf: bool):
        def hook(module, args, output):
            if leaf:
                self.leaf_depth -= 1
                if self.leaf_depth:
                    return
                self.busy = True
                try:
                    call_args, call_kwargs = self._pending.pop()
                    own = [f"{name}.{p}" for p, _ in module.named_parameters()]
                    self._record(type(module).__name__, call_args, call_kwargs, output, module=name, own_params=own)
                finally:
                    self.busy = False
            elif not self.leaf_depth and len(self.scope) > 1:
                self.scope.pop()
        return hook

    def __enter__(self):
        self._pending = []
        for name, module in self.model.named_modules():
            if not name:  # the model itself: its result is the graph's output
                self._handles.append(module.register_forward_hook(lambda _, args, output: self.finish(output)))
                continue
            leaf = is_leaf(module)
            self._handles.append(module.register_forward_pre_hook(self._pre(name, leaf), with_kwargs=True))
            self._handles.append(module.register_forward_hook(self._post(name, leaf)))
        return super().__enter__()

    def __exit__(self, *exc):
        for handle in self._handles:
            handle.remove()
        self._handles.clear()
        return super().__exit__(*exc)

    def finish(self, output) -> None:
        """Note the forward's result: its tensors, in order."""
        self.busy = True
        self.outputs = [self.value_of(t).id for t in _flat_tensors(output)]
        self.output_structure = _structure(output)
        self.busy = False

    def to_json(self) -> dict:
        return {"values": [{"id": v.id, "kind": v.kind, "name": v.name, "params": list(v.params),
                            "shape": list(v.tensor.shape), "dtype": str(v.tensor.dtype).replace("torch.", "")}
                           for v in self.values],
                "ops": self.ops, "outputs": self.outputs, "output_structure": self.output_structure}


def _flat_tensors(value, depth: int = 0) -> list:
    if isinstance(value, torch.Tensor):
        return [value]
    if depth < 4 and isinstance(value, (tuple, list)):
        return [t for item in value for t in _flat_tensors(item, depth + 1)]
    if depth < 4 and isinstance(value, dict):
        return [t for item in value.values() for t in _flat_tensors(item, depth + 1)]
    return []


def _structure(value, depth: int = 0):
    """The shape of a result with tensors as "T": ["T", ["T", "T"]] for an LSTM's (out, (h, c))."""
    if isinstance(value, torch.Tensor):
        return "T"
    if depth < 4 and isinstance(value, (tuple, list)):
        return [_structure(v, depth + 1) for v in value]
    if depth < 4 and isinstance(value, dict):
        return {str(k): _structure(v, depth + 1) for k, v in value.items()}
    return None
