"""OLD CODE'S TYPED CUDA CONSTRUCTORS (issue 11, old code on new torch): research code of the torch 0.x era makes
tensors with `torch.cuda.FloatTensor(b, c, h, w).fill_(0)` (a zero-padded shortcut in forward), keeps index
tables made with `torch.cuda.LongTensor(...)` in __init__ and casts with `x.type(torch.cuda.FloatTensor)`. On a
torch without CUDA each stops the trace ("type torch.cuda.FloatTensor not available"); like `.cuda()`, they are
answered on the trace device and listed as degradations. The repository is generated here."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_cli, write_tree as write

PADDED_REPO = {
    "net.py": """
    import torch
    import torch.nn as nn
    from torch.autograd import Variable


    class Block(nn.Module):
        def __init__(self, inplanes, planes):
            super(Block, self).__init__()
            self.conv = nn.Conv2d(inplanes, planes, 3, padding=1)

        def forward(self, x):
            out = self.conv(x)
            b, c, h, w = out.size()
            # the shortcut has fewer channels: zeros padded on, made where the old code ran (a GPU)
            padding = Variable(torch.cuda.FloatTensor(b, c - x.size(1), h, w).fill_(0))
            return out + torch.cat((x, padding), 1)


    class PyramidLike(nn.Module):
        def __init__(self, widths=(8, 12, 20), classes=10):
            super(PyramidLike, self).__init__()
            self.stem = nn.Conv2d(3, widths[0], 3, padding=1)
            self.blocks = nn.Sequential(*[Block(a, b) for a, b in zip(widths, widths[1:])])
            self.register_buffer("order", torch.cuda.LongTensor(list(range(widths[-1]))[::-1]))
            self.fc = nn.Linear(widths[-1], classes)

        def forward(self, x):
            x = self.blocks(self.stem(x))
            x = x.index_select(1, self.order).type(torch.cuda.FloatTensor)
            return self.fc(x.mean(3).mean(2))
    """,
    "train.py": """
    from net import PyramidLike

    model = PyramidLike().cuda()
    """,
}


@pytest.mark.slow
def test_legacy_cuda_constructors_run_on_the_trace_device_and_are_listed(tmp_path):
    root = write(tmp_path / "repo", PADDED_REPO)
    code, data, err = trace_cli(root, "--no-lines", "--input", "x=2,3,16,16")
    assert code == 0, err
    assert data["error"] is None, data["error"]
    outs = first_outs(data)
    assert outs["blocks.0"] == [2, 12, 16, 16] and outs["blocks.1"] == [2, 20, 16, 16]
    assert outs["fc"] == [2, 10]
    degraded = " ".join(data["degraded"])
    assert "torch.cuda.FloatTensor(...)" in degraded and "torch.cuda.LongTensor(...)" in degraded
    assert ".type() to a CUDA tensor type" in degraded
