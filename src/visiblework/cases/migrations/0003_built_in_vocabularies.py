from django.db import migrations


def forward(apps, schema_editor):
    from visiblework.cases.vocabularies import install_built_in

    install_built_in(apps.get_model("cases", "Taxonomy"), apps.get_model("cases", "Term"))
    apps.get_model("cases", "CatalogueVersion").objects.get_or_create(key="cases")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_search_tables")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
