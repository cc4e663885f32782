from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("refdata", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="snapshot",
            name="origin",
            field=models.CharField(choices=[("package", "the snapshot shipped in the package"), ("folder", "files loaded with refdata load")], default="folder", max_length=8, verbose_name="origin"),
        ),
        migrations.AddField(
            model_name="snapshot",
            name="made_on",
            field=models.DateField(blank=True, help_text="the date the packaged snapshot was made, or the day the files were loaded", null=True, verbose_name="made on"),
        ),
    ]
