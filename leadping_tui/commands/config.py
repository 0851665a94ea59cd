"""``leadping-tui config``: where the settings live and what is in effect."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from leadping_tui.runtime import Runtime
from leadping_tui.store.atomic import atomic_write_text
from leadping_tui.store.settings import load_settings
from leadping_tui.store.settings_report import effective_settings_report

TEMPLATE = """\
# leadping-tui settings. Every key is optional; run `leadping-tui config` to
# see the effective values. Keep this file private: it may hold your API key.

# api_key = "sk_..."
# refresh_seconds = 30
# requests_per_minute = 30
# default_window_days = 7
# timezone = "local"
"""


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    path = runtime.paths.settings_file
    if args.edit:
        return _edit(runtime)
    loaded = runtime.loaded or load_settings(path)
    print(effective_settings_report(loaded))
    print(f"watchlist: {runtime.paths.watchlist_file}")
    print(f"history:   {runtime.paths.history_db}")
    print(f"alerts:    {runtime.paths.alerts_log}")
    print(f"log:       {runtime.paths.log_file}")
    return 0


def editor_command() -> str | None:
    """The user's editor: ``$VISUAL``, ``$EDITOR``, or a common one on ``PATH``."""
    return os.environ.get("VISUAL") or os.environ.get("EDITOR") or _fallback_editor()


def ensure_settings_file(path: Path) -> None:
    """Write the commented template if there is no settings file yet."""
    if not path.exists():
        atomic_write_text(path, TEMPLATE, mode=0o600)


def run_editor(editor: str, path: Path) -> int:
    """Run ``editor`` on ``path`` in this terminal; raises OSError if it cannot start."""
    return subprocess.run([*shlex.split(editor), str(path)], check=False).returncode  # noqa: S603


def _edit(runtime: Runtime) -> int:
    path = runtime.paths.settings_file
    ensure_settings_file(path)
    editor = editor_command()
    if editor is None:
        print(f"leadping-tui: set $EDITOR, or edit {path} by hand.", file=sys.stderr)
        return 2
    try:
        returncode = run_editor(editor, path)
    except OSError as exc:
        print(f"leadping-tui: cannot start {editor!r}: {exc.strerror}.", file=sys.stderr)
        return 2
    # Show what the edit did, including any mistakes, straight away.
    for problem in load_settings(path).problems:
        print(f"leadping-tui: {problem}", file=sys.stderr)
    return returncode


def _fallback_editor() -> str | None:
    for name in ("sensible-editor", "nano", "vi"):
        if shutil.which(name):
            return name
    return None
