"""The sectors a CSO can choose from, in every interface language. Staff can add more in the back office."""

import json
from pathlib import Path

from django.db import migrations

SECTORS = Path(__file__).resolve().parent.parent / "data" / "sectors.json"


def load_sectors(apps, schema_editor):
    Sector = apps.get_model("places", "Sector")
    for slug, names in json.loads(SECTORS.read_text()).items():
        translations = {code: {"name": name} for code, name in names.items() if code != "en"}
        Sector.objects.update_or_create(
            slug=slug, defaults={"name": names["en"], "language": "en", "translations": translations}
        )


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load_sectors, migrations.RunPython.noop)]
