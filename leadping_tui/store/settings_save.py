"""Saving settings: only the changed keys, merged into the user's own file.

The file is read and written under a lock, so another instance's edits to
other keys survive, and edited with ``tomlkit``, so the user's comments and
layout survive too. A change that is invalid, or a file that cannot be read
or parsed, raises :class:`SettingsWriteError` and leaves the file untouched.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from pydantic import BaseModel, SecretStr, ValidationError

from leadping_tui.store.atomic import FileLock, atomic_write_text
from leadping_tui.store.settings import (
    decode_error_position,
    first_error,
    load_settings,
    validated_section,
)
from leadping_tui.store.settings_model import (
    AlertSettings,
    LoadedSettings,
    Settings,
    SettingsWriteError,
)


def update_settings(path: Path, *, lock_timeout: float = 5.0, **changes: Any) -> LoadedSettings:
    """Change just the given settings in the file, keeping everything else in it.

    Reads the file under a lock, merges ``changes`` and writes it back with
    mode 0600, so another instance's edits to other keys survive. Nested
    tables merge per key (``alerts={"bell": False}``); ``keys`` replaces the
    whole binding table; ``api_key=None`` removes the key from the file.
    Raises :class:`SettingsWriteError` (file untouched) if a change is invalid or
    the file cannot be read or parsed, and :class:`LockTimeout` if another
    instance holds the lock.
    """
    toml_changes = _to_toml_changes(changes)
    with FileLock(path, timeout=lock_timeout):
        doc = _read_for_write(path)
        _merge_into(doc, toml_changes)
        _write(path, doc)
    return load_settings(path)


def save_settings(
    path: Path, settings: Settings, *, base: Settings | None = None, lock_timeout: float = 5.0
) -> LoadedSettings:
    """Save the fields of ``settings`` that changed, merged into the file.

    With ``base`` (the settings the caller loaded), only fields that differ
    from ``base`` are written, so concurrent edits to other fields survive.
    Without it, fields that differ from what the file currently says are
    written. The API key is never written here; use
    ``update_settings(path, api_key=...)`` to store one on purpose.
    """
    with FileLock(path, timeout=lock_timeout):
        doc = _read_for_write(path)
        reference = base if base is not None else _settings_from_doc(doc.unwrap(), path)
        changes: dict[str, Any] = {}
        for name in Settings.model_fields:
            new, old = getattr(settings, name), getattr(reference, name)
            if name == "api_key" or new == old:
                continue
            if isinstance(new, AlertSettings) and isinstance(old, AlertSettings):
                changes[name] = {
                    k: getattr(new, k)
                    for k in AlertSettings.model_fields
                    if getattr(new, k) != getattr(old, k)
                }
            else:
                changes[name] = new
        _merge_into(doc, _to_toml_changes(changes))
        _write(path, doc)
    return load_settings(path)


def _settings_from_doc(doc: Mapping[str, Any], path: Path) -> Settings:
    return Settings.model_validate(validated_section(Settings, doc, (), path, "", []))


def _to_toml_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in Settings.model_fields:
            close = difflib.get_close_matches(name, list(Settings.model_fields), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise SettingsWriteError(f"unknown setting '{name}'{hint}")
        if name == "alerts" and isinstance(value, Mapping):
            try:
                partial = AlertSettings.model_validate(dict(value))
            except ValidationError as exc:
                raise SettingsWriteError(f"alerts: {first_error(exc)}") from None
            out[name] = {k: getattr(partial, k) for k in value}
            continue
        try:
            checked = getattr(Settings.model_validate({name: value}), name)
        except ValidationError as exc:
            raise SettingsWriteError(f"{name}: {first_error(exc)}") from None
        if isinstance(checked, SecretStr):
            checked = checked.get_secret_value()
        elif isinstance(checked, BaseModel):
            checked = checked.model_dump()
        out[name] = checked
    return out


def _read_for_write(path: Path) -> tomlkit.TOMLDocument:
    """The file as a ``tomlkit`` document, which keeps the user's comments and layout."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return tomlkit.document()
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsWriteError(
            f"Not saving settings: cannot read {path} ({exc}). Fix or remove it first."
        ) from None
    try:
        # tomllib is the judge of valid TOML (and says where it is not) ...
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, _column, reason = decode_error_position(exc)
        raise SettingsWriteError(
            f"Not saving settings: {path.name}:{line}: TOML syntax error ({reason}). "
            "Fix the file first; it was not changed."
        ) from None
    # ... and tomlkit edits it in place, so comments and layout survive a save.
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.TOMLKitError as exc:
        raise SettingsWriteError(
            f"Not saving settings: {path.name}: cannot edit it without losing its layout "
            f"({exc}). Fix the file first; it was not changed."
        ) from None


def _merge_into(doc: tomlkit.TOMLDocument, changes: Mapping[str, Any]) -> None:
    for name, value in changes.items():
        if value is None:
            doc.pop(name, None)
        elif name == "alerts" and isinstance(doc.get(name), dict):
            table = doc[name]
            for key, item in value.items():
                table[key] = item  # one key at a time keeps the table's comments
        elif name in doc and doc[name] == value:
            continue  # unchanged: leave the user's spelling of it alone
        else:
            doc[name] = value


def _write(path: Path, doc: tomlkit.TOMLDocument) -> None:
    atomic_write_text(path, tomlkit.dumps(doc), mode=0o600)
