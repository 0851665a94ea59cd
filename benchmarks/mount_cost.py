"""What one dashboard start costs under Pilot, in counts and CPU, against a bare app.

``python -m benchmarks --only mount_cost`` (or ``python -m benchmarks.mount_cost``
for the table alone).  Each run starts a headless app in this process with
``run_test`` (as the ~400 Pilot tests do) at 120x40, one number, against the
simulator in its own process, and records:

* the process CPU time (``time.process_time``: every thread of this process,
  none of the simulator's) from just before ``run_test`` to the first frame
  painted after the selected number's status arrived ("first status"), and
  to the first frame after the deferred tabs are mounted ("settled", what a
  test's ``settle()`` waits for);
* how many times Textual's ``Stylesheet.apply`` ran (one widget's styles
  computed from the CSS: at mount, for each component class, and again for
  the widget and its subtree whenever a class or pseudo-class changes);
* how many widgets are in the DOM at those two moments.

The baseline is the bare app of :mod:`benchmarks.baseline_app` (one label)
under ``run_test``, to its first frame, alternated with the dashboard runs so
drift in the machine's load hits both alike.  One unmeasured warm-up run of
each comes first (imports, CSS parse caches).  Counts do not depend on the
machine; CPU does, so compare the ratio, in the same run.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

from textual.app import App

from benchmarks.baseline_app import BaselineApp
from benchmarks.common import SELECTED, Context, Figure, SimProcess
from benchmarks.inprocess import SIZE, FrameClock, build_app, wait_for

LIMIT = 30.0


@dataclass
class Moment:
    """What the app had cost when something became visible."""

    cpu_ms: float
    applies: int
    widgets: int


class StyleCount:
    """Counts ``Stylesheet.apply`` calls of one app (hooked on its stylesheet instance)."""

    def __init__(self, app: App[Any]) -> None:
        self.count = 0
        stylesheet = app.stylesheet
        original = stylesheet.apply

        def apply(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return original(*args, **kwargs)

        stylesheet.apply = apply  # type: ignore[method-assign]


def widget_count(app: App[Any]) -> int:
    return sum(1 for _ in app.screen.walk_children(with_self=True))


async def bare_start() -> Moment:
    gc.collect()
    app = BaselineApp()
    styles = StyleCount(app)
    frames = FrameClock(app)
    cpu = time.process_time()
    async with app.run_test(size=SIZE):
        await wait_for(lambda: bool(frames.frames), LIMIT, step=0.001)
        moment = Moment((time.process_time() - cpu) * 1000.0, styles.count, widget_count(app))
    return moment


async def dashboard_start(sim: SimProcess) -> tuple[Moment, Moment]:
    gc.collect()
    with tempfile.TemporaryDirectory(prefix="leadping-mount-") as root:
        app = build_app(sim.base_url, Path(root), [SELECTED])
        styles = StyleCount(app)
        frames = FrameClock(app)
        cpu = time.process_time()
        async with app.run_test(size=SIZE):
            await wait_for(
                lambda: SELECTED in getattr(app.screen, "results", {}), LIMIT, step=0.001
            )
            arrived = time.perf_counter()
            await wait_for(lambda: frames.first_after(arrived) is not None, LIMIT, step=0.001)
            first = Moment((time.process_time() - cpu) * 1000.0, styles.count, widget_count(app))
            await wait_for(lambda: bool(getattr(app.screen, "deferred_ready", True)), LIMIT)
            ready = time.perf_counter()
            await wait_for(lambda: frames.first_after(ready) is not None, LIMIT, step=0.001)
            settled = Moment((time.process_time() - cpu) * 1000.0, styles.count, widget_count(app))
    return first, settled


async def measure(sim: SimProcess, runs: int, ctx: Context) -> dict[str, list[Moment]]:
    await bare_start()  # warm-up: imports and caches, not measured
    await dashboard_start(sim)
    found: dict[str, list[Moment]] = {"bare": [], "first": [], "settled": []}
    for index in range(runs):
        found["bare"].append(await bare_start())
        first, settled = await dashboard_start(sim)
        found["first"].append(first)
        found["settled"].append(settled)
        ctx.note(
            f"mount cost run {index + 1}/{runs}: bare {found['bare'][-1].cpu_ms:.0f} ms CPU, "
            f"first status {first.cpu_ms:.0f} ms CPU ({first.applies} style applications), "
            f"settled {settled.cpu_ms:.0f} ms CPU ({settled.applies})"
        )
    return found


def run(ctx: Context) -> list[Figure]:
    runs = ctx.pick(7, 1)
    with SimProcess() as sim:
        found = asyncio.run(measure(sim, runs, ctx))
    bare = found["bare"]
    bare_cpu = [m.cpu_ms for m in bare]
    figures = []
    for key, moment, title in (
        ("first", "first status", "the first status painted"),
        ("settled", "settled", "the tabs mounted (what settle() waits for)"),
    ):
        samples = found[key]
        cpu = [m.cpu_ms for m in samples]
        ratio = median(cpu) / median(bare_cpu)
        applies = median(m.applies for m in samples)
        widgets = median(m.widgets for m in samples)
        figures.append(
            Figure(
                key=f"mount.cpu_{key}",
                title=f"Mount cost under Pilot: process CPU to {title}",
                unit="ms",
                samples=cpu,
                baseline=bare_cpu,
                target="(information: issues 12 and 14)",
                judged=ratio,
                note=(
                    f"{ratio:.2f}× the bare app's CPU; {applies:g} style applications "
                    f"(bare {median(m.applies for m in bare):g}), {widgets:g} widgets "
                    f"(bare {median(m.widgets for m in bare):g}) at the {moment}"
                ),
                extra={
                    "style_applications": [m.applies for m in samples],
                    "widgets": [m.widgets for m in samples],
                    "bare_style_applications": [m.applies for m in bare],
                    "bare_widgets": [m.widgets for m in bare],
                },
            )
        )
    return figures


def main() -> None:
    ctx = Context(smoke="--smoke" in sys.argv)
    for figure in run(ctx):
        bare = median(figure.baseline or [0.0])
        print(f"{figure.key}: {figure.value:.0f} {figure.unit} (bare {bare:.0f}); {figure.note}")


if __name__ == "__main__":
    main()
