"""course_utils.data, without the internet.

The bundled MNIST is read and checked as shipped. Downloads are tested against a small
HTTP server on 127.0.0.1 (a thread in this process) that serves small, valid IDX files
built here, with their md5s patched in, and can also answer with wrong bytes, a truncated
body, a 404 or garbage. Every test points the cache at its own tmp folder and, unless it
says otherwise, has no mirrors at all, so nothing here can reach the real network.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import struct
import sys
import tempfile
import threading
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from course_utils import data
from course_utils.data import CorruptDataError, DownloadError

IMAGES, LABELS = "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def _no_real_network(monkeypatch, tmp_path):
    """No mirrors and a private cache unless a test sets its own; network allowed only where a test says."""
    monkeypatch.setenv("COURSE_MNIST_MIRRORS", "")
    monkeypatch.setenv("COURSE_DATA", str(tmp_path / "default-cache"))
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    monkeypatch.delenv("COURSE_MNIST", raising=False)


def _idx_gz(array: np.ndarray) -> bytes:
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return gzip.compress(header + array.tobytes(), mtime=0)


@pytest.fixture
def fixture_set(monkeypatch):
    """100 random 28x28 digits and labels as IDX gz files, their md5s patched into ``data``."""
    rng = np.random.default_rng(123)
    x = rng.integers(0, 256, (100, 28, 28), dtype=np.uint8)
    y = rng.integers(0, 10, 100).astype(np.uint8)
    files = {IMAGES: _idx_gz(x), LABELS: _idx_gz(y)}
    monkeypatch.setattr(data, "FULL_TRAIN_MD5", {n: hashlib.md5(b).hexdigest() for n, b in files.items()})
    return x, y.astype(np.int64), files


class _Handler(BaseHTTPRequestHandler):
    """GET /<mode>/<name>: mode is good, corrupt, truncated, missing or garbage."""

    def do_GET(self):  # noqa: N802 (the http.server name)
        self.server.requests.append(self.path)
        _, mode, name = self.path.split("/", 2)
        body = self.server.files.get(name)
        if mode == "missing" or body is None:
            self.send_error(404, "Not Found")
            return
        if mode == "garbage":  # not HTTP at all: http.client raises BadStatusLine
            self.wfile.write(b"this is not an HTTP response\r\n\r\n")
            self.close_connection = True
            return
        if mode == "corrupt":  # same length, one byte wrong: only the md5 can tell
            body = body[:-5] + bytes([body[-5] ^ 0xFF]) + body[-4:]
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "truncated":  # promise the whole body, send half, hang up
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def server(request, fixture_set):
    """A local mirror serving the fixture files; ``server.url(mode)`` is a base URL, ``server.requests`` the log."""
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)  # port 0: a free port
    srv.daemon_threads = True
    srv.files = dict(fixture_set[2])
    srv.requests = []
    srv.url = lambda mode: f"http://127.0.0.1:{srv.server_address[1]}/{mode}/"
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()

    def stop():
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)

    request.addfinalizer(stop)
    return srv


def _use(monkeypatch, *bases):
    monkeypatch.setenv("COURSE_MNIST_MIRRORS", ",".join(bases))


def _leftovers(folder: Path):
    return sorted(p.name for p in folder.iterdir())


# --------------------------------------------------------------------------- the bundle


@pytest.fixture(scope="module")
def bundled():
    return data.load_mnist("bundled", verbose=False)


def test_bundled_shapes_and_dtypes(bundled):
    (x_train, y_train), (x_test, y_test) = bundled
    assert x_train.shape == (5000, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (5000,) and y_train.dtype == np.int64
    assert x_test.shape == (10000, 28, 28) and x_test.dtype == np.uint8
    assert y_test.shape == (10000,) and y_test.dtype == np.int64


def test_bundled_labels_are_balanced_and_in_range(bundled):
    (x_train, y_train), (x_test, y_test) = bundled
    assert np.bincount(y_train, minlength=10).tolist() == [500] * 10
    assert set(np.unique(y_test)) == set(range(10))
    # the official test set's class counts (MNIST's t10k)
    assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert x_train.max() == 255 and x_train.min() == 0  # real digits: ink on a white page


def test_bundled_files_match_their_checksums():
    for name, sha in data.BUNDLED_SHA256.items():
        assert hashlib.sha256((data.BUNDLE_DIR / name).read_bytes()).hexdigest() == sha


def test_bundled_load_prints_what_it_loaded(capsys):
    data.load_mnist("bundled")
    assert "the 5,000 bundled training images (as asked)" in capsys.readouterr().out


@pytest.fixture
def bundle_copy(tmp_path, monkeypatch):
    copy = tmp_path / "mnist"
    shutil.copytree(data.BUNDLE_DIR, copy)
    monkeypatch.setattr(data, "BUNDLE_DIR", copy)
    return copy


def test_damaged_bundle_raises_corrupt_data_error(bundle_copy):
    path = bundle_copy / "train-5k-images-idx3-ubyte.gz"
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01  # one flipped bit
    path.write_bytes(bytes(raw))
    with pytest.raises(CorruptDataError, match=r"train-5k-images-idx3-ubyte\.gz is damaged .*git checkout"):
        data.load_mnist("bundled", verbose=False)


def test_missing_bundle_file_says_reinstall(bundle_copy):
    (bundle_copy / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(CorruptDataError, match=r"t10k-labels-idx1-ubyte\.gz is missing: reinstall"):
        data.load_mnist("bundled", verbose=False)


def test_corrupt_data_error_is_a_value_error():
    assert issubclass(CorruptDataError, ValueError) and issubclass(DownloadError, OSError)


# --------------------------------------------------------------------------- read_idx


def test_read_idx_round_trip(tmp_path):
    a = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    (tmp_path / "a.gz").write_bytes(_idx_gz(a))
    np.testing.assert_array_equal(data.read_idx(tmp_path / "a.gz"), a)


def test_read_idx_rejects_non_gzip(tmp_path):
    (tmp_path / "a.gz").write_bytes(b"not gzip at all")
    with pytest.raises(CorruptDataError, match="not a readable gzip file"):
        data.read_idx(tmp_path / "a.gz")


def test_read_idx_rejects_truncated_gzip(tmp_path):
    raw = _idx_gz(np.zeros((10, 28, 28), np.uint8))
    (tmp_path / "a.gz").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(CorruptDataError, match="not a readable gzip file"):
        data.read_idx(tmp_path / "a.gz")


def test_read_idx_rejects_wrong_magic_and_wrong_length(tmp_path):
    (tmp_path / "magic.gz").write_bytes(gzip.compress(b"\x00\x00\x0d\x01" + struct.pack(">I", 1) + b"\x00" * 4))
    with pytest.raises(CorruptDataError, match="not an IDX file of unsigned bytes"):
        data.read_idx(tmp_path / "magic.gz")
    (tmp_path / "short.gz").write_bytes(gzip.compress(b"\x00\x00\x08\x01" + struct.pack(">I", 10) + b"\x00" * 7))
    with pytest.raises(CorruptDataError, match="header promises 10 bytes .* file holds 7"):
        data.read_idx(tmp_path / "short.gz")


def test_images_and_labels_must_match(tmp_path):
    (tmp_path / "x.gz").write_bytes(_idx_gz(np.zeros((5, 28, 28), np.uint8)))
    (tmp_path / "y.gz").write_bytes(_idx_gz(np.zeros(4, np.uint8)))
    with pytest.raises(CorruptDataError, match="do not match MNIST"):
        data._images_and_labels(tmp_path / "x.gz", tmp_path / "y.gz")


# --------------------------------------------------------------------------- downloads


def test_full_download_returns_the_files_and_caches_them(server, fixture_set, monkeypatch, tmp_path):
    x, y, _ = fixture_set
    _use(monkeypatch, server.url("good"))
    cache = tmp_path / "cache"
    (x_train, y_train), (x_test, _) = data.load_mnist("full", data_dir=cache, verbose=False)
    np.testing.assert_array_equal(x_train, x)
    np.testing.assert_array_equal(y_train, y)
    assert y_train.dtype == np.int64 and x_test.shape == (10000, 28, 28)
    assert len(server.requests) == 2
    assert _leftovers(cache) == [IMAGES, LABELS]  # nothing else: no .part files

    (x_again, _), _ = data.load_mnist("full", data_dir=cache, verbose=False)
    np.testing.assert_array_equal(x_again, x)
    assert len(server.requests) == 2, "the second call must read the cache, not download again"


def test_full_download_says_where_it_cached(server, monkeypatch, tmp_path, capsys):
    _use(monkeypatch, server.url("good"))
    data.load_mnist("full", data_dir=tmp_path / "cache")
    out = capsys.readouterr().out
    assert "full training set, 100 images (as asked" in out and str(tmp_path / "cache") in out


def test_mirror_url_without_trailing_slash(server, monkeypatch, tmp_path):
    _use(monkeypatch, server.url("good").rstrip("/"))
    assert data.mirrors() == [server.url("good")]
    data.load_mnist("full", data_dir=tmp_path / "cache", verbose=False)


@pytest.mark.parametrize("bad", ["corrupt", "truncated", "missing", "garbage"])
def test_a_bad_first_mirror_falls_through_to_the_second(server, fixture_set, monkeypatch, tmp_path, bad):
    _use(monkeypatch, server.url(bad), server.url("good"))
    cache = tmp_path / "cache"
    (x_train, y_train), _ = data.load_mnist("full", data_dir=cache, verbose=False)
    np.testing.assert_array_equal(x_train, fixture_set[0])
    assert [p.split("/")[1] for p in server.requests] == [bad, "good", bad, "good"]
    assert _leftovers(cache) == [IMAGES, LABELS]


@pytest.mark.parametrize("bad, reason", [("corrupt", "does not match the official"), ("truncated", "truncated: received")])
def test_corrupt_or_truncated_download_is_rejected_and_not_kept(server, monkeypatch, tmp_path, bad, reason):
    _use(monkeypatch, server.url(bad))
    cache = tmp_path / "cache"
    cache.mkdir()
    with pytest.raises(DownloadError, match=reason):
        data.fetch(IMAGES, data.FULL_TRAIN_MD5[IMAGES], cache, timeout=5)
    assert _leftovers(cache) == [], "neither the bad file nor a .part file may stay in the cache"


def test_all_mirrors_failing_lists_every_url_and_the_way_out(server, monkeypatch, tmp_path):
    bases = [server.url(m) for m in ("corrupt", "truncated", "missing", "garbage")]
    _use(monkeypatch, *bases)
    with pytest.raises(DownloadError) as info:
        data.load_mnist("full", data_dir=tmp_path / "cache", verbose=False)
    message = str(info.value)
    for base in bases:
        assert base + IMAGES in message
    assert "Not Found" in message  # the 404's reason, not just its URL
    assert "source='bundled'" in message
    assert len(message.splitlines()) == 1 + len(bases) + 1, "one line per URL tried, between a header and the advice"
    assert _leftovers(tmp_path / "cache") == []


def test_no_mirrors_at_all_says_so(tmp_path):
    with pytest.raises(DownloadError, match="no mirrors .*COURSE_MNIST_MIRRORS is empty"):
        data.load_mnist("full", data_dir=tmp_path / "cache", verbose=False)


def test_unreachable_mirror_is_reported(monkeypatch, tmp_path):
    with socket_closed_port() as port:
        _use(monkeypatch, f"http://127.0.0.1:{port}/")
        with pytest.raises(DownloadError, match=rf"127\.0\.0\.1:{port}/{IMAGES}: .*refused"):
            data.load_mnist("full", data_dir=tmp_path / "cache", verbose=False, timeout=5)


class socket_closed_port:  # noqa: N801 (used as a context manager)
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""

    def __enter__(self):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def __exit__(self, *exc):
        return False


def test_damaged_cached_file_is_detected_and_replaced(server, fixture_set, monkeypatch, tmp_path, capsys):
    _use(monkeypatch, server.url("good"))
    cache = tmp_path / "cache"
    data.load_mnist("full", data_dir=cache, verbose=False)
    (cache / IMAGES).write_bytes(b"damaged")
    server.requests.clear()
    (x_train, _), _ = data.load_mnist("full", data_dir=cache, verbose=False)
    np.testing.assert_array_equal(x_train, fixture_set[0])
    assert server.requests == ["/good/" + IMAGES], "only the damaged file is downloaded again"
    assert "is damaged (wrong md5); downloading it again" in capsys.readouterr().out
    assert (cache / IMAGES).read_bytes() == fixture_set[2][IMAGES]


# --------------------------------------------------------------------------- source="auto"
#
# Chosen by how long training takes: the bundle on a CPU whatever is cached; on a GPU the full
# set when cached or downloadable. `cpu` and `gpu` fix what training_on_gpu() answers.


@pytest.fixture
def cpu(monkeypatch):
    monkeypatch.setattr(data, "training_on_gpu", lambda: False)


@pytest.fixture
def gpu(monkeypatch):
    monkeypatch.setattr(data, "training_on_gpu", lambda: True)


@pytest.fixture
def full_cache(server, monkeypatch, tmp_path):
    """A cache holding the (fixture) full set, filled through the local mirror; requests log cleared."""
    _use(monkeypatch, server.url("good"))
    cache = tmp_path / "cache"
    data.load_mnist("full", data_dir=cache, verbose=False)
    server.requests.clear()
    return cache


def one_line(capsys) -> str:
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_auto_on_a_cpu_takes_the_bundle_even_when_the_full_set_is_cached(cpu, full_cache, server, monkeypatch, capsys):
    monkeypatch.delenv("COURSE_OFFLINE")
    (x_train, _), (x_test, _) = data.load_mnist(data_dir=full_cache)
    assert x_train.shape == (5000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert server.requests == [], "on a CPU auto never goes to the network"
    line = one_line(capsys)
    assert "5,000 bundled training images (on a CPU" in line
    assert 'load_mnist(source="full") or COURSE_MNIST=full' in line, "the line must say how to get the full set"


def test_course_mnist_full_asks_for_the_full_set_on_a_cpu(cpu, full_cache, monkeypatch, fixture_set, capsys):
    monkeypatch.setenv("COURSE_MNIST", "full")
    (x_train, _), _ = data.load_mnist(data_dir=full_cache)
    np.testing.assert_array_equal(x_train, fixture_set[0])
    line = one_line(capsys)
    assert "full training set, 100 images (as asked" in line and "COURSE_MNIST=bundled" in line


def test_course_mnist_full_downloads_like_source_full(cpu, server, monkeypatch, tmp_path, fixture_set):
    monkeypatch.setenv("COURSE_MNIST", "full")
    _use(monkeypatch, server.url("good"))
    (x_train, _), _ = data.load_mnist(data_dir=tmp_path / "cache", verbose=False)
    np.testing.assert_array_equal(x_train, fixture_set[0])
    assert len(server.requests) == 2


def test_course_mnist_bundled_wins_on_a_gpu(gpu, full_cache, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_MNIST", "bundled")
    (x_train, _), _ = data.load_mnist(data_dir=full_cache)
    assert x_train.shape == (5000, 28, 28)
    assert "5,000 bundled training images (as asked)" in one_line(capsys)


def test_an_explicit_source_wins_over_course_mnist(gpu, full_cache, monkeypatch):
    monkeypatch.setenv("COURSE_MNIST", "full")
    (x_train, _), _ = data.load_mnist("bundled", data_dir=full_cache, verbose=False)
    assert x_train.shape == (5000, 28, 28)


def test_a_wrong_course_mnist_is_named_in_the_error(monkeypatch):
    monkeypatch.setenv("COURSE_MNIST", "everything")
    with pytest.raises(ValueError, match=r"not 'everything' \(also check \$COURSE_MNIST\)"):
        data.load_mnist()


def test_auto_on_a_gpu_uses_the_cache_even_offline(gpu, full_cache, server, fixture_set, capsys):
    (x_train, _), _ = data.load_mnist(data_dir=full_cache)
    np.testing.assert_array_equal(x_train, fixture_set[0])
    assert server.requests == []
    line = one_line(capsys)
    assert f"full training set, 100 images (a GPU is here; cached in {full_cache})" in line
    assert 'load_mnist(source="bundled") or COURSE_MNIST=bundled' in line


def test_auto_on_a_gpu_downloads_when_it_can(gpu, server, fixture_set, monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_OFFLINE")
    _use(monkeypatch, server.url("good"))
    (x_train, _), _ = data.load_mnist("auto", data_dir=tmp_path / "cache", verbose=False)
    np.testing.assert_array_equal(x_train, fixture_set[0])


def test_auto_on_a_gpu_falls_back_to_bundled_when_mirrors_fail(gpu, server, monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("COURSE_OFFLINE")
    _use(monkeypatch, server.url("missing"))
    (x_train, y_train), (x_test, _) = data.load_mnist("auto", data_dir=tmp_path / "cache")
    assert x_train.shape == (5000, 28, 28) and x_test.shape == (10000, 28, 28)
    line = one_line(capsys)
    assert "5,000 bundled training images (a GPU is here, but the full set could not be downloaded" in line
    assert server.url("missing") in line and "COURSE_MNIST=full" in line
    assert len(server.requests) == 1  # the first file failed: no point asking for the second


def test_auto_on_a_gpu_offline_never_touches_the_network(gpu, server, monkeypatch, tmp_path, capsys):
    _use(monkeypatch, server.url("good"))
    (x_train, _), _ = data.load_mnist("auto", data_dir=tmp_path / "cache")
    assert x_train.shape == (5000, 28, 28)
    assert server.requests == [], "COURSE_OFFLINE=1 must not make a single request"
    assert "not cached and COURSE_OFFLINE=1" in one_line(capsys)


def test_auto_on_a_gpu_offline_with_a_damaged_cache_uses_the_bundle(gpu, full_cache, server):
    (full_cache / LABELS).write_bytes(b"damaged")
    (x_train, _), _ = data.load_mnist("auto", data_dir=full_cache, verbose=False)
    assert x_train.shape == (5000, 28, 28) and server.requests == []


def test_full_branch_on_real_digits(gpu, monkeypatch, tmp_path, capsys):
    """The cache filled with real MNIST files (the bundled official test set, named as the training
    files, with their checksums substituted): auto on a GPU reads 10,000 real digits from it."""
    cache = tmp_path / "cache"
    cache.mkdir()
    for name, source in ((IMAGES, "t10k-images-idx3-ubyte.gz"), (LABELS, "t10k-labels-idx1-ubyte.gz")):
        shutil.copy(data.BUNDLE_DIR / source, cache / name)
    monkeypatch.setattr(data, "FULL_TRAIN_MD5", {n: hashlib.md5((cache / n).read_bytes()).hexdigest() for n in (IMAGES, LABELS)})
    (x_train, y_train), (x_test, y_test) = data.load_mnist(data_dir=cache)
    np.testing.assert_array_equal(x_train, x_test)
    np.testing.assert_array_equal(y_train, y_test)
    assert "full training set, 10,000 images (a GPU is here" in one_line(capsys)


def test_training_on_gpu_never_imports_torch(monkeypatch):
    monkeypatch.delitem(sys.modules, "torch", raising=False)
    assert data.training_on_gpu() is False
    assert "torch" not in sys.modules


@pytest.mark.parametrize("cuda, device, expected", [(True, None, True), (False, None, False), (True, "cpu", False), (True, "cuda:0", True)])
def test_training_on_gpu_asks_the_imported_torch(monkeypatch, cuda, device, expected):
    fake = types.SimpleNamespace(cuda=types.SimpleNamespace(is_available=lambda: cuda))
    monkeypatch.setitem(sys.modules, "torch", fake)
    if device is None:
        monkeypatch.delenv("COURSE_DEVICE", raising=False)
    else:
        monkeypatch.setenv("COURSE_DEVICE", device)
    assert data.training_on_gpu() is expected


def test_verbose_false_prints_nothing(capsys):
    data.load_mnist("bundled", verbose=False)
    data.load_mnist("auto", verbose=False)
    assert capsys.readouterr().out == ""


# --------------------------------------------------------------------------- arguments and the cache folder


def test_unknown_source_is_a_value_error():
    with pytest.raises(ValueError, match=r"source must be one of .*'web'"):
        data.load_mnist("web")


def test_data_dir_that_is_a_file_is_a_value_error(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        data.load_mnist("full", data_dir=tmp_path / "afile")


def test_cache_dir_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA", str(tmp_path / "from-env"))
    assert data.cache_dir() == tmp_path / "from-env" and (tmp_path / "from-env").is_dir()
    monkeypatch.delenv("COURSE_DATA")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert data.cache_dir() == tmp_path / "xdg" / "course_utils" / "mnist"
    assert data.cache_dir(tmp_path / "given") == tmp_path / "given"


@pytest.fixture
def private_tmp(monkeypatch, tmp_path):
    """Point tempfile.gettempdir() at a private folder, so the fallback cache lands in tmp_path."""
    folder = tmp_path / "systmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_unwritable_cache_falls_back_to_a_temporary_folder(monkeypatch, tmp_path, private_tmp, capsys):
    # chmod does not stop root, so make the writability probe fail the way a read-only
    # folder would: NamedTemporaryFile raises PermissionError in that folder only.
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    real = tempfile.NamedTemporaryFile

    def probe(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == readonly:
            raise PermissionError(13, "Permission denied", str(readonly))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(data.tempfile, "NamedTemporaryFile", probe)
    folder = data.cache_dir(readonly)
    assert folder.parent == private_tmp and folder.name.startswith("course_utils-mnist-") and folder.is_dir()
    out = capsys.readouterr().out
    assert f"cannot write to {readonly} (Permission denied)" in out and str(folder) in out


def test_cache_under_a_file_falls_back_too(tmp_path, private_tmp, capsys):
    # A real failure, no patching: the parent is a regular file, so mkdir fails even for root.
    (tmp_path / "afile").write_text("x")
    folder = data.cache_dir(tmp_path / "afile" / "mnist")
    assert folder.parent == private_tmp and folder.is_dir()
    assert "Notice: cannot write to" in capsys.readouterr().out


def test_download_into_the_fallback_folder(server, fixture_set, monkeypatch, tmp_path, private_tmp):
    _use(monkeypatch, server.url("good"))
    (tmp_path / "afile").write_text("x")
    (x_train, _), _ = data.load_mnist("full", data_dir=tmp_path / "afile" / "mnist", verbose=False)
    np.testing.assert_array_equal(x_train, fixture_set[0])
    (fallback,) = private_tmp.iterdir()
    assert _leftovers(fallback) == [IMAGES, LABELS]


# --------------------------------------------------------------------------- toy 2-D data


TOYS = {
    "spirals": lambda seed=0, n=50: data.make_spirals(n_per_class=n, n_classes=3, seed=seed),
    "moons": lambda seed=0, n=50: data.make_moons(n=n, seed=seed),
    "blobs": lambda seed=0, n=50: data.make_blobs(n=n, seed=seed),
}


@pytest.mark.parametrize("name", TOYS)
def test_toy_shapes_and_dtypes(name):
    X, y = TOYS[name]()
    n = 150 if name == "spirals" else 50
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.all(np.isfinite(X))
    k = 3 if name == "spirals" else 2
    assert np.bincount(y).tolist() == [n // k] * k


@pytest.mark.parametrize("name", TOYS)
def test_toy_seed_decides_everything(name):
    X1, y1 = TOYS[name](seed=7)
    X2, y2 = TOYS[name](seed=7)
    X3, _ = TOYS[name](seed=8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.allclose(X1, X3)


@pytest.mark.parametrize("name", TOYS)
@pytest.mark.parametrize("n", [0, -3, 2.5, "10", None])
def test_toy_bad_n_is_a_value_error(name, n):
    with pytest.raises(ValueError, match="must be a positive integer"):
        TOYS[name](n=n)


def test_toy_other_arguments():
    with pytest.raises(ValueError, match="n_classes must be a positive integer"):
        data.make_spirals(n_classes=0)
    with pytest.raises(ValueError, match=r"centers must have shape \(K, 2\)"):
        data.make_blobs(centers=[1.0, 2.0, 3.0])
    X, y = data.make_blobs(n=30, centers=[(0, 0), (5, 5), (-5, 5)], std=0.1)
    assert set(y) == {0, 1, 2}
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [5, 5], atol=0.2)
    X, _ = data.make_spirals(n_per_class=20, noise=0.0)
    assert np.all(np.linalg.norm(X, axis=1) <= 1.0 + 1e-12)  # the arms stay inside the unit disc


def test_toys_do_not_touch_the_global_generator():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    data.make_spirals()
    data.make_moons()
    data.make_blobs()
    assert np.array_equal(np.random.get_state()[1], before)
