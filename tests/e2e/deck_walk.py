"""Walk every slide of a reveal.js deck written by tools/build_slides.py and measure it.

``walk(page)`` visits each slide (horizontal and vertical) of the deck open in ``page`` and
returns one record per slide: its number, the id of the first notebook cell on it, its height
in slide pixels (the deck is 1280 x 720 whatever the window: reveal.js scales it), and what is
wrong with it. The checks:

- ``tall``: the slide's content is taller than the slide (it runs off the bottom of the screen);
- ``clipped``: a code or output block is wider than its box (a long token cannot wrap), or a
  block, table, figure or formula reaches past the slide's right edge;
- ``raw maths``: text outside code still holds TeX delimiters ($...$, \\( \\), \\[ \\]) after
  MathJax ran, or a formula MathJax found did not typeset (an error, or no output in the page).

Informational, not failures: code lines that wrap (shorter lines read better), and figures
shown at less than 90 % of their size (their labels shrink with them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# TeX delimiters left in text once MathJax has run: $...$, \( \), \[ \] (a JavaScript regex)
RAW_MATHS = r"/\$[^$\n]+\$|\\\(|\\\)|\\\[|\\\]/"

WALK_JS = r"""
(RAW) => {
  Reveal.configure({transition: "none", backgroundTransition: "none"});
  const config = Reveal.getConfig(), W = config.width, H = config.height;
  const math = [];
  for (const item of MathJax.startup.document.math) math.push(item);
  RAW = new RegExp(RAW.slice(1, -1));
  const SKIP = "pre, code, script, style, mjx-container, aside, textarea";
  const records = [];
  Reveal.getSlides().forEach((slide, n) => {
    const ix = Reveal.getIndices(slide);
    Reveal.slide(ix.h, ix.v);
    const scale = Reveal.getScale();
    const box = slide.getBoundingClientRect();
    const first = slide.querySelector('[id^="cell-id="]');
    const cellOf = el => { const c = el.closest('[id^="cell-id="]'); return c ? c.id.slice(8) : (first ? first.id.slice(8) : "?"); };
    const rec = {n: n + 1, h: ix.h, v: ix.v, cell: first ? first.id.slice(8) : "?", height: slide.scrollHeight,
                 tall: [], clipped: [], raw: [], wrapped: [], small: []};
    if (slide.scrollHeight > H + 1) rec.tall.push(`${slide.scrollHeight} px tall, the slide is ${H}`);
    slide.querySelectorAll("pre").forEach(pre => {
      if (pre.closest("aside")) return;
      if (pre.scrollWidth > pre.clientWidth + 1)
        rec.clipped.push(`cell ${cellOf(pre)}: a line needs ${pre.scrollWidth} px, the block is ${pre.clientWidth}`);
      const style = getComputedStyle(pre), lh = parseFloat(style.lineHeight);
      const inner = pre.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      const lines = pre.textContent.replace(/\n$/, "").split("\n").length;
      const shown = Math.round(inner / lh);
      if (lh > 0 && shown > lines) rec.wrapped.push(`cell ${cellOf(pre)}: ${shown - lines} of ${lines} lines wrap`);
    });
    const right = box.left + W * scale + 1;
    slide.querySelectorAll("p, li, table, img, pre, mjx-container, .jp-OutputArea-output").forEach(el => {
      if (el.closest("aside")) return;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > right)
        rec.clipped.push(`cell ${cellOf(el)}: a ${el.tagName.toLowerCase()} reaches ${Math.round((r.right - box.left) / scale)} px, the slide is ${W}`);
    });
    slide.querySelectorAll("img").forEach(img => {
      const meant = parseFloat(img.getAttribute("width")) || img.naturalWidth;
      const shown = img.getBoundingClientRect().width / scale;
      if (meant > 0 && shown / meant < 0.9)
        rec.small.push(`cell ${cellOf(img)}: a ${Math.round(meant)} px figure shown at ${Math.round(100 * shown / meant)} %`);
    });
    const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (t.parentElement.closest(SKIP)) continue;
      const m = t.textContent.match(RAW);
      if (m) rec.raw.push(`cell ${cellOf(t.parentElement)}: "${m[0].slice(0, 40)}" left as text`);
    }
    math.filter(item => item.start.node && slide.contains(item.start.node) || item.typesetRoot && slide.contains(item.typesetRoot))
        .forEach(item => {
      if (!item.typesetRoot || !item.typesetRoot.isConnected)
        rec.raw.push(`"${item.math.slice(0, 40)}" found by MathJax but not typeset`);
      else if (item.typesetRoot.querySelector('[data-mml-node="merror"]'))
        rec.raw.push(`cell ${cellOf(item.typesetRoot)}: "${item.math.slice(0, 40)}" has a TeX error`);
    });
    records.push(rec);
  });
  Reveal.slide(0, 0);
  return records;
}
"""


@dataclass
class Slide:
    n: int
    h: int
    v: int
    cell: str
    height: int
    tall: list = field(default_factory=list)
    clipped: list = field(default_factory=list)
    raw: list = field(default_factory=list)
    wrapped: list = field(default_factory=list)
    small: list = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [f"too tall: {m}" for m in self.tall] + [f"clipped: {m}" for m in self.clipped] + \
               [f"maths: {m}" for m in self.raw]


def open_deck(page, url: str) -> None:
    """Open a deck and wait until reveal.js is ready and MathJax has typeset the page."""
    page.goto(url)
    page.wait_for_function("window.Reveal && Reveal.isReady() && window.MathJax && MathJax.startup"
                           " && MathJax.startup.promise", timeout=60_000)
    page.evaluate("MathJax.startup.promise")


def walk(page) -> list[Slide]:
    return [Slide(**r) for r in page.evaluate(WALK_JS, RAW_MATHS)]


def show(page, slide: Slide) -> None:
    page.evaluate("([h, v]) => Reveal.slide(h, v)", [slide.h, slide.v])
    page.wait_for_timeout(300)


def summary(deck: str, size: str, slides: list[Slide], refused: list[str]) -> str:
    """Markdown: what fails on each slide of one deck, and the informational notes."""
    bad = [s for s in slides if s.problems]
    lines = [f"### {deck} at {size}: {len(bad)} of {len(slides)} slides fail"
             + (f"; {len(refused)} requests left the machine" if refused else "")]
    lines += [f"- request refused: {u}" for u in refused]
    for s in bad:
        lines.append(f"- slide {s.n} ({s.h}.{s.v}), first cell `{s.cell}`, {s.height} px: " + "; ".join(s.problems))
    notes = [(s, m) for s in slides for m in s.wrapped + s.small]
    if notes:
        lines.append("- notes (not failures): " + "; ".join(f"slide {s.n}: {m}" for s, m in notes))
    return "\n".join(lines)
