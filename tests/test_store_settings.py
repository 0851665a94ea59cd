"""Settings: defaults, environment, forgiving loading, merging saves, masking."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from leadping_tui.store.settings import (
    AlertSettings,
    ConfigProblem,
    Settings,
    SettingsWriteError,
    load_settings,
    mask_secret,
)
from leadping_tui.store.settings_report import effective_settings_report, field_docs
from leadping_tui.store.settings_save import save_settings, update_settings

KEY = "sk_live_abcdef1234567890"


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.toml"


def test_missing_file_gives_defaults_without_problems(settings_path: Path) -> None:
    loaded = load_settings(settings_path, env={})
    assert loaded.settings == Settings()
    assert loaded.problems == []
    assert loaded.api_key_source is None
    assert not loaded.file_exists
    assert loaded.settings.base_url == "https://api.leadping.ai"
    assert loaded.settings.refresh_seconds == 30
    assert loaded.settings.alerts.desktop == "off"
    assert not settings_path.parent.exists()


def test_every_field_has_a_docstring() -> None:
    for model in (Settings, AlertSettings):
        docs = field_docs(model)
        for name in model.model_fields:
            assert docs.get(name), f"{model.__name__}.{name} has no docstring"
    # Read from the source for the report only, not by pydantic at every start-up.
    assert Settings.model_fields["refresh_seconds"].description is None
    report = effective_settings_report(load_settings(Path("/nonexistent/settings.toml"), env={}))
    assert "# Seconds between refreshes of the number you are looking at (at least 5)." in report
    assert field_docs(Settings)["use_listing"] == (
        "Refresh the other watchlist numbers from the organisation listing (100 per request)\n"
        "when the key may list; off polls each number's status on its own."
    )


def test_file_values_apply_and_env_wins(settings_path: Path) -> None:
    settings_path.parent.mkdir()
    write(
        settings_path,
        f'api_key = "{KEY}"\nbase_url = "https://file.example/"\nrefresh_seconds = 10\n'
        'timezone = "Europe/Paris"\n[alerts]\nbell = false\n[keys]\nrefresh = "r,f5"\n',
    )
    loaded = load_settings(settings_path, env={})
    assert loaded.problems == []
    assert loaded.api_key_source == "file"
    assert loaded.base_url_source == "file"
    assert loaded.settings.api_key_value() == KEY
    assert loaded.settings.base_url == "https://file.example"
    assert loaded.settings.refresh_seconds == 10
    assert loaded.settings.alerts.bell is False
    assert loaded.settings.keys == {"refresh": "r,f5"}

    env = {
        "LEADPING_API_KEY": " sk_env_0987654321abcd ",
        "LEADPING_BASE_URL": "http://127.0.0.1:8080",
    }
    loaded = load_settings(settings_path, env=env)
    assert loaded.settings.api_key_value() == "sk_env_0987654321abcd"
    assert loaded.api_key_source == "env"
    assert loaded.settings.base_url == "http://127.0.0.1:8080"
    assert loaded.base_url_source == "env"


def test_process_environment_is_read_by_default(
    settings_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEADPING_API_KEY", KEY)
    loaded = load_settings(settings_path)
    assert loaded.api_key_source == "env"
    assert loaded.settings.api_key_value() == KEY


def test_bad_env_values_are_reported_and_ignored(settings_path: Path) -> None:
    bad_key = "sk_live_has space123456"
    loaded = load_settings(
        settings_path, env={"LEADPING_API_KEY": bad_key, "LEADPING_BASE_URL": "ftp://x"}
    )
    assert loaded.api_key_source is None
    assert loaded.settings.base_url == "https://api.leadping.ai"
    assert [p.key for p in loaded.problems] == ["LEADPING_API_KEY", "LEADPING_BASE_URL"]
    assert all(p.path is None for p in loaded.problems)
    assert str(loaded.problems[1]).startswith("environment: LEADPING_BASE_URL")
    assert all(bad_key not in str(p) for p in loaded.problems)


def test_syntax_error_names_file_and_line_keeps_defaults_and_file(settings_path: Path) -> None:
    settings_path.parent.mkdir()
    original = 'theme = "nord"\nrefresh_seconds = 10\nbroken = = 3\n'
    write(settings_path, original)
    loaded = load_settings(settings_path, env={})
    assert loaded.settings == Settings()
    assert len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert problem.path == settings_path
    assert problem.line == 3
    assert str(problem).startswith(f"{settings_path}:3: TOML syntax error")
    assert loaded.backup is None
    assert settings_path.read_text() == original
    assert list(settings_path.parent.iterdir()) == [settings_path]


def test_unknown_key_named_with_line_and_suggestion(settings_path: Path) -> None:
    settings_path.parent.mkdir()
    text = 'theme = "nord"\n\n# comment\nrefersh_seconds = 10\n[alerts]\nbel = false\n'
    write(settings_path, text)
    loaded = load_settings(settings_path, env={})
    assert loaded.settings.theme == "nord"
    assert loaded.settings.refresh_seconds == 30
    messages = [str(p) for p in loaded.problems]
    assert messages == [
        f"{settings_path}:4: unknown key 'refersh_seconds' (ignored; "
        "did you mean 'refresh_seconds'?)",
        f"{settings_path}:6: unknown key 'alerts.bel' (ignored; did you mean 'bell'?)",
    ]
    assert loaded.problems[1].key == "alerts.bel"


def test_invalid_values_fall_back_per_key(settings_path: Path) -> None:
    settings_path.parent.mkdir()
    text = (
        "refresh_seconds = 2\n"
        "requests_per_minute = 301\n"
        'timezone = "Mars/Olympus"\n'
        'theme = "nord"\n'
        'alerts = { desktop = "osc8", bell = false }\n'
        '[keys]\nrefresh = "r"\nquit = ""\n'
    )
    write(settings_path, text)
    loaded = load_settings(settings_path, env={})
    s = loaded.settings
    assert (s.refresh_seconds, s.requests_per_minute, s.timezone) == (30, 30, "local")
    assert s.theme == "nord"
    assert s.alerts.bell is False and s.alerts.desktop == "off"
    assert s.keys == {"refresh": "r"}
    by_key = {p.key: p for p in loaded.problems}
    assert set(by_key) == {
        "refresh_seconds",
        "requests_per_minute",
        "timezone",
        "alerts.desktop",
        "keys.quit",
    }
    assert by_key["refresh_seconds"].line == 1
    assert "greater than or equal to 5" in by_key["refresh_seconds"].message
    assert by_key["timezone"].line == 3
    assert by_key["alerts.desktop"].line == 5
    assert by_key["keys.quit"].line == 8


def test_wrong_type_for_a_table(settings_path: Path) -> None:
    settings_path.parent.mkdir()
    write(settings_path, 'alerts = "loud"\ntheme = "nord"\n')
    loaded = load_settings(settings_path, env={})
    assert loaded.settings.alerts == AlertSettings()
    assert loaded.settings.theme == "nord"
    assert [(p.key, p.line) for p in loaded.problems] == [("alerts", 1)]


def test_binary_file_is_reported(settings_path: Path) -> None:
    settings_path.parent.mkdir()
    settings_path.write_bytes(b'theme = "x"\n\xff\xfe\x00garbage')
    loaded = load_settings(settings_path, env={})
    assert loaded.settings == Settings()
    assert len(loaded.problems) == 1
    assert loaded.problems[0].line == 2
    assert "not UTF-8" in loaded.problems[0].message


def test_unreadable_path_is_reported(settings_path: Path) -> None:
    settings_path.mkdir(parents=True)  # a directory where the file should be
    loaded = load_settings(settings_path, env={})
    assert loaded.settings == Settings()
    assert len(loaded.problems) == 1
    assert "cannot read" in loaded.problems[0].message


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_permissions_are_reported(settings_path: Path) -> None:
    settings_path.parent.mkdir()
    write(settings_path, 'theme = "nord"\n', mode=0o000)
    loaded = load_settings(settings_path, env={})
    assert loaded.settings.theme == "textual-dark"
    assert "cannot read" in loaded.problems[0].message


def test_readable_key_file_warns_with_chmod_fix(settings_path: Path) -> None:
    settings_path.parent.mkdir()
    write(settings_path, f'theme = "nord"\napi_key = "{KEY}"\n', mode=0o644)
    loaded = load_settings(settings_path, env={})
    assert loaded.settings.api_key_value() == KEY  # still usable
    [problem] = loaded.problems
    assert problem.line == 2
    assert f"chmod 600 {settings_path}" in problem.message
    write(settings_path, 'theme = "nord"\n', mode=0o644)
    assert load_settings(settings_path, env={}).problems == []


def test_api_key_never_shown_whole(settings_path: Path) -> None:
    settings_path.parent.mkdir()
    write(settings_path, f'api_key = "{KEY}"\nrefersh = 1\n', mode=0o640)
    loaded = load_settings(settings_path, env={})
    report = effective_settings_report(loaded)
    assert KEY not in report
    assert "sk_…7890" in report
    assert "from the settings file" in report
    assert "refersh" in report  # problems are listed
    assert all(KEY not in str(p) and KEY not in p.message for p in loaded.problems)
    assert KEY not in repr(loaded.settings)
    # An invalid key in the file: the error never echoes it.
    bad = "sk_live_with\ttab_0123456789"
    write(settings_path, f'api_key = "{bad}"\n')
    loaded = load_settings(settings_path, env={"LEADPING_API_KEY": bad})
    assert len(loaded.problems) == 2
    text = "\n".join(str(p) for p in loaded.problems) + effective_settings_report(loaded)
    assert bad not in text and "with\ttab" not in text
    # Nor does a write error.
    with pytest.raises(SettingsWriteError) as caught:
        update_settings(settings_path, api_key=bad)
    assert bad not in str(caught.value)


def test_report_without_file(settings_path: Path) -> None:
    report = effective_settings_report(load_settings(settings_path, env={}))
    assert str(settings_path) in report
    assert "not created yet" in report
    assert "LEADPING_API_KEY" in report
    assert "# api_key = (not set)" in report
    assert 'theme = "textual-dark"' in report
    assert "[alerts]" in report


def test_update_settings_merges_and_keeps_other_edits(settings_path: Path) -> None:
    update_settings(settings_path, theme="nord")
    assert stat.S_IMODE(settings_path.stat().st_mode) == 0o600
    # Another instance (or the user) edits other keys meanwhile.
    with settings_path.open("a") as handle:
        handle.write('refresh_seconds = 12\nmystery = "kept"\n[alerts]\nbell = false\n')
    loaded = update_settings(settings_path, theme="gruvbox", alerts={"desktop": "osc9"})
    s = loaded.settings
    assert s.theme == "gruvbox"
    assert s.refresh_seconds == 12
    assert s.alerts.bell is False and s.alerts.desktop == "osc9"
    assert "mystery" in settings_path.read_text()  # not ours to delete
    assert [p.key for p in loaded.problems] == ["mystery"]


def test_update_settings_rejects_bad_values_and_leaves_file(settings_path: Path) -> None:
    update_settings(settings_path, theme="nord")
    before = settings_path.read_text()
    with pytest.raises(SettingsWriteError, match="refresh_seconds"):
        update_settings(settings_path, refresh_seconds=1)
    with pytest.raises(SettingsWriteError, match="did you mean 'theme'"):
        update_settings(settings_path, them="x")
    assert settings_path.read_text() == before


def test_update_refuses_to_clobber_a_broken_file(settings_path: Path) -> None:
    settings_path.parent.mkdir()
    write(settings_path, "theme = \n")
    with pytest.raises(SettingsWriteError, match=r"settings.toml:1"):
        update_settings(settings_path, theme="nord")
    assert settings_path.read_text() == "theme = \n"


def test_api_key_written_only_explicitly(settings_path: Path) -> None:
    env = {"LEADPING_API_KEY": KEY}
    loaded = load_settings(settings_path, env=env)
    changed = loaded.settings.model_copy(update={"theme": "nord"})
    save_settings(settings_path, changed, base=loaded.settings)
    assert KEY not in settings_path.read_text()
    assert "api_key" not in settings_path.read_text()
    update_settings(settings_path, api_key=KEY)
    assert f'api_key = "{KEY}"' in settings_path.read_text()
    # Kept on later saves of other fields...
    save_settings(settings_path, changed.model_copy(update={"theme": "x"}))
    assert KEY in settings_path.read_text()
    # ...and removed only on request.
    update_settings(settings_path, api_key=None)
    assert "api_key" not in settings_path.read_text()


def test_save_settings_writes_only_changed_fields(settings_path: Path) -> None:
    mine = load_settings(settings_path, env={}).settings
    update_settings(settings_path, refresh_seconds=20)  # a concurrent edit
    edited = mine.model_copy(
        update={"theme": "nord", "alerts": mine.alerts.model_copy(update={"bell": False})}
    )
    loaded = save_settings(settings_path, edited, base=mine)
    assert loaded.settings.theme == "nord"
    assert loaded.settings.alerts.bell is False
    assert loaded.settings.refresh_seconds == 20
    text = settings_path.read_text()
    assert "background_refresh_seconds" not in text  # untouched defaults stay out


@pytest.mark.parametrize(
    ("secret", "masked"),
    [
        ("sk_live_abcdef1234", "sk_…1234"),
        ("sk_test_0123456789abcdef", "sk_…cdef"),
        ("eyJhbGciOiJIUzI1NiJ9.payload.sig1", "eyJ…sig1"),
        ("verylongprefix_abcdef", "ver…cdef"),
        ("short1234", "…34"),
        ("abc", "…"),
        ("", "(empty)"),
        (None, "(not set)"),
    ],
)
def test_mask_secret(secret: str | None, masked: str) -> None:
    assert mask_secret(secret) == masked
    if secret and len(secret) > 4:
        assert secret not in mask_secret(secret)


def test_config_problem_str() -> None:
    problem = ConfigProblem(Path("/x/settings.toml"), 12, "k", "unknown key 'k'")
    assert str(problem) == "/x/settings.toml:12: unknown key 'k'"
    assert str(ConfigProblem(Path("/x/settings.toml"), None, None, "m")) == "/x/settings.toml: m"


def test_a_non_ascii_key_is_refused_without_echoing_it(settings_path: Path) -> None:
    settings_path.parent.mkdir()
    write(settings_path, 'api_key = "sk_live_caf\u00e9_secret_99"\n')
    loaded = load_settings(settings_path, env={})
    assert loaded.settings.api_key is None
    assert any("ASCII" in str(problem) for problem in loaded.problems)
    assert all("secret_99" not in str(problem) for problem in loaded.problems)


COMMENTED = """\
# My LeadPing settings: the comments explain why each value is what it is.

# Dark rooms at night.
theme = "nord"  # trailing note on the theme
refresh_seconds = 45   # slow: shared API budget

# [alerts] below is tuned for the night shift.
[alerts]
# Ringing the bell wakes the dog.
bell = false
"""


def test_a_theme_change_keeps_comments_and_layout(settings_path: Path) -> None:
    settings_path.parent.mkdir(parents=True)
    write(settings_path, COMMENTED)
    update_settings(settings_path, theme="gruvbox")
    text = settings_path.read_text(encoding="utf-8")
    # Only the theme's value changed; every comment, blank line and spacing stays.
    assert text == COMMENTED.replace('theme = "nord"', 'theme = "gruvbox"')


def test_saves_of_other_settings_keep_comments(settings_path: Path) -> None:
    settings_path.parent.mkdir(parents=True)
    write(settings_path, COMMENTED)
    base = load_settings(settings_path).settings
    mine = base.model_copy(
        update={"alerts": base.alerts.model_copy(update={"desktop": "osc9"}), "timezone": "UTC"}
    )
    save_settings(settings_path, mine, base=base)
    text = settings_path.read_text(encoding="utf-8")
    for line in COMMENTED.splitlines():
        assert line in text
    loaded = load_settings(settings_path)
    assert loaded.problems == []
    assert loaded.settings.alerts.desktop == "osc9"
    assert loaded.settings.alerts.bell is False
    assert loaded.settings.timezone == "UTC"


def test_the_config_edit_template_survives_a_theme_change(settings_path: Path) -> None:
    from leadping_tui.commands.config import TEMPLATE

    settings_path.parent.mkdir(parents=True)
    write(settings_path, TEMPLATE)
    update_settings(settings_path, theme="nord")
    text = settings_path.read_text(encoding="utf-8")
    assert text.startswith(TEMPLATE)
    assert load_settings(settings_path).settings.theme == "nord"


def test_deeply_nested_settings_are_a_problem_not_a_crash(tmp_path: Path) -> None:
    from leadping_tui.store.settings import load_settings

    path = tmp_path / "settings.toml"
    path.write_text("theme = 'nord'\nkeys = " + "[" * 100_000 + "]" * 100_000 + "\n")
    loaded = load_settings(path, env={})
    assert loaded.settings.theme == "textual-dark"  # defaults for everything
    assert any("nested too deeply" in problem.message for problem in loaded.problems)
    assert path.read_text().startswith("theme = 'nord'"), "the file is left for the user"
