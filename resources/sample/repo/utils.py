"""Helpers: seeding, the alarm threshold, and point-wise detection metrics."""
import random

import torch


def set_seed(seed):
    """Make runs repeatable (Python and torch generators)."""
    random.seed(seed)
    torch.manual_seed(seed)


def percentile_threshold(scores, percentile=99.0):
    """The threshold tau: this percentile of the scores of (normal) validation data."""
    return torch.quantile(scores, percentile / 100.0).item()


def step_scores(window_errors, length, stride=1):
    """Score of every time step: the mean of its errors over all windows that contain it.

    window_errors is (N, T), the per-step errors of N windows taken with this stride from a
    series of this length; steps no window covers get score 0.
    """
    total = torch.zeros(length)
    count = torch.zeros(length)
    window = window_errors.shape[1]
    for index, errors in enumerate(window_errors):
        start = index * stride
        total[start:start + window] += errors
        count[start:start + window] += 1
    return total / count.clamp_min(1)


def precision_recall_f1(predicted, labels):
    """Point-wise precision, recall and F1 of boolean predictions against 0/1 labels."""
    truth = labels.bool()
    tp = (predicted & truth).sum().item()
    fp = (predicted & ~truth).sum().item()
    fn = (~predicted & truth).sum().item()
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
