"""Plot time against meetings for each stage, log–log, as an SVG (no plotting library needed).

python benchmarks/plot.py benchmarks/results.json docs/performance.svg
python benchmarks/plot.py benchmarks/results.json docs/performance-reading.svg 'document_.*'

The optional third argument keeps only the stages whose name (``write_oewg``,
``document_pdf``, …) it matches, as a regular expression.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

WIDTH, HEIGHT, MARGIN = 720, 440, 60
COLOURS = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#17becf",
    "#7f7f7f",
    "#bcbd22",
    "#e377c2",
    "#393b79",
    "#ad494a",
    "#637939",
    "#8c6d31",
    "#7b4173",
    "#3182bd",
    "#e6550d",
    "#31a354",
    "#756bb1",
    "#636363",
]
FLOORS = ("baseline", "other_library")  # drawn dashed: what our stages are measured against


def series(results: dict[str, object], pattern: str = ".*") -> dict[str, list[tuple[int, float]]]:
    """Median seconds by test and size, for the stages ``pattern`` matches."""
    found: dict[str, list[tuple[int, float]]] = {}
    for bench in results["benchmarks"]:  # type: ignore[attr-defined]
        match = re.fullmatch(r"test_(\w+)\[(\d+)\]", bench["name"])
        if (
            match
            and not match.group(1).startswith("peak")
            and re.fullmatch(pattern, match.group(1))
        ):
            found.setdefault(match.group(1), []).append(
                (int(match.group(2)), bench["stats"]["median"])
            )
    return {name: sorted(points) for name, points in sorted(found.items()) if len(points) > 1}


def svg(lines: dict[str, list[tuple[int, float]]]) -> str:
    xs = [x for points in lines.values() for x, _ in points]
    ys = [y for points in lines.values() for _, y in points]
    x0, x1 = math.log10(min(xs)), math.log10(max(xs))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))

    def px(x: float) -> float:
        return MARGIN + (math.log10(x) - x0) / (x1 - x0 or 1) * (WIDTH - 2 * MARGIN)

    def py(y: float) -> float:
        return HEIGHT - MARGIN - (math.log10(y) - y0) / (y1 - y0 or 1) * (HEIGHT - 2 * MARGIN)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH + 200}" height="{HEIGHT}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH + 200}" height="{HEIGHT}" fill="white"/>',
    ]
    for exponent in range(y0, y1 + 1):
        y = py(10.0**exponent)
        out.append(
            f'<line x1="{MARGIN}" x2="{WIDTH - MARGIN}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        out.append(
            f'<text x="{MARGIN - 8}" y="{y + 4:.1f}" text-anchor="end">1e{exponent} s</text>'
        )
    for x in sorted(set(xs)):
        out.append(
            f'<text x="{px(x):.1f}" y="{HEIGHT - MARGIN + 18}" text-anchor="middle">{x:,}</text>'
        )
    out.append(f'<text x="{WIDTH / 2}" y="{HEIGHT - 15}" text-anchor="middle">meetings</text>')
    for index, (name, points) in enumerate(lines.items()):
        colour = COLOURS[index % len(COLOURS)]
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
        dash = ' stroke-dasharray="6 4"' if name.endswith(FLOORS) else ""
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        out.append(
            f'<text x="{WIDTH - 40}" y="{MARGIN + 16 * index}" fill="{colour}">{name}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    results = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    pattern = argv[3] if len(argv) > 3 else ".*"
    Path(argv[2]).write_text(svg(series(results, pattern)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
