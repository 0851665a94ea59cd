"""Import every ``leadping_tui`` module with ``fcntl`` and ``termios`` made unimportable.

Windows has neither module, and the README tells Windows users how to install
the app; a module-level ``import fcntl`` there is a crash at start-up. CI runs
this script (``.ci/run``) and ``tests/test_portability.py`` runs it too.
Exits non-zero and names each module that fails to import.

Usage: ``python tests/import_without_posix.py``
"""

from __future__ import annotations

import importlib
import importlib.abc
import pkgutil
import sys
import traceback
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

BLOCKED = ("fcntl", "termios")


class _Blocker(importlib.abc.MetaPathFinder):
    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname in BLOCKED:
            raise ModuleNotFoundError(f"No module named {fullname!r} (blocked)", name=fullname)
        return None


def main() -> int:
    for name in BLOCKED:
        sys.modules.pop(name, None)
    # ``tty`` and ``pty`` import termios; forget them so they are re-imported.
    for name in ("tty", "pty"):
        sys.modules.pop(name, None)
    sys.meta_path.insert(0, _Blocker())

    import leadping_tui

    names = [leadping_tui.__name__]
    names += [
        info.name
        for info in pkgutil.walk_packages(leadping_tui.__path__, prefix=f"{leadping_tui.__name__}.")
    ]
    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            failed.append(name)
            print(f"FAILED: {name}", file=sys.stderr)
            traceback.print_exc()
    print(f"imported {len(names) - len(failed)} of {len(names)} modules without {BLOCKED}")
    return 1 if failed or not _lock_and_write() else 0


def _lock_and_write() -> bool:
    """The settings and watchlist write path works too, not only the imports."""
    import tempfile
    from pathlib import Path

    from leadping_tui.store.atomic import FileLock, atomic_write_text

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "settings.toml"
        try:
            with FileLock(target, timeout=5):
                atomic_write_text(target, "theme = 'x'\n")
        except Exception:
            print("FAILED: a locked atomic write", file=sys.stderr)
            traceback.print_exc()
            return False
        return target.read_text() == "theme = 'x'\n"


if __name__ == "__main__":
    raise SystemExit(main())
