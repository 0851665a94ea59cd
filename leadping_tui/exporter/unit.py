"""``leadping-tui install-service``: a systemd user unit that runs the exporter.

Like ``install-desktop``, the unit starts the installed ``leadping-tui``
script (or ``python -m leadping_tui``) by absolute path, so it works from a
virtual environment that is not on the service manager's ``PATH``.  The API
key is never written into the unit: the exporter reads it from the settings
file (mode 0600) or from ``LEADPING_API_KEY`` set with ``systemctl --user edit``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from leadping_tui.store.atomic import atomic_write_text

UNIT_NAME = "leadping-tui-exporter.service"

# Characters that make systemd split or reinterpret an ExecStart word.
_NEEDS_QUOTES = frozenset(" \t\"'\\;")


class UnitError(Exception):
    """The unit could not be built, written or removed; the message says why."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--uninstall", action="store_true", help="remove the unit")
    parser.add_argument(
        "exporter_args",
        nargs=argparse.REMAINDER,
        metavar="-- EXPORTER-ARGS",
        help="arguments for `leadping-tui exporter`, after --",
    )


def config_home(env: dict[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME``, or ``~/.config`` when unset or not absolute."""
    environ = os.environ if env is None else env
    value = environ.get("XDG_CONFIG_HOME", "")
    return Path(value) if value and os.path.isabs(value) else Path.home() / ".config"


def unit_path(env: dict[str, str] | None = None) -> Path:
    return config_home(env) / "systemd" / "user" / UNIT_NAME


def exporter_command(args: list[str], executable: str | None = None) -> list[str]:
    """The absolute command line that starts the exporter with ``args``.

    The interpreter path is made absolute but not resolved: resolving a venv's
    ``python`` symlink would escape the venv and lose its packages.
    """
    python = Path(os.path.abspath(executable or sys.executable))
    script = python.parent / "leadping-tui"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script), "exporter", *args]
    return [str(python), "-m", "leadping_tui", "exporter", *args]


def quote_word(word: str) -> str:
    """One ExecStart word, quoted and escaped as systemd.service(5) reads it."""
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in word):
        raise UnitError(f"Cannot put a control character into a unit: {word!r}")
    # % starts a specifier and $ an environment variable, even inside quotes.
    word = word.replace("%", "%%").replace("$", "$$")
    if word and not any(char in _NEEDS_QUOTES for char in word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_unit(command: list[str]) -> str:
    """The unit file text for ``command``."""
    exec_start = " ".join(quote_word(word) for word in command)
    return f"""\
[Unit]
Description=LeadPing warmup exporter for Prometheus (leadping-tui)
After=network-online.target
Wants=network-online.target

[Service]
Type=exec
ExecStart={exec_start}
# The API key comes from the settings file (leadping-tui config), or add
# Environment=LEADPING_API_KEY=... with `systemctl --user edit {UNIT_NAME}`.
Restart=on-failure
RestartSec=30
# Exit status 2 is bad input (port in use, unknown number, no key): a restart
# cannot fix it, so systemd shows the failure instead of looping.
RestartPreventExitStatus=2
NoNewPrivileges=yes

[Install]
WantedBy=default.target
"""


def install(command: list[str], path: Path | None = None) -> Path:
    path = path or unit_path()
    text = render_unit(command)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, text, mode=0o644)
    except OSError as exc:
        raise UnitError(f"Could not write {path}: {exc.strerror or exc}") from exc
    return path


def uninstall(path: Path | None = None) -> Path | None:
    path = path or unit_path()
    try:
        path.unlink()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UnitError(f"Could not remove {path}: {exc.strerror or exc}") from exc
    return path


def run(args: argparse.Namespace, exporter_parser: argparse.ArgumentParser) -> int:
    """Write or remove the unit; 0 on success, 1 (or 2 for bad exporter args) otherwise.

    ``exporter_parser`` is the CLI's parser for ``leadping-tui exporter``: the
    arguments are checked with it before they are written into the unit.
    """
    if sys.platform in ("darwin", "win32"):
        print(
            "leadping-tui: install-service writes a systemd user unit (Linux); elsewhere "
            "run `leadping-tui exporter` under your service manager (see the README).",
            file=sys.stderr,
        )
        return 1
    exporter_args = list(args.exporter_args)
    if exporter_args[:1] == ["--"]:
        exporter_args = exporter_args[1:]
    try:
        if args.uninstall:
            removed = uninstall()
            print(f"Removed {removed}" if removed else f"Nothing to remove at {unit_path()}.")
            if removed:
                print(
                    f"Then: systemctl --user disable --now {UNIT_NAME}; systemctl --user "
                    "daemon-reload"
                )
            return 0
        # Refuse what the exporter would refuse (argparse exits 2 with the reason).
        exporter_parser.parse_args(exporter_args)
        path = install(exporter_command(exporter_args))
    except UnitError as exc:
        print(f"leadping-tui: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {path}")
    print("Start it now and at every login:")
    print("  systemctl --user daemon-reload")
    print(f"  systemctl --user enable --now {UNIT_NAME}")
    print(f"Logs: journalctl --user -u {UNIT_NAME} -f")
    print("To keep it running while you are logged out: loginctl enable-linger")
    return 0
