"""reader_app.session: one Qt-free model of what a window has open (the paper, its analysis, the
repository, the model on screen, the trace, the architecture figure), with change events. Engines fill
it, views subscribe to it; each question about the open pair is answered here, once."""
from reader_app.session.events import Event
from reader_app.session.navigation import Navigation
from reader_app.session.state import OpenPaper, Session

__all__ = ["Event", "Navigation", "OpenPaper", "Session"]
