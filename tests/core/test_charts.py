"""The site's server-side SVG charts (bar charts: test_formats.py)."""

from visiblework.core.charts import column_chart


def test_a_column_chart_draws_from_zero_and_escapes_every_text():
    svg = column_chart([("2019", 0), ("<2020>", 5), ("2021", 10)], title="Cases & years",
                       description="<desc>", chart_id="t", rtl=False)
    assert "<title id=\"t-t\">Cases &amp; years</title>" in svg
    assert "&lt;desc&gt;" in svg and "&lt;2020&gt;" in svg and "<2020>" not in svg
    assert svg.count('class="bar"') == 2  # nothing drawn for a year at 0
    heights = [float(part.split('"')[0]) for part in svg.split('height="')[1:]]
    assert heights[-1] == 2 * heights[-2]  # 10 is twice as tall as 5


def test_a_column_chart_is_mirrored_right_to_left_and_empty_without_points():
    svg = column_chart([("2019", 1), ("2020", 2)], title="t", description="d", chart_id="t",
                       rtl=True)
    assert svg.startswith('<svg direction="rtl"')
    assert column_chart([], title="t", description="d", chart_id="t") == ""
