"""Exercise checkers for notebook 10 (scale and parallel compute).

Convention throughout: one multiply-add is 2 FLOPs; bias additions, ReLU and pooling are
not counted (they are a small fraction, and ``torch.utils.flop_counter`` leaves them out too).
Counts are compared exactly, as Python ints, however large (6·N·D reaches 10²⁴).
"""

from __future__ import annotations

from ..i18n import _
from .engine import check


def _conv_flops(k, c_in, c_out, h_out, w_out):
    per_output = 2 * (k * k * c_in)  # one multiply-add per weight of the window, over every input channel
    return per_output * (c_out * h_out * w_out)


def check_conv_flops(conv_flops, strict: bool = False):
    """``conv_flops(k, c_in, c_out, h_out, w_out)``: FLOPs of one k×k convolution on one image."""

    def make_args(rng, trial):
        fixed = [(3, 1, 32, 26, 26), (3, 32, 64, 11, 11), (1, 16, 8, 5, 7), (5, 3, 1, 1, 1)]  # the source's convs, 1x1, 1 output
        if trial < len(fixed):
            return fixed[trial]
        return (int(rng.choice([1, 3, 5, 7])), int(rng.integers(1, 64)), int(rng.integers(1, 128)),
                int(rng.integers(1, 40)), int(rng.integers(1, 40)))

    mistakes = [
        (lambda k, ci, co, h, w: k * k * ci * co * h * w,
         _("off by a factor of 2: you counted multiply-adds; each one is 2 FLOPs (a multiply and an add).")),
        (lambda k, ci, co, h, w: 2 * k * ci * co * h * w,
         _("a k×k kernel has k*k weights per input channel: use k*k (or k**2), not k.")),
        (lambda k, ci, co, h, w: k * ci * co * h * w,
         _("two factors are missing: the kernel has k*k weights per input channel, and a multiply-add is 2 FLOPs.")),
        (lambda k, ci, co, h, w: 2 * k * k * co * h * w, _("each output value sums over all c_in input channels: multiply by c_in as well.")),
        (lambda k, ci, co, h, w: 2 * k * k * ci * h * w,
         _("every one of the c_out filters produces its own output map: multiply by c_out as well.")),
        (lambda k, ci, co, h, w: 2 * k * k * ci * co, _("each filter is applied at every output position: multiply by h_out * w_out.")),
        (lambda k, ci, co, h, w: 2 * k * k * ci * co * (h + k - 1) * (w + k - 1),
         _("count output positions, not input pixels: the kernel is applied h_out * w_out times.")),
        (lambda k, ci, co, h, w: 2 * (k * k * ci + 1) * co * h * w,
         _("by our convention the bias addition is not counted: 2 * k*k * c_in FLOPs per output value.")),
    ]
    return check(conv_flops, name="conv_flops", reference=_conv_flops, make_args=make_args, trials=8,
                 mistakes=mistakes, strict=strict)


def check_linear_flops(linear_flops, strict: bool = False):
    """``linear_flops(n_in, n_out)``: FLOPs of one dense layer on one input vector."""

    def make_args(rng, trial):
        fixed = [(1600, 128), (128, 10), (1, 1), (784, 1)]
        return fixed[trial] if trial < len(fixed) else (int(rng.integers(1, 4096)), int(rng.integers(1, 4096)))

    mistakes = [
        (lambda i, o: i * o, _("off by a factor of 2: you counted multiply-adds; each one is 2 FLOPs.")),
        (lambda i, o: 2 * (i + 1) * o,
         _("by our convention (and torch's FLOP counter) the bias addition is not counted: use 2 * n_in * n_out.")),
        (lambda i, o: i * o + o, _("that is the number of parameters; the FLOPs are 2 per weight (one multiply-add each).")),
        (lambda i, o: 2 * i + 2 * o, _("each of the n_out outputs needs n_in multiply-adds: multiply n_in by n_out, not add.")),
        (lambda i, o: 2 * i, _("that is one output's FLOPs: there are n_out outputs, 2 * n_in * n_out in all.")),
    ]
    return check(linear_flops, name="linear_flops", reference=lambda n_in, n_out: 2 * n_in * n_out, make_args=make_args,
                 trials=7, mistakes=mistakes, strict=strict)


def check_training_flops(training_flops, strict: bool = False):
    """``training_flops(n_params, n_tokens)``: the 6·N·D estimate of training compute."""

    def make_args(rng, trial):
        fixed = [(175_000_000_000, 300_000_000_000), (225_034, 60_000), (1, 1)]  # GPT-3, the source's CNN, the smallest
        return fixed[trial] if trial < len(fixed) else (int(rng.integers(10**3, 10**12)), int(rng.integers(10**3, 10**12)))

    def reference(n_params, n_tokens):
        forward, backward = 2 * n_params * n_tokens, 4 * n_params * n_tokens
        return forward + backward

    mistakes = [
        (lambda n, d: 2 * n * d, _("that is the forward pass only (2 FLOPs per parameter per token); "
                                   "the backward pass costs about twice as much again: 2 + 4 = 6.")),
        (lambda n, d: 4 * n * d, _("that is the backward pass only; add the forward pass's 2 FLOPs per parameter per token.")),
        (lambda n, d: n * d, _("a factor of 6 is missing: 2 FLOPs per parameter per token forward, 4 backward.")),
        (lambda n, d: 3 * n * d, _("off by a factor of 2: a multiply-add is 2 FLOPs, so forward is 2·N·D and training 6·N·D.")),
        (lambda n, d: 6 * n + d, _("multiply N by D: every token passes through every parameter.")),
        (lambda n, d: 6 * (n + d), _("multiply N by D: every token passes through every parameter.")),
    ]
    return check(training_flops, name="training_flops", reference=reference, make_args=make_args, trials=6,
                 mistakes=mistakes, passed=_("correct on 6 inputs, GPT-3's 175 billion parameters included."), strict=strict)


def check_adam_memory_bytes(adam_memory_bytes, strict: bool = False):
    """``adam_memory_bytes(n_params)``: bytes for fp32 weights, gradients and Adam's two moments."""

    def make_args(rng, trial):
        fixed = [(225_034,), (1,), (175_000_000_000,)]
        return fixed[trial] if trial < len(fixed) else (int(rng.integers(10, 10**12)),)

    mistakes = [
        (lambda n: 4 * n, _("4 bytes per parameter is the fp32 weights alone (or 4 numbers per parameter counted "
                            "without their 4 bytes each); training also keeps a gradient and Adam's m and v: 4 numbers × 4 bytes.")),
        (lambda n: 8 * n, _("weights and gradients are there, but Adam's two moment estimates (m and v) are missing.")),
        (lambda n: 12 * n, _("one of the four fp32 copies is missing: weights, gradients, Adam's m and Adam's v.")),
        (lambda n: 128 * n, _("that is bits: 4 numbers × 32 bits; the answer is in bytes, 4 numbers × 4 bytes.")),
        (lambda n: n * 16 / 1e9, _("that is in gigabytes; return bytes.")),
        (lambda n: n * 16 / 2**30, _("that is in GiB; return bytes.")),
        (lambda n: 16, _("that is the bytes of one parameter; multiply by n_params.")),
    ]
    return check(adam_memory_bytes, name="adam_memory_bytes", reference=lambda n_params: 16 * n_params,
                 make_args=make_args, trials=6, mistakes=mistakes, strict=strict)
