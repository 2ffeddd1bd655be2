"""Generated latent-diffusion-like repositories whose pipeline never builds the denoising network it calls:
it takes it from the mapping a loader returns (`unet = models["unet"]`) or as a sampler function's parameter
(`def sample(model, n)`, called as `sample(net, 3)`), and sizes the latents from image-side constants divided
by the autoencoder's factor (`LATENTS_HEIGHT = HEIGHT // 8`). Shared by the miner and the trace tests."""
from __future__ import annotations

DENOISER = """
    import torch.nn as nn


    class LatentDenoiser(nn.Module):
        def __init__(self, channels=4, width=8):
            super().__init__()
            self.conv_in = nn.Conv2d(channels, width, 3, padding=1)
            self.time = nn.Linear(1, width)
            self.down = nn.Conv2d(width, width, 3, stride=2, padding=1)
            self.up = nn.ConvTranspose2d(width, width, 2, stride=2)
            self.conv_out = nn.Conv2d(width, channels, 3, padding=1)

        def forward(self, latent, t):
            h = self.conv_in(latent) + self.time(t)[:, :, None, None]
            return self.conv_out(self.up(self.down(h)))
    """

# The loader keeps the network under a key; the pipeline sizes the latents from module constants through a
# tuple shape variable, makes them in an else branch (the if branch encodes an image instead) and stacks
# them twice for classifier-free guidance. Latents 24x32 (192x256 images over 8); a guess would be square.
LOADER_KEY = {
    "model.py": DENOISER,
    "loader.py": """
        from model import LatentDenoiser


        def load_models(device):
            denoiser = LatentDenoiser().to(device)
            return {"unet": denoiser}
        """,
    "pipeline.py": """
        import torch

        WIDTH = 256
        HEIGHT = 192
        LATENTS_WIDTH = WIDTH // 8
        LATENTS_HEIGHT = HEIGHT // 8


        def generate(models, image=None, encoder=None, steps=10, do_cfg=True):
            with torch.no_grad():
                latents_shape = (1, 4, LATENTS_HEIGHT, LATENTS_WIDTH)
                if image is not None:
                    latents = encoder(image)
                else:
                    latents = torch.randn(latents_shape)
                unet = models["unet"]
                for step in range(steps):
                    model_input = latents
                    if do_cfg:
                        model_input = model_input.repeat(2, 1, 1, 1)
                    t = torch.full((model_input.shape[0], 1), float(step))
                    noise = unet(model_input, t)
                    latents = latents - 0.1 * noise[:1]
            return latents
        """,
}


def line_of(text: str, fragment: str) -> int:
    """The line (1-based, as the written file has it) of the first line of `text` holding `fragment`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


_PIPELINE = LOADER_KEY["pipeline.py"]
LOADER_CALL_LINE = f"pipeline.py:{line_of(_PIPELINE, 'noise = unet(')}"
LOADER_MADE = (f"made at pipeline.py:{line_of(_PIPELINE, 'torch.randn(latents_shape)')}; sized at pipeline.py:"
               + ", ".join(str(line_of(_PIPELINE, f)) for f in ("WIDTH = 256", "HEIGHT = 192", "LATENTS_WIDTH =",
                                                                 "LATENTS_HEIGHT =", "latents_shape =")))

TINY_UNET = """
    import torch.nn as nn


    class TinyUNet(nn.Module):
        def __init__(self, in_channels=4, width=8):
            super().__init__()
            self.enc = nn.Conv2d(in_channels, width, 3, stride=2, padding=1)
            self.dec = nn.ConvTranspose2d(width, in_channels, 2, stride=2)

        def forward(self, x):
            return self.dec(self.enc(x).relu())
    """

# A sampler function of another module receives the network as its argument and makes the noise directly at
# (n, 4, h // f, w // f); the training script hands it the instance it built. Latents 40x20.
SAMPLER_ARGUMENT = {
    "nets.py": TINY_UNET,
    "sampling.py": """
        import torch

        IMAGE_H, IMAGE_W = 320, 160
        FACTOR = 8


        def sample(model, n, steps=4):
            x = torch.randn((n, 4, IMAGE_H // FACTOR, IMAGE_W // FACTOR))
            for _ in range(steps):
                x = x - 0.1 * model(x)
            return x
        """,
    "train.py": """
        import torch
        from nets import TinyUNet
        from sampling import sample


        def main():
            net = TinyUNet(in_channels=4)
            opt = torch.optim.Adam(net.parameters())
            images = sample(net, 3)
            return images, opt


        if __name__ == "__main__":
            main()
        """,
}
_SAMPLING = SAMPLER_ARGUMENT["sampling.py"]
SAMPLER_CALL_LINE = f"sampling.py:{line_of(_SAMPLING, 'model(x)')}"
SAMPLER_MADE = (f"made at sampling.py:{line_of(_SAMPLING, 'torch.randn(')}; sized at sampling.py:"
                f"{line_of(_SAMPLING, 'IMAGE_H, IMAGE_W =')}, {line_of(_SAMPLING, 'FACTOR = 8')}")
