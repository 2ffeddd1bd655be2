"""A GAN's model file for generated repositories: a `Generator` network and a plain training-harness object whose
constructor builds it from the parsed command line (`self.G = Generator(args.channels)`), as GAN repositories
write them; `{wrapper}` names the harness class."""

WRAPPED_GENERATOR = """
import torch.nn as nn


class Generator(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.main = nn.Sequential(nn.ConvTranspose2d(100, 64, 4), nn.ReLU(), nn.ConvTranspose2d(64, channels, 4))

    def forward(self, z):
        return self.main(z)


class {wrapper}(object):
    def __init__(self, args):
        self.G = Generator(args.channels)

    def train(self, loader):
        for z in loader:
            self.G(z).mean().backward()
"""


def gan_module(wrapper: str) -> str:
    """The model file's text with the harness class named `wrapper`."""
    return WRAPPED_GENERATOR.replace("{wrapper}", wrapper)
