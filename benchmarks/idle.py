"""Figure 2: what the dashboard costs while nobody touches it.

The dashboard (20 watched numbers, ``--refresh 10``, live simulator data
with events arriving) and the baseline app run side by side, each in its
own 120x40 pty.  After both have painted and the first round of background polls is over
(45 s), CPU time (utime +
stime of every thread, from ``/proc``), context switches (how often any
thread woke up) and bytes written to the terminal are sampled per window.
The headline is the average over the whole measurement; the spread is that
of the windows.
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.common import (
    BASELINE_ARGV,
    BASELINE_MARKER,
    OK_MARKER,
    Context,
    Figure,
    SimProcess,
    Workspace,
    app_argv,
    numbers,
    spawn,
)
from benchmarks.pty_runner import PtyProcess, cpu_seconds

CPU_TARGET_PERCENT = 0.5
IDLE_MINUTE_TARGET = 20_000
REFRESH = 10.0
WATCHED = 20


def context_switches(pid: int) -> int:
    """Voluntary plus involuntary context switches of every thread of ``pid``."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            text = (task / "status").read_text(encoding="ascii")
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                total += int(line.split()[1])
    return total


class Sampler:
    """Per-window CPU %, wakeups per second and bytes written, for one process."""

    def __init__(self, proc: PtyProcess) -> None:
        self.proc = proc
        self.cpu: list[float] = []
        self.wakeups: list[float] = []
        self.bytes: list[int] = []
        self._last = self._read()

    def _read(self) -> tuple[float, float, int]:
        pid = self.proc.pid
        return time.perf_counter(), cpu_seconds(pid), context_switches(pid)

    def sample(self) -> None:
        now, cpu, switches = self._read()
        then, cpu0, switches0 = self._last
        wall = now - then
        self.cpu.append(100.0 * (cpu - cpu0) / wall)
        self.wakeups.append((switches - switches0) / wall)
        self.bytes.append(self.proc.bytes_between(then, now))
        self._last = (now, cpu, switches)


def run(ctx: Context) -> list[Figure]:
    # The first round of background polls (19 numbers, one every 2 s at the
    # default 30 requests a minute) is start-up, not idling: wait it out.
    settle = ctx.pick(45.0, 0.5)
    window = ctx.pick(10.0, 1.0)
    windows = ctx.pick(12, 2)
    watched = numbers(WATCHED)
    with SimProcess() as sim, Workspace(watched) as space:
        app = spawn(app_argv(sim.base_url, REFRESH), space.env())
        base = spawn(BASELINE_ARGV, space.env())
        with app, base:
            app.wait_for(OK_MARKER, 30)
            base.wait_for(BASELINE_MARKER, 30)
            # Start-up work (and the first background polls) are not idling.
            time.sleep(settle)
            samplers = [Sampler(app), Sampler(base)]
            started = time.perf_counter()
            cpu_start = [cpu_seconds(app.pid), cpu_seconds(base.pid)]
            for index in range(windows):
                time.sleep(max(0.0, started + (index + 1) * window - time.perf_counter()))
                for sampler in samplers:
                    sampler.sample()
            wall = time.perf_counter() - started
            cpu_total = [cpu_seconds(app.pid) - cpu_start[0], cpu_seconds(base.pid) - cpu_start[1]]
            requests = len(sim.requests())
    app_s, base_s = samplers
    average = 100.0 * cpu_total[0] / wall
    base_average = 100.0 * cpu_total[1] / wall
    per_minute = [b * 60.0 / window for b in app_s.bytes]
    base_per_minute = [b * 60.0 / window for b in base_s.bytes]
    minute_total = sum(app_s.bytes) * 60.0 / wall
    ctx.note(
        f"idle: app {average:.2f} % CPU, baseline {base_average:.2f} %, "
        f"{minute_total:,.0f} B/min, {requests} requests"
    )
    measured = f"{wall:.0f} s in {windows} windows of {window:g} s"
    return [
        Figure(
            key="idle.cpu",
            title=f"Idle CPU, {WATCHED} numbers, refresh {REFRESH:g} s (% of one core)",
            unit="%",
            samples=app_s.cpu,
            baseline=base_s.cpu,
            target=f"≤ {CPU_TARGET_PERCENT} % average",
            judged=average,
            met=average <= CPU_TARGET_PERCENT,
            note=f"average {average:.2f} % (baseline {base_average:.2f} %) over {measured}",
            extra={"average": average, "baseline_average": base_average, "wall_s": wall},
        ),
        Figure(
            key="idle.wakeups",
            title="Idle wake-ups: context switches per second, all threads",
            unit="/s",
            samples=app_s.wakeups,
            baseline=base_s.wakeups,
            target="(information: close to baseline = no busy timers)",
            note="Textual's own threads wake the baseline too",
        ),
        Figure(
            key="idle.bytes_per_minute_live",
            title="Idle bytes to the terminal per minute, live data (events arriving)",
            unit="B",
            samples=per_minute,
            baseline=base_per_minute,
            target=f"< {IDLE_MINUTE_TARGET // 1000} KB",
            judged=minute_total,
            met=minute_total < IDLE_MINUTE_TARGET,
            note=f"{minute_total:,.0f} B/min over {measured}; {requests} API requests",
            extra={"requests": requests},
        ),
    ]
