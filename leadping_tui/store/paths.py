"""Where leadping-tui keeps its files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "leadping-tui"


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
