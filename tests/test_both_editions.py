"""Both editions everywhere (issue 18): the Chinese notebooks, notebooks/zh/, are opened, tested, handed out, shown
as decks and published like the English ones. The build itself is tested in tests/test_translation.py.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import translate  # noqa: E402

FIRST = translate.english_notebooks()[0]


def test_make_lab_zh_opens_the_first_chinese_notebook():
    run = subprocess.run(["make", "-n", "lab-zh"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    opened = run.stdout.strip().splitlines()[-1].split("--LabApp.default_url=/lab/tree/")[1]
    assert ROOT / opened == translate.translated_path(FIRST)


def test_make_test_collects_the_chinese_notebooks_under_nbval():
    """pyproject's testpaths hold `notebooks`, which pytest searches recursively: notebooks/zh/ is in `make test`."""
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "notebooks"], cwd=ROOT,
                         capture_output=True, text=True)
    collected = {line.split("::")[0] for line in run.stdout.splitlines() if "::" in line}
    chinese = {str(translate.translated_path(nb).relative_to(ROOT)) for nb in translate.english_notebooks()}
    built = {path for path in chinese if (ROOT / path).is_file()}
    assert built, "no Chinese notebook: run `python tools/translate.py build`"
    assert built <= collected, f"not collected by nbval: {sorted(built - collected)}"
