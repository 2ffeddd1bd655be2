"""The denoising network of a latent-diffusion repository, traced zero-config, sees the latents its pipeline
states (image sides over the autoencoder's factor), not a square guess: the pipeline reaches it by a loader's
key or as a sampler's argument (pipeline_repos.py). Traced with the command line, in a child process."""
from __future__ import annotations

import pytest
from pipeline_repos import LOADER_CALL_LINE, LOADER_KEY, LOADER_MADE, SAMPLER_ARGUMENT, SAMPLER_CALL_LINE, SAMPLER_MADE
from tree_helpers import first_outs as outs, trace_repos


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("pipeline_latents"), {"loader": LOADER_KEY,
                                                                      "sampler": SAMPLER_ARGUMENT}, "--no-lines")


def test_the_network_a_loader_keeps_is_fed_the_latents_the_pipeline_sizes(traced):
    code, data, err = traced["loader"]
    assert code == 0, err
    assert data["class"] == "LatentDenoiser"
    latent, t = data["inputs"]
    assert latent["shape"] == [2, 4, 24, 32] and latent["dims"][0] == "batch"  # 192x256 images over 8, twice
    assert latent["from"] == f"{LOADER_CALL_LINE} ({LOADER_MADE})"
    assert t["from"] == "guess" and t["shape"][0] == 2  # made from a run-time shape: still labelled a guess
    got = outs(data)
    assert got["conv_in"] == [2, 8, 24, 32] and got["down"] == [2, 8, 12, 16] and got["conv_out"] == [2, 4, 24, 32]


def test_the_network_a_sampler_receives_is_fed_the_noise_it_makes(traced):
    code, data, err = traced["sampler"]
    assert code == 0, err
    assert data["class"] == "TinyUNet"
    (x,) = data["inputs"]
    assert x["shape"][1:] == [4, 40, 20] and x["from"] == f"{SAMPLER_CALL_LINE} ({SAMPLER_MADE})"
    assert outs(data)["enc"][1:] == [8, 20, 10]
