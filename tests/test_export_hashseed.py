"""Exports are the same bytes in every Python process, whatever its hash seed (sets and dicts iterate differently)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sanctuary_kg.files import Layout

SEEDS = ("0", "1", "4242")


def exported(layout: Layout, seed: str, *rest: str) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    done = subprocess.run([sys.executable, "-m", "sanctuary_kg", "--seeds", str(layout.seeds), "--build-dir",
                           str(layout.build), "export", *rest], capture_output=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@pytest.mark.parametrize("rest", [
    ("--format", "trig"),
    ("--format", "jsonld"),
    ("--format", "ttl"),
    ("--format", "nq"),
    ("--frame", "jurisdiction"),
])
def test_export_is_identical_across_hash_seeds(built: Layout, rest: tuple[str, ...]) -> None:
    outputs = {seed: exported(built, seed, *rest) for seed in SEEDS}
    assert len(outputs["0"]) > 1000
    assert outputs["1"] == outputs["0"] and outputs["4242"] == outputs["0"], rest
