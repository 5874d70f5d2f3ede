"""The scale benchmark runs end to end at a small size (its timings are for `make bench`, not tests)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import run


def test_the_benchmark_runs_every_step_and_the_naive_path(tmp_path: Path):
    out = tmp_path / "results.json"
    report = run.benchmark([4], naive_max=4, corpora=tmp_path / "corpora", timeout=600, out=out)
    results = report["sizes"]["4"]
    assert list(results) == run.OURS
    for name, result in results.items():
        assert "error" not in result, (name, result)
        assert result["seconds"] >= 0 and result["peak_mb"] > 0
        if name in run.NAIVE:
            assert "error" not in result["naive"], (name, result["naive"])
    assert results["reason"]["naive"]["same_as_ours"] is True
    assert results["validate"]["naive"]["conforms"] is True
    assert set(results["query"]["queries"]) == {"claims-about-jurisdiction", "trace-claim", "viewpoints-on-order",
                                                "claims-per-source", "statistics", "text-search"}
    assert json.loads(out.read_text())["sizes"]["4"].keys() == results.keys()
    assert "| 4 | build |" in run.table(report)
