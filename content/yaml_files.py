"""YAML read with libyaml's C parser where PyYAML has it (its wheels do): the content is read at
every start and by every content check, and the pure-Python parser spent nine tenths of that
time. The safe loader either way: a content file never builds objects."""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 (a safe loader)


def compose(text: str) -> yaml.Node | None:
    """The node tree, whose marks give each value's line."""
    return yaml.compose(text, Loader=SafeLoader)
