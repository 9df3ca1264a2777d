"""The draft's two bar charts, read back as pixels: bars in proportion, both series drawn, labels fitted."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from reportlib import charts
from reportlib.schema import Config

NAMES = tuple(Config().schema("project")["draft"]["chart_fonts"])
FONT = charts.cjk_font(NAMES)
LIGHT, DARK, GREEN = (0x9D, 0xC3, 0xE6), (0x2E, 0x75, 0xB6), (0x54, 0x82, 0x35)

pytestmark = pytest.mark.skipif(FONT is None, reason="no CJK font installed (.ci/run installs fonts-noto-cjk)")


def columns(png: bytes, colour) -> list[tuple[int, int]]:
    """(x, height in pixels) of each run of bar columns in ``colour``, left to right, below the legend."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    pixels = image.load()
    heights = [sum(1 for y in range(60, height) if pixels[x, y] == colour) for x in range(width)]
    runs, start = [], None
    for x, h in enumerate(heights + [0]):
        if h and start is None:
            start = x
        elif not h and start is not None:
            runs.append((start, max(heights[start:x])))
            start = None
    return runs


def test_the_font_is_a_regular_face_of_the_first_family_installed():
    from PIL import ImageFont
    family, style = ImageFont.truetype(FONT.path, 12, index=FONT.index).getname()
    assert family == next(n for n in NAMES if n == family)
    assert style in charts.REGULAR
    assert charts.cjk_font(("没有这种字体",)) is not None  # any CJK font rather than none


def test_level1_bars_stand_in_proportion_to_weight_and_score():
    level1 = [{"name": "决策", "weight": 20, "score": 18.5}, {"name": "过程", "weight": 20, "score": 17},
              {"name": "产出", "weight": 40, "score": 30}, {"name": "效益", "weight": 20, "score": 10}]
    png = charts.level1_chart(level1, FONT)
    assert Image.open(io.BytesIO(png)).size == charts.SIZE
    weights, scores = columns(png, LIGHT), columns(png, DARK)
    assert len(weights) == len(scores) == 4
    unit = weights[0][1] / 20
    assert [round(h / unit, 1) for _, h in weights] == [20, 20, 40, 20]
    assert [h / unit for _, h in scores] == pytest.approx([18.5, 17, 30, 10], abs=0.15)  # to the pixel
    assert all(w[0] < s[0] for w, s in zip(weights, scores))  # weight left of score in each group


def test_a_missing_score_draws_no_bar_and_long_names_still_fit():
    level1 = [{"name": "项目决策与立项依据充分性及绩效目标合理性", "weight": 30, "score": None},
              {"name": "效益", "weight": 70, "score": 63}]
    png = charts.level1_chart(level1, FONT)
    assert len(columns(png, LIGHT)) == 2 and len(columns(png, DARK)) == 1


def test_distribution_has_one_bar_per_option_and_none_for_zero():
    png = charts.distribution_chart(["A 满意", "B 较满意", "C 一般", "D 较不满意", "E 不满意"], [1200, 300, 60, 6, 0], FONT)
    bars = columns(png, GREEN)
    assert len(bars) == 4
    assert bars[0][1] / bars[1][1] == pytest.approx(4, rel=0.01)
