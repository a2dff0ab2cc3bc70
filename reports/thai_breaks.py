"""Thai line breaking by pythainlp's dictionary, in the documents WeasyPrint lays out.

Pango breaks Thai lines where libthai's word segmentation says, with Debian's dictionary: it
splits compounds that Thai readers keep whole ("ดำเนิน|การ", "ตัวชี้|วัด", "เว็บ|ไซต์"), and only
70 % of the documents' breaks fell on a boundary of pythainlp's newmm segmentation. libthai
reads its dictionary from $LIBTHAI_DICTDIR when set, so the build writes pythainlp's word list
(the one newmm uses) plus the official terms below as a libthai dictionary (a double-array trie,
written with Debian's libdatrie, which libthai itself links), and the renderer points libthai at
it before the first Thai text is laid out. The text itself is not touched.
"""

from __future__ import annotations

import ctypes
import logging
import os
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

# A new word list gets a new folder, so a checkout or a server that built an older one (set-up
# builds only what is missing) builds this one instead of keeping the old.
WORDS_VERSION = 4
DICT_DIR = Path(__file__).resolve().parent.parent / "var" / "libthai" / f"words-{WORDS_VERSION}"
DICT_FILE = DICT_DIR / "thbrk.tri"  # the name libthai looks for in $LIBTHAI_DICTDIR
ENV = "LIBTHAI_DICTDIR"
THAI = (0x0E01, 0x0E5B)
# Terms of the documents that must never be split, beside pythainlp's words.
OFFICIAL_TERMS = (
    "ปีงบประมาณ",
    "ประจำปีงบประมาณ",
    "ส่วนราชการ",
    "หัวหน้าส่วนราชการ",
    "ปฏิบัติงาน",
    "ปฏิบัติหน้าที่",
    "ผู้รับผิดชอบ",
    "ตัวชี้วัด",
    "เว็บไซต์",
    "ช่องทาง",
    "ดำเนินการ",
    "ดำเนินงาน",
    "แล้วเสร็จ",
    "เลยกำหนด",
    "คุณธรรม",
    "ความโปร่งใส",
    # Phrases of the documents where libthai settles a tie of two compounds otherwise than newmm
    # ("เพื่อให้|ได้" for "เพื่อ|ให้ได้", "การปฏิบัติ|งาน" for "การ|ปฏิบัติงาน"): whole, libthai
    # breaks only around them, where newmm does too.
    "เพื่อให้ได้",
    "มีส่วนร่วมใน",
    "การปฏิบัติงาน",
    "การปฏิบัติหน้าที่",
    "ดำเนินการตาม",
    "หน่วยงานรัฐบาล",
    "ผู้มีส่วนได้ส่วนเสีย",
    "ได้รับทราบ",
    "กระบวนการทำงาน",
    "กระบวนการควบคุม",
    # libthai read "แผนปฏิบัติการ|ป้องกัน", newmm "แผนปฏิบัติ|การป้องกัน"; the whole phrase
    # "แผนปฏิบัติการป้องกันการทุจริต" would be wider than a progress report's measure column.
    "แผนปฏิบัติการป้องกัน",
)
# pythainlp's word that libthai must not hold whole: "ตลอดปี", which ties with "ปีงบประมาณ" in
# "ตลอดปีงบประมาณ" (the timeline of a measure of the whole year): libthai settled it
# "ตลอดปี|งบประมาณ", newmm "ตลอด|ปีงบประมาณ".
# "องค์การบริหารส่วนตำบล" and "องค์การบริหารส่วนจังหวัด" stay whole: the unit columns of the
# plan and the progress report are wide enough for them (4 cm), so a unit name breaks around them.
NOT_WHOLE = frozenset({"ตลอดปี"})


def words() -> list[str]:
    from pythainlp.corpus import thai_words

    found = (set(thai_words()) | set(OFFICIAL_TERMS)) - NOT_WHOLE
    return sorted(w for w in found if w and all(THAI[0] <= ord(c) <= THAI[1] for c in w))


def _datrie() -> ctypes.CDLL:
    lib = ctypes.CDLL("libdatrie.so.1")  # Debian's libdatrie1, a dependency of libthai0
    lib.alpha_map_new.restype = ctypes.c_void_p
    lib.alpha_map_add_range.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_uint32]
    lib.alpha_map_free.argtypes = [ctypes.c_void_p]
    lib.trie_new.restype = ctypes.c_void_p
    lib.trie_new.argtypes = [ctypes.c_void_p]
    lib.trie_store.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint32), ctypes.c_int32]
    lib.trie_store.restype = ctypes.c_int
    lib.trie_save.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.trie_save.restype = ctypes.c_int
    lib.trie_free.argtypes = [ctypes.c_void_p]
    return lib


def build_dictionary(target: Path = DICT_FILE) -> Path:
    lib = _datrie()
    alphabet = lib.alpha_map_new()
    lib.alpha_map_add_range(alphabet, *THAI)
    trie = lib.trie_new(alphabet)
    lib.alpha_map_free(alphabet)
    try:
        for word in words():
            key = (ctypes.c_uint32 * (len(word) + 1))(*map(ord, word), 0)
            lib.trie_store(trie, key, 0)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a process starting to render never reads half a trie.
        fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        os.close(fd)
        if lib.trie_save(trie, temporary.encode()) != 0:
            raise OSError(f"libdatrie could not write {temporary}")
        os.replace(temporary, target)
    finally:
        lib.trie_free(trie)
    return target


def use_dictionary() -> bool:
    """Build the dictionary if missing and point libthai at it (before its first use)."""
    try:
        if not DICT_FILE.is_file():
            build_dictionary()
    except OSError as error:
        logger.warning("Thai lines break by Debian's libthai dictionary: %s", error)
        return False
    os.environ.setdefault(ENV, str(DICT_DIR))
    return True
