"""Settings for the test suite: production settings with a fixed key and fast hashing."""

import os

from itaportal.test_media import media_root

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Uploads and frozen memo attachments go to a throwaway folder, never the project's media/
# (unless the caller names one, as the backup test does for its subprocesses).
if "DJANGO_MEDIA_ROOT" not in os.environ:
    os.environ["DJANGO_MEDIA_ROOT"] = media_root()

from itaportal.settings import *  # noqa: F403
from itaportal.settings import STORAGES

# Each test's own figures: the national comparison is read fresh (its keeping is tested apart).
NATIONAL_FIGURES_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The test client and the live server speak plain HTTP on loopback.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
