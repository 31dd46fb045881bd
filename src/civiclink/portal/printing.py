"""The print view writes links out: each link in the article's text gets a number, and the addresses are listed at
the end ("[1] https://..."), since paper cannot be clicked."""

from html import escape
from html.parser import HTMLParser
from urllib.parse import urljoin


class _Footnoter(HTMLParser):
    def __init__(self, base_url: str):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.out: list[str] = []
        self.notes: list[str] = []
        self.open_links: list[str | None] = []

    @staticmethod
    def _tag(tag, attrs) -> str:
        rendered = "".join(f' {name}="{escape(value or "", quote=True)}"' for name, value in attrs)
        return f"<{tag}{rendered}>"

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.open_links.append(urljoin(self.base_url, href) if href and not href.startswith("#") else None)
        self.out.append(self._tag(tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.out.append(self._tag(tag, attrs))

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag == "a" and self.open_links and (address := self.open_links.pop()):
            if address not in self.notes:
                self.notes.append(address)
            self.out.append(f'<sup class="footnote-ref">[{self.notes.index(address) + 1}]</sup>')

    def handle_data(self, data):
        self.out.append(escape(data, quote=False))


def footnoted(html: str, base_url: str) -> tuple[str, list[str]]:
    """`html` with a numbered reference after each link, and the absolute addresses in order (one number per
    address, however often it is linked)."""
    parser = _Footnoter(base_url)
    parser.feed(html)
    parser.close()
    return "".join(parser.out), parser.notes
