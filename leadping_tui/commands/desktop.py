"""``leadping-tui install-desktop [--uninstall]``: a menu entry for desktop launchers."""

from __future__ import annotations

import argparse
import sys

from leadping_tui.desktop.entry import DesktopEntryError, desktop_paths, install, uninstall


def run(args: argparse.Namespace) -> int:
    """Install or remove the entry; 0 on success, 1 with one line on stderr otherwise."""
    if sys.platform in ("darwin", "win32"):
        print(
            "leadping-tui: install-desktop writes a freedesktop.org menu entry for Linux and "
            "BSD desktops; on macOS and Windows see the README for a launcher.",
            file=sys.stderr,
        )
        return 1
    paths = desktop_paths()
    try:
        if getattr(args, "uninstall", False):
            removed = uninstall(paths)
            if not removed:
                print(f"Nothing to remove: no leadping-tui menu entry at {paths.desktop_file}.")
            for path in removed:
                print(f"Removed {path}")
            return 0
        install(paths)
    except DesktopEntryError as exc:
        print(f"leadping-tui: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote the menu entry {paths.desktop_file}")
    print(f"Wrote the icon       {paths.icon_file}")
    print("leadping-tui now appears in your applications menu (it opens in a terminal).")
    print("Remove it with: leadping-tui install-desktop --uninstall")
    return 0
