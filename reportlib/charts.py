"""Charts for the report draft, drawn with matplotlib (Agg, no display) in a CJK font found on the system.

Chinese labels need a font that has the glyphs: one of ``draft.chart_fonts`` in ``schemas/project.yaml``
that matplotlib's font manager finds.  Without one, no chart is drawn (boxes instead of characters
would mislead): :func:`cjk_font` returns None and the draft says why the chart was left out.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache

log = logging.getLogger(__name__)


@lru_cache(maxsize=None)
def cjk_font(names: tuple[str, ...]) -> str | None:
    """The file of the first CJK font available, or None."""
    try:
        from matplotlib import font_manager
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        return None
    available = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for name in names:
        if name in available:
            return available[name]
    hints = ("CJK", "Hei", "Song", "Ming", "WenQuanYi", "wqy", "simsun", "msyh", "DroidSansFallback")
    for entry in font_manager.fontManager.ttflist:  # any font that claims CJK in its name
        if any(word in entry.name for word in hints):
            return entry.fname
    # matplotlib's font cache may predate a font installed since: look at the files themselves
    for path in sorted(font_manager.findSystemFonts()):
        if any(word.lower() in path.lower() for word in hints):
            return path
    return None


def _figure(width: float, height: float):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    # fixed margins: constrained layout measured every label twice and cost ~40 % of each chart
    fig = Figure(figsize=(width, height), dpi=130)
    fig.subplots_adjust(left=0.09, right=0.98, top=0.88, bottom=0.12)
    return fig


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def level1_chart(level1: list[dict], font: str) -> bytes:
    """Weights against scores per level-1 category (seed 001's figure): grouped bars with values."""
    from matplotlib.font_manager import FontProperties
    prop = FontProperties(fname=font)
    fig = _figure(6.4, 3.4)
    ax = fig.add_subplot()
    names = [x["name"] for x in level1]
    xs = range(len(names))
    weights = [x["weight"] for x in level1]
    scores = [x["score"] or 0 for x in level1]
    bars_w = ax.bar([x - 0.2 for x in xs], weights, 0.4, label="权重分", color="#9DC3E6")
    bars_s = ax.bar([x + 0.2 for x in xs], scores, 0.4, label="得分", color="#2E75B6")
    for bars in (bars_w, bars_s):
        for bar in bars:
            ax.annotate(f"{bar.get_height():g}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=8)
    ax.set_xticks(list(xs))
    ax.set_xticklabels(names, fontproperties=prop)
    ax.set_ylabel("分值", fontproperties=prop)
    ax.set_title("一级指标权重分与得分", fontproperties=prop)
    ax.legend(prop=prop)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def distribution_chart(labels: list[str], counts: list[int], font: str) -> bytes:
    """Answers per option over all questions, with each option's share."""
    from matplotlib.font_manager import FontProperties
    prop = FontProperties(fname=font)
    fig = _figure(6.4, 3.2)
    ax = fig.add_subplot()
    total = sum(counts) or 1
    bars = ax.bar(range(len(labels)), counts, 0.6, color="#548235")
    for bar, n in zip(bars, counts):
        ax.annotate(f"{n}（{n / total:.1%}）", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize=8, fontproperties=prop)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, fontproperties=prop)
    ax.set_ylabel("人次", fontproperties=prop)
    ax.set_title("满意度调查各选项人次分布", fontproperties=prop)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
