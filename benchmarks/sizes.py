"""Print the size of every module of mandaat and of its longest function: a figure to read, not a rule.

Modules are sized by what belongs together, not by a cap (DESIGN §6); `.ci/run` prints this so that a
module that grows past what it holds, or a function that grows long, is seen in review.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "mandaat"


def main() -> None:
    rows = []
    for path in sorted(SRC.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        functions = [
            (node.end_lineno - node.lineno + 1, node.name)
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None
        ]
        longest = max(functions, default=(0, "-"))
        rows.append((source.count("\n"), str(path.relative_to(SRC)), longest))
    total = sum(r[0] for r in rows)
    print(f"{len(rows)} modules, {total} lines; median {sorted(r[0] for r in rows)[len(rows) // 2]} lines")
    for lines, name, (length, function) in sorted(rows, reverse=True)[:12]:
        print(f"  {lines:5d}  {name:32s} longest function: {function} ({length} lines)")


if __name__ == "__main__":
    main()
