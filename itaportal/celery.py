"""The Celery application: batch printing, LINE messages and OIT link checks run on its
workers, with Redis (REDIS_URL) as broker.

Start a worker with `celery -A itaportal worker`; settings come from Django's, prefixed CELERY_.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itaportal.settings")

app = Celery("itaportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Tasks live in their rooms (reports.batch.tasks), not at the top of each app.
app.autodiscover_tasks(["reports.batch", "reports.memos", "reports.oit"])
