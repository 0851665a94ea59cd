"""A real (non-editable) install carries the stylesheet and the icon.

``styles.tcss`` lives at the repository root and is force-included into the
wheel as ``leadping_tui/styles.tcss``; an editable install or a source
checkout would find the root copy and hide a packaging mistake, so this test
builds the wheel, installs it into a private directory and imports from there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from leadping_tui import __version__

# One worker runs this module, so its module fixture (the expensive part) runs once.
pytestmark = pytest.mark.xdist_group("wheel")

REPO_ROOT = Path(__file__).resolve().parent.parent
ICON = "leadping_tui/icons/leadping-tui.svg"
STYLESHEET = "leadping_tui/styles.tcss"
TIMEOUT = 120


def pip(*args: str, cwd: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"pip {args[0]} failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    pip("wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO_ROOT), cwd=out)
    wheels = list(out.glob("leadping_tui-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def site(wheel: Path) -> Path:
    target = wheel.parent / "site"
    pip(
        "install",
        "--no-deps",
        "--no-compile",
        "--quiet",
        "--target",
        str(target),
        str(wheel),
        cwd=wheel.parent,
    )
    return target


def installed_python(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # The target dir comes first; textual, httpx... still come from this venv.
    env["PYTHONPATH"] = str(site)
    env["PYTHONNOUSERSITE"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTHONSAFEPATH", None)
    # Run outside the repository so the working directory cannot supply the package.
    return subprocess.run(
        [sys.executable, *args],
        cwd=site.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def test_wheel_lists_the_stylesheet_and_the_icon(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert STYLESHEET in names
        assert ICON in names
        assert archive.read(STYLESHEET) == (REPO_ROOT / "styles.tcss").read_bytes()
        assert archive.read(ICON) == (REPO_ROOT / ICON).read_bytes()
    assert not any("__pycache__" in name or name.startswith("tests/") for name in names)


def test_installed_package_finds_its_stylesheet_and_icon(site: Path) -> None:
    code = (
        "import leadping_tui, leadping_tui.ui.stylesheet as r, leadping_tui.desktop.entry as d\n"
        "print(leadping_tui.__file__)\n"
        "print(r.stylesheet_path())\n"
        "print(r.stylesheet_path().is_file())\n"
        "print(len(d.icon_bytes()))\n"
    )
    result = installed_python(site, "-c", code)
    assert result.returncode == 0, result.stderr
    package_file, stylesheet, exists, icon_size = result.stdout.splitlines()
    resolved_site = site.resolve()
    assert Path(package_file).resolve().is_relative_to(resolved_site)
    assert Path(stylesheet).resolve() == resolved_site / STYLESHEET
    assert exists == "True"
    assert int(icon_size) == (REPO_ROOT / ICON).stat().st_size


def test_installed_package_runs(site: Path) -> None:
    result = installed_python(site, "-m", "leadping_tui", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"leadping-tui {__version__}"


def test_installed_entry_point_script_runs(site: Path) -> None:
    script = site / "bin" / "leadping-tui"
    assert script.is_file()
    # pip writes this venv's interpreter into the shebang; run it explicitly anyway.
    result = installed_python(site, str(script), "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"leadping-tui {__version__}"
