"""Table contents of the sample paper (kept with the figure sizes they share the page with)."""
from __future__ import annotations

FIGURE_2_HEIGHT = 128.0
FIGURE_3_HEIGHT = 110.0

TABLE_1_HEADER = ["Dataset", "Train", "Test", "Anomaly kind", "Anom. %"]
TABLE_1_ROWS = [
    ["Synth-Spike", "20,000", "10,000", "point spikes", "1.2"],
    ["Synth-Shift", "20,000", "10,000", "level shifts", "3.5"],
    ["Synth-Freq", "20,000", "10,000", "frequency", "4.0"],
    ["Synth-Mixed", "40,000", "20,000", "all three", "2.9"],
]

TABLE_2_HEADER = ["Encoder summary", "Spike", "Shift", "Freq", "Mixed"]
TABLE_2_ROWS = [
    ["z-score > 3 (no model)", "0.71", "0.18", "0.09", "0.33"],
    ["Last LSTM state [7]", "0.62", "0.81", "0.66", "0.68"],
    ["Mean pooling", "0.58", "0.84", "0.70", "0.69"],
    ["Attention, no LayerNorm", "0.80", "0.83", "0.71", "0.75"],
    ["Attention + LayerNorm (ours)", "<b>0.84</b>", "<b>0.86</b>", "<b>0.74</b>", "<b>0.78</b>"],
]

# Every value here is also a default of the sample repository (train.py, configs/default.yaml).
TABLE_3_HEADER = ["Hyperparameter", "Value", "train.py flag"]
TABLE_3_ROWS = [
    ["input features F", "5", "--n-features"],
    ["window length T", "50", "--window"],
    ["window stride", "1", "--stride"],
    ["LSTM layers", "2", "--num-layers"],
    ["hidden size", "128", "--hidden"],
    ["embedding size", "64", "--embed"],
    ["bottleneck size", "8", "--bottleneck"],
    ["dropout", "0.1", "--dropout"],
    ["optimizer", "Adam", ""],
    ["learning rate", "1e-3", "--lr"],
    ["LR schedule", "StepLR, 10 / 0.5", "--step-size, --gamma"],
    ["batch size", "32", "--batch-size"],
    ["epochs", "30", "--epochs"],
    ["gradient clipping", "max norm 1.0", "--clip"],
    ["threshold", "99th percentile", "--percentile"],
    ["seed", "42", "--seed"],
]

# Names are the attribute names in the sample repository's model.py.
TABLE_4_HEADER = ["Layer (model.py)", "Module", "Output shape"]
TABLE_4_ROWS = [
    ["input x", "", "(32, 50, 5)"],
    ["encoder.lstm", "LSTM(5, 128) ×2", "(32, 50, 128)"],
    ["encoder.attn_score", "Linear(128, 1)", "(32, 50, 1)"],
    ["attention pooling", "softmax over T, Σ", "(32, 128)"],
    ["encoder.fc", "Linear(128, 64)", "(32, 64)"],
    ["encoder.norm", "LayerNorm(64) + ReLU", "(32, 64)"],
    ["bottleneck", "Linear 64→8→64", "(32, 64)"],
    ["repeat over T", "", "(32, 50, 64)"],
    ["decoder", "LSTM(64, 128)", "(32, 50, 128)"],
    ["output", "Linear(128, 5)", "(32, 50, 5)"],
]

TABLES = {
    "table1": (TABLE_1_HEADER, TABLE_1_ROWS, ["left", "right", "right", "left", "right"]),
    "table2": (TABLE_2_HEADER, TABLE_2_ROWS, ["left", "right", "right", "right", "right"]),
    "table3": (TABLE_3_HEADER, TABLE_3_ROWS, ["left", "left", "left"]),
    "table4": (TABLE_4_HEADER, TABLE_4_ROWS, ["left", "left", "right"]),
}
