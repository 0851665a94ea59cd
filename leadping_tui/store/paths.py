"""Where leadping-tui keeps its files."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

APP_NAME = "leadping-tui"
#: The production API keeps the plain file names (and the history kept before
#: histories were separated per API).
DEFAULT_API = "https://api.leadping.ai"
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_api(base_url: str) -> str:
    """``scheme://host[:port]/path`` in one spelling, so equal APIs compare equal."""
    parts = urlsplit(base_url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    shown_port = f":{port}" if port is not None and port != _DEFAULT_PORTS.get(scheme) else ""
    return f"{scheme}://{host}{shown_port}{parts.path.rstrip('/')}"


def api_slug(base_url: str) -> str | None:
    """A file-name-safe name for an API other than the production one (``None`` for it).

    Readable host and port, plus a short digest of the whole canonical URL so
    two paths on one host stay apart.
    """
    canonical = canonical_api(base_url)
    if canonical == DEFAULT_API:
        return None
    parts = urlsplit(canonical)
    readable = re.sub(r"[^a-z0-9.]+", "-", parts.netloc)[:40].strip("-.") or "api"
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]
    return f"{readable}-{digest}"


@dataclass(frozen=True)
class AppPaths:
    """Every file location the app uses.

    Nothing is created here: directories appear on the first write (see
    :mod:`leadping_tui.store.atomic`), so merely starting the app or running
    ``--help`` leaves no trace on disk.
    """

    config_dir: Path
    data_dir: Path
    log_dir: Path
    settings_file: Path
    watchlist_file: Path
    history_db: Path
    alerts_log: Path
    log_file: Path

    @classmethod
    def from_dirs(cls, config_dir: Path, data_dir: Path, log_dir: Path) -> AppPaths:
        """Build the standard file names below the three given directories."""
        return cls(
            config_dir=config_dir,
            data_dir=data_dir,
            log_dir=log_dir,
            settings_file=config_dir / "settings.toml",
            watchlist_file=config_dir / "watchlist.json",
            history_db=data_dir / "history.sqlite3",
            alerts_log=data_dir / "alerts.jsonl",
            log_file=log_dir / "leadping-tui.log",
        )

    def for_api(self, base_url: str) -> AppPaths:
        """These paths with the history and the alert log of the API at ``base_url``.

        Statuses from two servers are never compared: each API has its own
        history and alert log (the watchlist and settings stay shared).
        """
        slug = api_slug(base_url)
        if slug is None:
            return replace(
                self,
                history_db=self.data_dir / "history.sqlite3",
                alerts_log=self.data_dir / "alerts.jsonl",
            )
        return replace(
            self,
            history_db=self.data_dir / f"history-{slug}.sqlite3",
            alerts_log=self.data_dir / f"alerts-{slug}.jsonl",
        )

    @classmethod
    def default(cls) -> AppPaths:
        """The per-user platform directories (XDG on Linux)."""
        return cls.from_dirs(
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        )

    @classmethod
    def under(cls, root: Path) -> AppPaths:
        """Everything below one directory, for the demo and for tests."""
        return cls.from_dirs(root / "config", root / "data", root / "log")
