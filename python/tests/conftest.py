"""Shared fixtures: the CLI of the jar this package ships (the same library, run as the command line)."""

import json
import subprocess

import pytest

import twolayer
from twolayer import _java


@pytest.fixture(scope="session")
def jar():
    return _java.jar_path()


@pytest.fixture
def cli(jar, tmp_path):
    """Runs ``twolayer ARGS --json`` in tmp_path and returns its JSON result; fails on a non-zero exit."""

    def run(*args):
        done = subprocess.run(["java", "-Xmx1g", "-jar", jar, *map(str, args), "--json"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return run


@pytest.fixture(scope="session")
def planted():
    """A planted network on the cube [-√3, √3]^d (a symmetric law) with its samples, as arrays."""
    return twolayer.make_planted(n=20000, d=8, k=3, l=5, dist="cube", seed=3)


@pytest.fixture(scope="session")
def multitask():
    """Pretraining data (8 halfspace tasks on a 2-dimensional subspace of R^20) and a fitted layer."""
    X, y, task, truth = twolayer.make_multitask(n_per_task=200, d=20, r=2, tasks=8, seed=1)
    pre = twolayer.MultiTaskPretraining(width=32, rounds=30, n1=128, n2=128, seed=2).fit(X, y, task)
    return X, y, task, truth, pre
