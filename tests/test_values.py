from decimal import Decimal
from fractions import Fraction

import pytest

from reportlib.values import Number, Text, agrees, format_at, format_decimals, label_key, parse_cell, round_half_up


@pytest.mark.parametrize("raw, fmt, value, decimals, percent", [
    (0.7949, "0.00%", Decimal("0.7949"), 4, True),
    ("79.49%", None, Decimal("0.7949"), 4, True),
    ("79.49 %", None, Decimal("0.7949"), 4, True),
    ("１００％", None, Decimal("1"), 2, True),
    (0.81, "General", Decimal("0.81"), 2, False),
    ("８１", None, Decimal("81"), 0, False),
    ("1,234.50", None, Decimal("1234.50"), 2, False),
    (7.95, "0.00_ ", Decimal("7.95"), 2, False),
    (96.6666, '#,##0.00_);[Red](#,##0.00)', Decimal("96.6666"), 2, False),
    (1, "0%", Decimal("1"), 2, True),
    ("-", None, Decimal("0"), 0, False),
    ("—", None, Decimal("0"), 0, False),
])
def test_parse_cell_keeps_value_and_displayed_precision(raw, fmt, value, decimals, percent):
    parsed = parse_cell(raw, fmt)
    assert isinstance(parsed, Number)
    assert (parsed.value, parsed.decimals, parsed.percent) == (value, decimals, percent)


def test_blank_and_text():
    assert parse_cell(None) is None
    assert parse_cell("   ") is None
    assert parse_cell("见附件") == Text("见附件")
    assert parse_cell('=HYPERLINK("http://x","y")') == Text('=HYPERLINK("http://x","y")')


def test_agreement_is_at_the_displayed_precision():
    # 58 / 60 = 96.67 %, shown as 97 %: right
    assert agrees(parse_cell(0.97, "0%"), Fraction(58, 60))
    # 18.6 / 20 = 93.00 %, shown as 99.50 %: wrong
    assert not agrees(parse_cell(0.995, "0.00%"), Fraction(186, 200))
    # a share shown with two decimals as a fraction: 29/36 = 0.8056 -> 0.81
    assert agrees(parse_cell(0.81), Fraction(29, 36))
    assert agrees(parse_cell(0.8), Fraction(29, 36))  # General shows 0.80 as "0.8"
    assert not agrees(parse_cell(0.79), Fraction(29, 36))


def test_round_half_up_is_exact_not_binary():
    assert round_half_up(Fraction(1, 8), 2) == Decimal("0.13")
    assert round_half_up(Decimal("2.675"), 2) == Decimal("2.68")  # float round() gives 2.67
    assert round_half_up(Fraction(-1, 8), 2) == Decimal("-0.13")
    assert format_at(Fraction(2, 39), 4, True) == "5.13%"
    assert format_at(Fraction(1), 2, True) == "100%"


def test_format_decimals():
    assert format_decimals("0.00%") == (2, True)
    assert format_decimals("General") == (None, False)
    assert format_decimals('0.0"%"') == (1, False)  # a quoted percent sign does not scale
    assert format_decimals("#,##0") == (0, False)


def test_label_key_normalises_widths_spaces_and_brackets():
    assert label_key("A（非常\n满意）") == label_key("A(非常满意)") == label_key("A 非常满意") == "A非常满意"
    assert label_key("合 计") == "合计"
    assert label_key("合　计：") == "合计"


def test_values_are_quoted_as_the_spreadsheet_shows_them():
    """``0.######`` shows 110 as "110." and 4.2795 as "4.2795" (not "110.000000"); ``#,##0.00`` and a
    text "1,234.50" keep their thousands separators; compared still at the format's precision."""
    from reportlib.values import parse_cell
    assert parse_cell(110, "0.######").display() == "110."
    assert parse_cell(4.2795, "0.######").display() == "4.2795"
    assert parse_cell(4.2795, "0.######").decimals == 6
    assert parse_cell(1927.28, "#,##0.00").display() == "1,927.28"
    assert parse_cell("1,234.50").display() == "1,234.50"
    assert parse_cell(3.5, "0.0#").display() == "3.5" and parse_cell(3.25, "0.0#").display() == "3.25"
    assert parse_cell(0.7949, "0.00%").display() == "79.49%"
    assert parse_cell(110, "0.######").shown(99.5) == "99.5"
