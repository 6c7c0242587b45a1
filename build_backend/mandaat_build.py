"""mandaat's build backend: hatchling, plus the durable-rules engine on Python 3.13 and later.

durable-rules 2.0.28, the last release, calls ``PyEval_CallObject``, which CPython 3.13 removed. On
Python 3.11 and 3.12 this backend is hatchling unchanged, and pip installs the released durable-rules
as an ordinary dependency (``durable-rules==2.0.28; python_version < "3.13"`` in pyproject.toml).

On Python 3.13 and later, building a wheel (regular or editable) also:

1. obtains the pinned durable-rules sdist: from ``$MANDAAT_DURABLE_SDIST`` if set (a path to the
   file, for offline builds), else from the cache (``$MANDAAT_BUILD_CACHE``, default
   ``$XDG_CACHE_HOME/mandaat`` or ``~/.cache/mandaat``), else with ``pip download`` from pip's
   configured index, the hash pinned in the requirement (``--hash=sha256:…``): pip's hash-checking mode
   refuses another file before it prepares it, so nothing an index serves runs unless it is the pinned
   file;
2. reads the file once and refuses those bytes unless their SHA-256 is ``DURABLE_SDIST_SHA256``; the same
   bytes are extracted, and cached through a private temporary file renamed into place;
3. applies ``durable-rules-py313.patch`` (beside this file), hunk by hunk at the exact lines;
4. builds it with setuptools into a wheel for the running interpreter;
5. puts that wheel's contents (the ``durable`` package and the ``durable_rules_engine`` extension)
   into mandaat's wheel, with durable-rules' MIT licence under
   ``mandaat-*.dist-info/licenses/durable-rules/LICENSE``, and tags mandaat's wheel for that
   interpreter and platform (for example ``cp313-cp313-linux_x86_64``).

So ``pip install .``, ``pip install -e .``, ``python -m build``, pipx and uv give a working
``import durable.engine`` with the same commands on every supported Python. Building needs a C
compiler on every version, as durable-rules always did.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
import re
import stat
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import hatchling.build as _hatchling

DURABLE_VERSION = "2.0.28"
DURABLE_SDIST_NAME = f"durable_rules-{DURABLE_VERSION}.tar.gz"
DURABLE_SDIST_SHA256 = "053b26f5e48d312d4fa27995243f954671be6eece477f150c059c364eb4d7d61"
PATCH = Path(__file__).resolve().parent / "durable-rules-py313.patch"

# The interpreters on which the released durable-rules does not work.
NEEDS_PATCHED_ENGINE = sys.version_info >= (3, 13)

# What building the engine needs besides hatchling: setuptools builds it, pip downloads its sdist.
ENGINE_BUILD_REQUIRES = ["setuptools>=70.1", "pip"]

LICENCE_IN_DIST_INFO = "licenses/durable-rules/LICENSE"

# The tag of a wheel built where the released durable-rules is the dependency (CPython 3.11, 3.12).
RELEASED_ENGINE_TAG = "cp311.cp312-none-any"


class EngineBuildError(RuntimeError):
    pass


# --- PEP 517 hooks ---------------------------------------------------------------------------

build_sdist = _hatchling.build_sdist
get_requires_for_build_sdist = _hatchling.get_requires_for_build_sdist


def get_requires_for_build_wheel(config_settings=None):
    extra = ENGINE_BUILD_REQUIRES if NEEDS_PATCHED_ENGINE else []
    return [*_hatchling.get_requires_for_build_wheel(config_settings), *extra]


def get_requires_for_build_editable(config_settings=None):
    extra = ENGINE_BUILD_REQUIRES if NEEDS_PATCHED_ENGINE else []
    return [*_hatchling.get_requires_for_build_editable(config_settings), *extra]


# hatchling leaves these two hooks out under pip (pypa/hatch#532); so does this backend, then.
if hasattr(_hatchling, "prepare_metadata_for_build_wheel"):

    def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
        name = _hatchling.prepare_metadata_for_build_wheel(metadata_directory, config_settings)
        if NEEDS_PATCHED_ENGINE:
            _add_licence_field(Path(metadata_directory) / name / "METADATA")
        return name


if hasattr(_hatchling, "prepare_metadata_for_build_editable"):

    def prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
        name = _hatchling.prepare_metadata_for_build_editable(metadata_directory, config_settings)
        if NEEDS_PATCHED_ENGINE:
            _add_licence_field(Path(metadata_directory) / name / "METADATA")
        return name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = _hatchling.build_wheel(wheel_directory, config_settings, metadata_directory)
    if not NEEDS_PATCHED_ENGINE:
        # Pure Python, but only complete where the released durable-rules works: a wheel built here
        # must not be picked on 3.13+, where pip should build from the sdist instead.
        return _rewrite_wheel(Path(wheel_directory), name, RELEASED_ENGINE_TAG)
    return _with_engine(Path(wheel_directory), name)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    name = _hatchling.build_editable(wheel_directory, config_settings, metadata_directory)
    if not NEEDS_PATCHED_ENGINE:
        return name
    return _with_engine(Path(wheel_directory), name)


# --- the engine ------------------------------------------------------------------------------


def _log(message: str) -> None:
    print(f"mandaat build: {message}", file=sys.stderr, flush=True)


def _cache_dir() -> Path:
    if os.environ.get("MANDAAT_BUILD_CACHE"):
        return Path(os.environ["MANDAAT_BUILD_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mandaat"


# The sdist is about 60 kB; a file much larger than that is not it, and is not read whole.
_MAX_SDIST_BYTES = 16 << 20


def _read_once(path: Path) -> bytes:
    """The bytes of the regular file at ``path``, read in one go (a folder, FIFO or device is refused)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise OSError(f"{path}: not a regular file")
        data = f.read(_MAX_SDIST_BYTES + 1)
    if len(data) > _MAX_SDIST_BYTES:
        raise OSError(f"{path}: larger than {_MAX_SDIST_BYTES} bytes")
    return data


def _verified(data: bytes, origin: object) -> bool:
    actual = hashlib.sha256(data).hexdigest()
    if actual != DURABLE_SDIST_SHA256:
        _log(f"{origin}: SHA-256 {actual}, expected {DURABLE_SDIST_SHA256}; not using it")
        return False
    return True


def _obtain_sdist(workdir: Path) -> bytes:
    """The bytes of the pinned durable-rules sdist, their SHA-256 checked: whoever changes a file after
    this has read it changes nothing that is built."""
    given = os.environ.get("MANDAAT_DURABLE_SDIST")
    if given:
        try:
            data = _read_once(Path(given))
        except OSError as e:
            raise EngineBuildError(f"MANDAAT_DURABLE_SDIST={given}: cannot read it ({e})") from None
        if not _verified(data, given):
            raise EngineBuildError(f"MANDAAT_DURABLE_SDIST={given}: not the durable-rules {DURABLE_VERSION} sdist")
        return data
    cached = _cache_dir() / DURABLE_SDIST_NAME
    try:
        data = _read_once(cached)
    except OSError:
        pass  # not cached yet, or not a file this build can use
    else:
        if _verified(data, cached):
            return data
    data = _download(workdir)
    _store(cached, data)
    return data


def _download(workdir: Path) -> bytes:
    """The sdist from pip's configured index. The hash is pinned in the requirement itself, so pip
    refuses any other file as soon as it has it, before it prepares (runs) anything in it."""
    download = workdir / "download"
    requirement = workdir / "durable-rules.txt"
    requirement.write_text(f"durable-rules=={DURABLE_VERSION} --hash=sha256:{DURABLE_SDIST_SHA256}\n", encoding="utf-8")
    _log(f"downloading durable-rules {DURABLE_VERSION} (sdist) with pip, SHA-256 pinned")
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "--require-hashes",
        "--no-build-isolation", "--disable-pip-version-check", "--dest", str(download),
        "--requirement", str(requirement),
    ]  # fmt: skip
    # This runs inside a build frontend's hook process, whose variables tell a hook where mandaat's backend
    # is; pip must prepare durable-rules with durable-rules' own backend, so they are not passed on.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_PYPROJECT_HOOKS_", "PEP517_"))}
    result = subprocess.run(command, stdout=sys.stderr, stderr=sys.stderr, env=env)
    path = download / DURABLE_SDIST_NAME
    try:
        data = _read_once(path) if result.returncode == 0 else None
    except OSError:
        data = None
    if data is None:
        raise EngineBuildError(
            f"could not download durable-rules {DURABLE_VERSION} with SHA-256 {DURABLE_SDIST_SHA256}; set "
            f"MANDAAT_DURABLE_SDIST to the path of {DURABLE_SDIST_NAME} to build offline"
        )
    if not _verified(data, path):
        raise EngineBuildError(f"the downloaded {DURABLE_SDIST_NAME} is not the one this build is pinned to")
    return data


def _store(cached: Path, data: bytes) -> None:
    """Put the sdist in the cache: written to a new private file in the cache folder, then renamed over
    the entry (a link planted at the entry's name is replaced, never followed)."""
    try:
        cached.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temporary = tempfile.mkstemp(dir=cached.parent, prefix=f".{DURABLE_SDIST_NAME}.", suffix=".tmp")
        try:
            with open(fd, "wb") as f:
                f.write(data)
            os.replace(temporary, cached)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as e:  # a read-only home is no reason to fail the build
        _log(f"not caching the sdist ({e})")


_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def apply_patch(patch: str, root: Path) -> None:
    """Apply a unified diff exactly: every hunk at its stated line, context and removals verified."""
    files: list[tuple[str, list[tuple[int, list[str]]]]] = []
    lines = patch.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            target = lines[i + 1][4:].split("\t")[0].strip()
            target = target[2:] if target.startswith("b/") else target
            files.append((target, []))
            i += 2
            continue
        match = _HUNK.match(lines[i])
        if match and files:
            start, old_len = int(match[1]), int(match[2] if match[2] is not None else 1)
            new_len = int(match[4] if match[4] is not None else 1)
            body, i = [], i + 1
            old_seen = new_seen = 0
            while i < len(lines) and (old_seen < old_len or new_seen < new_len):
                line = lines[i] or " "
                if line[0] in " -":
                    old_seen += 1
                if line[0] in " +":
                    new_seen += 1
                body.append(line)
                i += 1
            files[-1][1].append((start, body))
            continue
        i += 1
    if not files:
        raise EngineBuildError(f"{PATCH.name}: no changes found")
    for target, hunks in files:
        path = root / target
        text = path.read_text(encoding="utf-8")
        ending = "\r\n" if "\r\n" in text else "\n"
        source = text.split(ending)
        offset = 0
        for start, body in hunks:
            at = start - 1 + offset
            old = [line[1:] for line in body if line[0] in " -"]
            new = [line[1:] for line in body if line[0] in " +"]
            if [s.rstrip() for s in source[at : at + len(old)]] != [s.rstrip() for s in old]:
                raise EngineBuildError(f"{PATCH.name}: hunk at line {start} of {target} does not apply")
            source[at : at + len(old)] = new
            offset += len(new) - len(old)
        path.write_text(ending.join(source), encoding="utf-8", newline="")


def _build_engine(workdir: Path) -> tuple[Path, bytes]:
    """The patched durable-rules wheel for this interpreter, and durable-rules' licence text."""
    sdist = _obtain_sdist(workdir)
    with tarfile.open(fileobj=io.BytesIO(sdist), mode="r:gz") as tar:  # the bytes that were hashed
        tar.extractall(workdir / "src", filter="data")
    source = workdir / "src" / f"durable_rules-{DURABLE_VERSION}"
    apply_patch(PATCH.read_text(encoding="utf-8"), source)
    licence = (source / "LICENSE").read_bytes()
    out = workdir / "wheel"
    _log(f"building durable-rules {DURABLE_VERSION} with {PATCH.name} (needs a C compiler)")
    command = [
        sys.executable, "-c",
        "import sys, setuptools.build_meta as b; b.build_wheel(sys.argv[1])", str(out),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=source, stdout=sys.stderr, stderr=sys.stderr)
    wheels = sorted(out.glob("*.whl")) if out.is_dir() else []
    if result.returncode != 0 or len(wheels) != 1:
        raise EngineBuildError(f"building durable-rules {DURABLE_VERSION} failed (see the compiler output above)")
    return wheels[0], licence


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _wheel_tags(wheel_file: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in wheel_file.splitlines() if line.startswith("Tag:")]


def _add_licence_field(metadata: Path) -> None:
    metadata.write_text(_with_licence_field(metadata.read_text(encoding="utf-8")), encoding="utf-8")


def _with_licence_field(metadata: str) -> str:
    headers, sep, body = metadata.partition("\n\n")
    lines = headers.splitlines()
    field = f"License-File: {LICENCE_IN_DIST_INFO.removeprefix('licenses/')}"
    if field in lines:
        return metadata
    at = max(
        (n + 1 for n, line in enumerate(lines) if line.startswith(("License-File:", "License-Expression:"))),
        default=len(lines),
    )
    lines.insert(at, field)
    return "\n".join(lines) + (sep + body if sep else "\n")


def _with_engine(wheel_directory: Path, name: str) -> str:
    with tempfile.TemporaryDirectory(prefix="mandaat-engine-") as tmp:
        engine_wheel, licence = _build_engine(Path(tmp))
        with zipfile.ZipFile(engine_wheel) as engine:
            tags = _wheel_tags(
                engine.read(next(n for n in engine.namelist() if n.endswith(".dist-info/WHEEL"))).decode()
            )
            engine_files = [
                (info, engine.read(info))
                for info in engine.infolist()
                if not info.is_dir() and ".dist-info/" not in info.filename
            ]
    if len(tags) != 1:
        raise EngineBuildError(f"the durable-rules wheel has tags {tags}; expected one")
    new_name = _rewrite_wheel(wheel_directory, name, tags[0], engine_files, licence)
    _log(f"{new_name}: mandaat with the patched durable-rules {DURABLE_VERSION} engine")
    return new_name


def _rewrite_wheel(
    wheel_directory: Path,
    name: str,
    tag: str,
    extra_files: list[tuple[zipfile.ZipInfo, bytes]] = (),
    licence: bytes | None = None,
) -> str:
    """Retag hatchling's wheel; add files (not in .dist-info) and durable-rules' licence if given."""
    original = wheel_directory / name
    dist, version = name.split("-")[:2]
    new_name = f"{dist}-{version}-{tag}.whl"
    target = wheel_directory / new_name
    rows = []
    with zipfile.ZipFile(original) as src:
        infos = [info for info in src.infolist() if not info.is_dir()]
        dist_info = next(i.filename.split("/")[0] for i in infos if i.filename.endswith(".dist-info/WHEEL"))
        taken = {i.filename for i in infos}
        clash = [info.filename for info, _ in extra_files if info.filename in taken]
        if clash:
            raise EngineBuildError(f"durable-rules files clash with mandaat's: {clash}")
        stamp = next(i for i in infos if i.filename == f"{dist_info}/METADATA").date_time
        tmp_target = wheel_directory / f".{new_name}.tmp"
        with zipfile.ZipFile(tmp_target, "w", zipfile.ZIP_DEFLATED) as out:

            def put(info: zipfile.ZipInfo, data: bytes) -> None:
                info.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(info, data)
                rows.append((info.filename, _record_hash(data), str(len(data))))

            # The package first, then the engine, then the .dist-info files, RECORD last.
            ordered = sorted(infos, key=lambda i: i.filename.startswith(f"{dist_info}/"))
            package = [i for i in ordered if not i.filename.startswith(f"{dist_info}/")]
            for info in package:
                put(info, src.read(info))
            for info, data in extra_files:
                put(info, data)
            for info in ordered[len(package) :]:
                if info.filename == f"{dist_info}/RECORD":
                    continue
                data = src.read(info)
                if info.filename == f"{dist_info}/WHEEL":
                    text = data.decode()
                    if extra_files:
                        text = re.sub(r"(?m)^Root-Is-Purelib: .*$", "Root-Is-Purelib: false", text)
                    text = re.sub(r"(?m)^Tag: .*\n?", "", text).rstrip("\n") + f"\nTag: {tag}\n"
                    data = text.encode()
                elif info.filename == f"{dist_info}/METADATA" and licence is not None:
                    data = _with_licence_field(data.decode()).encode()
                put(info, data)
            if licence is not None:
                licence_info = zipfile.ZipInfo(f"{dist_info}/{LICENCE_IN_DIST_INFO}", stamp)
                licence_info.external_attr = 0o644 << 16
                put(licence_info, licence)
            record = io.StringIO()
            writer = csv.writer(record, lineterminator="\n")
            writer.writerows(rows)
            writer.writerow((f"{dist_info}/RECORD", "", ""))
            record_info = zipfile.ZipInfo(f"{dist_info}/RECORD", stamp)
            record_info.external_attr = 0o644 << 16
            out.writestr(record_info, record.getvalue(), zipfile.ZIP_DEFLATED)
    os.replace(tmp_target, target)
    if target != original:
        original.unlink()
    return new_name
