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

# pytest keeps each test module's rewritten (assert-explaining) bytecode in
# __pycache__, unless writing bytecode is off. Some environments turn it off
# (PYTHONDONTWRITEBYTECODE=1, as on the 2-core CI machine); then every xdist
# worker rewrote all test modules again at every run: 3.7 s of CPU each, while
# the workers start and nothing else runs. The test modules load after this file.
sys.dont_write_bytecode = False

#: The longest tests, longest first (from ``--durations`` of a whole run; the
#: figures are seconds on the 2-core machine while other work loaded it, only
#: their order matters; "×n": the test has n parameters about as long). They are
#: started first, so that a run does not end with one worker on a long test while
#: the other has nothing left to do. A test not listed keeps its place; an entry
#: that no longer names a test only loses its head start.
LONGEST_FIRST = (
    "test_property_payloads.py::test_every_panel_draws_any_payload",  # 17 ×2
    "test_focus.py::test_the_focused_pane_stands_out_in_every_theme",  # 12 (every theme)
    "test_exporter_units.py::test_requests_never_exceed_the_budget_in_a_simulated_quarter_hour",
    "test_benchmarks_smoke.py::test_smoke_run_writes_every_figure_and_prints_the_table",  # 5-10 ×8
    "test_dashboard.py::test_window_keys_change_what_is_asked_for_and_what_the_bar_says",  # 9
    "test_exporter.py::test_an_outage_keeps_the_last_values_and_moves_the_error_time",  # 7
    "test_app_resilience.py::test_resizing_to_tiny_and_back_never_crashes",  # 7
    "test_dashboard_faults.py::test_a_failed_refresh_keeps_the_last_good_data_and_recovers_by_itself",
    "test_layout.py::test_every_top_panel_fits_without_a_scrollbar",  # 5-7 ×4
    "test_keys_anywhere.py::test_watchlist_keys_work_whatever_has_focus",  # 4-6 ×7
    "test_fleet_view.py::test_enter_on_a_number_the_sidebar_filter_hides_clears_the_filter",  # 6
    "test_row_details.py::test_hostile_text_in_a_change_and_an_alert_is_shown_whole_and_inert",
    "test_hostile_text.py::test_wide_characters_and_long_lines_keep_the_layout",  # 6
    "test_dashboard.py::test_remove_reorder_and_relabel_are_saved",  # 6
    "test_store_crash.py::test_sigkill_mid_write_leaves_old_or_new_content",  # 5
    "test_dashboard.py::test_event_log_filter_detail_and_a_refresh_keeps_the_selected_row",  # 5
    "test_hostile_text.py::test_markup_lookalikes_are_shown_as_typed_and_never_act",  # 5
    "test_keys_anywhere.py::test_the_palette_lists_each_action_once_whatever_has_focus",  # 5
    "test_keys_anywhere.py::test_question_mark_shows_this_apps_keys_and_the_footer_keeps_it",
    "test_layout.py::test_extra_height_goes_to_the_tabs_once_the_panels_fit",  # 5 ×2
    "test_dashboard_sort_filter.py::test_f_filters_by_condition",  # 5
    "test_keys_anywhere.py::test_the_palette_finds_actions_by_their_words_and_numbers_by_digits_or_label",
    "test_exporter.py::test_organisation_watches_the_whole_listing_in_three_requests",  # 5
    "test_fleet_view.py::test_listing_columns_and_round_to_round_movement",  # 5
    "test_dashboard_faults.py::test_retry_after_wins_over_r_and_holds_every_number",  # 5
    "test_focus.py::test_the_tab_order_follows_the_tab_shown_and_a_hidden_sidebar",  # 5
)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: two workers per core (4 on 2 cores).

    About a third of an app test's wall time is spent waiting (on the loopback
    simulator, a timer, a subprocess, Pilot's idle wait), so one worker per
    core leaves cores idle. On the 2-core machine (3 December 2026, quiet,
    same code): 3 workers 3:03 and 3:00, 4 workers 2:50 and 2:41, 5 workers
    2:42, with about the same CPU in all (307-323 s). Earlier, with each app
    parsing its CSS again, 4 gained nothing over 3.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(2, 2 * cores)


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


#: A flake finder, off unless set: ``LEADPING_TEST_PILOT_STEP=0.002 python -m pytest``
#: makes Pilot's wait for an idle app step 2 ms at a time instead of 20 ms
#: (``textual_compat.shorten_pilot_idle_wait``), so that a test that trusts one
#: ``pilot.press``/``pilot.pause`` to have finished work fails here, not now and
#: then on a busy machine. Tests should pass with it as without it.
#:
#: A second one is Textual's own ``TEXTUAL_FPS=5 python -m pytest``: 5 frames a
#: second instead of 60. A test that reads the screen (or a scroll, a focus
#: given after a draw) right after one ``pilot.pause`` trusts a frame to have
#: come within that pause; here it fails. Wait with ``app_harness.drawn``. The
#: two together (``TEXTUAL_FPS=2`` and a 2 ms step) passed on 4 December 2026.
PILOT_STEP_VARIABLE = "LEADPING_TEST_PILOT_STEP"


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Share parsed CSS between the apps of this process, freeze the objects
    loaded by collection and make collections rarer.

    Each test builds an app, and each app parsed all its CSS again (~25 ms);
    ``textual_compat.share_parsed_css`` parses each source once per theme.
    """
    from leadping_tui.ui.textual_compat import share_parsed_css, shorten_pilot_idle_wait

    share_parsed_css()
    step = os.environ.get(PILOT_STEP_VARIABLE)
    if step:
        shorten_pilot_idle_wait(float(step))
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Let go of the style caches of the test's widgets, now gone.

    Textual keeps up to 1,024 widgets' style caches, with every line they
    drew, after the widgets are gone (``textual_compat.release_style_caches``).
    Across a worker's tests that is ~200,000 objects that every later full
    collection scans: releasing them cut the CPU of test_dashboard.py and
    test_keys_anywhere.py by 8-10 %.
    """
    from leadping_tui.ui.textual_compat import release_style_caches

    release_style_caches()


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
