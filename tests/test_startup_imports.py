"""What the launched dashboard loads before its first status (issue 12).

The first frame needs Textual, pydantic (the status model) and the modules of
the status bar, the sidebar and the panels. Libraries only used after it are
loaded when first used: httpx (the client, built after the first status; the
first request goes out on the standard library), tomlkit (writing settings),
filelock (the watchlist lock: a sound file is read without it), the
history (SQLite) and the alerts (opened once the first status is on screen).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from leadping_tui.store.paths import AppPaths

LATER = (
    "httpx",
    "httpcore",
    "anyio",
    "tomlkit",
    "filelock",
    "sqlite3",
    "leadping_tui.api.client",
    "leadping_tui.alerts",
    "leadping_tui.store.history",
)

PROBE = """
import json, sys
from pathlib import Path
from leadping_tui.runtime import load_runtime
from leadping_tui.store.paths import AppPaths
from leadping_tui.store.watchlist import Watchlist
from leadping_tui.store.watchlist_file import WatchlistStore

root = Path(sys.argv[1])
runtime = load_runtime(paths=AppPaths.under(root), env={{"LEADPING_API_KEY": "sk_probe_key_1234"}})
WatchlistStore(runtime.paths.watchlist_file).load()
import leadping_tui.commands.dashboard
import leadping_tui.ui.app
import leadping_tui.ui.screens.dashboard
print(json.dumps(sorted(name for name in {later!r} if name in sys.modules)))
"""


def test_the_start_up_path_leaves_the_client_settings_writer_lock_and_history_for_later(
    tmp_path: Path,
) -> None:
    paths = AppPaths.under(tmp_path)
    entries = [{"number": "+12025550101", "label": "one"}]
    watchlist = {"version": 1, "selected": "+12025550101", "entries": entries}
    paths.watchlist_file.parent.mkdir(parents=True, exist_ok=True)
    paths.watchlist_file.write_text(json.dumps(watchlist), encoding="utf-8")
    paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text('theme = "textual-dark"\nrefresh_seconds = 20\n', "utf-8")
    paths.settings_file.chmod(0o600)
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(later=LATER), str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == []
