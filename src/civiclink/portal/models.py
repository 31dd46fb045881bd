"""News: an index page per language and the articles under it, plus the rows the cookie-less view counter needs."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.url_routing import RouteResult


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"), max_length=250, help_text=_("What the image shows, for people who cannot see it.")
    )
    caption = blocks.CharBlock(label=_("caption"), max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "portal/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("link text"), max_length=250, required=False)

    class Meta:
        icon = "doc-full"
        template = "portal/blocks/document.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(label=_("said by"), max_length=250, required=False)

    class Meta:
        icon = "openquote"
        template = "portal/blocks/quote.html"


class ArticleBody(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("text"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
    )
    image = ImageBlock(label=_("image"))
    document = DocumentBlock(label=_("document"))
    quote = QuoteBlock(label=_("quotation"))


class NewsIndexPage(RoutablePageMixin, Page):
    """The news of one language, at /<lang>/news/: listing, filters, archive by year and feeds."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["portal.ArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")

    @path("", name="index")
    def index_route(self, request):
        from civiclink.portal import views

        return views.news_index(request, self)

    @re_path(r"^archive/(?P<year>[0-9]{4})/$", name="archive")
    def archive_route(self, request, year):
        from civiclink.portal import views

        return views.news_index(request, self, year=int(year))

    def route(self, request, path_components):
        """An article that does not exist in this language is looked for in the others (`views.elsewhere`)."""
        try:
            return super().route(request, path_components)
        except Http404:
            if len(path_components) != 1:
                raise
            from civiclink.portal import views

            return RouteResult(self, args=(views.elsewhere, [self, path_components[0]], {}))

    @path("feed/rss/", name="feed_rss")
    def feed_rss_route(self, request):
        from civiclink.portal import feeds

        return feeds.rss(request, self)

    @path("feed/atom/", name="feed_atom")
    def feed_atom_route(self, request):
        from civiclink.portal import feeds

        return feeds.atom(request, self)

    @path("tag/<str:tag>/feed/rss/", name="tag_feed_rss")  # tag slugs may be Cyrillic
    def tag_feed_rss_route(self, request, tag):
        from civiclink.portal import feeds

        return feeds.rss(request, self, tag=tag)

    @path("tag/<str:tag>/feed/atom/", name="tag_feed_atom")
    def tag_feed_atom_route(self, request, tag):
        from civiclink.portal import feeds

        return feeds.atom(request, self, tag=tag)


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("portal.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(RoutablePageMixin, Page):
    """A news article; translations are copies of it in other locales sharing its translation_key."""

    summary = models.TextField(_("summary"), help_text=_("One or two sentences shown in lists, feeds and previews."))
    body = StreamField(ArticleBody(), verbose_name=_("body"), blank=True)
    main_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("main image"),
    )
    main_image_alt = models.CharField(
        _("alternative text of the main image"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    main_image_caption = models.CharField(_("caption of the main image"), max_length=250, blank=True)
    author_name = models.CharField(
        _("author (person)"), max_length=200, blank=True, help_text=_("Leave empty when an organisation signs.")
    )
    author_organisation = models.ForeignKey(
        "places.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_articles",
        verbose_name=_("author (organisation)"),
    )
    published_on = models.DateField(_("publication date"), db_index=True)
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("tags"))
    municipalities = ParentalManyToManyField(
        "places.Municipality", blank=True, related_name="articles", verbose_name=_("municipalities")
    )
    processes = ParentalManyToManyField(
        "participation.Process", blank=True, related_name="articles", verbose_name=_("participation processes")
    )
    campaigns = ParentalManyToManyField(
        "governance.Campaign", blank=True, related_name="articles", verbose_name=_("governance campaigns")
    )
    organisations = ParentalManyToManyField(
        "places.Organisation", blank=True, related_name="articles", verbose_name=_("organisations")
    )
    comments_open = models.BooleanField(
        _("comments open"), default=True, help_text=_("Untick to close the comments of this article.")
    )
    view_count = models.PositiveIntegerField(_("readers"), default=0, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("main_image"), FieldPanel("main_image_alt"), FieldPanel("main_image_caption")],
            heading=_("Main image"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("published_on"), FieldPanel("author_name"), FieldPanel("author_organisation")],
            heading=_("Author and date"),
        ),
        FieldPanel("tags"),
    ]
    related_panels = [
        FieldPanel("municipalities", widget=forms.CheckboxSelectMultiple),
        FieldPanel("processes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("campaigns", widget=forms.CheckboxSelectMultiple),
        FieldPanel("organisations", widget=forms.CheckboxSelectMultiple),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("comments_open", permission="portal.close_comments")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(related_panels, heading=_("Related")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(settings_panels, heading=_("Settings")),
        ]
    )
    parent_page_types = ["portal.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")

    @path("", name="article")
    def index_route(self, request):
        from civiclink.portal import views

        return views.article(request, self)

    @path("print/", name="print")
    def print_route(self, request):
        from civiclink.portal import views

        return views.article_print(request, self)

    @path("comments/new/", name="comment_new")
    def comment_new_route(self, request):
        from civiclink.portal import views

        return views.comment_new(request, self)

    @path("comments/<int:pk>/<str:action>/", name="comment")
    def comment_route(self, request, pk, action):
        from civiclink.portal import views

        view = {"reply": views.comment_reply, "edit": views.comment_edit, "delete": views.comment_delete}.get(action)
        if view is None:
            raise Http404("No such action.")
        return view(request, self, pk)

    def get_absolute_url(self):
        """For pages that link to what is commented or reported (moderation, notifications)."""
        return self.url

    @property
    def author_display(self) -> str:
        if self.author_name:
            return self.author_name
        return self.author_organisation.legal_name if self.author_organisation else ""

    def clean(self):
        super().clean()
        if self.main_image_id and not self.main_image_alt.strip():
            raise ValidationError(
                {"main_image_alt": _("Describe the main image for people who cannot see it.")}, code="required"
            )


class ViewSalt(models.Model):
    """The random salt of one day; yesterday's is deleted, so a day's hashes can never be recomputed later."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self):
        return str(self.day)


class ArticleView(models.Model):
    """One reader of one article on one day, known only by sha256(day salt, address, user agent, article)."""

    day = models.DateField()
    digest = models.CharField(max_length=64)
    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "digest"], name="article_view_once_per_day"),
            models.CheckConstraint(condition=Exact(Length("digest"), 64), name="article_view_digest_length"),
        ]

    def __str__(self):
        return f"{self.article_id} {self.day}"
