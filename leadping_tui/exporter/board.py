"""The readings of every watched number, and the scrape text built from them.

Formatting 1,000 numbers x ~30 samples with ``prometheus_client`` takes
hundreds of milliseconds, far over a scrape's budget.  But a number's
samples change only when it is polled, so the board formats each number's
samples once per poll (:func:`~leadping_tui.exporter.families.sample_lines`)
and keeps the lines per family; a scrape only stitches the cached lines
under each family's ``# HELP``/``# TYPE`` header.  The text is what
``generate_latest`` of a :class:`~leadping_tui.exporter.families.FamiliesCollector`
over all readings would give (a test checks it).

Thread safety: the poll loop is the only writer; HTTP threads read.  The
cached lines change under a lock held for microseconds (an update) or the
joins of one scrape, so a scrape sees each number before or after a poll,
never between.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol

from prometheus_client.exposition import generate_latest
from prometheus_client.metrics_core import Metric

from leadping_tui.exporter.families import (
    FAMILY_NAMES,
    FamiliesCollector,
    build_families,
    labels_text,
    sample_lines,
)
from leadping_tui.exporter.readings import Reading


class _Collector(Protocol):
    def collect(self) -> Iterable[Metric]: ...


class _Fixed:
    def __init__(self, families: list[Metric]) -> None:
        self._families = families

    def collect(self) -> Iterator[Metric]:
        return iter(self._families)


def split_by_family(text: str) -> dict[str, str]:
    """``generate_latest`` output as {family name: its sample lines}, headers dropped."""
    parts: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("# HELP "):
            current = parts.setdefault(line[7:].split(" ", 1)[0], [])
        elif not line.startswith("#"):
            current.append(line)
    return {name: "".join(lines) for name, lines in parts.items()}


def _headers() -> dict[str, str]:
    text = generate_latest(_Fixed(build_families(()))).decode("utf-8")
    headers: dict[str, str] = {}
    for line in text.splitlines(keepends=True):
        name = line.split(" ", 3)[2]
        headers[name] = headers.get(name, "") + line
    return headers


class Board:
    """The current reading of each watched number, in watch order."""

    def __init__(self) -> None:
        self._numbers: tuple[str, ...] = ()
        self._readings: dict[str, Reading] = {}
        self._lines: dict[str, dict[str, str]] = {}
        # One column of sample lines per family, one cell per watched number:
        # a scrape is then one C-level join per family.
        self._columns: list[list[str]] = [[] for _ in FAMILY_NAMES]
        self._position: dict[str, int] = {}
        self._labels_text: dict[tuple[str, str], str] = {}
        self._headers = [_headers()[name] for name in FAMILY_NAMES]
        self._lock = threading.Lock()

    @property
    def numbers(self) -> tuple[str, ...]:
        return self._numbers

    def get(self, number: str) -> Reading | None:
        return self._readings.get(number)

    def readings(self) -> list[Reading]:
        """Every watched number's reading, in watch order."""
        readings = self._readings
        return [readings[n] for n in self._numbers if n in readings]

    def set_numbers(self, labels: Mapping[str, str]) -> None:
        """Watch exactly ``labels``' numbers (in its order), keeping known readings.

        A new number starts as never read: ``leadping_condition{condition="unknown"} 1``.
        """
        for number, label in labels.items():
            reading = self._readings.get(number)
            if reading is None:
                self._store(Reading(number=number, label=label))
            elif reading.label != label:
                self._store(reading.relabelled(label))
        for gone in set(self._readings) - set(labels):
            self._readings.pop(gone, None)
            self._lines.pop(gone, None)
        self._labels_text = {
            key: text for key, text in self._labels_text.items() if labels.get(key[0]) == key[1]
        }
        numbers = tuple(labels)
        columns = [[self._lines[n].get(name, "") for n in numbers] for name in FAMILY_NAMES]
        with self._lock:
            self._numbers = numbers
            self._position = {number: index for index, number in enumerate(numbers)}
            self._columns = columns

    def update(self, reading: Reading) -> None:
        """Store ``reading`` and format its lines for the next scrapes."""
        lines = self._store(reading)
        with self._lock:
            index = self._position.get(reading.number)
            if index is None:
                return
            for column, name in zip(self._columns, FAMILY_NAMES, strict=True):
                column[index] = lines.get(name, "")

    def _store(self, reading: Reading) -> dict[str, str]:
        key = (reading.number, reading.label)
        text = self._labels_text.get(key)
        if text is None:
            text = self._labels_text[key] = labels_text(reading)
        lines = sample_lines(reading, text)
        self._readings[reading.number] = reading
        self._lines[reading.number] = lines
        return lines

    def collector(self) -> FamiliesCollector:
        """A ``prometheus_client`` collector over the current readings."""
        return FamiliesCollector(self.readings)

    def render(self) -> str:
        """The exposition text of every per-number family (Prometheus text format 0.0.4)."""
        with self._lock:
            parts = [
                header + "".join(column)
                for header, column in zip(self._headers, self._columns, strict=True)
            ]
        return "".join(parts)


def render_all(board: Board, *others: _Collector) -> bytes:
    """The whole ``/metrics`` body: the board's families, then ``others``' fresh ones."""
    return board.render().encode("utf-8") + b"".join(generate_latest(c) for c in others)
