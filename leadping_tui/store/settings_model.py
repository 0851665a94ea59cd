"""The settings model and the small types that describe loading results.

Re-exported by :mod:`leadping_tui.store.settings`, which does the file work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

ENV_API_KEY = "LEADPING_API_KEY"
ENV_BASE_URL = "LEADPING_BASE_URL"
DEFAULT_BASE_URL = "https://api.leadping.ai"

# Each field's docstring documents it in ``leadping-tui config`` (settings_report.field_docs
# reads them from the source then); pydantic's use_attribute_docstrings would parse this
# module's source at every start-up instead (~10-20 ms).
_MODEL_CONFIG = ConfigDict(extra="forbid", frozen=True)


class AlertSettings(BaseModel):
    """When and how leadping-tui tells you something got worse."""

    model_config = _MODEL_CONFIG

    enabled: bool = True
    """Raise alerts at all."""
    bell: bool = True
    """Ring the terminal bell on an alert."""
    desktop: Literal["off", "osc9", "osc777"] = "off"
    """Desktop notification via terminal escape: "off", "osc9" or "osc777"."""
    notify_send: bool = True
    """Also run notify-send when it is installed and desktop alerts are on."""
    score_drop_points: float = Field(default=10, ge=0, le=100)
    """Alert when the health score falls by at least this many points ..."""
    score_drop_hours: float = Field(default=6, gt=0, le=24 * 30)
    """... within this many hours."""
    opt_out_rate_percent: float = Field(default=2.0, ge=0, le=100)
    """Alert when the opt-out rate reaches this percentage."""
    on_condition_worse: bool = True
    """Alert when a number's condition worsens (ok -> warning -> critical)."""
    on_reason: bool = True
    """Alert when a pause or block reason appears or changes."""


class Settings(BaseModel):
    """Everything a user can configure in ``settings.toml``."""

    model_config = _MODEL_CONFIG

    api_key: SecretStr | None = None
    """LeadPing API key (sk_...) or access token; LEADPING_API_KEY wins over it."""
    base_url: str = DEFAULT_BASE_URL
    """API base URL; LEADPING_BASE_URL wins over it."""
    allow_insecure_http: bool = False
    """Allow a plain http:// base_url other than loopback (unsafe: the key travels in clear)."""
    refresh_seconds: float = Field(default=30, ge=5, le=24 * 3600)
    """Seconds between refreshes of the number you are looking at (at least 5)."""
    background_refresh_seconds: float = Field(default=120, ge=15, le=24 * 3600)
    """Seconds between refreshes of the other watchlist numbers (at least 15)."""
    use_listing: bool = True
    """Refresh the other watchlist numbers from the organisation listing (100 per request)
    when the key may list; off polls each number's status on its own."""
    follow_organisation: bool = False
    """Add numbers new in the organisation to the watchlist (marked new) and mark numbers
    gone from it (removed only when you confirm)."""
    requests_per_minute: int = Field(default=30, ge=1, le=299)
    """Request budget for this app (at most 299); the API allows 300/min shared by your
    whole organisation, and no 60 s window goes over this number."""
    request_deadline_seconds: float = Field(default=30, ge=1, le=600)
    """Seconds a whole request may take, answer included; past it, it fails like a timeout."""
    default_window_days: int = Field(default=7, ge=1, le=365)
    """Metrics window in days when none is chosen (1-365)."""
    timezone: str = "local"
    """Time zone for displayed times: "local", "UTC" or an IANA name like "Europe/Paris"."""
    theme: str = "textual-dark"
    """Textual theme name."""
    retention_days: int = Field(default=90, ge=1, le=36500)
    """Days of status history to keep."""
    history_max_mb: int = Field(default=50, ge=1, le=100_000)
    """Upper bound on the history database size in megabytes."""
    alerts: AlertSettings = AlertSettings()
    """Alert rules and delivery."""
    watchlist_order: Literal["user", "worst", "score", "progress", "label"] = "user"
    """Sidebar sort order (o cycles it): "user" (your own order), "worst", "score",
    "progress" or "label". Sorting never changes the saved order."""
    keys: dict[str, str] = {}
    """Key binding overrides: binding id -> comma-separated keys, e.g. refresh = "r,f5"."""
    log_file: bool = False
    """Write a redacted debug log (off unless you turn it on)."""

    @field_validator("api_key", mode="before")
    @classmethod
    def _check_api_key(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            # Never echo the value: these messages reach the screen.
            if any(ch.isspace() or not ch.isprintable() for ch in value):
                raise ValueError("the API key must not contain spaces or control characters")
            if not value.isascii():
                # An HTTP header cannot carry it; a paste error, usually.
                raise ValueError("the API key must be plain ASCII (letters, digits, punctuation)")
        return value

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http(s) URL such as https://api.leadping.ai")
        if parts.username or parts.password or parts.query or parts.fragment:
            raise ValueError("must not contain credentials, a query or a fragment")
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        value = value.strip()
        if value.lower() in ("local", "utc"):
            return value.lower() if value.lower() == "local" else "UTC"
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                'unknown time zone; use "local", "UTC" or a name like "Europe/Paris"'
            ) from None
        return value

    @field_validator("theme")
    @classmethod
    def _check_theme(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("keys")
    @classmethod
    def _check_keys(cls, value: dict[str, str]) -> dict[str, str]:
        clean: dict[str, str] = {}
        for binding_id, keys in value.items():
            if not binding_id.strip() or any(ch.isspace() for ch in binding_id):
                raise ValueError(f"binding id {binding_id!r} must be a single word")
            if not keys.strip():
                raise ValueError(f"keys for {binding_id!r} must not be empty")
            clean[binding_id] = keys.strip()
        return clean

    def api_key_value(self) -> str | None:
        """The API key in clear, for the Authorization header only."""
        return None if self.api_key is None else self.api_key.get_secret_value()


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with the user's configuration, located as precisely as possible.

    ``path`` is None when the problem is in an environment variable (then
    ``key`` names the variable).
    """

    path: Path | None
    line: int | None
    key: str | None
    message: str

    def __str__(self) -> str:
        where = "environment" if self.path is None else str(self.path)
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.message}"


@dataclass
class LoadedSettings:
    """The effective settings and how they came about."""

    settings: Settings
    path: Path
    problems: list[ConfigProblem] = field(default_factory=list)
    api_key_source: Literal["env", "file"] | None = None
    base_url_source: Literal["env", "file", "default"] = "default"
    file_exists: bool = False
    backup: Path | None = None
    """Always None today: a broken settings file is left for the user to fix, never moved."""


class SettingsWriteError(RuntimeError):
    """Settings could not be saved; the message says why and what to do."""
