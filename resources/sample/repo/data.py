"""Sliding windows over a multivariate series: a CSV file or a synthetic signal with injected anomalies."""
import csv
import math

import torch
from torch.utils.data import Dataset

ANOMALY_KINDS = ("spike", "shift", "freq")


def synthetic_signal(length, n_features=5, kind="none", seed=0, start=0, system_seed=0):
    """A normal multichannel signal, optionally with injected anomalies.

    The periods and phases (the "system") depend on system_seed only, so a test series made with
    another seed and a later start continues the same system. Returns (signal, labels): a float
    tensor (length, n_features) and a 0/1 tensor (length,) marking the injected anomalies.
    kind is "none", one of ANOMALY_KINDS, or "mixed".
    """
    phases = torch.rand(n_features, generator=torch.Generator().manual_seed(system_seed)) * 2 * math.pi
    periods = torch.linspace(20, 60, n_features)
    gen = torch.Generator().manual_seed(seed)
    t = torch.arange(start, start + length, dtype=torch.float32).unsqueeze(1)
    trend = 0.5 * torch.sin(t / 400.0)  # shared by all channels, so the channels are correlated
    signal = torch.sin(2 * math.pi * t / periods + phases) + trend
    signal = signal + 0.1 * torch.randn(length, n_features, generator=gen)
    labels = torch.zeros(length)
    if kind == "none":
        return signal, labels
    kinds = ANOMALY_KINDS if kind == "mixed" else (kind,)
    n_events = max(1, length // 1000)
    margin = min(100, length // 4)  # keep events away from the ends, even in short series
    for event in range(n_events):
        chosen = kinds[event % len(kinds)]
        start = int(torch.randint(margin, max(margin + 1, length - margin - 80), (1,), generator=gen))
        channel = int(torch.randint(0, n_features, (1,), generator=gen))
        if chosen == "spike":  # four to six standard deviations of the channel
            stop = start + 1
            signal[start, channel] += (4 + 2 * torch.rand(1, generator=gen).item()) * signal[:, channel].std()
        elif chosen == "shift":
            stop = start + int(torch.randint(20, 80, (1,), generator=gen))
            signal[start:stop, channel] += 1.5
        else:  # the channel oscillates twice as fast for a while
            stop = start + int(torch.randint(40, 80, (1,), generator=gen))
            fast = torch.sin(4 * math.pi * t[start:stop, 0] / periods[channel] + phases[channel])
            signal[start:stop, channel] = fast + trend[start:stop, 0]
        labels[start:stop] = 1
    return signal, labels


def load_csv(path):
    """A CSV file with a header row and one numeric column per channel, as a (length, channels) tensor."""
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    return torch.tensor([[float(value) for value in row] for row in rows[1:]], dtype=torch.float32)


def standardize(series, mean=None, std=None):
    """Zero mean, unit variance per channel; pass the training statistics for validation and test data."""
    mean = series.mean(dim=0) if mean is None else mean
    std = series.std(dim=0).clamp_min(1e-6) if std is None else std
    return (series - mean) / std, mean, std


class WindowDataset(Dataset):
    """Overlapping windows of a series.

    Attributes:
        series: (length, channels) float tensor.
        window: window length T.
        stride: steps between the starts of consecutive windows.
    """

    def __init__(self, series, window=50, stride=1):
        if len(series) < window:
            raise ValueError(f"series has {len(series)} steps, fewer than one window of {window}")
        self.series = series
        self.window = window
        self.stride = stride

    def __len__(self):
        return (len(self.series) - self.window) // self.stride + 1

    def __getitem__(self, index):
        start = index * self.stride
        return self.series[start:start + self.window]
