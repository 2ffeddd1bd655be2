"""Importing this module registers every lowering handler (modules and operations)."""
from reader_app.translate import convolution, nn_layers, ops_math, ops_shape, patterns, recurrent  # noqa: F401
