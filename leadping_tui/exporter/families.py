"""The per-number metric families, built with ``prometheus_client``.

Every family carries the labels ``number`` (E.164) and, when the user set
one, ``label``.  Values that the API did not report have no sample rather
than a made-up 0, so ``absent()`` and staleness work as Prometheus users
expect.  Two families are state sets (one sample per possible state, 1 for
the current one): ``leadping_condition`` always, even for a number never
read (``unknown``), and ``leadping_warmup_state``, which keeps a state the
API sent that this version does not know.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from prometheus_client.exposition import generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.utils import floatToGoString as _untyped_float_to_go

from leadping_tui.api.condition import Condition
from leadping_tui.exporter.readings import KNOWN_STATES, UNKNOWN_STATE, WINDOW_COUNTS, Reading

Value = Callable[[Reading], float | None]


@dataclass(frozen=True)
class Gauge:
    """A per-number gauge: one sample per number, from ``value``."""

    name: str
    help: str
    value: Value


CONDITION = "leadping_condition"
WARMUP_STATE = "leadping_warmup_state"
CONDITIONS = tuple(condition.value for condition in Condition)


def floatToGoString(value: float) -> str:
    """``prometheus_client``'s own float formatting (untyped upstream)."""
    text: str = _untyped_float_to_go(value)  # type: ignore[no-untyped-call]
    return text


_ONE = floatToGoString(1.0)
_ZERO = floatToGoString(0.0)

_WINDOW_HELP = (
    "{what} in the API's metrics window (see leadping_window_days). A window count, "
    "not a monotonic counter: it falls as old traffic leaves the window, so use it "
    "as a gauge (no rate() or increase())."
)


def _bool(value: bool) -> float:
    return 1.0 if value else 0.0


def _count(key: str) -> Value:
    return lambda reading: reading.counts.get(key)


GAUGES: tuple[Gauge, ...] = (
    Gauge(
        "leadping_up",
        "1 if the latest poll of this number succeeded, 0 if it failed or has not run yet.",
        lambda r: _bool(r.up),
    ),
    Gauge(
        "leadping_warmup_health_score",
        "SMS warmup health score (0-100); absent while the API has not evaluated it yet.",
        lambda r: r.health_score,
    ),
    Gauge(
        "leadping_warmup_progress_percent",
        "SMS warmup progress in percent.",
        lambda r: r.progress_percent,
    ),
    Gauge(
        "leadping_opt_out_rate_percent",
        "Opt-outs per distinct contact in the metrics window, in percent.",
        lambda r: r.opt_out_rate_percent,
    ),
    Gauge(
        "leadping_delivery_success_rate_percent",
        "Warmup SMS delivery success rate in percent (only when the API reports it).",
        lambda r: r.delivery_success_rate_percent,
    ),
    Gauge(
        "leadping_messages_possible",
        "Messages the number may send per day at its current warmup level.",
        lambda r: r.messages_possible,
    ),
    Gauge(
        "leadping_calls_possible",
        "Calls the number may place per day at its current warmup level.",
        lambda r: r.calls_possible,
    ),
    Gauge(
        "leadping_window_days",
        "Length in days of the metrics window the window counts cover.",
        lambda r: r.window_days,
    ),
    *(
        Gauge(f"leadping_{key}_total", _WINDOW_HELP.format(what=what.capitalize()), _count(key))
        for key, what in WINDOW_COUNTS
    ),
    Gauge(
        "leadping_last_success_timestamp_seconds",
        "Unix time of the last successful poll of this number.",
        lambda r: r.last_success,
    ),
    Gauge(
        "leadping_last_error_timestamp_seconds",
        "Unix time of the last failed poll of this number.",
        lambda r: r.last_error,
    ),
)

STATE_SETS: tuple[tuple[str, str], ...] = (
    (
        CONDITION,
        "Overall condition (state set: 1 for the current one of ok, warning, critical, "
        "unknown), decided by the same rules as the dashboard; unknown until first read.",
    ),
    (
        WARMUP_STATE,
        "SMS warmup readiness state (state set: 1 for the current state). A state the "
        "API sends that is not listed is kept under its own name; unknown when not reported.",
    ),
)

FAMILY_NAMES: tuple[str, ...] = (
    GAUGES[0].name,
    *(name for name, _ in STATE_SETS),
    *(gauge.name for gauge in GAUGES[1:]),
)
"""Every per-number family, in exposition order."""


def labels_of(reading: Reading) -> dict[str, str]:
    """``number`` and, when set, ``label``."""
    if reading.label:
        return {"number": reading.number, "label": reading.label}
    return {"number": reading.number}


def states_of(reading: Reading) -> tuple[str, ...]:
    """The states listed in ``reading``'s state set: the known ones, plus its own if new."""
    known = (*KNOWN_STATES, UNKNOWN_STATE)
    return known if reading.state in known else (*known, reading.state)


def build_families(readings: Iterable[Reading]) -> list[Metric]:
    """The per-number families holding a sample for each of ``readings``."""
    gauges = {gauge.name: Metric(gauge.name, gauge.help, "gauge") for gauge in GAUGES}
    sets = {name: Metric(name, text, "gauge") for name, text in STATE_SETS}
    for reading in readings:
        labels = labels_of(reading)
        for gauge in GAUGES:
            value = gauge.value(reading)
            if value is not None:
                gauges[gauge.name].add_sample(gauge.name, labels, value)
        current = reading.condition.value
        for condition in CONDITIONS:
            sets[CONDITION].add_sample(
                CONDITION, {**labels, "condition": condition}, _bool(condition == current)
            )
        for state in states_of(reading):
            sets[WARMUP_STATE].add_sample(
                WARMUP_STATE, {**labels, "state": state}, _bool(state == reading.state)
            )
    by_name = {**gauges, **sets}
    return [by_name[name] for name in FAMILY_NAMES]


def sample_lines(reading: Reading, labels_text: str) -> dict[str, str]:
    """``reading``'s sample lines per family, exactly as ``generate_latest`` writes them.

    ``labels_text`` is the escaped ``label="...",number="..."`` that
    ``prometheus_client`` renders for this number (see :func:`labels_text`);
    values go through its ``floatToGoString``.  Formatting a poll's ~30
    samples this way costs a tenth of a generic ``generate_latest``, which
    matters at 30 polls a minute; a test checks the two agree byte for byte.
    """
    lines: dict[str, str] = {}
    for gauge in GAUGES:
        value = gauge.value(reading)
        if value is not None:
            lines[gauge.name] = f"{gauge.name}{{{labels_text}}} {floatToGoString(value)}\n"
    current = reading.condition.value
    lines[CONDITION] = "".join(
        f'{CONDITION}{{condition="{c}",{labels_text}}} {_ONE if c == current else _ZERO}\n'
        for c in CONDITIONS
    )
    # State slugs are [a-z0-9_] only: nothing to escape.
    lines[WARMUP_STATE] = "".join(
        f'{WARMUP_STATE}{{{labels_text},state="{s}"}} {_ONE if s == reading.state else _ZERO}\n'
        for s in states_of(reading)
    )
    return lines


def labels_text(reading: Reading) -> str:
    """The number's labels as ``prometheus_client`` escapes and orders them."""
    metric = Metric("x", "", "gauge")
    metric.add_sample("x", labels_of(reading), 0.0)
    line = generate_latest(_One(metric)).decode("utf-8").splitlines()[-1]
    return line[line.index("{") + 1 : line.rindex("}")]


class _One:
    def __init__(self, metric: Metric) -> None:
        self._metric = metric

    def collect(self) -> Iterator[Metric]:
        yield self._metric


class FamiliesCollector:
    """A ``prometheus_client`` collector over whatever ``source`` returns now."""

    def __init__(self, source: Callable[[], Iterable[Reading]]) -> None:
        self._source = source

    def collect(self) -> Iterator[Metric]:
        yield from build_families(self._source())
