"""Handing freed memory back to the system, where the C library allows it.

A huge document's stages build and drop copies of its text tens of
megabytes long. glibc's malloc keeps such blocks in its heap once it has
freed one that large (it raises its mmap threshold), and between the
objects still alive that memory is not returned: each stage's peak then
stacks on the last one's leftovers. `malloc_trim(0)` returns the free pages
of every arena. Elsewhere (macOS, musl) it is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache


@cache
def _trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


def release() -> None:
    """Return the C heap's free pages to the system (glibc); milliseconds."""
    trim = _trim()
    if trim is not None:
        trim(0)
