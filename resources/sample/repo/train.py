"""Train the attention-pooled LSTM autoencoder and evaluate it as an anomaly detector.

    python train.py                          # Synth-Mixed with the defaults of configs/default.yaml
    python train.py --dataset spike --epochs 5
    python train.py --csv readings.csv       # your own data; the first 80% must be normal
"""
import argparse
from pathlib import Path

import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from data import WindowDataset, load_csv, standardize, synthetic_signal
from model import AnomalyAutoencoder
from utils import percentile_threshold, precision_recall_f1, set_seed, step_scores

DEFAULT_CONFIG = Path(__file__).resolve().parent / "configs" / "default.yaml"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="YAML file of defaults")
    parser.add_argument("--csv", type=Path, help="train on this CSV instead of a synthetic benchmark")
    parser.add_argument("--dataset", default="mixed", choices=["spike", "shift", "freq", "mixed"])
    parser.add_argument("--length", type=int, default=40000, help="steps of the synthetic training series")
    parser.add_argument("--n-features", type=int, default=5)
    parser.add_argument("--window", type=int, default=50)
    parser.add_argument("--stride", type=int, default=1)
    parser.add_argument("--num-layers", type=int, default=2)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--embed", type=int, default=64)
    parser.add_argument("--bottleneck", type=int, default=8)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--step-size", type=int, default=10, help="epochs between learning-rate decays")
    parser.add_argument("--gamma", type=float, default=0.5, help="learning-rate decay factor")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--clip", type=float, default=1.0, help="max gradient norm")
    parser.add_argument("--percentile", type=float, default=99.0, help="threshold percentile of validation scores")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=Path("checkpoints/model.pt"))
    args = parser.parse_args(argv)
    if args.config and args.config.exists():
        import yaml  # only needed when a config file is used

        parser.set_defaults(**yaml.safe_load(args.config.read_text()))
        args = parser.parse_args(argv)  # flags given on the command line still win
    return args


def load_series(args):
    """(train, validation, test, test labels); test is None for a CSV without labels."""
    if args.csv:
        series = load_csv(args.csv)
        split = int(0.8 * len(series))
        return series[:split], series[split:], None, None
    normal, _ = synthetic_signal(args.length, args.n_features, "none", seed=args.seed)
    test, labels = synthetic_signal(args.length // 2, args.n_features, args.dataset, seed=args.seed + 1,
                                    start=args.length)  # the same system, later in time
    split = int(0.8 * len(normal))
    return normal[:split], normal[split:], test, labels


def series_scores(model, series, args):
    """Anomaly score of every time step of a series (see utils.step_scores)."""
    loader = DataLoader(WindowDataset(series, args.window, args.stride), batch_size=256)
    model.eval()
    errors = torch.cat([model.step_errors(batch) for batch in loader])  # (windows, T)
    return step_scores(errors, len(series), args.stride)


def train(model, train_series, val_series, args):
    loader = DataLoader(WindowDataset(train_series, args.window, args.stride), batch_size=args.batch_size, shuffle=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=args.step_size, gamma=args.gamma)
    loss_fn = nn.MSELoss()
    for epoch in range(1, args.epochs + 1):
        model.train()
        total = 0.0
        for batch in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(batch), batch)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), args.clip)  # LSTMs can explode early on
            optimizer.step()
            total += loss.item() * len(batch)
        scheduler.step()
        val = series_scores(model, val_series, args).mean().item()
        print(f"epoch {epoch:3d}  train loss {total / len(loader.dataset):.4f}  val loss {val:.4f}")


def main(argv=None):
    args = parse_args(argv)
    set_seed(args.seed)
    train_series, val_series, test_series, labels = load_series(args)
    train_series, mean, std = standardize(train_series)
    val_series, _, _ = standardize(val_series, mean, std)
    model = AnomalyAutoencoder(args.n_features, args.hidden, args.embed, args.bottleneck, args.num_layers, args.dropout)
    train(model, train_series, val_series, args)

    threshold = percentile_threshold(series_scores(model, val_series, args), args.percentile)
    print(f"threshold ({args.percentile:g}th percentile of validation scores): {threshold:.4f}")
    if test_series is not None:
        test_series, _, _ = standardize(test_series, mean, std)
        flagged = series_scores(model, test_series, args) > threshold
        precision, recall, f1 = precision_recall_f1(flagged, labels)
        print(f"test: precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"model": model.state_dict(), "threshold": threshold, "mean": mean, "std": std,
                "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}}, args.out)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
