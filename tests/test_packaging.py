"""Packaging: the engine is installed on every supported Python, one version, the pre-commit hook; the build
backend takes only the pinned durable-rules sdist, from a fake index or a planted file, without a network."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
PATCH = ROOT / "build_backend" / "durable-rules-py313.patch"
SCENARIO = ROOT / "scenarios" / "2018-04-kamerbrief.yaml"


def test_the_engine_is_installed_and_imports():
    # On 3.11/3.12 the released durable-rules; on 3.13+ the patched build inside mandaat's wheel.
    import durable.engine  # noqa: F401
    import durable_rules_engine

    assert callable(durable_rules_engine.create_ruleset)


def test_version_is_read_from_the_installed_metadata():
    import mandaat

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert importlib.metadata.version("mandaat") == declared
    assert mandaat.__version__ == declared


def test_patch_replaces_each_removed_call_and_nothing_else():
    text = PATCH.read_text(encoding="utf-8")
    removed = [line[1:] for line in text.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in text.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert len(removed) == len(added) == 5
    for old, new in zip(removed, added, strict=True):
        assert "PyEval_CallObject(" in old
        assert new == old.replace("PyEval_CallObject(", "PyObject_CallObject(")


def test_build_backend_pins_the_sdist_by_sha256():
    source = (ROOT / "build_backend" / "mandaat_build.py").read_text(encoding="utf-8")
    assert re.search(r'^DURABLE_SDIST_SHA256 = "[0-9a-f]{64}"$', source, re.M)
    assert re.search(r'^DURABLE_VERSION = "2\.0\.28"$', source, re.M)


# --- the durable-rules sdist: only the pinned file is used, and nothing else from an index runs -----------

SDIST_NAME = "durable_rules-2.0.28.tar.gz"


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ModuleType:
    """build_backend/mandaat_build.py, loaded afresh, with its cache in tmp_path and no sdist given."""
    path = ROOT / "build_backend" / "mandaat_build.py"
    spec = importlib.util.spec_from_file_location("mandaat_build_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setenv("MANDAAT_BUILD_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("MANDAAT_DURABLE_SDIST", raising=False)
    for work in ("work", "work2"):  # the build's temporary folders
        (tmp_path / work).mkdir()
    return module


def _sdist(files: dict[str, str]) -> bytes:
    """A durable_rules-2.0.28.tar.gz holding ``files`` under its top folder."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"durable_rules-2.0.28/{name}")
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _preparable_sdist(on_import: str) -> bytes:
    """An sdist that pip can prepare without setuptools (an in-tree build backend); its backend runs
    ``on_import`` as soon as pip loads it to prepare the metadata."""
    return _sdist(
        {
            "PKG-INFO": "Metadata-Version: 2.1\nName: durable-rules\nVersion: 2.0.28\n",
            "pyproject.toml": '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n',
            "backend.py": _fake_backend(on_import),
            "LICENSE": "MIT\n",
        }
    )


def _fake_backend(on_import: str) -> str:
    """A build backend that can only prepare metadata."""
    return f"""{on_import}
from pathlib import Path


def get_requires_for_build_wheel(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(directory, config_settings=None):
    info = Path(directory) / "durable_rules-2.0.28.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\\nName: durable-rules\\nVersion: 2.0.28\\n")
    return info.name
"""


@pytest.fixture
def index(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[bytes], None]:
    """Make pip's only index a folder in tmp_path (file://, a PEP 503 simple index) that serves the given
    bytes as durable-rules 2.0.28's sdist; no configuration file, link folder or other index is read."""
    simple = tmp_path / "simple"

    def serve(sdist: bytes) -> None:
        project = simple / "durable-rules"
        project.mkdir(parents=True)
        (project / SDIST_NAME).write_bytes(sdist)
        (project / "index.html").write_text(f'<html><body><a href="{SDIST_NAME}">{SDIST_NAME}</a></body></html>\n')

    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_INDEX_URL", simple.as_uri())
    for name in ("PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_CONSTRAINT", "PIP_REQUIREMENT", "PIP_NO_INDEX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PIP_NO_CACHE_DIR", "1")
    return serve


def test_an_index_serving_another_sdist_runs_none_of_it(
    backend: ModuleType, index: Callable[[bytes], None], tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    index(_preparable_sdist(f"open({str(marker)!r}, 'w').close()"))
    with pytest.raises(backend.EngineBuildError) as refused:
        backend._obtain_sdist(tmp_path / "work")
    assert not marker.exists(), "the build ran code from an sdist whose hash is not the pinned one"
    assert "SHA-256" in str(refused.value)
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_the_pinned_sdist_comes_through_pip_and_is_cached_through_a_private_file(
    backend: ModuleType, index: Callable[[bytes], None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sdist = _preparable_sdist("")
    monkeypatch.setattr(backend, "DURABLE_SDIST_SHA256", hashlib.sha256(sdist).hexdigest())
    index(sdist)
    cache = tmp_path / "cache"
    cache.mkdir()
    victim = tmp_path / "victim"
    victim.write_text("mine")
    for name in (f"durable_rules-2.0.28.tar.{os.getpid()}.tmp", f".{SDIST_NAME}.tmp"):  # predictable names
        (cache / name).symlink_to(victim)
    obtained = backend._obtain_sdist(tmp_path / "work")
    assert victim.read_bytes() == b"mine", "writing the cache followed a planted link"
    assert obtained == sdist
    entry = cache / SDIST_NAME
    assert entry.is_file() and not entry.is_symlink() and entry.read_bytes() == sdist
    assert sorted(p.name for p in cache.iterdir() if not p.is_symlink()) == [SDIST_NAME]  # no temporary left
    # The next build takes it from the cache: no index is asked.
    monkeypatch.setenv("PIP_INDEX_URL", (tmp_path / "nowhere").as_uri())
    assert backend._obtain_sdist(tmp_path / "work2") == sdist


def test_the_download_works_inside_a_build_frontends_hook(
    backend: ModuleType, index: Callable[[bytes], None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As durable-rules, this sdist names an installed build backend (setuptools' there, one on PYTHONPATH
    here), not one of its own; pip must find it even though mandaat's backend runs in a frontend's hook
    process, whose variables name mandaat's backend folder."""
    sdist = _sdist(
        {
            "PKG-INFO": "Metadata-Version: 2.1\nName: durable-rules\nVersion: 2.0.28\n",
            "pyproject.toml": '[build-system]\nrequires = []\nbuild-backend = "installed_backend"\n',
        }
    )
    installed = tmp_path / "site"
    installed.mkdir()
    (installed / "installed_backend.py").write_text(_fake_backend(""))
    monkeypatch.setenv("PYTHONPATH", str(installed))
    hooks_folder = json.dumps([str(ROOT / "build_backend")])
    monkeypatch.setenv("_PYPROJECT_HOOKS_BACKEND_PATH_JSON", hooks_folder)  # as pip's hook runner sets them
    monkeypatch.setenv("_PYPROJECT_HOOKS_BACKEND_PATH", str(ROOT / "build_backend"))
    monkeypatch.setattr(backend, "DURABLE_SDIST_SHA256", hashlib.sha256(sdist).hexdigest())
    index(sdist)
    assert backend._obtain_sdist(tmp_path / "work") == sdist


def test_the_sdist_extracted_is_the_one_hashed_even_if_swapped_after(
    backend: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _sdist({"LICENSE": "good\n"})
    evil = _sdist({"LICENSE": "evil\n", "setup.py": "raise SystemExit('evil')\n"})
    given = tmp_path / SDIST_NAME
    given.write_bytes(good)
    (tmp_path / "evil.tar.gz").write_bytes(evil)
    monkeypatch.setattr(backend, "DURABLE_SDIST_SHA256", hashlib.sha256(good).hexdigest())
    monkeypatch.setenv("MANDAAT_DURABLE_SDIST", str(given))

    class SwapFirst:
        """tarfile, except that the file given is replaced the moment the sdist is opened to extract it:
        the worst time for a swap, after the hash was checked."""

        def __getattr__(self, name: str) -> object:
            return getattr(tarfile, name)

        @staticmethod
        def open(*args: object, **kwargs: object) -> tarfile.TarFile:
            os.replace(tmp_path / "evil.tar.gz", given)
            return tarfile.open(*args, **kwargs)

    class Extracted(Exception):
        pass

    seen: list[str] = []

    def stop_at_the_patch(patch: str, root: Path) -> None:
        seen.append((root / "LICENSE").read_text())
        seen.extend(sorted(p.name for p in root.iterdir()))
        raise Extracted

    monkeypatch.setattr(backend, "tarfile", SwapFirst())
    monkeypatch.setattr(backend, "apply_patch", stop_at_the_patch)
    with pytest.raises(Extracted):
        backend._build_engine(tmp_path / "work")
    assert seen == ["good\n", "LICENSE"]


def test_a_given_sdist_is_checked_and_never_waited_for(
    backend: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = tmp_path / SDIST_NAME
    wrong.write_bytes(_sdist({"LICENSE": "not it\n"}))
    monkeypatch.setenv("MANDAAT_DURABLE_SDIST", str(wrong))
    with pytest.raises(backend.EngineBuildError, match="not the durable-rules 2.0.28 sdist"):
        backend._obtain_sdist(tmp_path / "work")
    fifo = tmp_path / "fifo.tar.gz"
    os.mkfifo(fifo)
    monkeypatch.setenv("MANDAAT_DURABLE_SDIST", str(fifo))
    with pytest.raises(backend.EngineBuildError, match="MANDAAT_DURABLE_SDIST"):
        backend._obtain_sdist(tmp_path / "work")
    monkeypatch.setattr(backend, "DURABLE_SDIST_SHA256", hashlib.sha256(wrong.read_bytes()).hexdigest())
    monkeypatch.setenv("MANDAAT_DURABLE_SDIST", str(wrong))
    assert backend._obtain_sdist(tmp_path / "work") == wrong.read_bytes()


def _pre_commit() -> list[str] | None:
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    found = shutil.which("pre-commit")
    return [found] if found else None


@pytest.mark.slow
@pytest.mark.ci
def test_pre_commit_hook_validates_scenarios(tmp_path):
    pre_commit = _pre_commit()
    if pre_commit is None:
        pytest.skip("pre-commit is not installed")
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of mandaat")
    repo = tmp_path / "repo"
    (repo / "scenarios").mkdir(parents=True)
    good = SCENARIO.read_text(encoding="utf-8")
    bad = re.sub(r"(?m)^assessed_on: .*$", "assessed_on: 2018-02-30", good)
    assert bad != good
    (repo / "scenarios" / "good.yaml").write_text(good, encoding="utf-8")
    (repo / "scenarios" / "bad.yaml").write_text(bad, encoding="utf-8")
    (repo / "notes.yaml").write_text("not: a scenario\n", encoding="utf-8")  # outside scenarios/: not checked
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }

    def run(*args: str, cwd: Path = repo) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)

    assert run("git", "init", "-q").returncode == 0
    assert run("git", "add", ".").returncode == 0

    both = run(*pre_commit, "try-repo", str(ROOT), "mandaat-validate", "--all-files")
    output = both.stdout + both.stderr
    assert both.returncode == 1, output
    assert "scenarios/bad.yaml:" in output and "geen geldige datum" in output, output  # Dutch, the default
    assert "scenarios/good.yaml: ok" in output, output
    assert "notes.yaml" not in output, output

    good_only = run(*pre_commit, "try-repo", str(ROOT), "mandaat-validate", "--files", "scenarios/good.yaml")
    assert good_only.returncode == 0, good_only.stdout + good_only.stderr
