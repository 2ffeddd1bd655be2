"""Generated repositories whose model is made inside a builder function (issue 11, constructor values): the
caller states the builder's parameters, the builder makes a config from them and then sets a field the app
cannot know offline (a tokenizer's size, a dataset's class count) over a sentinel default the model refuses.
Used by tests/test_trace_builder_functions.py and tests/test_repo_values_builders.py."""
from __future__ import annotations

# a. A static `build` method of a generation wrapper, called in `__main__` with keywords (one from a name the
# script computes, one `len()` of a stated list); the config also takes `**params` read from a downloaded
# params.json that is not in the repository; `vocab_size` keeps a -1 sentinel until the tokenizer is loaded,
# and the model asserts it was set. forward() takes one token at a time at an int position (a KV cache).
STATIC_BUILD = {
    "model.py": """
    from dataclasses import dataclass
    from typing import Optional

    import torch
    import torch.nn as nn


    @dataclass
    class LMArgs:
        dim: int = 64
        n_layers: int = 2
        vocab_size: int = -1  # set in the build method
        max_batch_size: int = 8
        max_seq_len: int = 128
        device: Optional[str] = None


    class Block(nn.Module):
        def __init__(self, args: LMArgs):
            super().__init__()
            self.proj = nn.Linear(args.dim, args.dim)
            self.cache = torch.zeros(args.max_batch_size, args.max_seq_len, args.dim)

        def forward(self, h, start_pos):
            b, n, _ = h.shape
            self.cache[:b, start_pos:start_pos + n] = h.detach()
            return h + self.proj(self.cache[:b, :start_pos + n].mean(1, keepdim=True))


    class TinyLM(nn.Module):
        def __init__(self, args: LMArgs):
            super().__init__()
            assert args.vocab_size != -1, "vocab size must be set"
            self.embed = nn.Embedding(args.vocab_size, args.dim)
            self.blocks = nn.ModuleList([Block(args) for _ in range(args.n_layers)])
            self.out = nn.Linear(args.dim, args.vocab_size, bias=False)

        def forward(self, tokens: torch.Tensor, start_pos: int):
            batch_size, seq_len = tokens.shape
            assert seq_len == 1, "one token at a time"
            h = self.embed(tokens)
            for block in self.blocks:
                h = block(h, start_pos)
            return self.out(h)
    """,
    "generate.py": """
    import json
    from pathlib import Path

    import torch
    from sentencepiece import SentencePieceProcessor

    from model import LMArgs, TinyLM


    class Generator:
        def __init__(self, model, tokenizer):
            self.model, self.tokenizer = model, tokenizer

        @staticmethod
        def build(ckpt_dir: str, tokenizer_path: str, dim: int, max_seq_len: int, max_batch_size: int,
                  device: str, extra: dict = None):
            if extra is None:
                extra = {}
            with open(Path(ckpt_dir) / "params.json") as f:
                params = json.loads(f.read())
            args: LMArgs = LMArgs(dim=dim, max_seq_len=max_seq_len, max_batch_size=max_batch_size,
                                  device=device, **params, **extra)
            tokenizer = SentencePieceProcessor()
            tokenizer.load(tokenizer_path)
            args.vocab_size = tokenizer.vocab_size()
            model = TinyLM(args).to(device)
            return Generator(model, tokenizer)


    if __name__ == "__main__":
        device = "cpu"
        prompts = ["a", "b", "c"]
        gen = Generator.build(
            ckpt_dir="weights/",
            tokenizer_path="tokenizer.model",
            dim=48,
            max_seq_len=96,
            max_batch_size=len(prompts),
            device=device,
        )
    """}

# b. A module-level `load_model(width, ...)` in the training script, called with an argparse default; the config
# class is a plain class whose `num_classes` defaults to None, set with setattr() from the dataset; the model
# raises when it is None.
FUNCTION_BUILD = {
    "nets/__init__.py": "",
    "nets/classifier.py": """
    import torch.nn as nn


    class ClassifierConfig:
        def __init__(self, in_dim=16, width=32, num_classes=None):
            self.in_dim, self.width, self.num_classes = in_dim, width, num_classes


    class Classifier(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            if cfg.num_classes is None:
                raise ValueError("num_classes is set from the dataset")
            self.body = nn.Sequential(nn.Linear(cfg.in_dim, cfg.width), nn.ReLU())
            self.head = nn.Linear(cfg.width, cfg.num_classes)

        def forward(self, x):
            return self.head(self.body(x))
    """,
    "train.py": """
    import argparse

    from datasets import load_dataset

    from nets.classifier import Classifier, ClassifierConfig


    def load_model(width, in_dim=12, dataset=None):
        cfg = ClassifierConfig(in_dim=in_dim, width=width)
        setattr(cfg, "num_classes", len(dataset.classes))
        return Classifier(cfg)


    if __name__ == "__main__":
        parser = argparse.ArgumentParser()
        parser.add_argument("--width", type=int, default=40)
        args = parser.parse_args()
        data = load_dataset("some/dataset")
        model = load_model(args.width, dataset=data)
    """}

# c. A builder that computes a field from its own parameter after making the config (stated: evaluated), and a
# config whose `n_classes` default 0 is set nowhere while the model asserts it is positive.
COMPUTED_FIELD = {
    "model.py": """
    from dataclasses import dataclass

    import torch.nn as nn


    @dataclass
    class MLPConfig:
        in_dim: int = 16
        hidden: int = 32
        n_classes: int = 0  # from the dataset


    class MLP(nn.Module):
        def __init__(self, cfg: MLPConfig):
            super().__init__()
            assert cfg.n_classes > 0, "set n_classes"
            self.body = nn.Linear(cfg.in_dim, cfg.hidden)
            self.head = nn.Linear(cfg.hidden, cfg.n_classes)

        def forward(self, x):
            return self.head(self.body(x).relu())
    """,
    "run.py": """
    from model import MLP, MLPConfig


    def create(in_dim, width=8):
        cfg = MLPConfig(in_dim=in_dim)
        cfg.hidden = width * 3
        return MLP(cfg)


    if __name__ == "__main__":
        model = create(20, width=7)
    """}

# d. A classmethod builder on the model class itself, `return cls(cfg)`, called by the training script with
# keywords; the class count comes from a label file read at run time. A classmethod nobody calls (`tiny`) is a
# variant: its values are not the run's.
CLASSMETHOD_BUILD = {
    "net.py": """
    from dataclasses import dataclass

    import torch.nn as nn


    @dataclass
    class NetConfig:
        in_dim: int = 16
        dim: int = 32
        n_classes: int = -1


    class Net(nn.Module):
        def __init__(self, cfg: NetConfig):
            super().__init__()
            assert cfg.n_classes != -1, "n_classes is read from the label file"
            self.body = nn.Linear(cfg.in_dim, cfg.dim)
            self.head = nn.Linear(cfg.dim, cfg.n_classes)

        def forward(self, x):
            return self.head(self.body(x).tanh())

        @classmethod
        def build(cls, dim, label_file, in_dim=16):
            cfg = NetConfig(in_dim=in_dim, dim=dim)
            with open(label_file) as f:
                cfg.n_classes = len(f.read().split())
            return cls(cfg)

        @classmethod
        def tiny(cls):
            return cls(NetConfig(in_dim=4, dim=8, n_classes=3))
    """,
    "train.py": """
    from net import Net

    if __name__ == "__main__":
        model = Net.build(dim=56, label_file="labels.txt", in_dim=24)
    """}

# e. Sizes only the data knows, handed to the config where it is made: a dataclass whose sizes default to None
# or to a -1 "set later" that nothing asserts,
# a training script that reads them from its dataset object (`vocab_size = train_set.vocab_size()`) and passes
# them with options; one field keeps a real default when the script passes a run's value (`dropout`), because
# the author's default stands for what only a run knows, unlike None.
DATA_SIZES = {
    "charlm.py": """
    import argparse
    from dataclasses import dataclass

    import torch
    import torch.nn as nn


    @dataclass
    class LMConfig:
        block_size: int = None
        vocab_size: int = -1  # set once the data is read; nothing asserts it
        n_embd: int = 32
        dropout: float = 0.25


    class CharLM(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.wte = nn.Embedding(config.vocab_size, config.n_embd)
            self.wpe = nn.Embedding(config.block_size, config.n_embd)
            self.drop = nn.Dropout(config.dropout)
            self.head = nn.Linear(config.n_embd, config.vocab_size)

        def forward(self, idx):
            pos = torch.arange(idx.size(1), device=idx.device)
            return self.head(self.drop(self.wte(idx) + self.wpe(pos)))


    class Words:
        def __init__(self, path):
            self.words = open(path).read().split()

        def vocab_size(self):
            return len(set("".join(self.words))) + 1

        def longest(self):
            return max(len(w) for w in self.words) + 1


    if __name__ == '__main__':
        parser = argparse.ArgumentParser()
        parser.add_argument('--input', type=str, default='names.txt')
        parser.add_argument('--n-embd', type=int, default=48)
        args = parser.parse_args()
        train_set = Words(args.input)
        vocab_size = train_set.vocab_size()
        block_size = train_set.longest()
        config = LMConfig(vocab_size=vocab_size, block_size=block_size, n_embd=args.n_embd,
                          dropout=float(open('dropout.txt').read()))
        model = CharLM(config)
    """,
}
