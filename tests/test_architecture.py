"""The shape of the package: layers and import cycles (STYLE.md, "The shape we want")."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from import_graph import PACKAGE, cycles, graph

#: Layers below the UI: usable from scripts, the CLI and other programs without Textual.
NO_TEXTUAL = ("api", "store", "refresh", "alerts", "simulator", "times", "logs", "desktop")

_IMPORT_ALL = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    package = importlib.import_module(sys.argv[1])
    names = [sys.argv[1]] + [
        info.name for info in pkgutil.walk_packages(package.__path__, sys.argv[1] + ".")
    ]
    for name in names:
        importlib.import_module(name)
        if "textual" in sys.modules:
            sys.exit(f"importing {name} imported textual")
    print(len(names))
    """
)


@pytest.mark.parametrize("layer", NO_TEXTUAL)
def test_layers_below_the_ui_never_import_textual(layer: str) -> None:
    # A fresh interpreter: in this one, other tests have imported Textual already.
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL, f"{PACKAGE}.{layer}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 1, "no module of the layer was imported"


def test_the_ui_does_import_textual() -> None:
    # The check above can fail: the same script catches a module that imports Textual.
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL, f"{PACKAGE}.ui"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "imported textual" in done.stderr


def test_the_package_has_no_import_cycles() -> None:
    # Lazy imports inside functions count: they hide a cycle, they do not break it.
    assert cycles(graph()) == []


def test_the_cycle_check_finds_lazy_relative_and_type_checking_cycles(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from pkg.sub import b\n")
    (package / "sub" / "b.py").write_text("from .. import c\n")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.a\n"
    )
    (package / "d.py").write_text("import pkg.a\n")
    edges = graph(package)
    assert edges["pkg.a"] == {"pkg.sub", "pkg.sub.b"}
    assert edges["pkg.sub.b"] == {"pkg", "pkg.c"}
    assert cycles(edges) == [["pkg.a", "pkg.c", "pkg.sub.b"]]


def test_every_module_is_in_the_graph() -> None:
    edges = graph()
    assert f"{PACKAGE}.ui.app" in edges and f"{PACKAGE}.api.client" in edges
    # The client decodes statuses through json_body, which reads them into the models.
    assert f"{PACKAGE}.api.json_body" in edges[f"{PACKAGE}.api.client"]
    assert f"{PACKAGE}.api.models" in edges[f"{PACKAGE}.api.json_body"]
