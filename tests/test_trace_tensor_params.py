"""A constructor argument that is a tensor: pretrained embedding vectors handed in (`Net(..., vocab_size,
embedding_length, weights)` with `self.emb.weight = nn.Parameter(weights)`, `nn.Embedding.from_pretrained(m)`,
`self.emb.weight.data.copy_(vectors)`). The trace stands in a float matrix of the shape of the layer it is the
weight of (the sizes that layer is built with), labelled a guess that says what the repository hands there;
a blind 16 failed the build ("'int' object has no attribute 'detach'"). Each repository is generated here."""
from __future__ import annotations

from tree_helpers import first_outs, trace_repos

from reader_app.repo.handed_expressions import handed_expression

# nn.Parameter form: the embedding the matrix replaces the weight of is built with (vocab_size, embedding_length)
PARAMETER = {
    "models/classifier.py": """
        import torch.nn as nn


        class Classifier(nn.Module):
            def __init__(self, output_size, hidden_size, vocab_size, embedding_length, weights):
                super().__init__()
                self.word_embeddings = nn.Embedding(vocab_size, embedding_length)
                self.word_embeddings.weight = nn.Parameter(weights, requires_grad=False)
                self.lstm = nn.LSTM(embedding_length, hidden_size, batch_first=True)
                self.label = nn.Linear(hidden_size, output_size)

            def forward(self, text):
                out, (h, c) = self.lstm(self.word_embeddings(text))
                return self.label(h[-1])
        """,
    "data.py": """
        import torch


        def load():
            vectors = torch.load('vectors.pt')
            return len(vectors), vectors
        """,
    "train.py": """
        import data
        from models.classifier import Classifier

        vocab_size, vectors = data.load()
        model = Classifier(2, 24, vocab_size, 50, vectors)
        """,
}

# from_pretrained form: the matrix alone defines the layer, through torch.from_numpy(...).float()
FROM_PRETRAINED = {
    "tagger.py": """
        import torch
        import torch.nn as nn


        class Tagger(nn.Module):
            def __init__(self, embedding_matrix, n_tags):
                super().__init__()
                self.embed = nn.Embedding.from_pretrained(torch.from_numpy(embedding_matrix).float(), freeze=True)
                self.out = nn.Linear(self.embed.embedding_dim, n_tags)

            def forward(self, tokens):
                return self.out(self.embed(tokens))
        """,
    "run.py": """
        import numpy as np
        from tagger import Tagger

        matrix = np.load('glove_matrix.npy')
        model = Tagger(matrix, 5)
        """,
}

# from_pretrained form with the sizes as other arguments: they size the matrix by their names
NAMED_SIZES = {
    "encoder.py": """
        import torch.nn as nn


        class Encoder(nn.Module):
            def __init__(self, vocab_size, emb_dim, vectors, hidden):
                super().__init__()
                self.emb = nn.Embedding.from_pretrained(vectors, freeze=False)
                self.proj = nn.Linear(emb_dim, hidden)

            def forward(self, ids):
                return self.proj(self.emb(ids))
        """,
    "run.py": """
        from encoder import Encoder

        model = Encoder(vocab_size=len(vocab), emb_dim=30, vectors=load_vectors(), hidden=8)
        """,
}

# copy_ form: the sizes are stated at the call site, the vectors are a run's
COPY = {
    "cnn.py": """
        import torch.nn as nn


        class CNNText(nn.Module):
            def __init__(self, vocab_size, embed_dim, n_classes, pretrained):
                super().__init__()
                self.embedding = nn.Embedding(vocab_size, embed_dim)
                self.embedding.weight.data.copy_(pretrained)
                self.fc = nn.Linear(embed_dim, n_classes)

            def forward(self, x):
                return self.fc(self.embedding(x).mean(1))
        """,
    "main.py": """
        from cnn import CNNText

        TEXT = load_field()
        model = CNNText(500, 40, 4, TEXT.vocab.vectors)
        """,
}


def test_a_tensor_argument_is_stood_in_with_the_shape_of_the_layer_it_replaces(tmp_path):
    results = trace_repos(tmp_path, {"parameter": PARAMETER, "from_pretrained": FROM_PRETRAINED, "copy": COPY,
                                     "named": NAMED_SIZES},
                          "--no-lines")

    code, data, err = results["parameter"]
    assert code == 0 and not data.get("error"), err
    weights = data["arg_sources"]["weights"]["from"]
    assert weights.startswith("guess: a (vocab_size x embedding_length) float tensor")
    assert "stood in for torch.load('vectors.pt') (data.py:6)" in weights
    assert data["arg_sources"]["embedding_length"]["from"] == "train.py:6"
    assert first_outs(data)["word_embeddings"][-1] == 50
    assert first_outs(data)["label"][-1] == 2

    code, data, err = results["from_pretrained"]
    assert code == 0 and not data.get("error"), err
    matrix = data["arg_sources"]["embedding_matrix"]["from"]
    assert matrix.startswith("guess: a (a guessed vocabulary x a guessed width) float array")
    assert "stood in for np.load('glove_matrix.npy') (run.py:5)" in matrix
    assert first_outs(data)["embed"][-1] == 64 and first_outs(data)["out"][-1] == 5

    code, data, err = results["copy"]
    assert code == 0 and not data.get("error"), err
    assert data["args"]["vocab_size"] == 500 and data["args"]["embed_dim"] == 40
    pretrained = data["arg_sources"]["pretrained"]["from"]
    assert pretrained == "guess: a (vocab_size x embed_dim) float tensor stood in for TEXT.vocab.vectors (main.py:5)"
    assert first_outs(data)["embedding"][-1] == 40

    code, data, err = results["named"]
    assert code == 0 and not data.get("error"), err
    assert data["arg_sources"]["vectors"]["from"] == \
        "guess: a (vocab_size x emb_dim) float tensor stood in for load_vectors() (run.py:4)"
    assert first_outs(data)["emb"][-1] == 30 and first_outs(data)["proj"][-1] == 8


def test_what_the_repository_hands_is_followed_through_a_returned_tuple(tmp_path):
    from tree_helpers import write_tree

    root = write_tree(tmp_path / "repo", PARAMETER)
    params = ["output_size", "hidden_size", "vocab_size", "embedding_length", "weights"]
    assert handed_expression(str(root), "models/classifier.py", "Classifier", params, "weights") == \
        ("torch.load('vectors.pt')", "data.py:6")
    assert handed_expression(str(root), "models/classifier.py", "Classifier", params, "vocab_size") == \
        ("len(vectors)", "data.py:7")
