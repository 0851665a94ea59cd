"""Command-line entry point: the dashboard by default, plus a few subcommands.

Imports are lazy: ``leadping-tui status`` never pays for Textual, and the
dashboard never pays for the simulator unless ``--demo`` asks for it.
"""

from __future__ import annotations

import sys

from leadping_tui import __version__

TYPE_CHECKING = False  # importing typing costs 3 ms here; mypy reads the name as True

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import NoReturn

VERSION_TEXT = f"leadping-tui {__version__}"
SUBCOMMANDS = (
    "status",
    "simulate",
    "config",
    "history",
    "install-desktop",
    "import",
    "exporter",
    "install-service",
)
#: The same bounds as ``refresh_seconds`` in the settings file.
MIN_REFRESH = 5.0
MAX_REFRESH = 24 * 3600.0
#: `status` reports problems with its own exit code (3, unknown), not argparse's 2,
#: which a monitoring system would read as "critical".
STATUS_USAGE_EXIT = 3


def refresh_seconds(text: str) -> float:
    """``--refresh``: a finite number of seconds within the settings' range."""
    import argparse
    import math

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not MIN_REFRESH <= value <= MAX_REFRESH:
        raise argparse.ArgumentTypeError(
            f"must be a number of seconds from {MIN_REFRESH:g} to {MAX_REFRESH:g} "
            f"(the API quota is shared with your organisation), not {text!r}"
        )
    return value


def base_url(text: str) -> str:
    """``--base-url``: an http(s) URL with a host and, if given, a port from 1 to 65535."""
    import argparse
    from urllib.parse import urlsplit

    parts = urlsplit(text.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an http(s) URL, e.g. https://api.leadping.ai"
        )
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port is not None and not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"the port in {text!r} must be from 1 to 65535")
    return text.strip()


def _status_parser_class() -> type[argparse.ArgumentParser]:
    import argparse

    class StatusArgumentParser(argparse.ArgumentParser):
        """Usage errors of ``status`` exit 3 (unknown), as a monitoring plugin's do."""

        def error(self, message: str) -> NoReturn:
            self.print_usage(sys.stderr)
            self.exit(STATUS_USAGE_EXIT, f"{self.prog}: error: {message}\n")

    return StatusArgumentParser


def unknown_command(word: str) -> str | None:
    """A message for a first argument that reads as a command, not a number."""
    if not word or word.startswith("-") or any(ch.isdigit() for ch in word):
        return None
    import difflib

    close = difflib.get_close_matches(word.lower(), SUBCOMMANDS, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}?" if close else "commands: " + ", ".join(SUBCOMMANDS)
    return f"{word!r} is not a command or a phone number; {hint} (leadping-tui --help)"


def _dashboard_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="leadping-tui",
        description="Watch LeadPing phone-number warmup from a terminal.",
        epilog="Subcommands: " + ", ".join(SUBCOMMANDS) + " (leadping-tui SUBCOMMAND --help).",
    )
    parser.add_argument("numbers", nargs="*", metavar="NUMBER", help="add to the watchlist")
    parser.add_argument("--version", action="version", version=VERSION_TEXT)
    _add_connection_arguments(parser)
    parser.add_argument(
        "--refresh",
        type=refresh_seconds,
        metavar="SECONDS",
        help=f"refresh interval (default 30, {MIN_REFRESH:g} to {MAX_REFRESH:g})",
    )
    parser.add_argument(
        "--demo", action="store_true", help="run against the built-in simulator, no account needed"
    )
    parser.add_argument(
        "--log-file", action="store_true", help="write a redacted debug log (see `config`)"
    )
    parser.add_argument(
        "--hold-on-error",
        action="store_true",
        help="keep a fatal error on screen until a key is pressed (desktop launchers)",
    )
    return parser


def _add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base-url", type=base_url, metavar="URL", help="API base URL (or LEADPING_BASE_URL)"
    )
    parser.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="allow plain http:// to a non-loopback host (the key travels unencrypted)",
    )


def _subcommand_parser(name: str) -> argparse.ArgumentParser:
    import argparse

    parser_class = _status_parser_class() if name == "status" else argparse.ArgumentParser
    parser = parser_class(prog=f"leadping-tui {name}")
    if name == "status":
        from leadping_tui.commands import status

        parser.description = (
            "Print one number's status; exit 0 ok, 1 warning, 2 critical, 3 unknown."
        )
        status.add_arguments(parser)
        _add_connection_arguments(parser)
    elif name == "simulate":
        parser.description = "Run the LeadPing API simulator on 127.0.0.1 until Ctrl-C."
        parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
        parser.add_argument("--shape", choices=("seed", "sdk"), default="sdk")
        parser.add_argument(
            "--fleet",
            type=int,
            default=None,
            metavar="N",
            help="how many numbers the organisation listing holds (default: the 6 demo numbers)",
        )
    elif name == "import":
        from leadping_tui.commands import import_cmd

        parser.description = (
            "Add every number of your organisation (its listing) to the watchlist; "
            "the listing's name becomes the label unless you set one."
        )
        import_cmd.add_arguments(parser)
        _add_connection_arguments(parser)
    elif name == "config":
        parser.description = "Print the settings file path and the effective settings."
        parser.add_argument("--edit", action="store_true", help="open the settings in $EDITOR")
    elif name == "history":
        from leadping_tui.commands import history

        parser.description = "Export the snapshots recorded for a number."
        history.add_arguments(parser)
        parser.add_argument(
            "--base-url",
            type=base_url,
            metavar="URL",
            help="the API whose history to read (each API has its own; default: settings)",
        )
    elif name == "install-desktop":
        parser.description = "Install (or remove) a desktop menu entry for leadping-tui."
        parser.add_argument("--uninstall", action="store_true", help="remove the entry")
    elif name == "exporter":
        from leadping_tui.exporter import command as exporter_command

        parser.description = (
            "Serve the watched numbers' warmup metrics for Prometheus on /metrics, headless."
        )
        exporter_command.add_arguments(parser)
        _add_connection_arguments(parser)
    elif name == "install-service":
        from leadping_tui.exporter import unit

        parser.description = "Install (or remove) a systemd user service running the exporter."
        unit.add_arguments(parser)
    return parser


#: Pydantic's switch for the plugins it finds in installed packages' metadata.
PYDANTIC_PLUGINS_VARIABLE = "PYDANTIC_DISABLE_PLUGINS"


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # No pydantic plugin that happens to be installed may watch validation: the
    # settings model is given the API key, and a plugin sees each input whole.
    # (It also spares the first model built a scan of every package's metadata.)
    import os

    os.environ[PYDANTIC_PLUGINS_VARIABLE] = "__all__"
    try:
        return _main(args_list)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `leadping-tui status ... | head`: the reader left; that is not an error.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def _main(argv: list[str]) -> int:
    # argparse first: `--version` and `--help` must not pay for the settings
    # model (pydantic) or the redactor (logging).
    if argv == ["--version"]:
        # The commonest probe answers before argparse loads (what its version action prints).
        print(VERSION_TEXT)
        return 0
    if argv and argv[0] == "help":
        if len(argv) > 1 and argv[1] in SUBCOMMANDS:
            _subcommand_parser(argv[1]).print_help()
        else:
            _dashboard_parser().print_help()
        return 0
    if argv and argv[0] not in SUBCOMMANDS and (message := unknown_command(argv[0])):
        _dashboard_parser().print_usage(sys.stderr)
        print(f"leadping-tui: error: {message}", file=sys.stderr)
        return 2
    if argv and argv[0] in SUBCOMMANDS:
        name = argv[0]
        args = _subcommand_parser(name).parse_args(argv[1:])
        from leadping_tui.logs.redact import default_redactor, install_excepthook_redaction
        from leadping_tui.runtime import load_runtime

        install_excepthook_redaction(default_redactor)
        if name == "simulate":
            from leadping_tui.simulator import serve
            from leadping_tui.simulator.fleet import DEFAULT_FLEET, MAX_FLEET

            fleet = DEFAULT_FLEET if args.fleet is None else args.fleet
            if not 0 <= fleet <= MAX_FLEET:
                raise SystemExit(f"--fleet must be between 0 and {MAX_FLEET}.")
            serve(port=args.port, shape=args.shape, fleet=fleet)
            return 0
        runtime = load_runtime()
        if runtime.api_key:
            default_redactor.add(runtime.api_key)
        _print_problems(runtime)
        runtime = runtime.with_overrides(
            base_url=getattr(args, "base_url", None),
            allow_insecure_http=getattr(args, "allow_insecure_http", None),
        )
        if name == "status":
            from leadping_tui.commands import status

            return status.run(args, runtime)
        if name == "import":
            from leadping_tui.commands import import_cmd

            return import_cmd.run(args, runtime)
        if name == "config":
            from leadping_tui.commands import config

            return config.run(args, runtime)
        if name == "history":
            from leadping_tui.commands import history

            return history.run(args, runtime)
        if name == "exporter":
            from leadping_tui.exporter import command as exporter_command

            return exporter_command.run(args, runtime)
        if name == "install-service":
            from leadping_tui.exporter import unit

            return unit.run(args, _subcommand_parser("exporter"))
        from leadping_tui.commands import desktop

        return desktop.run(args)
    args = _dashboard_parser().parse_args(argv)
    from leadping_tui.logs.redact import default_redactor, install_excepthook_redaction

    install_excepthook_redaction(default_redactor)
    from leadping_tui.commands import dashboard

    return dashboard.run(args)


def _print_problems(runtime: object) -> None:
    from leadping_tui.terminal.safe_text import clean

    for problem in getattr(runtime, "problems", ()):
        # A problem quotes the user's file, which may hold anything.
        print(f"leadping-tui: {clean(str(problem))}", file=sys.stderr)
