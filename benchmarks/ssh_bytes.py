"""Figure 5: bytes the dashboard writes to its terminal (what an SSH link carries).

The dashboard runs in a 120x40 pty against a simulator with a frozen clock,
so a refresh really returns the same data, watching one number with
``--refresh 5`` (the shortest allowed: the most refreshes per minute).
Everything it writes is read and time-stamped.

* **Full repaint**: resize to 119x40 and back; the bytes after the resize
  back are one full-screen repaint at 120x40 (the comparison point).
* **Unchanged refresh**: over a window, bytes per refresh period (5 s: one
  refresh and the 1 s ticks around it).  The same window scaled to 60 s is
  the idle minute.
* **One figure changed**: the same, with the simulator moving the health
  score by one point in every answer.

``--smoke`` measures 1 s windows instead of refresh periods, pressing ``r``
at the start of each, so that one refresh still falls in every window: it
checks the machinery, not the figures.

Writes are grouped into bursts (no write for 100 ms ends a burst); the
largest burst of a window is reported too, as it is what a refresh costs
at once.
"""

from __future__ import annotations

import time
from statistics import median

from benchmarks.common import (
    OK_MARKER,
    SELECTED,
    Context,
    Figure,
    SimProcess,
    Workspace,
    app_argv,
    spawn,
)
from benchmarks.pty_runner import Chunk, PtyProcess

REFRESH = 5.0
SMOKE_WINDOW = 1.0
UNCHANGED_TARGET = 2_000
MINUTE_TARGET = 20_000
BURST_GAP = 0.1


def bursts(chunks: list[Chunk]) -> list[int]:
    """Sizes of groups of writes separated by at least :data:`BURST_GAP` s."""
    sizes: list[int] = []
    last = -1.0
    for chunk in chunks:
        if not sizes or chunk.at - last >= BURST_GAP:
            sizes.append(0)
        sizes[-1] += len(chunk.data)
        last = chunk.at
    return sizes


def periods(app: PtyProcess, start: float, count: int, period: float) -> list[int]:
    """Bytes written in each of ``count`` periods from ``start`` (waits for them).

    A period shorter than the refresh interval starts with ``r``, which
    refreshes the selected number at once, so that it still holds a refresh.
    """
    result = []
    for index in range(count):
        if period < REFRESH:
            app.send(b"r")
        end = start + (index + 1) * period
        time.sleep(max(0.0, end - time.perf_counter()))
        result.append(app.bytes_between(start + index * period, end))
    return result


def run(ctx: Context) -> list[Figure]:
    count = ctx.pick(10, 1)
    repaints = ctx.pick(3, 1)
    period = ctx.pick(REFRESH, SMOKE_WINDOW)
    full: list[int] = []
    with (
        SimProcess(clock="frozen") as sim,
        Workspace([SELECTED]) as space,
        spawn(app_argv(sim.base_url, REFRESH), space.env()) as app,
    ):
        app.wait_for(OK_MARKER, 30)
        app.quiet_for(0.5, 15)
        for _ in range(repaints):
            # Each resize repaints the screen: wait for the repaint to start (its
            # OK mark) before waiting for quiet, so a slow machine is not read as done.
            resized = time.perf_counter()
            app.resize(119, 40)
            app.wait_for(OK_MARKER, 30, since=resized)
            app.quiet_for(0.4, 10)
            started = time.perf_counter()
            app.resize(120, 40)
            app.wait_for(OK_MARKER, 30, since=started)
            ended = app.quiet_for(0.4, 10)
            full.append(app.bytes_between(started, ended))
        # Let the refresh timer settle after the resizes.
        time.sleep(ctx.pick(REFRESH, 0.0))
        sim.clear_requests()
        start = time.perf_counter()
        unchanged = periods(app, start, count, period)
        unchanged_requests = len(sim.requests())
        unchanged_bursts = bursts(app.chunks_between(start, start + count * period))
        sim.bump(True)
        # The next refresh is the first changed one; start on a period edge.
        sim.clear_requests()
        start = time.perf_counter()
        changed = periods(app, start, count, period)
        changed_requests = len(sim.requests())
        changed_bursts = bursts(app.chunks_between(start, start + count * period))
        sim.bump(False)
    window = count * period
    minute = sum(unchanged) * 60.0 / window
    full_median = median(full)
    unchanged_median = median(unchanged)
    changed_median = median(changed)
    ctx.note(
        f"ssh bytes: full repaint {full_median:,.0f} B, unchanged refresh "
        f"{unchanged_median:,.0f} B, changed {changed_median:,.0f} B, idle minute {minute:,.0f} B"
    )
    return [
        Figure(
            key="ssh.full_repaint",
            title="Bytes over SSH: one full-screen repaint at 120x40 (after a resize)",
            unit="B",
            samples=[float(b) for b in full],
            target="(the comparison point)",
        ),
        Figure(
            key="ssh.unchanged_refresh",
            title=f"Bytes over SSH: per refresh ({REFRESH:g} s period), data unchanged",
            unit="B",
            samples=[float(b) for b in unchanged],
            baseline=[float(b) for b in full],
            target=f"< {UNCHANGED_TARGET // 1000} KB",
            judged=unchanged_median,
            met=unchanged_median < UNCHANGED_TARGET,
            note=(
                f"{100 * unchanged_median / full_median:.1f} % of a full repaint; "
                f"{unchanged_requests} refreshes in {window:g} s; "
                f"largest burst {max(unchanged_bursts, default=0):,} B"
            ),
            extra={"bursts": unchanged_bursts, "requests": unchanged_requests},
        ),
        Figure(
            key="ssh.changed_refresh",
            title="Bytes over SSH: per refresh, health score moved one point",
            unit="B",
            samples=[float(b) for b in changed],
            baseline=[float(b) for b in full],
            target="(information: well below a full repaint)",
            judged=changed_median,
            note=(
                f"{100 * changed_median / full_median:.1f} % of a full repaint; "
                f"{changed_requests} refreshes; largest burst {max(changed_bursts, default=0):,} B"
            ),
            extra={"bursts": changed_bursts, "requests": changed_requests},
        ),
        Figure(
            key="ssh.idle_minute",
            title="Bytes over SSH: an idle minute, data unchanged, refresh 5 s",
            unit="B",
            samples=[b * 60.0 / period for b in unchanged],
            target=f"< {MINUTE_TARGET // 1000} KB",
            judged=minute,
            met=minute < MINUTE_TARGET,
            note=f"{minute:,.0f} B per minute measured over {window:g} s",
        ),
    ]
