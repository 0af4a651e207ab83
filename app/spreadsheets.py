"""What every CSV and Excel export shares: a cell a spreadsheet would read as a formula stays text (OWASP CSV
injection)."""

FORMULA_STARTS = ("=", "+", "-", "@")


def safe_cell(value: str) -> str:
    return f"'{value}" if value[:1] in FORMULA_STARTS else value
