"""Generated repositories whose run picks its model, and values, by the branch a parsed option's default takes,
written where tests/branch_select_repos.py's helper is not: at a script's module level, and in a method of a
class that stored the option. Used by tests/test_trace_branch_default.py."""
from __future__ import annotations

# a. At a training script's module level: `--net` defaults to 'tiny', `--dataset` to 'ten'. The class count is
# set in an if/elif on `--dataset` (the later branch states another count), and the model in an if/elif on
# `--net`. A branch the default does not take re-imports the tiny class's name from a module that is not
# there (an optional extra), and the branch it does not take either builds the big family through a factory.
# The big family would win on its own: more of the repository's own modules and three factories, two of
# them called only in the model file's own self-test.
SCRIPT_CHAIN = {
    "train.py": """
    import argparse

    import torch

    from models.tiny import TinyNet
    from models.big import big_small

    parser = argparse.ArgumentParser()
    parser.add_argument('--net', default='tiny')
    parser.add_argument('--dataset', default='ten', type=str)
    parser.add_argument('--width', default='24')
    args = parser.parse_args()

    if args.dataset == 'ten':
        num_classes = 10
    elif args.dataset == 'hundred':
        num_classes = 100
    else:
        raise ValueError('unknown dataset')

    if args.net == 'big':
        net = big_small(num_classes)
    elif args.net == 'tiny_extra':
        from models.extra import TinyNet
        net = TinyNet(classes=num_classes, width=48)
    elif args.net == 'tiny':
        net = TinyNet(classes=num_classes, width=int(args.width))
    else:
        raise ValueError(args.net)

    print(net(torch.randn(2, 3, 8, 8)).shape)
    """,
    "models/__init__.py": "",
    "models/tiny.py": """
    import torch.nn as nn


    class TinyNet(nn.Module):
        def __init__(self, classes=1000, width=8):
            super().__init__()
            self.stem = nn.Conv2d(3, width, 3, padding=1)
            self.head = nn.Linear(width, classes)

        def forward(self, x):
            return self.head(self.stem(x).mean((2, 3)))
    """,
    "models/big.py": """
    import torch
    import torch.nn as nn


    class Block(nn.Module):
        def __init__(self, channels):
            super().__init__()
            self.conv = nn.Conv2d(channels, channels, 3, padding=1)

        def forward(self, x):
            return x + self.conv(x)


    class Mixer(nn.Module):
        def __init__(self, channels):
            super().__init__()
            self.proj = nn.Conv2d(channels, channels, 1)

        def forward(self, x):
            return self.proj(x)


    class Pool(nn.Module):
        def forward(self, x):
            return x.mean((2, 3))


    class BigNet(nn.Module):
        def __init__(self, depth, num_classes=1000):
            super().__init__()
            self.stem = nn.Conv2d(3, 32, 3, padding=1)
            self.blocks = nn.Sequential(*[Block(32) for _ in range(depth)])
            self.mixer = Mixer(32)
            self.pool = Pool()
            self.head = nn.Linear(32, num_classes)

        def forward(self, x):
            return self.head(self.pool(self.mixer(self.blocks(self.stem(x)))))


    def big_small(num_classes=1000):
        return BigNet(2, num_classes)


    def big_medium(num_classes=1000):
        return BigNet(4, num_classes)


    def big_large(num_classes=1000):
        return BigNet(8, num_classes)


    if __name__ == '__main__':
        for make in (big_medium, big_large):
            print(make()(torch.randn(1, 3, 8, 8)).shape)
    """,
}

# b. A class that stored the parsed option picks the model in a method: main.py parses `--model_type`
# (default 'Plain') and hands its namespace to `Runner(config)`, which keeps `self.model_type =
# config.model_type` and builds in `build_model()` an if/elif on it. The deeper classes the other branches
# build are made from more of the repository's own modules.
MEMBER_CHAIN = {
    "main.py": """
    import argparse

    from runner import Runner


    def main(config):
        runner = Runner(config)
        runner.train()


    if __name__ == '__main__':
        parser = argparse.ArgumentParser()
        parser.add_argument('--in_ch', type=int, default=3)
        parser.add_argument('--model_type', type=str, default='Plain', help='Plain/Deep/DeepGated')
        parser.add_argument('--steps', type=int, default=2)
        config = parser.parse_args()
        main(config)
    """,
    "runner.py": """
    import torch

    from nets import DeepGatedSeg, DeepSeg, PlainSeg


    class Runner(object):
        def __init__(self, config):
            self.net = None
            self.model_type = config.model_type
            self.steps = config.steps
            self.build_model()

        def build_model(self):
            if self.model_type == 'Plain':
                self.net = PlainSeg(in_ch=3, out_ch=5)
            elif self.model_type == 'Deep':
                self.net = DeepSeg(in_ch=3, out_ch=1, steps=self.steps)
            elif self.model_type == 'DeepGated':
                self.net = DeepGatedSeg(in_ch=3, out_ch=1, steps=self.steps)

        def train(self):
            print(self.net(torch.randn(1, 3, 16, 16)).shape)
    """,
    "nets.py": """
    import torch.nn as nn


    class DoubleConv(nn.Module):
        def __init__(self, cin, cout):
            super().__init__()
            self.body = nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True))

        def forward(self, x):
            return self.body(x)


    class Recurrent(nn.Module):
        def __init__(self, channels, steps=2):
            super().__init__()
            self.steps = steps
            self.conv = nn.Conv2d(channels, channels, 3, padding=1)

        def forward(self, x):
            for _ in range(self.steps):
                x = x + self.conv(x)
            return x


    class Gate(nn.Module):
        def __init__(self, channels):
            super().__init__()
            self.psi = nn.Conv2d(channels, 1, 1)

        def forward(self, x):
            return x * self.psi(x).sigmoid()


    class PlainSeg(nn.Module):
        def __init__(self, in_ch=3, out_ch=1):
            super().__init__()
            self.enc = DoubleConv(in_ch, 16)
            self.out = nn.Conv2d(16, out_ch, 1)

        def forward(self, x):
            return self.out(self.enc(x))


    class DeepSeg(nn.Module):
        def __init__(self, in_ch=3, out_ch=1, steps=2):
            super().__init__()
            self.enc = DoubleConv(in_ch, 16)
            self.rec = Recurrent(16, steps)
            self.out = nn.Conv2d(16, out_ch, 1)

        def forward(self, x):
            return self.out(self.rec(self.enc(x)))


    class DeepGatedSeg(nn.Module):
        def __init__(self, in_ch=3, out_ch=1, steps=2):
            super().__init__()
            self.enc = DoubleConv(in_ch, 16)
            self.rec = Recurrent(16, steps)
            self.gate = Gate(16)
            self.out = nn.Conv2d(16, out_ch, 1)

        def forward(self, x):
            return self.out(self.gate(self.rec(self.enc(x))))
    """,
}

# a'. The same run written inside the script's `if __name__ == '__main__':` block, the model chosen through a
# factory in the default branch and the class count by an if/else on the dataset option.
MAIN_BLOCK_CHAIN = dict(SCRIPT_CHAIN, **{"train.py": """
    import argparse

    import torch

    from models.tiny import TinyNet
    from models.big import big_small


    def tiny_for(classes):
        return TinyNet(classes=classes, width=16)


    if __name__ == '__main__':
        parser = argparse.ArgumentParser()
        parser.add_argument('--net', default='tiny')
        parser.add_argument('--dataset', default='ten', type=str)
        args = parser.parse_args()
        if args.dataset == 'ten':
            num_classes = 10
        else:
            num_classes = 100
        if args.net == 'big':
            net = big_small(num_classes)
        else:
            net = tiny_for(num_classes)
        print(net(torch.randn(2, 3, 8, 8)).shape)
    """})
