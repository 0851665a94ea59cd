"""Where the app's stylesheet is: inside an installed wheel, or at the root of a checkout."""

from __future__ import annotations

from pathlib import Path

#: The ``leadping_tui`` package directory (this module sits in its ``ui`` package).
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def stylesheet_path() -> Path:
    """The app's ``styles.tcss``.

    An installed wheel carries it inside the package; a source checkout or an
    editable install keeps the single copy at the repository root.
    """
    packaged = _PACKAGE_DIR / "styles.tcss"
    if packaged.is_file():
        return packaged
    return _PACKAGE_DIR.parent / "styles.tcss"
