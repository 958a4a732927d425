"""How fast notebook 12's GPT trains, against this machine's matrix-product limit.

    python benchmarks/gpt_speed.py            # 3 timed runs of 60 steps per device
    python benchmarks/gpt_speed.py --quick    # 1 timed run of 10 steps: seconds

Everything trained is notebook 12's, imported from ``course_utils`` (no copies): the vocabulary
of the 3,000 most frequent characters of the training poems (``CharVocab``), one row per poem
(``poem_batches``), ``GPT(V)`` with d = 128, 2 blocks, 4 heads, context 49, and ``train_lm``'s
AdamW steps with batch 64; on CUDA ``train_step`` runs the forward pass in bf16 autocast.

For each device (the CPU, with as many threads as ``session.start`` would choose now, and CUDA
when there is one) it prints:

- tokens per second: the real targets of the rows, not the padding the loss ignores;
- achieved FLOP/s = ``flops_per_token`` (notebook 12's 6·N + 6·d·V + 6·L·T·d) × tokens per
  second. The padding positions are computed too but not counted, so this is the useful work;
- that as a share of the limit measured in the same run: the fp32 ``torch.mm`` throughput of
  ``machine_limit.py`` on the CPU, the bf16 one on CUDA (what autocast runs). Issue 16 aims at
  35 % on the CPU for this model.

The load average is printed before and after: on a shared, busy machine the figures are lower
and noisier than on an idle one, and the output says so. Figures are medians with min and max.
"""

from __future__ import annotations

import argparse
import os
import statistics

import torch

from course_utils.device import set_threads
from course_utils.gpt import GPT, PAD, flops_per_token, poem_batches, train_lm
from course_utils.poems import CharVocab, load_poems
from course_utils.session import choose_threads
from machine_limit import fmt, matmul_flops_per_s  # benchmarks/, this script's folder

BATCH_SIZE = 64  # notebook 12's


def notebook_rows():
    """(V, X, Y): notebook 12's vocabulary size and its training rows, int64 (16124, 49) each."""
    train, _ = load_poems()
    vocab = CharVocab(train, max_size=3000)
    X, Y = poem_batches(vocab, train)
    return len(vocab), X, Y


def cuda_matmul_flops_per_s(device, dtype=torch.bfloat16, n=8192, repeats=5) -> list[float]:
    """machine_limit.py's measurement on a GPU: the kernels run asynchronously, so
    ``torch.utils.benchmark`` times them (it waits for the device before reading the clock)."""
    from torch.utils import benchmark

    a, b = (torch.rand(n, n, device=device, dtype=dtype) for _ in range(2))
    timer = benchmark.Timer("torch.mm(a, b)", globals={"torch": torch, "a": a, "b": b})
    timer.timeit(3)  # warm-up: cuBLAS's kernel choice
    return [2 * n**3 / timer.timeit(10).mean for _ in range(repeats)]


def tokens_per_second(device, V, X, Y, steps, repeats) -> list[float]:
    """Real (non-padding) training tokens per second of ``repeats`` runs of ``steps`` steps,
    each a fresh model; a short run first warms up the allocator and the kernels."""
    train_lm(GPT(V).to(device), X, Y, steps=2, warmup=1, batch_size=BATCH_SIZE, progress=False)
    rates = []
    for seed in range(repeats):
        torch.manual_seed(seed)
        history = train_lm(GPT(V).to(device), X, Y, steps=steps, warmup=min(30, steps),
                           batch_size=BATCH_SIZE, seed=seed, progress=False)
        rates.append(history["tokens"][-1] / history["seconds"][-1])  # seconds end with a device wait
    return rates


def report(device, steps=60, repeats=3, rows=None) -> dict:
    """Time the GPT on ``device`` and print one line; returns the medians (tokens/s, FLOP/s, share)."""
    V, X, Y = rows or notebook_rows()
    per_token = flops_per_token(num_layers=2, d=128, vocab_size=V, context=49)
    if device.type == "cuda":
        limit, limit_name, aim = cuda_matmul_flops_per_s(device), "bf16 matmul limit (autocast)", ""
    else:
        limit, limit_name, aim = matmul_flops_per_s(torch.float32), "fp32 matmul limit", "; issue 16 aims at 35%"
    rates = tokens_per_second(device, V, X, Y, steps, repeats)
    achieved = [r * per_token for r in rates]
    share = [a / statistics.median(limit) for a in achieved]
    print(f"{device.type}: {steps} steps of {BATCH_SIZE} poems, {repeats} run(s): "
          f"{fmt(rates, 1e3, 'k tokens/s')}; achieved {fmt(achieved)}; {limit_name} {fmt(limit)}; "
          f"share {statistics.median(share):.0%} (min {min(share):.0%}, max {max(share):.0%}){aim}", flush=True)
    return {"tokens/s": statistics.median(rates), "FLOP/s": statistics.median(achieved),
            "share": statistics.median(share)}


def load_line(when: str) -> str:
    load = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    busy = "; the machine is shared and busy: figures are lower and noisier than idle" if load > cpus / 2 else ""
    return f"load average ({when}): {load:.2f} on {cpus} CPUs{busy}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 run of 10 steps per device (seconds)")
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    steps, repeats = (10, 1) if args.quick else (args.steps, args.repeats)

    print(load_line("before"), flush=True)
    threads, why = choose_threads()
    set_threads(threads, torch_too=True)
    rows = notebook_rows()
    V, X, Y = rows
    real = float((Y != PAD).float().mean())
    print(f"notebook 12's GPT: d = 128, 2 blocks, 4 heads, context 49, V = {V:,}; "
          f"{flops_per_token(2, 128, V, 49) / 1e6:.2f} MFLOP per token (6·N + 6·d·V + 6·L·T·d); "
          f"{len(X):,} poem rows, {real:.0%} of their positions real tokens (the rest padding, computed but not counted)")
    print(f"CPU threads: {threads}, as session.start chooses now ({why})")
    report(torch.device("cpu"), steps, repeats, rows)
    if torch.cuda.is_available():
        report(torch.device("cuda"), steps * 5, repeats, rows)  # 5x the steps: a GPU step takes milliseconds
    else:
        print("cuda: no CUDA GPU here (benchmarks/gpu_check.py runs this model on one)")
    print(load_line("after"))


if __name__ == "__main__":
    main()
