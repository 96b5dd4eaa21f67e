"""File sizes in the words every public page uses: "10 MB", "512 KB".

One helper, so the start page, the evidence question, the add-information
page and the "file is too big" page all say the same limit the same way.
"""

from __future__ import annotations

from django.conf import settings


def size_words(size: int) -> str:
    """ "10 MB" (or "2.5 MB"), "512 KB" under a megabyte, as a person says it."""
    if size >= 1024 * 1024:
        return f"{round(size / (1024 * 1024), 1):g} MB"
    return f"{max(1, round(size / 1024))} KB"


def upload_limit_words() -> str:
    """The largest file a customer can send, in words."""
    return size_words(settings.PUTRIGHT_MAX_UPLOAD_BYTES)
