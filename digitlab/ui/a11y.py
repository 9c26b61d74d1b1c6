"""What makes the page usable by keyboard and screen reader (issue 31), beyond each tab's own
texts: the theme's colours, a visible focus ring, and a script that mends what Gradio 6.31
renders and that the verdict's live region needs.

Measured with Deque's axe-core (WCAG 2 A/AA, 2.1, 2.2): tests/test_browser_a11y.py.
"""

from __future__ import annotations

import gradio as gr

# Gradio's default theme with text that reads at 4.5:1 or more (WCAG 1.4.3). Its grey help
# texts, slider ends, placeholders and footer (zinc-400, #bbbbc2, 1.9:1 on white) are zinc-600;
# white on its orange buttons (#f97316, 2.8:1) is white on orange-700 (5.2:1); its links (#5c8af0,
# 3.3:1) blue-700. Fonts stay the default's local ones: the page fetches nothing from elsewhere.
THEME = gr.themes.Default().set(
    body_text_color_subdued="*neutral_600",
    input_placeholder_color="*neutral_500",
    button_primary_background_fill="*primary_700",
    button_primary_background_fill_hover="*primary_800",
    button_primary_background_fill_dark="*primary_700",
    button_primary_background_fill_hover_dark="*primary_800",
    button_primary_text_color="white",
    button_primary_text_color_dark="white",
    button_cancel_background_fill="#b91c1c",  # Stop: white on red-700 (6.5:1; red-500 3.8:1)
    button_cancel_background_fill_hover="#991b1b",
    button_cancel_background_fill_dark="#b91c1c",
    button_cancel_background_fill_hover_dark="#991b1b",
    button_cancel_text_color="white",
    button_cancel_text_color_dark="white",
    link_text_color="*secondary_700",
    link_text_color_hover="*secondary_800",
    link_text_color_visited="*secondary_800",
)

# A focus ring on whatever the keyboard reaches (WCAG 2.4.7, 2.4.11): Gradio draws none on
# its tabs and buttons. Only for keyboard focus (:focus-visible), not for a click.
CSS = """
:root { --dl-focus: #1d4ed8; }
.dark { --dl-focus: #93c5fd; }
:focus-visible, input:focus-visible, textarea:focus-visible, button:focus-visible,
[role="tab"]:focus-visible, canvas:focus-visible {
  outline: 3px solid var(--dl-focus) !important; outline-offset: 2px !important;
}
.dl-sr-only {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
"""

# Run once when the page loads (launch(js=...)), then on every change of the page (at most once
# a frame):
# - the verdict's polite live region: says the Draw tab's verdict (its data-said) when the
#   verdict itself changes (data-key: the digit, "not sure" or nothing), not on every stroke
#   that moves a percentage, and only once the drawing has settled for a moment;
# - Gradio's empty-state boxes carry an aria-label on a plain div, which assistive technology
#   ignores (axe: aria-prohibited-attr): the label goes;
# - an image shown as a button (Gradio's Image) gets its component's label as its name, and a
#   gallery's captioned thumbnail its caption, not "Thumbnail 1 of 4" (axe 4.14:
#   label-content-name-mismatch, the name must hold the visible text);
# - a chart's legend swatches (Vega: graphics-symbol with no name) are hidden from screen
#   readers; the legend's own group names the series.
JS = """
() => {
  if (window.dlA11y) return;
  window.dlA11y = true;
  const region = document.createElement('div');
  region.id = 'dl-announce';
  region.className = 'dl-sr-only';
  region.setAttribute('aria-live', 'polite');
  region.setAttribute('aria-atomic', 'true');
  document.body.appendChild(region);
  let said = null, pending = null;
  const announce = () => {
    const verdict = document.querySelector('#dl-verdict [data-key]');
    if (!verdict) return;
    const key = verdict.dataset.key;
    if (said === null) { said = key; return; }  // the page's first verdict is not news
    if (key === said) { clearTimeout(pending); pending = null; return; }
    clearTimeout(pending);
    pending = setTimeout(() => {
      const now = document.querySelector('#dl-verdict [data-key]');
      if (!now || now.dataset.key !== key) return;
      said = key;
      region.textContent = now.dataset.said || '';
    }, 700);
  };
  const nameOf = (el) => {
    const block = el.closest('.block');
    const label = block && block.querySelector('[data-testid="block-label"], label');
    return label ? label.textContent.trim() : '';
  };
  const mend = () => {
    for (const el of document.querySelectorAll('div[aria-label]:not([role])')) {
      el.removeAttribute('aria-label');
    }
    for (const button of document.querySelectorAll('.image-container > button')) {
      const name = nameOf(button);
      if (!button.textContent.trim() && name && button.getAttribute('aria-label') !== name) {
        button.setAttribute('aria-label', name);
      }
    }
    for (const button of document.querySelectorAll('button[aria-label^="Thumbnail"]')) {
      if (button.innerText.trim()) button.removeAttribute('aria-label');  // its caption names it
    }
    for (const el of document.querySelectorAll('svg g[role="graphics-symbol"]:not([aria-label])')) {
      el.setAttribute('aria-hidden', 'true');
    }
    announce();
  };
  let queued = false;
  new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; mend(); }); }
  }).observe(document.body, {subtree: true, childList: true, attributes: true,
                             attributeFilter: ['aria-label', 'data-key', 'role']});
  mend();
}
"""
