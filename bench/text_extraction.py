"""How much of the documents' text each PDF reader gives back exactly.

    .venv/bin/python -m bench.text_extraction [--keep DIR]
    scripts/portal bench-text

Renders every demo document (bench/demo_documents.py) and reads each PDF with four readers:
poppler's pdftotext, pdf.js (npm's pdfjs-dist, as Firefox reads PDFs; bench/pdfjs/), MuPDF
(`mutool draw -F txt`) and pdfminer.six. A drawn line (the text of one line box as WeasyPrint
laid it out) is extracted exactly when it appears, with runs of white space made one space, in
the reader's text of the document. One line per reader: the share, the count, and the first
lines it got wrong. Figures only: it always exits 0.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.demo_documents import demo_documents, drawn_lines, start
from bench.render_documents import load, step

ROOT = Path(__file__).resolve().parent.parent
PDFJS = ROOT / "bench" / "pdfjs"
TARGET = 99.9


def flat(text: str) -> str:
    return " ".join(text.split())


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdfjs(path: Path) -> str:
    return subprocess.run(
        ["node", str(PDFJS / "extract.mjs"), str(path)], capture_output=True, text=True, check=True
    ).stdout


def mutool(path: Path) -> str:
    return subprocess.run(
        ["mutool", "draw", "-q", "-F", "txt", str(path)], capture_output=True, text=True, check=True
    ).stdout


def pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(path.read_bytes()))


READERS: dict[str, Callable[[Path], str]] = {
    "pdftotext (poppler)": pdftotext,
    "pdf.js (pdfjs-dist)": pdfjs,
    "MuPDF (mutool)": mutool,
    "pdfminer.six": pdfminer,
}


def missing_readers() -> list[str]:
    missing = [tool for tool in ("pdftotext", "mutool", "node") if not shutil.which(tool)]
    if not (PDFJS / "node_modules" / "pdfjs-dist").is_dir():
        missing.append("pdfjs-dist (npm ci --prefix bench/pdfjs)")
    return missing


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="write the PDFs to this folder")
    parser.add_argument("--examples", type=int, default=5, help="wrong lines shown per reader")
    args = parser.parse_args(argv)

    missing = missing_readers()
    if missing:
        step(f"readers missing: {', '.join(missing)} (scripts/portal bench-text installs them)")
        return 0
    start()
    from reports.pdf import renderer

    folder = args.keep or Path(tempfile.mkdtemp(prefix="itaportal-text-"))
    folder.mkdir(parents=True, exist_ok=True)
    step(f"rendering the demo documents; load average {load()}")
    rendered: list[tuple[str, Path, list[str]]] = []
    for number, document in enumerate(demo_documents()):
        pdf, laid_out = renderer().render_laid_out(document.html)
        path = folder / f"{number:03d}.pdf"
        path.write_bytes(pdf.pdf)
        lines = [flat(line) for page in drawn_lines(laid_out) for line in page]
        rendered.append((document.label, path, lines))
    total = sum(len(lines) for _, _, lines in rendered)
    step(f"{len(rendered)} documents, {total} drawn lines; target {TARGET} % exact per reader")
    for name, read in READERS.items():
        exact, wrong = 0, []
        for label, path, lines in rendered:
            text = flat(read(path))
            for line in lines:
                if line in text:
                    exact += 1
                else:
                    wrong.append(f"{label}: {line[:70]}")
        share = 100 * exact / total if total else 0.0
        verdict = "PASS" if share >= TARGET else "FAIL"
        print(f"{name:22} {share:6.2f} %  {exact}/{total} lines exact  {verdict}", flush=True)
        for example in wrong[: args.examples]:
            print(f"{'':22}   ✗ {example}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    step(f"done; load average now {load()}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
