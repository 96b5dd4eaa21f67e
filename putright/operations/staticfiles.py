"""The static files' storage: hashed names, gzip and Brotli copies, and forgiving in development.

``putright serve`` runs ``collectstatic``, which writes each file under a name carrying a hash
of its content plus ``.gz`` and ``.br`` copies, and a manifest of the names. WhiteNoise then
serves them with a year-long, immutable cache header: a new version of a file has a new name,
so browsers never hold a stale one.

A developer's ``runserver`` and the test suite never run ``collectstatic``. Outside production
a name missing from the manifest keeps its plain name (served by ``runserver`` from the
sources) instead of failing the page; in production a missing name stays an error, since it
means ``collectstatic`` did not run.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from django.conf import settings
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class KeepingCompressor(Compressor):  # type: ignore[misc]  # whitenoise has no type information
    """WhiteNoise's compressor, which leaves a file alone when its compressed copies are already
    there from the same content (its gzip copy unpacks to it, a quick check). Brotli at its best
    takes a minute over the API docs' scripts on a small machine; a restart with nothing
    changed should not."""

    #: Source maps are for a developer's browser tools only: not worth compressing.
    SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

    def compress(self, path: str) -> list[str]:
        kept = self.kept_copies(Path(path))
        if kept is not None:
            return kept
        return list(super().compress(path))

    def kept_copies(self, path: Path) -> list[str] | None:
        gzipped = Path(f"{path}.gz")
        try:
            unchanged = gzip.decompress(gzipped.read_bytes()) == path.read_bytes()
        except (OSError, EOFError, gzip.BadGzipFile):
            return None
        if not unchanged:
            return None
        copies = [Path(f"{path}.br"), gzipped] if self.use_brotli else [gzipped]
        return [str(copy) for copy in copies if copy.exists()]


class CompressedHashedStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    def create_compressor(self, **kwargs: Any) -> Compressor:
        if kwargs.get("extensions") is None:
            kwargs["extensions"] = KeepingCompressor.SKIP_COMPRESS_EXTENSIONS
        return KeepingCompressor(**kwargs)

    def stored_name(self, name: str) -> str:
        try:
            return str(super().stored_name(name))
        except ValueError:
            if settings.PRODUCTION:
                raise
            return name
