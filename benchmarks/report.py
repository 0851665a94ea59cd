"""The results: machine facts, a printed table and ``results.json``."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import Figure, spread


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM, OS, Python and library versions."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram = 0
    with contextlib.suppress(ValueError, OSError):
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    versions: dict[str, str] = {}
    from importlib.metadata import PackageNotFoundError, version

    for name in ("textual", "rich", "httpx", "pydantic"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "?"
    from leadping_tui import __version__

    return {
        "cpu": cpu,
        "cores": os.cpu_count() or 0,
        "ram_gib": round(ram / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        # Other work on the machine inflates every figure; the baselines run
        # alongside, so ratios suffer less than absolute times.
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "leadping_tui": __version__,
        **versions,
    }


def code_version() -> dict[str, Any]:
    """The commit measured, and app files that differed from it (others edit the tree)."""
    import subprocess

    root = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        # Only trailing whitespace: porcelain lines start with a status column.
        return done.stdout.rstrip() if done.returncode == 0 else ""

    changed = git("status", "--porcelain", "--", "leadping_tui", "styles.tcss")
    return {
        "commit": git("rev-parse", "--short", "HEAD").strip() or "?",
        "uncommitted_app_files": [line[3:] for line in changed.splitlines()],
    }


def _fmt(value: float, unit: str) -> str:
    if unit in ("B", "bytes"):
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def describe(figure: Figure) -> dict[str, str]:
    """The row of the table for ``figure``, as strings."""
    s = spread(figure.samples)
    value = f"{_fmt(s['median'], figure.unit)} {figure.unit}"
    range_text = f"{_fmt(s['min'], figure.unit)}–{_fmt(s['max'], figure.unit)} (n={int(s['n'])})"
    base = "—"
    if figure.baseline:
        b = spread(figure.baseline)
        base = (
            f"{_fmt(b['median'], figure.unit)} {figure.unit} "
            f"({_fmt(b['min'], figure.unit)}–{_fmt(b['max'], figure.unit)})"
        )
    verdict = "—" if figure.met is None else ("met" if figure.met else "NOT met")
    return {
        "figure": figure.title,
        "value": value,
        "range": range_text,
        "baseline": base,
        "target": figure.target,
        "verdict": verdict,
        "note": figure.note,
    }


def table(figures: Sequence[Figure]) -> str:
    """A plain-text table (also valid Markdown)."""
    headers = ["Figure", "Median", "Min–max", "Baseline (min–max)", "Target", "Result", "Note"]
    rows = [list(describe(f).values()) for f in figures]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write(
    path: Path,
    figures: Sequence[Figure],
    *,
    smoke: bool,
    command: str,
    seconds: float,
    load_at_start: Sequence[float] = (),
) -> dict[str, Any]:
    """Write ``results.json`` and return what was written."""
    document = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": code_version(),
        "load_average_at_start": list(load_at_start),
        "command": command,
        "mode": "smoke" if smoke else "full",
        "duration_s": round(seconds, 1),
        "machine": machine(),
        "figures": [f.to_dict() for f in figures],
        "argv": sys.argv,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return document


def figures_from(document: dict[str, Any]) -> list[Figure]:
    """Figures back from a written ``results.json``."""
    return [
        Figure(
            key=item["key"],
            title=item["title"],
            unit=item["unit"],
            samples=list(item["samples"]),
            baseline=item["baseline_samples"],
            target=item["target"],
            judged=item["judged"],
            met=item["met"],
            note=item["note"],
            extra=item["extra"],
        )
        for item in document["figures"]
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.report [results.json]``: the table and machine, as Markdown."""
    args = list(sys.argv[1:] if argv is None else argv)
    path = Path(args[0]) if args else Path(__file__).resolve().parent / "results.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    facts = document["machine"]
    code = document.get("code", {})
    print(
        f"Run {document['date']} with `{document['command']}` ({document['duration_s']:.0f} s) "
        f"on commit {code.get('commit', '?')}"
        f" (+{len(code.get('uncommitted_app_files', []))} uncommitted app files); "
        f"{facts['cpu']}, {facts['cores']} cores, {facts['ram_gib']} GiB RAM, {facts['os']}; "
        f"Python {facts['python']}, Textual {facts['textual']}, Rich {facts['rich']}, "
        f"httpx {facts['httpx']}, pydantic {facts['pydantic']}; load average at start "
        f"{document.get('load_average_at_start', '?')}, at end {facts.get('load_average', '?')}.\n"
    )
    print(table(figures_from(document)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
