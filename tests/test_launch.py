"""course_utils.launch: torchrun from a notebook, with a free port, a timeout and nothing left behind;
and course_utils/ddp_train.py, the script notebook 10 launches: two processes on halves of every batch
take the same steps as one process on the whole batch."""

import os
import socket
import subprocess
import sys
import time

import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from course_utils import launch  # noqa: E402
from course_utils.models import source_cnn  # noqa: E402


def test_free_port_can_be_bound():
    port = launch.free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))
    assert 1024 <= port < 65536


def test_torchrun_returns_the_output_of_every_process(tmp_path, capsys):
    script = tmp_path / "hello.py"
    script.write_text("import os\nprint('rank', os.environ['RANK'], 'of', os.environ['WORLD_SIZE'], "
                      "'threads', os.environ['OMP_NUM_THREADS'])\n")
    out = launch.torchrun(script, 2, timeout=90)
    assert "rank 0 of 2 threads 1" in out and "rank 1 of 2 threads 1" in out
    assert "torchrun with 2 processes: done" in capsys.readouterr().out


def test_a_failing_script_raises_with_its_output(tmp_path):
    script = tmp_path / "fail.py"
    script.write_text("raise SystemExit('something went wrong here')\n")
    with pytest.raises(RuntimeError, match="torchrun failed") as info:
        launch.torchrun(script, 1, timeout=90)
    assert "something went wrong here" in str(info.value)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_timeout_stops_torchrun_and_its_workers(tmp_path):
    pids = tmp_path / "pids"
    script = tmp_path / "hang.py"
    script.write_text(f"import os, time\nopen({str(pids)!r} + os.environ['RANK'], 'w').write(str(os.getpid()))\n"
                      "time.sleep(600)\n")
    start = time.perf_counter()
    with pytest.raises(RuntimeError, match="did not finish within 20 s"):
        launch.torchrun(script, 2, timeout=20)
    assert time.perf_counter() - start < 60
    workers = [int(p.read_text()) for p in tmp_path.glob("pids*")]
    assert workers, "the workers should have started before the timeout"
    time.sleep(1)
    assert not [pid for pid in workers if _alive(pid)], "a worker outlived the launcher"


def test_stop_kills_a_group_that_ignores_sigterm():
    code = "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('ready', flush=True)\ntime.sleep(600)"
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    start = time.perf_counter()
    launch.stop(proc, grace=1.0)
    assert proc.returncode is not None and time.perf_counter() - start < 10
    launch.stop(proc)  # a finished process: nothing to do


def test_ddp_script_two_processes_equal_one_process_on_the_whole_batch(tmp_path):
    torch.manual_seed(0)
    reference = source_cnn().double()
    initial = {k: v.clone() for k, v in reference.state_dict().items()}
    g = torch.Generator().manual_seed(0)
    X = torch.rand(2, 8, 1, 28, 28, generator=g, dtype=torch.float64)
    y = torch.randint(0, 10, (2, 8), generator=g)
    torch.save({"initial_weights": initial, "X": X, "y": y, "lr": 1e-3}, tmp_path / "batches.pt")
    optimizer = torch.optim.Adam(reference.parameters(), lr=1e-3)
    for X_batch, y_batch in zip(X, y):
        loss = nn.functional.cross_entropy(reference(X_batch), y_batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    launch.torchrun(launch.DDP_SCRIPT, 2, "--workdir", tmp_path, "--bench-batch-sizes", "8", "--bench-steps", "1",
                    timeout=180)
    target = reference.state_dict()
    for rank in (0, 1):
        weights = torch.load(tmp_path / f"weights_rank{rank}_of_2.pt")
        assert max((weights[k] - target[k]).abs().max().item() for k in target) < 1e-10
    assert max((initial[k] - target[k]).abs().max().item() for k in target) > 1e-4  # training moved the weights
    speed = (tmp_path / "speed_2.json").read_text()
    assert '"backend": "gloo"' in speed and '"8"' in speed
