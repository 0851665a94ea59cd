"""What ``leadping-tui config`` prints: where each setting comes from, and its value.

The API key is always masked.
"""

from __future__ import annotations

import itertools

import tomlkit
from pydantic import BaseModel, SecretStr

from leadping_tui.store.secret import mask_secret
from leadping_tui.store.settings import toml_literal, toml_value
from leadping_tui.store.settings_model import ENV_API_KEY, ENV_BASE_URL, LoadedSettings


def effective_settings_report(loaded: LoadedSettings) -> str:
    """What ``leadping-tui config`` prints: sources, every effective value, problems.

    The API key is always masked.
    """
    settings = loaded.settings
    state = "exists" if loaded.file_exists else "not created yet; defaults apply"
    key_source = {
        "env": f"from {ENV_API_KEY}",
        "file": "from the settings file",
        None: f"not set: set {ENV_API_KEY} or add api_key to {loaded.path}",
    }[loaded.api_key_source]
    url_source = {"env": f"from {ENV_BASE_URL}", "file": "from the settings file"}.get(
        loaded.base_url_source, "default"
    )
    lines = [
        "# leadping-tui effective configuration",
        f"# settings file: {loaded.path} ({state})",
        f"# API key: {mask_secret(settings.api_key_value())} ({key_source})",
        f"# base URL: {settings.base_url} ({url_source})",
        "",
    ]
    lines += _report_section(settings)
    if loaded.problems:
        lines += ["", "# problems:"]
        lines += [f"#   {problem}" for problem in loaded.problems]
    return "\n".join(lines) + "\n"


def field_docs(model: type[BaseModel]) -> dict[str, str]:
    """Each field's docstring: the string right after its annotated assignment.

    Cleaned as pydantic's ``use_attribute_docstrings`` cleans them, but read
    only when a report is made (nested classes and methods are skipped).
    """
    import ast
    import inspect
    import textwrap

    try:
        source = textwrap.dedent(inspect.getsource(model))
    except (OSError, TypeError):  # no source (a frozen build): no comments
        return {}
    docs: dict[str, str] = {}
    body = ast.parse(source).body[0]
    if not isinstance(body, ast.ClassDef):
        return docs
    for node, after in itertools.pairwise(body.body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = inspect.cleandoc(after.value.value)
    return docs


def _report_section(model: BaseModel) -> list[str]:
    lines: list[str] = []
    tables: list[str] = []
    docs = field_docs(type(model))
    for name in type(model).model_fields:
        value = getattr(model, name)
        doc = f"# {docs[name]}" if docs.get(name) else None
        if isinstance(value, BaseModel):
            tables += ["", f"[{name}]", *_report_section(value)]
        elif isinstance(value, dict):
            entries = [f"{tomlkit.dumps({k: v}).strip()}" for k, v in value.items()]
            tables += ["", *([doc] if doc else []), f"[{name}]", *entries]
        elif value is None:
            lines += [*([doc] if doc else []), f"# {name} = (not set)"]
        else:
            shown = toml_value(value)
            if isinstance(value, SecretStr):
                shown = toml_literal(shown)
            lines += [*([doc] if doc else []), f"{name} = {shown}"]
    return lines + tables
