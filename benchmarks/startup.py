"""Figure 1 (start-up vs a bare Textual app) and the start-up part of figure 6.

Each run starts a fresh process in a 120x40 pty and times process start to
the moment the marker is written: ``✓ OK`` (the selected number's badge,
painted only once its status arrived) for the dashboard, the label text for
the baseline.  Runs alternate between the variants so that drift in the
machine's load hits them alike.  One unmeasured warm-up run of each variant
comes first (it fills the OS file cache and writes bytecode).
"""

from __future__ import annotations

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

TIMEOUT = 30.0
STARTUP_RATIO = 1.3
LARGE_RATIO = 1.5


def time_to(argv: list[str], env: dict[str, str], markers: list[bytes]) -> list[float]:
    """Seconds from spawning ``argv`` in a pty to each marker's first appearance."""
    with spawn(argv, env) as proc:
        times = [proc.wait_for(marker, TIMEOUT) - proc.started for marker in markers]
    return times


def run(ctx: Context) -> list[Figure]:
    runs = ctx.pick(7, 1)
    large_runs = ctx.pick(5, 1)
    large_count = ctx.pick(1000, 1000)
    baseline: list[float] = []
    first_status: list[float] = []
    first_frame: list[float] = []
    large: list[float] = []
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
            baseline.append(time_to(*variants["baseline"])[0])
            frame, status = time_to(*variants["one"])
            first_frame.append(frame)
            first_status.append(status)
            if index < large_runs:
                large.append(time_to(*variants["many"])[0])
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
            note=f"{large_ratio:.2f}× the 1-number start-up",
        ),
    ]
