"""A training harness is not the model (issue 11, "a Lightning experiment"): a LightningModule with the training
loop's hooks builds the repository's networks itself (`self.coarse = Field()`, `self.fine = Field()`) and the
training script builds only the harness. The network it builds is the main model, and the harness is shown with
the reason. A LightningModule that defines its own layers (no network of the repository inside) stays the model.
Each repository is generated here."""
from __future__ import annotations

from tree_helpers import write_tree as write

from reader_app.repo import scan_repo

NETWORK = """
import torch
import torch.nn as nn


class Field(nn.Module):
    def __init__(self, depth=8, width=256, in_xyz=63, in_dir=27):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(in_xyz if i == 0 else width, width) for i in range(depth)])
        self.rgb = nn.Sequential(nn.Linear(width + in_dir, width // 2), nn.ReLU(), nn.Linear(width // 2, 3))
        self.sigma = nn.Linear(width, 1)

    def forward(self, x):
        xyz, d = torch.split(x, [63, 27], dim=-1)
        for layer in self.layers:
            xyz = torch.relu(layer(xyz))
        return torch.cat([self.rgb(torch.cat([xyz, d], -1)), self.sigma(xyz)], -1)


class Embedding(nn.Module):
    def __init__(self, channels, freqs):
        super().__init__()
        self.freqs = freqs

    def forward(self, x):
        return torch.cat([x] + [torch.sin(2 ** k * x) for k in range(self.freqs)], -1)
"""

HARNESS = """
import torch
import torch.nn as nn
from pytorch_lightning import LightningModule, Trainer
from models.field import Field, Embedding


class FieldSystem(LightningModule):
    def __init__(self, hparams):
        super().__init__()
        self.embed_xyz = Embedding(3, 10)
        self.embed_dir = Embedding(3, 4)
        self.coarse = Field()
        self.fine = Field()
        self.loss = nn.MSELoss()

    def forward(self, rays):
        return self.fine(self.coarse(rays))

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters())

    def train_dataloader(self):
        return []

    def training_step(self, batch, batch_nb):
        return self.loss(self(batch), batch)


if __name__ == "__main__":
    system = FieldSystem({})
    Trainer(max_epochs=16).fit(system)
"""

SELF_CONTAINED = """
import torch
import torch.nn as nn
from pytorch_lightning import LightningModule, Trainer


class Classifier(LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(27, 64), nn.ReLU(), nn.Linear(64, 10))

    def forward(self, x):
        return self.net(x)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters())

    def training_step(self, batch, batch_nb):
        return self(batch).sum()


if __name__ == "__main__":
    Trainer().fit(Classifier())
"""


def test_the_network_a_training_harness_builds_is_the_main_model(tmp_path):
    write(tmp_path, {"models/__init__.py": "", "models/field.py": NETWORK, "train.py": HARNESS})
    info = scan_repo(str(tmp_path))
    assert (info.main.name, info.main.file) == ("Field", "models/field.py")
    harness = info.model_named("FieldSystem")
    assert any("training harness" in reason for reason in harness.reasons)


def test_a_lightning_module_with_its_own_layers_stays_the_model(tmp_path):
    write(tmp_path, {"train.py": SELF_CONTAINED})
    info = scan_repo(str(tmp_path))
    assert info.main.name == "Classifier"
    assert not any("training harness" in reason for reason in info.main.reasons)
