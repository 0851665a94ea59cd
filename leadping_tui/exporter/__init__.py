"""A headless Prometheus exporter: ``leadping-tui exporter``.

It polls with the dashboard's budget, backoff and condition rules and serves
the last values it read on ``/metrics``; a scrape never makes an API request.
Nothing in this package imports Textual (a test checks it), so a server
without a terminal pays neither for it nor for its start-up time.
"""

from __future__ import annotations

DEFAULT_HOST = "127.0.0.1"

# Port choice.  The Prometheus "Default port allocations" wiki list
# (github.com/prometheus/prometheus/wiki/Default-port-allocations) gives
# exporters 9100-9999, and that range has been fully allocated since 2023
# (C. Siebenmann, "Why Prometheus exporters really need fixed TCP ports",
# 2023; iits-consulting/otc-prometheus-exporter PR #16 moved off it for that
# reason); newer entries continue just above 10000.  The Prometheus guide
# "Writing exporters" (section "Port numbers") recommends ports outside the
# allocated range for exporters of internal applications, which this is.
# 17464 is outside 9100-9999 and the 10000+ overflow, below Linux's ephemeral
# range (32768-60999, so an outgoing connection never holds it), not in
# /etc/services, and spells "1-PING" on a phone keypad.
DEFAULT_PORT = 17464

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT"]
