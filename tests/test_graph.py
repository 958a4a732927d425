"""draw_graph works on any object with .data, .grad, ._prev, ._op (and optional .label)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from course_utils.graph import draw_graph, layout, trace  # noqa: E402


class Node:
    """The smallest object honoring the duck-typed contract (no label on purpose for one)."""

    def __init__(self, data, prev=(), op="", label=None, grad=0.0):
        self.data, self.grad, self._prev, self._op = data, grad, set(prev), op
        if label is not None:
            self.label = label


def small_graph():
    a, b, c = Node(2.0, label="a"), Node(-3.0, label="b"), Node(10.0)
    e = Node(-6.0, (a, b), "*", "e")
    d = Node(4.0, (e, c), "+", "d")
    f = Node(-2.0, label="f")
    return Node(-8.0, (d, f), "*", "L", grad=1.0), (a, b, c, d, e, f)


def test_trace_finds_every_node_and_edge():
    L, others = small_graph()
    nodes, edges = trace(L)
    assert {id(n) for n in nodes} == {id(n) for n in (L, *others)}
    assert len(edges) == 6


def test_layout_puts_inputs_left_of_what_they_feed():
    L, (a, b, c, d, e, f) = small_graph()
    pos = layout(L)
    col = {k: v[0] for k, v in pos.items()}
    assert col[id(L)] > col[id(d)] > col[id(e)] > col[id(a)]
    assert col[id(c)] < col[id(d)] and col[id(f)] < col[id(L)]


def test_draw_graph_writes_every_value_and_returns_axes():
    L, _ = small_graph()
    fig, ax = plt.subplots()
    assert draw_graph(L, ax=ax) is ax
    texts = " ".join(t.get_text() for t in ax.texts)
    for piece in ("a | data 2", "e | data -6", "L | data -8", "grad 1", "*", "+"):
        assert piece in texts
    plt.close(fig)


def test_draw_graph_single_node_without_label():
    ax = draw_graph(Node(1.5))
    assert "data 1.5" in ax.texts[0].get_text()
    plt.close(ax.figure)
