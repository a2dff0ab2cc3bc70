"""The Garuda emblem: what an upload must be, the file kept, and the copy documents print.

The emblem prints at most 3 cm high (the order's `.emblem` in itaportal/static/reports/
documents.css; the memo's is half that). The file kept is re-encoded on upload to at most 600
pixels per inch at that height and 2 MB, with its metadata dropped. An upload is read from its
header first: a file that is not PNG or JPEG by its content, or over 40 megapixels, is refused
before a pixel is decoded, so a small file that inflates to gigabytes costs nothing.

Emblems stored before these rules are checked again when a document is printed: one too large,
too wide or of another format is printed from a copy made to the same rules, kept beside it.
"""

from __future__ import annotations

import hashlib
import io
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, JpegImagePlugin, PngImagePlugin

from itaportal import thai

logger = logging.getLogger(__name__)

PRINTED_HEIGHT_CM = 3  # the largest size a document prints it (documents.css `.emblem`)
MAX_PPI = 600
MAX_HEIGHT_PX = int(MAX_PPI * PRINTED_HEIGHT_CM / 2.54)  # 708
MAX_ASPECT = 2  # neither side more than twice the other: it fits its place in every document
MAX_PIXELS = 40_000_000
MAX_STORED_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PRINT_FOLDER = "emblems/print"

# Pillow's names for what the content is; a camera's JPEG may open as MPO (JPEG with a preview).
_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG"}
_EXTENSIONS = {"PNG": "png", "JPEG": "jpg"}
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that turn the picture a quarter


class EmblemRefused(ValidationError):
    pass


@dataclass(frozen=True)
class Header:
    """What the file's header says, before anything is decoded."""

    format: str  # "PNG" or "JPEG"
    width: int  # as shown, after the EXIF orientation
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height

    @property
    def too_odd(self) -> bool:
        return max(self.width, self.height) > MAX_ASPECT * min(self.width, self.height)

    @property
    def fits(self) -> bool:
        """Printable as it is: no larger than the rules keep, and shaped like an emblem."""
        return self.height <= MAX_HEIGHT_PX and not self.too_odd


def _plugin_open(fp: IO[bytes]) -> Image.Image:
    """Open a PNG or JPEG by its first bytes with Pillow's own reader of that format, which reads
    the header only. (Image.open refuses a very large image with an error that does not say its
    size; the limit here is MAX_PIXELS, checked by the caller.)"""
    fp.seek(0)
    magic = fp.read(8)
    fp.seek(0)
    if magic.startswith(PngImagePlugin._MAGIC):
        return PngImagePlugin.PngImageFile(fp)
    if magic.startswith(b"\xff\xd8\xff"):
        return JpegImagePlugin.jpeg_factory(fp)
    raise EmblemRefused(_("Upload the emblem as PNG or JPEG."))


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation from what the header holds (a PNG's EXIF after its pixels is not
    read: Pillow would decode the image to find it)."""
    if image.format == "PNG":
        raw = image.info.get("exif")
        if not raw:
            return 1
        exif = Image.Exif()
        exif.load(raw)
    else:
        exif = image.getexif()
    return int(exif.get(ExifTags.Base.Orientation) or 1)


def _open(source: IO[bytes], *, any_format: bool = False) -> tuple[Image.Image, Header]:
    """The image, opened but not decoded, and its header; EmblemRefused when it is not a PNG or
    JPEG by its content, whatever its name says (or, with `any_format`, no image Pillow reads:
    an old emblem in another format is printed from a PNG copy)."""
    try:
        try:
            image = _plugin_open(source)
        except EmblemRefused:
            if not any_format:
                raise
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                source.seek(0)
                image = Image.open(source)
        width, height = image.size
        if _orientation(image) in _ROTATED:
            width, height = height, width
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise EmblemRefused(_("Upload the emblem as PNG or JPEG.")) from error
    format = _FORMATS.get(str(image.format), "PNG")
    return image, Header(format=format, width=width, height=height)


def _refuse_header(header: Header, thai_digits: bool) -> None:
    if header.pixels > MAX_PIXELS:
        raise EmblemRefused(
            _(
                "The image is %(width)s × %(height)s pixels, %(megapixels)s megapixels; an emblem"
                " may have at most %(max)s. Make it smaller and upload it again."
            )
            % {
                "width": thai.digits(f"{header.width:,}", thai_digits),
                "height": thai.digits(f"{header.height:,}", thai_digits),
                "megapixels": thai.digits(f"{header.pixels / 1_000_000:,.1f}", thai_digits),
                "max": thai.digits(MAX_PIXELS // 1_000_000, thai_digits),
            }
        )
    if header.too_odd:
        raise EmblemRefused(
            _(
                "The image is %(width)s × %(height)s pixels: one side is more than twice the"
                " other, so it would not fit the emblem's place in the documents. Crop it to the"
                " emblem and upload it again."
            )
            % {
                "width": thai.digits(f"{header.width:,}", thai_digits),
                "height": thai.digits(f"{header.height:,}", thai_digits),
            }
        )


def _output_mode(image: Image.Image, format: str) -> str:
    grey = image.mode in ("1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F")
    if format == "JPEG":
        return "L" if grey else "RGB"
    clear = image.mode in ("LA", "PA", "RGBA", "RGBa") or "transparency" in image.info
    if clear:
        return "LA" if grey else "RGBA"
    return "L" if grey else "RGB"


def _encode(image: Image.Image, format: str) -> bytes:
    """The decoded image in at most MAX_STORED_BYTES, without metadata."""
    while True:
        out = io.BytesIO()
        if format == "JPEG":
            image.save(out, "JPEG", quality=90, optimize=True)
        else:
            image.save(out, "PNG")
        if out.tell() <= MAX_STORED_BYTES:
            return out.getvalue()
        smaller = (max(1, image.width * 4 // 5), max(1, image.height * 4 // 5))
        image = image.resize(smaller, Image.Resampling.LANCZOS)


def _damaged() -> EmblemRefused:
    return EmblemRefused(_("The image could not be read: the file is damaged or incomplete."))


def _decoded(image: Image.Image, header: Header) -> Image.Image:
    """Decode, shrunk to at most MAX_HEIGHT_PX high on the way (a JPEG decodes at a fraction
    of its size), in a mode every reader shows alike, turned as its EXIF orientation says."""
    height = min(header.height, MAX_HEIGHT_PX)
    box = (max(1, header.width * height // header.height), height)
    if image.size != (header.width, header.height):  # stored a quarter turned
        box = (box[1], box[0])
    try:
        image.draft(None, box)
        image.load()
        mode = _output_mode(image, header.format)
        if image.mode.startswith("I;16") or image.mode == "I":
            picture = image.point(lambda value: value / 256).convert("L")  # 16-bit grey
        else:
            picture = image.convert(mode)
        if picture.size != box:
            picture = picture.resize(box, Image.Resampling.LANCZOS)
        picture = ImageOps.exif_transpose(picture)
        if picture.height > MAX_HEIGHT_PX:  # a PNG whose orientation came after its pixels
            picture.thumbnail((picture.width, MAX_HEIGHT_PX), Image.Resampling.LANCZOS)
        return picture
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
        raise _damaged() from error


def _refuse_damaged(source: IO[bytes], format: str) -> None:
    """A file cut short is refused: WeasyPrint lets Pillow decode one (it sets
    LOAD_TRUNCATED_IMAGES for the whole process), which would keep the missing part grey."""
    source.seek(0)
    try:
        if format == "PNG":
            with PngImagePlugin.PngImageFile(source) as png:
                png.verify()  # reads every chunk and its checksum, decodes nothing
            return
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise _damaged() from error
    data = source.read()
    if data.rfind(b"\xff\xd9") < data.rfind(b"\xff\xda"):  # no end after the last scan
        raise _damaged()


def emblem_prepare(upload: Any, *, thai_digits: bool = True) -> ContentFile[bytes]:
    """The file to keep for an uploaded emblem, named as its content is, or EmblemRefused with
    the reason in Thai."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise EmblemRefused(
            _("The file is larger than %(mb)s MB.")
            % {"mb": thai.digits(MAX_UPLOAD_BYTES // 2**20, thai_digits)}
        )
    header = _open(upload)[1]
    _refuse_header(header, thai_digits)
    _refuse_damaged(upload, header.format)
    image, header = _open(upload)
    with image:
        data = _encode(_decoded(image, header), header.format)
    stem = Path(str(upload.name or "emblem")).stem or "emblem"
    return ContentFile(data, name=f"{stem}.{_EXTENSIONS[header.format]}")


class EmblemFormField(forms.FileField):
    """The emblem's field in every form (the portal's pages and the admin): its cleaned value is
    the re-encoded file. Set `thai_digits` to the organisation's digit style."""

    thai_digits = True

    def to_python(self, data: Any) -> Any:
        upload = super().to_python(data)
        if upload is None:
            return None
        return emblem_prepare(upload, thai_digits=self.thai_digits)


class EmblemField(models.ImageField):
    """The organisation's emblem: every form made from the model (the admin's too) checks and
    re-encodes the upload with EmblemFormField."""

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": EmblemFormField, **kwargs})


def _padded(image: Image.Image) -> Image.Image:
    """An old emblem of an odd shape, centred on a clear canvas of the widest shape allowed."""
    width = max(image.width, -(-image.height // MAX_ASPECT))
    height = max(image.height, -(-image.width // MAX_ASPECT))
    canvas = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    canvas.paste(image.convert("RGBA"), ((width - image.width) // 2, (height - image.height) // 2))
    return canvas


def _print_copy(storage: Storage, path: Path) -> str | None:
    """The name of the printable copy of an old emblem, made once and kept (its name says which
    file, size and time it was made from); None when it cannot be made."""
    stat = path.stat()
    key = hashlib.sha256(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()
    for extension in _EXTENSIONS.values():
        name = f"{PRINT_FOLDER}/{key[:32]}.{extension}"
        if storage.exists(name):
            return name
    try:
        with path.open("rb") as fp:
            image, header = _open(fp, any_format=True)
            if header.pixels > MAX_PIXELS:  # not decoded: a bomb stays unexploded
                logger.warning("emblem %s has %s pixels: upload it again", path, header.pixels)
                return None
            with image:
                picture = _decoded(image, header)
            format = header.format
            if header.too_odd:
                picture, format = _padded(picture), "PNG"
            data = _encode(picture, format)
    except EmblemRefused:
        logger.warning("emblem %s cannot be printed: upload it again", path)
        return None
    name = f"{PRINT_FOLDER}/{key[:32]}.{_EXTENSIONS[format]}"
    saved = storage.save(name, ContentFile(data))
    if saved != name:  # another process made it meanwhile
        storage.delete(saved)
    return name


def emblem_print_uri(emblem: FieldFile) -> str:
    """The file: URI documents embed for an organisation's emblem ("" for none): the file itself
    when it keeps to the rules, else its printable copy."""
    if not emblem:
        return ""
    path = Path(emblem.path)
    if not path.is_file():
        return ""
    try:
        with path.open("rb") as fp:
            header: Header | None = _open(fp)[1]
    except EmblemRefused:
        header = None
    if header is None or not header.fits or path.stat().st_size > MAX_STORED_BYTES:
        name = _print_copy(emblem.storage, path)
        if name is None:
            return ""
        path = Path(emblem.storage.path(name))
    return path.resolve().as_uri()
