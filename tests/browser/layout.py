"""What a page must not do at any width, as the browser measures it: scroll sideways, put
anything beyond the window's right edge (a wide table scrolls inside its own box instead), wrap a
menu label inside a Thai word, or stretch a status badge into a tall block."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

WIDTHS = (390, 768, 1280, 1920)  # a phone, a tablet, an office PC, a wide screen
PHONE, DESKTOP = 390, 1280

# Each menu label's lines: a text of the label on more than one line broke inside a Thai word.
# (The person's name and role may sit on two rows of a phone's menu; each stays whole.)
LABEL_LINES = """() => [
  ...document.querySelectorAll('.navbar-ita .nav-link, .navbar-ita .navbar-text')]
  .filter(e => e.offsetParent !== null)
  .map(e => {
    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    let lines = 1;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 1)
                                                       .map(r => Math.round(r.bottom)));
      lines = Math.max(lines, tops.size);
    }
    return {text: e.textContent.trim(), lines: lines, right: e.getBoundingClientRect().right};
  })"""

# What sticks out of the window: the outermost visible elements whose box passes either edge
# and that no ancestor clips or scrolls (a `.table-responsive` box does).
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  const inside = e => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  for (const e of document.body.querySelectorAll('*')) {
    if (out.some(o => o.contains(e))) continue;
    const box = e.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(e).visibility === 'hidden') continue;
    if ((box.right > width + 1 || box.left < -1) && !inside(e)) out.push(e);
  }
  return out.map(e => {
    const box = e.getBoundingClientRect();
    const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + [...e.classList].map(c => '.' + c).join('');
    return `${name} "${e.textContent.trim().slice(0, 40)}" spans ${Math.round(box.left)}`
      + `-${Math.round(box.right)} px`;
  });
}"""

# Badges several lines tall: a status squeezed into a narrow cell and wrapped inside its words.
TALL_BADGES = """() => [...document.querySelectorAll('.badge')]
  .filter(e => e.offsetParent !== null)
  .filter(e => e.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(e).fontSize) + 8)
  .map(e => `badge "${e.textContent.trim()}" is ${Math.round(e.getBoundingClientRect().height)}`
            + ' px tall')"""


def layout_problems(page: Page) -> list[str]:
    """Everything wrong with the page's layout at its current width, in words; [] when none."""
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.clientWidth")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    problems = [f"the page is {scroll} px wide in a {width} px window"] if scroll > width else []
    problems += page.evaluate(STICKING_OUT)
    problems += [
        f'menu label "{label["text"]}" wraps onto {label["lines"]} lines'
        for label in page.evaluate(LABEL_LINES)
        if label["lines"] > 1
    ]
    problems += page.evaluate(TALL_BADGES)
    return problems


def menu(page: Page, label: str) -> None:
    """Follow a menu item as a person does at this width: on a phone, open the menu first."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        # Bootstrap slides the menu open ("collapsing"); a click while it moves can miss.
        expect(page.locator("#nav")).to_have_class(re.compile(r"\bcollapse\b.*\bshow\b"))
    with page.expect_navigation():
        page.locator("#nav").get_by_role("link", name=label, exact=True).click()


def fits(page: Page) -> None:
    """Fail, naming what, when the page's layout has any of the problems above."""
    problems = layout_problems(page)
    assert not problems, "\n".join(problems)
