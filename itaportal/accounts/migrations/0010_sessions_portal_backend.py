"""Sessions signed in before the portal read people through its own backend name Django's
ModelBackend; they are moved to itaportal.accounts.backends.PortalBackend (a subclass), so that
nobody is signed out by the upgrade (Django ends a session whose backend is no longer listed)."""

from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations

BACKEND_KEY = "_auth_user_backend"
DJANGO = "django.contrib.auth.backends.ModelBackend"
PORTAL = "itaportal.accounts.backends.PortalBackend"


def _move(apps, schema_editor, old, new):
    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in Session.objects.using(schema_editor.connection.alias).iterator():
        data = store.decode(session.session_data)
        if data.get(BACKEND_KEY) == old:
            data[BACKEND_KEY] = new
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])


def forwards(apps, schema_editor):
    _move(apps, schema_editor, DJANGO, PORTAL)


def backwards(apps, schema_editor):
    _move(apps, schema_editor, PORTAL, DJANGO)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_user_language_choice"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
