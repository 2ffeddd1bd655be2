"""Generated repositories whose script builds its model through a helper that selects it by a parsed option
in an if/elif chain: the option's value (its default, or the README's command line for a required one) picks
the one branch a run takes. Used by tests/test_trace_branch_select.py."""
from __future__ import annotations

# a. `-net` is required with no default; the README runs `python train.py -net plain`. train.py hands its
# `args` to utils.get_network(args), whose if/elif imports and calls one factory per model name inside the
# branch. The family the option does NOT select has more factories and is built from more of the repository's
# own modules, so it would win on its own; the plain net is made from a layer list its factory builds.
HELPER_SELECTS = {
    "README.md": """
    # Tiny classifiers

    Train one of them:

    ```bash
    python train.py -net plain -gpu
    ```
    """,
    "train.py": """
    import argparse

    import torch

    from utils import get_network


    if __name__ == '__main__':
        parser = argparse.ArgumentParser()
        parser.add_argument('-net', type=str, required=True, help='net type')
        parser.add_argument('-gpu', action='store_true', default=False, help='use gpu or not')
        args = parser.parse_args()
        net = get_network(args)
        print(net(torch.randn(2, 3, 8, 8)).shape)
    """,
    "utils.py": """
    import sys


    def get_network(args):
        \"\"\"The network the command line names.\"\"\"
        if args.net == 'deep10':
            from models.deep import deep10
            net = deep10()
        elif args.net == 'deep18':
            from models.deep import deep18
            net = deep18()
        elif args.net == 'deep34':
            from models.deep import deep34
            net = deep34()
        elif args.net == 'plain':
            from models.plain import plain_small
            net = plain_small()
        else:
            print('the network name you have entered is not supported yet')
            sys.exit()
        if args.gpu:
            net = net.cuda()
        return net
    """,
    "models/__init__.py": "",
    "models/deep.py": """
    import torch.nn as nn


    class Stage(nn.Module):
        def __init__(self, channels):
            super().__init__()
            self.conv = nn.Conv2d(channels, channels, 3, padding=1)

        def forward(self, x):
            return x + self.conv(x)


    class Shortcut(nn.Module):
        def __init__(self, channels):
            super().__init__()
            self.proj = nn.Conv2d(channels, channels, 1)

        def forward(self, x):
            return self.proj(x)


    class DeepNet(nn.Module):
        def __init__(self, blocks, num_classes=100):
            super().__init__()
            self.stem = nn.Conv2d(3, 16, 3, padding=1)
            self.stages = nn.Sequential(*[Stage(16) for _ in range(blocks)])
            self.shortcut = Shortcut(16)
            self.head = nn.Linear(16, num_classes)

        def forward(self, x):
            x = self.stem(x)
            x = self.stages(x) + self.shortcut(x)
            return self.head(x.mean((2, 3)))


    def deep10():
        return DeepNet(2)


    def deep18():
        return DeepNet(4)


    def deep34():
        return DeepNet(8)
    """,
    "models/plain.py": """
    import torch.nn as nn

    cfg = {'S': [12, 'M', 24]}


    class PlainNet(nn.Module):
        def __init__(self, features, num_classes=100):
            super().__init__()
            self.features = features
            self.classifier = nn.Linear(24, num_classes)

        def forward(self, x):
            x = self.features(x)
            return self.classifier(x.mean((2, 3)))


    def make_layers(widths):
        layers, channels = [], 3
        for width in widths:
            if width == 'M':
                layers.append(nn.MaxPool2d(2))
                continue
            layers += [nn.Conv2d(channels, width, 3, padding=1), nn.ReLU(inplace=True)]
            channels = width
        return nn.Sequential(*layers)


    def plain_small():
        return PlainNet(make_layers(cfg['S']))
    """,
}

# b. An evaluation script named like a test imports the model's class under another name (`Restorer as
# net`) and builds it in `define_model(args)`, an if/elif on `args.task` whose argparse default picks the
# 'denoise' branch. The model file's own `if __name__ == '__main__':` self-test states other, toy values.
ALIAS_SELECTS = {
    "models/__init__.py": "",
    "models/network_restorer.py": """
    import torch
    import torch.nn as nn


    class Restorer(nn.Module):
        def __init__(self, in_chans=3, embed_dim=96, depth=2, upscale=2):
            super().__init__()
            self.conv_first = nn.Conv2d(in_chans, embed_dim, 3, padding=1)
            self.body = nn.Sequential(*[nn.Conv2d(embed_dim, embed_dim, 3, padding=1) for _ in range(depth)])
            self.conv_last = nn.Conv2d(embed_dim, in_chans * upscale * upscale, 3, padding=1)
            self.upsample = nn.PixelShuffle(upscale)

        def forward(self, x):
            x = self.conv_first(x)
            return self.upsample(self.conv_last(self.body(x) + x))


    if __name__ == '__main__':
        upscale = 2
        model = Restorer(upscale=upscale, in_chans=3, embed_dim=60, depth=4)
        print(model(torch.randn(1, 3, 16, 16)).shape)
    """,
    "main_test_restorer.py": """
    import argparse

    import torch

    from models.network_restorer import Restorer as net


    def main():
        parser = argparse.ArgumentParser()
        parser.add_argument('--task', type=str, default='denoise', help='sr, denoise')
        parser.add_argument('--scale', type=int, default=1, help='scale factor')
        args = parser.parse_args()
        model = define_model(args)
        model.eval()


    def define_model(args):
        if args.task == 'sr':
            model = net(upscale=args.scale, in_chans=3, embed_dim=180, depth=6)
        elif args.task == 'denoise':
            model = net(upscale=1, in_chans=3, embed_dim=36, depth=3)
        else:
            model = net(upscale=1, in_chans=1, embed_dim=48, depth=2)
        return model


    if __name__ == '__main__':
        main()
    """,
}
