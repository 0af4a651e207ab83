"""How a cost-sharing key splits a year's budget (agreement §11), to the krone.

The municipalities pay the fixed amounts of their agreements; the rest of the budget is shared between the larger
parties, either as percentages or as amounts. Percentages are rounded down to whole kroner, and what rounding leaves
over (less than one krone per party) goes to the party the key names, so the shares always add up to the budget.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .i18n import N_

PERCENT = "percent"
AMOUNT = "amount"
METHODS = {PERCENT: N_("Prosent av resten"), AMOUNT: N_("Faste beløp")}
WHOLE = 10_000  # percentages are kept in hundredths of a per cent: 100 % is 10 000
MAX_YEARS = 3


class ShareError(ValueError):
    """A key that does not add up; `str()` is a bokmål message for the user, translated as
    `gettext(error.message, **error.params)`."""

    def __init__(self, message: str, **params: str) -> None:
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


def parse_percent(text: str) -> int:
    """'35', '35,5' or '12.25' as hundredths of a per cent (3500, 3550, 1225); ValueError with a bokmål message."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").removesuffix("%").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(N_("Skriv en prosent, f.eks. 35 eller 12,5.")) from None
    if not value.is_finite() or value <= 0 or value > 100:
        raise ValueError(N_("Prosenten må være større enn 0 og høyst 100."))
    hundredths = value * 100
    if hundredths != hundredths.to_integral_value():
        raise ValueError(N_("Skriv prosenten med høyst to desimaler."))
    return int(hundredths)


def parse_amount(text: str) -> int:
    """'1 200 000' or '1200000' as whole kroner; ValueError with a bokmål message."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").removeprefix("kr").strip()
    if not cleaned.isascii() or not cleaned.isdigit() or len(cleaned) > 10:
        raise ValueError(N_("Skriv beløpet i hele kroner, f.eks. 450 000."))
    value = int(cleaned)
    if value <= 0:
        raise ValueError(N_("Beløpet må være større enn 0."))
    return value


def percent_text(hundredths: int) -> str:
    """3550 as '35,5 %'."""
    whole, part = divmod(hundredths, 100)
    return f"{whole} %" if not part else f"{whole},{part:02d}".rstrip("0") + " %"


def kroner(amount: int) -> str:
    """1200000 as 'kr 1 200 000', as the pages write it (Babel: no-break spaces between the thousands)."""
    return "kr " + f"{amount:,}".replace(",", "\u00a0")


def split(rest: int, values: dict, method: str, remainder_to) -> dict:
    """The larger parties' shares of `rest` (kroner) for one year.

    `values`: party -> hundredths of a per cent (PERCENT) or kroner (AMOUNT). Percentages are rounded down and the
    kroner left over go to `remainder_to`; amounts must add up to `rest` exactly. ShareError when they do not.
    """
    if remainder_to not in values:
        raise ShareError(N_("Parten som får resten etter avrunding, må ha en andel i nøkkelen."))
    if method == PERCENT:
        total = sum(values.values())
        if total != WHOLE:
            raise ShareError(N_("Prosentene blir til sammen %(total)s, men må bli 100 %%."), total=percent_text(total))
        shares = {party: rest * value // WHOLE for party, value in values.items()}
        shares[remainder_to] += rest - sum(shares.values())
        return shares
    total = sum(values.values())
    if total != rest:
        gap = rest - total
        if gap > 0:
            raise ShareError(N_("Beløpene blir til sammen %(total)s, men resten av budsjettet er %(rest)s: det "
                                "mangler %(gap)s."), total=kroner(total), rest=kroner(rest), gap=kroner(gap))
        raise ShareError(N_("Beløpene blir til sammen %(total)s, men resten av budsjettet er %(rest)s: det er "
                            "%(gap)s for mye."), total=kroner(total), rest=kroner(rest), gap=kroner(-gap))
    return dict(values)


def check_period(first_year: int, last_year: int) -> None:
    """A key holds for one to three consecutive years."""
    if last_year < first_year:
        raise ShareError(N_("Siste år kan ikke være før første år."))
    if last_year - first_year + 1 > MAX_YEARS:
        raise ShareError(N_("En fordelingsnøkkel gjelder for høyst tre år."))
