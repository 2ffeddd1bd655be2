"""The reading workflow of DESIGN.md: its steps and a reader's progress through them (no Qt)."""
from reader_app.workflow.steps import STEPS, Step, step_by_id

__all__ = ["STEPS", "Step", "step_by_id"]
