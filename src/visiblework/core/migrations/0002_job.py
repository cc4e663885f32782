"""Jobs: long commands (a release build) that run in their own process, with their progress."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Job',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(db_index=True, max_length=50, verbose_name='kind')),
                ('summary', models.CharField(max_length=200, verbose_name='summary')),
                ('state', models.CharField(choices=[('queued', 'waiting to start'), ('running', 'running'), ('done', 'done'), ('failed', 'failed')], default='queued', max_length=10, verbose_name='state')),
                ('done', models.PositiveIntegerField(default=0, verbose_name='steps done')),
                ('total', models.PositiveIntegerField(default=0, verbose_name='steps in all')),
                ('message', models.CharField(blank=True, max_length=500, verbose_name='message')),
                ('result', models.CharField(blank=True, max_length=200, verbose_name='result')),
                ('created_on', models.DateField(auto_now_add=True, verbose_name='created')),
                ('finished_on', models.DateField(blank=True, null=True, verbose_name='finished')),
                ('pid', models.PositiveIntegerField(blank=True, null=True)),
                ('host', models.CharField(blank=True, max_length=255)),
                ('started_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='started by')),
            ],
            options={
                'verbose_name': 'job',
                'verbose_name_plural': 'jobs',
                'ordering': ['-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('state__in', ('queued', 'running'))), fields=('kind',), name='core_job_one_active_per_kind')],
            },
        ),
    ]
