from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.fixture
def putright(tmp_path):
    """Run the real ``putright`` command in a fresh process, as staff would."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PUTRIGHT_DATA_DIR": str(tmp_path)}
        return subprocess.run(
            [sys.executable, "-m", "putright", *args], env=env, capture_output=True, text=True, timeout=60
        )

    return run
