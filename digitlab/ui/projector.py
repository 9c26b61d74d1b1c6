"""Bar charts readable from the back of a room: tick and axis labels of 16 px (Gradio's charts
take theirs from the page's --text-sm, 12 px) and the tallest bar labelled with its percentage.

Gradio 6 takes a page's CSS and JS only at launch(); a bar chart brings its own here, as the
`head` of a hidden HTML component built next to it (repeats are harmless: the script runs
once), so every tab that draws probability bars reads the same.
"""

from __future__ import annotations

import gradio as gr

BARS = "dl-bars"  # the class of every chart styled here (SCRIPT names it too)
LABEL_PX = 16  # read from the back of a classroom; larger clips the axis title

# The tallest bar's percentage: an HTML label over the chart (the chart has no text marks),
# placed again whenever the page changes (rAF-throttled: a stroke redraws the bars once).
SCRIPT = """
(() => {
  if (window.dlBarLabels) return;
  window.dlBarLabels = true;
  const place = () => {
    for (const chart of document.querySelectorAll('.dl-bars')) {
      const bars = [...chart.querySelectorAll('path[aria-roledescription="bar"]')];
      let top = null, best = 0;
      for (const bar of bars) {
        const value = parseFloat((bar.getAttribute('aria-label') || '').split(':').pop());
        if (value > best) { best = value; top = bar; }
      }
      let label = chart.querySelector(':scope .dl-top-bar');
      if (!label) {
        label = document.createElement('div');
        label.className = 'dl-top-bar';
        chart.appendChild(label);
      }
      const text = top && best >= 0.005 ? Math.round(best * 100) + '%' : '';
      if (label.textContent !== text) label.textContent = text;
      if (!text) continue;
      const box = top.getBoundingClientRect(), frame = chart.getBoundingClientRect();
      const left = Math.round(box.left - frame.left + box.width / 2) + 'px';
      const bottom = Math.round(frame.bottom - box.top + 2) + 'px';
      if (label.style.left !== left) label.style.left = left;
      if (label.style.bottom !== bottom) label.style.bottom = bottom;
    }
  };
  let queued = false;
  new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; place(); }); }
  }).observe(document.body, {subtree: true, childList: true, attributes: true,
                             attributeFilter: ['d', 'aria-label']});
})();
"""
STYLE = f"""
.{BARS} {{ --text-sm: {LABEL_PX}px; position: relative;
  padding-bottom: 32px !important; }}  /* Gradio lets the chart overrun the block by ~17 px */
.{BARS} .dl-top-bar {{ position: absolute; transform: translateX(-50%); pointer-events: none;
  font-size: {LABEL_PX + 2}px; font-weight: 700; color: var(--body-text-color); }}
.dl-bars-style {{ display: none; }}
"""
HEAD = f"<style>{STYLE}</style><script>{SCRIPT}</script>"


def readable_bars() -> None:
    """The style and the script of BARS charts, for the page (built before the first chart:
    Gradio's charts read --text-sm when they are first drawn)."""
    gr.HTML("", head=HEAD, container=False, elem_classes=["dl-bars-style"])
