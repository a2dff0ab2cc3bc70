"""The documents' font: Laksaman rebuilt so that every reader extracts its Thai text exactly.

HarfBuzz's Thai shaper splits sara am (ำ) into nikhahit and sara aa, which are the glyphs of ํ and
า, and moves the nikhahit in front of a tone mark: "น้ำ" is drawn น ํ ้ า. No ToUnicode map can
give those glyphs back as "น้ำ" (า is also plain sara aa, ํ would have to map to nothing), and only
poppler reads the /ActualText that could say so. So the build adds two lookups at the end of the
font's `ccmp`: a sara aa after a nikhahit (a tone mark between allowed) becomes the font's own sara
am glyph, and that nikhahit is removed. The tone marks keep their high form (chosen while the
nikhahit was there), so the page looks as before, and each glyph now stands for one text: sara am
for sara am, า for า. `to_unicode_map` gives that text for every glyph the font can draw (variants
through the font's substitutions), and the renderer writes it instead of WeasyPrint's guess from
the first cluster a glyph was seen in.

The fonts are built from Debian's `fonts-tlwg-laksaman-ttf` by `manage.py build_fonts` (run by
`scripts/portal setup`) into `itaportal/static/reports/fonts/`, or on the first render.
"""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools import agl
from fontTools.otlLib import builder as otl
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables

logger = logging.getLogger(__name__)

# The family the documents' CSS names first. Not "Laksaman": fontconfig would pick Debian's
# files of that name over fonts added by @font-face; browsers showing the HTML preview fall
# back to the system's "Laksaman" named next.
FAMILY = "Laksaman ITA"
# Bump when the build changes: the file names carry it, so an old build is never used.
BUILD = 3
FONTS_DIR = Path(__file__).resolve().parent.parent / "itaportal" / "static" / "reports" / "fonts"
SOURCE_DIRS = (Path("/usr/share/fonts/truetype/tlwg"),)


@dataclass(frozen=True)
class Face:
    source: str  # Debian's file name
    weight: str
    style: str

    @property
    def file(self) -> Path:
        return FONTS_DIR / f"{Path(self.source).stem}.b{BUILD}.ttf"


FACES = (
    Face("Laksaman.ttf", "normal", "normal"),
    Face("Laksaman-Bold.ttf", "bold", "normal"),
    Face("Laksaman-Italic.ttf", "normal", "italic"),
    Face("Laksaman-BoldItalic.ttf", "bold", "italic"),
)

NIKHAHIT = "uni0E4D"
SARA_AA = "uni0E32"
SARA_AM = "uni0E33"
PRIVATE_USE = (0xE000, 0xF8FF)
BELOW_VOWELS = {"uni0E38", "uni0E39", "uni0E3A"}
MARK_ADVANCE = 100  # thousandths of an em: half a typical shift of a mark onto ป, ฝ, ฟ
TONE_MARKS = {"uni0E48", "uni0E49", "uni0E4A", "uni0E4B", "uni0E4C"}


def source_file(name: str) -> Path:
    for folder in SOURCE_DIRS:
        if (folder / name).is_file():
            return folder / name
    family = Path(name).stem.replace("-", ":style=")
    found = subprocess.run(
        ["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=False
    ).stdout
    if Path(found).name != name:
        raise FileNotFoundError(f"{name} (Debian's fonts-tlwg-laksaman-ttf) is not installed")
    return Path(found)


def _chain(
    backtrack: list[list[str]],
    inputs: list[list[str]],
    lookahead: list[list[str]],
    lookups: list[int],
    glyphs: dict[str, int],
) -> otTables.ChainContextSubst:
    """One rule: `inputs[i]` goes through `lookups[i]` when the context matches."""
    subtable = otTables.ChainContextSubst()
    subtable.Format = 3
    subtable.BacktrackGlyphCount = len(backtrack)
    subtable.BacktrackCoverage = [otl.buildCoverage(g, glyphs) for g in backtrack]
    subtable.InputGlyphCount = len(inputs)
    subtable.InputCoverage = [otl.buildCoverage(g, glyphs) for g in inputs]
    subtable.LookAheadGlyphCount = len(lookahead)
    subtable.LookAheadCoverage = [otl.buildCoverage(g, glyphs) for g in lookahead]
    subtable.SubstLookupRecord = []
    for index, lookup in enumerate(lookups):
        record = otTables.SubstLookupRecord()
        record.SequenceIndex = index
        record.LookupListIndex = lookup
        subtable.SubstLookupRecord.append(record)
    subtable.SubstCount = len(lookups)
    return subtable


def _add_to_ccmp(font: TTFont, lookups: list[otTables.Lookup], used: int) -> int:
    """Append lookups, the last `used` of them to ccmp after the font's own; the first index."""
    gsub = font["GSUB"].table
    first = len(gsub.LookupList.Lookup)
    gsub.LookupList.Lookup.extend(lookups)
    gsub.LookupList.LookupCount = len(gsub.LookupList.Lookup)
    added = list(range(first + len(lookups) - used, first + len(lookups)))
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag == "ccmp":
            record.Feature.LookupListIndex += added
            record.Feature.LookupCount = len(record.Feature.LookupListIndex)
    return first


def put_below_vowels_first(font: TTFont) -> None:
    """Undo the font's swap of a below vowel and the tone mark after it (ปู่ is drawn ป ่ ู).

    The marks are placed on the consonant either way; in text order, readers give "ปู่" back.
    """
    glyphs = font.getReverseGlyphMap()
    order = font.getGlyphOrder()
    below = [g for g in order if g.split(".")[0] in BELOW_VOWELS]
    tones = [g for g in order if g.split(".")[0] in TONE_MARKS]
    first = len(font["GSUB"].table.LookupList.Lookup)
    helpers = [
        otl.buildLookup([otl.buildSingleSubstSubtable({t: v for t in tones})]) for v in below
    ]
    helpers += [
        otl.buildLookup([otl.buildSingleSubstSubtable({v: t for v in below})]) for t in tones
    ]
    rules = [
        _chain(
            [],
            [[t], [v]],
            [],
            [first + below.index(v), first + len(below) + tones.index(t)],
            glyphs,
        )
        for t in tones
        for v in below
    ]
    _add_to_ccmp(font, [*helpers, otl.buildLookup(rules)], used=1)


def add_sara_am_lookups(font: TTFont) -> None:
    """Compose the shaper's nikhahit + sara aa back into sara am, after every other lookup."""
    glyphs = font.getReverseGlyphMap()
    order = font.getGlyphOrder()
    gsub = font["GSUB"].table
    classes = font["GDEF"].table.GlyphClassDef.classDefs
    nikhahits = [g for g in order if g == NIKHAHIT or g.startswith(NIKHAHIT + ".")]
    marks = [g for g in order if classes.get(g) == 3 and g not in nikhahits]

    first = len(gsub.LookupList.Lookup)
    to_sara_am = otl.buildLookup([otl.buildSingleSubstSubtable({SARA_AA: SARA_AM})])
    drop = otl.buildLookup([otl.buildMultipleSubstSubtable({g: [] for g in nikhahits})])
    compose = otl.buildLookup(
        [
            _chain([nikhahits], [[SARA_AA]], [], [first], glyphs),
            _chain([marks, nikhahits], [[SARA_AA]], [], [first], glyphs),
        ]
    )
    remove = otl.buildLookup(
        [
            _chain([], [nikhahits], [[SARA_AM]], [first + 1], glyphs),
            _chain([], [nikhahits], [marks, [SARA_AM]], [first + 1], glyphs),
        ]
    )
    _add_to_ccmp(font, [to_sara_am, drop, compose, remove], used=2)


def give_marks_an_advance(font: TTFont) -> None:
    """A small advance for the marks, which HarfBuzz sets to zero when it lays them out anyway.

    A reader sees a mark moved left onto a tall consonant (ป่ ฝ่) end before the next letter
    begins and writes a space ("ฝ่ าย"), or, with no width at all, puts the mark on a line of its
    own (pdfminer). The PDF's widths come from here, and WeasyPrint moves the next glyph back to
    where the layout has it, so nothing moves on the page.
    """
    classes = font["GDEF"].table.GlyphClassDef.classDefs
    metrics = font["hmtx"].metrics
    for glyph, kind in classes.items():
        advance, lsb = metrics[glyph]
        if kind == 3 and advance == 0:
            metrics[glyph] = (MARK_ADVANCE * font["head"].unitsPerEm // 1000, lsb)


def to_unicode_map(font: TTFont) -> dict[int, str]:
    """The text of each glyph: its character, or for a variant, the text of what it replaces."""
    order = font.getGlyphOrder()
    text: dict[str, str] = {}
    for code, glyph in sorted(font.getBestCmap().items()):
        # The variants are also in the old Thai private-use area (U+F700…): not their text.
        if not PRIVATE_USE[0] <= code <= PRIVATE_USE[1]:
            text.setdefault(glyph, chr(code))
    singles: list[tuple[str, str]] = []
    ligatures: list[tuple[tuple[str, ...], str]] = []
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            if lookup.LookupType == 7:
                subtable = subtable.ExtSubTable
            if isinstance(subtable, otTables.SingleSubst):
                singles += subtable.mapping.items()
            elif isinstance(subtable, otTables.LigatureSubst):
                for first, ligs in subtable.ligatures.items():
                    ligatures += [((first, *lig.Component), lig.LigGlyph) for lig in ligs]
    changed = True
    while changed:
        changed = False
        for source, target in singles:
            if target not in text and source in text:
                text[target], changed = text[source], True
        for parts, target in ligatures:
            if target not in text and all(p in text for p in parts):
                text[target], changed = "".join(text[p] for p in parts), True
    # What the substitutions do not reach, its name tells (uni0E48.left is U+0E48's variant).
    for glyph in order:
        if glyph not in text and (named := agl.toUnicode(glyph)):
            text[glyph] = named
    return {order.index(g): t for g, t in text.items()}


def build_face(face: Face) -> None:
    font = TTFont(source_file(face.source))
    add_sara_am_lookups(font)
    put_below_vowels_first(font)
    give_marks_an_advance(font)
    face.file.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: processes that render at the same time never read half a font.
    with tempfile.NamedTemporaryFile(dir=face.file.parent, suffix=".tmp", delete=False) as out:
        font.save(out)
    os.replace(out.name, face.file)


def build_fonts(*, force: bool = False) -> list[Path]:
    built = []
    for face in FACES:
        if force or not face.file.is_file():
            build_face(face)
            built.append(face.file)
    return built


def ensure_fonts() -> bool:
    """Build the fonts if missing; False (and a warning) when they cannot be (read-only tree)."""
    try:
        build_fonts()
    except (OSError, FileNotFoundError) as error:
        logger.warning("documents fall back to the system's Laksaman: %s", error)
        return False
    return True


def font_face_css() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{FAMILY}"; src: url("{face.file.as_uri()}"); '
        f"font-weight: {face.weight}; font-style: {face.style}; }}"
        for face in FACES
    )


@cache
def glyph_texts(*, bold: bool, italic: bool) -> dict[int, str]:
    """The glyph texts of the built face that WeasyPrint chose for "Laksaman ITA" text."""
    face = next(f for f in FACES if (f.weight == "bold", f.style == "italic") == (bold, italic))
    return to_unicode_map(TTFont(face.file))
