"""The studio's time per change: prints figures, asserts nothing (it is not a test).

    .venv/bin/python benchmarks/studio.py [--changes N]

It starts `mandaat studio scenarios/ --no-browser` as a real server, opens every shipped scenario the way
the page does, and sends N changes per numeric fact of each (the page's `/api/evaluate` call, as a
slider move sends it). For each scenario it prints the server's time per change (measured inside the
handler: read the draft, build the scenario, evaluate in the isolated engine, render the panel) and the
round trip as the page sees it, as median, 95th percentile and maximum; then the same over all changes,
how many stayed under 100 ms, and, for scale, one tipping-point call and one map per scenario.
"""

from __future__ import annotations

import argparse
import http.client
import json
import platform
import select
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
BUDGET_MS = 100.0


class Server:
    """`mandaat studio` in a subprocess, and one kept-alive connection to it."""

    def __init__(self, folder: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mandaat", "studio", str(folder), "--no-browser", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        ready, _, _ = select.select([self.process.stdout], [], [], 60)
        line = self.process.stdout.readline() if ready and self.process.stdout else ""
        if "token=" not in line:
            self.process.kill()
            sys.exit(f"the studio did not start: {line!r}")
        url = line.split()[-1]
        self.token = url.split("token=")[1]
        self.port = int(url.split(":")[2].split("/")[0])
        self.connection = self.connect()

    def connect(self) -> http.client.HTTPConnection:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.connect()
        assert connection.sock is not None
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as a browser does
        return connection

    def page_draft(self, name: str) -> tuple[dict[str, Any], list[str], list[str]]:
        """The page's draft of ``name``, the numeric indicators, and the two the map opens on."""
        self.connection.request("GET", f"/?token={self.token}&file={name}")
        text = self.connection.getresponse().read().decode()
        start = text.index('id="studio-data">') + len('id="studio-data">')
        data = json.loads(text[start : text.index("</script>", start)])
        if data["draft"] is None:
            raise RuntimeError(f"{name}: {data['problem']}")
        return dict(data["draft"]), data["numeric"], data["map_axes"]

    def post(self, path: str, body: Any) -> tuple[dict[str, Any], float]:
        """The answer and the round trip in milliseconds."""
        started = time.perf_counter()
        headers = {"X-Mandaat-Token": self.token, "Content-Type": "application/json"}
        connection = self.connect()
        connection.request("POST", path, json.dumps(body).encode(), headers)
        answer = json.loads(connection.getresponse().read())
        connection.close()
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer, (time.perf_counter() - started) * 1000

    def stop(self) -> None:
        self.connection.close()
        self.process.send_signal(signal.SIGTERM)
        self.process.communicate(timeout=30)


def spread(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):6.1f}  p95 {p95:6.1f}  max {ordered[-1]:6.1f}"


def changes_of(draft: dict[str, Any], numeric: list[str], per_fact: int) -> list[dict[str, Any]]:
    """Drafts as a slider sends them: each numeric fact moved through ``per_fact`` values."""
    out = []
    for index, fact in enumerate(draft["observations"]):
        if fact["indicator"] not in numeric:
            continue
        top = max(10, 2 * int(fact["value"]))
        for step in range(per_fact):
            moved = json.loads(json.dumps(draft))
            moved["observations"][index]["value"] = round(top * step / max(per_fact - 1, 1))
            out.append(moved)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=11, help="changes per numeric fact (default 11)")
    args = parser.parse_args()
    print(f"mandaat studio benchmark: Python {platform.python_version()}, {platform.machine()}")
    server = Server(SCENARIOS)
    inside: list[float] = []
    around: list[float] = []
    try:
        for path in sorted(SCENARIOS.glob("*.yaml")):
            draft, numeric, (x, y) = server.page_draft(path.name)
            server.post("/api/evaluate", draft)  # the page's first call
            mine, trips = [], []
            for moved in changes_of(draft, numeric, args.changes):
                answer, trip = server.post("/api/evaluate", moved)
                mine.append(float(answer["ms"]))
                trips.append(trip)
            marks = server.post("/api/marks", draft)[0]["ms"]
            grid = server.post("/api/grid", {"draft": draft, "x": x, "y": y})[0]["ms"]  # the page's first map
            inside += mine
            around += trips
            print(f"{path.name:45} {len(mine):3} changes  server ms: {spread(mine)}")
            print(f"{'':45} {'':11}  round trip: {spread(trips)}   tipping points {marks} ms, map {grid} ms")
    finally:
        server.stop()
    under = sum(1 for ms in inside if ms < BUDGET_MS)
    print(f"\nall {len(inside)} changes, server time per change (ms): {spread(inside)}")
    print(f"all {len(around)} changes, round trip per change (ms):  {spread(around)}")
    print(f"under {BUDGET_MS:.0f} ms on the server: {under} of {len(inside)}")


if __name__ == "__main__":
    main()
