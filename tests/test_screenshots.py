"""The README screenshots generator: every picture, valid SVG, the right content, no key."""

from __future__ import annotations

import os
import secrets
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from leadping_tui.demo import screenshots
from leadping_tui.demo.screenshots import (
    EXAMPLE_HOME,
    FIXED_NOW,
    default_shots,
    frozen_time,
    generate,
)
from leadping_tui.times import clock, timefmt
from leadping_tui.ui.screens import dashboard_actions

# One worker runs this module, so its module fixture (the expensive part) runs once.
pytestmark = pytest.mark.xdist_group("screenshots")

SVG = "{http://www.w3.org/2000/svg}"
# The names the README and the docs link to.
EXPECTED = {
    "dashboard-healthy",
    "dashboard-attention",
    "dashboard-blocked",
    "dashboard-stale",
    "dashboard-compact",
    "first-run",
    "add-number",
    "event-detail",
    "raw-json",
    "fleet-view",
}
# Unguessable, so finding any piece of it in a picture means it leaked.
KEY = f"sk_live_{secrets.token_hex(12)}"


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    home_existed = EXAMPLE_HOME.exists()
    out = tmp_path_factory.mktemp("screenshots")
    written = generate(out, api_key=KEY)
    assert home_existed or not EXAMPLE_HOME.exists(), "the first-run picture wrote a file"
    yield {path.stem: path for path in written}


def screen_lines(path: Path) -> list[str]:
    """The terminal text of an exported SVG, one string per row, spaces restored."""
    root = ET.parse(path).getroot()
    pieces: list[tuple[float, float, float, str]] = []
    for node in root.iter(f"{SVG}text"):
        length = node.get("textLength")
        if length is None or not node.text or "clip-path" not in node.attrib:
            continue
        text = node.text.replace("\xa0", " ")
        pieces.append((float(node.get("y", 0)), float(node.get("x", 0)), float(length), text))
    cell = min(length / len(text) for _, _, length, text in pieces)
    left = min(x for _, x, _, _ in pieces)
    rows: dict[float, dict[int, str]] = defaultdict(dict)
    for y, x, _, text in pieces:
        column = round((x - left) / cell)
        for offset, char in enumerate(text):
            rows[y][column + offset] = char
    return [
        "".join(row.get(column, " ") for column in range(max(row) + 1)).rstrip()
        for _, row in sorted(rows.items())
    ]


def test_every_picture_is_written(pictures: dict[str, Path]) -> None:
    assert set(pictures) == EXPECTED
    for path in pictures.values():
        assert path.suffix == ".svg"
        assert path.stat().st_size > 1000


@pytest.mark.parametrize("shot", default_shots(), ids=lambda shot: shot.name)
def test_picture_is_valid_svg_showing_what_it_should(
    pictures: dict[str, Path], shot: screenshots.Shot
) -> None:
    path = pictures[shot.name]
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    text = "\n".join(screen_lines(path))
    assert shot.expect
    for expected in shot.expect:
        assert expected in text, f"{shot.name}: {expected!r} not on screen"
    # A picture taken before the data arrived would say so.
    assert "LOADING" not in text
    assert "not loaded yet" not in text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_key_in_any_picture(pictures: dict[str, Path], name: str) -> None:
    raw = pictures[name].read_text(encoding="utf-8")
    text = "\n".join(screen_lines(pictures[name]))
    for piece in (KEY, KEY[8:], KEY[-10:]):
        assert piece not in raw
        assert piece not in text.replace("\n", "")


def test_sizes(pictures: dict[str, Path]) -> None:
    """The compact picture really is 80x24 and the main ones 120 columns wide."""
    assert max(len(line) for line in screen_lines(pictures["dashboard-compact"])) <= 80
    assert len(screen_lines(pictures["dashboard-compact"])) == 24
    assert len(screen_lines(pictures["dashboard-healthy"])) == 40


def test_pictures_are_reproducible(tmp_path: Path, pictures: dict[str, Path]) -> None:
    shots = [shot for shot in default_shots() if shot.name in {"dashboard-stale", "raw-json"}]
    again = generate(tmp_path, shots, api_key=KEY)
    for path in again:
        assert path.read_bytes() == pictures[path.stem].read_bytes(), path.name


def test_first_run_shows_an_example_path_not_a_temp_dir(pictures: dict[str, Path]) -> None:
    text = "\n".join(screen_lines(pictures["first-run"]))
    assert f"{EXAMPLE_HOME}/.config/leadping-tui/settings.toml" in text
    assert "/tmp" not in text


def test_frozen_time_freezes_and_restores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        with frozen_time():
            assert clock.now_utc() == FIXED_NOW
            assert dashboard_actions._today() == FIXED_NOW.date()
            assert time.tzname[0] == "UTC"
            assert timefmt.zone_label(timefmt.resolve_timezone("local")) == "UTC"
        assert clock.now_utc() != FIXED_NOW
        assert os.environ["TZ"] == "America/New_York"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_help_names_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        screenshots.main(["--help"])
    assert exit_info.value.code == 0
    assert "python -m leadping_tui.demo.screenshots" in capsys.readouterr().out
