"""`check --deploy` refuses a checkpoint folder that is missing or cannot be written (issue 16 §6)."""

import os
from pathlib import Path

import pytest

from trackii.audit.checks import check_checkpoint_dir


def error_ids(settings, directory) -> list[str]:
    settings.TRACKII_AUDIT_CHECKPOINT_DIR = directory
    return [error.id for error in check_checkpoint_dir()]


def test_a_writable_folder_passes_and_keeps_nothing_of_the_check(settings, tmp_path):
    assert error_ids(settings, tmp_path) == []
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_an_error(settings, tmp_path):
    assert error_ids(settings, tmp_path / "not-mounted") == ["trackii.E131"]
    assert not (tmp_path / "not-mounted").exists()  # the check creates nothing


def test_a_file_in_its_place_is_an_error(settings, tmp_path):
    (tmp_path / "checkpoints").write_text("")
    assert error_ids(settings, tmp_path / "checkpoints") == ["trackii.E131"]


@pytest.fixture
def unwritable_folder(tmp_path):
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir(mode=0o500)
        yield folder
        folder.chmod(0o700)
    else:
        # root writes through any mode bits; no one can create a file in a process's /proc folder.
        yield Path("/proc/self")


def test_a_folder_that_cannot_be_written_is_an_error(settings, unwritable_folder):
    assert error_ids(settings, unwritable_folder) == ["trackii.E132"]
