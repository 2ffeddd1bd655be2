"""Attention-pooled LSTM autoencoder for anomaly detection in multivariate time series.

TimeSeriesEncoder turns a window (B, T, F) into an embedding (B, 64); AnomalyAutoencoder squeezes
the embedding through an 8-unit bottleneck and decodes it back to a window. The anomaly score of
a window is its reconstruction error (see `AnomalyAutoencoder.score`); a time step gets the mean
error at that step over the windows that contain it (utils.step_scores).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TimeSeriesEncoder(nn.Module):
    """LSTM over time, attention pooling, then Linear + LayerNorm + ReLU.

    Attributes:
        lstm: stacked LSTM, one hidden state per time step.
        attn_score: one learned score per time step; softmax over time gives the pooling weights.
        fc: projection from the pooled LSTM state to the embedding.
        norm: LayerNorm over the embedding.
        act: ReLU.
    """

    def __init__(self, n_features=5, hidden_size=128, embed_dim=64, num_layers=2, dropout=0.1):
        super().__init__()
        self.lstm = nn.LSTM(n_features, hidden_size, num_layers=num_layers, batch_first=True, dropout=dropout)
        self.attn_score = nn.Linear(hidden_size, 1)
        self.fc = nn.Linear(hidden_size, embed_dim)
        self.norm = nn.LayerNorm(embed_dim)
        self.act = nn.ReLU()

    def forward(self, x):
        h, _ = self.lstm(x)  # (B, T, hidden)
        weights = F.softmax(self.attn_score(h), dim=1)  # (B, T, 1), sums to 1 over time
        pooled = torch.sum(weights * h, dim=1)  # (B, hidden)
        return self.act(self.norm(self.fc(pooled)))  # (B, embed_dim)

    def attention_weights(self, x):
        """The pooling weights (B, T): which time steps the encoder looked at."""
        h, _ = self.lstm(x)
        return F.softmax(self.attn_score(h), dim=1).squeeze(-1)


class AnomalyAutoencoder(nn.Module):
    """Encoder, bottleneck 64 -> 8 -> 64, LSTM decoder that rebuilds the whole window.

    Attributes:
        encoder: TimeSeriesEncoder.
        bottleneck: Linear(64, 8), ReLU, Linear(8, 64).
        decoder: LSTM reading the code repeated at every time step.
        output: Linear from the decoder state to the input features.
    """

    def __init__(self, n_features=5, hidden_size=128, embed_dim=64, bottleneck_dim=8, num_layers=2, dropout=0.1):
        super().__init__()
        self.encoder = TimeSeriesEncoder(n_features, hidden_size, embed_dim, num_layers, dropout)
        self.bottleneck = nn.Sequential(
            nn.Linear(embed_dim, bottleneck_dim),
            nn.ReLU(),
            nn.Linear(bottleneck_dim, embed_dim),
        )
        self.decoder = nn.LSTM(embed_dim, hidden_size, batch_first=True)
        self.output = nn.Linear(hidden_size, n_features)

    def forward(self, x):
        steps = x.size(1)
        code = self.bottleneck(self.encoder(x))  # (B, embed_dim), squeezed through 8 units
        repeated = code.unsqueeze(1).expand(-1, steps, -1)  # (B, T, embed_dim)
        h, _ = self.decoder(repeated)  # (B, T, hidden)
        return self.output(h)  # (B, T, F)

    @torch.no_grad()
    def step_errors(self, x):
        """Squared reconstruction error of every time step, averaged over features: (B, T)."""
        return ((x - self(x)) ** 2).mean(dim=2)

    @torch.no_grad()
    def score(self, x):
        """Anomaly score per window: mean squared reconstruction error, shape (B,)."""
        return self.step_errors(x).mean(dim=1)
