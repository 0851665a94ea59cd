"""Figure 1 (start-up vs a bare Textual app) and the start-up part of figure 6.

Each run starts a fresh process in a 120x40 pty and times process start to
the moment the marker is written: ``✓ OK`` (the selected number's badge,
painted only once its status arrived) for the dashboard, the label text for
the baseline.  The resident memory of each process is read at that moment.
Runs alternate between the variants so that drift in the machine's load hits
them alike.  One unmeasured warm-up run of each variant comes first (it fills
the OS file cache and writes bytecode).

``--version`` and ``--help`` are timed as whole processes against
``python -c pass`` from the same interpreter, alternating too.
"""

from __future__ import annotations

import subprocess
import sys
import time
from statistics import median

from benchmarks.common import (
    BASELINE_ARGV,
    BASELINE_MARKER,
    FIRST_FRAME_MARKER,
    OK_MARKER,
    Context,
    Figure,
    SimProcess,
    Workspace,
    app_argv,
    numbers,
    spawn,
)
from benchmarks.pty_runner import child_env, cpu_seconds, rss_bytes

TIMEOUT = 30.0
STARTUP_RATIO = 2.0
LARGE_RATIO = 1.1
CLI_RATIO = 3.0
RSS_ALLOWANCE_MIB = 35.0
MIB = 1024.0 * 1024.0


def time_to(argv: list[str], env: dict[str, str], markers: list[bytes]) -> list[float]:
    """Seconds from spawning ``argv`` in a pty to each marker's first appearance.

    The last two elements are the process's resident memory (MiB) and the CPU
    time it had used (ms, user + system) when the last marker appeared: on a
    shared machine the CPU time is steadier than the wall-clock time.
    """
    with spawn(argv, env) as proc:
        times = [proc.wait_for(marker, TIMEOUT) - proc.started for marker in markers]
        times.append(rss_bytes(proc.pid) / MIB)
        times.append(cpu_seconds(proc.pid) * 1000.0)
    return times


def process_seconds(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=child_env()
    )
    return time.perf_counter() - started


def cli_figures(ctx: Context) -> list[Figure]:
    """``--version`` and ``--help`` against an interpreter that does nothing."""
    runs = ctx.pick(11, 1)
    python = [sys.executable]
    variants = {
        "pass": [*python, "-c", "pass"],
        "version": [*python, "-m", "leadping_tui", "--version"],
        "help": [*python, "-m", "leadping_tui", "--help"],
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for argv in variants.values():
        process_seconds(argv)  # warm-up: bytecode and file cache
    for _ in range(runs):
        for name, argv in variants.items():
            samples[name].append(process_seconds(argv) * 1000.0)
    base = samples["pass"]
    figures = []
    for name in ("version", "help"):
        ratio = median(samples[name]) / median(base)
        figures.append(
            Figure(
                key=f"startup.cli_{name}",
                title=f"Start-up: `leadping-tui --{name}` (whole process)",
                unit="ms",
                samples=samples[name],
                baseline=base,
                target=f"≤ {CLI_RATIO:g}× `python -c pass`",
                judged=ratio,
                met=ratio <= CLI_RATIO,
                note=f"{ratio:.2f}× `python -c pass`",
            )
        )
    return figures


def run(ctx: Context) -> list[Figure]:
    runs = ctx.pick(7, 1)
    large_runs = ctx.pick(5, 1)
    large_count = ctx.pick(1000, 1000)
    baseline: list[float] = []
    first_status: list[float] = []
    first_frame: list[float] = []
    large: list[float] = []
    large_cpu: list[float] = []
    base_rss: list[float] = []
    rss: list[float] = []
    base_cpu: list[float] = []
    cpu: list[float] = []
    with (
        SimProcess() as sim,
        Workspace() as one,
        Workspace(numbers(large_count)) as many,
    ):
        argv = app_argv(sim.base_url)
        variants = {
            "baseline": (BASELINE_ARGV, one.env(), [BASELINE_MARKER]),
            "one": (argv, one.env(), [FIRST_FRAME_MARKER, OK_MARKER]),
            "many": (argv, many.env(), [OK_MARKER]),
        }
        for name, (args, env, markers) in variants.items():
            if not ctx.smoke:
                ctx.note(f"start-up warm-up: {name}")
                time_to(args, env, markers)
        for index in range(runs):
            base_time, base_mib, base_ms = time_to(*variants["baseline"])
            baseline.append(base_time)
            base_rss.append(base_mib)
            base_cpu.append(base_ms)
            frame, status, mib, status_cpu = time_to(*variants["one"])
            first_frame.append(frame)
            first_status.append(status)
            rss.append(mib)
            cpu.append(status_cpu)
            if index < large_runs:
                large_run = time_to(*variants["many"])  # [first status, RSS, CPU]
                large.append(large_run[0])
                large_cpu.append(large_run[-1])
            ctx.note(
                f"start-up run {index + 1}/{runs}: baseline {baseline[-1] * 1000:.0f} ms, "
                f"first status {status * 1000:.0f} ms"
                + (
                    f", {large_count} numbers {large[-1] * 1000:.0f} ms"
                    if index < large_runs
                    else ""
                )
            )
    ms = 1000.0
    base_ms = [t * ms for t in baseline]
    status_ms = [t * ms for t in first_status]
    frame_ms = [t * ms for t in first_frame]
    large_ms = [t * ms for t in large]
    ratio = median(status_ms) / median(base_ms)
    large_ratio = median(large_ms) / median(status_ms)
    rss_over = median(rss) - median(base_rss)
    cpu_ratio = median(cpu) / median(base_cpu)
    # The same runs' one-number CPU (the large start-up runs in the first few rounds only).
    large_cpu_ratio = median(large_cpu) / median(cpu[: len(large_cpu)])
    return [
        Figure(
            key="startup.first_status",
            title="Start-up: process start → first status painted (pty 120x40)",
            unit="ms",
            samples=status_ms,
            baseline=base_ms,
            target=f"≤ {STARTUP_RATIO}× baseline",
            judged=ratio,
            met=ratio <= STARTUP_RATIO,
            note=f"{ratio:.2f}× the bare Textual app painting one label",
        ),
        Figure(
            key="startup.first_status_cpu",
            title="Start-up: process CPU (user + system) when the first status is painted",
            unit="ms",
            samples=cpu,
            baseline=base_cpu,
            target="(information: steadier than wall time on a shared machine)",
            judged=cpu_ratio,
            note=f"{cpu_ratio:.2f}× the bare Textual app's CPU to its label",
        ),
        Figure(
            key="startup.first_frame",
            title="Start-up: process start → first dashboard frame (sidebar title painted)",
            unit="ms",
            samples=frame_ms,
            baseline=base_ms,
            target="(information)",
            judged=median(frame_ms) / median(base_ms),
            note=f"{median(frame_ms) / median(base_ms):.2f}× baseline",
        ),
        Figure(
            key="watchlist.startup_1000",
            title=f"Large watchlist: start-up with {large_count} numbers (baseline: 1 number)",
            unit="ms",
            samples=large_ms,
            baseline=status_ms,
            target=f"≤ {LARGE_RATIO}× the 1-number start-up",
            judged=large_ratio,
            met=large_ratio <= LARGE_RATIO,
            note=(
                f"{large_ratio:.2f}× the 1-number start-up; process CPU at the first status "
                f"{median(large_cpu):.0f} ms, {large_cpu_ratio:.2f}× the same rounds' one number"
            ),
            extra={"cpu_ms": large_cpu, "cpu_ratio": large_cpu_ratio},
        ),
        Figure(
            key="startup.rss",
            title="Start-up: resident memory when the first status is painted",
            unit="MiB",
            samples=rss,
            baseline=base_rss,
            target=f"≤ baseline + {RSS_ALLOWANCE_MIB:g} MiB",
            judged=rss_over,
            met=rss_over <= RSS_ALLOWANCE_MIB,
            note=f"{rss_over:+.1f} MiB over the bare Textual app",
        ),
        *cli_figures(ctx),
    ]
