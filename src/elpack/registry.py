"""A registry of named, prioritised entries, in the style of Python-Markdown's ``util.Registry``.

Block types and question types are registered here, one object per type: the parser, the
renderers and the checks look a type up by the name an author writes, and never switch on it.
Entries with a higher priority come first; among equal priorities, the one registered first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class _Entry(Generic[T]):
    name: str
    priority: float
    order: int
    item: T


class Registry(Generic[T]):
    """Named items in priority order (highest first)."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry[T]] = {}
        self._added = 0

    def register(self, item: T, name: str, priority: float) -> None:
        """Add ``item`` under ``name``; an item already registered under that name is replaced."""
        self._added += 1
        self._entries[name] = _Entry(name, priority, self._added, item)

    def deregister(self, name: str) -> None:
        del self._entries[name]

    def _sorted(self) -> list[_Entry[T]]:
        return sorted(self._entries.values(), key=lambda entry: (-entry.priority, entry.order))

    def names(self) -> list[str]:
        """Registered names, highest priority first."""
        return [entry.name for entry in self._sorted()]

    def get(self, name: str) -> T | None:
        entry = self._entries.get(name)
        return None if entry is None else entry.item

    def __getitem__(self, name: str) -> T:
        return self._entries[name].item

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[T]:
        return iter([entry.item for entry in self._sorted()])

    def __len__(self) -> int:
        return len(self._entries)
