"""Public verification of a decided memo: its code, the page anyone may open from the code or the
QR code printed on the memo, and the check of a PDF file against the approved original's SHA-256.

A code is 28 characters of Crockford's base32 (140 bits), printed in groups of four. People type
it by hand from paper, so lower case, spaces, dashes, Thai digits and the letters Crockford reads
as digits (I and L as 1, O as 0) are accepted and turned into the one canonical form stored.
Lookups are counted per client address, so that codes cannot be guessed by trying many.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from itaportal.accounts.audit import client_ip
from itaportal.thai import arabic, digits
from reports.memos.models import Memo

log = logging.getLogger(__name__)

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
CODE_LENGTH = 28  # 28 x 5 = 140 bits
GROUP = 4
# What a person may type for a character of the alphabet, as Crockford's decoding reads it.
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = str.maketrans("", "", " -\u2010\u2011\u2012\u2013\u2014\u2212")
# Longer input is not a code, whatever it holds: it is refused before it is looked at.
_LONGEST_TYPED = 80
PDF_MAGIC = b"%PDF-"

TOO_MANY_LOOKUPS = gettext_lazy(
    "Too many verification codes were checked from your address. Wait ten minutes, then try again."
)
NOT_A_CODE = gettext_lazy(
    "This is not a verification code. A code has 28 letters and digits in groups of four, "
    "as printed under the QR code of the memo."
)


def new_verification_code() -> str:
    """A fresh code for a decided memo, in its canonical form."""
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)))


def _grouped(plain: str) -> str:
    return "-".join(plain[i : i + GROUP] for i in range(0, len(plain), GROUP))


def normalise_code(typed: str) -> str | None:
    """The canonical code a person meant, or None when the text cannot be a code."""
    if len(typed) > _LONGEST_TYPED:
        return None
    plain = arabic("".join(typed.split())).translate(_SEPARATORS).upper().translate(_READ_AS)
    if len(plain) != CODE_LENGTH or any(char not in ALPHABET for char in plain):
        return None
    return _grouped(plain)


def verification_url(memo: Memo) -> str:
    """The address printed as the memo's QR code: the portal's configured public address."""
    return settings.SITE_URL + reverse("reports:verify", args=[memo.verification_code])


def decided_memo(code: str) -> Memo | None:
    """The decided memo with this canonical code (the database holds each code at most once)."""
    try:
        return Memo.objects.select_related("organisation").get(
            verification_code=code, content_hash__gt=""
        )
    except Memo.DoesNotExist:
        return None


def lookup_allowed(request: HttpRequest) -> bool:
    """Counts one lookup for the client's address; False beyond the allowance of the window.

    Without a reachable cache (Redis down) lookups are not limited: the page stays open rather
    than failing for everyone."""
    key = f"verify-lookups:{client_ip(request) or 'unknown'}"
    try:
        cache.add(key, 0, timeout=settings.VERIFY_LOOKUP_WINDOW_SECONDS)
        count = cache.incr(key)
    except ValueError:  # the count is not kept: it expired just now
        return True
    except (RedisConnectionError, RedisTimeoutError) as error:
        log.warning("Verification lookups not counted, Redis is unreachable: %s", error)
        return True
    return count <= settings.VERIFY_LOOKUPS_PER_WINDOW


def pdf_sha256(uploaded: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    return digest.hexdigest()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        strip=True,
        error_messages={
            "required": gettext_lazy("Type the verification code printed on the memo.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django's own refusal of a NUL is in English: clean_code refuses it, as any non-code.
        self.fields["code"].validators = []

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(NOT_A_CODE)
        return code


class UploadForm(forms.Form):
    pdf = forms.FileField(
        label=gettext_lazy("PDF file of the memo"),
        error_messages={
            "required": gettext_lazy("Choose the PDF file to check."),
            "missing": gettext_lazy("Choose the PDF file to check."),
            "invalid": gettext_lazy("Choose the PDF file to check."),
            "empty": gettext_lazy("The file is empty: choose the memo's PDF file."),
        },
    )

    # Its size is checked before the request is read (verify): a body is never longer than the
    # Content-Length it announced.
    def clean_pdf(self) -> UploadedFile:
        uploaded: UploadedFile = self.cleaned_data["pdf"]
        magic = uploaded.read(len(PDF_MAGIC))
        uploaded.seek(0)
        if magic != PDF_MAGIC:
            raise forms.ValidationError(
                gettext_lazy("This file is not a PDF: choose the memo's PDF file.")
            )
        return uploaded


def _too_large(thai_digits: bool) -> str:
    megabytes = settings.VERIFY_UPLOAD_MAX_BYTES // (1024 * 1024)
    return _("The file is larger than %(size)s MB: a memo's PDF is far smaller.") % {
        "size": digits(megabytes, thai_digits)
    }


@require_GET
def verify_lookup(request: HttpRequest) -> HttpResponse:
    """/verify/: a box to type the code printed on a memo; it leads to the code's page."""
    form = CodeForm(request.GET or None)
    if form.is_valid():
        return redirect("reports:verify", code=form.cleaned_data["code"])
    return render(request, "reports/memos/verify_lookup.html", {"form": form})


# The upload's size is checked before anything reads the request body: CSRF protection (which
# reads the form) runs after that check, in _memo_page.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: confirms a printed memo's organisation, number, date, decision and content hash,
    nothing more, and checks an uploaded PDF file against the approved original."""
    canonical = normalise_code(code)
    if canonical is None:
        return render(
            request,
            "reports/memos/verify_lookup.html",
            {"form": CodeForm(), "refusal": NOT_A_CODE},
            status=404,
        )
    if canonical != code and request.method == "GET":
        return redirect("reports:verify", code=canonical)
    # Only what reaches the database counts: text that is not a code guesses nothing.
    if not lookup_allowed(request):
        return render(
            request,
            "reports/memos/verify_lookup.html",
            {"form": CodeForm(), "refusal": TOO_MANY_LOOKUPS},
            status=429,
        )
    memo = decided_memo(canonical)
    if memo is None:
        return render(
            request,
            "reports/memos/verify.html",
            {"memo": None, "code": canonical, "form": CodeForm()},
            status=404,
        )
    thai_digits = memo.organisation.uses_thai_digits
    if request.method == "POST" and _content_length(request) > settings.VERIFY_UPLOAD_MAX_BYTES:
        return render(
            request,
            "reports/memos/verify.html",
            {
                "memo": memo,
                "code": canonical,
                "upload": UploadForm() if memo.approved_pdf_sha256 else None,
                "refusal": _too_large(thai_digits),
            },
            status=413,
        )
    page: HttpResponse = csrf_protect(_memo_page)(request, memo)
    return page


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _memo_page(request: HttpRequest, memo: Memo) -> HttpResponse:
    stored = memo.approved_pdf_sha256
    upload = None
    if stored and request.method == "POST":
        upload = UploadForm(request.POST, request.FILES)
    elif stored:
        upload = UploadForm()
    context: dict[str, object] = {"memo": memo, "code": memo.verification_code, "upload": upload}
    if request.method == "POST":
        if upload is None:
            context["refusal"] = _(
                "No approved PDF file is kept for this memo, so a file cannot be checked."
            )
        elif upload.is_valid():
            context["matches"] = hmac.compare_digest(pdf_sha256(upload.cleaned_data["pdf"]), stored)
            context["upload"] = UploadForm()
    return render(request, "reports/memos/verify.html", context)
