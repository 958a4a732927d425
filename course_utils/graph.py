"""Draw a computational graph (the scalar autograd engine of notebook 04) with matplotlib only.

``draw_graph(root)`` works on any object that follows this duck-typed contract, which is
what notebook 04's ``Value`` class offers:

- ``.data``  the number computed in the forward pass (a float);
- ``.grad``  d(root)/d(this node), filled in by ``root.backward()`` (0 before);
- ``._prev`` the nodes this one was computed from (a set or tuple; empty for inputs);
- ``._op``   the operation that made it, as a short string (``"+"``, ``"*"``, ``"tanh"``;
  ``""`` for inputs);
- ``.label`` an optional name (``"w1"``); missing or ``""`` is fine.

Layout: inputs on the left, the root on the right; a node's column is its longest
distance from the root, so every arrow points rightwards. No graphviz binary is needed.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch


def trace(root):
    """All nodes and edges ``(child, parent)`` reachable from ``root`` through ``._prev``."""
    nodes, edges, stack = [], [], [root]
    seen = {id(root)}
    while stack:
        node = stack.pop()
        nodes.append(node)
        for child in node._prev:
            edges.append((child, node))
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return nodes, edges


def layout(root):
    """``{id(node): (column, row)}``: column = longest distance from the root (root rightmost)."""
    nodes, edges = trace(root)
    depth = {id(root): 0}
    changed = True
    while changed:  # longest path; graphs here are small, so a simple relaxation is enough
        changed = False
        for child, parent in edges:
            d = depth.get(id(parent), 0) + 1
            if id(parent) in depth and depth.get(id(child), -1) < d:
                depth[id(child)] = d
                changed = True
    max_depth = max(depth.values())
    columns = {}
    for node in nodes:
        columns.setdefault(max_depth - depth[id(node)], []).append(node)
    users = {}
    for child, parent in edges:
        users.setdefault(id(child), []).append(parent)
    pos = {}
    for col in sorted(columns, reverse=True):  # root first; each node sits near the nodes it feeds
        members = columns[col]

        def key(n):
            rows = [pos[id(p)][1] for p in users.get(id(n), []) if id(p) in pos]
            return (sum(rows) / len(rows) if rows else 0.0, str(getattr(n, "label", "") or ""), n.data)

        members.sort(key=key)
        for row, node in enumerate(members):
            pos[id(node)] = (col, row - (len(members) - 1) / 2)
    return pos


def _text(node):
    label = getattr(node, "label", "") or ""
    head = f"{label} | " if label else ""
    return f"{head}data {node.data:.4g}\ngrad {node.grad:.4g}"


def draw_graph(root, ax=None, fontsize: int = 8, op_color="#fde9c9", node_color="#dbe8f6", **kwargs):
    """Draw every node reachable from ``root`` as a box (label, data, grad) and each operation as a circle.

    Returns the axes. Other keyword arguments go to the node boxes (``FancyBboxPatch``).
    """
    pos = layout(root)
    nodes, edges = trace(root)
    n_cols = 1 + max(c for c, _ in pos.values())
    n_rows = 1 + max(sum(1 for c, _ in pos.values() if c == col) for col in range(n_cols))
    if ax is None:
        _, ax = plt.subplots(figsize=(2.6 * n_cols + 1, 1.1 * n_rows + 1))
    dx = 1.0  # the operation circle sits half a column left of the node it produced
    for node in nodes:
        x, y = pos[id(node)]
        x *= 2 * dx
        ax.add_patch(FancyBboxPatch((x - 0.55, y - 0.22), 1.1, 0.44, boxstyle="round,pad=0.03",
                                    facecolor=node_color, edgecolor="0.3", **kwargs))
        ax.text(x, y, _text(node), ha="center", va="center", fontsize=fontsize, family="monospace")
        if node._op:
            ox = x - dx
            ax.annotate("", xy=(x - 0.58, y), xytext=(ox + 0.2, y), arrowprops=dict(arrowstyle="->", color="0.3"))
            ax.add_patch(plt.Circle((ox, y), 0.2, facecolor=op_color, edgecolor="0.3"))
            ax.text(ox, y, node._op, ha="center", va="center", fontsize=fontsize + 1)
    for child, parent in edges:
        cx, cy = pos[id(child)]
        px, py = pos[id(parent)]
        ax.annotate("", xy=(2 * dx * px - dx - 0.2, py), xytext=(2 * dx * cx + 0.58, cy),
                    arrowprops=dict(arrowstyle="->", color="0.5", shrinkA=0, shrinkB=0))
    xs = [2 * dx * c for c, _ in pos.values()]
    ys = [r for _, r in pos.values()]
    ax.set_xlim(min(xs) - 1.6, max(xs) + 0.8)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax
