"""itaportal/storage.py: Thai file names, whole files only, a full disk; static files' URLs."""

from __future__ import annotations

import json

from django.core.files.base import ContentFile

from itaportal.storage import StaticFilesStorage, ThaiFileSystemStorage


def test_it_keeps_thai_file_names_whole(tmp_path):
    storage = ThaiFileSystemStorage(location=tmp_path)
    assert storage.get_valid_name("ครุฑ.png") == "ครุฑ.png"
    assert storage.get_valid_name("ภาพกิจกรรม 1.pdf") == "ภาพกิจกรรม_1.pdf"
    assert storage.get_valid_name("../../etc/passwd") == "etcpasswd"
    assert storage.get_valid_name("<script>.pdf") == "script.pdf"


def test_it_never_leaves_a_partial_file_and_never_replaces_another(tmp_path):
    store = ThaiFileSystemStorage(location=tmp_path)
    first = store.save("a.pdf", ContentFile(b"one"))
    second = store.save("a.pdf", ContentFile(b"two"))
    assert first == "a.pdf" and second != first
    assert (tmp_path / first).read_bytes() == b"one" and (tmp_path / second).read_bytes() == b"two"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".partial-")]


def test_it_gives_each_static_file_its_hashed_url_and_works_it_out_once(tmp_path, settings):
    settings.DEBUG = False
    manifest = {"paths": {"css/portal.css": "css/portal.abc123.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    asked = []
    stored_name = storage.stored_name
    storage.stored_name = lambda name: asked.append(name) or stored_name(name)
    assert storage.url("css/portal.css") == "/static/css/portal.abc123.css"
    assert storage.url("css/portal.css") == "/static/css/portal.abc123.css"
    assert asked == ["css/portal.css"]
    settings.DEBUG = True  # runserver: the file's own name, as Django's storage gives it
    assert storage.url("css/portal.css") == "/static/css/portal.css"
