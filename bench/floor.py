"""Benchmark: the floor under elpack's build of the large module, and what is above it.

    python bench/floor.py [--pages 200] [--questions 150] [--runs 5] [--top 12]

The floor is what no Markdown-to-zip tool can avoid for the module of bench/build_large.py:
Python-Markdown converting each page file once (with elpack's extensions, and with none), plus
zipping the files of its package. It is compared with elpack's in-process build of the same
module, and a cProfile of that build shows where the time above the floor goes: own time grouped
by area, the number of Markdown conversions, and the most expensive functions.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import markdown

from elpack import pipeline
from elpack.markdown_render import EXTENSION_CONFIGS, EXTENSIONS, MarkdownRenderer
from modulegen import make_module

# Where a function's own time is counted, by the path of its file (first match wins).
AREAS = [
    ("/markdown/", "Python-Markdown"),
    # Python-Markdown's raw-HTML pass feeds every conversion's text through html.parser.
    ("/html/parser.py", "Python-Markdown"),
    ("/_markupbase.py", "Python-Markdown"),
    ("/jinja2/", "Jinja2 (compiling and running templates)"),
    ("/markupsafe/", "Jinja2 (compiling and running templates)"),
    ("/templates/", "Jinja2 (compiling and running templates)"),  # compiled template code
    ("<template>", "Jinja2 (compiling and running templates)"),
    ("/yaml/", "PyYAML"),
    ("/xml/etree/", "ElementTree (Python-Markdown's tree)"),
    ("/zipfile", "zip"),
    ("/elpack/markdown_render.py", "elpack: Markdown hooks (links, images, glossary)"),
    ("/elpack/render.py", "elpack: render"),
    ("/elpack/targets/", "elpack: manifest + validation"),
    ("/elpack/validate.py", "elpack: manifest + validation"),
    ("/elpack/", "elpack: parsing pages, blocks and checks"),
]


def median_seconds(runs: int, work: Callable[[], object]) -> float:
    """Median CPU time of ``work``: on a shared machine, wall time measures the neighbours too."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def area_of(filename: str) -> str:
    for needle, area in AREAS:
        if needle in filename:
            return area
    return "other Python library code"


def own_time_by_area(stats: pstats.Stats) -> Counter[str]:
    """Own time per area; a built-in (str, re, zlib, lxml) counts for the areas that call it."""
    by_area: Counter[str] = Counter()
    for (filename, _, _), (_, _, own, _, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if filename != "~":
            by_area[area_of(filename)] += own
            continue
        for (caller_file, _, _), edge in callers.items():
            by_area[area_of(caller_file)] += edge[2]
    return by_area


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--questions", type=int, default=150)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = make_module(Path(folder) / "modules" / "large-module", args.pages, args.questions)
        texts = [path.read_text(encoding="utf-8") for path in sorted((root / "pages").glob("*.md"))]
        built = pipeline.build(root)  # warms up imports, the XSD schema and the theme

        with_extensions = markdown.Markdown(extensions=EXTENSIONS,
                                            extension_configs=EXTENSION_CONFIGS,
                                            output_format="html")
        plain = markdown.Markdown(output_format="html")

        def convert_pages(md: markdown.Markdown) -> None:
            for text in texts:
                md.reset()
                md.convert(text)

        def zip_files() -> bytes:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
                for name, data in built.files.items():
                    archive.writestr(name, data)
            return buffer.getvalue()

        markdown_ext = median_seconds(args.runs, lambda: convert_pages(with_extensions))
        markdown_plain = median_seconds(args.runs, lambda: convert_pages(plain))
        zipping = median_seconds(args.runs, zip_files)
        build = median_seconds(args.runs, lambda: pipeline.build(root).package)

        # How many conversions a build makes, and how long they and the templates take (timed,
        # not profiled: cProfile's overhead is larger on the many small calls of Markdown).
        conversions: Counter[str] = Counter()
        in_markdown: list[float] = []
        in_render: list[float] = []
        rest: list[float] = []
        real_convert = MarkdownRenderer.convert
        real_render = pipeline.render_package_files

        def timed_render(*given: object) -> dict[str, bytes]:
            start = time.process_time()
            try:
                return real_render(*given)  # type: ignore[arg-type]
            finally:
                in_render[-1] += time.process_time() - start

        def timed_convert(self: MarkdownRenderer, source: str, *more: object) -> str:
            conversions["markdown" if source.strip() else "empty"] += 1
            start = time.process_time()
            try:
                return real_convert(self, source, *more)  # type: ignore[arg-type]
            finally:
                in_markdown[-1] += time.process_time() - start

        MarkdownRenderer.convert = timed_convert  # type: ignore[method-assign]
        pipeline.render_package_files = timed_render  # type: ignore[assignment]
        for _ in range(args.runs):
            conversions.clear()
            in_markdown.append(0.0)
            in_render.append(0.0)
            start = time.process_time()
            _ = pipeline.build(root).package
            rest.append(time.process_time() - start - in_markdown[-1] - in_render[-1])
        MarkdownRenderer.convert = real_convert  # type: ignore[method-assign]
        pipeline.render_package_files = real_render

        profile = cProfile.Profile()
        profile.enable()
        _ = pipeline.build(root).package
        profile.disable()

    stats = pstats.Stats(profile)
    total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
    by_area = own_time_by_area(stats)
    floor = markdown_ext + zipping
    print(f"module: {args.pages} pages, {len(texts)} page files, "
          f"{sum(map(len, texts)) / 1024:.0f} KB of Markdown; CPU time, median of {args.runs}")
    print(f"Python-Markdown alone, each page file once, elpack's extensions: {markdown_ext:.3f} s")
    print(f"Python-Markdown alone, each page file once, no extensions:       {markdown_plain:.3f} s")
    print(f"zip the package's {len(built.files)} files (deflate, level 6):            "
          f"{zipping:.3f} s")
    print(f"floor (Markdown with extensions + zip):                          {floor:.3f} s")
    print(f"elpack in-process build (pipeline.build + zip):                  {build:.3f} s "
          f"({build / floor:.1f}x the floor)")
    print(f"  in Markdown conversions (elpack's hooks included):            "
          f"{statistics.median(in_markdown):.3f} s, {conversions['markdown']} conversions "
          f"({conversions['markdown'] / len(texts):.1f} per page file; "
          f"{conversions['empty']} empty ones skipped)")
    print(f"  in rendering the templates (Jinja2):                          "
          f"{statistics.median(in_render):.3f} s")
    print(f"  everything else (page and block parsing, checks, manifest, validation, zip): "
          f"{statistics.median(rest):.3f} s")
    print(f"\nown time by area under cProfile (total {total:.3f} s, profiling overhead included):")
    for area, seconds in by_area.most_common():
        print(f"  {seconds:7.3f} s  {seconds / total:5.1%}  {area}")
    if args.top > 0:
        print(f"\ntop {args.top} functions by own time:")
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        print("\n".join(lines[start:start + args.top + 1]))


if __name__ == "__main__":
    main()
