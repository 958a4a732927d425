"""Data for the course: real MNIST and small toy sets.

``load_mnist`` gives the learner real digits in every situation:
- ``source="bundled"``: 5,000 training images and the official 10,000-image test set,
  shipped inside this package and checked by SHA-256 every time they are read;
- ``source="full"``: the official 60,000 training images, downloaded once into a cache
  folder, each file checked against its official md5 and written atomically;
- ``source="auto"`` (the default): chosen by how long training will take, not by what is on
  disk. A CPU trains on the 5,000 bundled images (an epoch of the full 60,000 is twelve times
  the work; benchmarks/full_set_time.py measures it); a GPU may take the full set, when it is
  cached or downloads quickly. ``$COURSE_MNIST`` (``bundled``, ``full`` or ``auto``)
  overrides the choice without editing a notebook.

The test set is always the official one (the bundled file is byte-identical to it).
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import os
import struct
import sys
import tempfile
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import numpy as np

BUNDLE_DIR = Path(__file__).with_name("mnist")

# file name -> sha256 of the files shipped in course_utils/mnist/
BUNDLED_SHA256 = {
    "train-5k-images-idx3-ubyte.gz": "5eb5a55b9b127e1bbeed6e0c1dcd0cbe8e2e8ef3fffe1f6f586a9c66a10bfa27",
    "train-5k-labels-idx1-ubyte.gz": "c4212cb8cf5b3856dc6a93954d0a71e872869a3ed569561ef5993f6e5a0b3bec",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

# file name -> official md5 of the full training set (the files are downloaded)
FULL_TRAIN_MD5 = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
}

# Base URLs tried in turn; override with COURSE_MNIST_MIRRORS="url1,url2".
DEFAULT_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

SOURCES = ("auto", "bundled", "full")


class CorruptDataError(ValueError):
    """A data file is not what it should be (checksum or IDX layout)."""


class DownloadError(OSError):
    """No mirror delivered a file with the right checksum."""


# --------------------------------------------------------------------------- reading


def read_idx(path) -> np.ndarray:
    """Parse a gzip-compressed IDX file (the MNIST format) into an array.

    Layout: two zero bytes, a type byte (0x08 = unsigned byte), the number of
    dimensions, one big-endian uint32 per dimension, then the raw bytes.
    """
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError, zlib.error) as e:  # bad gzip header, truncated stream
        raise CorruptDataError(f"{path}: not a readable gzip file ({e})") from e
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise CorruptDataError(f"{path}: not an IDX file of unsigned bytes")
    ndim = raw[3]
    header = 4 + 4 * ndim
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    expected = int(np.prod(shape))
    if len(raw) - header != expected:
        raise CorruptDataError(
            f"{path}: header promises {expected:,} bytes of data for shape {shape}, "
            f"file holds {len(raw) - header:,}"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def _digest(path, algorithm: str) -> str:
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _images_and_labels(images_path, labels_path):
    x = read_idx(images_path)
    y = read_idx(labels_path).astype(np.int64)
    if x.ndim != 3 or x.shape[1:] != (28, 28) or y.shape != (len(x),):
        raise CorruptDataError(f"{images_path}: shapes {x.shape} and {y.shape} do not match MNIST")
    return x, y


def _bundled_file(name: str) -> Path:
    path = BUNDLE_DIR / name
    if not path.is_file():
        raise CorruptDataError(f"the bundled file {path} is missing: reinstall the course (pip install -e .)")
    digest = _digest(path, "sha256")
    if digest != BUNDLED_SHA256[name]:
        raise CorruptDataError(
            f"the bundled file {path} is damaged (sha256 {digest[:12]}…, expected "
            f"{BUNDLED_SHA256[name][:12]}…): restore it with `git checkout -- {path.name}` in course_utils/mnist/"
        )
    return path


def _bundled_test():
    return _images_and_labels(_bundled_file("t10k-images-idx3-ubyte.gz"), _bundled_file("t10k-labels-idx1-ubyte.gz"))


def _bundled_train():
    return _images_and_labels(
        _bundled_file("train-5k-images-idx3-ubyte.gz"), _bundled_file("train-5k-labels-idx1-ubyte.gz")
    )


# --------------------------------------------------------------------------- the cache


def cache_dir(data_dir=None) -> Path:
    """The folder for downloaded data: ``data_dir``, else ``$COURSE_DATA``, else a per-user cache.

    A path that is a file is a mistake and raises ``ValueError``; a folder that cannot be
    written falls back to a temporary folder, with a notice.
    """
    if data_dir is None:
        data_dir = os.environ.get("COURSE_DATA") or (
            Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "course_utils" / "mnist"
        )
    path = Path(data_dir).expanduser()
    if path.exists() and not path.is_dir():
        raise ValueError(f"data_dir {str(path)!r} is a file, not a folder: pass a folder for the MNIST cache")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path):
            pass
        return path
    except OSError as e:
        fallback = Path(tempfile.gettempdir()) / f"course_utils-mnist-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
        fallback.mkdir(parents=True, exist_ok=True)
        print(f"Notice: cannot write to {path} ({e.strerror or e}); caching MNIST in {fallback} instead.")
        return fallback


def mirrors() -> list[str]:
    """Base URLs to try, from ``$COURSE_MNIST_MIRRORS`` (comma-separated) or the defaults."""
    env = os.environ.get("COURSE_MNIST_MIRRORS")
    bases = [b.strip() for b in env.split(",")] if env is not None else list(DEFAULT_MIRRORS)
    return [b if b.endswith("/") else b + "/" for b in bases if b]


def _is_cached(path: Path, md5: str) -> bool:
    return path.is_file() and _digest(path, "md5") == md5


def fetch(name: str, md5: str, folder: Path, timeout: float = 30.0) -> Path:
    """Make sure ``folder/name`` holds the file with this md5, downloading it if needed.

    Each mirror is tried in turn. The download goes to a temporary file in the same
    folder and is renamed into place only once its length and md5 are right, so an
    interrupted or corrupt download never leaves a file that a later call trusts.
    """
    target = Path(folder) / name
    if target.exists():
        if _is_cached(target, md5):
            return target
        print(f"Notice: the cached {target} is damaged (wrong md5); downloading it again.")
        target.unlink()
    tried = []
    for base in mirrors():
        url = base + name
        tmp = tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}.", suffix=".part", delete=False)
        try:
            with tmp, urllib.request.urlopen(url, timeout=timeout) as response:
                expected_len = response.headers.get("Content-Length")
                h, got = hashlib.md5(), 0
                for block in iter(lambda: response.read(1 << 16), b""):
                    tmp.write(block)
                    h.update(block)
                    got += len(block)
            if expected_len is not None and got != int(expected_len):
                raise CorruptDataError(f"truncated: received {got:,} of {int(expected_len):,} bytes")
            if h.hexdigest() != md5:
                raise CorruptDataError(f"md5 {h.hexdigest()} does not match the official {md5}")
            os.replace(tmp.name, target)
            return target
        except (OSError, ValueError, urllib.error.URLError, http.client.HTTPException) as e:  # e.g. BadStatusLine
            reason = getattr(e, "reason", None) or e
            tried.append(f"  {url}: {str(reason).strip() or type(e).__name__}")
        finally:
            if os.path.exists(tmp.name):
                os.unlink(tmp.name)
    raise DownloadError(
        f"could not download {name}; tried:\n"
        + ("\n".join(tried) if tried else "  no mirrors (COURSE_MNIST_MIRRORS is empty)")
        + "\nWithout a network, use the real MNIST bundled with the course: load_mnist(source='bundled')."
    )


# --------------------------------------------------------------------------- the API


def training_on_gpu() -> bool:
    """True when this process will train on a CUDA GPU: torch is already imported (the PyTorch
    notebooks import it before loading data; the NumPy ones never do) and sees one, and
    ``$COURSE_DEVICE`` does not ask for the CPU. Never imports torch itself."""
    torch = sys.modules.get("torch")
    if torch is None or os.environ.get("COURSE_DEVICE", "").startswith("cpu"):
        return False
    return bool(torch.cuda.is_available())


_TO_FULL = 'for all 60,000: load_mnist(source="full") or COURSE_MNIST=full'
_TO_BUNDLED = 'for the 5,000 bundled ones: load_mnist(source="bundled") or COURSE_MNIST=bundled'


def load_mnist(source: str = "auto", data_dir=None, *, timeout: float | None = None, verbose: bool = True):
    """Real MNIST digits: ``(x_train, y_train), (x_test, y_test)``.

    Images are ``uint8`` of shape ``(N, 28, 28)``, labels ``int64`` of shape ``(N,)``.
    ``source``: ``"bundled"`` (5,000 training images, offline), ``"full"`` (60,000,
    downloaded once, raises ``DownloadError`` when no mirror delivers) or ``"auto"``: the
    bundle on a CPU; on a GPU (``training_on_gpu()``) the full set when cached or quick to
    fetch, else the bundle. ``$COURSE_MNIST`` replaces ``"auto"`` when set; ``COURSE_OFFLINE=1``
    makes auto never touch the network. One printed line says which set was loaded and how
    to get the other. The test set is always the official 10,000 images.
    """
    if source == "auto":
        source = os.environ.get("COURSE_MNIST") or "auto"
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r} (also check $COURSE_MNIST)")
    say = print if verbose else (lambda *a, **k: None)

    def bundled(why: str):
        say(f"MNIST: the 5,000 bundled training images ({why}); {_TO_FULL}.")
        return _bundled_train(), _bundled_test()

    if source == "bundled":
        return bundled("as asked")
    if source == "auto" and not training_on_gpu():
        return bundled("on a CPU they train in seconds to minutes")

    folder = cache_dir(data_dir)
    paths = {name: folder / name for name in FULL_TRAIN_MD5}
    cached = all(_is_cached(p, FULL_TRAIN_MD5[n]) for n, p in paths.items())
    if source == "auto" and not cached:
        if os.environ.get("COURSE_OFFLINE") == "1":
            return bundled("a GPU is here, but the full set is not cached and COURSE_OFFLINE=1")
        try:
            for name, md5 in FULL_TRAIN_MD5.items():
                fetch(name, md5, folder, timeout=timeout or 5.0)
        except DownloadError as e:
            first = str(e).splitlines()[1].strip() if len(str(e).splitlines()) > 1 else str(e)
            return bundled(f"a GPU is here, but the full set could not be downloaded: {first}")
    elif not cached:
        for name, md5 in FULL_TRAIN_MD5.items():
            fetch(name, md5, folder, timeout=timeout or 30.0)
    x_train, y_train = _images_and_labels(paths["train-images-idx3-ubyte.gz"], paths["train-labels-idx1-ubyte.gz"])
    why = "as asked" if source == "full" else "a GPU is here"
    say(f"MNIST: the full training set, {len(x_train):,} images ({why}; cached in {folder}); {_TO_BUNDLED}.")
    return (x_train, y_train), _bundled_test()


# --------------------------------------------------------------------------- toy 2-D data


def _check_n(n, name="n"):
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{name} must be a positive integer, not {n!r}")


def make_spirals(n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2, seed: int = 0):
    """Interleaved spiral arms, one per class: ``X (N, 2)`` float64, ``y (N,)`` int64.

    No straight line separates them, which is why a hidden layer is needed.
    """
    _check_n(n_per_class, "n_per_class")
    _check_n(n_classes, "n_classes")
    rng = np.random.default_rng(seed)
    radius = np.tile(np.linspace(0.0, 1.0, n_per_class), n_classes)
    y = np.repeat(np.arange(n_classes), n_per_class)
    angle = y * 2 * np.pi / n_classes + radius * 4.0 + rng.normal(0.0, noise, y.size)
    X = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return X, y.astype(np.int64)


def make_moons(n: int = 200, noise: float = 0.1, seed: int = 0):
    """Two interleaving half circles: ``X (n, 2)`` float64, ``y (n,)`` int64 in {0, 1}."""
    _check_n(n)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    t = rng.uniform(0.0, np.pi, n)
    X = np.where(
        y[:, None] == 0,
        np.column_stack([np.cos(t), np.sin(t)]),
        np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)]),
    )
    return X + rng.normal(0.0, noise, X.shape), y.astype(np.int64)


def make_blobs(n: int = 200, centers=((-1.5, -1.0), (1.5, 1.0)), std: float = 0.7, seed: int = 0):
    """Gaussian clouds around ``centers``: ``X (n, 2)`` float64, ``y (n,)`` int64 (the center's index)."""
    _check_n(n)
    centers = np.asarray(centers, dtype=float)
    if centers.ndim != 2 or centers.shape[1] != 2:
        raise ValueError(f"centers must have shape (K, 2), not {centers.shape}")
    rng = np.random.default_rng(seed)
    y = np.arange(n) % len(centers)
    X = centers[y] + rng.normal(0.0, std, (n, 2))
    return X, y.astype(np.int64)


if __name__ == "__main__":  # python -m course_utils.data [full]: fetch the full set into the cache
    load_mnist(sys.argv[1] if len(sys.argv) > 1 else "full")
