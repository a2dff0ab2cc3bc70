"""Loading ahead what Django loads on first use, for gunicorn's master (deploy/gunicorn.conf.py):
the workers it forks then answer their first request as fast as their hundredth."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver
from django.utils import translation


def warm_up() -> int:
    """Compile every template of the project's directories, read the Thai catalogue and build
    the URL resolver; the number of templates compiled."""
    translation.activate(settings.LANGUAGE_CODE)
    translation.gettext("Overview")  # reads the catalogue
    get_resolver().url_patterns  # noqa: B018  (imports every view)
    compiled = 0
    for engine in engines.all():
        for directory in getattr(engine, "template_dirs", ()):
            for path in Path(directory).rglob("*"):
                if path.suffix in {".html", ".txt", ".svg"}:
                    engine.get_template(str(path.relative_to(directory)))
                    compiled += 1
    translation.deactivate()
    return compiled
