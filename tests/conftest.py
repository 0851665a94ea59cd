"""Shared fixtures.

Every test runs with its own XDG directories and without the developer's
LeadPing environment, so nothing here reads or writes a real user's files.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

#: The longest tests, longest first (from ``--durations``; the figures are seconds
#: on the 2-core machine while it was busy, only their order matters). They are
#: started first, so that a run does not end with one worker on a long test while
#: the other has nothing left to do. A test not listed keeps its place; an entry
#: that no longer names a test only loses its head start.
LONGEST_FIRST = (
    "test_focus.py::test_the_focused_pane_stands_out_in_every_theme",  # 91 (every theme)
    "test_benchmarks_smoke.py::test_smoke_run_writes_every_figure_and_prints_the_table",  # 53
    "test_layout.py::test_every_top_panel_fits_without_a_scrollbar",  # 31
    "test_history_off_loop.py::test_the_alert_log_is_written_and_read_on_the_history_thread",
    "test_history_off_loop.py::test_timeline_and_trends_are_read_from_the_history_thread",
    "test_keys_anywhere.py::test_watchlist_keys_work_whatever_has_focus",  # 28
    "test_dashboard_faults.py::test_a_failed_refresh_keeps_the_last_good_data_and_recovers_by_itself",
    "test_exporter.py::test_an_outage_keeps_the_last_values_and_moves_the_error_time",  # 23
    "test_dashboard.py::test_remove_reorder_and_relabel_are_saved",  # 22
    "test_property_payloads.py::test_every_panel_draws_any_payload",  # 21
    "test_layout.py::test_extra_height_goes_to_the_tabs_once_the_panels_fit",  # 19
    "test_dashboard.py::test_window_keys_change_what_is_asked_for_and_what_the_bar_says",  # 17
    "test_keys_anywhere.py::test_the_palette_finds_actions_by_their_words_and_numbers_by_digits_or_label",
    "test_refresh_keys.py::test_r_refreshes_at_once_while_backing_off_after_an_error",  # 16
    "test_alerts_like_with_like.py::test_browsing_date_ranges_raises_no_alert",  # 15
    "test_property_payloads.py::test_assess_always_gives_a_condition_and_reasons",  # 15
    "test_dashboard_faults.py::test_retry_after_wins_over_r_and_holds_every_number",  # 15
    "test_keys_anywhere.py::test_question_mark_shows_this_apps_keys_and_the_footer_keeps_it",
    "test_app_resilience.py::test_resizing_to_tiny_and_back_never_crashes",  # 15
    "test_row_details.py::test_hostile_text_in_a_change_and_an_alert_is_shown_whole_and_inert",
    "test_focus.py::test_tab_and_shift_tab_walk_the_panes_in_order_and_back",  # 12
    "test_dashboard.py::test_event_log_filter_detail_and_a_refresh_keeps_the_selected_row",  # 14
    "test_property_payloads.py::test_status_report_output_is_terminal_safe",  # 14
    "test_query_limits.py::test_dialog_sends_a_long_window_and_the_dashboard_shows_the_apis_400",
    "test_keys_anywhere.py::test_the_palette_lists_each_action_once_whatever_has_focus",  # 13
    "test_property_payloads.py::test_twenty_thousand_events_and_actions_draw_bounded",  # 12
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under xdist, put the tests in ``LONGEST_FIRST`` at the front, in its order.

    Every worker collects and sorts alike, and ``--dist loadgroup`` hands out
    the tests in this order (after the ``xdist_group`` modules, which it sends
    first, whole), so the long ones start early and the run ends on short ones.
    In one process (``-n 0``) the order is left alone: it would gain nothing
    there and would set module fixtures up twice.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    last = len(rank)

    def place(item: pytest.Item) -> int:
        # "tests/test_x.py::test_y[param]" -> "test_x.py::test_y"
        name = item.nodeid.rsplit("/", 1)[-1].split("[", 1)[0]
        return rank.get(name, last)

    items.sort(key=place)


#: The collector's thresholds for the test process. Each test builds a Textual
#: app of some 60 widgets, and the process holds ~300,000 objects (Textual's and
#: Rich's caches, the modules), so with the default (700, 10, 10) the collector
#: ran ~6,700 times in test_keys_anywhere.py and took 12 s of its 42 s of CPU.
#: Counting 10,000 allocations before a young collection and freezing what
#: collection loaded leaves the same garbage collected, just less often.
GC_THRESHOLDS = (10_000, 10, 10)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze the objects loaded by collection and make collections rarer."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


@pytest.fixture(autouse=True)
def isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        path = home / name.lower()
        path.mkdir()
        monkeypatch.setenv(name, str(path))
    monkeypatch.setenv("HOME", str(home))
    for name in ("LEADPING_API_KEY", "LEADPING_BASE_URL", "NO_COLOR", "TMUX"):
        monkeypatch.delenv(name, raising=False)
    # Tests that run the CLI in-process install the redacting excepthooks;
    # put the originals back so each test starts clean.
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    yield home


@pytest.fixture(autouse=True)
def recorded_notices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every app's notices, for ``app_harness.notices(app)``."""
    from app_harness import record_notices

    record_notices(monkeypatch)


@pytest.fixture(scope="session")
def simulator() -> Iterator[Any]:
    """One loopback simulator for the session; tests clear faults they set."""
    from leadping_tui.simulator import Simulator

    with Simulator(shape="sdk") as sim:
        yield sim


@pytest.fixture
def sim(simulator: Any) -> Iterator[Any]:
    """The shared simulator, reset to the sdk shape with no faults, holds or recorded requests."""
    simulator.faults.clear()
    simulator.shape = "sdk"
    simulator.clear_requests()
    yield simulator
    simulator.holds.release_all()
    simulator.faults.clear()
    simulator.shape = "sdk"
