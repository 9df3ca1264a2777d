"""Where the tool's own data is: the schemas, the blank templates and examples, the report templates.

In a source checkout they are the folders ``schemas/`` and ``input_templates/`` beside ``reportlib/``,
where maintainers edit them.  In an installed package (``pip install .``) the same folders are package
data, ``reportlib/_schemas`` and ``reportlib/_templates`` (namespace packages: found through the
import system, :func:`importlib.util.find_spec`, as :mod:`importlib.resources` would).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent
_PACKAGED = {"schemas": "reportlib._schemas", "input_templates": "reportlib._templates"}


def checkout() -> Path | None:
    """The source checkout this package runs from, if it does."""
    return _CHECKOUT if (_CHECKOUT / "schemas").is_dir() and (_CHECKOUT / "reportlib").is_dir() else None


def data_dir(name: str) -> Path:
    """``schemas`` or ``input_templates``: the checkout's folder, else the installed package data."""
    root = checkout()
    if root is not None:
        return root / name
    spec = importlib.util.find_spec(_PACKAGED[name])
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the installed package has no {name}: reinstall it")
    return Path(list(spec.submodule_search_locations)[0])


SCHEMA_DIR = data_dir("schemas")
TEMPLATES = data_dir("input_templates")
