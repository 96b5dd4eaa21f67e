"""A stored file sent to the one person who may have it: a letter or an evidence file.

Every download of case files (staff pages, the customer's pages, the API)
answers the same way: as an attachment, its type not to be second-guessed by
the browser, and never kept by a cache on the way, since each holds a
customer's personal details.
"""

from __future__ import annotations

from typing import cast

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.utils.cache import patch_cache_control


def private_file(stored: FieldFile, *, filename: str, content_type: str) -> HttpResponse:
    """The file as a download. Raises FileNotFoundError when the stored file is gone."""
    if not stored:  # issue 15, anonymise: the file was deleted with the personal details
        raise FileNotFoundError(f"{filename}: the file was removed")
    response = FileResponse(
        stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, no_store=True, private=True)
    return cast(HttpResponse, response)
