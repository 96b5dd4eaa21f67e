from tests.cases.conftest import _fast_passwords, code_2024, journey  # noqa: F401 (fixtures)
