"""Start-up: `mandaat evaluate` imports only what it uses, and spares pydantic's search for plugins."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mandaat.commands import process

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "2018-04-kamerbrief.yaml"

# What the command line runs, then the modules the process holds at its end (the engine's child is not seen).
_PROBE = """
import json, sys
sys.argv = ["mandaat", "--rules", sys.argv[1], "evaluate", sys.argv[2]]
from mandaat.cli import run
try:
    run()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""

# Never needed to evaluate a scenario into a text report once the rulebook is in the user's cache.
NOT_IMPORTED = (
    "importlib.metadata",  # pydantic's plugin search
    "importlib.resources",
    "difflib",  # only for a name that is wrong
    "tempfile",  # only when a file is written
    "ctypes",  # only in the engine's child
    "jinja2",
    "mandaat.analysis",
    "mandaat.read.rulebook",  # the loader and its checks: the cached rulebook needs neither
    "mandaat.read.rule_checks",
    "mandaat.read.schema",
    "mandaat.read.advice",
    "mandaat.render.html",
    "mandaat.render.docx",
    "mandaat.render.markdown",
    "mandaat.render.pdf",
    "weasyprint",  # only for a PDF nota
    "tomllib",  # only for a nota's project file
    "mandaat.studio",
)


def _modules(cache: Path) -> set[str]:
    env = {**os.environ, "MANDAAT_CACHE_DIR": str(cache)}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(ROOT / "rules"), str(BASELINE)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "Scenario 2018-04-kamerbrief" in result.stdout
    line = next(x for x in result.stderr.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


def test_evaluate_imports_only_what_it_uses(tmp_path: Path) -> None:
    _modules(tmp_path)  # the first run checks the rulebook and fills the cache
    loaded = _modules(tmp_path)
    unexpected = sorted(m for m in loaded for name in NOT_IMPORTED if m == name or m.startswith(name + "."))
    assert unexpected == []
    assert "mandaat.model.scenario" in loaded and "click" in loaded  # the probe did run the command


@pytest.fixture
def fresh_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """pydantic's plugin loader as if not yet imported, restored afterwards."""
    monkeypatch.delitem(sys.modules, process._LOADER, raising=False)


@pytest.mark.usefixtures("fresh_loader")
def test_plugins_disabled_without_the_search(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    process.without_pydantic_plugins()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
    from pydantic.plugin._loader import get_plugins

    assert list(get_plugins()) == []
    assert isinstance(sys.modules[process._LOADER], process._StandIn)
    # anything else asked of the loader comes from pydantic's own module
    from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP

    assert PYDANTIC_ENTRY_POINT_GROUP == "pydantic"
    assert not isinstance(sys.modules[process._LOADER], process._StandIn)


@pytest.mark.usefixtures("fresh_loader")
def test_a_users_choice_of_plugins_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "some_plugin")
    process.without_pydantic_plugins()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "some_plugin"
    assert process._LOADER not in sys.modules  # pydantic's own loader will search, as the user asked


@pytest.mark.usefixtures("fresh_loader")
def test_the_stand_in_follows_a_later_change_of_mind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    process.without_pydantic_plugins()
    stand_in = sys.modules[process._LOADER]
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "some_plugin")
    assert list(stand_in.get_plugins()) == []  # the real loader's answer: nothing is installed here


def test_the_cache_key_follows_every_rule_file_and_no_bytecode(tmp_path: Path) -> None:
    from mandaat.read import rulebook_cache

    root = tmp_path / "rules"
    (root / "sub" / "__pycache__").mkdir(parents=True)
    (root / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    (root / "sub" / "b.yaml").write_text("b: 1\n", encoding="utf-8")
    assert [name for name, _ in rulebook_cache._walk(str(root))] == ["a.yaml", "sub/b.yaml"]
    key = rulebook_cache._key(root)
    (root / "sub" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert rulebook_cache._key(root) == key
    (root / "sub" / "b.yaml").write_text("b: 22\n", encoding="utf-8")  # another size: hashed anew
    assert rulebook_cache._key(root) != key
    assert rulebook_cache.file_sha256(root / "sub" / "b.yaml") == hashlib.sha256(b"b: 22\n").hexdigest()


@pytest.fixture
def own_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A catalogue folder and a cache folder of the test's own; the real catalogue again afterwards."""
    from mandaat.model import words

    folder = tmp_path / "messages"
    folder.mkdir()
    monkeypatch.setattr(words, "_MESSAGES", folder)
    monkeypatch.setenv("MANDAAT_CACHE_DIR", str(tmp_path / "cache"))
    words.catalogue.cache_clear()
    yield folder
    words.catalogue.cache_clear()


def test_the_catalogue_is_cached_until_a_file_changes(own_catalogue: Path, tmp_path: Path) -> None:
    from mandaat.model import words

    (own_catalogue / "a.yaml").write_text("hello: {nl: hallo, en: hello}\n", encoding="utf-8")
    assert words.word("hello", "nl") == "hallo"
    assert len(list((tmp_path / "cache").glob("*.messages"))) == 1
    words.catalogue.cache_clear()
    assert words.word("hello", "en") == "hello"  # from the cache entry
    (own_catalogue / "a.yaml").write_text("hello: {nl: goedendag, en: good day}\n", encoding="utf-8")
    words.catalogue.cache_clear()
    assert words.word("hello", "nl") == "goedendag"


def test_a_defective_catalogue_is_never_cached(own_catalogue: Path, tmp_path: Path) -> None:
    from mandaat.model import words

    (own_catalogue / "a.yaml").write_text("hello: {nl: hallo}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lacks a language"):
        words.catalogue()
    assert not list((tmp_path / "cache").glob("*.messages"))
