"""Figure 4: a status with 20 000 events and 500 actions (the simulator's ``huge``).

* **Parse**: the exact body through ``json_body.decode_and_parse`` with the
  dashboard's event cap, as the dashboard's client parses it (JSON with the
  depth check, the key masking, the newest 2,000 of the events validated),
  timed outside the app. Until 2 December 2026 this timed
  ``PhoneNumberStatus.model_validate`` of all 20,000 events, which the
  client has not done since it caps them; that figure is still reported
  (``big.parse_full_model``), for comparison, but no longer judged.
* **First render**: in a headless app at 120x40, from the moment the fetch
  returned to the first frame rendered after the panels were drawn (this
  includes history recording, alerts and the panel updates).
* **Body read → frame**: in the app, from the moment the body was read off
  the connection to that first frame: the digest and the parse in their
  thread, sharing the GIL with the event loop and the keys, then the render.
* **Stall / keypress**: while that refresh runs (from pressing ``r`` to its
  frame), a 5 ms heartbeat task records its worst lateness, and a thread
  presses ``p`` every 30 ms the way the terminal input thread would; each
  press is timed until the pause action ran.

Each run first applies an ordinary status, so the big one is a real change.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

import httpx

from benchmarks.common import API_KEY, SELECTED, Context, Figure, SimProcess
from benchmarks.inprocess import (
    SIZE,
    AsyncCalls,
    Calls,
    FrameClock,
    Heartbeat,
    KeyProbe,
    build_app,
    release_launch_gc,
    wait_for,
)
from leadping_tui.api import json_body
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.ui.app import MAX_PARSED_EVENTS

PARSE_RENDER_TARGET_MS = 250.0
KEY_TARGET_MS = 100.0
SETTINGS = "requests_per_minute = 300\n"


def huge_fault(events: int, actions: int) -> dict[str, Any]:
    return {"kind": "huge", "events": events, "actions": actions, "times": 1}


def time_parse(body: bytes, runs: int) -> list[float]:
    """Seconds the dashboard's client takes to decode and validate ``body``, ``runs`` times."""
    headers = {"Content-Type": "application/json"}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        json_body.decode_and_parse(headers, body, MAX_PARSED_EVENTS, API_KEY)
        times.append(time.perf_counter() - started)
    return times


def time_full_model(body: bytes, runs: int) -> list[float]:
    """Seconds to validate every event of ``body`` (what this figure timed until 2 Dec 2026)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        PhoneNumberStatus.model_validate(json.loads(body))
        times.append(time.perf_counter() - started)
    return times


async def apply_runs(
    sim: SimProcess, root: Path, runs: int, events: int, actions: int
) -> dict[str, list[float]]:
    app = build_app(sim.base_url, root, [SELECTED], settings_toml=SETTINGS, launch_gc=True)
    result: dict[str, list[float]] = {
        "render": [],
        "stall": [],
        "stall_cpu": [],
        "keys": [],
        "fetch": [],
        "body_to_frame": [],
    }
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(lambda: SELECTED in getattr(app.screen, "results", {}), 30)
        await pilot.pause()
        screen: Any = app.screen
        frames = FrameClock(app)
        draws = Calls(screen, "_draw")
        fetches = AsyncCalls(app.client, "fetch")
        sends = AsyncCalls(app.client, "send")
        probe = KeyProbe(app, screen, "p", "action_toggle_pause")
        heart = Heartbeat().start()

        async def refresh() -> tuple[float, float]:
            seen = draws.count
            started = time.perf_counter()
            screen.action_refresh()
            await wait_for(
                lambda: draws.count > seen and frames.first_after(draws.ended[-1]) is not None,
                60,
            )
            return started, frames.first_after(draws.ended[-1]) or 0.0

        for _ in range(runs):
            sim.clear_faults()
            # Back to the small answer. It may be byte-identical to the last
            # small one, and an unchanged answer is not drawn again: wait for
            # the fetch, not for a draw.
            fetched_before = len(fetches.ended)
            screen.action_refresh()
            await wait_for(lambda n=fetched_before: len(fetches.ended) > n, 60)
            await pilot.pause()
            sim.set_fault(huge_fault(events, actions), SELECTED)
            probe.start(0.03)
            started, frame = await refresh()
            probe.stop()
            await pilot.pause()
            fetched = fetches.ended[-1]
            result["render"].append(frame - fetched)
            result["fetch"].append(fetched - fetches.started[-1])
            result["body_to_frame"].append(frame - sends.ended[-1])
            result["stall"].append(heart.worst(started, frame + 0.05))
            result["stall_cpu"].append(heart.worst_busy(started, frame + 0.05))
            result["keys"] += [
                late
                for sent, late in zip(probe.sent, probe.latencies(), strict=False)
                if started <= sent <= frame
            ]
            probe.sent.clear()
            probe.handled.clear()
            rows = screen.query_one("#events").total
            if rows != events:
                raise AssertionError(f"the event log says {rows} events, expected {events}")
        await heart.stop()
        sim.clear_faults()
    release_launch_gc()
    return result


def run(ctx: Context) -> list[Figure]:
    runs = ctx.pick(5, 1)
    events, actions = ctx.pick((20_000, 500), (2_000, 50))
    with SimProcess(clock="frozen") as sim, tempfile.TemporaryDirectory() as tmp:
        sim.set_fault(huge_fault(events, actions), SELECTED)
        body = httpx.get(
            f"{sim.base_url}/phone-numbers/%2B{SELECTED[1:]}/status",
            headers={"Authorization": "Bearer benchmark"},
            timeout=60,
        ).content
        sim.clear_faults()
        parse = time_parse(body, runs)
        full_model = time_full_model(body, runs)
        measured = asyncio.run(apply_runs(sim, Path(tmp), runs, events, actions))
    ms = 1000.0
    parse_ms = [t * ms for t in parse]
    render_ms = [t * ms for t in measured["render"]]
    total_ms = [p + r for p, r in zip(parse_ms, render_ms, strict=True)]
    stall_ms = [t * ms for t in measured["stall"]]
    stall_cpu_ms = [t * ms for t in measured["stall_cpu"]]
    keys_ms = [t * ms for t in measured["keys"]] or [0.0]
    fetch_ms = [t * ms for t in measured["fetch"]]
    full_ms = [t * ms for t in full_model]
    body_frame_ms = [t * ms for t in measured["body_to_frame"]]
    payload = f"{events:,} events, {actions} actions, {len(body) / 2**20:.1f} MiB"
    ctx.note(
        f"big payload: parse {median(parse_ms):.0f} ms, render {median(render_ms):.0f} ms, "
        f"worst stall {max(stall_ms):.0f} ms, worst key {max(keys_ms):.0f} ms"
    )
    return [
        Figure(
            key="big.parse_render",
            title=f"Big payload ({payload}): parse + first render",
            unit="ms",
            samples=total_ms,
            target=f"≤ {PARSE_RENDER_TARGET_MS:g} ms",
            judged=median(total_ms),
            met=median(total_ms) <= PARSE_RENDER_TARGET_MS,
            note=f"parse {median(parse_ms):.0f} ms + render {median(render_ms):.0f} ms (medians)",
            extra={"parse_ms": parse_ms, "render_ms": render_ms, "body_bytes": len(body)},
        ),
        Figure(
            key="big.parse",
            title="Big payload: parse as the dashboard's client does (json + newest 2,000 events)",
            unit="ms",
            samples=parse_ms,
            target="(part of the above)",
        ),
        Figure(
            key="big.parse_full_model",
            title="Big payload: every event validated (json + pydantic), outside the app",
            unit="ms",
            samples=full_ms,
            target="(information: the parse figure until 2 Dec 2026)",
        ),
        Figure(
            key="big.body_to_frame",
            title="Big payload: body read → first frame, in the app (parse in its thread + render)",
            unit="ms",
            samples=body_frame_ms,
            target="(information)",
        ),
        Figure(
            key="big.render",
            title="Big payload: fetch returned → first frame with the panels drawn",
            unit="ms",
            samples=render_ms,
            target="(part of the above)",
            note=f"whole fetch incl. simulator and transfer: median {median(fetch_ms):.0f} ms",
            extra={"fetch_ms": fetch_ms},
        ),
        Figure(
            key="big.keypress",
            title="Big payload: keypress → its action ran, during the refresh",
            unit="ms",
            samples=keys_ms,
            target=f"≤ {KEY_TARGET_MS:g} ms (worst)",
            judged=max(keys_ms),
            met=max(keys_ms) <= KEY_TARGET_MS,
            note=f"worst {max(keys_ms):.0f} ms over {len(measured['keys'])} presses",
        ),
        Figure(
            key="big.stall",
            title="Big payload: worst event-loop stall per refresh (5 ms heartbeat)",
            unit="ms",
            samples=stall_ms,
            target=f"≤ {KEY_TARGET_MS:g} ms (worst)",
            judged=max(stall_ms),
            met=max(stall_ms) <= KEY_TARGET_MS,
            note=(
                f"worst {max(stall_ms):.0f} ms; a key pressed then waits that long. "
                f"Loop-thread CPU in the worst gap: {max(stall_cpu_ms):.0f} ms"
            ),
            extra={"stall_cpu_ms": stall_cpu_ms},
        ),
    ]
