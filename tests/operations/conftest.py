"""Fixtures for the operations tests: one collectstatic shared by every server they start."""

from __future__ import annotations

import pytest

from tests.operations.servers import putright_env, run_putright


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """The static files collected (hashed and compressed) once for the whole run: each server
    then starts with --no-collectstatic, pointed here by PUTRIGHT_STATIC_ROOT."""
    root = tmp_path_factory.mktemp("static")
    run_putright("collectstatic", "--no-input", "-v", "0", env=putright_env(root.parent, static_root=root))
    return root
