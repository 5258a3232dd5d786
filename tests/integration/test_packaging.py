"""The wheel carries the sources: built, installed in a fresh virtualenv, and run from outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import venv

import pytest

from support.paths import ROOT


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_checkout(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)], check=True, timeout=600
    )
    (wheel,) = wheels.glob("mzkg-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=600)
    work = tmp_path / "elsewhere"
    work.mkdir()
    mzkg = env_dir / "bin" / "mzkg"
    where = subprocess.run(
        [str(py), "-c", "from mzkg.core import resources; print(resources.root())"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "site-packages" in where.stdout
    res = subprocess.run([str(mzkg), "validate"], cwd=work, capture_output=True, text=True, timeout=300, check=False)
    assert res.returncode == 0, res.stdout + res.stderr
    res = subprocess.run(
        [str(mzkg), "query", "network-tiers", "--format", "csv"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.count("\n") == 14
