"""Where a rewritten text differs from the text it was: the places that changed.

The encoding stage reports what ftfy changed on a line as the span from the
first to the last difference. On a line of megabytes (a whole page, or a whole
site, on one line) with mojibake here and there, that span is the line itself;
the places that changed are what a reader wants, each with a little context.
difflib's matching is quadratic; here both texts are walked together instead,
which is linear when the changes are small and local, as repairs are (a run of
mojibake, an entity, a quote): past a difference, the walk resumes at the
nearest point where the two texts agree again on `ANCHOR` characters. Any
point where they agree is a correct resumption: the places found always
rebuild both texts; nearest keeps each place small.
"""

from __future__ import annotations

ANCHOR = 8  # characters both texts must share to resume after a difference
_REACHES = (8, 64, 512, 4096)  # how far to look for that, in turn
_FIRST_STEP, _MAX_STEP = 64, 1 << 16


def common_prefix(a: str, b: str, i: int = 0, j: int = 0, limit: int | None = None) -> int:
    """How many characters a[i:] and b[j:] share at their start, at most `limit`
    (compared a slice at a time, growing, then halving on a difference)."""
    n = min(len(a) - i, len(b) - j) if limit is None else limit
    done, step = 0, _FIRST_STEP
    while done < n:
        size = min(step, n - done)
        if a[i + done : i + done + size] == b[j + done : j + done + size]:
            done += size
            step = min(2 * step, _MAX_STEP)
            continue
        lo, hi = done, done + size  # they differ somewhere in [lo, hi)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if a[i + lo : i + mid] == b[j + lo : j + mid]:
                lo = mid
            else:
                hi = mid
        return lo
    return n


def common_suffix(a: str, b: str, limit: int) -> int:
    """How many characters `a` and `b` share at their end, at most `limit`
    (at most the length of the shorter)."""
    la, lb = len(a), len(b)
    done, step = 0, _FIRST_STEP
    while done < limit:
        size = min(step, limit - done)
        if a[la - done - size : la - done] == b[lb - done - size : lb - done]:
            done += size
            step = min(2 * step, _MAX_STEP)
            continue
        lo, hi = done, done + size  # the first difference, counted from the end, is in [lo, hi)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if a[la - mid : la - lo] == b[lb - mid : lb - lo]:
                lo = mid
            else:
                hi = mid
        return lo
    return limit


def _resume(a: str, i: int, end_a: int, b: str, j: int, end_b: int) -> tuple[int, int] | None:
    """The nearest (i2, j2) past a difference at (i, j) where a and b share
    ANCHOR characters, within the ends; None when there is none within reach."""
    for reach in _REACHES:
        best: tuple[int, int, int] | None = None
        for dj in range(min(reach, end_b - j - ANCHOR + 1)):
            p = a.find(b[j + dj : j + dj + ANCHOR], i, min(end_a, i + reach + ANCHOR))
            if p >= 0 and (best is None or p - i + dj < best[0]):
                best = (p - i + dj, p, j + dj)
        for di in range(min(reach, end_a - i - ANCHOR + 1)):
            q = b.find(a[i + di : i + di + ANCHOR], j, min(end_b, j + reach + ANCHOR))
            if q >= 0 and (best is None or di + q - j < best[0]):
                best = (di + q - j, i + di, q)
        if best is not None:
            return best[1], best[2]
    return None


def runs(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """The runs where `b` differs from `a`, in order: (i0, i1, j0, j1) when
    a[i0:i1] became b[j0:j1]; between runs, and before and after them, the
    two texts are the same."""
    suffix = common_suffix(a, b, min(len(a), len(b)))
    end_a, end_b = len(a) - suffix, len(b) - suffix
    found: list[tuple[int, int, int, int]] = []
    i = j = 0
    while True:
        k = common_prefix(a, b, i, j, min(end_a - i, end_b - j))
        i, j = i + k, j + k
        if i == end_a and j == end_b:
            return found
        resumed = None if i == end_a or j == end_b else _resume(a, i, end_a, b, j, end_b)
        if resumed is None:
            found.append((i, end_a, j, end_b))
            return found
        found.append((i, resumed[0], j, resumed[1]))
        i, j = resumed


def places(a: str, b: str, context: int = 12) -> list[tuple[int, int, int, int]]:
    """The runs where `b` differs from `a` with up to `context` characters
    (the same in both) each side, merged where their contexts would overlap:
    (i0, i1, j0, j1) when a[i0:i1] reads b[j0:j1] in the rewritten text."""
    merged: list[tuple[int, int, int, int]] = []
    for i0, i1, j0, j1 in runs(a, b):
        if merged and i0 - merged[-1][1] <= 2 * context:
            merged[-1] = (merged[-1][0], i1, merged[-1][2], j1)
        else:
            merged.append((i0, i1, j0, j1))
    out = []
    for i0, i1, j0, j1 in merged:
        before = min(context, i0)  # i0 == j0 before the first run; else 2 x context apart
        after = min(context, len(a) - i1)  # the same text follows in b
        out.append((i0 - before, i1 + after, j0 - before, j1 + after))
    return out
