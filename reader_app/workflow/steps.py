"""The seven steps of the reading workflow, as DESIGN.md teaches them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One step of the checklist.

    Attributes:
        id: stable key, used in the saved progress and in exports.
        number: 1-based position in the workflow.
        place: "paper", "repo", "connect" or "skip": where the step happens.
        title: the short line the checklist shows.
        hint: one sentence saying what to do and why.
        budget_minutes: the suggested time, or None when the step has no budget.
    """

    id: str
    number: int
    place: str
    title: str
    hint: str
    budget_minutes: int | None = None


STEPS: tuple[Step, ...] = (
    Step("abstract_figures", 1, "paper", "Read the abstract and look at every figure and table",
         "Get the paper's claim and its pictures before any detail.", 5),
    Step("method", 2, "paper", "Read the Method section, centred on the architecture diagram",
         "Find the diagram the code will implement and read the text around it.", 10),
    Step("open_model", 3, "repo", "Open the model file and find the main nn.Module",
         "model.py or net.py usually holds it; the main class is the one nothing else uses."),
    Step("list_layers", 4, "repo", "Read __init__ to list the layers",
         "Every self.name = nn.Something(...) is a building block of the diagram."),
    Step("follow_forward", 5, "repo", "Read forward() to trace the data flow",
         "Follow the tensor from input to output, with its shape at each line."),
    Step("connect", 6, "connect", "Connect each layer to the architecture diagram",
         "Match every layer in the code to its box in the paper's figure."),
    Step("skip_math", 7, "skip", "Don't get stuck on the math: look at the code instead",
         "When an equation stalls you, the line of code that computes it is often clearer."),
)


def step_by_id(step_id: str) -> Step:
    for step in STEPS:
        if step.id == step_id:
            return step
    raise KeyError(step_id)
