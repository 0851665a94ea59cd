"""The effective run-time configuration: settings file, environment and flags.

Flags win over the environment, which wins over the settings file.  Built once
at start-up and handed to the CLI commands and the app.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from leadping_tui.store.paths import AppPaths
from leadping_tui.store.settings import ConfigProblem, LoadedSettings, Settings, load_settings


@dataclass(frozen=True)
class Runtime:
    """Everything a command needs to talk to the API and find its files."""

    paths: AppPaths
    settings: Settings
    base_url: str
    api_key: str | None = field(repr=False)
    api_key_source: str | None
    allow_insecure_http: bool
    refresh_seconds: float
    demo: bool = False
    problems: tuple[ConfigProblem, ...] = field(default_factory=tuple)
    loaded: LoadedSettings | None = None

    def with_overrides(
        self,
        *,
        base_url: str | None = None,
        refresh_seconds: float | None = None,
        allow_insecure_http: bool | None = None,
    ) -> Runtime:
        url = base_url if base_url else self.base_url
        return replace(
            self,
            paths=self.paths.for_api(url),
            base_url=url,
            refresh_seconds=refresh_seconds if refresh_seconds else self.refresh_seconds,
            allow_insecure_http=self.allow_insecure_http or bool(allow_insecure_http),
        )


def load_runtime(*, paths: AppPaths | None = None, env: Mapping[str, str] | None = None) -> Runtime:
    """Read settings and the environment.  Never raises for a broken settings file."""
    paths = paths or AppPaths.default()
    env = os.environ if env is None else env
    loaded = load_settings(paths.settings_file, env=env)
    settings = loaded.settings
    return Runtime(
        paths=paths.for_api(settings.base_url),
        settings=settings,
        base_url=settings.base_url,
        api_key=settings.api_key_value(),
        api_key_source=loaded.api_key_source,
        allow_insecure_http=settings.allow_insecure_http,
        refresh_seconds=settings.refresh_seconds,
        problems=tuple(loaded.problems),
        loaded=loaded,
    )


def settings_path_hint(path: Path) -> str:
    return (
        f'Set LEADPING_API_KEY, or put api_key = "sk_..." in {path} (kept private with mode 0600).'
    )
