"""The audit log, moved from the review app with every row (review migration 0002 renamed
its table to core_auditentry): this migration only takes the model over, and moves its
content type (and with it the editors' permissions) from review to core."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="auditentry").exists():
        ContentType.objects.filter(app_label="review", model="auditentry").update(app_label="core")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core", model="auditentry").update(app_label="review")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("review", "0002_audit_log_moves_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AuditEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='when')),
                        ('user_label', models.CharField(blank=True, max_length=150, verbose_name='who')),
                        ('action', models.CharField(choices=[('accept', 'accepted a contribution'), ('reject', 'rejected a contribution'), ('spam', 'rejected contributions as spam'), ('claim', 'claimed a contribution'), ('edit', 'edited'), ('create', 'created'), ('delete', 'deleted'), ('merge', 'merged actors'), ('revert', 'reverted a case'), ('retract', 'retracted a case'), ('import', 'imported')], db_index=True, max_length=20, verbose_name='action')),
                        ('object_type', models.CharField(max_length=50, verbose_name='object type')),
                        ('object_id', models.CharField(blank=True, max_length=50, verbose_name='object id')),
                        ('summary', models.CharField(max_length=500, verbose_name='summary')),
                        ('data', models.JSONField(blank=True, default=dict, verbose_name='details')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='who')),
                    ],
                    options={
                        'verbose_name': 'audit entry',
                        'verbose_name_plural': 'audit log',
                        'ordering': ['-at', '-id'],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
