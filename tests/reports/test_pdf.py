"""Real PDFs from WeasyPrint, read back with poppler: Thai text, fonts, digits, safe fetching."""

from __future__ import annotations

import gc
import re
import resource
import threading
import zlib
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image
from weasyprint import HTML
from weasyprint.draw import text as weasy_text

from assessments.models import Organisation
from reports.documents.builders import build
from reports.pdf import Renderer, continuation_words, in_own_stack_chunk, renderer
from tests.reports.conftest import flat, image_count, pdffonts, pdftotext

SARA_AM_WORDS = ("ตำบล", "สำนัก", "ดำเนินการ", "กำหนด", "คำสั่ง")
PARAGRAPH = (
    "<p>เทศบาลตำบลบางเก่า สำนักปลัด ดำเนินการตามคำสั่ง และกำหนดมาตรการ "
    "ซึ่งต้องแล้วเสร็จภายในกำหนดเวลาตามที่น้ำหนักคะแนนกำหนดไว้</p>"
)
STYLE = "<style>body { font-family: Laksaman; font-size: 16pt }</style>"


def test_it_extracts_sara_am_exactly():
    pdf = renderer().render(f"<html lang='th'>{STYLE}{PARAGRAPH}</html>").pdf
    text = pdftotext(pdf)
    for word in SARA_AM_WORDS:
        assert word in text
    assert "ตาบล" not in text and "ซึ่ง" in text


def test_it_needs_the_actual_text_fix(monkeypatch):
    """Without the /ActualText spans WeasyPrint's own output loses every sara am."""
    renderer()  # installs the fix
    monkeypatch.setattr(weasy_text, "draw_first_line", weasy_text.draw_first_line.__wrapped__)
    pdf = HTML(string=f"<html lang='th'>{STYLE}{PARAGRAPH}</html>").write_pdf()
    text = pdftotext(pdf)
    assert "ตาบล" in text and "ตำบล" not in text


def test_its_streams_are_compressed_at_zlib_s_default_level():
    """pydyf asks for level 9; the PDF's streams are written at 6, and still read back."""
    pdf = renderer().render(f"<html lang='th'>{STYLE}{PARAGRAPH}</html>").pdf
    streams = re.findall(rb"/FlateDecode.*?stream\n(.*?)\nendstream", pdf, re.S)
    assert streams
    for stream in streams:
        raw = zlib.decompress(stream)
        assert stream == zlib.compress(raw, 6)
    assert "ตำบล" in pdftotext(pdf)


@pytest.fixture
def outside_png(tmp_path: Path) -> Path:
    """A real image outside the portal's files: nothing may bring it into a PDF."""
    path = tmp_path / "secret.png"
    Image.new("RGB", (8, 8), "red").save(path)
    return path


@pytest.fixture
def http_png(outside_png: Path) -> Iterator[str]:
    """The same image served over HTTP on loopback."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(outside_png.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/secret.png"
    server.shutdown()


def references(png: Path, url: str) -> list[str]:
    return [
        f'<img src="{png.as_uri()}">',
        f'<img src="{url}">',
        f'<div style="background: url({png.as_uri()}); width: 2cm; height: 2cm"></div>',
        f'<div style="background: url({url}); width: 2cm; height: 2cm"></div>',
        "<img src='" + "../" * 12 + str(png).lstrip("/") + "'>",
        f'<style>@import url("{png.as_uri()}");</style>',
    ]


def test_it_refuses_to_fetch_anything_but_its_own_files(outside_png, http_png, tmp_path):
    for html in references(outside_png, http_png):
        pdf = Renderer().render(f"<html><body>{html}</body></html>").pdf
        assert image_count(pdf, tmp_path) == 0, html


def test_it_still_loads_the_portals_own_files(outside_png, tmp_path, settings):
    settings.MEDIA_ROOT = outside_png.parent  # e.g. an uploaded emblem
    pdf = Renderer().render(f'<html><img src="{outside_png.as_uri()}"></html>').pdf
    assert image_count(pdf, tmp_path) == 1


def test_it_escapes_user_text_that_looks_like_markup(demo, django_user_model):
    from measures.models import Measure

    measure = Measure.objects.filter(plan__fiscal_year=2566).first()
    measure.title = '<img src="file:///etc/hostname"> ตำบล'
    measure.save()
    org = measure.plan.organisation
    pdf = renderer().render(build("plan", org, 2566).html()).pdf
    assert flat('<img src="file:///etc/hostname"> ตำบล') in flat(pdftotext(pdf))


@pytest.mark.django_db
def test_it_embeds_the_thai_font(demo, tmp_path):
    org = Organisation.objects.get(name="เทศบาลตำบลบางเก่า")
    pdf = renderer().render(build("plan", org, 2566).html()).pdf
    fonts = pdffonts(pdf, tmp_path)
    assert "Laksaman" in fonts
    for line in fonts.splitlines()[2:]:
        assert " yes yes yes " in line  # embedded, subset, with a ToUnicode map


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("ความเห็นปลัดองค์การบริหารส่วนตำบลภูซาง", "ความเห็น"),
        ("ข้อพิจารณา", "ข้อพิจารณา"),
        ("๑. จัดทำคู่มือ การปฏิบัติงาน", "๑. จัดทำ"),
        ("  ", ""),
    ],
)
def test_the_continuation_names_whole_words_of_the_next_page(line, words):
    assert continuation_words(line) == words


def test_a_render_leaves_no_cyclic_garbage_and_the_collector_on():
    """The collector waits for the end of a render (reports.pdf.collector_paused), then sweeps:
    the render's boxes are freed at once, none reaches an older generation."""
    gc.collect()
    renderer().render(f"<html lang='th'>{STYLE}{PARAGRAPH * 20}</html>")
    assert gc.isenabled()
    assert gc.get_count()[0] < 100  # swept: only what the test made since
    assert gc.collect() < 100  # no box trees left behind in an older generation


def test_a_collector_turned_off_elsewhere_stays_off():
    gc.disable()
    try:
        renderer().render(f"<html lang='th'>{STYLE}{PARAGRAPH}</html>")
        assert not gc.isenabled()
    finally:
        gc.enable()


def _called_under(frames: int, function):
    """`function()` called `frames` Python calls deeper in the stack than here."""
    return function() if frames == 0 else _called_under(frames - 1, function)


def _pages_first_touched(function) -> int:
    """Memory pages the process touched for the first time (minor faults) while `function` ran."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    function()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_a_render_keeps_its_frames_in_one_stack_chunk_however_deep_it_is_called():
    """Where WeasyPrint's recursion crossed the end of one of CPython's 16 KB frame-stack chunks,
    CPython 3.13.0 mapped a fresh chunk at each crossing (gh-142183): this table, rendered under
    0 to 60 extra frames, touched up to 9,000 new pages a render, depending on the depth; in a
    chunk of its own (reports.pdf.in_own_stack_chunk), fewer than 10 at every depth."""
    row = f"<tr><td>๑</td><td>{PARAGRAPH}</td><td><b>ตัวชี้วัด</b> ๒</td></tr>"
    html = f"<html lang='th'>{STYLE}<table>{row * 40}</table></html>"
    renderer().render(html)  # the caches and the heap a render needs, made once
    renderer().render(html)
    render = partial(renderer().render, html)
    touched = {
        depth: _pages_first_touched(partial(_called_under, depth, render))
        for depth in range(0, 64, 4)
    }
    assert max(touched.values()) < 100, touched


def test_its_own_stack_chunk_calls_the_function_with_its_arguments():
    assert in_own_stack_chunk(divmod, 17, 5) == (3, 2)
    with pytest.raises(ZeroDivisionError):
        in_own_stack_chunk(divmod, 1, 0)
