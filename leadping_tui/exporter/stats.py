"""The exporter's own metrics: API requests, their duration, the budget, the version."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import prometheus_client
from prometheus_client import CollectorRegistry, Counter, Histogram, Info
from prometheus_client.metrics_core import GaugeMetricFamily, Metric

from leadping_tui import __version__
from leadping_tui.api.errors import HttpStatusError, LeadPingError, NotFoundError, RateLimitedError

# Round trips to the API: loopback simulator (ms) to a slow 20 s read timeout.
DURATION_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0)


def response_code(error: LeadPingError | None) -> str:
    """The ``code`` label of a request: the HTTP status, or what happened without one."""
    if error is None:
        return "200"
    if isinstance(error, HttpStatusError):
        return str(error.status)
    if isinstance(error, NotFoundError):
        return "404"
    if isinstance(error, RateLimitedError):
        return "429"
    # No usable HTTP status: network, timeout, bad_response, internal...
    return error.kind


class _Live:
    """Gauges read at scrape time from in-memory values (never from the API)."""

    def __init__(self, tokens: Callable[[], float], watched: Callable[[], int]) -> None:
        self._tokens = tokens
        self._watched = watched

    def collect(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            "leadping_budget_tokens",
            "Requests the exporter's token bucket allows right now (refills at "
            "--requests-per-minute).",
            value=self._tokens(),
        )
        yield GaugeMetricFamily(
            "leadping_numbers_watched", "Numbers this exporter polls.", value=self._watched()
        )


class ExporterStats:
    """A registry of process-level metrics, rendered fresh on every scrape."""

    def __init__(self, tokens: Callable[[], float], watched: Callable[[], int]) -> None:
        # `_created` series double the output and no alert uses them.
        prometheus_client.disable_created_metrics()  # type: ignore[no-untyped-call]
        self.registry = CollectorRegistry(auto_describe=False)
        self.requests = Counter(
            "leadping_api_requests",
            "API requests made, by HTTP status code (or network, timeout, bad_response "
            "when there was no usable answer).",
            ["code"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "leadping_api_request_duration_seconds",
            "Time from sending an API request to having its answer (or error).",
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        info = Info("leadping_exporter", "The running exporter.", registry=self.registry)
        info.info({"version": __version__})
        self.registry.register(_Live(tokens, watched))

    def observe(self, error: LeadPingError | None, seconds: float) -> None:
        """Count one finished request."""
        self.requests.labels(code=response_code(error)).inc()
        self.duration.observe(seconds)
