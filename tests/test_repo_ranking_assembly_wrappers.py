"""An encoder-decoder that only pairs two copies of the README's first-usage model (the decoder inside a
generation wrapper) is an extra the README offers later, not the model, even when the wrapper builds its own
helper around the model it is handed (a padder: `self.net = Padder(net)`). The helper belongs to the wrapper,
so the pair still adds nothing of the repository's own to the model (issue 11, a held-out language-model
package). Counter-cases: a training script that builds the pair trains it, so it is the model; a sequence-to-
sequence model of an Encoder and a Decoder class is a model of its own parts, not a pair of one model."""
from __future__ import annotations

import textwrap
from pathlib import Path

from reader_app.repo import scan_repo

HEAD = "import torch\nimport torch.nn as nn\n\n\n"

LM = HEAD + textwrap.dedent('''
    class Block(nn.Module):
        def __init__(self, width):
            super().__init__()
            self.fc = nn.Linear(width, width)

        def forward(self, x):
            return self.fc(x)


    class Stack(nn.Module):
        def __init__(self, width, depth):
            super().__init__()
            self.blocks = nn.ModuleList([Block(width) for _ in range(depth)])

        def forward(self, x):
            for block in self.blocks:
                x = block(x)
            return x


    class RouteLM(nn.Module):
        def __init__(self, num_tokens, width, depth, return_embeddings=False):
            super().__init__()
            self.emb = nn.Embedding(num_tokens, width)
            self.stack = Stack(width, depth)
            self.out = nn.Linear(width, num_tokens)

        def forward(self, tokens, context=None):
            return self.out(self.stack(self.emb(tokens)))
''')

# The wrapper pads what it is handed: the padder is built only around the wrapped model.
WRAPPER = HEAD + textwrap.dedent('''
    from routelm.lm import RouteLM


    class Padder(nn.Module):
        def __init__(self, net, multiple=8):
            super().__init__()
            self.net = net
            self.multiple = multiple

        def forward(self, x, **kwargs):
            return self.net(x, **kwargs)


    class GenerationWrapper(nn.Module):
        def __init__(self, net, pad_value=0):
            super().__init__()
            assert isinstance(net, RouteLM)
            self.net = Padder(net)
            self.pad_value = pad_value

        def forward(self, tokens, **kwargs):
            return self.net(tokens, **kwargs)
''')

ENC_DEC = HEAD + textwrap.dedent('''
    from routelm.lm import RouteLM
    from routelm.generate import GenerationWrapper


    class RouteEncDec(nn.Module):
        def __init__(self, width, **kwargs):
            super().__init__()
            enc = RouteLM(width=width, return_embeddings=True, **kwargs)
            dec = RouteLM(width=width, **kwargs)
            self.enc = enc
            self.dec = GenerationWrapper(dec)

        def forward(self, src, tgt):
            return self.dec(tgt, context=self.enc(src))
''')

README = textwrap.dedent('''
    # RouteLM

    ## Usage

    A simple language model

    ```python
    import torch
    from routelm import RouteLM

    model = RouteLM(num_tokens = 20000, width = 512, depth = 12)
    x = torch.randint(0, 20000, (1, 1024))
    y = model(x)
    ```

    ## Encoder Decoder

    To use a full encoder, decoder, import the `RouteEncDec` class: its encoder and decoder are each a `RouteLM`
    built from the same keywords.

    ```python
    import torch
    from routelm import RouteEncDec

    model = RouteEncDec(width = 512, num_tokens = 20000, depth = 4)
    src = torch.randint(0, 20000, (1, 1024))
    tgt = torch.randint(0, 20000, (1, 1024))
    loss = model(src, tgt)
    ```
''')


def _train(builds: str) -> str:
    """A training script; `builds` are the lines that bind `model`."""
    head = "import torch\nfrom routelm import RouteLM, RouteEncDec\nfrom routelm.generate import GenerationWrapper\n\n"
    return head + builds + "\n" + textwrap.dedent('''
        optim = torch.optim.Adam(model.parameters(), lr=1e-4)
        for step in range(100):
            loss = model(torch.randint(0, 256, (4, 128))).sum()
            loss.backward()
            optim.step()
            optim.zero_grad()
    ''')


def _repo(tmp_path: Path, train: str) -> Path:
    root = tmp_path / "routelm-repo"
    (root / "routelm").mkdir(parents=True)
    (root / "examples").mkdir()
    (root / "routelm" / "__init__.py").write_text(
        "from routelm.lm import RouteLM\nfrom routelm.enc_dec import RouteEncDec\n"
        "from routelm.generate import GenerationWrapper\n")
    (root / "routelm" / "lm.py").write_text(LM)
    (root / "routelm" / "generate.py").write_text(WRAPPER)
    (root / "routelm" / "enc_dec.py").write_text(ENC_DEC)
    (root / "README.md").write_text(README)
    (root / "examples" / "train.py").write_text(train)
    return root


WRAPPED_LM = "model = RouteLM(num_tokens=256, width=64, depth=2)\nmodel = GenerationWrapper(model)"


def _top(info) -> list:
    return [(m.name, round(m.score, 1), m.reasons) for m in info.models[:2]]


def test_a_pair_of_the_first_usage_model_with_a_padding_wrapper_does_not_outrank_it(tmp_path):
    info = scan_repo(_repo(tmp_path, _train(WRAPPED_LM)))
    assert info.main.name == "RouteLM", _top(info)
    assert info.main.file == "routelm/lm.py"
    pair = info.model_named("RouteEncDec")
    assert any("an assembly of that model" in r and "RouteLM" in r for r in pair.reasons), pair.reasons
    # the README's model is not "a part of" the pair that merely assembles it
    assert not any(r.startswith("a part of") and "RouteEncDec" in r for r in info.main.reasons), info.main.reasons


def test_scripts_that_build_the_pair_and_the_model_on_its_own_leave_the_readme_order_to_decide(tmp_path):
    root = _repo(tmp_path, _train(WRAPPED_LM))
    (root / "examples" / "copy_task.py").write_text(_train("model = RouteEncDec(width=64, num_tokens=256, depth=2)"))
    info = scan_repo(root)
    assert info.main.name == "RouteLM", _top(info)


def test_a_pair_the_training_script_builds_is_the_model(tmp_path):
    info = scan_repo(_repo(tmp_path, _train("model = RouteEncDec(width=64, num_tokens=256, depth=2)")))
    assert info.main.name == "RouteEncDec", _top(info)
    assert not any("an assembly of that model" in r for r in info.main.reasons), info.main.reasons


SEQ2SEQ = HEAD + textwrap.dedent('''
    class Encoder(nn.Module):
        def __init__(self, vocab, width):
            super().__init__()
            self.emb = nn.Embedding(vocab, width)
            self.rnn = nn.GRU(width, width, batch_first=True)

        def forward(self, src):
            return self.rnn(self.emb(src))[1]


    class Decoder(nn.Module):
        def __init__(self, vocab, width):
            super().__init__()
            self.emb = nn.Embedding(vocab, width)
            self.rnn = nn.GRU(width, width, batch_first=True)
            self.out = nn.Linear(width, vocab)

        def forward(self, tgt, hidden):
            return self.out(self.rnn(self.emb(tgt), hidden)[0])


    class Seq2Seq(nn.Module):
        def __init__(self, vocab, width):
            super().__init__()
            self.encoder = Encoder(vocab, width)
            self.decoder = Decoder(vocab, width)

        def forward(self, src, tgt):
            return self.decoder(tgt, self.encoder(src))
''')


def test_a_seq2seq_of_an_encoder_and_a_decoder_the_readme_builds_first_is_the_model(tmp_path):
    root = tmp_path / "seq-repo"
    (root / "seq").mkdir(parents=True)
    (root / "seq" / "__init__.py").write_text("from seq.model import Encoder, Decoder, Seq2Seq\n")
    (root / "seq" / "model.py").write_text(SEQ2SEQ)
    (root / "README.md").write_text(textwrap.dedent('''
        # seq

        ```python
        from seq import Seq2Seq

        model = Seq2Seq(1000, 256)
        out = model(src, tgt)
        ```

        The encoder on its own:

        ```python
        from seq import Encoder

        encoder = Encoder(1000, 256)
        ```
    '''))
    info = scan_repo(root)
    assert info.main.name == "Seq2Seq", _top(info)
