"""Each code belongs to one memo at most; undecided memos have none. A migration of its own, after
the codes were replaced: on PostgreSQL the new index is built outside the transaction that wrote
them."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0007_memo_long_verification_codes'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='memo',
            constraint=models.UniqueConstraint(condition=models.Q(('verification_code', ''), _negated=True), fields=('verification_code',), name='unique_memo_verification_code'),
        ),
    ]
