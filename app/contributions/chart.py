"""A grouped bar chart as plain numbers for a server-rendered SVG (no JavaScript).

Text in an SVG does not wrap or shrink, so the layout measures it: the value axis is as wide as its longest amount
in the reader's language ("NOK 1,200,000" is wider than "kr 1 200 000"), and the group labels are turned 45° when
they do not fit side by side, and thinned out when even that is too tight (the table beside the chart has them all).
"""
import math
from collections.abc import Callable
from dataclasses import dataclass, field

WIDTH, PLOT_HEIGHT = 440, 250
RIGHT, TOP, GAP = 12, 14, 6
FONT_SIZE = 12  # px, set on every text element (the page's stylesheet does not reach it)
# A character's advance in a sans-serif font, in em: generous for digits, capitals and "NOK".
CHAR_WIDTH = 0.62
LINE = 1.25  # a line of text, in em
SLANT = math.sin(math.radians(45))


def text_width(text: str) -> float:
    return len(text) * FONT_SIZE * CHAR_WIDTH


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: str
    group: str


@dataclass
class Label:
    """A group's label: its anchor point; turned labels run up to the right, ending at the anchor."""

    x: float
    y: float
    text: str
    turned: bool


@dataclass
class Chart:
    width: int = WIDTH
    height: float = TOP + PLOT_HEIGHT
    left: float = 0
    baseline: float = TOP + PLOT_HEIGHT
    right_edge: int = WIDTH - RIGHT
    font_size: int = FONT_SIZE
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, int]] = field(default_factory=list)  # (y, value)
    labels: list[Label] = field(default_factory=list)


def nice_top(highest: int) -> tuple[int, int]:
    """A round top value for the axis and its tick step (1, 2, 2.5 or 5 × 10ⁿ; at most 5 steps)."""
    if highest <= 0:
        return 1, 1
    power = 10 ** int(math.floor(math.log10(highest)))
    for factor in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        step = max(1, int(power * factor))
        if math.ceil(highest / step) <= 5:
            return math.ceil(highest / step) * step, step
    return highest, highest


def _labels(chart: Chart, names: list[str], slot: float) -> float:
    """Place the group labels under the axis; returns the height they take."""
    widest = max(text_width(name) for name in names)
    line = FONT_SIZE * LINE
    if widest + GAP <= slot:
        chart.labels = [Label(chart.left + slot * (n + 0.5), chart.baseline + line, name, False)
                        for n, name in enumerate(names)]
        return line + GAP
    # Turned 45°, neighbouring labels are slot × sin 45° apart across their lines: keep every step-th.
    step = math.ceil(line / (slot * SLANT))
    last = len(names) - 1
    chart.labels = [Label(chart.left + slot * (n + 0.5), chart.baseline + GAP, name, True)
                    for n, name in enumerate(names) if (last - n) % step == 0]
    return (widest + line) * SLANT + GAP


def grouped_bars(groups: list[tuple[str, dict[str, int]]], series: tuple[str, ...],
                 amount: Callable[[int], str] = str) -> Chart:
    """Bars for each group (e.g. a year), one per series (e.g. expected, paid), on a shared value axis whose
    values `amount` writes out."""
    chart = Chart()
    highest = max((values[s] for _, values in groups for s in series), default=0)
    top, step = nice_top(highest)
    chart.left = math.ceil(max(text_width(amount(value)) for value in range(0, top + 1, step)) + 2 * GAP)
    chart.ticks = [(chart.baseline - PLOT_HEIGHT * value / top, value) for value in range(0, top + 1, step)]
    if not groups:
        chart.height = chart.baseline + GAP
        return chart
    slot = (chart.right_edge - chart.left) / len(groups)
    chart.height = math.ceil(chart.baseline + _labels(chart, [label for label, _ in groups], slot))
    bar_width = slot * 0.7 / len(series)
    for n, (label, values) in enumerate(groups):
        start = chart.left + slot * n + slot * 0.15
        for k, name in enumerate(series):
            height = PLOT_HEIGHT * values[name] / top
            chart.bars.append(Bar(round(start + bar_width * k, 1), round(chart.baseline - height, 1),
                                  round(bar_width - 2, 1), round(height, 1), values[name], name, label))
    return chart
