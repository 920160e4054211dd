"""``pip install .``: the wheel holds nnlib and the playground, runs from a folder outside the checkout, and its
``spiral-playground`` serves the page with the page's own Streamlit settings."""

import hashlib
import shutil
import subprocess
import sys
import textwrap
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest
import streamlit.web.cli

from playground import launch, live

REPO_ROOT = Path(__file__).resolve().parents[1]
NOT_BUILT_FROM = shutil.ignore_patterns(
    ".git", "__pycache__", ".hypothesis", ".ruff_cache", "*.egg-info", "build", "dist", "tests", "docs", "bench"
)
DEPENDENCIES = {"numpy", "streamlit", "plotly", "pandas", "threadpoolctl"}


def run(command, **kwargs):
    """Run ``command``; a failure shows its output (a missing setuptools>=70.1 says so here, it is not skipped)."""
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel pip builds from a copy of the checkout, offline: setuptools from requirements-dev.txt, no isolation."""
    setuptools = tuple(int(part) for part in version("setuptools").split(".")[:2])
    assert setuptools >= (70, 1), (
        f"building the wheel offline needs setuptools>=70.1 (requirements-dev.txt), not {setuptools}"
    )
    folder = tmp_path_factory.mktemp("build")
    source = folder / "source"
    shutil.copytree(REPO_ROOT, source, ignore=NOT_BUILT_FROM)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", folder, source])
    (built,) = folder.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """A folder that holds the installed wheel and nothing else: what PYTHONPATH points at below."""
    target = tmp_path_factory.mktemp("site-packages")
    run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", target, wheel])
    return target


def python_elsewhere(code, installed, tmp_path):
    """``code``'s output, run in a folder outside the checkout, with only the installed wheel added to the path."""
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(installed)}
    return run([sys.executable, "-c", code], cwd=tmp_path, env=environment).split()


def test_nnlib_from_the_wheel_trains_outside_the_checkout(installed, tmp_path):
    code = textwrap.dedent("""
        import nnlib
        from nnlib.datasets import spiral
        from nnlib.models import TwoLayerNet
        from nnlib.optimizers import SGD
        from nnlib.trainer import Trainer

        x, t = spiral.load_data()
        model = TwoLayerNet(2, 10, 3, seed=0)
        Trainer(model, SGD(lr=1.0), seed=0).fit(x, t, max_epoch=30, batch_size=30, eval_interval=None)
        print(nnlib.__file__, float(model.forward(x, t)) < 1.0)
    """)
    where, learned = python_elsewhere(code, installed, tmp_path)
    assert Path(where) == installed / "nnlib" / "__init__.py" and learned == "True"


def test_the_wheel_packs_the_page_and_its_settings_as_the_checkout_has_them(wheel, installed):
    page = installed / "playground" / "page"
    assert (page / "app.py").read_bytes() == (REPO_ROOT / "app.py").read_bytes()
    assert (page / ".streamlit" / "config.toml").read_bytes() == (REPO_ROOT / ".streamlit" / "config.toml").read_bytes()
    assert (installed / "playground" / "live" / "live.css").is_file()
    assert all((installed / "playground" / "ui" / name).is_file() for name in ("page.css", "keys.js"))
    assert not (installed / "bench").exists() and not (installed / "tests").exists()
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read("spiral_playground-0.1.0.dist-info/METADATA").decode()
        entry_points = archive.read("spiral_playground-0.1.0.dist-info/entry_points.txt").decode()
    required = {line.split()[1].split(">")[0] for line in metadata.splitlines() if line.startswith("Requires-Dist:")}
    assert required == DEPENDENCIES
    assert "spiral-playground = playground.launch:main" in entry_points


def test_the_wheel_packs_every_module_of_the_live_view(installed, tmp_path):
    """The page's script, joined from the live view's modules at import, is the checkout's."""
    code = "import hashlib, playground.live as live; print(hashlib.sha256(live.joined_script().encode()).hexdigest())"
    (packed,) = python_elsewhere(code, installed, tmp_path)
    assert packed == hashlib.sha256(live.joined_script().encode()).hexdigest()


def test_streamlit_reads_the_packed_settings_beside_the_packed_app(installed, tmp_path):
    """As ``streamlit run`` does (streamlit.web.cli._main_run): the script's path first, then the config."""
    code = (
        "from playground import launch; from streamlit import config; "
        "config._main_script_path = str(launch.app_script()); "
        "print(launch.app_script(), config.get_option('server.address'), config.get_option('browser.gatherUsageStats'))"
    )
    app, address, usage_statistics = python_elsewhere(code, installed, tmp_path)
    assert Path(app) == installed / "playground" / "page" / "app.py"
    assert (address, usage_statistics) == ("127.0.0.1", "False")


def test_the_entry_point_runs_streamlit_on_the_app_with_the_arguments_given(monkeypatch):
    calls = []
    monkeypatch.setattr(streamlit.web.cli, "main", lambda args, prog_name: calls.append((args, prog_name)))
    launch.main(["--server.port", "8600"])
    assert calls == [(["run", str(REPO_ROOT / "app.py"), "--server.port", "8600"], "spiral-playground")]
