"""Where each forward() input came from (issue 11): the repository's own example call, the reader's --input, or
a guess, said per input in `reader-app trace --json` and on each input row of the Trace Settings form, the
same way constructor values say theirs. The repository is generated here: a README that builds the model and
feeds it token ids, while a second input of forward() is left for the trace to make up."""
from __future__ import annotations

import pytest
from tree_helpers import trace_cli, write_tree

from reader_app.notes import repo_id_for
from reader_app.trace.result import TensorInfo, TraceResult
from reader_app.ui.code.trace_controller import CONSENT_KEY
from reader_app.ui.code.trace_form import TraceForm, note_style
from ui_helpers import open_repo

# README line 10 feeds `tokens`; `scale` is required by forward() but the example never shows it.
TAGGER = {
    "tagger/__init__.py": "from tagger.model import Tagger\n",
    "tagger/model.py": """
        import torch.nn as nn


        class Tagger(nn.Module):
            def __init__(self, vocab, dim):
                super().__init__()
                self.emb = nn.Embedding(vocab, dim)
                self.out = nn.Linear(dim, 5)

            def forward(self, tokens, scale):
                return self.out(self.emb(tokens)) * scale.mean()
        """,
    "README.md": """
        # tagger

        ```python
        import torch
        from tagger import Tagger

        model = Tagger(vocab=100, dim=32)
        tokens = torch.randint(0, 100, (2, 7))
        out = model(tokens)
        ```
        """,
}
EXAMPLE_LINE, BUILT_LINE = "README.md:10", "README.md:8"  # the call, and the construction


@pytest.fixture
def tagger(tmp_path):
    return write_tree(tmp_path / "tagger", TAGGER)


@pytest.mark.slow
def test_trace_json_says_where_each_input_came_from(tagger):
    status, report, stderr = trace_cli(tagger)
    assert status == 0, stderr
    inputs = {entry["name"]: entry for entry in report["inputs"]}
    assert inputs["tokens"]["from"] == EXAMPLE_LINE and inputs["tokens"]["shape"][1:] == [7]
    assert inputs["scale"]["from"] == "guess"  # made up by the trace, and labelled so
    status, report, stderr = trace_cli(tagger, "--input", "tokens=3,4:int64", "--input", "scale=1:float32")
    assert status == 0, stderr
    assert [entry["from"] for entry in report["inputs"]] == ["--input", "--input"]


@pytest.mark.slow
def test_each_input_row_of_the_form_shows_where_it_came_from(qtbot, empty_window, tagger):
    window = empty_window
    window.store.set_setting(CONSENT_KEY + repo_id_for(tagger), True)
    with qtbot.waitSignal(window.trace.traced, timeout=120_000) as blocker:
        open_repo(qtbot, window, tagger)
    result = blocker.args[0]
    assert result.error is None, result.error
    assert window.trace.form is None  # a trace that worked opens nothing by itself

    form = window.trace.open_form()
    qtbot.waitExposed(form)
    assert form.isVisible() and form.windowTitle() == "Trace Settings"
    tokens, scale = form.input_sources["tokens"], form.input_sources["scale"]
    # the same note as a constructor value's: the repository's line in grey, a guess in red
    assert tokens.text() == EXAMPLE_LINE and form.sources["vocab"].text() == BUILT_LINE
    assert tokens.styleSheet() == note_style(False) == form.sources["vocab"].styleSheet()
    assert scale.text() == "guess" and scale.styleSheet() == note_style(True) != note_style(False)
    assert tokens.isVisible() and scale.isVisible()
    assert form.input_fields["tokens"].text() == "2,7:int64"

    # nothing edited: the trace chooses the inputs again (the example's), not a frozen copy of them
    assert form.overrides()["inputs"] == []
    form.input_fields["tokens"].setText("3,11:int64")
    with qtbot.waitSignal(window.trace.traced, timeout=120_000) as again:
        form.accept()
    retraced = again.args[0]
    assert retraced.error is None, retraced.error
    assert [(t.name, t.shape, t.source) for t in retraced.inputs][0] == ("tokens", [3, 11], "--input")
    form = window.trace.open_form()
    assert "tokens" not in form.input_sources  # the reader's own value needs no note
    assert form.input_fields["tokens"].text() == "3,11:int64"
    assert form.overrides()["inputs"] == ["tokens=3,11:int64", f"scale={retraced.inputs[1].spec().split('=')[1]}"]


def test_values_the_reader_set_stay_set_when_the_form_is_used_again(qtbot):
    """A value set in the form before is passed again, even where the form now shows it unchanged (it is the
    value the last build used), and one the last build never got to stays in the form."""
    result = TraceResult.failed("Cannot build Net without configuration: cannot guess a value for the argument "
                                "'lookup'; give one with --arg lookup=VALUE", "net.py", class_name="Net",
                                inputs=[TensorInfo("x", [2, 8], ["batch", "8"], "float32", "guess")])
    form = TraceForm(result, previous={"args": {"width": 8}, "inputs": [], "device": "meta"})
    qtbot.addWidget(form)
    assert form.fields["width"].text() == "8"
    assert form.fields["lookup"].text() == ""
    assert form.overrides()["args"] == {"width": 8}  # the empty missing value is not sent as ""
    form.fields["lookup"].setText("{'a': 1}")
    assert form.overrides()["args"] == {"width": 8, "lookup": {"a": 1}}
