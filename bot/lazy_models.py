"""aiogram's Bot API models, each built the first time it is used instead of all at import.

`aiogram/types/__init__.py` ends by calling `model_rebuild` on each of its ~300 types, so that
pydantic-core compiles a validator and a serializer for every one of them, each with copies of
every type it contains (aiogram issue #1513). That import alone took 5-6 s and 100 MB here, for a
bot that parses updates and sends a dozen methods. The models already ask for it
(`TelegramObject` sets pydantic's public `defer_build`); only that closing loop builds them.

`install()` (run by `bot/__init__.py`, before anything imports aiogram) puts a finder on
`sys.meta_path` that, around the import of `aiogram.types`:

- makes the loop's `model_rebuild(_types_namespace=...)` copy the names of that namespace into
  each type's own module instead of building it, so that the forward references a type's module
  imports only under `TYPE_CHECKING` resolve from its module when it is built later;
- sets `defer_build` on aiogram's `TelegramMethod` too, whose ~170 models build at class creation.

A model is then built by pydantic itself on first use (its validator and serializer are stand-ins
that build the model when touched), with the same fields and config as before. Nothing of
pydantic's private API is called.

Upgrading aiogram or pydantic: `tests/test_lazy_models.py` parses every kind of update the bot
reads and builds every method it sends, once with the models built lazily and once eagerly (in
two processes), and compares the JSON schemas and the results; it also fails when the hook no
longer takes effect. Versions are pinned in `constraints.txt`.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

TYPES = "aiogram.types"
TYPES_BASE = "aiogram.types.base"
METHODS_BASE = "aiogram.methods.base"


def install() -> bool:
    """Defer the build of aiogram's models; False (nothing done) when aiogram is already imported."""
    if TYPES in sys.modules or any(isinstance(finder, _DeferringFinder) for finder in sys.meta_path):
        return False
    sys.meta_path.insert(0, _DeferringFinder({
        TYPES_BASE: _remember_names_instead_of_building,
        TYPES: _build_on_use_again,
        METHODS_BASE: _defer_methods,
    }))
    return True


def _remember_names_instead_of_building(module: ModuleType) -> None:
    """Runs when `aiogram.types.base` is loaded, before the rest of `aiogram.types`."""

    def lend_names(cls: type, *, _types_namespace: dict[str, Any] | None = None, **_: Any) -> None:
        names = sys.modules[cls.__module__].__dict__
        for name, value in (_types_namespace or {}).items():
            names.setdefault(name, value)

    module.TelegramObject.model_rebuild = classmethod(lend_names)


def _build_on_use_again(module: ModuleType) -> None:
    """Runs when `aiogram.types` has loaded: pydantic's own `model_rebuild` is back for later use."""
    del module.base.TelegramObject.model_rebuild


def _defer_methods(module: ModuleType) -> None:
    """Runs when `aiogram.methods.base` is loaded, before any method model is created."""
    module.TelegramMethod.model_config["defer_build"] = True


class _DeferringFinder(importlib.abc.MetaPathFinder):
    """Finds the named modules as usual and runs a function on each once it has executed."""

    def __init__(self, after_load: dict[str, Callable[[ModuleType], None]]) -> None:
        self.after_load = after_load

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> Any:
        after = self.after_load.get(fullname)
        if after is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _ThenRun(spec.loader, after)
        return spec


class _ThenRun(importlib.abc.Loader):
    def __init__(self, loader: importlib.abc.Loader, after: Callable[[ModuleType], None]) -> None:
        self.loader = loader
        self.after = after

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        module.__loader__ = self.loader  # the module keeps its own loader (sources, resources)
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        self.loader.exec_module(module)
        self.after(module)
