from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


@dataclass(frozen=True)
class Result:
    name: str
    runs: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    target_ms: float | None

    def row(self) -> str:
        target = f"< {self.target_ms:g} ms" if self.target_ms is not None else "–"
        verdict = "" if self.target_ms is None else (" ✓" if self.p95_ms < self.target_ms else " ✗")
        return (
            f"| {self.name} | {self.runs} | {self.p50_ms:.1f} | {self.p95_ms:.1f} | {self.max_ms:.1f} "
            f"| {target}{verdict} |"
        )


def measure(name: str, action: Callable[[], object], *, repeat: int, target_ms: float | None) -> Result:
    action()  # warm caches, templates and connections; the first run is not what users wait for
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return Result(name, repeat, statistics.median(timings), p95, timings[-1], target_ms)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = models[0] if models else cpu
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def setup_database() -> None:
    """A database of the benchmark's own under var/bench/, migrated from scratch on every run."""
    bench_dir = ROOT / "var" / "bench"
    (bench_dir / "static").mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when STATIC_ROOT is missing
    db = bench_dir / "bench.sqlite3"
    for path in bench_dir.glob("bench.sqlite3*"):
        path.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["FAGNETT_VAR_DIR"] = str(bench_dir)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.conf import settings

    # Settings chose development storage at import; turning DEBUG off now stops Django from recording every
    # query, which would otherwise be measured too.
    settings.DEBUG = False


def run(names: list[str], *, repeat: int) -> int:
    setup_database()
    from bench.benchmarks import BENCHMARKS

    selected = [b for b in BENCHMARKS if not names or b.name in names]
    results = [b.run(repeat) for b in selected]
    print(f"Machine: {machine()}")
    print("| benchmark | runs | p50 ms | p95 ms | max ms | target (p95) |")
    print("|---|---|---|---|---|---|")
    for result in results:
        print(result.row())
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{stamp}.json").write_text(
        json.dumps({"machine": machine(), "results": [r.__dict__ for r in results]}, indent=2)
    )
    return 0
