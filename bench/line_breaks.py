"""Where the documents' lines break inside Thai text, against pythainlp's dictionary.

    .venv/bin/python -m bench.line_breaks
    scripts/portal bench-text

Renders every demo document (bench/demo_documents.py) and looks at each line that ends between
two Thai letters: the break is right when pythainlp's newmm segmentation of the whole paragraph
has a word boundary there. Prints the share, the count and the worst 20 breaks (those that cut
the longest word). Figures only: it always exits 0.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bench.demo_documents import demo_documents, start
from bench.render_documents import load, step

TARGET = 99.5
INVISIBLE = "\u200b\u2060\u00ad"  # what the rendering may insert between letters


def thai_letter(char: str) -> bool:
    return "\u0e01" <= char <= "\u0e4f"


@dataclass(frozen=True)
class Break:
    document: str
    before: str  # the paragraph up to the break
    after: str
    word: str  # the newmm word the break cuts, or "" on a boundary

    def shown(self) -> str:
        return f"{self.before[-18:]}|{self.after[:18]}  ({self.word}; {self.document})"


def paragraphs(document) -> list[list[str]]:
    """The lines of each block, in order, as WeasyPrint laid them out."""
    from weasyprint.formatting_structure import boxes

    blocks: list[list[str]] = []
    for page in document.pages:
        parent_lines: dict[int, list[str]] = {}
        for box in page._page_box.descendants():
            if isinstance(box, boxes.BlockContainerBox):
                lines = [
                    "".join(c.text for c in child.descendants() if isinstance(c, boxes.TextBox))
                    for child in box.children
                    if isinstance(child, boxes.LineBox)
                ]
                if len(lines) > 1:
                    parent_lines[id(box)] = lines
        blocks += parent_lines.values()
    return blocks


def breaks_of(label: str, lines: list[str]) -> list[Break]:
    from pythainlp.tokenize import word_tokenize

    lines = [line.translate({ord(c): None for c in INVISIBLE}) for line in lines]
    text = "".join(lines)
    bounds, words, offset = {0}, [], 0
    for word in word_tokenize(text, engine="newmm", keep_whitespace=True):
        words.append((offset, word))
        offset += len(word)
        bounds.add(offset)
    found, at = [], 0
    for line in lines[:-1]:
        at += len(line)
        if 0 < at < len(text) and thai_letter(text[at - 1]) and thai_letter(text[at]):
            word = "" if at in bounds else next(w for o, w in words if o < at < o + len(w))
            found.append(Break(label, text[:at], text[at:], word))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worst", type=int, default=20)
    args = parser.parse_args(argv)
    start()
    from reports.pdf import renderer

    step(f"rendering the demo documents; load average {load()}")
    found: list[Break] = []
    count = 0
    for document in demo_documents():
        _, laid_out = renderer().render_laid_out(document.html)
        count += 1
        for lines in paragraphs(laid_out):
            found += breaks_of(document.label, lines)
    right = [b for b in found if not b.word]
    share = 100 * len(right) / len(found) if found else 100.0
    verdict = "PASS" if share >= TARGET else "FAIL"
    step(
        f"{count} documents: {len(found)} line breaks between two Thai letters, "
        f"{len(right)} on a newmm word boundary: {share:.2f} % (target {TARGET} %) {verdict}"
    )
    wrong = sorted((b for b in found if b.word), key=lambda b: -len(b.word))
    for cut in wrong[: args.worst]:
        print(f"    ✗ {cut.shown()}")
    words = Counter(b.word for b in wrong)
    if words:
        print("    words cut: " + ", ".join(f"{w} ×{n}" for w, n in words.most_common(10)))
    step(f"done; load average now {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
