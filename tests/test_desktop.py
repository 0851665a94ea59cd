"""The freedesktop.org menu entry written by ``leadping-tui install-desktop``."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from leadping_tui.commands import desktop
from leadping_tui.desktop import entry as desktop_entry
from leadping_tui.desktop.entry import (
    DesktopEntryError,
    desktop_paths,
    exec_value,
    install,
    launch_command,
    render_desktop_entry,
    uninstall,
)

linux_only = pytest.mark.skipif(
    sys.platform in ("darwin", "win32"), reason="freedesktop.org entries are for Linux/BSD"
)


def parse_entry(text: str) -> dict[str, str]:
    lines = text.splitlines()
    assert lines[0] == "[Desktop Entry]"
    pairs = [line.split("=", 1) for line in lines[1:] if line]
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), "duplicate keys"
    return dict(pairs)


def unescape_string(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            out.append({"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}[value[i + 1]])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def split_exec(value: str) -> list[str]:
    """Read an Exec value back as a launcher would (spec: string escapes, then quoting)."""
    text = unescape_string(value)
    args: list[str] = []
    current: list[str] = []
    quoted = in_arg = False
    i = 0
    while i < len(text):
        char = text[i]
        if quoted:
            if char == "\\":
                assert text[i + 1] in '"`$\\', f"bad escape in {text!r}"
                current.append(text[i + 1])
                i += 1
            elif char == '"':
                quoted = False
            else:
                current.append(char)
        elif char == '"':
            quoted = in_arg = True
        elif char == " ":
            if in_arg:
                args.append("".join(current))
                current, in_arg = [], False
        else:
            assert char not in "\t\n'\\><~|&;$*?#()`", f"unquoted reserved {char!r}"
            current.append(char)
            in_arg = True
        i += 1
    assert not quoted
    if in_arg:
        args.append("".join(current))
    return [arg.replace("%%", "%") for arg in args]


def test_entry_has_the_required_keys_and_absolute_exec(tmp_path: Path) -> None:
    command = launch_command()
    entry = parse_entry(render_desktop_entry(command, tmp_path / "icon.svg"))
    assert entry["Type"] == "Application"
    assert entry["Version"] == "1.4"
    assert entry["Name"] == "leadping-tui"
    assert entry["GenericName"] == "Phone-number warmup monitor"
    assert entry["Comment"]
    assert entry["Terminal"] == "true"
    assert entry["Categories"] == "Network;Monitor;"
    assert entry["Keywords"].endswith(";")
    assert entry["StartupNotify"] == "false"
    assert entry["Icon"] == str(tmp_path / "icon.svg")
    argv = split_exec(entry["Exec"])
    assert Path(argv[0]).is_absolute()
    assert argv[-1] == "--hold-on-error"
    assert entry["TryExec"] == argv[0]


def test_launch_command_prefers_the_script_beside_the_interpreter(tmp_path: Path) -> None:
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.write_text("")
    assert launch_command(str(python)) == [
        str(python),
        "-m",
        "leadping_tui",
        "--hold-on-error",
    ]
    script = bin_dir / "leadping-tui"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    assert launch_command(str(python)) == [str(script), "--hold-on-error"]


def test_launch_command_keeps_the_venv_symlink(tmp_path: Path) -> None:
    # Resolving a venv's python symlink would run the base interpreter without the venv.
    real = tmp_path / "base" / "python3"
    real.parent.mkdir()
    real.write_text("")
    link_dir = tmp_path / "venv" / "bin"
    link_dir.mkdir(parents=True)
    (link_dir / "python").symlink_to(real)
    assert launch_command(str(link_dir / "python"))[0] == str(link_dir / "python")


@pytest.mark.parametrize(
    "path",
    [
        "/home/ann/my tools/bin/leadping-tui",
        '/opt/a "quoted" dir/leadping-tui',
        "/opt/back\\slash/leadping-tui",
        "/opt/$HOME `x` & (y);/leadping-tui",
        "/opt/100% sure/leadping-tui",
        "/opt/café/leadping-tui",
    ],
)
def test_exec_quoting_round_trips(path: str) -> None:
    command = [path, "--hold-on-error"]
    value = exec_value(command)
    assert split_exec(value) == command
    if " " in path:
        assert value.startswith('"')


def test_exec_leaves_plain_paths_unquoted() -> None:
    assert exec_value(["/usr/bin/leadping-tui", "--hold-on-error"]) == (
        "/usr/bin/leadping-tui --hold-on-error"
    )


def test_control_characters_are_refused() -> None:
    with pytest.raises(DesktopEntryError, match="control character"):
        exec_value(["/opt/bad\nname/leadping-tui"])


@linux_only
def test_paths_follow_xdg_data_home(
    isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = desktop_paths()
    data = Path(os.environ["XDG_DATA_HOME"])
    assert paths.desktop_file == data / "applications" / "leadping-tui.desktop"
    assert paths.icon_file == data / "icons" / "hicolor" / "scalable" / "apps" / "leadping-tui.svg"
    # A relative XDG_DATA_HOME is invalid per the basedir spec and ignored.
    monkeypatch.setenv("XDG_DATA_HOME", "relative/dir")
    fallback = desktop_paths()
    assert fallback.desktop_file == Path.home() / ".local/share/applications/leadping-tui.desktop"


def test_paths_come_from_platformdirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # One source of truth for the user's data directory, not a second copy of the spec.
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_data_path", lambda *_a, **_k: tmp_path / "data")
    assert desktop_paths().desktop_file == tmp_path / "data/applications/leadping-tui.desktop"


@linux_only
def test_install_and_uninstall_round_trip(capsys: pytest.CaptureFixture[str]) -> None:
    paths = desktop_paths()
    assert desktop.run(argparse.Namespace(uninstall=False)) == 0
    out = capsys.readouterr().out
    assert str(paths.desktop_file) in out and str(paths.icon_file) in out
    entry = parse_entry(paths.desktop_file.read_text(encoding="utf-8"))
    assert entry["Icon"] == str(paths.icon_file)
    assert paths.icon_file.read_bytes().startswith(b"<?xml")
    assert b"<svg" in paths.icon_file.read_bytes()
    assert paths.desktop_file.stat().st_mode & 0o777 == 0o644
    # Installing twice just replaces the files.
    assert desktop.run(argparse.Namespace(uninstall=False)) == 0
    capsys.readouterr()

    assert desktop.run(argparse.Namespace(uninstall=True)) == 0
    out = capsys.readouterr().out
    assert f"Removed {paths.desktop_file}" in out
    assert f"Removed {paths.icon_file}" in out
    assert not paths.desktop_file.exists()
    assert not paths.icon_file.exists()

    assert desktop.run(argparse.Namespace(uninstall=True)) == 0
    assert "Nothing to remove" in capsys.readouterr().out


def test_uninstall_when_nothing_installed_returns_nothing() -> None:
    assert uninstall() == []


@linux_only
def test_unwritable_location_is_one_clear_line(
    isolated_user_dirs: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A file where the applications directory should be: fails even as root.
    blocker = isolated_user_dirs / "blocked"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert desktop.run(argparse.Namespace(uninstall=False)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("leadping-tui: Could not write ")
    assert str(blocker) in err


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="no desktop-file-utils")
@pytest.mark.parametrize("spaced", [False, True])
def test_desktop_file_validate_accepts_the_entry(tmp_path: Path, spaced: bool) -> None:
    command = launch_command()
    if spaced:
        command = [f'/opt/my tools/$x "q" 5%/{desktop_entry.APP_ID}', "--hold-on-error"]
    paths = install(
        desktop_entry.DesktopPaths(
            desktop_file=tmp_path / "apps" / "leadping-tui.desktop",
            icon_file=tmp_path / "icons" / "leadping-tui.svg",
        ),
        command,
    )
    tool = shutil.which("desktop-file-validate")
    assert tool is not None
    result = subprocess.run(
        [tool, str(paths.desktop_file)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()
