"""What ``leadping-tui config`` prints: where each setting comes from, and its value.

The API key is always masked.
"""

from __future__ import annotations

import tomlkit
from pydantic import BaseModel, SecretStr

from leadping_tui.store.secret import mask_secret
from leadping_tui.store.settings import toml_literal, toml_value
from leadping_tui.store.settings_model import ENV_API_KEY, ENV_BASE_URL, LoadedSettings


def effective_settings_report(loaded: LoadedSettings) -> str:
    """What ``leadping-tui config`` prints: sources, every effective value, problems.

    The API key is always masked.
    """
    settings = loaded.settings
    state = "exists" if loaded.file_exists else "not created yet; defaults apply"
    key_source = {
        "env": f"from {ENV_API_KEY}",
        "file": "from the settings file",
        None: f"not set: set {ENV_API_KEY} or add api_key to {loaded.path}",
    }[loaded.api_key_source]
    url_source = {"env": f"from {ENV_BASE_URL}", "file": "from the settings file"}.get(
        loaded.base_url_source, "default"
    )
    lines = [
        "# leadping-tui effective configuration",
        f"# settings file: {loaded.path} ({state})",
        f"# API key: {mask_secret(settings.api_key_value())} ({key_source})",
        f"# base URL: {settings.base_url} ({url_source})",
        "",
    ]
    lines += _report_section(settings)
    if loaded.problems:
        lines += ["", "# problems:"]
        lines += [f"#   {problem}" for problem in loaded.problems]
    return "\n".join(lines) + "\n"


def _report_section(model: BaseModel) -> list[str]:
    lines: list[str] = []
    tables: list[str] = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        doc = f"# {info.description}" if info.description else None
        if isinstance(value, BaseModel):
            tables += ["", f"[{name}]", *_report_section(value)]
        elif isinstance(value, dict):
            entries = [f"{tomlkit.dumps({k: v}).strip()}" for k, v in value.items()]
            tables += ["", *([doc] if doc else []), f"[{name}]", *entries]
        elif value is None:
            lines += [*([doc] if doc else []), f"# {name} = (not set)"]
        else:
            shown = toml_value(value)
            if isinstance(value, SecretStr):
                shown = toml_literal(shown)
            lines += [*([doc] if doc else []), f"{name} = {shown}"]
    return lines + tables
