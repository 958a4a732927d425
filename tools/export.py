"""Write the notebook cells marked ``#| export MODULE`` into ``course_utils/MODULE.py``.

What a notebook teaches and a later notebook (or the package) reuses is written once, in the
notebook, and generated into the package, never copied by hand. The marker is nbdev's:

    #| export training
    def fit(model, X, y, *, num_epochs, ...):
        ...
    history = fit(...)          # the rest of the cell runs in the notebook only

From a marked code cell the tool takes its top-level ``def``s, ``class``es, UPPER_CASE
constants and ``import``s, each definition with the comment lines right above it, and headed
by a comment naming the notebook and the cell id it came from; the cell's other statements
(checks, prints, demonstrations) stay in the notebook. The imports of all the cells, with the
module's docstring and its own imports below, head the module. nbdev itself is not used: it
wants a project layout of its own (settings.ini, one notebook per module, ``__all__``
lists), and this course exports several notebooks into one module and one notebook into
several.

    python tools/export.py           # write the generated modules
    python tools/export.py --check   # exit 1, naming them, if a generated module is stale

``tests/test_export.py`` runs the check, so a notebook edited without running the tool fails
the tests.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PACKAGE = ROOT / "course_utils"
MARKER = re.compile(r"^#\|\s*export\s+(\w+)\s*$")


@dataclass
class Module:
    doc: str  # the module's docstring: what it is, who uses it
    imports: tuple = ()  # what the code needs that the notebooks import in their set-up cells
    notebooks: list = field(default_factory=list)  # filled in by collect(): where its cells came from


MODULES = {
    "mlp_numpy": Module(
        "The NumPy network of notebooks 04 and 05, generated from their cells: notebook 05 and 06 import\n"
        "it, and ``benchmarks/mlp_numpy_vs_torch.py`` times it against PyTorch.\n\n"
        "One contract for every layer (as in cs231n): ``*_forward(...) -> (out, cache)`` and\n"
        "``*_backward(dout, cache) -> gradients``. Parameters live in a dict\n"
        '``{"W1": (D, H), "b1": (H,), "W2": (H, K), "b2": (K,)}``; each layer computes\n'
        "``y = f(xW + b)``, the source text's neuron, for a whole batch. The dtype of the parameters\n"
        "(float32 to train, float64 for gradient checks) is kept.",
        ("import numpy as np",)),
    "conv": Module(
        "Convolution and max-pooling in NumPy, forward and backward, generated from notebook 07.\n\n"
        "``conv2d_forward(x, W, b, stride, pad) -> (out, cache)`` and ``conv2d_backward(dout, cache) ->\n"
        "(dx, dW, db)`` for ``x (N, C, H, W)``, ``W (F, C, kh, kw)``: im2col turns the convolution into one\n"
        "matrix product, col2im (its adjoint) adds the gradients of overlapping patches back. As in\n"
        "``torch.nn.functional.conv2d`` the kernel is not flipped (cross-correlation). The kernel\n"
        "explorer of ``course_utils.widgets`` uses ``conv2d_forward``; tests/test_conv.py checks every\n"
        "function against PyTorch.",
        ("import numpy as np",)),
    "models": Module(
        "The source text's CNN in PyTorch, generated from notebook 08, so that notebooks 00, 09 and 10\n"
        "and the benchmarks build the same network.\n\n"
        "Keras, as in the source text:\n"
        "    Conv2D(32, (3,3), relu) -> MaxPooling2D(2) -> Conv2D(64, (3,3), relu) -> MaxPooling2D(2)\n"
        "    -> Flatten -> Dense(128, relu) -> Dense(10, softmax)      # 225,034 parameters",
        ("from torch import nn",)),
    "training": Module(
        "Training the CNN in PyTorch, generated from notebook 08: tensors, augmentation, the ``fit``\n"
        "loop with the source text's five steps, evaluation and safe checkpoints. Notebooks 09 and 10\n"
        "and the benchmarks reuse them.\n\n"
        "The whole data set is held on the device as one tensor and shuffled with ``torch.randperm``\n"
        "on a seeded generator: MNIST is small (5,000 images are 16 MB as float32), so no\n"
        "``DataLoader`` is needed and no time is lost copying batches from the CPU.",
        ("import math", "import os", "import pickle", "import tempfile", "import time", "import zipfile",
         "from pathlib import Path", "", "import numpy as np", "import torch", "import torch.nn.functional as F")),
    "scale": Module(
        "Training faster on a GPU, generated from notebook 10: mixed precision (the forward pass under\n"
        "bf16 autocast), the channels-last layout and a one-cycle learning rate, all added around\n"
        "notebook 08's ``fit`` without changing it. ``benchmarks/keras_vs_course.py`` and\n"
        "``benchmarks/gpu_check.py`` train with them.",
        ("import math", "", "import torch", "from torch import nn", "", "from course_utils.training import fit")),
    "gpt": Module(
        "The transformer block and the tiny GPT of notebooks 11 and 12, generated from their cells: notebook 13\n"
        "and ``benchmarks/gpt_speed.py`` import them.\n\n"
        "From 11: ``CausalSelfAttention`` and ``Block`` (pre-LN, ``12·d² + 2·d`` parameters without biases),\n"
        "``non_embedding_parameters(num_layers, d)`` (Kaplan et al.'s ``N = 12·L·d²``). From 12: the character-level\n"
        "``GPT``, the poem-aligned batches (``poem_batches``: each row the end-of-poem token and one poem, padded),\n"
        "the training loop ``train_lm`` (AdamW, warm-up then cosine, clipping), ``evaluate_lm``, ``sample`` and\n"
        "``generate``, and ``flops_per_token`` (``6·N + 6·d·V + 6·L·T·d``).",
        ("import math", "import time", "", "import numpy as np", "import torch", "import torch.nn.functional as F",
         "from torch import nn", "", "from course_utils.poems import END_OF_POEM, UNK")),
}

HEADER = "# generated by tools/export.py from {sources}; edit the notebook, then run `python tools/export.py`."


class ExportError(ValueError):
    """A marked cell the tool cannot export: an unknown module, nothing to export, a name defined twice."""


def marked_module(cell) -> str | None:
    """The module named by the cell's ``#| export MODULE`` first line, or None."""
    if cell.cell_type != "code" or not cell.source.strip():
        return None
    match = MARKER.match(cell.source.splitlines()[0].strip())
    return match.group(1) if match else None


def _python(source: str) -> str:
    """The cell's source as Python: IPython's ``%`` and ``!`` lines become comments (same line numbers)."""
    return "\n".join("# " + line if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def _exported(node) -> str | None:
    """The name a top-level statement defines for the package, or None if it stays in the notebook."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if len(targets) == 1 and isinstance(targets[0], ast.Name) and targets[0].id.isupper():
            return targets[0].id
    return None


def pieces(cell, where: str):
    """``(imports, [(name, code)])`` of one marked cell; ``where`` names it in error messages."""
    source = _python(cell.source)
    lines = source.splitlines()
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        raise ExportError(f"{where}: not valid Python ({e.msg}, line {e.lineno})") from None
    imports, defs = [], []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(ast.get_source_segment(source, node))
            continue
        name = _exported(node)
        if name is None:
            continue
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
        while first > 0 and lines[first - 1].lstrip().startswith("#") and not MARKER.match(lines[first - 1].strip()):
            first -= 1  # the comment lines right above a definition belong to it
        defs.append((name, "\n".join(lines[first:node.end_lineno]).rstrip()))
    if not defs:
        raise ExportError(f"{where} is marked '#| export' but defines no function, class or UPPER_CASE constant")
    return imports, defs


def collect(notebooks=None):
    """``{module: (imports, [(name, where, code)], [notebook paths])}`` from every marked cell."""
    found = {}
    for path in sorted(notebooks if notebooks is not None else NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            module = marked_module(cell)
            if module is None:
                continue
            rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            where = f"{rel.as_posix()}, cell {cell.get('id')}"
            if module not in MODULES:
                raise ExportError(f"{where} exports to {module!r}, which is not in tools/export.py's MODULES "
                                  f"({', '.join(MODULES)}): add it there, with its docstring")
            imports, defs, sources = found.setdefault(module, ([], [], []))
            new_imports, new_defs = pieces(cell, where)
            imports += [i for i in new_imports if i not in imports]
            defs += [(name, where, code) for name, code in new_defs]
            if rel.as_posix() not in sources:
                sources.append(rel.as_posix())
    for module, (_, defs, _) in found.items():
        seen = {}
        for name, where, _ in defs:
            if name in seen:
                raise ExportError(f"{name!r} is exported to {module} twice: {seen[name]} and {where}")
            seen[name] = where
    return found


def render(module: str, found=None) -> str:
    """The text of ``course_utils/<module>.py`` as the notebooks define it now."""
    found = collect() if found is None else found
    if module not in found:
        raise ExportError(f"no notebook cell is marked '#| export {module}'")
    spec = MODULES[module]
    imports, defs, sources = found[module]
    head = [HEADER.format(sources=", ".join(sources)), '"""' + spec.doc + '\n"""', "", "from __future__ import annotations", ""]
    own = [line for line in spec.imports]
    extra = [i for i in imports if i not in own]
    body = own + ([""] if own and extra else []) + extra
    parts = ["\n".join(head + body).rstrip()]
    for name, where, code in defs:
        parts.append(f"# from {where}\n{code}")
    return "\n\n\n".join(parts) + "\n"


def stale(found=None) -> list:
    """The generated modules whose file differs from what the notebooks say now."""
    found = collect() if found is None else found
    return [m for m in MODULES if not (PACKAGE / f"{m}.py").exists()
            or (PACKAGE / f"{m}.py").read_text(encoding="utf-8") != render(m, found)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a module is stale")
    args = parser.parse_args(argv)
    found = collect()
    unused = [m for m in MODULES if m not in found]
    if unused:
        print(f"no notebook cell exports to {', '.join(unused)}", file=sys.stderr)
        return 1
    if args.check:
        old = stale(found)
        for m in old:
            print(f"course_utils/{m}.py is stale: run `python tools/export.py`", file=sys.stderr)
        return 1 if old else 0
    for m in MODULES:
        (PACKAGE / f"{m}.py").write_text(render(m, found), encoding="utf-8")
        print(f"wrote course_utils/{m}.py from {', '.join(found[m][2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
