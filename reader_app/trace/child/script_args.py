"""A script's `opt = parser.parse_args()` at import time answers with the parser's defaults.

A training script that also defines the model (`class Generator` beside the training loop) parses its
command line at module level; the model code then reads globals derived from it (`nz = int(opt.nz)`). The
trace runs with no command line, so a required option (`--dataset`) makes argparse exit and every name
after it is undefined. Instead the parser answers with the namespace its defaults give, a required option
taking its first stated choice (`choices=[...]`, or an `a | b | c` list in its help), else a labelled guess;
the trace lists what it chose.
"""
from __future__ import annotations

import argparse
import re

from reader_app.trace.child import degrade

_ORIGINAL = argparse.ArgumentParser.parse_known_args
_HELP_CHOICES = re.compile(r"^\s*([\w.\-]+)\s*(\||,\s*or\b|/)")


def _required_value(action: argparse.Action):
    """(value, how it was chosen) for a required option the command line does not give."""
    if action.choices:
        first = next(iter(action.choices))
        return first, f"its first choice '{first}'"
    match = _HELP_CHOICES.match(action.help or "")
    if match:
        return match.group(1), f"the first value its help lists, '{match.group(1)}'"
    if action.type in (int, float):
        return action.type(1), "a guess, 1"
    if action.nargs in ("+", "*"):
        return [], "a guess, an empty list"
    return "", "a guess, an empty string"


def defaults_namespace(parser: argparse.ArgumentParser, namespace=None) -> argparse.Namespace:
    """The namespace `parse_args([])` would return if no option were required; required ones chosen and noted."""
    namespace = namespace if namespace is not None else argparse.Namespace()
    for action in parser._actions:
        if action.dest is argparse.SUPPRESS or isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
            continue
        if hasattr(namespace, action.dest):
            continue
        if action.required:
            value, how = _required_value(action)
            flag = action.option_strings[-1] if action.option_strings else action.dest
            degrade.NOTES.add(f"{flag} is required by the script's parser and not given: the trace used {how}")
        else:
            value = action.default
            if isinstance(value, str) and action.type in (int, float):
                try:  # argparse converts a string default with the option's type
                    value = action.type(value)
                except ValueError:
                    pass
        setattr(namespace, action.dest, value)
    for dest, value in parser._defaults.items():  # parser.set_defaults(...)
        if not hasattr(namespace, dest):
            setattr(namespace, dest, value)
    return namespace


def _parse_known_args(self, args=None, namespace=None):
    try:
        return _ORIGINAL(self, args, namespace)
    except SystemExit:
        if args is not None:  # the code passed its own list: its error is its own
            raise
        return defaults_namespace(self, namespace), []


def install() -> None:
    """Parsers called with the trace's empty command line never exit: they answer with their defaults."""
    argparse.ArgumentParser.parse_known_args = _parse_known_args
