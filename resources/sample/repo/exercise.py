"""The reading exercise: a dense autoencoder for anomaly detection, to rebuild in TensorFlow.js.

It reads a 64-dimensional vector (one window's embedding, or any 64 features), compresses it to an
8-dimensional code and reconstructs the 64 values; the reconstruction error is the anomaly score, as
for AnomalyAutoencoder in model.py.

    encoder: Linear 64 -> 32, ReLU, Linear 32 -> 16, ReLU, Linear 16 -> 8   (the 8-unit code, no activation)
    decoder: Linear 8 -> 16, ReLU, Linear 16 -> 32, ReLU, Linear 32 -> 64   (the reconstruction, no activation)

Trained with Adam (learning rate 0.001) on the mean squared reconstruction error.
"""
import torch.nn as nn


class DenseAutoencoder(nn.Module):
    """Encoder 64 -> 32 -> 16 -> 8, decoder 8 -> 16 -> 32 -> 64, ReLU between hidden layers.

    Attributes:
        encoder: three Linear layers with ReLU between them, ending in the 8-unit bottleneck.
        decoder: three Linear layers with ReLU between them, ending in the 64 reconstructed values.
    """

    def __init__(self, n_inputs=64, hidden=(32, 16), code_size=8):
        super().__init__()
        first, second = hidden
        self.encoder = nn.Sequential(
            nn.Linear(n_inputs, first), nn.ReLU(),
            nn.Linear(first, second), nn.ReLU(),
            nn.Linear(second, code_size),
        )
        self.decoder = nn.Sequential(
            nn.Linear(code_size, second), nn.ReLU(),
            nn.Linear(second, first), nn.ReLU(),
            nn.Linear(first, n_inputs),
        )

    def forward(self, x):
        code = self.encoder(x)  # (B, 8)
        return self.decoder(code)  # (B, 64)

    def score(self, x):
        """Anomaly score per row: mean squared reconstruction error, shape (B,)."""
        return ((x - self(x)) ** 2).mean(dim=1)
