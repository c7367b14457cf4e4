"""JSON from peers (Proxmox, omnictl, docker) parsed so that hostile input is a parse error.

`json` recurses once per nesting level, so 100,000 `[` raise RecursionError, and an integer
of more than 4,300 digits raises a plain ValueError: neither is the `JSONDecodeError` callers
expect. These wrappers turn both into `JSONDecodeError`, the one error a caller handles.
"""

from __future__ import annotations

import json
from typing import Any


def _decode_error(text: str, index: int, exc: BaseException) -> json.JSONDecodeError:
    if isinstance(exc, RecursionError):
        return json.JSONDecodeError("JSON nested too deeply", text, index)
    return json.JSONDecodeError("integer with thousands of digits", text, index)


def loads(text: str | bytes) -> Any:
    """`json.loads`, with deep nesting and huge integers as JSONDecodeError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except (RecursionError, ValueError) as exc:
        doc = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        raise _decode_error(doc, 0, exc) from None


def raw_decode(text: str, index: int = 0) -> tuple[Any, int]:
    """`JSONDecoder().raw_decode`, with deep nesting and huge integers as JSONDecodeError."""
    try:
        return json.JSONDecoder().raw_decode(text, index)
    except json.JSONDecodeError:
        raise
    except (RecursionError, ValueError) as exc:
        raise _decode_error(text, index, exc) from None
