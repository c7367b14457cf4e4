"""`Record` behaves like a frozen dataclass: equality, hash, repr, immutability, copies."""

from __future__ import annotations

import copy
import pickle

import pytest

from omni_scale.core.selector.evaluate import Pick, Storage, StorageResult
from omni_scale.record import Record


class Point(Record):
    __slots__ = ("x", "y")
    x: int
    y: int

    def __init__(self, x: int, y: int) -> None:
        self._init(x=x, y=y)


def test_fields_are_set_by_name_whatever_the_slot_order() -> None:
    point = Point(1, 2)
    assert (point.x, point.y) == (1, 2)
    assert repr(point) in ("Point(x=1, y=2)", "Point(y=2, x=1)")


def test_equality_and_hash_follow_the_values_and_the_type() -> None:
    assert Point(1, 2) == Point(1, 2) and hash(Point(1, 2)) == hash(Point(1, 2))
    assert Point(1, 2) != Point(2, 1)
    assert len({Point(1, 2), Point(1, 2), Point(3, 4)}) == 2

    class Other(Point):
        __slots__ = ()

    assert Other(1, 2) != Point(1, 2)


def test_fields_cannot_change() -> None:
    point = Point(1, 2)
    with pytest.raises(AttributeError, match="cannot assign to field 'x'"):
        point.x = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        point.z = 3  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="cannot delete"):
        del point.y
    assert point == Point(1, 2)


def test_an_unknown_field_is_refused() -> None:
    class Broken(Record):
        __slots__ = ("a",)

        def __init__(self) -> None:
            self._init(a=1, b=2)

    with pytest.raises(AssertionError, match="not fields of Broken: \\['b'\\]"):
        Broken()


def test_copies_and_pickles_rebuild_through_init() -> None:
    pick = Pick("local-lvm", (StorageResult("local-lvm", True, None),), ("local-lvm",), None)
    assert copy.deepcopy(pick) == pick and copy.copy(pick) == pick
    assert pickle.loads(pickle.dumps(pick)) == pick
    storage = Storage("local", "dir", 5)
    assert pickle.loads(pickle.dumps(storage)) == storage
    with pytest.raises(ValueError, match="uint64"):
        Storage("local", "dir", -1)
