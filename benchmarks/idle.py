"""Figure 2: what the dashboard costs while nobody touches it.

Side by side, each in its own 120x40 pty, against the same run's bare
Textual app:

- one watched number whose data does not change (a frozen simulator clock:
  every answer is the same bytes), at the default refresh and at
  ``--refresh 5``;
- for information, 20 watched numbers at ``--refresh 10`` on live simulator
  data with events arriving.

After every process has painted and the first round of background polls is
over, CPU time (utime + stime of every thread, from ``/proc``), context
switches (how often any thread woke up) and bytes written to the terminal
are sampled per window. The headline is the average over the whole
measurement; the spread is that of the windows.
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

#: Issue 12: one number, nothing changing.
CPU_TARGET_DEFAULT = 0.2
CPU_TARGET_FAST = 0.35
FAST_REFRESH = 5.0
IDLE_MINUTE_TARGET = 2_000
#: The busier, information-only variant.
LIVE_REFRESH = 10.0
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
    window = ctx.pick(10.0, 0.5)
    windows = ctx.pick(12, 2)
    with (
        SimProcess(clock="frozen") as frozen,
        SimProcess() as live,
        Workspace() as one,
        Workspace(numbers(WATCHED)) as many,
    ):
        procs = {
            "default": spawn(app_argv(frozen.base_url), one.env()),
            "fast": spawn(app_argv(frozen.base_url, FAST_REFRESH), one.env()),
            "live": spawn(app_argv(live.base_url, LIVE_REFRESH), many.env()),
            "base": spawn(BASELINE_ARGV, one.env()),
        }
        with procs["default"], procs["fast"], procs["live"], procs["base"]:
            for name, proc in procs.items():
                proc.wait_for(BASELINE_MARKER if name == "base" else OK_MARKER, 30)
            # Start-up work (and the first background polls) are not idling.
            time.sleep(settle)
            samplers = {name: Sampler(proc) for name, proc in procs.items()}
            started = time.perf_counter()
            cpu_start = {name: cpu_seconds(proc.pid) for name, proc in procs.items()}
            for index in range(windows):
                time.sleep(max(0.0, started + (index + 1) * window - time.perf_counter()))
                for sampler in samplers.values():
                    sampler.sample()
            wall = time.perf_counter() - started
            average = {
                name: 100.0 * (cpu_seconds(proc.pid) - cpu_start[name]) / wall
                for name, proc in procs.items()
            }
            live_requests = len(live.requests())
            frozen_requests = len(frozen.requests())
    base = samplers["base"]
    measured = f"{wall:.0f} s in {windows} windows of {window:g} s"
    ctx.note(
        "idle: "
        + ", ".join(f"{name} {value:.2f} % CPU" for name, value in average.items())
        + f"; {frozen_requests} + {live_requests} requests"
    )

    def per_minute(sampler: Sampler) -> list[float]:
        return [b * 60.0 / window for b in sampler.bytes]

    def minute_total(sampler: Sampler) -> float:
        return sum(sampler.bytes) * 60.0 / wall

    figures = []
    for name, refresh, target in (
        ("default", "default refresh (30 s)", CPU_TARGET_DEFAULT),
        ("fast", f"refresh {FAST_REFRESH:g} s", CPU_TARGET_FAST),
    ):
        figures.append(
            Figure(
                key=f"idle.cpu_{name}",
                title=f"Idle CPU, one number, data unchanged, {refresh} (% of one core)",
                unit="%",
                samples=samplers[name].cpu,
                baseline=base.cpu,
                target=f"≤ {target} % average",
                judged=average[name],
                met=average[name] <= target,
                note=f"average {average[name]:.2f} % (baseline {average['base']:.2f} %) "
                f"over {measured}",
                extra={"average": average[name], "baseline_average": average["base"]},
            )
        )
    unchanged = minute_total(samplers["fast"])
    figures += [
        Figure(
            key="idle.bytes_per_minute_unchanged",
            title=f"Idle bytes to the terminal per minute, live but unchanged data, "
            f"refresh {FAST_REFRESH:g} s",
            unit="B",
            samples=per_minute(samplers["fast"]),
            baseline=per_minute(base),
            target=f"< {IDLE_MINUTE_TARGET / 1000:g} KB",
            judged=unchanged,
            met=unchanged < IDLE_MINUTE_TARGET,
            note=f"{unchanged:,.0f} B/min over {measured}; relative times keep moving",
        ),
        Figure(
            key="idle.cpu_live",
            title=f"Idle CPU, {WATCHED} numbers, refresh {LIVE_REFRESH:g} s, events arriving "
            "(% of one core)",
            unit="%",
            samples=samplers["live"].cpu,
            baseline=base.cpu,
            target="(information)",
            judged=average["live"],
            note=f"average {average['live']:.2f} % over {measured}; {live_requests} requests",
        ),
        Figure(
            key="idle.bytes_per_minute_live",
            title=f"Idle bytes to the terminal per minute, {WATCHED} numbers, events arriving",
            unit="B",
            samples=per_minute(samplers["live"]),
            baseline=per_minute(base),
            target="(information: new events are new rows)",
            judged=minute_total(samplers["live"]),
            note=f"{minute_total(samplers['live']):,.0f} B/min over {measured}",
        ),
        Figure(
            key="idle.wakeups",
            title="Idle wake-ups: context switches per second, all threads (one number)",
            unit="/s",
            samples=samplers["default"].wakeups,
            baseline=base.wakeups,
            target="(information: close to baseline = no busy timers)",
            note="Textual's own threads wake the baseline too",
        ),
    ]
    return figures
