"""The TF.js tab, the Exercise tab and the questions of the Steps page, driven in the real window: the
model runs in the tracing child and the TF.js code in a real Node with @tensorflow/tfjs (no mocks)."""
from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocumentFragment
from PySide6.QtWidgets import QApplication

from reader_app.paths import sample_repo
from translate_helpers import require_node, write_repo
from ui_helpers import open_repo

pytestmark = pytest.mark.slow
SLOW = 300_000  # ms: the model and Node run in child processes on a machine that may be busy


@pytest.fixture
def window(empty_window):
    return empty_window


def click_line(qtbot, view, line: int) -> None:
    """Click the middle of a line, as the reader would."""
    cursor = QTextCursor(view.document().findBlockByNumber(line - 1))
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(cursor).center())


def shown(label) -> str:
    """A label's text as the reader sees it (its HTML rendered to plain text)."""
    return QTextDocumentFragment.fromHtml(label.text()).toPlainText()


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def translate_in_window(qtbot, window, signal: str = "checked"):
    controller = window.translate.controller
    window.translate.show_tab("tfjs")
    with qtbot.waitSignal(getattr(controller, signal), timeout=SLOW):
        qtbot.mouseClick(controller.view.translate_button, Qt.MouseButton.LeftButton)
    return controller


def test_the_tfjs_tab_shows_the_checked_translation_and_links_both_sides(qtbot, window):
    require_node()
    open_repo(qtbot, window, sample_repo())
    controller = translate_in_window(qtbot, window)
    view = controller.view
    assert "tf.layers.lstm" in view.js_view.toPlainText() and "custom.AttentionPooling" in view.js_view.toPlainText()
    assert "✓ Checked in Node: TF.js matches PyTorch" in shown(view.status)
    assert "model.py" in view.torch_header.text() and not view.cancel_button.isVisible()

    # a TF.js layer: its PyTorch definition and call light up, the Layers panel selects its module
    model_py = sample_repo() / "model.py"
    js_lines = view.js_view.toPlainText().splitlines()
    fc_line = next(i for i, line in enumerate(js_lines, 1) if "name: 'encoder.fc'" in line)
    click_line(qtbot, view.js_view, fc_line)
    torch_lines = {first for first, _, _ in view.torch_view.highlighted_ranges()}
    assert line_of(model_py, "self.fc = nn.Linear") in torch_lines
    assert line_of(model_py, "return self.act(self.norm(self.fc(pooled)))") in torch_lines
    assert "nn.Linear is tf.layers.dense" in shown(view.note) and "transposed" in shown(view.note)
    assert window.repo_panels.layers_panel.tree.currentItem().text(0) == "encoder"

    # and back: a PyTorch line shows the TF.js layer made from it
    output_line = line_of(model_py, "self.output = nn.Linear")
    click_line(qtbot, view.torch_view, output_line)
    (first, last, _), = view.js_view.highlighted_ranges()
    assert "name: 'output'" in js_lines[last - 1] and js_lines[first - 1].lstrip().startswith("// output")

    # the header lines are the constructor's frame
    click_line(qtbot, view.js_view, 1)
    assert "constructor" in shown(view.note) and "__init__" in shown(view.note)


def test_save_as_writes_the_whole_folder_or_nothing_and_copy_gives_model_js(qtbot, window, tmp_path):
    open_repo(qtbot, window, sample_repo())
    controller = translate_in_window(qtbot, window, "translated")
    qtbot.waitUntil(lambda: not controller.busy(), timeout=SLOW)  # the Node check, if any, ends first
    qtbot.mouseClick(controller.view.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == controller.translation.model_js

    target = tmp_path / "AnomalyAutoencoder-tfjs"
    with qtbot.waitSignal(controller.saved, timeout=30_000):
        controller.save_to(str(target))
    assert sorted(p.name for p in target.iterdir()) == ["layers.js", "model.js", "model.json", "package.json",
                                                        "weights.bin"]
    assert "Saved" in shown(controller.view.message_bar.label)

    crowded = tmp_path / "crowded"
    crowded.mkdir()
    (crowded / "thesis.tex").write_text("mine")
    controller.save_to(str(crowded))
    qtbot.waitUntil(lambda: "other files" in shown(controller.view.message_bar.label), timeout=30_000)
    assert [p.name for p in crowded.iterdir()] == ["thesis.tex"]

    controller.save_to(str(tmp_path / "missing" / "out"))
    qtbot.waitUntil(lambda: "does not exist" in shown(controller.view.message_bar.label), timeout=30_000)
    assert not (tmp_path / "missing").exists()

    with qtbot.waitSignal(controller.saved, timeout=30_000):  # an earlier translation is replaced whole
        controller.save_to(str(target))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["AnomalyAutoencoder-tfjs", "crowded"]


def test_saving_into_a_read_only_folder_is_one_sentence_and_leaves_nothing(qtbot, window, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        open_repo(qtbot, window, sample_repo())
        controller = translate_in_window(qtbot, window, "translated")
        qtbot.waitUntil(lambda: not controller.busy(), timeout=SLOW)
        controller.save_to(str(locked / "out"))
        qtbot.waitUntil(lambda: "read-only" in shown(controller.view.message_bar.label), timeout=30_000)
        assert list(locked.iterdir()) == []  # no half-written folder
    finally:
        locked.chmod(stat.S_IRWXU)


UNTRANSLATABLE = '''
    import torch.nn as nn
    import torch.nn.functional as F


    class Scorer(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Linear(6, 12)
            self.head = nn.Linear(12, 3)

        def forward(self, x):
            return self.head(F.dropout(self.embed(x), 0.1))
'''


def test_a_part_without_faithful_translation_is_listed_not_run(qtbot, window, tmp_path):
    write_repo(tmp_path / "repo", UNTRANSLATABLE)
    open_repo(qtbot, window, tmp_path / "repo")
    controller = translate_in_window(qtbot, window, "translated")
    problems = controller.view.problems
    assert problems.isVisible() and "Not translated" in shown(problems)
    assert "dropout" in shown(problems) and "model.py:13" in shown(problems)
    assert controller.check is None  # nothing was run in Node: there is no model.json
    assert "NOT TRANSLATED" in controller.view.js_view.toPlainText()


def test_without_node_the_translation_is_shown_and_the_tab_says_how_to_enable_the_check(qtbot, window, tmp_path,
                                                                                        monkeypatch):
    monkeypatch.setenv("READER_APP_NODE", str(tmp_path / "no-node"))
    open_repo(qtbot, window, sample_repo())
    controller = translate_in_window(qtbot, window)
    status = shown(controller.view.status)
    assert "Not checked in Node: Node.js is not installed" in status and "make install" in status
    assert "tf.layers.dense" in controller.view.js_view.toPlainText()


def test_a_translation_is_cancelled_at_once_and_leaves_no_process(qtbot, window):
    open_repo(qtbot, window, sample_repo())
    controller = window.translate.controller
    window.translate.show_tab("tfjs")
    qtbot.mouseClick(controller.view.translate_button, Qt.MouseButton.LeftButton)
    assert controller.view.cancel_button.isVisible() and not controller.view.translate_button.isEnabled()
    qtbot.wait(300)  # the tracing child has started
    qtbot.mouseClick(controller.view.cancel_button, Qt.MouseButton.LeftButton)
    assert shown(controller.view.status) == "Cancelled."
    assert controller.view.translate_button.isEnabled() and not controller.view.cancel_button.isVisible()
    qtbot.wait(500)
    assert controller.translation is None and controller.view.js_view.toPlainText() == ""


def test_a_model_that_cannot_run_is_one_sentence_in_the_tab(qtbot, window, tmp_path):
    write_repo(tmp_path / "repo", '''
        import torch.nn as nn


        class Broken(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 2)

            def forward(self, x):
                raise RuntimeError("this model is unfinished")
    ''')
    open_repo(qtbot, window, tmp_path / "repo")
    controller = translate_in_window(qtbot, window, "translated")
    message = shown(controller.view.message_bar.label)
    assert message.startswith("Broken could not be translated:") and "unfinished" in message
    assert "Traceback" not in message and not controller.view.save_button.isEnabled()


def _node_children(script: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if script in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_the_exercise_is_checked_point_by_point_in_node(qtbot, window):
    require_node()
    exercise = window.translate.exercise
    with qtbot.waitSignal(exercise.target_ready, timeout=SLOW):
        window.translate.show_tab("exercise")
    assert "64 -> " in shown(exercise.prompt) and " 8 -> " in shown(exercise.prompt)
    assert "Adam (learning rate 0.001)" in shown(exercise.prompt)

    exercise.editor.setPlainText("const model = tf.sequential();\n"
                                 "model.add(tf.layers.dense({inputShape: [64], units: 16, activation: 'relu'}));\n"
                                 "model.add(tf.layers.dense({units: 64}));\n")
    with qtbot.waitSignal(exercise.checked, timeout=SLOW):
        qtbot.mouseClick(exercise.check_button, Qt.MouseButton.LeftButton)
    verdicts = shown(exercise.results)
    assert "✗" in verdicts and "your model has 2 dense layers" in verdicts and "not compiled" in verdicts

    qtbot.mouseClick(exercise.answer_button, Qt.MouseButton.LeftButton)
    assert exercise.answer.isVisible() and "tf.train.adam(0.001)" in exercise.answer.toPlainText()
    exercise.editor.setPlainText(exercise.answer.toPlainText())
    with qtbot.waitSignal(exercise.checked, timeout=SLOW):
        qtbot.mouseClick(exercise.check_button, Qt.MouseButton.LeftButton)
    assert "Every point matches the PyTorch model." in shown(exercise.results)
    assert shown(exercise.results).count("✓") == 7


def test_a_check_that_never_ends_is_cancelled_and_its_node_process_ends(qtbot, window):
    require_node()
    exercise = window.translate.exercise
    with qtbot.waitSignal(exercise.target_ready, timeout=SLOW):
        window.translate.show_tab("exercise")
    exercise.editor.setPlainText("while (true) {}\n")
    qtbot.mouseClick(exercise.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(_node_children("inspect_model.mjs")), timeout=60_000)
    assert exercise.cancel_button.isVisible()
    qtbot.wait(50)  # the window keeps painting while Node spins
    qtbot.mouseClick(exercise.cancel_button, Qt.MouseButton.LeftButton)
    assert shown(exercise.results) == "Check cancelled." and exercise.check_button.isEnabled()
    deadline = time.monotonic() + 10
    while _node_children("inspect_model.mjs") and time.monotonic() < deadline:
        qtbot.wait(50)
    assert not _node_children("inspect_model.mjs")


def test_questions_from_the_trace_are_answered_in_the_steps_page(qtbot, window):
    from reader_app.notes import repo_id_for
    from reader_app.ui.code.trace_controller import CONSENT_KEY

    window.store.set_setting(CONSENT_KEY + repo_id_for(sample_repo()), True)
    panel = window.translate.questions
    with qtbot.waitSignal(panel.questions_changed, timeout=SLOW, check_params_cb=lambda n: n > 0):
        open_repo(qtbot, window, sample_repo())
    assert window.sidebar.widget(0) is window.translate.steps_page
    assert "questions about AnomalyAutoencoder" in shown(panel.status)
    kinds = {row.question.kind: row for row in panel.rows}
    assert {"output_shape", "compresses", "init_layers", "returns"} <= set(kinds)

    compresses = kinds["compresses"]
    assert "compresses its input to 8 dimensions" in shown(compresses.text)
    compresses.set_answer("decoder")
    qtbot.mouseClick(compresses.check_button, Qt.MouseButton.LeftButton)
    assert shown(compresses.verdict).startswith("✗ Not quite: bottleneck.0")
    compresses.set_answer("bottleneck.0")
    qtbot.mouseClick(compresses.check_button, Qt.MouseButton.LeftButton)
    assert "Right:" in shown(compresses.verdict)
    compresses.verdict.linkActivated.emit("show")  # "Show in the code": the PyTorch tab, at the layer's line
    view = window.code_pane.view
    assert window.translate.code_tabs.currentWidget() is window.code_pane
    assert (view.path.name, view.current_line()) == ("model.py", compresses.question.where[1])

    returns = kinds["returns"]
    returns.set_answer("(batch, 7, 5)")
    qtbot.mouseClick(returns.check_button, Qt.MouseButton.LeftButton)
    assert "Right:" in shown(returns.verdict)


def test_the_two_codes_sit_side_by_side_when_wide_and_stack_when_narrow(qtbot):
    from reader_app.ui.translate.translation_view import TranslationView

    view = TranslationView()
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    qtbot.waitExposed(view)
    assert view.splitter.orientation() == Qt.Orientation.Horizontal
    view.resize(480, 700)
    qtbot.waitUntil(lambda: view.splitter.orientation() == Qt.Orientation.Vertical)
    torch_box, js_box = (view.splitter.widget(i) for i in range(2))
    assert js_box.height() > torch_box.height() > 100  # model.js gets the larger share, both stay readable
    assert view.translate_button.isVisible() and view.save_button.isVisible()
    assert view.save_button.geometry().right() <= view.width()  # the toolbar fits
