"""Helpers: seeding, the alarm threshold, and point-wise detection metrics."""
import random

import torch


def set_seed(seed):
    """Make runs repeatable (Python and torch generators)."""
    random.seed(seed)
    torch.manual_seed(seed)


def percentile_threshold(scores, percentile=99.0):
    """The threshold tau: this percentile of the scores of (normal) validation windows."""
    return torch.quantile(scores, percentile / 100.0).item()


def window_flags_to_points(flags, length, window, stride=1):
    """A step is abnormal when any flagged window contains it."""
    points = torch.zeros(length, dtype=torch.bool)
    for index in torch.nonzero(flags).flatten().tolist():
        start = index * stride
        points[start:start + window] = True
    return points


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
