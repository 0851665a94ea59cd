"""A freedesktop.org menu entry (``.desktop`` file) and icon for leadping-tui.

Follows the Desktop Entry Specification 1.5: the entry launches the installed
``leadping-tui`` script (or ``python -m leadping_tui``) by absolute path in a
terminal, so it works from a virtual environment that is not on ``PATH``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import platformdirs

from leadping_tui.store.atomic import atomic_write_bytes

APP_ID = "leadping-tui"
DESKTOP_FILE_NAME = f"{APP_ID}.desktop"
ICON_FILE_NAME = f"{APP_ID}.svg"

# Characters that force an Exec argument into double quotes (spec, "The Exec key").
_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
# Inside double quotes these four must be backslash-escaped.
_ESCAPE_IN_QUOTES = frozenset('"`$\\')


class DesktopEntryError(Exception):
    """The entry could not be built, written or removed; the message says why."""


@dataclass(frozen=True)
class DesktopPaths:
    """Where the entry and its icon live for this user."""

    desktop_file: Path
    icon_file: Path

    @property
    def applications_dir(self) -> Path:
        return self.desktop_file.parent


def desktop_paths() -> DesktopPaths:
    """The entry and icon locations below the user's data directory.

    ``platformdirs`` reads ``$XDG_DATA_HOME`` as the basedir spec says
    (``~/.local/share`` when it is unset or not absolute), as the rest of the
    app's paths do.
    """
    home = platformdirs.user_data_path()
    return DesktopPaths(
        desktop_file=home / "applications" / DESKTOP_FILE_NAME,
        icon_file=home / "icons" / "hicolor" / "scalable" / "apps" / ICON_FILE_NAME,
    )


def launch_command(executable: str | None = None) -> list[str]:
    """The absolute command line that starts the dashboard.

    Prefers the ``leadping-tui`` script installed beside the interpreter (a
    venv's or pipx's ``bin``); otherwise runs the package with the interpreter.
    The interpreter path is made absolute but not resolved: resolving a venv's
    ``python`` symlink would escape the venv and lose its packages.
    """
    python = Path(os.path.abspath(executable or sys.executable))
    script = python.parent / APP_ID
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script), "--hold-on-error"]
    return [str(python), "-m", "leadping_tui", "--hold-on-error"]


def _escape_string(value: str) -> str:
    # The "string" value type: backslash and the C0 controls that have escapes.
    for char in value:
        if char in "\n\r\t" or ord(char) < 0x20 or ord(char) == 0x7F:
            raise DesktopEntryError(
                f"Cannot put a control character into a desktop entry: {value!r}"
            )
    return value.replace("\\", "\\\\")


def quote_exec_argument(argument: str) -> str:
    """Quote one Exec argument per the spec (before the string-level escaping)."""
    if "%" in argument:
        # A literal percent sign is written %%, else it reads as a field code.
        argument = argument.replace("%", "%%")
    if argument and not any(char in _RESERVED for char in argument):
        return argument
    inner = "".join("\\" + char if char in _ESCAPE_IN_QUOTES else char for char in argument)
    return f'"{inner}"'


def exec_value(command: list[str]) -> str:
    """The value of the Exec key for ``command`` (quoted, then string-escaped)."""
    return _escape_string(" ".join(quote_exec_argument(argument) for argument in command))


def render_desktop_entry(command: list[str], icon: Path | str) -> str:
    """The ``.desktop`` file text for ``command`` and ``icon`` (a name or an absolute path)."""
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=leadping-tui",
        "GenericName=Phone-number warmup monitor",
        "Comment=Watch LeadPing phone-number warmup, health and opt-outs from a terminal",
        f"TryExec={_escape_string(command[0])}",
        f"Exec={exec_value(command)}",
        "Terminal=true",
        f"Icon={_escape_string(str(icon))}",
        "Categories=Network;Monitor;",
        "Keywords=LeadPing;SMS;warmup;phone;number;opt-out;deliverability;",
        "StartupNotify=false",
    ]
    return "\n".join(lines) + "\n"


def icon_bytes() -> bytes:
    """The packaged SVG icon."""
    return resources.files("leadping_tui").joinpath("icons", ICON_FILE_NAME).read_bytes()


def install(paths: DesktopPaths | None = None, command: list[str] | None = None) -> DesktopPaths:
    """Write the icon, then the entry that points at it; return where they went."""
    paths = paths or desktop_paths()
    command = command or launch_command()
    # The icon is referenced by absolute path: a theme name would need the
    # user's hicolor cache refreshed before menus show it.
    text = render_desktop_entry(command, paths.icon_file)
    try:
        data = icon_bytes()
    except OSError as exc:
        raise DesktopEntryError(
            f"The packaged icon is missing ({exc}); reinstall leadping-tui."
        ) from exc
    for target, content in ((paths.icon_file, data), (paths.desktop_file, text.encode())):
        try:
            # Created first with the usual mode: atomic writes would make
            # missing shared directories such as ~/.local/share private.
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, content, mode=0o644)
        except OSError as exc:
            raise DesktopEntryError(f"Could not write {target}: {exc.strerror or exc}") from exc
    refresh_menu_cache(paths.applications_dir)
    return paths


def uninstall(paths: DesktopPaths | None = None) -> list[Path]:
    """Remove the entry and the icon; return the files that were actually removed."""
    paths = paths or desktop_paths()
    removed: list[Path] = []
    for target in (paths.desktop_file, paths.icon_file):
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DesktopEntryError(f"Could not remove {target}: {exc.strerror or exc}") from exc
        removed.append(target)
    if paths.desktop_file in removed:
        refresh_menu_cache(paths.applications_dir)
    return removed


def refresh_menu_cache(directory: Path) -> None:
    """Run ``update-desktop-database`` when it exists; menus work without it, so failures pass."""
    tool = shutil.which("update-desktop-database")
    if tool is None or not directory.is_dir():
        return
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(  # noqa: S603 - fixed tool, our own directory, no shell
            [tool, str(directory)],
            check=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=10,
        )
