"""Running the model on the inputs found for it: the repository's own example first, then the guessed
candidates over the size tables, on the meta device with a CPU retry; a second run at other sizes names the
free dimensions. Functions of a trace Session (they read its request and report and call its forward)."""
from __future__ import annotations

import inspect
import os
import re
from dataclasses import replace

import torch.nn as nn

from reader_app.trace.child import alternatives, failure, routes
from reader_app.trace.child.deeper_inputs import deeper_run
from reader_app.trace.child.dims import name_shape
from reader_app.trace.child.fixed_lengths import fixed_length, fixed_note
from reader_app.trace.child.helper_inputs import scaled_channels
from reader_app.trace.child.collated import collated_types, with_collated
from reader_app.trace.child.id_casts import cast_notes
from reader_app.trace.child.id_retry import refused_ids, run_as_ids
from reader_app.trace.child.indexed_points import indexed_plans
from reader_app.trace.child.inputs import Fewer, Sizes, candidate_inputs, user_plans
from reader_app.trace.child.retry_plans import rank_refused, replanned
from reader_app.trace.child.mask_ranks import masks_at_rank
from reader_app.trace.child.one_sample_inputs import OneSamplePlans, one_sample_example, one_sample_note
from reader_app.trace.child.forward_batch import batch_note
from reader_app.trace.child.size_tables import SIZES, held_batch, size_tables
from reader_app.trace.child.meta_fallback import swallowed_in_forward
from reader_app.trace.child.plans import TUPLE, leaves
from reader_app.trace.child.scalar_inputs import with_caller_values
from reader_app.trace.child.stated import example_tries, smaller_note, stated_plans
from reader_app.trace.child.state_inputs import state_plans, with_states
from reader_app.trace.child.tied_axes import with_tied_axes
from reader_app.repo.config_image_size import config_files, config_image_size
from reader_app.repo.dead_examples import outranked_example
from reader_app.repo.image_sides import constructor_image_side
from reader_app.repo.scaled_crops import low_resolution_side
from reader_app.repo.packed_calls import packed_calls
from reader_app.repo.stated_inputs import settings_image_size
from reader_app.repo.values_chunks import stated_chunk
from reader_app.repo.values_clips import stated_frames
from reader_app.repo.values_padded_lengths import stated_padded_length
from reader_app.repo.values_inputs import stated_image_size


def run_target(session, model, recipe, specs, func, target):
    """Inputs found for what `session.entry` calls (the model itself, a method, a held network `target`),
    the recorded run, and the second run that names dimensions: (the model, maybe rebuilt, and a Run)."""
    stated = stated_image(session, recipe.sources if target is model else {}, target,
                          recipe.model_args() if target is model else {})
    frames = stated_clip(session, target)
    chunk = stated_signal(session)
    padded = stated_padding(session, target)
    tables = size_tables(model, stated[0] if stated else None, recipe.model_args(), frames[0] if frames else None,
                         chunk[0] if chunk else None, padded[0] if padded else None)
    names = [session.report.get("class"), type(model).__name__] if target is model else [type(target).__name__]
    if target is model and recipe.builds is not None:  # `model = make_model(11, 11, 2)` builds it in the examples
        names.append(getattr(recipe.target, "__name__", None))
    example = None if specs else stated_plans(target, session.root, names, recipe.model_args() if target is model else {},
                                              session.file, func.__name__ if func else None)
    dead = outranked_example(session.root, example[1], stated) if example else None
    if dead:  # a size the training data is made at outranks an example in a function nothing calls
        example = None
        session.report["warnings"].append(dead)
    candidates = [user_plans(specs)] if specs else candidate_inputs(
        target, func=func, built_args=recipe.model_args() if target is model else None,
        arg_sources=recipe.sources if target is model else None)
    if not specs and target is model:  # `hidden = model.init_hidden(batch_size); model(data, hidden)`
        states = stated_states(session, model, func)
        candidates = with_states(candidates, states)
        unsized = {k: v for k, v in states.items() if example is not None and k not in example[2]}
        if unsized:  # the example passes its state unsized: the one the model's method makes
            example = (with_states([example[0]], unsized)[0], *example[1:])
        candidates = with_tied_axes(candidates, recipe, func or type(model).forward)  # `d = x.shape[1]; Net(d)`
    if not specs:  # a plain-number argument: the number the repository's caller passes
        candidates = with_caller_values(candidates, session.root, recipe.sources, func or type(target).forward)
    if not specs and target is model:  # `return t.LongTensor(text), t.FloatTensor(mel)` in the collate_fn
        candidates = with_collated(candidates, collated(session, model, func))
    swaps = [] if specs else alternatives.swaps(target)  # `image_tokens` instead of `images` for a missing part
    if swaps:
        candidates = [alternatives.swapped(c, target, swaps) for c in candidates]
        example = (alternatives.swapped(example[0], target, swaps), *example[1:]) if example else None
    if example is None and not specs:  # `model(torch.from_numpy(state).float())`: one sample, no batch axis
        example = one_sample_example(target, session.root, names, session.file, candidates, func)
    chosen, first, exc, sizes, variants = probe(session, model, candidates, tables, example)
    if exc is not None and session.report["device"] == "meta" and not failure.meta_unsupported(exc):
        exc = swallowed_in_forward(session, model, chosen, sizes) or exc  # `try: lstsq(...) except: ...`
    if exc is not None and session.report["device"] == "meta" and failure.meta_unsupported(exc):
        reason = failure.short(exc)
        try:
            model = session.make(recipe, "cpu").eval()
        except BaseException as build_exc:
            session.fail(f"Meta tensors were not enough ({reason}) and building on the CPU failed: "
                         f"{failure.first_line(build_exc)}")
        session.fall_back(f"an op needs real data on the meta device ({reason})")
        chosen, first, exc, sizes, variants = probe(session, model, candidates, tables, example)
    deeper = None if specs or exc is None else deeper_run(session, model, chosen, sizes, variants, tables, exc)
    if deeper is not None:  # every guessed image was too small for the model's depth: a larger one ran
        chosen, first, sizes, variants, note = deeper
        exc = None
        session.report["warnings"].append(note)
    side = (stated[0], stated[0]) if stated and isinstance(stated[0], int) else tuple(stated[0]) if stated else None
    said = {}  # dim -> where the repository states the size it was made at, for the warnings and the inputs
    if side and (sizes.values.get("height"), sizes.values.get("width")) == side and \
            any("height" in p.dims for p in chosen):
        said["height"] = f"image inputs {side[0]}x{side[1]} as {stated[1]} states"
    if frames and sizes.values.get("depth") == frames[0] and any("depth" in p.dims for p in chosen):
        said["depth"] = f"clips of {frames[0]} frames as {frames[1]} states"
    if chunk and sizes.values.get("length") == chunk[0] and any("length" in p.dims for p in chosen):
        said["length"] = f"signals of {chunk[0]} samples as {chunk[1]} states"
    if padded and sizes.values.get("seq_len") == padded[0] and any("seq_len" in p.dims for p in chosen):
        said["seq_len"] = f"sequences of {padded[0]} tokens, padded to that length as {padded[1]} states"
    session.report["warnings"].extend(said.values())
    fixed_batch = None if specs else held_batch(model)
    if fixed_batch and any("batch" in p.dims for p in chosen):
        session.report["warnings"].append(batch_note(fixed_batch, session.rel))
        if len(fixed_batch) == 3:  # forward()'s state: the input's batch says so too
            said["batch"] = batch_note(fixed_batch, session.rel)
    one_sample = one_sample_note(example, chosen)
    if one_sample:
        session.report["warnings"].append(one_sample)
    elif example and chosen is example[0]:
        session.report["warnings"].append(f"inputs shaped as the example at {example[1]} feeds the model")
    for swap in swaps:
        if any(p.name == swap.replacement for p in chosen):
            session.report["warnings"].append(swap_note(session, swap, recipe))
    session.mark("forward")
    session.model, session.first = model, first  # for a describing session
    second, second_sizes = None, None
    if session.request.get("symbolic", True) and not specs:
        session.progress("naming dimensions")
        for variant in variants:
            rec, second_exc = session.forward(model, chosen, variant)
            if (second_exc is None) == (exc is None):
                second, second_sizes = rec, variant
                break
    session.mark("symbolic")
    symbols = named_sizes(chosen, sizes, second_sizes)
    inputs = [input_entry(p, sizes, symbols, second_sizes) for p in leaves(chosen)]
    for plan, entry in zip(leaves(chosen), inputs):
        notes = [note for dim, note in said.items() if dim in plan.dims]
        if notes:
            entry["from"] = "; ".join(filter(None, [entry.get("from"), *notes]))
    if not specs:  # `torch.LongTensor(log_seqs)` before the lookup: where the code says the input is ids
        cast_notes(target, func if target is model else None, inputs)
    for entry in inputs:  # the code line that says an input's shape, said from the repository's root
        if entry.get("from"):
            entry["from"] = re.sub(r"/[^\s:;,()]+", lambda m: session.rel(m.group(0)), entry["from"])
    if target is model:
        packed_call_note(session, chosen, inputs)
    if example and chosen is example[0]:  # each input the example sized says where
        for entry in inputs:
            if entry["name"] in example[2]:
                entry["from"] = example[2][entry["name"]]
    return model, routes.Run(first, second, exc, symbols, inputs)

def packed_call_note(session, chosen, inputs) -> None:
    """A tuple argument's parts say where the repository calls the model on one tuple, when it does."""
    packed = [p.name for p in chosen if p.kind == TUPLE]
    if not packed:
        return
    try:
        calls = packed_calls(session.root, session.report.get("class") or "")
    except Exception:  # mining is a help: a failure there must not stop the trace
        return
    if calls:
        where, text = calls[0]
        for entry in inputs:
            if any(entry["name"].startswith(f"{name}[") for name in packed):
                entry["from"] = "; ".join(filter(None, [entry.get("from"), f"{where} calls {text}"]))


def swap_note(session, swap, recipe) -> str:
    where = recipe.sources.get(swap.attribute, "")
    missing = "a stand-in" if where.startswith("stand-in") else "None"
    why = f" ({where.split(': ', 1)[-1]})" if ": " in where else ""
    return (f"{swap.replacement} given instead of {swap.original}: the model's {swap.attribute} is {missing}"
            f"{why}, and forward() takes {swap.replacement} in its place ({session.rel(swap.file)}:{swap.line})")

def stated_states(session, model, func) -> dict:
    """The forward() arguments the repository's scripts make with the model's own method (state_inputs.py)."""
    try:
        return state_plans(model, session.root, func)
    except Exception:  # mining is a help: a failure there must not stop the trace
        return {}


def collated(session, model, func) -> dict:
    """The forward() arguments a DataLoader's collate function types (collated.py)."""
    try:
        return collated_types(model, session.root, func)
    except Exception:  # mining is a help: a failure there must not stop the trace
        return {}


def stated_image(session, sources: dict, model=None, args=None) -> tuple[int, str] | None:
    """(pixels, where) of the image size the model file's pretrained settings state, else the one the config
    files the model was built from (`sources`, the constructor values' provenance) state, else the side the
    model's constructor treats a value it was built with as (`assert input_size % 32 == 0`), else the one
    the repository's scripts state; divided by the model's scale when that is a high-resolution crop."""
    if session.request.get("inputs"):
        return None
    try:
        own = settings_image_size(session.file)
        if own:
            return own[0], f"{session.rel(session.file)}:{own[1]}"
        for rel in config_files(session.root, sources):  # a factory's file (`model.default_cfg = _cfg`)
            told = settings_image_size(os.path.join(session.root, rel)) if rel.endswith(".py") else None
            if told:
                return told[0], f"{rel}:{told[1]}"
        stated = config_image_size(session.root, sources)
        if not stated:
            source = inspect.getsourcefile(type(model)) if model is not None and args else None
            stated = constructor_image_side(source, type(model).__name__, args, session.root) \
                if source and os.path.realpath(source).startswith(os.path.realpath(session.root) + os.sep) else None
            stated = stated or stated_image_size(session.root)
        # an upsampling model's stated crop may be its high-resolution target: the input is crop / scale
        return low_resolution_side(session.root, stated, args or {}, sources) or stated
    except Exception:  # mining is a help: a failure there must not stop the trace
        return None


VOLUME_LAYERS = (nn.Conv3d, nn.ConvTranspose3d, nn.MaxPool3d, nn.AvgPool3d, nn.BatchNorm3d)


def stated_clip(session, model) -> tuple[int, str] | None:
    """(frames, where) of the clip length the repository's scripts state, for a model with 3-D layers (the
    only ones fed a frames axis); the scripts are not read for any other."""
    if session.request.get("inputs") or not any(isinstance(m, VOLUME_LAYERS) for m in model.modules()):
        return None
    try:
        return stated_frames(session.root)
    except Exception:  # mining is a help: a failure there must not stop the trace
        return None


def stated_signal(session) -> tuple[int, str] | None:
    """(samples, where) of the signal length the repository's training script hands its data loader
    (values_chunks.py); size_tables uses it for a waveform model only."""
    if session.request.get("inputs"):
        return None
    try:
        return stated_chunk(session.root)
    except Exception:  # mining is a help: a failure there must not stop the trace
        return None


def stated_padding(session, model) -> tuple[int, str] | None:
    """(length, where) the repository's data pipeline pads token sequences to, for a model that embeds tokens
    (values_padded_lengths.py); the scripts are not read for any other."""
    if session.request.get("inputs") or not any(isinstance(m, nn.Embedding) for m in model.modules()):
        return None
    try:
        return stated_padded_length(session.root)
    except Exception:  # mining is a help: a failure there must not stop the trace
        return None


def probe(session, model, candidates, tables, example=None):
    """The first (inputs, sizes) whose forward succeeds, else the very first attempt's failure. The
    repository's own example (`stated_plans`) goes first, at its sizes; one unbatched sample a script feeds
    (OneSamplePlans) goes first the same way, tried as it is, its failure not the one reported."""
    failed, retried, masked, refused = None, [], [], []
    fewer = [c for c in candidates if isinstance(c, Fewer)]
    full = [c for c in candidates if not isinstance(c, Fewer)]
    first_tries = [(sizes, variants, example[0]) for sizes, variants in
                   example_tries(tables, example[3], example[0], session.report["device"])] if example else []
    for sizes, variants, plans in first_tries + [(s, v, p) for s, v in tables for p in full] + \
            [(s, v, p) for s, v in tables for p in fewer]:
        rec, exc = session.forward(model, plans, sizes)
        if exc is None:
            if sizes.trial:
                session.report["warnings"].append(smaller_note(sizes, example[3]))
            return plans, rec, None, sizes, variants
        if isinstance(plans, OneSamplePlans):  # the batched guesses follow; the report says why
            plans.refusal = failure.short(exc)
        elif failed is None and not sizes.trial:
            failed = (plans, rec, exc, sizes, variants)
        if failure.find_missing(exc):
            return failed or (plans, rec, exc, sizes, variants)
        if failure.meta_unsupported(exc) and session.report["device"] == "meta":
            return plans, rec, exc, sizes, variants  # the CPU gets past it: the caller retries there
        # the layer that refused a guessed input says what it takes (inputs the reader gave are kept)
        guessed = not session.request.get("inputs") and not isinstance(plans, OneSamplePlans)
        for masks in masks_at_rank(plans, sizes, exc, rec.error_site) if guessed else []:
            if masks not in masked:  # every guessed mask at the rank of the scores it failed to broadcast to
                masked.append(masks)
                masked_rec, masked_exc = session.forward(model, masks, sizes)
                if masked_exc is None:
                    return masks, masked_rec, None, sizes, variants
        if len(refused) < 3 and guessed and refused_ids(exc):  # retried as ids once no candidate runs
            refused.append((plans, sizes, rec, exc, variants))
        better = None
        if guessed and len(retried) < 3:  # an unpacking's rank first: the layers after it never saw the input
            better = rank_refused(model, plans, sizes, exc, rec.error_site) or \
                (replanned(model, plans, sizes, list(rec.stack)) if rec.stack else None) or \
                (scaled_channels(model, plans, sizes, list(rec.stack)) if rec.stack else None) or \
                indexed_plans(model, plans, sizes, lambda cls: session.rel(inspect.getsourcefile(cls)))
        if better is not None and better not in retried:
            retried.append(better)
            rec, exc = session.forward(model, better, sizes)
            if exc is None or failure.find_missing(exc):  # a missing package stops the inputs that got
                return better, rec, exc, sizes, variants  # furthest: that package is what to say
        held = at_fixed_lengths(session, model, plans, sizes, variants, exc, rec) if guessed else None
        if held is not None:
            return held
    for plans, sizes, rec, exc, variants in refused:  # an Embedding refused a guessed float input (id_retry.py)
        as_ids = run_as_ids(session, model, plans, sizes, rec, exc)
        if as_ids is not None:
            return as_ids[0], as_ids[1], None, sizes, variants
    return failed


def at_fixed_lengths(session, model, plans, sizes, variants, exc, rec):
    """The same inputs again at the lengths the model's code fixes, when the run failed broadcasting an input's
    free size against one (an encoder's and a decoder's: each failure names one); None if that does not run."""
    pins, notes, wheres = {}, [], {}
    for _ in range(3):
        found = fixed_length(exc, sizes, plans)
        if found is None or found[0] in pins:
            return None
        pins[found[0]] = found[1]
        site = rec.error_site
        wheres[found[0]] = f"{session.rel(site.file)}:{site.line}" if site else "a line of forward()"
        notes.append(fixed_note(*found, wheres[found[0]]))
        sizes = Sizes(dict(sizes.values, **pins))
        rec, exc = session.forward(model, plans, sizes)
        if exc is None:
            session.report["warnings"].extend(notes)
            held = [replace(p, why="guess; " + ", ".join(f"{s} {n} held by the code at {wheres[s]}" for s, n in
                                                         pins.items() if s in p.dims)) if pins.keys() & set(p.dims)
                    else p for p in plans]
            return held, rec, None, sizes, [Sizes(dict(v.values, **pins)) for v in variants]
    return None


def named_sizes(plans, sizes: Sizes, second: Sizes | None) -> dict:
    """symbol -> (first size, second size) of the free dimensions the inputs use, for naming output dims."""
    used = {d for p in leaves(plans) for d in p.dims if isinstance(d, str)}
    if second is None:
        return {}
    return {s: (sizes.values[s], second.values[s]) for s in SIZES if s in used}


def input_entry(plan, sizes, symbols, second) -> dict:
    """One input as the report lists it: name, shape, dtype and named dims."""
    shape = [sizes.of(d) for d in plan.dims]
    other = [second.of(d) for d in plan.dims] if second else None
    entry = {"name": plan.name, "shape": shape, "dtype": plan.dtype, "dims": name_shape(shape, other, symbols)}
    return {**entry, "from": plan.why} if plan.why else entry
