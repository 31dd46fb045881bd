"""Shared pieces of the browser tests: the marker, the console log, axe-core, focus, headings and languages."""

import re

import pytest
from django.utils import translation

# Every browser test module sets `pytestmark = BROWSER_TEST`: the live server needs committed data, and the
# serialized rollback restores the data migrations' rows (sectors, Wagtail's root page) that a flush removes.
BROWSER_TEST = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
CSP_VIOLATION = re.compile(r"Content[ -]Security[ -]Policy", re.IGNORECASE)


class ConsoleLog(list):
    """The console errors and uncaught exceptions of every page a test opened, as text."""

    def csp_violations(self) -> list[str]:
        return [message for message in self if CSP_VIOLATION.search(message)]


def gettext_in(language: str, message: str, context: str | None = None) -> str:
    """What the interface says in `language`: the tests follow the catalogues instead of copying translations."""
    with translation.override(language):
        return translation.pgettext(context, message) if context else translation.gettext(message)


NODES_SHOWN = 5
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """Run axe-core with the WCAG 2.0 and 2.1 A and AA rules on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


def assert_no_axe_violations(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe_violations(violations)}"


def describe_violations(violations: list[dict]) -> str:
    """Each violation's rule, impact and help page, with the first few offending elements and how to fix them."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:NODES_SHOWN]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        if len(violation["nodes"]) > NODES_SHOWN:
            lines.append(f"    … and {len(violation['nodes']) - NODES_SHOWN} more elements")
    return "\n".join(lines)


# The focused element's outline, and its contrast with what is behind the ring (WCAG 1.4.11, 3:1).
FOCUS_RING_JS = """
element => {
  const parse = colour => {
    const [r, g, b, a = 1] = colour.match(/[\\d.]+/g).map(Number);
    return {r, g, b, a};
  };
  const luminance = ({r, g, b}) => {
    const channel = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const backgroundOf = start => {
    for (let node = start; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour.a > 0) return colour;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const style = getComputedStyle(element);
  const width = parseFloat(style.outlineWidth) || 0;
  const box = element.getBoundingClientRect();
  // What lies under the middle of the ring, left of the element (or right of it at the left edge of the page).
  const offset = (parseFloat(style.outlineOffset) || 0) + width / 2;
  const x = box.left - offset >= 0 ? box.left - offset : box.right + offset;
  const under = document.elementsFromPoint(x, box.top + box.height / 2)
    .find(node => node !== element && !element.contains(node));
  const ring = luminance(parse(style.outlineColor));
  const behind = luminance(backgroundOf(under || element.parentElement));
  return {
    element: element.outerHTML.slice(0, 120),
    style: style.outlineStyle,
    width,
    contrast: (Math.max(ring, behind) + 0.05) / (Math.min(ring, behind) + 0.05),
  };
}
"""


def assert_visible_focus(page) -> None:
    """The focused element shows an outline at least 2px wide with 3:1 contrast against its surroundings."""
    ring = page.evaluate(f"({FOCUS_RING_JS})(document.activeElement)")
    assert ring["style"] not in {"none", "hidden"} and ring["width"] >= 2, ring
    assert ring["contrast"] >= 3, ring


def tab_to(page, target, limit: int) -> list[str]:
    """Press Tab until `target` has the focus (at most `limit` times); every stop must show where the focus is."""
    path = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_visible_focus(page)
        path.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
        if target.evaluate("element => element === document.activeElement"):
            return path
    raise AssertionError(f"{target} not reached with {limit} Tab presses; focus went to:\n" + "\n".join(path))


def skipped_heading_levels(page) -> list[str]:
    """Headings that come more than one level below the previous one (an h3 straight after the h1)."""
    return page.evaluate(
        """() => {
          let previous = 0;
          const skipped = [];
          for (const heading of document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')) {
            const level = Number(heading.tagName[1]);
            const name = heading.tagName.toLowerCase();
            if (level > previous + 1) skipped.push(`h${previous} → ${name}: ${heading.textContent.trim()}`);
            previous = level;
          }
          return skipped;
        }"""
    )


def has_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
