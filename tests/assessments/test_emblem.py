"""The Garuda emblem: refused by content and size with a Thai reason, kept small, printed small."""

from __future__ import annotations

import io
import os
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile

from assessments import emblem
from assessments.emblem import EmblemRefused, emblem_prepare, emblem_print_uri
from assessments.models import Organisation
from itaportal.accounts.models import User
from tests.conftest import client_for

MAX_HEIGHT = emblem.MAX_HEIGHT_PX


def picture(size: tuple[int, int], mode: str = "RGB", kind: str = "PNG", **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "gold" if mode != "RGBA" else (200, 150, 0, 0)).save(out, kind, **save)
    return out.getvalue()


def noise(size: tuple[int, int]) -> bytes:
    """A PNG with transparency that barely compresses: the worst case for the 2 MB bound."""
    out = io.BytesIO()
    Image.frombytes("RGBA", size, os.urandom(size[0] * size[1] * 4)).save(out, "PNG")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A valid PNG header announcing width × height, with a few bytes of pixels: decoding it
    would need width × height × 3 bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def kept(data: bytes, name: str = "garuda.png") -> tuple[ContentFile[bytes], Image.Image]:
    stored = emblem_prepare(SimpleUploadedFile(name, data))
    return stored, Image.open(io.BytesIO(stored.read()))


def refusal(data: bytes, name: str = "garuda.png", thai_digits: bool = True) -> str:
    with pytest.raises(EmblemRefused) as refused:
        emblem_prepare(SimpleUploadedFile(name, data), thai_digits=thai_digits)
    return " ".join(refused.value.messages)


# ---------------------------------------------------------------------------------------------
# On upload


def test_it_refuses_a_huge_image_from_its_header_without_decoding_it(monkeypatch):
    def decode(self: Any) -> None:
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)
    message = refusal(png_header_only(13_000, 13_000))
    assert "๑๓,๐๐๐ × ๑๓,๐๐๐ พิกเซล" in message
    assert "๑๖๙.๐ ล้านพิกเซล" in message and "ไม่เกิน ๔๐ ล้านพิกเซล" in message


def test_it_writes_the_refusal_in_the_organisations_digits():
    assert "13,000 × 13,000" in refusal(png_header_only(13_000, 13_000), thai_digits=False)


def test_it_takes_forty_megapixels():
    stored, image = kept(picture((5_000, 8_000), "1"))
    assert image.height == MAX_HEIGHT and stored.name == "garuda.png"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("garuda.png", b"not an image at all"),
        ("garuda.png", picture((40, 40), kind="GIF")),
        ("garuda.jpg", picture((40, 40), kind="BMP")),
        ("garuda.png", picture((40, 40), kind="WEBP")),
        ("garuda.png", b"%PDF-1.4\n"),
    ],
)
def test_it_refuses_what_is_not_png_or_jpeg_by_its_content(name, data):
    assert refusal(data, name) == "กรุณาอัปโหลดตราครุฑเป็นไฟล์ PNG หรือ JPEG"


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_it_refuses_a_file_cut_short(monkeypatch, kind):
    # WeasyPrint sets this for the whole process, so Pillow would decode what is missing as grey.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    out = io.BytesIO()
    Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3)).save(out, kind)
    whole = out.getvalue()
    assert "อ่านภาพไม่ได้" in refusal(whole[: len(whole) // 2])


def test_it_refuses_a_file_over_ten_megabytes():
    assert "ไฟล์มีขนาดเกิน ๑๐ MB" in refusal(b"\x89PNG\r\n\x1a\n" + b"\0" * (10 * 2**20))


@pytest.mark.parametrize("size", [(3_000, 1_000), (100, 900)])
def test_it_refuses_an_image_not_shaped_like_an_emblem(size):
    message = refusal(picture(size))
    assert "ด้านหนึ่งยาวเกินสองเท่าของอีกด้าน" in message


def test_it_keeps_a_large_image_at_600_ppi_of_its_printed_height():
    _stored, image = kept(picture((1_500, 1_650)))
    assert image.format == "PNG" and image.size == (1_500 * MAX_HEIGHT // 1_650, MAX_HEIGHT)
    assert MAX_HEIGHT / (emblem.PRINTED_HEIGHT_CM / 2.54) <= 600


def test_it_keeps_an_image_that_barely_compresses_within_two_megabytes():
    stored, image = kept(noise((2 * MAX_HEIGHT, MAX_HEIGHT)))  # 4 MB of pixels at 708 high
    assert stored.size <= 2 * 1024 * 1024 and image.height <= MAX_HEIGHT


def test_it_keeps_a_small_image_as_it_is_sized():
    assert kept(picture((40, 40)))[1].size == (40, 40)


def test_it_names_the_file_by_its_content():
    stored, image = kept(picture((400, 400), kind="JPEG"), "garuda.png")
    assert image.format == "JPEG" and stored.name == "garuda.jpg"


def test_it_turns_a_photo_as_its_camera_says_and_drops_the_metadata():
    exif = Image.Exif()
    exif[0x0112] = 6  # taken a quarter turned
    exif[0x010F] = "a camera"
    _stored, image = kept(picture((1_000, 800), kind="JPEG", exif=exif), "photo.jpg")
    assert image.height > image.width and image.height <= MAX_HEIGHT
    assert not image.getexif()


def test_it_keeps_transparency():
    assert kept(picture((300, 300), "RGBA"))[1].mode == "RGBA"


@pytest.mark.parametrize(("mode", "kind"), [("CMYK", "JPEG"), ("I;16", "PNG"), ("P", "PNG")])
def test_it_stores_odd_colour_modes_as_every_reader_shows_them(mode, kind):
    assert kept(picture((300, 300), mode, kind))[1].mode in ("RGB", "L")


# ---------------------------------------------------------------------------------------------
# Where an emblem is set: the documents page (staff), the admin (superusers)


@pytest.mark.django_db
def test_the_admin_refuses_a_huge_emblem_in_thai(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    root = User.objects.create_superuser("root", "root@example.org", "a-long-test-password-1")
    client = client_for(root)
    url = reverse("admin:assessments_organisation_change", args=[org.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "emblem"}
    data["emblem"] = SimpleUploadedFile("garuda.png", png_header_only(13_000, 13_000))
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ตราครุฑต้องมีไม่เกิน ๔๐ ล้านพิกเซล" in response.content.decode()
    org.refresh_from_db()
    assert not org.emblem


@pytest.mark.django_db
def test_the_admin_keeps_an_emblem_re_encoded(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    root = User.objects.create_superuser("root", "root@example.org", "a-long-test-password-1")
    client = client_for(root)
    url = reverse("admin:assessments_organisation_change", args=[org.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "emblem"}
    data["emblem"] = SimpleUploadedFile("garuda.png", picture((2_000, 2_000), kind="JPEG"))
    assert client.post(url, data).status_code == 302
    org.refresh_from_db()
    assert org.emblem.name.endswith(".jpg")
    assert Image.open(org.emblem.path).height == MAX_HEIGHT


# ---------------------------------------------------------------------------------------------
# At print time: an emblem stored before these rules


def stored_as_it_came(org: Organisation, data: bytes, name: str = "old.png") -> None:
    """An emblem saved without the form, as uploads were before the rules."""
    org.emblem.save(name, ContentFile(data))


@pytest.mark.django_db
def test_it_prints_an_old_large_emblem_from_a_copy_made_once(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stored_as_it_came(org, picture((1_500, 1_500)))
    uri = emblem_print_uri(org.emblem)
    copy = Path(uri.removeprefix("file://"))
    assert copy.parent == tmp_path / "emblems" / "print"
    assert Image.open(copy).size == (MAX_HEIGHT, MAX_HEIGHT)
    made = copy.stat().st_mtime_ns
    assert emblem_print_uri(org.emblem) == uri
    assert copy.stat().st_mtime_ns == made and len(list(copy.parent.iterdir())) == 1


@pytest.mark.django_db
def test_it_prints_an_emblem_within_the_rules_as_it_is(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stored_as_it_came(org, picture((300, 330)))
    assert emblem_print_uri(org.emblem) == Path(org.emblem.path).resolve().as_uri()
    assert not (tmp_path / "emblems" / "print").exists()


@pytest.mark.django_db
def test_it_prints_an_old_wide_emblem_within_its_place(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stored_as_it_came(org, picture((2_000, 100)))
    printed = Image.open(emblem_print_uri(org.emblem).removeprefix("file://"))
    assert printed.width <= emblem.MAX_ASPECT * printed.height and printed.mode == "RGBA"


@pytest.mark.django_db
def test_it_prints_an_old_gif_from_a_png_copy(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stored_as_it_came(org, picture((64, 64), kind="GIF"), "old.gif")
    assert Image.open(emblem_print_uri(org.emblem).removeprefix("file://")).format == "PNG"


@pytest.mark.django_db
def test_it_leaves_out_an_old_emblem_too_large_to_decode(org, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    stored_as_it_came(org, png_header_only(13_000, 13_000))

    def decode(self: Any) -> None:
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)
    assert emblem_print_uri(org.emblem) == ""


def test_the_printed_height_is_the_stylesheets():
    """PRINTED_HEIGHT_CM is the largest height documents.css gives an emblem: change both."""
    css = Path("itaportal/static/reports/documents.css").read_text()
    heights = [
        float(height)
        for rule in re.findall(r"[^{}]*emblem[^{}]*\{([^}]*)\}", css)
        for height in re.findall(r"(?<![-\w])height:\s*([\d.]+)cm", rule)
    ]
    assert heights and max(heights) == emblem.PRINTED_HEIGHT_CM
