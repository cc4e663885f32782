"""The site's server-side SVG charts: honest scales, labels never cut, text never scaled down
(bar charts' number formats: test_formats.py)."""

import re

from visiblework.core.charts import bar_chart, column_chart, line_chart, nice_axis

LONG = "Data generation (recording your voice, selfies, photos)"


def texts(svg: str, css: str) -> list[str]:
    """The texts of a class, in the order they are drawn."""
    return re.findall(r'<text [^>]*class="' + css + r'"[^>]*>([^<]*)</text>', svg)


def bar_widths(svg: str) -> list[str]:
    return re.findall(r'<rect x="[\d.]+%" y="[\d.]+" width="([\d.]+%)" height="18"', svg)


def test_a_share_bar_is_drawn_on_a_0_to_100_percent_axis():
    svg = bar_chart([("Text annotation", [14.0]), ("Content moderation", [28.0])], ["Unpaid"],
                    unit="%", chart_id="c", title="t", rtl=False)
    assert bar_widths(svg) == ["14.00%", "28.00%"]  # not the largest value across the width
    assert texts(svg, "tick") == ["0%", "25%", "50%", "75%", "100%"]


def test_a_share_above_100_percent_widens_the_axis_to_a_round_number():
    svg = bar_chart([("a", [130.0])], ["Ratio"], unit="%", chart_id="c", title="t", rtl=False)
    assert texts(svg, "tick") == ["0%", "50%", "100%", "150%"]
    assert bar_widths(svg) == ["86.67%"]


def test_money_is_drawn_from_zero_to_a_round_maximum_with_labelled_ticks():
    svg = bar_chart([("a", [14.5]), ("b", [7.25])], ["Median"], unit="USD", chart_id="c",
                    title="t", rtl=False)
    assert texts(svg, "tick") == ["US$0", "US$5", "US$10", "US$15"]
    assert bar_widths(svg) == ["96.67%", "48.33%"]
    assert "US$14.50" in texts(svg, "value inside") and "US$7.25" in texts(svg, "value")


def test_the_axis_maximum_is_the_first_round_step_at_or_above_the_largest_value():
    assert nice_axis(14.5) == (15, 5)
    assert nice_axis(7.75) == (8, 2)
    assert nice_axis(3) == (3, 1)
    assert nice_axis(0) == (1.0, 0.25)


def test_a_long_label_is_wrapped_onto_several_lines_and_never_cut():
    svg = bar_chart([(LONG, [10.0])], ["Unpaid"], unit="%", chart_id="c", title="t", rtl=False)
    lines = texts(svg, "label")
    assert len(lines) == 2
    assert " ".join(lines) == LONG


def test_a_missing_value_says_it_is_not_published_and_draws_no_bar():
    svg = bar_chart([("a", [None, 5.0])], ["North", "South"], unit="USD", chart_id="c",
                    title="t", rtl=False)
    assert texts(svg, "value muted") == ["not published"]
    assert len(bar_widths(svg)) == 1


def test_a_chart_has_no_viewbox_so_that_its_text_is_never_scaled_down():
    svg = bar_chart([("a", [1.0])], ["s"], unit="%", chart_id="c", title="t", rtl=False)
    assert "viewBox" not in svg.split(">", 1)[0]
    assert 'width="100%"' in svg and re.search(r'height="\d+"', svg)


def test_a_chart_states_its_scale_in_its_text_alternative():
    svg = bar_chart([("a", [14.0])], ["Unpaid"], unit="%", chart_id="c", title="t", rtl=False)
    assert "a: Unpaid 14%. Scale from 0% to 100%." in svg


def test_a_bar_chart_is_mirrored_right_to_left():
    svg = bar_chart([("a", [14.0])], ["Unpaid"], unit="%", chart_id="c", title="t", rtl=True)
    assert 'direction="rtl"' in svg
    assert '<rect x="86.00%" y="' in svg  # grows from the right edge
    assert re.search(r'<text x="100.00%"[^>]*class="label">a</text>', svg)


def test_a_column_chart_draws_from_zero_and_escapes_every_text():
    svg = column_chart([("2019", 0), ("<2020>", 5), ("2021", 10)], title="Cases & years",
                       description="<desc>", chart_id="t", rtl=False)
    assert "<title id=\"t-t\">Cases &amp; years</title>" in svg
    assert "&lt;desc&gt;" in svg and "&lt;2020&gt;" in svg and "<2020>" not in svg
    bars = re.findall(r'height="([\d.]+)" class="bar"', svg)
    assert len(bars) == 2  # nothing drawn for a year at 0
    assert float(bars[1]) == 2 * float(bars[0])  # 10 is twice as tall as 5
    assert texts(svg, "tick scale") == ["5", "10"]  # the scale is written above the axis
    assert re.findall(r'<text x="([\d.]+%)"[^>]*class="tick">', svg) == ["0.00%", "50.00%",
                                                                         "100.00%"]


def test_a_column_chart_labels_years_in_between_under_their_columns():
    svg = column_chart([(str(year), 1) for year in range(2000, 2030)], title="t",
                       description="d", chart_id="t", rtl=False)
    positions = re.findall(r'<text x="([\d.]+)%"[^>]*class="tick">(\d+)</text>', svg)
    assert ("8.33", "2002") not in positions and ("18.33", "2005") in positions
    assert all(0 <= float(x) <= 100 for x, _year in positions)


def test_a_column_chart_is_mirrored_right_to_left_and_empty_without_points():
    svg = column_chart([("2019", 1), ("2020", 2)], title="t", description="d", chart_id="t",
                       rtl=True)
    assert 'direction="rtl"' in svg
    assert re.search(r'<text x="100.00%"[^>]*>2019</text>', svg)  # the first year on the right
    assert column_chart([], title="t", description="d", chart_id="t") == ""


def test_a_line_chart_writes_its_scale_from_zero():
    svg = line_chart([("Q1 2024", 3.5), ("Q2 2024", 7.0)], title="t", unit="USD", rtl=False)
    assert texts(svg, "tick scale") == ["US$0", "US$8"]
    assert "viewBox" not in svg.split(">", 1)[0]


def test_an_interval_is_drawn_under_its_bar_on_the_same_axis_and_described():
    svg = bar_chart([("Text annotation", [14.0]), ("Other", [20.0])], ["Gap"], unit="%",
                    chart_id="c", title="t", rtl=False, intervals=[(12.0, 16.0), None])
    assert svg.count('<g class="interval">') == 1
    assert '<line x1="12.00%" x2="16.00%"' in svg
    assert "Text annotation: Gap 14% (95% interval 12% to 16%)" in svg
    assert "The line under a bar is its 95% interval." in texts(svg, "legend")


def test_an_interval_above_100_percent_widens_the_axis():
    svg = bar_chart([("a", [90.0])], ["Gap"], unit="%", chart_id="c", title="t", rtl=False,
                    intervals=[(70.0, 120.0)])
    assert texts(svg, "tick")[-1] == "150%"


def test_long_tick_labels_are_thinned_out_so_that_they_never_touch():
    from django.utils import translation

    with translation.override("ar"):
        svg = bar_chart([("a", [1.52])], ["Median"], unit="USD", chart_id="c", title="t",
                        rtl=True)
    assert len(texts(svg, "tick")) == 3  # of five ticks: 0, 1.00 and 2.00 US$
    assert svg.count('class="grid"') == 5  # every gridline is still drawn
