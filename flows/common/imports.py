"""What a gradfacts process imports of the heavy libraries it does not use: deferred or hidden modules.

Three uses, each measured by CPU time side by side (bench/RESULTS.md, start-up sections):

* **Deferred** (:func:`defer`): a module a library imports at start-up for a feature gradfacts never uses gets a
  stand-in in ``sys.modules`` that loads the real module on the first attribute read. The Great Expectations
  engine defers scipy.stats and altair (flows/validate/gx_process.py).
* **Hidden** (:func:`hide`): an *optional* dependency of a library looks not installed to it, so the library
  takes the path it documents for that case. The GX engine hides sqlalchemy (GX's SQL extras); the `gradfacts`
  console script hides pandas from pandera (its polars-only install; flows/cli.py ``entry``).
* **Stubbed** (:func:`stub`): a module a library imports at start-up *only to read names from it*, for a
  feature gradfacts never uses, is replaced by one whose every name is a placeholder class that refuses to be
  instantiated. Neither of the others fits: reading the names would load a deferred module, and the import is
  not optional, so hiding it would fail the library's import. The GX engine stubs GX's Spark data sources.

Not importlib's ``LazyLoader``: a lazy module loads as soon as anything reads its ``__spec__``, which every
``import altair`` of a module already in ``sys.modules`` does; a stand-in has its spec as a plain attribute.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types
from collections.abc import Iterable


class _Deferred(types.ModuleType):
    """Stands in sys.modules for a module not loaded yet: the first attribute it lacks loads the real module
    (which then replaces it in sys.modules and on its package) and every read after is forwarded there."""

    def __getattr__(self, attr: str):
        real = self.__dict__.get("_gradfacts_real")
        if real is None:
            name = self.__name__
            if sys.modules.get(name) is self:
                del sys.modules[name]
            real = importlib.import_module(name)
            self.__dict__["_gradfacts_real"] = real
            parent, _, child = name.rpartition(".")
            if parent and getattr(sys.modules.get(parent), child, None) is self:
                setattr(sys.modules[parent], child, real)
        return getattr(real, attr)


def defer(names: Iterable[str]) -> None:
    """Put a stand-in in sys.modules for each of ``names`` not imported yet (and on its package, so that
    ``from scipy import stats`` finds it without loading it)."""
    for name in names:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        stand_in = _Deferred(name)
        stand_in.__spec__ = spec
        _put(name, stand_in)


def _put(name: str, module: types.ModuleType) -> None:
    """``module`` as ``name`` in sys.modules, and on its package when that is loaded (as an import would)."""
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent and parent in sys.modules:
        setattr(sys.modules[parent], child, module)


class _Hidden(importlib.abc.MetaPathFinder):
    """A finder, first on sys.meta_path, that answers 'not installed' for the packages it names."""

    def __init__(self, packages: Iterable[str]):
        self.packages = tuple(packages)

    def find_spec(self, name, path=None, target=None):
        if name.split(".", 1)[0] in self.packages:
            raise ModuleNotFoundError(f"No module named {name!r} (hidden by gradfacts: not used here)", name=name)
        return None


def hide(packages: Iterable[str]) -> None:
    """From now on, ``import`` of ``packages`` (not imported yet) fails in this process as if not installed."""
    sys.meta_path.insert(0, _Hidden(packages))


class _Placeholder:
    """What a stubbed module's names are: a class (``isinstance`` checks against it are simply False) that
    cannot be made."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__module__}.{type(self).__qualname__} is not loaded in this process "
                           "(stubbed by gradfacts: not used here)")


class _Stub(types.ModuleType):
    _gradfacts_stub = True

    def __getattr__(self, attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        cls = type(attr, (_Placeholder,), {"__module__": self.__name__, "__qualname__": attr})
        setattr(self, attr, cls)
        return cls


def stub(names: Iterable[str]) -> None:
    """Put a stub in sys.modules for each of ``names`` not imported yet: ``from NAME import X`` gives a
    placeholder class X, and nothing of the real module runs."""
    for name in names:
        if name not in sys.modules:
            _put(name, _Stub(name))
