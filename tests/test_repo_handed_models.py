"""A generation pipeline states the image size and hands the denoising network latents of that size over the
autoencoder's factor; it reaches the network by a loader's key or as a sampler's parameter, never building it
(handed_models.py, read by stated_inputs.stated_calls). Read as text, no torch."""
from __future__ import annotations

from pipeline_repos import (LOADER_CALL_LINE, LOADER_KEY, LOADER_MADE, SAMPLER_ARGUMENT, SAMPLER_CALL_LINE,
                            SAMPLER_MADE, TINY_UNET, line_of)
from reader_app.repo.handed_models import handed_model
from reader_app.repo.stated_inputs import stated_calls
from tree_helpers import write_tree


def test_the_loaders_key_reaches_the_model_and_the_pipeline_constants_size_its_latents(tmp_path):
    root = str(write_tree(tmp_path / "loader", LOADER_KEY))
    assert handed_model(root, "LatentDenoiser").keys == {"unet"}  # the loader's `{"unet": denoiser}`
    (call,) = stated_calls(root, "LatentDenoiser", str(tmp_path / "loader" / "model.py"))
    # HEIGHT // 8 by WIDTH // 8 through `latents_shape`, made in the else branch, stacked twice for guidance
    assert call.where == LOADER_CALL_LINE and call.positional[0].shape == [2, 4, 24, 32]
    assert call.positional[1] is None  # `t` is made from a run-time shape: left to the trace
    assert call.given_at[0] == f"{LOADER_CALL_LINE} ({LOADER_MADE})"


def test_a_sampler_the_script_hands_the_model_states_its_noise(tmp_path):
    root = str(write_tree(tmp_path / "sampler", SAMPLER_ARGUMENT))
    assert handed_model(root, "TinyUNet").params == {"sample": {"model"}}
    calls = stated_calls(root, "TinyUNet", str(tmp_path / "sampler" / "nets.py"))
    assert calls and calls[0].where == SAMPLER_CALL_LINE
    assert calls[0].positional[0].shape == [2, 4, 40, 20]  # (n, 4, 320 // 8, 160 // 8), n the free batch
    assert calls[0].given_at[0] == f"{SAMPLER_CALL_LINE} ({SAMPLER_MADE})"


def test_a_sampler_handed_another_class_at_the_same_place_states_nothing_for_either(tmp_path):
    files = dict(SAMPLER_ARGUMENT)
    files["nets.py"] = TINY_UNET + """

    class Critic(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 1, 3)

        def forward(self, x):
            return self.conv(x)
    """
    files["train.py"] = files["train.py"].replace("images = sample(net, 3)",
                                                  "images = sample(net, 3)\n            sample(Critic(), 3)")
    root = str(write_tree(tmp_path / "two", files))
    assert handed_model(root, "TinyUNet").params == {}
    assert stated_calls(root, "TinyUNet", str(tmp_path / "two" / "nets.py")) == []


def test_a_key_spelled_as_the_class_reaches_it_and_another_key_does_not(tmp_path):
    run = """
        import torch

        SIDE = 512 // 8


        def run(registry):
            denoiser = registry["latent_denoiser"]
            vae = registry["vae"]
            z = torch.randn(1, 4, SIDE, SIDE)
            vae(torch.randn(1, 3, 512, 512))
            return denoiser(z, torch.zeros(1, 1))
        """
    root = str(write_tree(tmp_path / "spelled", {"model.py": LOADER_KEY["model.py"], "run.py": run}))
    calls = stated_calls(root, "LatentDenoiser", str(tmp_path / "spelled" / "model.py"))
    assert [(c.where, c.positional[0].shape) for c in calls] == [(f"run.py:{line_of(run, 'denoiser(z')}", [1, 4, 64, 64])]


def test_an_else_branch_only_fills_what_the_if_branch_left_unsized(tmp_path):
    files = {"model.py": LOADER_KEY["model.py"], "demo.py": """
        import torch
        from model import LatentDenoiser

        net = LatentDenoiser()
        if torch.cuda.is_available():
            z = torch.randn(1, 4, 16, 16)
        else:
            z = torch.randn(1, 4, 8, 8)
        net(z, torch.zeros(1, 1))
        """}
    root = str(write_tree(tmp_path / "branches", files))
    (call,) = stated_calls(root, "LatentDenoiser", str(tmp_path / "branches" / "model.py"))
    assert call.positional[0].shape == [1, 4, 16, 16] and call.given_at == []  # a built instance: its call line


def test_a_sampler_called_through_its_module_or_as_a_method_gets_the_model_at_its_own_parameter(tmp_path):
    files = dict(SAMPLER_ARGUMENT)
    files["train.py"] = files["train.py"].replace("from sampling import sample", "import sampling") \
        .replace("images = sample(net, 3)", "images = sampling.sample(net, 3)")
    files["ema.py"] = """
        class Sampler:
            def run(self, model, n):
                return model


        def main(net):
            from nets import TinyUNet
            net = TinyUNet()
            return Sampler().run(net, 2)
        """
    root = str(write_tree(tmp_path / "dotted", files))
    assert handed_model(root, "TinyUNet").params == {"sample": {"model"}, "run": {"model"}}
    calls = stated_calls(root, "TinyUNet", str(tmp_path / "dotted" / "nets.py"))
    assert calls[0].where == SAMPLER_CALL_LINE and calls[0].positional[0].shape == [2, 4, 40, 20]


def test_a_pipeline_functions_default_sides_size_the_latents_it_makes(tmp_path):
    pipeline = """
        import torch


        class Pipeline:
            def __init__(self, unet):
                self.unet = unet

            def __call__(self, prompt, height=768, width=512, n_samples=1, factor=8):
                unet = self.unet
                latents = torch.randn((n_samples, 4, height // factor, width // factor))
                return unet(latents, torch.zeros(n_samples, 1))


        def generate(models, prompt, *, height=256, width=256, batch_size=3):
            unet = models["unet"]
            latents = torch.randn(batch_size, 4, height // 8, width // 8)
            return unet(latents, torch.zeros(batch_size, 1))
        """
    files = {"model.py": LOADER_KEY["model.py"], "loader.py": LOADER_KEY["loader.py"], "pipeline.py": pipeline}
    root = str(write_tree(tmp_path / "defaults", files))
    calls = stated_calls(root, "LatentDenoiser", str(tmp_path / "defaults" / "model.py"))
    line = line_of(pipeline, "height=256")
    assert [(c.where, c.positional[0].shape) for c in calls] == [(f"pipeline.py:{line + 3}", [2, 4, 32, 32])]
    assert calls[0].given_at[0] == f"pipeline.py:{line + 3} (made at pipeline.py:{line + 2}; sized at pipeline.py:{line})"
