"""Running the repository's code contained: see launch.start (the one way a child runs untrusted code),
backends.choose (bubblewrap, else namespaces, else Landlock, else unconfined with a warning) and
audit (a second layer inside the child that notes what the code tried)."""
from reader_app.sandbox.backends import Backend, choose
from reader_app.sandbox.launch import Contained, start
from reader_app.sandbox.scratch import prepare

__all__ = ["Backend", "Contained", "choose", "prepare", "start"]
