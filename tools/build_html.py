"""Execute the notebooks and write them as readable HTML pages, with an index.

    python tools/build_html.py [NOTEBOOK ...] [--out build/html] [--full] [--timeout SECONDS]

With no notebook named, every notebooks/NN_*.ipynb is built. Each notebook runs in a fresh
kernel from its own folder, in fast mode (COURSE_FAST=1) unless --full. Links between
notebooks (`01_the_neuron.ipynb`) become links between pages (`01_the_neuron.html`); figures
are embedded in the page; solution code is folded behind "Show the solution". A notebook that fails still gets its page, showing the error, and
the index marks it; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nbrun  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def title_of(nb, default: str) -> str:
    """The text of the notebook's first `# ` heading."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^# (.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return default


def link_pages(nb, names: set[str]) -> None:
    """Point markdown links at other notebooks of the build to their HTML pages instead."""
    pattern = re.compile(r"\(([^()\s]*?)([0-9]{2}_\w+)\.ipynb(#[^()\s]*)?\)")

    def repl(m):
        return f"({m.group(1)}{m.group(2)}.html{m.group(3) or ''})" if m.group(2) in names else m.group(0)

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = pattern.sub(repl, cell.source)


# Solutions are collapsed in the notebooks; on the pages they fold too, behind "Show the solution".
FOLD_SOLUTIONS = """<script>
document.querySelectorAll(".celltag_solution .jp-Cell-inputWrapper").forEach(function (input) {
  var details = document.createElement("details"), summary = document.createElement("summary");
  summary.textContent = "Show the solution";
  summary.style.cssText = "margin-left: 6em; cursor: pointer; color: #555";
  input.parentNode.insertBefore(details, input);
  details.appendChild(summary);
  details.appendChild(input);
});
</script>
</body>"""


def run(nb, folder: Path, timeout: int, fast: bool) -> str | None:
    """Execute ``nb`` in place; None when every cell ran, else what went wrong."""
    try:
        nbrun.execute(nb, folder, timeout=timeout, fast=fast)
    except CellExecutionError as e:
        lines = [l for l in str(e).strip().splitlines() if l.strip()]
        return lines[-1] if lines else type(e).__name__
    return None


def build(paths: list[Path], out: Path, fast: bool = True, timeout: int = 1200) -> list[dict]:
    """Write one page per notebook and ``index.html`` into ``out``; returns one record per notebook."""
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    names = {p.stem for p in paths}
    records = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        title = title_of(nb, path.stem)
        link_pages(nb, names)
        print(f"{path.name}: running ({'fast' if fast else 'full'} mode)...", flush=True)
        start = time.perf_counter()
        error = run(nb, path.resolve().parent, timeout, fast)
        seconds = time.perf_counter() - start
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
        body = body.replace("</body>", FOLD_SOLUTIONS, 1)
        (out / f"{path.stem}.html").write_text(body, encoding="utf-8")
        status = f"ran in {seconds:.0f} s" if error is None else f"FAILED: {error}"
        print(f"{path.name}: {status}", flush=True)
        records.append({"name": path.stem, "title": title, "error": error, "seconds": seconds})
    (out / "index.html").write_text(index_page(records, fast), encoding="utf-8")
    print(f"wrote {out / 'index.html'}")
    return records


def index_page(records: list[dict], fast: bool) -> str:
    items = "\n".join(
        f'  <li><a href="{r["name"]}.html">{html.escape(r["title"])}</a>'
        + (f' <span class="failed">failed: {html.escape(r["error"])}</span>' if r["error"] else f' <span class="ok">ran in {r["seconds"]:.0f} s</span>')
        + "</li>"
        for r in records
    )
    mode = "fast mode (COURSE_FAST=1: less data, fewer epochs)" if fast else "full mode"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>From one neuron to a CNN: the notebooks</title>
<style>body {{ font-family: sans-serif; max-width: 46em; margin: 2em auto; line-height: 1.5 }}
.ok {{ color: #555 }} .failed {{ color: #b00 }}</style></head>
<body>
<h1>From one neuron to a CNN: the notebooks</h1>
<p>Each page is a notebook executed top to bottom in {mode}, with its outputs.</p>
<ul>
{items}
</ul>
</body></html>
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/[0-9][0-9]_*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "html")
    parser.add_argument("--full", action="store_true", help="full mode (default: COURSE_FAST=1)")
    parser.add_argument("--timeout", type=int, default=1200, help="seconds allowed per cell (default 1200)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    records = build(paths, args.out, fast=not args.full, timeout=args.timeout)
    return 1 if any(r["error"] for r in records) else 0


if __name__ == "__main__":
    sys.exit(main())
