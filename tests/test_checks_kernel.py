"""The checker engine inside a real Jupyter kernel: a check cell whose exercise loops for ever
ends within its time limit with one verdict (as structured display data, what the grader
reads), and an exception is blamed on the learner's line in their cell."""

from datetime import datetime

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

nbclient = pytest.importorskip("nbclient")

from course_utils.checks.verdict import VERDICT_MIME  # noqa: E402

CELLS = [
    "import os\nos.environ['COURSE_CHECK_TIMEOUT'] = '0.2'  # every limit a fifth: 1 s\n"
    "import numpy as np\nfrom course_utils.checks import nb03 as ex",
    "def gd_step(W, grad, lr):\n    while True:  # the bug: nothing ever ends this loop\n        pass",
    "ex.check_gd_step(gd_step)",
    "def gd_step(W, grad, lr):\n    print('step', lr)\n    return W - lr * grad @ np.ones((7, 7))",
    "ex.check_gd_step(gd_step)",
]


def seconds(cell) -> float:
    timing = cell.metadata["execution"]
    start, end = (datetime.fromisoformat(timing[k].replace("Z", "+00:00")) for k in
                  ("iopub.execute_input", "shell.execute_reply"))
    return (end - start).total_seconds()


@pytest.fixture(scope="module")
def ran():
    nb = new_notebook(cells=[new_code_cell(source) for source in CELLS],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3", record_timing=True).execute()
    return nb


def verdict_of(cell):
    assert len(cell.outputs) == 1, cell.outputs  # one line: nothing printed by the learner's code, no traceback
    output = cell.outputs[0]
    assert output.output_type == "display_data" and VERDICT_MIME in output.data
    return output.data[VERDICT_MIME], output.data["text/plain"]


def test_an_endless_loop_ends_within_the_time_limit_in_a_kernel(ran):
    record, line = verdict_of(ran.cells[2])
    assert record["status"] == "fail" and "ran more than 1 s: is there a loop that never ends?" in record["message"]
    assert line.startswith("❌ gd_step: ran more than 1 s")
    assert seconds(ran.cells[2]) < 4


def test_the_learners_line_in_their_cell_is_blamed_in_a_kernel(ran):
    record, _ = verdict_of(ran.cells[4])
    assert "raised ValueError at `return W - lr * grad @ np.ones((7, 7))` (line 3 of your cell)" in record["message"]
