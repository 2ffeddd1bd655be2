"""Mention suggestions on the shared papers against fixture repositories that implement them.

The expectations were checked by hand, reading the papers: for each layer kind of the model, the
section(s) where the paper describes that kind as part of its own architecture, and the words the
passage must use (None: the paper never speaks of that kind). The first suggestion counts as right
when it comes from one of those sections and uses those words, or when there is none and None was
expected. The issue asks for at least 80% right.
"""
from __future__ import annotations

import re
from pathlib import Path

from reader_app.paper import analyze_paper
from reader_app.repo import scan_repo
from reader_app.workflow.mentions import suggest_mentions
from reader_app.workflow.paper_text import read_paper_text

FIXTURES = Path(__file__).parent / "fixtures" / "repos"

# (paper, fixture repo) -> kind -> (sections that describe it, words the passage must contain)
EXPECTED = {
    ("01_attention_is_all_you_need_1706.03762.pdf", "transformer_classifier"): {
        "embedding": (("3.1", "3.4"), r"embedding"),
        "positional": (("3.5",), r"positional encoding"),
        "dropout": (("5.4",), r"dropout"),
        "encoder": (("3.1",), r"encoder"),
        "linear": (("3", "3.3", "3.4"), r"fully connected|linear"),
        "attention": (("3.2", "3.2.1", "3.2.2", "3.2.3"), r"attention"),
    },
    ("01_attention_is_all_you_need_1706.03762.pdf", "gpt_config"): {
        "transformer": (("3", "3.1"), r"Transformer|self-attention"),
        "embedding": (("3.1", "3.4"), r"embedding"),
        "positional": (("3.5",), r"positional encoding"),
        "dropout": (("5.4",), r"dropout"),
        "layernorm": (("3.1",), r"layer normalization"),
        "attention": (("3.2", "3.2.1", "3.2.2", "3.2.3"), r"attention"),
        "linear": (("3", "3.3"), r"fully connected|linear"),
        "feedforward": (("3.3",), r"feed-forward"),
        "activation": (("3.3",), r"ReLU"),
        "residual": (("3.1", "5.4"), r"residual"),
    },
    ("04_resnet_1512.03385.pdf", "resnet_factories"): {
        "conv": (("3.3",), r"convolutional"),
        "batchnorm": (("3.4",), r"batch normalization|BN"),
        "activation": (("3.2",), r"ReLU"),
        "pooling": (("3.3",), r"pooling"),
        "linear": (("3.3",), r"fully-connected"),
        "residual": (("3.1", "3.2"), r"residual|shortcut"),
    },
    ("07_luong_attention_nmt_1508.04025.pdf", "seq2seq_lstm_attention"): {
        "encoder": (("2", "3", "3.1"), r"encoder"),
        "embedding": (("4.1",), r"embedding"),
        "lstm": (("2",), r"LSTM"),
        "linear": (("3",), r"concatenation layer|W_?c"),  # the paper's "simple concatenation layer"
        "dropout": (("4.1",), r"dropout"),
        "decoder": (("2", "3", "3.1"), r"decoder"),
        "attention": (("3", "3.1", "3.2"), r"attention"),
    },
    # a U-Net against the denoising convnet paper: it never speaks of batch normalization or pooling,
    # so for those the right answer is no suggestion at all (None)
    ("09_jain_seung_image_denoising_convnets_nips08.pdf", "unet_two_files"): {
        "conv": (("2", "Network Dynamics and Architecture", "Learning to Denoise"), r"convolution"),
        "batchnorm": None,
        "activation": (("Network Dynamics and Architecture",), r"sigmoid"),
        "pooling": None,
    },
}


def first_suggestions(paper_path: Path, repo_dir: Path) -> dict[str, object]:
    """kind -> the first suggestion for the first layer of that kind (None when there is none)."""
    paper = analyze_paper(paper_path)
    text = read_paper_text(paper_path, paper)
    out = {}
    for lm in suggest_mentions(scan_repo(repo_dir), text):
        if lm.kinds and lm.kinds[0] not in out:
            out[lm.kinds[0]] = lm.mentions[0] if lm.mentions else None
    return out


def test_first_suggestion_per_layer_kind_is_right_in_80_percent(shared_papers):
    right, total, wrong = 0, 0, []
    for (pdf, repo), kinds in EXPECTED.items():
        found = first_suggestions(shared_papers / pdf, FIXTURES / repo)
        assert set(kinds) <= set(found), f"{repo}: layer kinds {sorted(set(kinds) - set(found))} not listed"
        for kind, expected in kinds.items():
            total += 1
            mention = found[kind]
            if expected is None:
                ok = mention is None
            else:
                sections, words = expected
                ok = mention is not None and re.search(words, mention.snippet, re.I) is not None and any(
                    mention.section == s or mention.section.startswith(s + " ") for s in sections)
            if ok:
                right += 1
            else:
                wrong.append((pdf[:2], kind, mention.section if mention else None))
    assert total == 33
    print(f"\nfirst suggestion right for {right}/{total} layer kinds ({right / total:.0%}); wrong: {wrong}")
    assert right / total >= 0.8, wrong
