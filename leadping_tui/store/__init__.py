"""Files the user owns: settings, the watchlist and their atomic writes.

Nothing here imports Textual. The package itself imports nothing so that a
small helper (for example a crash-test child process importing only
:mod:`leadping_tui.store.atomic`) starts quickly; import the submodules
directly.
"""

from __future__ import annotations
