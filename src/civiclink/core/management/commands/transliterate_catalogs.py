from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po, write_po
from django.conf import settings
from django.core.management import BaseCommand

from civiclink.core.i18n import to_latin


def transliterate_catalog(source: Path, target: Path) -> int:
    """Write the Serbian Latin catalogue from the Cyrillic one, so translators translate Serbian once."""
    with source.open("rb") as po_file:
        catalog = read_po(po_file, locale="sr")
    catalog.locale = Locale.parse("sr_Latn")
    catalog.language_team = "Serbian (Latin), transliterated from Cyrillic"
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.string, tuple | list):
            message.string = tuple(to_latin(text) for text in message.string)
        else:
            message.string = to_latin(message.string)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as po_file:
        write_po(po_file, catalog, width=0, include_previous=False)
    return len(catalog)


class Command(BaseCommand):
    help = "Regenerate the Serbian Latin (sr_Latn) catalogues from the Serbian Cyrillic (sr) ones."

    def handle(self, *args, **options):
        for locale_dir in map(Path, settings.LOCALE_PATHS):
            source = locale_dir / "sr" / "LC_MESSAGES" / "django.po"
            if source.exists():
                target = locale_dir / "sr_Latn" / "LC_MESSAGES" / "django.po"
                count = transliterate_catalog(source, target)
                self.stdout.write(f"{target}: {count} messages")
