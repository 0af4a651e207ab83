"""A grouped bar chart as plain numbers for a server-rendered SVG (no JavaScript)."""
import math
from dataclasses import dataclass, field

WIDTH, HEIGHT = 440, 300
LEFT, RIGHT, TOP, BOTTOM = 92, 12, 14, 36


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM
    right_edge: int = WIDTH - RIGHT
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, int]] = field(default_factory=list)  # (y, value)
    labels: list[tuple[float, str]] = field(default_factory=list)  # (x centre, year)


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


def grouped_bars(groups: list[tuple[str, dict[str, int]]], series: tuple[str, ...]) -> Chart:
    """Bars for each group (e.g. a year), one per series (e.g. expected, paid), on a shared value axis."""
    chart = Chart()
    highest = max((values[s] for _, values in groups for s in series), default=0)
    top, step = nice_top(highest)
    plot_height = chart.baseline - TOP
    chart.ticks = [(chart.baseline - plot_height * value / top, value) for value in range(0, top + 1, step)]
    if not groups:
        return chart
    slot = (chart.right_edge - LEFT) / len(groups)
    bar_width = slot * 0.7 / len(series)
    for n, (label, values) in enumerate(groups):
        start = LEFT + slot * n + slot * 0.15
        chart.labels.append((LEFT + slot * (n + 0.5), label))
        for k, name in enumerate(series):
            height = plot_height * values[name] / top
            chart.bars.append(Bar(round(start + bar_width * k, 1), round(chart.baseline - height, 1),
                                  round(bar_width - 2, 1), round(height, 1), values[name], name))
    return chart
