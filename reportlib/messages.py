"""The words the tool says: each finding's message and each part messages and cell comments are built
from, as templates in ``schemas/findings.yaml`` filled with the parameters a check gives.

``say("share-mismatch:question", q=3, ...)`` is the message ``question`` of the code ``share-mismatch``;
``say("held.rivals", ...)`` a phrase.  The result is a :class:`Message`, a ``str`` that remembers its
template and parameters, which :func:`reportlib.findings.finding` keeps on the finding.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .resources import SCHEMA_DIR


class Message(str):
    """A text said from a template: ``key`` and ``params`` say which and with what."""

    key: str
    params: dict[str, Any]


def say(key: str, **params: Any) -> Message:
    """The template ``key`` (``code:variant`` for a finding's message, else a phrase) filled in."""
    message = Message(template(key).format_map(params))
    message.key, message.params = key, params
    return message


def template(key: str) -> str:
    templates = _templates()
    if key not in templates:
        raise KeyError(f"no message template {key!r}: add it to schemas/findings.yaml")
    return templates[key]


def catalogue() -> dict[str, tuple[str, str]]:
    """code -> (default severity, short Chinese title), in the file's order."""
    return {code: (spec["severity"], spec["title"]) for code, spec in _spec()["codes"].items()}


@lru_cache(maxsize=1)
def _templates() -> dict[str, str]:
    spec = _spec()
    found = {f"{code}:{variant}": text for code, c in spec["codes"].items()
             for variant, text in (c.get("messages") or {}).items()}
    found.update(_flatten(spec.get("phrases") or {}))
    return found


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in tree.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{name}."))
        else:
            out[f"{prefix}{name}"] = value
    return out


@lru_cache(maxsize=1)
def _spec() -> dict:
    from .schema import load_schema  # schema imports values, which must not need this module first
    return load_schema("findings", SCHEMA_DIR)
