"""Exercise checkers for notebook 00 (what is a large model?). Use: ``from course_utils.checks import nb00 as ex``.

Counting parameters and bytes is arithmetic, so the checkers name the usual slips: the
forgotten biases, one bias for the whole layer, a power where a product belongs, bits for
bytes, a unit conversion where a count of bytes was asked.
"""

from __future__ import annotations

from ..i18n import _
from .engine import check

# --------------------------------------------------------------------------- one dense layer


def _dense_params(D, M):
    weights = D * M  # one weight per input, per neuron
    biases = M  # one bias per neuron
    return weights + biases


def _dense_args(rng, trial):
    fixed = [(3, 1), (784, 128), (1, 1), (1600, 128), (2, 3), (1, 7)]  # a neuron, the MLP's first layer, ...
    if trial < len(fixed):
        return fixed[trial]
    return int(rng.integers(1, 5000)), int(rng.integers(1, 500))


def check_count_dense_params(count_dense_params, strict: bool = False):
    """``count_dense_params(D, M)``: parameters of a dense layer, ``W (D, M)`` plus ``b (M,)`` = ``(D + 1) * M``."""
    mistakes = [
        (lambda D, M: D * M, _("only the weights W (D·M numbers): each of the M neurons also has its own bias, so add M.")),
        (lambda D, M: D * M + 1,
         _("one bias for the whole layer: every neuron has its own bias, so there are M of them, (D + 1)·M in all.")),
        (lambda D, M: D + M,
         _("D + M adds the sizes; W is a (D, M) table with one weight per input per neuron: D·M weights, plus M biases.")),
        (lambda D, M: (D + 1) * (M + 1),
         _("one row too many: the layer has M neurons with D + 1 parameters each, (D + 1)·M, not (D + 1)·(M + 1).")),
        (lambda D, M: D * (M + 1),
         _("D·(M + 1): the bias is one per neuron (M of them), not one per input; the count is (D + 1)·M.")),
        (lambda D, M: (D + 1) ** M, _("(D + 1) ** M is a power; the count is a product, (D + 1) * M.")),
        (lambda D, M: D ** M + M, _("D ** M is a power; the weights are a product, D * M, plus the M biases.")),
    ]
    return check(count_dense_params, name="count_dense_params", reference=_dense_params, make_args=_dense_args,
                 trials=8, mistakes=mistakes, strict=strict)


# --------------------------------------------------------------------------- a stack of dense layers


def _mlp_args(rng, trial):
    fixed = [[784, 128, 10], [3, 1], [2, 16, 16, 3], [784, 512, 256, 10], [5, 5, 5, 5, 5]]
    if trial < len(fixed):
        return (list(fixed[trial]),)
    depth = int(rng.integers(2, 6))
    return ([int(v) for v in rng.integers(1, 300, depth)],)


def _mlp_params(sizes):
    total = 0
    for k in range(1, len(sizes)):  # layer k maps sizes[k - 1] inputs to sizes[k] neurons
        total += _dense_params(sizes[k - 1], sizes[k])
    return total


def check_count_mlp_params(count_mlp_params, strict: bool = False):
    """``count_mlp_params(sizes)``: a stack of dense layers ``sizes[0] -> sizes[1] -> ...``, the sum of ``(D + 1) * M``."""
    mistakes = [
        (lambda s: sum(d * m for d, m in zip(s[:-1], s[1:])),
         _("the biases are missing: each layer has (D + 1)·M parameters, not D·M.")),
        (lambda s: sum(s),
         _("that adds up the layer widths (the number of neurons and inputs), not the parameters: "
           "each pair of neighboring sizes D -> M is a layer with (D + 1)·M parameters.")),
        (lambda s: sum(s[1:]),
         _("that counts the neurons (one per output); each neuron has D + 1 parameters: sum (D + 1)·M over the layers.")),
        (lambda s: _mlp_params(s[:-1]),
         _("the last layer is missing: with sizes [s0, s1, ..., sL] there are L layers, pairs (s0, s1) ... (sL-1, sL).")),
        (lambda s: _mlp_params(s[1:]),
         _("the first layer is missing: the input size sizes[0] is the D of the first layer.")),
        (lambda s: sum(d * (m + 1) for d, m in zip(s[:-1], s[1:])),
         _("one bias per input: the biases are one per neuron, so each layer has (D + 1)·M parameters.")),
        (lambda s: _dense_params(s[0], s[-1]),
         _("only the first and last sizes were used: every pair of neighboring sizes is a layer of its own.")),
        (lambda s: _dense_params(s[0], s[1]),
         _("that is the first layer only: add up (D + 1)·M over every pair of neighboring sizes.")),
    ]
    return check(count_mlp_params, name="count_mlp_params", reference=_mlp_params, make_args=_mlp_args,
                 trials=8, mistakes=mistakes, strict=strict)


# --------------------------------------------------------------------------- memory


def _bytes_args(rng, trial):
    fixed = [(225_034, 4), (175_000_000_000, 2), (1, 4), (101_770, 8), (3, 1)]
    if trial < len(fixed):
        return fixed[trial]
    return int(rng.integers(1, 10**9)), int(rng.choice([1, 2, 4, 8]))


def check_bytes_needed(bytes_needed, strict: bool = False):
    """``bytes_needed(n_params, bytes_per_param)``: bytes to hold the weights, ``n_params * bytes_per_param``."""
    mistakes = [
        (lambda n, b: n * b * 8,
         _("that is bits, not bytes: bytes_per_param already counts bytes (float32 is 4 bytes = 32 bits).")),
        (lambda n, b: n * 32, _("that is the bits of float32 numbers: use bytes_per_param, the bytes of each number.")),
        (lambda n, b: n / b, _("divided by bytes_per_param: each parameter takes bytes_per_param bytes, so multiply.")),
        (lambda n, b: n, _("that is the number of parameters; each one takes bytes_per_param bytes.")),
        (lambda n, b: n * 4, _("that is always 4 bytes (float32): use bytes_per_param, which is 2 for bfloat16.")),
        (lambda n, b: n * b / 1e9, _("that is in gigabytes (10⁹ bytes): return plain bytes, and convert only when printing.")),
        (lambda n, b: n * b / 2**30, _("that is in GiB (2³⁰ bytes): return plain bytes, and convert only when printing.")),
        (lambda n, b: n * b / 1e6, _("that is in megabytes (10⁶ bytes): return plain bytes, and convert only when printing.")),
        (lambda n, b: n * b / 2**20, _("that is in MiB (2²⁰ bytes): return plain bytes, and convert only when printing.")),
    ]
    return check(bytes_needed, name="bytes_needed", reference=lambda n_params, bytes_per_param: n_params * bytes_per_param,
                 make_args=_bytes_args, trials=8, mistakes=mistakes, strict=strict)
