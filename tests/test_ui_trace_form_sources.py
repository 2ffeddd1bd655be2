"""The Trace Settings form says where each constructor value came from, and opens at a blind guess."""
from __future__ import annotations

from reader_app.trace.result import TraceResult
from reader_app.ui.code.trace_form import TraceForm


def test_each_value_shows_where_the_repository_states_it(qtbot):
    result = TraceResult(class_name="VanillaVAE", args={"in_channels": 3, "latent_dim": 128, "hidden_dims": None},
                         arg_sources={"in_channels": {"value": 3, "from": "configs/vae.yaml:3"},
                                      "latent_dim": {"value": 128, "from": "configs/vae.yaml:4"},
                                      "hidden_dims": {"value": None, "from": "default"}})
    form = TraceForm(result)
    qtbot.addWidget(form)
    assert form.sources["latent_dim"].text() == "configs/vae.yaml:4"
    assert "hidden_dims" not in form.sources  # the signature's own default needs no note
    assert form.overrides()["args"] == {}  # showing the source changes no value


def test_a_build_that_failed_on_a_blind_guess_opens_at_that_field(qtbot):
    result = TraceResult.failed("ValueError while building Net (16 was a blind guess for blk)", "net.py",
                                class_name="Net", args={"width": 64, "blk": 16},
                                arg_sources={"width": {"value": 64, "from": "guess"},
                                             "blk": {"value": 16, "from": "blind guess"}})
    form = TraceForm(result)
    qtbot.addWidget(form)
    form.show()
    assert form.focusWidget() is form.fields["blk"]  # gets the keyboard as soon as the dialog is active
    assert form.sources["width"].text() == "guess"
