"""Hostile input at scale: prints time, memory and output size for the targets of the hostile-input
issue; asserts nothing (the tests check sizes and counts, never times).

    .venv/bin/python benchmarks/hostile.py [--skip-slow] [--durable-limits]

Targets (on the development machine):
- 20,000 keys without a value: `validate` under 2 s;
- a variant removing 10,000 ids unknown to a 5,000-observation base: under 2 s, under 100 KB on stderr;
- a chain of variants over the limits (20 levels, 2.5 MB each): refused under 2 s;
- for information (evidence resolution lives in rules/): 1,000 and 10,000 observations of one indicator
  (targets 2 s and 200 MB, 20 s), and `flips` on 300 observations (target 5 s), on distinct dates or
  on one date with 10 values; `flips` on 300 readings of one date with 16 different values (the most one
  date may hold), and 1,000 different values on one date (refused);
- the studio (a real `mandaat studio`): the answer to a change on a 500-observation scenario while its
  tipping points are being computed (target < 1 s), and the memory a 200 MB chunked body makes the server
  hold (target < 50 MB over its baseline).
With ``--durable-limits`` it measures again how many `$or` alternatives durable-rules runs (the bounds in
src/mandaat/read/rule_size.py).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import yaml

BASELINE = Path(__file__).resolve().parent.parent / "scenarios" / "2018-04-kamerbrief.yaml"

HEAD = "mandaat: 1\nid: {id}\ntitle: Belasting\nassessed_on: 2018-04-13\n"
OBS = (
    "  - {{id: {id}, indicator: attacks_from_syria_per_week, value: {value}, date: {date},"
    " source: {{name: Kabinet, origin: national}}, grade: B2}}\n"
)


def observations(count: int, prefix: str = "o", same_date: bool = False, values: int = 10) -> str:
    """``count`` observations of one indicator, on distinct dates before 2018-04-13 (or all on one)."""
    lines = []
    for i in range(count):
        day = 1 + i % 28
        month = 1 + (i // 28) % 3
        year = 2018 - (i // 84) % 110  # years 1909 to 2018, inside the years the reader accepts
        date = "2018-04-10" if same_date else f"{year:04d}-{month:02d}-{day:02d}"
        lines.append(OBS.format(id=f"{prefix}{i}", value=i % values, date=date))
    return "".join(lines)


def one_indicator(folder: Path, count: int, same_date: bool = False, values: int = 10) -> Path:
    name = f"obs-{count}{'-same-date' if same_date else ''}-{values}"
    path = folder / f"{name}.yaml"
    body = observations(count, same_date=same_date, values=values)
    path.write_text(HEAD.format(id=name) + "observations:\n" + body, encoding="utf-8")
    return path


def null_keys(folder: Path, count: int = 20_000) -> Path:
    path = folder / "null-keys.yaml"
    path.write_text(HEAD.format(id="null-keys") + "".join(f"k{i}:\n" for i in range(count)), encoding="utf-8")
    return path


def remove_variant(folder: Path, base_count: int = 5000, removes: int = 10_000) -> Path:
    base = folder / "remove-base.yaml"
    base.write_text(HEAD.format(id="remove-base") + "observations:\n" + observations(base_count), encoding="utf-8")
    path = folder / "remove-variant.yaml"
    ids = "".join(f"  - x{i}\n" for i in range(removes))
    path.write_text("mandaat: 1\nid: remove-variant\ntitle: Weg\nextends: remove-base.yaml\nremove:\n" + ids)
    return path


def long_chain(folder: Path, depth: int = 20, size: int = 2_500_000) -> Path:
    per_file = size // len(OBS.format(id="l00-00000", value=1, date="2018-01-01"))
    for level in range(depth):
        extends = f"extends: chain-{level + 1}.yaml\n" if level < depth - 1 else "assessed_on: 2018-04-13\n"
        text = f"mandaat: 1\nid: chain-{level}\ntitle: Keten\n{extends}add:\n" if level < depth - 1 else ""
        if level == depth - 1:
            text = HEAD.format(id=f"chain-{level}") + "observations:\n"
        (folder / f"chain-{level}.yaml").write_text(text + observations(per_file, f"l{level}-"), encoding="utf-8")
    return folder / "chain-0.yaml"


LIMIT = 120.0  # seconds after which a run is stopped and reported as over the limit


def run(*args: str) -> tuple[float, float, int | None, int, int]:
    """Seconds, peak resident MB, exit code (None when stopped after ``LIMIT``), stdout and stderr bytes
    of one `mandaat` run. The run has its own process group, so that stopping it stops its child too."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        command = [sys.executable, "-m", "mandaat", *args]
        proc = subprocess.Popen(command, stdout=out, stderr=err, start_new_session=True)
        code: int | None = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - start > LIMIT:
                os.killpg(proc.pid, 9)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = 0  # reaped above
        seconds = time.perf_counter() - start
        out_size, err_size = out.seek(0, 2), err.seek(0, 2)
    return seconds, usage.ru_maxrss / 1024, code, out_size, err_size


def report(label: str, target: str, *args: str) -> None:
    seconds, mb, code, out, err = run(*args)
    shown = f"{seconds:7.2f} s {mb:6.0f} MB" if code is not None else f">{LIMIT:4.0f} s, stopped  "
    print(f"{label:<58} {shown} exit {code}  stdout {out:>11,} B  stderr {err:>7,} B  ({target})")


def studio_scenario(folder: Path, count: int) -> Path:
    """The April 2018 scenario with attack counts on earlier dates added: ``count`` observations in all."""
    data = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    observations = data["observations"]
    for i in range(count - len(observations)):
        date = f"{2017 - (i // 84) % 100:04d}-{1 + (i // 28) % 3:02d}-{1 + i % 28:02d}"
        observation = {"id": f"o{i}", "indicator": "attacks_from_syria_per_week", "value": 6 + i % 10, "date": date}
        observations.append({**observation, "source": {"name": "Kabinet", "origin": "national"}, "grade": "B2"})
    data["id"] = f"studio-{count}"
    path = folder / f"studio-{count}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8")
    return path


class Studio:
    """`mandaat studio FOLDER` in a subprocess: its address, and calls to it."""

    def __init__(self, folder: Path) -> None:
        command = [sys.executable, "-m", "mandaat", "studio", str(folder), "--no-browser", "--port", "0"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ready, _, _ = select.select([self.process.stdout], [], [], 60)
        line = self.process.stdout.readline() if ready and self.process.stdout else ""
        if "token=" not in line:
            self.process.kill()
            sys.exit(f"the studio did not start: {line!r}")
        url = line.split()[-1]
        self.token, self.port = url.split("token=")[1], int(url.split(":")[2].split("/")[0])

    def draft(self, name: str) -> dict[str, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("GET", f"/?token={self.token}&file={name}")
        text = connection.getresponse().read().decode()
        start = text.index('id="studio-data">') + len('id="studio-data">')
        return dict(json.loads(text[start : text.index("</script>", start)])["draft"])

    def post(self, path: str, body: Any) -> tuple[int, float]:
        """The status and the seconds of one call."""
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        headers = {"X-Mandaat-Token": self.token, "Content-Type": "application/json"}
        connection.request("POST", path, json.dumps(body).encode(), headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started

    def resident_mb(self) -> float:
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
            line = next(line for line in status if line.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.communicate(timeout=30)


def studio_figures(folder: Path) -> None:
    """The studio's two figures, printed beside their targets."""
    path = studio_scenario(folder, 500)
    studio = Studio(folder)
    try:
        draft = studio.draft(path.name)
        studio.post("/api/evaluate", draft)  # the page's first call
        marks: list[tuple[int, float]] = []
        worker = threading.Thread(target=lambda: marks.append(studio.post("/api/marks", draft)))
        worker.start()
        time.sleep(0.5)
        moved = json.loads(json.dumps(draft))
        moved["observations"][0]["value"] = 1
        status, seconds = studio.post("/api/evaluate", moved)
        during = not marks
        worker.join()
        label = "studio: a change while the tipping points run (500 obs.)"
        print(
            f"{label:<58} {seconds:7.2f} s  status {status}, tipping points still running: {during}, they took "
            f"{marks[0][1]:.1f} s  (target < 1 s)"
        )
        peak, sent, answer = studio.resident_mb(), 0, b""
        baseline = peak
        with socket.create_connection(("127.0.0.1", studio.port), timeout=30) as connection:
            connection.sendall(
                f"POST /api/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Mandaat-Token: {studio.token}\r\n"
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
            )
            chunk = b"%x\r\n" % (1 << 20) + b" " * (1 << 20) + b"\r\n"
            try:
                for _ in range(200):
                    connection.sendall(chunk)
                    sent += 1
                    peak = max(peak, studio.resident_mb())
                connection.sendall(b"0\r\n\r\n")
            except OSError:  # refused and closed before the end
                pass
            answer = connection.recv(100)
        peak = max(peak, studio.resident_mb())
        label = "studio: a 200 MB chunked body"
        refusal = answer.split(b"\r\n", 1)[0].decode(errors="replace")
        print(
            f"{label:<58} {peak - baseline:7.1f} MB over the baseline ({baseline:.0f} MB); {sent} MB sent before "
            f"«{refusal}»  (target < 50 MB)"
        )
    finally:
        studio.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-slow", action="store_true", help="leave out 5,000 and 10,000 observations and flips")
    parser.add_argument("--durable-limits", action="store_true", help="measure durable's `$or` limits")
    parser.add_argument("--studio-only", action="store_true", help="only the studio's figures")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        studio_figures(Path(name))
    if options.studio_only:
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        report("validate: 20,000 keys without a value", "target < 2 s", "validate", str(null_keys(folder)))
        variant = remove_variant(folder)
        report(
            "validate: remove 10,000 ids unknown to a 5,000 base", "target < 2 s, < 100 KB", "validate", str(variant)
        )
        report("evaluate: the same", "target < 2 s, < 100 KB", "evaluate", str(variant))
        report("validate: 20 x 2.5 MB chain of variants", "target: refused < 2 s", "validate", str(long_chain(folder)))
        counts = (1000,) if options.skip_slow else (1000, 5000, 10_000)
        for same in (False, True):
            shape = "one date" if same else "distinct dates"
            for count in counts:
                target = {1000: "< 2 s, < 200 MB", 5000: "", 10_000: "< 20 s"}[count]
                label = f"evaluate: {count:,} observations of one indicator, {shape}"
                report(
                    label, f"target {target}" if target else "info", "evaluate", str(one_indicator(folder, count, same))
                )
            if not options.skip_slow:
                path = str(one_indicator(folder, 300, same))
                report(f"flips: 300 observations of one indicator, {shape}", "target < 5 s", "flips", path)
        path = str(one_indicator(folder, 300, True, values=16))
        report("flips: 300 on one date, 16 different values (the bound)", "target < 5 s", "flips", path)
        path = str(one_indicator(folder, 1000, True, values=1000))
        report("evaluate: 1,000 on one date, all different", "refused, < 2 s", "evaluate", path)
    if options.durable_limits:
        durable_limits()


PROBE = """
import sys
from durable.engine import Host
class H(Host):
    def _run(self): pass
    def get_action(self, name): return lambda c: None
n, compound = int(sys.argv[1]), sys.argv[2] == "1"
alts = [{"$and": [{"t": "obs"}, {"v": i}]} if compound else {"v": i} for i in range(n)]
h = H()
h.register_rulesets({"rs": {"r": {"all": [{"m": {"$or": alts}}], "run": "r"}}})
for k in range(3):
    try: h.assert_fact("rs", {"sid": "s", "t": "obs", "v": n - 1 - k, "id": k})
    except Exception: pass
"""


def _runs(n: int, compound: bool) -> bool:
    try:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, str(n), "1" if compound else "0"], capture_output=True, timeout=5
        )
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


def durable_limits() -> None:
    """The largest `$or` durable-rules runs within 5 s: simple alternatives, and `$and` alternatives."""
    for compound, high in ((False, 1024), (True, 64)):
        low = 1
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if _runs(middle, compound) else (low, middle)
        kind = "`$and` alternatives" if compound else "simple alternatives"
        print(f"durable-rules runs an `$or` of at most {low} {kind} ({high} spin or are refused)")


if __name__ == "__main__":
    main()
