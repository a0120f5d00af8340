import os
import shutil
from pathlib import Path

import pytest

from dashboard.dataset import load_dataset

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Cache and scenario database in temp folders: tests never touch a user's files."""
    os.environ["CAREGAP_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["CAREGAP_DATA_DIR"] = str(tmp_path_factory.mktemp("appdata"))  # scenario database
    os.environ["LC_ALL"] = "C.UTF-8"  # commands speak their default language (German), whatever the user's locale


@pytest.fixture(scope="session")
def tiny():
    return load_dataset(FIXTURES / "tiny")


@pytest.fixture
def tiny_copy(tmp_path):
    """A writable copy of the tiny dataset folder, for tests that break one file."""
    target = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "tiny", target)
    return target


def require_shared_data() -> Path:
    """The public source data; CI must have it, elsewhere tests that need it skip."""
    if SHARED_DATA.is_dir():
        return SHARED_DATA
    if os.environ.get("CI"):
        pytest.fail(f"public source data {SHARED_DATA} missing on CI")
    pytest.skip("public source data ../shared/data not present")
