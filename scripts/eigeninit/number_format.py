"""Numbers as the write-up prints them: significant digits, a real minus sign,
powers of ten as superscripts. Every function starts with float(), which
jinja2's StrictUndefined refuses, so a missing number is an error, not a blank.
"""

import math

import numpy as np
from markupsafe import Markup

MINUS_SIGN = "\u2212"

LINEAR_AXIS_MAX = 1e4
"""Largest value a linear axis shows in plain units; above it, units of 10^E."""


def _with_minus_sign(text: str) -> str:
    """Typographic minus instead of the hyphen Python prints."""
    return text.replace("-", MINUS_SIGN)


def scientific(value: float, digits: int = 3) -> Markup:
    """``m × 10^e`` with ``digits`` significant digits, the exponent superscripted."""
    mantissa, exponent = f"{float(value):.{digits - 1}e}".split("e")
    return Markup("{} × 10<sup>{}</sup>").format(
        _with_minus_sign(mantissa), _with_minus_sign(str(int(exponent)))
    )


def number(value: float, digits: int = 6) -> Markup:
    """``digits`` significant digits, trailing zeros kept (columns show precision);
    scientific notation when tiny or huge."""
    text = f"{float(value):#.{digits}g}"
    if "e" in text:
        return scientific(value, digits)
    return Markup(_with_minus_sign(text.rstrip(".")))


def exact(value: float) -> str:
    """The shortest decimal that reads back as the same float64: every digit we have."""
    return _with_minus_sign(repr(float(value)))


def fixed(value: float, decimals: int) -> str:
    """A fixed number of decimals, for columns that should line up."""
    return _with_minus_sign(f"{float(value):.{decimals}f}")


def whole_digits(agreement: float) -> str:
    """Digits two numbers share, from ``agreement_digits``: only complete ones count."""
    return str(math.floor(agreement))


def complex_number(pair: list[float], digits: int = 5) -> Markup:
    """``a ± bi`` for a conjugate pair given as ``[real, imaginary]``."""
    real, imaginary = pair
    return Markup("{} ± {}i").format(
        number(real, digits), number(abs(imaginary), digits)
    )


def ten_to(log10_value: float | None, digits: int = 3) -> Markup:
    """10 to a power: a plain number when modest, ``10^x`` when huge or tiny; None
    (a signal that vanished exactly) reads as 0."""
    if log10_value is None:
        return Markup("0")
    if abs(float(log10_value)) < 3:
        return number(10.0 ** float(log10_value), digits)
    return Markup("10<sup>{}</sup>").format(fixed(log10_value, 1))


def percent(fraction: float, digits: int | None = None) -> Markup:
    """A fraction as a percentage: whole by default (0.374 reads 37%), or with
    ``digits`` significant digits (0.0374 reads 3.7% with two)."""
    if digits is None:
        return Markup(f"{100 * float(fraction):.0f}%")
    return number(100 * float(fraction), digits) + Markup("%")


def linear_norm_exponent(log10_norms) -> int:
    """E such that a linear norm panel plots |x(n)| / 10^E, finite even past
    float64's range; 0 for norms up to :data:`LINEAR_AXIS_MAX`, drawn as they are.
    A caption gets the same E from the summary's ``max_log10_norm``."""
    values = np.asarray(log10_norms, dtype=np.float64)
    largest = np.max(values, where=np.isfinite(values), initial=-np.inf)
    return 0 if largest < math.log10(LINEAR_AXIS_MAX) else math.floor(largest)


def with_error(value: float, error: float | None) -> Markup:
    """``value ± error`` rounded as the error supports: the error to two
    significant digits, the value to the same decimal place. An error of 0 or
    None (an exact value) leaves six significant digits and no ±."""
    value = float(value)
    # An error at float64's rounding (an exact 1 measured as 1 + 1e-16) is none.
    if not error or abs(float(error)) < 1e-12 * abs(value):
        return number(value, 6)
    place = 1 - math.floor(math.log10(abs(float(error))))
    decimals = max(place, 0)
    shown_value = _with_minus_sign(f"{round(value, place):.{decimals}f}")
    shown_error = f"{round(float(error), place):.{decimals}f}"
    return Markup("{}&#8239;±&#8239;{}").format(shown_value, Markup(shown_error))
