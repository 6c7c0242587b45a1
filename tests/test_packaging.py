"""Packaging: the engine is installed on every supported Python, one version, the pre-commit hook."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

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
