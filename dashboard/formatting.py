"""Numbers as people read them: German `1.234,5` and English `1,234.5`."""

from __future__ import annotations

import math

LANGUAGES = ("de", "en")
PLOTLY_SEPARATORS = {"de": ",.", "en": ".,"}  # plotly's layout.separators: decimal, then thousands


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value, lang: str = "de", decimals: int = 0, signed: bool = False) -> str:
    """`1234.5` → `1.234,5` (de) or `1,234.5` (en); `–` when undefined."""
    if _missing(value):
        return "–"
    if isinstance(value, float) and math.isinf(value):
        return "∞"
    value = round(float(value), decimals)
    if value == 0:
        value = 0.0  # no "-0"
    text = f"{value:{'+' if signed else ''},.{decimals}f}"
    if lang == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def fmt_percent(fraction, lang: str = "de", decimals: int = 0) -> str:
    if _missing(fraction):
        return "–"
    return f"{fmt_number(fraction * 100, lang, decimals)}\u00a0%"


def fmt_eur(value, lang: str = "de") -> str:
    """Whole euros; millions as `1,2 Mio. €` / `€1.2m` so summary cards stay short."""
    if _missing(value):
        return "–"
    if abs(value) >= 1_000_000:
        millions = fmt_number(value / 1_000_000, lang, 2)
        return f"{millions}\u00a0Mio.\u00a0€" if lang == "de" else f"€{millions}m"
    amount = fmt_number(value, lang, 0)
    return f"{amount}\u00a0€" if lang == "de" else f"€{amount}"


def fmt_fte(value, lang: str = "de", signed: bool = False) -> str:
    return fmt_number(value, lang, 1 if abs(value or 0) >= 100 else 2, signed)
