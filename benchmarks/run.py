"""The scale benchmark: ``python -m benchmarks.run --sizes 100,1000,10000``.

For each size it generates (or reuses) a synthetic corpus, runs every step in its own process
(build, adding one article, validate, reason, five stored queries and a text search, export in
N-Quads, Turtle and JSON-LD, load into a local Oxigraph server, and for comparison one bulk POST
and the offline bulk loader), and beside them the naive path (whole-graph rdflib, pyshacl and
owlrl) at the sizes up to ``--naive-max``. It prints a table of seconds, items per second, peak
memory and the ratio ours/naive, and writes it as JSON under ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .corpus import generate

HERE = Path(__file__).resolve().parent
OURS = ["build", "add-one", "validate", "reason", "query", "export-nq", "export-ttl", "export-jsonld",
        "load", "load-put", "load-bulk-post", "load-offline"]
NAIVE = {"build": "naive-build", "validate": "naive-validate", "reason": "naive-reason", "query": "naive-query",
         "export-nq": "naive-export-nq", "export-ttl": "naive-export-ttl", "export-jsonld": "naive-export-jsonld"}
TARGETS = {  # seconds at 10,000 articles, from the project's goals
    "build": 60, "add-one": 3, "validate": 45, "reason": 30, "export-nq": 10, "export-ttl": 20, "export-jsonld": 30,
}


def run_step(name: str, corpus: Path, work: Path, timeout: float) -> dict[str, Any]:
    """Run one step in a child process; add its wall time and peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "benchmarks.steps", name, str(corpus), str(work)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=HERE.parent)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return {"error": f"timed out after {timeout:g} s"}
    if process.returncode != 0:
        return {"error": err.decode(errors="replace").strip().splitlines()[-1:] or ["failed"]}
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    if name == "query":
        (work / "query.json").write_text(json.dumps(result))
    return result


def generator_digest(size: int) -> str:
    """What a corpus of ``size`` articles depends on: the generator's code and the project's inputs it reads."""
    digest = hashlib.sha256(str(size).encode())
    root = HERE.parent
    generator = [HERE / f"{name}.py" for name in ("corpus", "draft", "world", "vocabulary")]
    for path in sorted([*generator, *(root / "ontology").glob("*.ttl"), root / "seeds" / "jurisdiction-codes.csv"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def machine() -> dict[str, Any]:
    cpu, memory = platform.processor(), 0
    with contextlib.suppress(OSError, StopIteration), open("/proc/cpuinfo") as f:
        cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    with contextlib.suppress(OSError, StopIteration), open("/proc/meminfo") as f:
        memory = int(next(line.split()[1] for line in f if line.startswith("MemTotal"))) // 1024
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mb": memory, "python": platform.python_version(),
            "system": platform.platform()}


def benchmark(sizes: list[int], naive_max: int, corpora: Path, timeout: float, steps: list[str] | None = None,
              out: Path | None = None) -> dict[str, Any]:
    """Run the benchmark; return (and write to ``out``) the results."""
    report: dict[str, Any] = {"date": datetime.date.today().isoformat(), "machine": machine(), "sizes": {}}
    for size in sizes:
        corpus = corpora / f"corpus-{size}"
        work = corpora / f"work-{size}"
        stamp = corpus / ".generator"  # the generator's code: a corpus it no longer writes is made again
        if not stamp.exists() or stamp.read_text() != generator_digest(size):
            print(f"generating {size} articles ...", file=sys.stderr)
            generate(size, corpus)
            stamp.write_text(generator_digest(size))
        results: dict[str, Any] = {}
        for name in steps or OURS:
            print(f"{size}: {name} ...", file=sys.stderr)
            results[name] = run_step(name, corpus, work, timeout)
            naive = NAIVE.get(name)
            if naive and size <= naive_max:
                print(f"{size}: {naive} ...", file=sys.stderr)
                results[name]["naive"] = run_step(naive, corpus, work, timeout)
        report["sizes"][str(size)] = results
        if out:
            _write(report, out)
    return report


def _write(report: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_suffix(".tmp")
    temporary.write_text(json.dumps(report, indent=1) + "\n")
    temporary.replace(out)


def table(report: dict[str, Any]) -> str:
    """The results as a Markdown table."""
    lines = ["| articles | step | seconds | per second | peak MB | naive seconds | ours/naive | target (10k) |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for size, results in report["sizes"].items():
        for name, r in results.items():
            if "error" in r:
                lines.append(f"| {size} | {name} | {r['error']} | | | | | |")
                continue
            rate = f"{r['items'] / r['seconds']:,.0f} {r['unit']}" \
                if r.get("seconds") and r["unit"] not in ("queries", "article") else ""
            naive = r.get("naive", {})
            naive_s = f"{naive['seconds']:.2f}" if "seconds" in naive else (naive.get("error", "") if naive else "")
            ratio = f"{r['seconds'] / naive['seconds']:.3f}" if "seconds" in naive and naive["seconds"] else ""
            target = f"< {TARGETS[name]} s" if name in TARGETS else ""
            lines.append(f"| {size} | {name} | {r['seconds']:.2f} | {rate} | {r['peak_mb']:,.0f} | {naive_s} | {ratio} | {target} |")
            for q, detail in r.get("queries", {}).items():
                versus = naive.get("queries", {}).get(q, {}).get("ms")
                lines.append(f"| {size} | query {q} ({detail['kind']}) | {detail['ms']:.1f} ms | direct pyoxigraph "
                             f"{detail['direct_ms']:.1f} ms ({detail['ms'] / max(detail['direct_ms'], 1e-9):.2f}x) | | "
                             f"{'' if versus is None else f'{versus:.1f} ms'} | | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated corpus sizes [%(default)s]")
    parser.add_argument("--naive-max", type=int, default=1000, help="largest size for the naive path [%(default)s]")
    parser.add_argument("--corpora", type=Path, default=HERE / "corpora", help="where corpora and scratch go")
    parser.add_argument("--out", type=Path, default=None, help="JSON results [benchmarks/results/<date>.json]")
    parser.add_argument("--steps", default=None, help="comma-separated steps to run [all]")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed per step [%(default)s]")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    out = args.out or HERE / "results" / f"{datetime.date.today().isoformat()}-{'-'.join(map(str, sizes))}.json"
    report = benchmark(sizes, args.naive_max, args.corpora, args.timeout,
                       args.steps.split(",") if args.steps else None, out)
    print(table(report))
    print(f"\nwritten to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
