"""Shared pieces: figures and their statistics, the simulator process, workspaces.

Every benchmark module exposes ``run(ctx: Context) -> list[Figure]``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from benchmarks.pty_runner import PtyProcess, child_env

REPO = Path(__file__).resolve().parent.parent
#: The selected number everywhere: warming and healthy, so it paints "✓ OK".
SELECTED = "+12025550101"
OK_MARKER = "✓ OK".encode()
#: The sidebar's title: in the dashboard's first frame, with or without a status.
FIRST_FRAME_MARKER = b"Watchlist ("
BASELINE_MARKER = b"baseline ready"
API_KEY = "sk_benchmark_key_0000"
_AREAS = ("212", "305", "312", "415", "512", "617", "702", "713", "206", "303", "404")


@dataclass
class Context:
    """How to run: smoke (tiny) or full, and how many repetitions."""

    smoke: bool = False
    runs: int = 5
    log: bool = True
    #: Overrides for the memory benchmark's cycle count and time limit (s).
    memory_cycles: int | None = None
    memory_limit: float | None = None

    def note(self, text: str) -> None:
        if self.log:
            print(f"  {text}", file=sys.stderr, flush=True)

    def pick(self, full: Any, smoke: Any) -> Any:
        return smoke if self.smoke else full


def spread(samples: Sequence[float]) -> dict[str, float]:
    """Median, min, max and interquartile range of ``samples``."""
    ordered = sorted(samples)
    if len(ordered) >= 2:
        q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        q1 = q3 = ordered[0]
    return {
        "median": statistics.median(ordered),
        "min": ordered[0],
        "max": ordered[-1],
        "q1": q1,
        "q3": q3,
        "n": float(len(ordered)),
    }


@dataclass
class Figure:
    """One measured figure, its baseline (if any) and its target."""

    key: str
    title: str
    unit: str
    samples: list[float]
    baseline: list[float] | None = None
    target: str = ""
    #: The number the target is judged on (median unless the target says otherwise).
    judged: float | None = None
    met: bool | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def value(self) -> float:
        return statistics.median(self.samples)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "value": self.value,
            "spread": spread(self.samples),
            "samples": self.samples,
            "baseline": (
                None
                if self.baseline is None
                else {"value": statistics.median(self.baseline), "spread": spread(self.baseline)}
            ),
            "baseline_samples": self.baseline,
            "target": self.target,
            "judged": self.judged,
            "met": self.met,
            "note": self.note,
            "extra": self.extra,
        }


def numbers(count: int) -> list[str]:
    """``count`` valid US numbers, :data:`SELECTED` first (fictional 555-01xx lines)."""
    result = [SELECTED]
    for area in _AREAS:
        for line in range(100, 200):
            if len(result) >= count:
                return result
            result.append(f"+1{area}555{line:04d}")
    for line in range(102, 199):
        if len(result) >= count:
            break
        result.append(f"+1202555{line:04d}")
    if len(result) < count:
        raise ValueError(f"at most {len(result)} numbers are available")
    return result


class Workspace:
    """A throw-away home with XDG dirs and a saved watchlist; removed on exit."""

    def __init__(self, watch: Sequence[str] = (SELECTED,), settings_toml: str = "") -> None:
        self.root = Path(tempfile.mkdtemp(prefix="leadping-bench-"))
        self.dirs = {
            name: self.root / name.lower()
            for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")
        }
        for path in self.dirs.values():
            path.mkdir()
        config = self.dirs["XDG_CONFIG_HOME"] / "leadping-tui"
        config.mkdir()
        if settings_toml:
            (config / "settings.toml").write_text(settings_toml, encoding="utf-8")
        write_watchlist(config / "watchlist.json", watch)

    @property
    def data_dir(self) -> Path:
        return self.dirs["XDG_DATA_HOME"] / "leadping-tui"

    def env(self) -> dict[str, str]:
        extra = {name: str(path) for name, path in self.dirs.items()}
        extra.update({"HOME": str(self.root), "LEADPING_API_KEY": API_KEY})
        env = child_env(extra)
        env.pop("LEADPING_BASE_URL", None)
        return env

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def write_watchlist(path: Path, watch: Sequence[str], selected: str | None = None) -> None:
    """Save a version-1 watchlist file, as the app writes it."""
    entries = [{"number": n, "label": f"Line {i + 1}"} for i, n in enumerate(watch)]
    document: dict[str, Any] = {
        "version": 1,
        "selected": selected or (watch[0] if watch else None),
        "entries": entries,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")


def app_argv(base_url: str, refresh: float | None = None) -> list[str]:
    argv = [sys.executable, "-m", "leadping_tui", "--base-url", base_url]
    if refresh is not None:
        argv += ["--refresh", f"{refresh:g}"]
    return argv


BASELINE_ARGV = [sys.executable, "-m", "benchmarks.baseline_app"]


def spawn(argv: Sequence[str], env: dict[str, str], cols: int = 120, rows: int = 40) -> PtyProcess:
    return PtyProcess(argv, env, cols=cols, rows=rows, cwd=str(REPO))


class SimProcess:
    """``benchmarks.sim_server`` in a child process, controlled over stdin and HTTP."""

    def __init__(
        self, clock: str = "real", speed: float = 600.0, event_rate: float = 1.0, fleet: int = 6
    ) -> None:
        self._argv = [
            sys.executable,
            "-m",
            "benchmarks.sim_server",
            "--clock",
            clock,
            "--speed",
            str(speed),
            "--event-rate",
            str(event_rate),
            "--fleet",
            str(fleet),
        ]
        self._proc: subprocess.Popen[str] | None = None
        self.base_url = ""

    def start(self) -> SimProcess:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        self._proc = subprocess.Popen(
            self._argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=str(REPO),
            env=env,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline().strip()
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError(f"the simulator did not start: {line!r}")
        self.base_url = line.split(" ", 1)[1]
        return self

    def __enter__(self) -> SimProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    def stop(self) -> None:
        proc = self._proc
        if proc is None:
            return
        self._proc = None
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()

    def _command(self, line: str) -> None:
        assert self._proc is not None and self._proc.stdin and self._proc.stdout
        self._proc.stdin.write(line + "\n")
        self._proc.stdin.flush()
        answer = self._proc.stdout.readline().strip()
        if answer != "OK":
            raise RuntimeError(f"{line!r} failed: {answer!r}")

    def advance(self, seconds: float) -> None:
        """Move the frozen clock on (``--clock frozen`` only)."""
        self._command(f"advance {seconds}")

    def bump(self, on: bool) -> None:
        """While on, every status answered moves the health score by one point."""
        self._command("bump on" if on else "bump off")

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def set_fault(self, fault: dict[str, Any], number: str | None = None) -> None:
        self._call("POST", "/_sim/faults", {"number": number, "fault": fault})

    def clear_faults(self) -> None:
        self._call("DELETE", "/_sim/faults")

    def requests(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/_sim/requests")["requests"]
        return [r for r in result if r.get("endpoint")]

    def clear_requests(self) -> None:
        self._call("DELETE", "/_sim/requests")


def wait_until(predicate: Any, timeout: float, step: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())
