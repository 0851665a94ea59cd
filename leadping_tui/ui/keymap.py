"""Every key of the dashboard, in one table.

The dashboard's and the app's ``BINDINGS``, the ``?`` help screen, the
command palette and the README's key table are all made from :data:`KEYS`,
so they cannot disagree.  Screen-wide actions are bound on the dashboard
screen (they work whatever has focus, except while typing in a box); rows
without an action are handled by a widget (arrows, Enter, Tab) and are here
only to be documented.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType

GROUPS = ("Watchlist", "Refresh", "Window", "View", "Data", "App")


@dataclass(frozen=True)
class KeySpec:
    """One action and its keys."""

    id: str
    """Binding id: what ``[keys]`` in the settings file remaps."""
    keys: str
    """Textual key names, comma separated; empty for keys a widget handles."""
    action: str
    description: str
    """Short, for the footer and the palette."""
    group: str
    help: str
    """What it does, for the help screen and the README."""
    display: str = ""
    """The keys as written for people, when Textual's names are not the clearest."""
    footer: bool = False
    words: str = ""
    """More words the command palette should find this by."""
    owner: str = "screen"
    """"screen" (the dashboard), "app" or "widget" (documented only)."""

    @property
    def key_list(self) -> list[str]:
        return [key.strip() for key in self.keys.split(",") if key.strip()]


# fmt: off
KEYS: tuple[KeySpec, ...] = (
    # Help first: the footer lists in this order, so `?` survives a narrow terminal.
    KeySpec(
        "help", "question_mark", "show_help", "Keys", "App", "this list of keys", "?", True,
        "help shortcuts",
    ),
    KeySpec(
        "watchlist.navigate", "", "", "Move", "Watchlist",
        "move through the watchlist / select a number", "↑ ↓ Enter", owner="widget",
    ),
    KeySpec(
        "watchlist.add", "a", "add_number", "Add number", "Watchlist", "add a number", "a",
        True, "new watch phone",
    ),
    KeySpec(
        "watchlist.label", "l", "edit_label", "Label", "Watchlist",
        "edit the selected number's label", "l", True, "rename name",
    ),
    KeySpec(
        "watchlist.remove", "delete,backspace", "remove_number", "Remove", "Watchlist",
        "remove the selected number (asks first)", "Del Bksp", False, "delete",
    ),
    KeySpec(
        "watchlist.move_up", "shift+up,K", "move_number(-1)", "Move up", "Watchlist",
        "move the selected number up the list", "Shift+↑ K", words="reorder",
    ),
    KeySpec(
        "watchlist.move_down", "shift+down,J", "move_number(1)", "Move down", "Watchlist",
        "move the selected number down the list", "Shift+↓ J", words="reorder",
    ),
    KeySpec(
        "watchlist.sort", "o", "cycle_order", "Sort", "Watchlist",
        "sort the watchlist: worst first, score, progress, label, your own order", "o",
        words="order",
    ),
    KeySpec(
        "watchlist.filter", "f", "filter_watchlist", "Filter numbers", "Watchlist",
        "filter the watchlist by number, label or condition (!crit, !warn, !bad, !alert)",
        "f", words="search find numbers",
    ),
    KeySpec(
        "watchlist.filter.clear", "escape", "clear_filter", "Clear filter", "Watchlist",
        "clear the watchlist filter", "Esc", owner="widget",
    ),
    KeySpec(
        "fleet.import", "i", "import_organisation", "Import org", "Watchlist",
        "import the organisation's numbers into the watchlist", "i",
        words="organisation fleet listing all numbers",
    ),
    KeySpec(
        "fleet.remove_gone", "G", "remove_gone", "Remove gone numbers", "Watchlist",
        "remove the numbers the organisation no longer lists (asks first)", "G",
        words="organisation fleet listing prune",
    ),
    KeySpec(
        "fleet.show", "F", "show_fleet", "Fleet", "Watchlist",
        "the Fleet view: every number in one table, sortable by column", "F",
        words="organisation all numbers table overview",
    ),
    KeySpec(
        "sidebar.toggle", "s", "toggle_sidebar", "Sidebar", "Watchlist",
        "show or hide the watchlist", "s", words="hide watchlist",
    ),
    KeySpec(
        "refresh", "r", "refresh", "Refresh", "Refresh",
        "refresh the selected number now", "r", True, "reload update poll",
    ),
    KeySpec(
        "pause", "p", "toggle_pause", "Pause", "Refresh",
        "pause or resume auto-refresh", "p", True, "resume auto-refresh",
    ),
    KeySpec(
        "interval.longer", "plus", "interval(1)", "Slower refresh", "Refresh",
        "refresh less often (the interval is saved)", "+", words="interval auto-refresh",
    ),
    KeySpec(
        "interval.shorter", "minus", "interval(-1)", "Faster refresh", "Refresh",
        "refresh more often (down to the minimum the budget allows)", "-",
        words="interval auto-refresh",
    ),
    KeySpec(
        "window.next", "w", "window(1)", "Window+", "Window",
        "next window preset (1, 7, 14, 30, 90 days)", "w", True, "days metrics period",
    ),
    KeySpec(
        "window.previous", "W", "window(-1)", "Window-", "Window",
        "previous window preset", "W", words="days metrics period",
    ),
    KeySpec(
        "range.back", "left_square_bracket", "shift(-1)", "◀ Range", "Window",
        "shift the date range back by its own length", "[", words="window dates earlier",
    ),
    KeySpec(
        "range.forward", "right_square_bracket", "shift(1)", "Range ▶", "Window",
        "shift the date range forward by its own length", "]", words="window dates later",
    ),
    KeySpec(
        "range.dialog", "d", "date_range", "Dates", "Window", "pick a date range", "d", True,
        "window from to calendar",
    ),
    KeySpec(
        "window.reset", "t", "reset_window", "Reset window", "Window",
        "back to the default window", "t", words="default",
    ),
    KeySpec(
        "events.show", "1", "show_tab('tab-events')", "Events", "View",
        "jump to the event log", "1", words="messages log tab",
    ),
    KeySpec(
        "actions.show", "2", "show_tab('tab-actions')", "Warmup actions", "View",
        "jump to the warmup actions", "2", words="warmup tab",
    ),
    KeySpec(
        "trend.show", "3", "show_tab('tab-trend')", "Traffic trend", "View",
        "jump to the traffic trend: every bucket, sent and failed", "3",
        words="trend traffic buckets sms mms calls tab",
    ),
    KeySpec(
        "timeline.show", "4,T", "show_tab('tab-timeline')", "Timeline", "View",
        "jump to the timeline of state changes", "4 T", words="history states tab",
    ),
    KeySpec(
        "alerts.show", "5,A", "show_tab('tab-alerts')", "Alert log", "View",
        "jump to the alert log", "5 A", words="alerts tab",
    ),
    KeySpec(
        "focus.cycle", "", "", "Focus", "View",
        "next / previous panel: watchlist → panels → tabs", "Tab Shift+Tab", owner="widget",
    ),
    KeySpec(
        "row.open", "", "", "Open", "View",
        "open the highlighted row's details (events, actions, trend, timeline, alerts)",
        "Enter",
        owner="widget",
    ),
    KeySpec(
        "events.filter.open", "slash", "filter_events", "Filter events", "View",
        "filter the event log (Esc clears)", "/", words="search find events",
    ),
    KeySpec(
        "events.filter.clear", "escape", "close_filter", "Clear filter", "View",
        "clear the event filter", "Esc", owner="widget",
    ),
    KeySpec(
        "trends.span", "x", "toggle_trend_span", "Trends 24h/7d", "View",
        "trends over 24 h / 7 d", "x", words="trend sparkline history",
    ),
    KeySpec(
        "raw.toggle", "j", "toggle_raw", "Raw JSON", "View",
        "the last response as raw JSON (shows unknown fields)", "j", True, "json response",
    ),
    KeySpec(
        "zone.toggle", "z", "toggle_zone", "UTC/local", "View",
        "local time / UTC (the zone in use is always shown)", "z", words="timezone time",
    ),
    KeySpec(
        "export", "e", "export", "Export", "Data",
        "export the status and events (JSON and CSV)", "e", True, "save csv json file",
    ),
    KeySpec(
        "copy.number", "c", "copy_number", "Copy number", "Data",
        "copy the selected number (OSC 52, works over SSH and tmux)", "c",
        words="clipboard",
    ),
    KeySpec(
        "copy.error", "C", "copy_error", "Copy error details", "Data",
        "copy the details of the selected number's error", "C", words="clipboard bug",
    ),
    KeySpec(
        "key.enter", "ctrl+k", "enter_key", "Enter API key", "Data",
        "enter a new API key (after a 401)", "Ctrl+K", words="auth credentials 401 token",
    ),
    KeySpec(
        "palette", "", "", "Commands", "App", "the command palette: actions and numbers",
        "Ctrl+P", owner="widget",
    ),
    KeySpec(
        "quit", "q", "quit", "Quit", "App", "quit", "q Ctrl+C", True, "exit",
        owner="app",
    ),
)
# fmt: on

SPECS = {spec.id: spec for spec in KEYS}


def bindings(owner: str) -> list[BindingType]:
    """The ``BINDINGS`` of ``owner`` ("screen" or "app")."""
    return [
        Binding(spec.keys, spec.action, spec.description, show=spec.footer, id=spec.id)
        for spec in KEYS
        if spec.owner == owner
    ]


def widget_bindings(*ids: str) -> list[BindingType]:
    """The ``BINDINGS`` of a widget that handles the keys of ``ids`` itself."""
    return [
        Binding(SPECS[i].keys, SPECS[i].action, SPECS[i].description, show=False, id=i) for i in ids
    ]


def effective_keys(overrides: Mapping[str, str]) -> dict[str, list[str]]:
    """Binding id -> keys, after the settings file's ``[keys]`` remapping."""
    keys: dict[str, list[str]] = {}
    for spec in KEYS:
        if not spec.keys:
            continue
        remapped = overrides.get(spec.id)
        chosen = remapped if remapped is not None else spec.keys
        keys[spec.id] = [key.strip() for key in chosen.split(",") if key.strip()]
    return keys


# Keys Textual itself binds on every screen of the dashboard.
RESERVED = {
    "ctrl+q": "quit",
    "ctrl+c": "quit",
    "ctrl+p": "the command palette",
    "tab": "focus the next panel",
    "shift+tab": "focus the previous panel",
    "enter": "open the highlighted row",
    "up": "move up",
    "down": "move down",
}


def clashes(overrides: Mapping[str, str], extra: Iterable[Binding] = ()) -> list[str]:
    """Every key that means two things, as sentences; empty when the keymap is sound.

    ``extra`` are bindings defined elsewhere (a widget's own) that share the
    dashboard's keyboard.
    """
    users: defaultdict[str, list[str]] = defaultdict(list)
    for binding_id, keys in effective_keys(overrides).items():  # dashboard ids only
        for key in keys:
            users[key].append(binding_id)
    for binding in extra:
        if binding.id in SPECS:
            continue  # documented above, already counted
        for key in binding.key.split(","):
            users[key.strip()].append(binding.id or binding.action)
    problems = []
    for key, ids in users.items():
        if len(ids) > 1 and all(_closes_own_box(i) for i in ids):
            continue  # Esc in each filter box clears that box: one meaning, two places
        if key in RESERVED:
            problems.append(f"{key} is reserved ({RESERVED[key]}) but bound to {', '.join(ids)}")
        elif len(ids) > 1:
            problems.append(f"{key} is bound to {' and '.join(ids)}")
    return problems


def usable_overrides(overrides: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The remappings that can be applied, and why the others cannot.

    A remapping to a key that already means something else would make one of
    the two actions unreachable, so it is left out (the default stays).
    """
    kept: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in overrides.items():
        if binding_id not in SPECS:
            kept[binding_id] = keys  # a dialog's key: it has the screen to itself
            continue
        if not SPECS[binding_id].keys:
            problems.append(f"[keys] {binding_id}: handled by a widget, cannot be remapped")
            continue
        trial = {**kept, binding_id: keys}
        if clashes(trial):
            found = "; ".join(clashes(trial))
            problems.append(f"[keys] {binding_id} = {keys!r} ignored: {found}")
            continue
        kept[binding_id] = keys
    return kept, problems


def _closes_own_box(binding_id: str) -> bool:
    spec = SPECS.get(binding_id)
    if spec is None or spec.owner != "widget":
        return False
    return spec.action.startswith(("close_", "clear_"))


def help_rows(overrides: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(group, keys as shown, what it does), grouped, in the order of :data:`GROUPS`.

    A key remapped in the settings file is shown as remapped.
    """
    overrides = overrides or {}
    rows = []
    for group in GROUPS:
        for spec in KEYS:
            if spec.group != group:
                continue
            remapped = overrides.get(spec.id)
            shown = " ".join(remapped.split(",")) if remapped else spec.display or spec.keys
            rows.append((group, shown, spec.help))
    return rows


def markdown_table() -> str:
    """The README's key table."""
    lines = ["| group | key | what it does |", "| --- | --- | --- |"]
    for group, shown, text in help_rows():
        keys = " ".join(f"`{key}`" for key in shown.split(" "))
        lines.append(f"| {group} | {keys} | {text} |")
    return "\n".join(lines)
