"""`Record`: small immutable value classes without `dataclasses`, for quick commands.

`import dataclasses` pulls in inspect, ast, dis and tokenize: about 70 M instructions, twice
what a bare interpreter spends starting (valgrind), and every dataclass compiles its methods
with `exec` when its module loads. `selector check EXPR` needs only a few value classes, so
those are Records (bench/startup.py holds `selector check` within 4x a bare interpreter).

A Record names its fields in `__slots__`, annotates them, and sets them in `__init__` with
`_init(name=value, ...)`. Equality, hashing, repr, copying and immutability
come from here, as `@dataclass(frozen=True)` would give them (assigning a field raises
AttributeError, as dataclasses' FrozenInstanceError does).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~1x a bare start
if TYPE_CHECKING:
    from typing import ClassVar


class Record:
    __slots__: tuple[str, ...] = ()
    _fields: ClassVar[tuple[str, ...]] = ()  # every slot of the class and its bases

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        names: list[str] = []
        for klass in reversed(cls.__mro__):
            names.extend(n for n in klass.__dict__.get("__slots__", ()) if n not in names)
        cls._fields = tuple(names)

    def _init(self, **values: object) -> None:
        for name in self._fields:
            object.__setattr__(self, name, values.pop(name))
        assert not values, f"not fields of {type(self).__name__}: {sorted(values)}"

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={v!r}" for n, v in zip(self._fields, self._values(), strict=True))
        return f"{type(self).__name__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of {type(self).__name__}")

    def __reduce__(self) -> tuple[object, ...]:
        # copy and pickle rebuild it through __init__ (its checks run again), by field name
        return _rebuild, (type(self), dict(zip(self._fields, self._values(), strict=True)))


def _rebuild(cls: type[Record], fields: dict[str, object]) -> Record:
    return cls(**fields)
