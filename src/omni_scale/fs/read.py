"""THE capped reader, for the fs layer and its callers: see `textio.read_capped`.

It lives in textio (the lowest layer that reads files) so that lint and project code may use
it too; every file omni-scale did not write is read through it.
"""

from __future__ import annotations

from omni_scale.textio import MAX_READ_BYTES, read_capped, read_capped_or_none

__all__ = ["MAX_READ_BYTES", "read_capped", "read_capped_or_none"]
