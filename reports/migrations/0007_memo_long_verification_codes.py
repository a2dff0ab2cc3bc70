"""Verification codes of 140 bits instead of 32: every decided memo gets a new code (the old short
codes stop resolving)."""

import secrets

from django.db import migrations, models

# As reports.memos.verification.new_verification_code makes them, frozen here.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_code():
    plain = "".join(secrets.choice(ALPHABET) for _ in range(28))
    return "-".join(plain[i : i + 4] for i in range(0, 28, 4))


def replace_codes(apps, schema_editor, make=new_code):
    Memo = apps.get_model("reports", "Memo")
    for memo in Memo.objects.exclude(verification_code="").only("pk").iterator():
        Memo.objects.filter(pk=memo.pk).update(verification_code=make())


def short_codes(apps, schema_editor):
    """Backwards: codes of the old form, which fit the old column."""
    replace_codes(apps, schema_editor, make=lambda: secrets.token_hex(4).upper())


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0006_memo_approval_policy_and_approved_pdf'),
    ]

    operations = [
        migrations.AlterField(
            model_name='memo',
            name='verification_code',
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.RunPython(replace_codes, short_codes),
    ]
