"""Reading a project's text files: size, binary, UTF-8 and file-type checks as one-line errors."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from omni_scale.errors import InputError
from omni_scale.textio import MAX_FILE_BYTES, read_text_file


def test_read_text_file_ok_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert read_text_file(path) == "a: 1\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a: \x00\n", "binary"),
        (b"a: 1\nb: \xff\n", "not valid UTF-8"),
        (b"x" * (MAX_FILE_BYTES + 1), "limit"),
    ],
)
def test_read_text_file_rejects(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_text_file(path, what="machine class")
    assert info.value.path == str(path)
    if message == "not valid UTF-8":
        assert info.value.line == 2


def test_read_text_file_missing_directory_and_fifo(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_text_file(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="directory"):
        read_text_file(tmp_path)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(InputError, match="not a regular file"):
        read_text_file(fifo)
    assert time.monotonic() - started < 2
