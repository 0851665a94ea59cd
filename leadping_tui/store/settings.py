"""User settings: loading that never raises (the model is in ``settings_model``,
saving in ``settings_save``, the ``config`` report in ``settings_report``).

The file is TOML (``settings.toml``). Environment variables win over it for
the two values people pass in from scripts and CI: ``LEADPING_API_KEY`` and
``LEADPING_BASE_URL``. Problems in the file are reported, not fatal: a bad
key falls back to its default and the rest of the file still applies.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr, ValidationError

from leadping_tui.store.secret import mask_secret
from leadping_tui.store.settings_model import (
    DEFAULT_BASE_URL,
    ENV_API_KEY,
    ENV_BASE_URL,
    AlertSettings,
    ConfigProblem,
    LoadedSettings,
    Settings,
    SettingsWriteError,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "ENV_API_KEY",
    "ENV_BASE_URL",
    "AlertSettings",
    "ConfigProblem",
    "LoadedSettings",
    "Settings",
    "SettingsWriteError",
    "load_settings",
    "mask_secret",
]


def load_settings(path: Path, *, env: Mapping[str, str] | None = None) -> LoadedSettings:
    """Read ``path`` and the environment. Never raises for problems in the user's file."""
    env = os.environ if env is None else env
    loaded = LoadedSettings(settings=Settings(), path=path)
    raw, text = _read_document(path, loaded)
    secrets = [v for v in (raw.get("api_key"), env.get(ENV_API_KEY)) if isinstance(v, str) and v]
    if text is not None:
        _check_permissions(path, text, loaded)
    clean = validated_section(Settings, raw, (), path, text or "", loaded.problems)
    try:
        settings = Settings.model_validate(clean)
    except ValidationError as exc:  # pragma: no cover - every key was validated alone
        loaded.problems.append(ConfigProblem(path, None, None, f"ignored: {first_error(exc)}"))
        settings = Settings()
    if settings.api_key is not None:
        loaded.api_key_source = "file"
    if "base_url" in clean:
        loaded.base_url_source = "file"
    settings = _apply_env(settings, env, loaded)
    loaded.settings = settings
    loaded.problems = [_scrub(p, secrets) for p in loaded.problems]
    return loaded


def _read_document(path: Path, loaded: LoadedSettings) -> tuple[dict[str, Any], str | None]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        hint = (
            f" (check its permissions: chmod 600 {path})"
            if isinstance(exc, PermissionError)
            else ""
        )
        msg = f"cannot read the settings file: {exc.strerror or exc}{hint}; using defaults"
        loaded.problems.append(ConfigProblem(path, None, None, msg))
        return {}, None
    loaded.file_exists = True
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        msg = "is not UTF-8 text (is it the right file?); using defaults for everything"
        loaded.problems.append(ConfigProblem(path, bad_line, None, msg))
        return {}, None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        line, column, reason = decode_error_position(exc)
        where = f" at column {column}" if column is not None else ""
        msg = (
            f"TOML syntax error{where}: {reason}; using defaults for everything until it is "
            "fixed (the file was left as it is)"
        )
        loaded.problems.append(ConfigProblem(path, line, None, msg))
        return {}, text
    except RecursionError:
        # Arrays or tables nested thousands deep: damaged (or hostile), not a crash.
        msg = (
            "values are nested too deeply to be settings; using defaults for everything "
            "until it is fixed (the file was left as it is)"
        )
        loaded.problems.append(ConfigProblem(path, None, None, msg))
        return {}, text


_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def decode_error_position(exc: tomllib.TOMLDecodeError) -> tuple[int | None, int | None, str]:
    text = str(exc)
    line: int | None = getattr(exc, "lineno", None) or None
    column: int | None = getattr(exc, "colno", None) or None
    reason = getattr(exc, "msg", None)
    match = _POSITION.search(text)
    if match is not None:
        line = line or int(match.group(1))
        column = column or int(match.group(2))
        text = text[: match.start()]
    return line, column, reason if isinstance(reason, str) else text.strip()


_API_KEY_LINE = re.compile(r"""^\s*["']?api_key["']?\s*=""", re.MULTILINE)


def _check_permissions(path: Path, text: str, loaded: LoadedSettings) -> None:
    if not _API_KEY_LINE.search(text):
        return
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    if mode & 0o077:
        msg = (
            f"holds your API key but other users can read it (mode {mode:o}); "
            f"fix with: chmod 600 {path}"
        )
        loaded.problems.append(ConfigProblem(path, _find_key_line(text, ("api_key",)), None, msg))


def validated_section(
    model: type[BaseModel],
    data: Mapping[str, Any],
    prefix: tuple[str, ...],
    path: Path,
    text: str,
    problems: list[ConfigProblem],
) -> dict[str, Any]:
    """The subset of ``data`` that validates, each key checked on its own."""
    fields = model.model_fields
    clean: dict[str, Any] = {}
    for key, value in data.items():
        dotted = (*prefix, key)
        name = ".".join(dotted)
        line = _find_key_line(text, dotted)
        if key not in fields:
            import difflib  # only for a mistyped key

            close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            msg = f"unknown key '{name}' (ignored{hint})"
            problems.append(ConfigProblem(path, line, name, msg))
            continue
        sub = fields[key].annotation
        if isinstance(value, dict) and isinstance(sub, type) and issubclass(sub, BaseModel):
            clean[key] = validated_section(sub, value, dotted, path, text, problems)
            continue
        try:
            model.model_validate({key: value})
        except ValidationError as exc:
            if isinstance(value, dict) and value:
                clean[key] = _validated_items(model, key, value, dotted, path, text, problems)
                continue
            default = toml_value(fields[key].get_default(call_default_factory=True))
            msg = f"invalid value for '{name}': {first_error(exc)} (ignored; using {default})"
            problems.append(ConfigProblem(path, line, name, msg))
            continue
        clean[key] = value
    return clean


def _validated_items(
    model: type[BaseModel],
    key: str,
    value: Mapping[str, Any],
    dotted: tuple[str, ...],
    path: Path,
    text: str,
    problems: list[ConfigProblem],
) -> dict[str, Any]:
    # A table of free-form entries (``[keys]``): keep the good entries.
    kept: dict[str, Any] = {}
    for item_key, item in value.items():
        name = ".".join((*dotted, item_key))
        try:
            model.model_validate({key: {item_key: item}})
        except ValidationError as exc:
            msg = f"invalid value for '{name}': {first_error(exc)} (ignored)"
            line = _find_key_line(text, (*dotted, item_key))
            problems.append(ConfigProblem(path, line, name, msg))
        else:
            kept[item_key] = item
    return kept


def first_error(exc: ValidationError) -> str:
    error = exc.errors(include_url=False, include_input=False)[0]
    return str(error["msg"]).removeprefix("Value error, ")


def _apply_env(settings: Settings, env: Mapping[str, str], loaded: LoadedSettings) -> Settings:
    updates: dict[str, Any] = {}
    for var, name in ((ENV_API_KEY, "api_key"), (ENV_BASE_URL, "base_url")):
        value = env.get(var, "").strip()
        if not value:
            continue
        try:
            updates[name] = getattr(Settings.model_validate({name: value}), name)
        except ValidationError as exc:
            msg = f"{var} is not usable: {first_error(exc)} (ignored)"
            loaded.problems.append(ConfigProblem(None, None, var, msg))
            continue
        if name == "api_key":
            loaded.api_key_source = "env"
        else:
            loaded.base_url_source = "env"
    return settings.model_copy(update=updates) if updates else settings


def _scrub(problem: ConfigProblem, secrets: list[str]) -> ConfigProblem:
    message = problem.message
    for secret in secrets:
        if secret.strip():
            message = message.replace(secret.strip(), mask_secret(secret.strip()))
    return (
        problem
        if message == problem.message
        else ConfigProblem(problem.path, problem.line, problem.key, message)
    )


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_ASSIGN = re.compile(r"""^\s*([A-Za-z0-9_\-."' ]+?)\s*=""")


def _split_dotted(key: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in key.split("."))


def _find_key_line(text: str, dotted: tuple[str, ...]) -> int | None:
    """Best-effort line number of a dotted key in TOML text (None when not found)."""
    table: tuple[str, ...] = ()
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        header = _HEADER.match(line)
        if header is not None:
            table = _split_dotted(header.group(1))
            continue
        assign = _ASSIGN.match(line)
        if assign is not None and (*table, *_split_dotted(assign.group(1))) == dotted:
            return number
    # Inline tables and other forms: the first assignment to the leaf name.
    leaf = re.compile(r"""(?:^|[\s{,."'])""" + re.escape(dotted[-1]) + r"""["']?\s*=""")
    for number, line in enumerate(lines, 1):
        if leaf.search(line):
            return number
    return None


def toml_value(value: object) -> str:
    """A setting's value as shown to the user: TOML, masked if secret, ``(not set)``."""
    if value is None:
        return "(not set)"
    if isinstance(value, SecretStr):
        return mask_secret(value.get_secret_value())
    if isinstance(value, BaseModel):
        return "{…}"
    return toml_literal(value)


def toml_literal(value: object) -> str:
    import tomlkit  # ~20 ms to import: only to show a value in a message or report

    return tomlkit.item(value).as_string().strip()
