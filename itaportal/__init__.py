"""The ITA portal's project package; loading it loads the Celery app so tasks bind to it."""

from itaportal.celery import app as celery_app

__all__ = ("celery_app",)
