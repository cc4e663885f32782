"""A company's representative asks to be verified from the site: what they send to prove who
they are, the request's status, and the editor's reason. Representations verified before
this (linked by hand in the back office) are marked verified."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def mark_verified(apps, schema_editor):
    Representation = apps.get_model("reports", "Representation")
    Representation.objects.filter(verified=True).update(status="verified")


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0003_public_ids_scoped_idempotency_bursts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='representation',
            name='decided_on',
            field=models.DateField(blank=True, null=True, verbose_name='decided on'),
        ),
        migrations.AddField(
            model_name='representation',
            name='evidence_url',
            field=models.URLField(blank=True, max_length=500, verbose_name='public page that shows the role'),
        ),
        migrations.AddField(
            model_name='representation',
            name='full_name',
            field=models.CharField(blank=True, max_length=200, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='representation',
            name='job_title',
            field=models.CharField(blank=True, max_length=200, verbose_name='role at the organisation'),
        ),
        migrations.AddField(
            model_name='representation',
            name='note',
            field=models.TextField(blank=True, max_length=2000, verbose_name='note to the editors'),
        ),
        migrations.AddField(
            model_name='representation',
            name='reason',
            field=models.TextField(blank=True, max_length=2000, verbose_name="the editor's reason"),
        ),
        migrations.AddField(
            model_name='representation',
            name='requested_on',
            field=models.DateField(blank=True, null=True, verbose_name='asked on'),
        ),
        migrations.AddField(
            model_name='representation',
            name='status',
            field=models.CharField(choices=[('pending', 'waiting for an editor'), ('verified', 'verified'), ('refused', 'refused'), ('revoked', 'withdrawn by an editor')], db_index=True, default='pending', max_length=10, verbose_name='status'),
        ),
        migrations.AddField(
            model_name='representation',
            name='work_email',
            field=models.EmailField(blank=True, max_length=254, verbose_name='work e-mail address'),
        ),
        migrations.AlterField(
            model_name='representation',
            name='user',
            field=models.ForeignKey(limit_choices_to={'role': 'representative'}, on_delete=django.db.models.deletion.CASCADE, related_name='representations', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(mark_verified, migrations.RunPython.noop),
    ]
