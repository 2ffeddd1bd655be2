"""Issue 11, the Lightning kind: the repository's model IS a LightningModule (`class LitNet(pl.LightningModule)`,
`lightning.pytorch`, `lightning.LightningModule`) with its layers in `__init__` and its data flow in forward,
and Lightning is not installed where it is traced. Lightning's module API is a thin layer over nn.Module,
so its base is stood in: `save_hyperparameters()` fills `hparams` from the constructor's arguments (the
layers are sized from them), `log` says nothing, `device` follows the weights, and `example_input_array`,
which the model builds from its own arguments, is the input the trace feeds. Zero-config, as a user runs it.
"""
from __future__ import annotations


import pytest
from tree_helpers import first_outs as _outs, trace_repos

# pytorch_lightning, hparams sizing the layers, an example input built from the constructor's arguments.
CLASSIFIER = {
    "requirements.txt": "pytorch-lightning>=2.0\n",
    "models/__init__.py": "",
    "models/lit.py": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        import pytorch_lightning as pl


        class LitClassifier(pl.LightningModule):
            def __init__(self, in_channels=3, hidden=24, num_classes=7, image_size=20, lr=1e-3):
                super().__init__()
                self.save_hyperparameters()
                self.conv = nn.Conv2d(self.hparams.in_channels, self.hparams.hidden, 3, padding=1)
                self.head = nn.Linear(self.hparams.hidden, self.hparams.num_classes)
                self.example_input_array = torch.zeros(2, in_channels, image_size, image_size)

            def forward(self, x):
                h = F.relu(self.conv(x)) + torch.zeros(1, device=self.device)
                self.log("mean_activation", h.mean())
                return self.head(h.mean(dim=(2, 3)))

            def training_step(self, batch, batch_idx):
                x, y = batch
                loss = F.cross_entropy(self(x), y)
                self.log("train_loss", loss)
                return loss

            def configure_optimizers(self):
                return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        """,
    "train.py": """
        import pytorch_lightning as pl

        from models.lit import LitClassifier

        if __name__ == "__main__":
            pl.Trainer(max_epochs=1).fit(LitClassifier())
        """,
}

# lightning.pytorch, hyperparameters saved by name (the **kwargs left out), no example input: guessed.
LANGUAGE_MODEL = {
    "lm.py": """
        import torch.nn as nn
        from lightning.pytorch import LightningModule


        class LitLM(LightningModule):
            def __init__(self, vocab_size=50, dim=12, **kwargs):
                super().__init__()
                self.save_hyperparameters("vocab_size", "dim")
                self.embed = nn.Embedding(self.hparams.vocab_size, self.hparams.dim)
                self.out = nn.Linear(self.hparams.dim, self.hparams.vocab_size)

            def forward(self, tokens):
                return self.out(self.embed(tokens))
        """,
}

# `import lightning as L` and no forward(): the training step runs the network the module holds.
NO_FORWARD = {
    "task.py": """
        import lightning as L
        import torch.nn as nn


        class Regressor(nn.Module):
            def __init__(self, features=9):
                super().__init__()
                self.fc = nn.Linear(features, 3)

            def forward(self, x):
                return self.fc(x)


        class LitRegression(L.LightningModule):
            def __init__(self, features=9):
                super().__init__()
                self.save_hyperparameters()
                self.net = Regressor(features)

            def training_step(self, batch, batch_idx):
                x, y = batch
                return ((self.net(x) - y) ** 2).mean()
        """,
}

REPOS = {"classifier": CLASSIFIER, "language_model": LANGUAGE_MODEL, "no_forward": NO_FORWARD}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("lightning_missing")
    return trace_repos(base, REPOS, "--no-lines", env={"READER_APP_MODEL_LIBRARIES": ""})




def test_a_lightning_module_traces_with_layers_sized_from_its_hparams_on_its_own_example(traced):
    code, data, err = traced["classifier"]
    assert code == 0, err
    assert data["file"] == "models/lit.py" and data["class"] == "LitClassifier" and data["reached_output"]
    # the input is the model's own example_input_array, and the report says where it is set
    assert data["inputs"][0]["shape"] == [2, 3, 20, 20] and data["inputs"][0]["from"] == "models/lit.py:14"
    outs = _outs(data)
    assert outs["conv"] == [2, 24, 20, 20] and outs["head"] == [2, 7]  # hidden=24, num_classes=7 via hparams
    assert any("LitClassifier's base class LightningModule stood in" in line and "training hooks not run" in line
               for line in data["degraded"])
    # Lightning was needed (its base): never called "not used" or "not needed"
    assert not any("pytorch_lightning" in line and "not used" in line for line in data["degraded"])
    assert not any("not needed" in line and "pytorch_lightning" in line for line in data["warnings"])


def test_hyperparameters_saved_by_name_size_the_layers_of_a_lightning_pytorch_module(traced):
    code, data, err = traced["language_model"]
    assert code == 0, err
    assert data["class"] == "LitLM" and data["inputs"][0]["dtype"] == "int64"
    outs = _outs(data)
    assert outs["embed"][-1] == 12 and outs["out"][-1] == 50
    assert any("package 'lightning' missing: LitLM's base class LightningModule stood in" in line
               for line in data["degraded"])


def test_a_lightning_module_without_forward_traces_the_network_it_holds(traced):
    code, data, err = traced["no_forward"]
    assert code == 0, err
    assert data["class"] == "LitRegression"
    outs = _outs(data)
    assert outs["net.fc"][-1] == 3 and outs["net"][-1] == 3
