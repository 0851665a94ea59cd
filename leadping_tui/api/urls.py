"""Base URL checks: plain http only to loopback.  No httpx here (start-up cost)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from leadping_tui.api import errors


def is_loopback_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str, *, allow_insecure_http: bool = False) -> str:
    """Return the base URL without a trailing slash, or raise ConfigurationError."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise errors.ConfigurationError(
            f"The base URL {base_url!r} is not an http(s) URL, e.g. https://api.leadping.ai."
        )
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port is not None and not 1 <= port <= 65535:
        raise errors.ConfigurationError(
            f"The port in the base URL {base_url!r} must be from 1 to 65535."
        )
    if parts.scheme == "http" and not allow_insecure_http and not is_loopback_url(base_url):
        raise errors.ConfigurationError(
            f"Refusing plain http:// to {parts.hostname}: the API key would travel unencrypted. "
            "Use https://, or pass --allow-insecure-http if you really mean it."
        )
    return base_url.strip().rstrip("/")
