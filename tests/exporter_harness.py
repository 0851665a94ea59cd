"""Run ``leadping-tui exporter`` as a real process and scrape it over HTTP."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

API_KEY = "sk_test_exporter_key_0000"
_SERVING = re.compile(r"serving http://(\S+)/metrics")
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (INFO|WARNING|ERROR) \S")


def wait_for(condition: Callable[[], Any], timeout: float = 20.0, what: str = "") -> Any:
    """Poll ``condition`` until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.05)


#: ``python -m leadping_tui`` with the exporter's floor on ``--interval`` lowered
#: first (``{}``: the floor), for a test that waits on one poll after another.
_LOWER_FLOOR = (
    "import sys\n"
    "from leadping_tui.exporter import command\n"
    "command.MIN_INTERVAL = {}\n"
    "from leadping_tui.cli import main\n"
    "sys.exit(main())\n"
)


class Exporter:
    """One exporter process; stderr is collected line by line.

    ``min_interval`` lowers the floor on ``--interval`` (15 s) in that process
    only, so a test can poll every second; the exporter's code is the same.
    """

    def __init__(
        self,
        base_url: str,
        *args: str,
        key: str | None = API_KEY,
        min_interval: float | None = None,
    ) -> None:
        env = dict(os.environ)
        env.pop("LEADPING_API_KEY", None)
        if key is not None:
            env["LEADPING_API_KEY"] = key
        python = [sys.executable, "-m", "leadping_tui"]
        if min_interval is not None:
            python = [sys.executable, "-c", _LOWER_FLOOR.format(float(min_interval))]
        command = [*python, "exporter", "--base-url", base_url]
        if not any(arg.startswith("--listen") for arg in args):
            command += ["--listen", "127.0.0.1:0"]
        if "--requests-per-minute" not in args:
            command += ["--requests-per-minute", "299"]
        self.proc = subprocess.Popen(
            [*command, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.address = ""

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    @property
    def stderr(self) -> str:
        return "\n".join(self.lines)

    def wait_serving(self, timeout: float = 30.0) -> str:
        def serving() -> str | None:
            for line in self.lines:
                if match := _SERVING.search(line):
                    return match.group(1)
            if self.proc.poll() is not None:
                self._reader.join(timeout=5)
                raise AssertionError(f"exporter exited {self.proc.returncode}: {self.stderr}")
            return None

        self.address = wait_for(serving, timeout, "the exporter to serve")
        return self.address

    def exit_code(self, timeout: float = 30.0) -> int:
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code

    def get(self, path: str) -> httpx.Response:
        return httpx.get(f"http://{self.address}{path}", timeout=10)

    def scrape(self) -> Metrics:
        response = self.get("/metrics")
        assert response.status_code == 200
        return Metrics(response.text)

    def terminate(self) -> int:
        """SIGTERM, and the exit code (the process must stop promptly)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.exit_code(timeout=15)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


class Metrics:
    """A scrape parsed by ``prometheus_client``'s own parser."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.families = {f.name: f for f in text_string_to_metric_families(text)}

    def samples(self, name: str, **labels: str) -> list[Any]:
        family = self.families.get(name)
        if family is None:
            # Counters and histograms are parsed under their base name.
            family = next(f for f in self.families.values() if name.startswith(f.name))
        return [
            s
            for s in family.samples
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
        ]

    def value(self, name: str, **labels: str) -> float | None:
        found = self.samples(name, **labels)
        assert len(found) <= 1, found
        return found[0].value if found else None

    def state(self, name: str, label: str, number: str) -> dict[str, float]:
        """A state set of ``number`` as {state: value}."""
        return {s.labels[label]: s.value for s in self.samples(name, number=number)}
