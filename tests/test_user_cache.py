"""The user's cache: an entry someone else could have written is never read, and the message catalogue is
kept as data that runs no code. A planted entry here is a pickle that writes a marker file when loaded."""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mandaat.model import user_cache, words
from mandaat.read import rulebook_cache

ROOT = Path(__file__).resolve().parent.parent
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


class Planted:
    """Loaded from a pickle, it runs code: it writes ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (exec, (f"open({str(self.marker)!r}, 'w').close()",))


def _plant(entry: Path, header: bytes, marker: Path, mode: int = 0o600) -> None:
    entry.write_bytes(header + pickle.dumps(Planted(marker)))
    entry.chmod(mode)


def _rulebook_entry(folder: Path) -> Path:
    return folder / f"{rulebook_cache._key(rulebook_cache.default_rules_dir())}.pickle"


def _catalogue_entry(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MANDAAT_CACHE_DIR", str(folder))
    with os.scandir(words._MESSAGES) as found:
        files = sorted((e for e in found if e.name.endswith(".yaml")), key=lambda e: e.name)
    entry = words._entry(files)
    assert entry is not None
    return entry


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    yield cache
    cache.chmod(0o700)


def test_a_planted_cache_runs_no_code_on_rules_list(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "ran"
    _plant(_rulebook_entry(folder), rulebook_cache._FORMAT, marker)
    _plant(_catalogue_entry(folder, monkeypatch), words._FORMAT, marker)
    folder.chmod(0o777)  # anyone may have put them there
    result = subprocess.run(
        [sys.executable, "-m", "mandaat", "rules", "list"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "MANDAAT_CACHE_DIR": str(folder)},
        cwd=ROOT,
    )
    assert not marker.exists(), "a cache entry that others could write was loaded"
    assert result.returncode == 0, result.stderr
    assert "E1" in result.stdout


def _others_write_the_folder(folder: Path, entry: Path) -> None:
    folder.chmod(0o777)


def _group_writes_the_folder(folder: Path, entry: Path) -> None:
    folder.chmod(0o770)


def _others_write_the_entry(folder: Path, entry: Path) -> None:
    entry.chmod(0o666)


def _group_writes_the_entry(folder: Path, entry: Path) -> None:
    entry.chmod(0o620)


def _entry_is_a_link(folder: Path, entry: Path) -> None:
    target = folder.parent / "elsewhere"
    os.replace(entry, target)
    entry.symlink_to(target)


def _another_user_owns_the_entry(folder: Path, entry: Path) -> None:
    os.chown(entry, 65534, 65534)


def _another_user_owns_the_folder(folder: Path, entry: Path) -> None:
    os.chown(folder, 65534, 65534)
    folder.chmod(0o755)


UNTRUSTED = [
    _others_write_the_folder,
    _group_writes_the_folder,
    _others_write_the_entry,
    _group_writes_the_entry,
    _entry_is_a_link,
    pytest.param(_another_user_owns_the_entry, marks=pytest.mark.skipif(not IS_ROOT, reason="chown needs root")),
    pytest.param(_another_user_owns_the_folder, marks=pytest.mark.skipif(not IS_ROOT, reason="chown needs root")),
]


@pytest.mark.parametrize("untrusted", UNTRUSTED)
def test_a_rulebook_entry_someone_else_could_write_is_not_loaded(folder: Path, tmp_path: Path, untrusted) -> None:
    marker = tmp_path / "ran"
    entry = _rulebook_entry(folder)
    _plant(entry, rulebook_cache._FORMAT, marker)
    untrusted(folder, entry)
    assert rulebook_cache._read(entry) is None
    assert not marker.exists()
    with pytest.raises(OSError):
        user_cache.open_entry(entry)


def test_a_private_entry_is_read(folder: Path) -> None:
    entry = folder / "x.entry"
    user_cache.write_entry(entry, b"data")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    with user_cache.open_entry(entry) as handle:
        assert handle.read() == b"data"


def test_the_catalogue_entry_is_data_that_runs_no_code(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "ran"
    entry = _catalogue_entry(folder, monkeypatch)
    _plant(entry, words._FORMAT, marker)  # in the user's own private folder
    assert words._read(entry) is None
    assert not marker.exists()
    catalogue = words._merge([Path(p) for p in sorted(words._MESSAGES.glob("*.yaml"))])
    words._write(entry, catalogue)
    assert words._read(entry) == catalogue
    assert not entry.read_bytes()[len(words._FORMAT) :].startswith(b"\x80")  # not a pickle
    entry.write_bytes(words._FORMAT + b'{"key": {"nl": "x"}}')  # the shape is checked too
    assert words._read(entry) is None


def test_writing_an_entry_replaces_a_planted_link_and_never_follows_it(folder: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("mine")
    entry = folder / "x.messages"
    entry.symlink_to(victim)
    user_cache.write_entry(entry, b"data")
    assert victim.read_text() == "mine"
    assert not entry.is_symlink() and entry.read_bytes() == b"data"
    assert [p.name for p in folder.iterdir()] == ["x.messages"]  # no temporary left


def test_nothing_is_written_into_a_chosen_folder_others_can_write(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MANDAAT_CACHE_DIR", str(folder))
    folder.chmod(0o777)
    with pytest.raises(user_cache.UntrustedCache):
        user_cache.write_entry(folder / "x.pickle", b"data")
    assert not list(folder.iterdir())
    assert stat.S_IMODE(folder.stat().st_mode) == 0o777  # the user's own choice, left as it is


def test_the_default_folder_is_made_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MANDAAT_CACHE_DIR", raising=False)
    monkeypatch.delenv("MANDAAT_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    folder = user_cache.cache_folder()
    assert folder == tmp_path / "xdg" / "mandaat" / "rulebooks"
    user_cache.write_entry(folder / "a.pickle", b"a")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # made by mandaat: private
    folder.chmod(0o775)  # as a umask of 002 made it before
    user_cache.write_entry(folder / "b.pickle", b"b")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    with user_cache.open_entry(folder / "b.pickle") as handle:
        assert handle.read() == b"b"
