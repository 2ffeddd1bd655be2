"""Values of the right kind, traced zero-config (issue 11): a config class gets the values a script states
at its call, not a sibling subclass's; a path parameter gets the repository's file of the kind the model
parses; a model whose only builder reads its sizes from a checkpoint says so in one sentence; sequence
lengths are one integer per sequence, in the shape the docstring gives. Each repository is generated here."""
from __future__ import annotations


import pytest
from tree_helpers import first_outs as outs, trace_repos

# B. A config class that takes **kwargs and sets them as attributes; a sibling subclass states other sizes
# as class attributes. The training script builds the base class with its own sizes.
CONFIG_CALL = {
    "lm/model.py": """
    import torch.nn as nn

    class NetConfig:
        dropout = 0.1

        def __init__(self, vocab_size, block_size, **kwargs):
            self.vocab_size = vocab_size
            self.block_size = block_size
            for k, v in kwargs.items():
                setattr(self, k, v)

    class BigNetConfig(NetConfig):
        n_layer = 12
        n_embd = 768

    class TinyLM(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.emb = nn.Embedding(config.vocab_size, config.n_embd)
            self.blocks = nn.Sequential(*[nn.Linear(config.n_embd, config.n_embd) for _ in range(config.n_layer)])
            self.head = nn.Linear(config.n_embd, config.vocab_size)

        def forward(self, idx):
            return self.head(self.blocks(self.emb(idx)))
    """,
    "train.py": """
    class CharData:
        def __init__(self, text, block_size):
            self.vocab_size = len(set(text))
            self.block_size = block_size

    if __name__ == '__main__':
        block_size = 64
        data = CharData(open('input.txt').read(), block_size)
        from lm.model import TinyLM, NetConfig
        conf = NetConfig(data.vocab_size, data.block_size, n_layer=3, n_embd=96)
        model = TinyLM(conf)
    """}

# E. The architecture is a file the constructor parses (darknet-style `[section]` / `key=value`, its `[net]`
# section the input size), handed to a parser under a name that does not say "path"; the README names the
# file its scripts use, beside another one and a data file.
PATH_ARG = {
    "det/parse.py": """
    def parse_layers(path):
        blocks = []
        for line in open(path).read().splitlines():
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            if line.startswith('['):
                blocks.append({'type': line[1:-1]})
            else:
                key, value = line.split('=')
                blocks[-1][key.strip()] = int(value) if value.strip().isdigit() else value.strip()
        return blocks
    """,
    "det/models.py": '''
    import torch.nn as nn
    from det.parse import parse_layers

    class CfgNet(nn.Module):
        """A network described by a layer file (.cfg)."""

        def __init__(self, cfg):
            super().__init__()
            blocks = parse_layers(cfg)
            self.hyperparams = blocks[0]
            self.layers = nn.ModuleList()
            channels = blocks[0]['channels']
            for block in blocks[1:]:
                self.layers.append(nn.Sequential(nn.Conv2d(channels, block['filters'], 3, padding=1), nn.ReLU()))
                channels = block['filters']

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return x
    ''',
    "config/tiny.cfg": "[net]\nchannels=3\n\n[conv]\nfilters=8\n",
    "config/full.cfg": "[net]\nchannels=3\nheight=64\nwidth=48\n\n[conv]\nfilters=24\n\n[conv]\nfilters=40\n",
    "config/data.txt": "train=data/train.txt\n",
    "README.md": "# CfgNet\n\n    python detect.py --model config/full.cfg --images data/samples\n",
    "detect.py": """
    import sys
    from det.models import CfgNet

    model = CfgNet(sys.argv[2])
    """}

# D. The only place that builds the model reads every size from a checkpoint's tensors.
STATE_DICT = {
    "vis/model.py": """
    import torch
    import torch.nn as nn

    class Encoder(nn.Module):
        def __init__(self, embed_dim: int, width: int, layers: int, patch_size: int):
            super().__init__()
            self.patch = nn.Conv2d(3, width, patch_size, patch_size)
            self.mlp = nn.Sequential(*[nn.Linear(width, width) for _ in range(layers)])
            self.proj = nn.Linear(width, embed_dim)

        def forward(self, image):
            x = self.patch(image).flatten(2).transpose(1, 2)
            return self.proj(self.mlp(x).mean(1))

    def build_model(state_dict: dict):
        if "patch.weight" in state_dict:
            width = state_dict["patch.weight"].shape[0]
            patch_size = state_dict["patch.weight"].shape[-1]
        else:
            width = 64
            patch_size = None
        layers = len([k for k in state_dict if k.startswith("mlp.") and k.endswith(".weight")])
        embed_dim = state_dict["proj.weight"].shape[0]
        model = Encoder(embed_dim, width, layers, patch_size)
        model.load_state_dict(state_dict)
        return model.eval()
    """,
    "vis/load.py": """
    import torch
    from vis.model import build_model

    def load(path):
        return build_model(torch.load(path, map_location="cpu"))
    """,
    "README.md": "# Encoder\n\n```python\nfrom vis.load import load\nmodel = load('encoder.pt')\n```\n"}

# F. Lengths documented as (batch_size, 1), squeezed and sorted before a decoding loop over them.
LENGTHS = {
    "cap/models.py": '''
    import torch
    import torch.nn as nn

    class Decoder(nn.Module):
        def __init__(self, vocab_size=50, embed_dim=24, decoder_dim=32):
            super().__init__()
            self.embedding = nn.Embedding(vocab_size, embed_dim)
            self.decode_step = nn.LSTMCell(embed_dim, decoder_dim)
            self.fc = nn.Linear(decoder_dim, vocab_size)
            self.decoder_dim = decoder_dim

        def forward(self, encoded_captions, caption_lengths):
            """
            :param encoded_captions: encoded captions, a tensor of dimension (batch_size, max_caption_length)
            :param caption_lengths: caption lengths, a tensor of dimension (batch_size, 1)
            """
            batch_size = encoded_captions.size(0)
            caption_lengths, sort_ind = caption_lengths.squeeze(1).sort(dim=0, descending=True)
            encoded_captions = encoded_captions[sort_ind]
            embeddings = self.embedding(encoded_captions)
            h = torch.zeros(batch_size, self.decoder_dim)
            c = torch.zeros(batch_size, self.decoder_dim)
            decode_lengths = (caption_lengths - 1).tolist()
            scores = torch.zeros(batch_size, max(decode_lengths), self.fc.out_features)
            for t in range(max(decode_lengths)):
                running = sum([l > t for l in decode_lengths])
                h, c = self.decode_step(embeddings[:running, t, :], (h[:running], c[:running]))
                scores[:running, t, :] = self.fc(h)
            return scores
    '''}

# D'. The same, but a training script also states sizes (one of them it reads from its command line, another
# is None in one branch, never a value for an int): the repository's values, with labelled guesses for the
# ones it leaves open, not the checkpoint sentence.
STATE_DICT_AND_SCRIPT = {**STATE_DICT, "train.py": """
    import sys
    from vis.model import Encoder

    depth = int(sys.argv[1])
    patch = 8
    if depth > 12:
        patch = None
    model = Encoder(embed_dim=32, width=48, layers=depth, patch_size=patch)
    """}

REPOS = {"config_call": CONFIG_CALL, "path_arg": PATH_ARG, "state_dict": STATE_DICT,
         "state_dict_and_script": STATE_DICT_AND_SCRIPT, "lengths": LENGTHS}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("stated_kinds")
    return trace_repos(base, REPOS)




def sources(data: dict) -> dict:
    return {k: (v["value"], v["from"]) for k, v in data["arg_sources"].items()}


def test_a_config_class_gets_the_sizes_its_call_states_not_a_subclass_attributes(traced):
    code, data, err = traced["config_call"]
    assert code == 0, err
    got = outs(data)
    assert got["emb"][-1] == 96 and got["blocks"][-1] == 96, got
    assert "blocks.2" in got and "blocks.3" not in got
    assert sources(data)["n_embd"] == (96, "train.py:11")
    assert sources(data)["block_size"] == (64, "train.py:8")  # read back from the dataset it was handed to


def test_a_path_argument_gets_the_repository_file_the_readme_names(traced):
    code, data, err = traced["path_arg"]
    assert code == 0, err
    assert sources(data)["cfg"][0].endswith("config/full.cfg")
    assert "README.md" in sources(data)["cfg"][1]
    got = outs(data)
    assert got["layers.0"] == [2, 24, 64, 48] and got["layers.1"] == [2, 40, 64, 48]  # the file's input size


def test_a_model_built_only_from_a_checkpoint_says_so_in_one_sentence(traced):
    code, data, err = traced["state_dict"]
    assert code != 0
    message = data["error"]["message"]
    assert "build_model" in message and "vis/model.py" in message and "state dict" in message
    assert "embed_dim" in message and "--arg" in message
    assert "NoneType" not in message and "TypeError" not in message and "\n" not in message
    assert (data["error"]["file"], data["error"]["line"]) == ("vis/model.py", 25)  # the builder's call


def test_sizes_a_script_states_beat_a_checkpoint_builder(traced):
    code, data, err = traced["state_dict_and_script"]
    assert code == 0, err
    assert sources(data)["embed_dim"] == (32, "train.py:9") and sources(data)["layers"][1] == "guess"
    # the script's own 8 stands; the branch a run's depth decides is named beside it, not taken
    assert sources(data)["patch_size"] == (8, "train.py:6; train.py:8 would set None if depth > 12")
    got = outs(data)
    assert got["patch"] == [2, 48, 4, 4] and got["proj"] == [2, 32]


def test_lengths_are_one_integer_per_sequence_in_the_documented_shape(traced):
    code, data, err = traced["lengths"]
    assert code == 0, err
    inputs = {i["name"]: i for i in data["inputs"]}
    assert inputs["caption_lengths"]["shape"][0] == inputs["encoded_captions"]["shape"][0]
    assert len(inputs["caption_lengths"]["shape"]) == 2 and inputs["caption_lengths"]["shape"][1] == 1
    got = outs(data)
    assert got["embedding"][-1] == 24 and got["fc"][-1] == 50
