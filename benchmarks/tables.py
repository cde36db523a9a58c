"""The tables of docs/performance.md, from a pytest-benchmark JSON file.

    python benchmarks/tables.py benchmarks/results.json

Prints markdown: documents read by shape and size (fastest rounds, and each size against
the one ten times smaller), the pathological documents, and every benchmark's median
and fastest time.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from pathlib import Path
from typing import Any

SHAPES = {
    "test_document_oewg": "tab-separated (the seed's)",
    "test_document_html": "HTML",
    "test_document_markdown": "markdown",
    "test_document_text": "plain text",
    "test_document_pdf": "PDF",
}


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f}"


def documents(stats: dict[str, dict[str, Any]]) -> str:
    sizes = sorted(
        {int(m.group(1)) for n in stats if (m := re.fullmatch(r"test_document_\w+\[(\d+)\]", n))}
    )
    head = ["shape", *(f"{s:,} (ms)" for s in sizes), *(f"{s:,}/{s // 10:,}" for s in sizes[1:])]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" + " ---: |" * (len(head) - 1)]
    for test, shape in SHAPES.items():
        fastest = [stats.get(f"{test}[{s}]", {}).get("min") for s in sizes]
        ratios = [f"{b / a:.2f}" if a and b else "" for a, b in itertools.pairwise(fastest)]
        cells = [_ms(t) if t else "" for t in fastest]
        lines.append("| " + " | ".join([shape, *cells, *ratios]) + " |")
    return "\n".join(lines)


def pathological(stats: dict[str, dict[str, Any]], extra: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| document | shape | bytes | outcome | fastest (s) | median (s) |",
        "| --- | --- | ---: | --- | ---: | ---: |",
    ]
    for name in sorted(n for n in stats if n.startswith("test_pathological[")):
        case = name[len("test_pathological[") : -1]
        info = extra.get(name, {})
        shape = case.rsplit("-", 1)[1]
        lines.append(
            f"| {info.get('about', case)} | {shape} | {info.get('bytes', 0):,} | "
            f"{info.get('outcome', '')} | {stats[name]['min']:.2f} | {stats[name]['median']:.2f} |"
        )
    return "\n".join(lines)


def everything(stats: dict[str, dict[str, Any]]) -> str:
    lines = ["| benchmark | median (ms) | fastest (ms) |", "| --- | ---: | ---: |"]
    for name in sorted(stats, key=_order):
        lines.append(f"| `{name}` | {_ms(stats[name]['median'])} | {_ms(stats[name]['min'])} |")
    return "\n".join(lines)


def _order(name: str) -> tuple[str, int]:
    found = re.fullmatch(r"(\w+)\[(\d+)\]", name)
    return (found.group(1), int(found.group(2))) if found else (name, 0)


def main(argv: list[str]) -> int:
    results = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    stats = {b["name"]: b["stats"] for b in results["benchmarks"]}
    extra = {b["name"]: b.get("extra_info", {}) for b in results["benchmarks"]}
    print(documents(stats), pathological(stats, extra), everything(stats), sep="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
