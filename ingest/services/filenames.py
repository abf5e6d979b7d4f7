"""Client-supplied file names are display text only, never part of a storage path."""

from __future__ import annotations

import unicodedata

MAX_DISPLAY_NAME = 255


def display_name(raw: str | None) -> str:
    """Keep the last path component, drop control characters, normalise and bound the length.

    ``../../etc/passwd`` becomes ``passwd``; a 10,000-character name keeps its
    extension and is cut to 255 characters. The result is shown to people,
    never joined to a path.
    """
    if not raw:
        return "upload"
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if not name:
        return "upload"
    if len(name) > MAX_DISPLAY_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 16:
            name = stem[: MAX_DISPLAY_NAME - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_DISPLAY_NAME]
    return name
