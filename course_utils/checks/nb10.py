"""Exercise checkers for notebook 10 (scale and parallel compute).

Convention throughout: one multiply-add is 2 FLOPs; bias additions, ReLU and pooling are
not counted (they are a small fraction, and ``torch.utils.flop_counter`` leaves them out too).
"""

from __future__ import annotations

from .formulas import check_formula


def _conv_ref(k, c_in, c_out, h_out, w_out):
    return 2 * k * k * c_in * c_out * h_out * w_out


def check_conv_flops(conv_flops, strict: bool = False):
    """``conv_flops(k, c_in, c_out, h_out, w_out)``: FLOPs of one k×k convolution on one image."""

    def make_args(rng):
        return (rng.choice([1, 3, 5, 7]), rng.randint(1, 64), rng.randint(1, 128), rng.randint(1, 40), rng.randint(1, 40))

    mistakes = [
        (lambda k, ci, co, h, w: k * k * ci * co * h * w,
         "off by a factor of 2: you counted multiply-adds; each one is 2 FLOPs (a multiply and an add)."),
        (lambda k, ci, co, h, w: 2 * k * ci * co * h * w,
         "a k×k kernel has k*k weights per input channel: use k*k (or k**2), not k."),
        (lambda k, ci, co, h, w: k * ci * co * h * w,
         "two factors are missing: the kernel has k*k weights per input channel, and a multiply-add is 2 FLOPs."),
        (lambda k, ci, co, h, w: 2 * k * k * co * h * w,
         "each output value sums over all c_in input channels: multiply by c_in as well."),
        (lambda k, ci, co, h, w: 2 * k * k * ci * h * w,
         "every one of the c_out filters produces its own output map: multiply by c_out as well."),
        (lambda k, ci, co, h, w: 2 * k * k * ci * co,
         "each filter is applied at every output position: multiply by h_out * w_out."),
        (lambda k, ci, co, h, w: 2 * k * k * ci * co * (h + k - 1) * (w + k - 1),
         "count output positions, not input pixels: the kernel is applied h_out * w_out times."),
    ]
    return check_formula(conv_flops, _conv_ref, make_args, name="conv_flops", mistakes=mistakes, strict=strict)


def check_linear_flops(linear_flops, strict: bool = False):
    """``linear_flops(n_in, n_out)``: FLOPs of one dense layer on one input vector."""

    def make_args(rng):
        return (rng.randint(1, 4096), rng.randint(1, 4096))

    mistakes = [
        (lambda i, o: i * o, "off by a factor of 2: you counted multiply-adds; each one is 2 FLOPs."),
        (lambda i, o: 2 * (i + 1) * o,
         "by our convention (and torch's FLOP counter) the bias addition is not counted: use 2 * n_in * n_out."),
        (lambda i, o: i * o + o, "that is the number of parameters; the FLOPs are 2 per weight (one multiply-add each)."),
        (lambda i, o: 2 * i + 2 * o, "each of the n_out outputs needs n_in multiply-adds: multiply n_in by n_out, not add."),
    ]
    return check_formula(linear_flops, lambda i, o: 2 * i * o, make_args, name="linear_flops", mistakes=mistakes, strict=strict)


def check_training_flops(training_flops, strict: bool = False):
    """``training_flops(n_params, n_tokens)``: the 6·N·D estimate of training compute."""

    def make_args(rng):
        return (rng.randint(10**3, 10**12), rng.randint(10**3, 10**12))

    mistakes = [
        (lambda n, d: 2 * n * d, "that is the forward pass only (2 FLOPs per parameter per token); "
                                 "the backward pass costs about twice as much again: 2 + 4 = 6."),
        (lambda n, d: 4 * n * d, "that is the backward pass only; add the forward pass's 2 FLOPs per parameter per token."),
        (lambda n, d: n * d, "a factor of 6 is missing: 2 FLOPs per parameter per token forward, 4 backward."),
        (lambda n, d: 3 * n * d, "off by a factor of 2: a multiply-add is 2 FLOPs, so forward is 2·N·D and training 6·N·D."),
        (lambda n, d: 6 * n + d, "multiply N by D: every token passes through every parameter."),
    ]
    return check_formula(training_flops, lambda n, d: 6 * n * d, make_args, name="training_flops", mistakes=mistakes, strict=strict)


def check_adam_memory_bytes(adam_memory_bytes, strict: bool = False):
    """``adam_memory_bytes(n_params)``: bytes for fp32 weights, gradients and Adam's two moments."""

    def make_args(rng):
        return (rng.randint(10, 10**12),)

    mistakes = [
        (lambda n: 4 * n, "4 bytes per parameter is the fp32 weights alone (or 4 numbers per parameter counted "
                          "without their 4 bytes each); training also keeps a gradient and Adam's m and v: 4 numbers × 4 bytes."),
        (lambda n: 8 * n, "weights and gradients are there, but Adam's two moment estimates (m and v) are missing."),
        (lambda n: 12 * n, "one of the four fp32 copies is missing: weights, gradients, Adam's m and Adam's v."),
        (lambda n: n * 16 / 1e9, "that is in gigabytes; return bytes."),
        (lambda n: n * 16 / 2**30, "that is in GiB; return bytes."),
    ]
    return check_formula(adam_memory_bytes, lambda n: 16 * n, make_args, name="adam_memory_bytes", mistakes=mistakes, strict=strict)
