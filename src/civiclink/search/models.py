"""The site-wide search index: one row per searchable object and language, written by `index.py`.

Text is folded (`civiclink.core.i18n.search_key`: Latin script, lower case, no diacritics) when it is written and
when it is asked for, so that "Zepce", "Žepče" and "Жепче" are the same word on every database. The full-text
structures live beside the table and follow it by triggers (see the migrations): an FTS5 table on SQLite, a
weighted `tsvector` column with a GIN index on PostgreSQL. Django never writes them, so they are not fields here.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("Empty for what is shown in every language.")
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=500)
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date = models.DateField(_("date"), null=True, blank=True)
    folded_title = models.TextField(editable=False)
    folded_body = models.TextField(editable=False, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "language"], name="search_entry_once"),
            models.CheckConstraint(condition=~Q(kind=""), name="search_entry_has_kind"),
        ]
        # One kind's entries in one language, newest first: a query for a common word walks them (see query.py).
        indexes = [models.Index(fields=["kind", "language", "-date"], name="search_entry_kind_language")]

    def __str__(self):
        return f"{self.kind} {self.object_id} {self.language or '*'}"
