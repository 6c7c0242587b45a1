"""The receipt of an evaluation: which mandaat, which rulebook files and which resolved scenario, with
which settings. `mandaat replay` reads it back to produce the report again and say what changed.

Every rulebook file and every seed a source names is hashed (SHA-256 of its bytes); the scenario is
hashed as resolved (after `extends`), in canonical JSON, so that a base file's change shows too.
Paths are kept relative to the working folder when they lie under it, so that a report stays the same
on another checkout.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

from ..model.report import FileHash, Receipt
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario
from ..model.version import version
from .rulebook_cache import file_sha256


def sha256_bytes(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex."""
    return hashlib.sha256(data).hexdigest()


def shown(path: Path) -> str:
    """``path`` relative to the working folder when it lies under it, else absolute."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(resolved)


def rule_files(book: Rulebook) -> list[Path]:
    """The files a rulebook is made of: its YAML files and the seeds its sources name, sorted."""
    files = {p.resolve() for p in book.root.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml")}
    files |= {book.source_path(name) for name in book.sources if book.source_path(name).is_file()}
    return sorted(files)


def rule_hashes(book: Rulebook) -> list[FileHash]:
    """Each rulebook file by its name under the project (``rules/e1-attacks.yaml``) and its SHA-256."""
    project = book.root.parent.resolve()
    out = []
    for path in rule_files(book):
        name = path.relative_to(project).as_posix() if path.is_relative_to(project) else str(path)
        out.append(FileHash(path=name, sha256=file_sha256(path)))
    return out


def scenario_hash(scenario: Scenario) -> str:
    """The SHA-256 of the resolved scenario in canonical JSON."""
    data = json.dumps(scenario.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return sha256_bytes(data.encode("utf-8"))


def make_receipt(
    book: Rulebook,
    scenario: Scenario,
    file: Path,
    *,
    theory: str,
    theory_given: str | None,
    params: dict[str, Any],
    as_of: date | None,
    engine: str,
    lang: str,
) -> Receipt:
    """The receipt of evaluating ``scenario`` (read from ``file``) with these settings."""
    rules = rule_hashes(book)
    digest = sha256_bytes("".join(f"{h.sha256}  {h.path}\n" for h in rules).encode("utf-8"))
    raw = file.read_bytes() if file.is_file() else None
    return Receipt(
        mandaat_version=version(),
        rules_dir=shown(book.root),
        rules=rules,
        rules_sha256=digest,
        scenario=FileHash(path=str(file) if not file.is_absolute() else shown(file), sha256=scenario_hash(scenario)),
        scenario_file_sha256=sha256_bytes(raw) if raw is not None else None,
        theory=theory,
        theory_given=theory_given,
        params=dict(params),
        as_of=as_of.isoformat() if as_of else None,
        engine=engine,
        language=lang,
    )
