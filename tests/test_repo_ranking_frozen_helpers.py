"""A model the training run builds only to load and freeze (a distillation teacher, a loss's frozen network)
must not win the main-model ranking over the model the run trains, while an evaluation script's one loaded
model and a GAN's two trained networks keep their credit (issue 11)."""
from __future__ import annotations

import textwrap
from pathlib import Path

from ranking_repos import BLOCK, REPOS
from reader_app.repo import scan_repo

BUILT = "the training or main script builds it"

# A big model with a zoo of factories and a README that talks about it: on structure alone it outranks the
# small model the distillation run trains.
BIG_MODEL = "import torch.nn as nn\n\n" + BLOCK + textwrap.dedent('''

    class Bottleneck(nn.Module):
        def __init__(self, width):
            super().__init__()
            self.a = nn.Conv2d(width, width // 2, 1)
            self.b = nn.Conv2d(width // 2, width, 1)

        def forward(self, x):
            return x + self.b(self.a(x))


    class DeepNet(nn.Module):
        def __init__(self, block, depth, width=64, num_classes=10):
            super().__init__()
            self.stem = nn.Conv2d(3, width, 3, padding=1)
            self.stage1 = nn.Sequential(*[block(width) for _ in range(depth)])
            self.stage2 = nn.Sequential(*[block(width) for _ in range(depth)])
            self.norm = nn.BatchNorm2d(width)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.head = nn.Linear(width, num_classes)

        def forward(self, x):
            x = self.stage2(self.stage1(self.stem(x)))
            return self.head(self.pool(self.norm(x)).flatten(1))


    def deepnet18():
        return DeepNet(Block, 2)


    def deepnet34():
        return DeepNet(Block, 4)


    def deepnet50():
        return DeepNet(Bottleneck, 4)


    def deepnet101():
        return DeepNet(Bottleneck, 8)
''')

SMALL_MODEL = textwrap.dedent('''
    import torch.nn as nn


    class SmallNet(nn.Module):
        def __init__(self, channels=16, num_classes=10):
            super().__init__()
            self.conv = nn.Conv2d(3, channels, 3, padding=1)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(channels, num_classes)

        def forward(self, x):
            return self.fc(self.pool(self.conv(x)).flatten(1))
''')

README = textwrap.dedent('''
    # Compressing DeepNet

    We distill DeepNet (DeepNet-34 by default; DeepNet-18, DeepNet-50 and DeepNet-101 also work) into a small
    network. Pretrain a DeepNet checkpoint, then run `python train.py --ckpt deepnet.pth`.
''')

# Loading and freezing happen in the repository's own helpers, training through a function handed the
# optimizer: the script's structure, not its variable names, tells the two models apart.
UTILS = textwrap.dedent('''
    import torch


    def load_checkpoint(path, net):
        net.load_state_dict(torch.load(path)["state_dict"])


    def freeze(net):
        for p in net.parameters():
            p.requires_grad = False
''')

DISTILL_TRAIN = textwrap.dedent('''
    import argparse

    import torch
    import torch.nn.functional as F
    import torch.optim as optim

    import utils
    from models import deep, small


    def fit(net, reference, loader, optimizer):
        net.train()
        reference.eval()
        for x, y in loader:
            with torch.no_grad():
                soft = reference(x)
            out = net(x)
            loss = F.cross_entropy(out, y) + F.kl_div(F.log_softmax(out, 1), F.softmax(soft, 1))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


    if __name__ == "__main__":
        parser = argparse.ArgumentParser()
        parser.add_argument("--ckpt", default="deepnet.pth")
        parser.add_argument("--lr", type=float, default=0.1)
        args = parser.parse_args()
        net = small.SmallNet(16)
        reference = deep.deepnet34()
        utils.load_checkpoint(args.ckpt, reference)
        utils.freeze(reference)
        model = torch.nn.DataParallel(net)  # the optimizer sees the trained model through its wrapper
        optimizer = optim.SGD(model.parameters(), lr=args.lr)
        fit(model, reference, [], optimizer)
''')

# The same repository's script that pretrains the big model: there the big model is what the run trains.
PRETRAIN = textwrap.dedent('''
    import torch.optim as optim

    from models import deep

    if __name__ == "__main__":
        model = deep.deepnet34()
        optimizer = optim.Adam(model.parameters(), lr=1e-3)
        for x, y in []:
            optimizer.zero_grad()
            model(x).sum().backward()
            optimizer.step()
''')

# An evaluation script: its one model is loaded and evaluated, and nothing is trained beside it.
EVALUATE = textwrap.dedent('''
    import argparse

    import torch

    from models import deep

    if __name__ == "__main__":
        parser = argparse.ArgumentParser()
        parser.add_argument("--ckpt", default="deepnet.pth")
        args = parser.parse_args()
        model = deep.deepnet34()
        model.load_state_dict(torch.load(args.ckpt))
        model.eval()
        with torch.no_grad():
            for x, y in []:
                print((model(x).argmax(1) == y).float().mean())
''')

# A GAN (the ranking tests' generator and adversary): both get an optimizer; the generator loads a checkpoint to
# resume and the adversary is put in eval mode for a moment, yet both are what the run trains.
GAN = REPOS["gan_peers"][0]()["main.py"].split("\nnetD = ")[0] + textwrap.dedent('''
    import torch.optim as optim

    if __name__ == "__main__":
        netG = Generator(1)
        netD = Discriminator(1)
        netG.load_state_dict(torch.load("netG.pth"))
        netD.eval()
        optimizerD = optim.Adam(netD.parameters(), lr=2e-4)
        optimizerG = optim.Adam(netG.parameters(), lr=2e-4)
        for real in []:
            fake = netG(torch.randn(4, 10, 1, 1))
            lossD = netD(real).mean() - netD(fake.detach()).mean()
            optimizerD.zero_grad()
            lossD.backward()
            optimizerD.step()
            lossG = -netD(fake).mean()
            optimizerG.zero_grad()
            lossG.backward()
            optimizerG.step()
''')


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _distillation(root: Path, **extra: str) -> Path:
    return _write(root, {"README.md": README, "models/__init__.py": "", "models/deep.py": BIG_MODEL,
                         "models/small.py": SMALL_MODEL, "utils.py": UTILS, "train.py": DISTILL_TRAIN, **extra})


def test_the_model_a_distillation_run_trains_outranks_the_frozen_model_it_learns_from(tmp_path):
    info = scan_repo(_distillation(tmp_path / "distill"))
    assert (info.main.file, info.main.name) == ("models/small.py", "SmallNet"), info.main.reasons
    assert BUILT in info.main.reasons
    helper = info.model_named("DeepNet")
    assert BUILT not in helper.reasons
    # the reader is told why the bigger, better-described model came second
    assert any(r.startswith("train.py:") and "builds it as `reference`, only loaded from a checkpoint, frozen for "
               "evaluation and never optimized, beside SmallNet, which the script trains" in r
               for r in helper.reasons), helper.reasons


# The same run with the helper frozen as it is built and never loaded (a randomly initialised target network,
# a loss network that loads its own weights inside).
FROZEN_AT_BUILD = DISTILL_TRAIN.replace("reference = deep.deepnet34()", "reference = deep.deepnet34().eval()") \
    .replace("    utils.load_checkpoint(args.ckpt, reference)\n    utils.freeze(reference)\n", "") \
    .replace("    reference.eval()\n", "")


def test_a_model_frozen_as_it_is_built_is_a_helper_too(tmp_path):
    assert FROZEN_AT_BUILD.count("reference.eval()") == 0 and "utils.freeze(" not in FROZEN_AT_BUILD
    info = scan_repo(_distillation(tmp_path / "distill", **{"train.py": FROZEN_AT_BUILD}))
    assert (info.main.file, info.main.name) == ("models/small.py", "SmallNet"), info.main.reasons
    assert any("builds it as `reference`, only frozen for evaluation and never optimized" in r
               for r in info.model_named("DeepNet").reasons)


def test_a_model_another_script_trains_keeps_its_credit_there(tmp_path):
    info = scan_repo(_distillation(tmp_path / "distill", **{"pretrain.py": PRETRAIN}))
    assert BUILT in info.model_named("DeepNet").reasons
    assert BUILT in info.model_named("SmallNet").reasons


def test_an_evaluation_script_that_loads_its_one_model_still_builds_it(tmp_path):
    root = _write(tmp_path / "evalonly", {"README.md": README, "models/__init__.py": "", "models/deep.py": BIG_MODEL,
                                          "models/small.py": SMALL_MODEL, "evaluate.py": EVALUATE})
    info = scan_repo(root)
    assert (info.main.file, info.main.name) == ("models/deep.py", "DeepNet"), info.main.reasons
    assert BUILT in info.main.reasons
    assert not any("a helper of the run" in r for m in info.models for r in m.reasons)


def test_both_networks_a_gan_trains_keep_their_credit(tmp_path):
    info = scan_repo(_write(tmp_path / "gan", {"main.py": GAN}))
    assert info.main.name == "Generator", info.main.reasons
    for name in ("Generator", "Discriminator"):
        reasons = info.model_named(name).reasons
        assert BUILT in reasons and not any("a helper of the run" in r for r in reasons), reasons
