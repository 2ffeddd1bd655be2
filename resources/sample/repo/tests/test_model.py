"""Shape checks for the model: run with `python -m pytest tests` from the repository root."""
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model import AnomalyAutoencoder, TimeSeriesEncoder  # noqa: E402


def test_autoencoder_reconstructs_the_window_shape():
    model = AnomalyAutoencoder()
    x = torch.randn(2, 50, 5)
    assert model(x).shape == (2, 50, 5)
    assert model.score(x).shape == (2,)
    assert model.step_errors(x).shape == (2, 50)


def test_encoder_embedding_and_attention_weights():
    encoder = TimeSeriesEncoder()
    x = torch.randn(3, 50, 5)
    assert encoder(x).shape == (3, 64)
    weights = encoder.attention_weights(x)
    assert weights.shape == (3, 50)
    assert torch.allclose(weights.sum(dim=1), torch.ones(3))


def test_step_scores_average_the_windows_covering_each_step():
    from utils import step_scores

    errors = torch.tensor([[1.0, 1.0, 1.0], [3.0, 3.0, 3.0]])  # two windows of 3 steps, stride 1
    assert step_scores(errors, length=4).tolist() == [1.0, 2.0, 2.0, 3.0]
