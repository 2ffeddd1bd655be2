"""The configuration object a repository builds and hands the model (`args` from its parser, `cfg` from its
defaults and YAML): its stated fields, a labelled guess for each field the model reads that nothing states, and
the user's overrides by dotted name. construct.Builder asks for it when a constructor parameter is such an object.
"""
from __future__ import annotations

import copy

from reader_app.trace.child import config_objects
from reader_app.trace.child.guesses import guess_by_name
from reader_app.trace.child.recipe import plain
from reader_app.trace.child.refused_fields import refuses


def repository_object(builder, mined) -> object:
    """The configuration object the repository builds (`args` from its parser, `cfg` from its defaults
    and YAML), with the fields the model reads reported one by one on `builder` (a construct.Builder) and
    overridable by their dotted name."""
    values = copy.deepcopy(mined.value)
    fields = dict(mined.fields or {})
    reads = list(mined.reads or [])
    refused, refused_by = builder.refused
    for field, checks in refused.items():  # `assert args.vocab_size != -1` on a default of -1: unstated
        value = config_objects.get_path(values, field)
        if field in reads and value is not KeyError and refuses(checks, value):
            fields[field] = f"guess (the default {value!r} is refused by " \
                            f"{refused_by}'s constructor)"
            config_objects.set_path(values, field, guess_by_name(field) if guess_by_name(field) is not None else 16)
    for dotted in reads:
        if config_objects.get_path(values, dotted) is KeyError:  # stated nowhere: a labelled guess
            leaf = dotted.split(".")[-1]
            guess = "cpu" if leaf.lower() in ("device", "dev") else guess_by_name(leaf)
            set_by = fields.get(dotted, "")  # "set by main.py:77 from len(label_field.vocab) - 1": a run's
            fields[dotted] = f"{set_by}; guessed" if set_by.startswith("set by ") else \
                "guess" if guess is not None else "blind guess"
            if guess is None:
                guess = 16
                if not set_by.startswith("set by "):  # where it is set is said: not blind
                    builder.blind.append(builder.prefix + dotted)
            config_objects.set_path(values, dotted, guess)
    for key, value in builder.overrides.items():
        if key in reads or config_objects.get_path(values, key) is not KeyError:
            config_objects.set_path(values, key, value)
            fields[key] = "--arg"
            builder.consumed.add(key)
            reads.append(key) if key not in reads else None
    for dotted in reads:
        value = config_objects.get_path(values, dotted)
        if value is not KeyError:
            builder.used[builder.prefix + dotted] = plain(value)
            builder.sources[builder.prefix + dotted] = fields.get(dotted, mined.where)
    return config_objects.make(mined.kind, values)
