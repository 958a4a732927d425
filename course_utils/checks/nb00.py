"""Exercise checkers for notebook 00 (what is a large model?). Use: ``from course_utils.checks import nb00 as ex``.

Counting parameters and bytes is arithmetic, so the checkers name the usual slips:
the forgotten biases, one bias for the whole layer, bits for bytes, a unit conversion
where a count of bytes was asked.
"""

from __future__ import annotations

from .outputs import check_outputs

# --------------------------------------------------------------------------- one dense layer


def _dense_args(rng, trial):
    fixed = [(3, 1), (784, 128), (1, 1), (1600, 128)]  # a neuron, the MLP's first layer, the smallest, the CNN's dense
    if trial < len(fixed):
        return fixed[trial]
    return int(rng.integers(1, 5000)), int(rng.integers(1, 500))


def check_count_dense_params(count_dense_params, strict: bool = False):
    """``count_dense_params(D, M)``: parameters of a dense layer, ``W (D, M)`` plus ``b (M,)`` = ``(D + 1) * M``."""
    mistakes = [
        (lambda D, M: D * M,
         "only the weights W (D·M numbers): each of the M neurons also has its own bias, so add M."),
        (lambda D, M: D * M + 1,
         "one bias for the whole layer: every neuron has its own bias, so there are M of them, (D + 1)·M in all."),
        (lambda D, M: D + M,
         "D + M adds the sizes; W is a (D, M) table with one weight per input per neuron: D·M weights, plus M biases."),
        (lambda D, M: (D + 1) * (M + 1),
         "one row too many: the layer has M neurons with D + 1 parameters each, (D + 1)·M, not (D + 1)·(M + 1)."),
        (lambda D, M: D * (M + 1),
         "D·(M + 1): the bias is one per neuron (M of them), not one per input; the count is (D + 1)·M."),
    ]
    return check_outputs(count_dense_params, lambda D, M: (D + 1) * M, _dense_args, name="count_dense_params",
                         outputs=("n_params",), mistakes=mistakes, trials=8, rtol=0, atol=0.5, strict=strict)


# --------------------------------------------------------------------------- a stack of dense layers


def _mlp_args(rng, trial):
    fixed = [[784, 128, 10], [3, 1], [2, 16, 16, 3], [784, 512, 256, 10]]
    if trial < len(fixed):
        return (list(fixed[trial]),)
    depth = int(rng.integers(2, 6))
    return ([int(v) for v in rng.integers(1, 300, depth)],)


def _mlp(sizes):
    return sum((d + 1) * m for d, m in zip(sizes[:-1], sizes[1:]))


def check_count_mlp_params(count_mlp_params, strict: bool = False):
    """``count_mlp_params(sizes)``: a stack of dense layers ``sizes[0] -> sizes[1] -> ...``, the sum of ``(D + 1) * M``."""
    mistakes = [
        (lambda s: sum(d * m for d, m in zip(s[:-1], s[1:])),
         "the biases are missing: each layer has (D + 1)·M parameters, not D·M."),
        (lambda s: sum(s),
         "that adds up the layer widths (the number of neurons and inputs), not the parameters: "
         "each pair of neighbouring sizes D -> M is a layer with (D + 1)·M parameters."),
        (lambda s: sum(s[1:]),
         "that counts the neurons (one per output); each neuron has D + 1 parameters: sum (D + 1)·M over the layers."),
        (lambda s: _mlp(s[:-1]),
         "the last layer is missing: with sizes [s0, s1, ..., sL] there are L layers, pairs (s0, s1) ... (sL-1, sL)."),
        (lambda s: _mlp(s[1:]),
         "the first layer is missing: the input size sizes[0] is the D of the first layer."),
    ]
    return check_outputs(count_mlp_params, _mlp, _mlp_args, name="count_mlp_params",
                         outputs=("n_params",), mistakes=mistakes, trials=8, rtol=0, atol=0.5, strict=strict)


# --------------------------------------------------------------------------- memory


def _bytes_args(rng, trial):
    fixed = [(225_034, 4), (175_000_000_000, 2), (1, 4), (101_770, 8)]
    if trial < len(fixed):
        return fixed[trial]
    return int(rng.integers(1, 10**9)), int(rng.choice([1, 2, 4, 8]))


def check_bytes_needed(bytes_needed, strict: bool = False):
    """``bytes_needed(n_params, bytes_per_param)``: bytes to hold the weights, ``n_params * bytes_per_param``."""
    mistakes = [
        (lambda n, b: n * b * 8,
         "that is bits, not bytes: bytes_per_param already counts bytes (float32 is 4 bytes = 32 bits)."),
        (lambda n, b: n / b,
         "divided by bytes_per_param: each parameter takes bytes_per_param bytes, so multiply."),
        (lambda n, b: n,
         "that is the number of parameters; each one takes bytes_per_param bytes."),
        (lambda n, b: n * b / 1e9,
         "that is in gigabytes (10⁹ bytes): return plain bytes, and convert only when printing."),
        (lambda n, b: n * b / 2**30,
         "that is in GiB (2³⁰ bytes): return plain bytes, and convert only when printing."),
        (lambda n, b: n * b / 1e6,
         "that is in megabytes (10⁶ bytes): return plain bytes, and convert only when printing."),
    ]
    return check_outputs(bytes_needed, lambda n, b: n * b, _bytes_args, name="bytes_needed",
                         outputs=("n_bytes",), mistakes=mistakes, trials=8, rtol=1e-12, atol=0, strict=strict)
