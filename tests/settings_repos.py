"""Generated repositories whose model takes one settings object the repository states in its own code
(values_settings.py): a module-level `params = AttrDict(...)` imported by a package's `__main__` and handed through
a trainer function, an hparams factory (`create_hparams()` returning `HParams(...)`), and a dot-access class of the
repository wrapping `dict(...)`, imported under another name and handed through a builder function."""
from __future__ import annotations

ATTRDICT_REPO = {
    "README.md": "# Denoiser\n\nTrain with `python -m wavenet /path/to/model_dir /path/to/wavs`.\n",
    "src/wavenet/__init__.py": "",
    "src/wavenet/params.py": """\
        import numpy as np


        class AttrDict(dict):
            def __init__(self, *args, **kwargs):
                super(AttrDict, self).__init__(*args, **kwargs)
                self.__dict__ = self


        params = AttrDict(
            batch_size=16,
            n_mels=40,
            residual_layers=3,
            residual_channels=24,
            unconditional=False,
            noise_schedule=np.linspace(1e-4, 0.05, 20).tolist(),
        )
        """,
    "src/wavenet/model.py": """\
        import torch.nn as nn


        class Upsampler(nn.Module):
            def __init__(self, n_mels, channels):
                super().__init__()
                self.proj = nn.Conv1d(n_mels, channels, 1)

            def forward(self, x):
                return self.proj(x)


        class Block(nn.Module):
            def __init__(self, channels):
                super().__init__()
                self.conv = nn.Conv1d(channels, channels, 3, padding=1)

            def forward(self, x, conditioner):
                y = self.conv(x)
                if conditioner is not None:
                    y = y + conditioner
                return y


        class Denoiser(nn.Module):
            def __init__(self, params):
                super().__init__()
                self.params = params
                self.input_projection = nn.Conv1d(1, params.residual_channels, 1)
                self.step_embedding = nn.Embedding(len(params.noise_schedule), params.residual_channels)
                if params.unconditional:
                    self.upsampler = None
                else:
                    self.upsampler = Upsampler(params.n_mels, params.residual_channels)
                self.layers = nn.ModuleList([Block(params.residual_channels) for _ in range(params.residual_layers)])
                self.output_projection = nn.Conv1d(params.residual_channels, 1, 1)

            def forward(self, audio, conditioner=None):
                assert (conditioner is None and self.upsampler is None) or \\
                       (conditioner is not None and self.upsampler is not None)
                x = self.input_projection(audio.unsqueeze(1))
                if self.upsampler:
                    conditioner = self.upsampler(conditioner)
                for layer in self.layers:
                    x = layer(x, conditioner)
                return self.output_projection(x)
        """,
    "src/wavenet/learner.py": """\
        import torch
        from wavenet.model import Denoiser


        def train(args, params):
            model = Denoiser(params)
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            return model, opt
        """,
    "src/wavenet/__main__.py": """\
        from argparse import ArgumentParser
        from wavenet.learner import train
        from wavenet.params import params


        def main(args):
            train(args, params)


        if __name__ == '__main__':
            parser = ArgumentParser()
            parser.add_argument('model_dir')
            main(parser.parse_args())
        """,
}

FACTORY_REPO = {
    "README.md": "# Speech\n\nTrain with `python train.py --output_directory=outdir`.\n",
    "text.py": "symbols = list(open('symbols.txt').read())\n",
    "hparams.py": """\
        from text import symbols


        class HParams(object):
            def __init__(self, **kwargs):
                self.__dict__.update(kwargs)

            def parse(self, text):
                return self


        def create_hparams(hparams_string=None):
            hparams = HParams(
                epochs=500,
                n_symbols=len(symbols),
                symbols_embedding_dim=48,
                n_mel_channels=20,
                encoder_kernel_size=5,
            )
            if hparams_string:
                hparams.parse(hparams_string)
            return hparams
        """,
    "model.py": """\
        import torch.nn as nn


        class Speller(nn.Module):
            def __init__(self, hparams):
                super().__init__()
                self.embedding = nn.Embedding(hparams.n_symbols, hparams.symbols_embedding_dim)
                self.conv = nn.Conv1d(hparams.symbols_embedding_dim, hparams.n_mel_channels,
                                      hparams.encoder_kernel_size, padding=hparams.encoder_kernel_size // 2)

            def forward(self, text):
                return self.conv(self.embedding(text).transpose(1, 2))
        """,
    "train.py": """\
        import argparse
        from hparams import create_hparams
        from model import Speller


        def load_model(hparams):
            return Speller(hparams)


        def train(output_directory, hparams):
            model = load_model(hparams)
            return model


        if __name__ == '__main__':
            parser = argparse.ArgumentParser()
            parser.add_argument('--output_directory', type=str)
            parser.add_argument('--hparams', type=str, required=False)
            args = parser.parse_args()
            hparams = create_hparams(args.hparams)
            train(args.output_directory, hparams)
        """,
}

DOTTED_REPO = {
    "README.md": "# Classifier\n\n`python run.py`\n",
    "settings.py": """\
        class Dotted(dict):
            __getattr__ = dict.__getitem__


        cfg = Dotted(dict(hidden=32, depth=2, classes=7))
        """,
    "nets.py": """\
        import torch.nn as nn


        class Classifier(nn.Module):
            def __init__(self, cfg):
                super().__init__()
                self.body = nn.Sequential(*[nn.Linear(cfg.hidden, cfg.hidden) for _ in range(cfg.depth)])
                self.head = nn.Linear(cfg.hidden, cfg.classes)

            def forward(self, x):
                return self.head(self.body(x))
        """,
    "run.py": """\
        from settings import cfg as options
        from nets import Classifier


        def build(cfg):
            return Classifier(cfg)


        def main():
            model = build(options)
            return model


        if __name__ == '__main__':
            main()
        """,
}
