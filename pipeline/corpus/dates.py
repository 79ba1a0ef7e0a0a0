"""Dates as news pages write them (``6/11/2020``, ``June 11, 2020``, ``11 June 2020``), read as ISO."""

from __future__ import annotations

import re
from datetime import date as _date

__all__ = ["parse_date"]


_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?,?\s+)"
_DATE = (rf"(?i:{_WEEKDAY}?(?:\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
         rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}))")
_DATE_ONLY = re.compile(_DATE)
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MDY = re.compile(rf"({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", re.I)
_DMY = re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH}),?\s+(\d{{4}})", re.I)
_LEADING_WEEKDAY = re.compile(rf"^{_WEEKDAY}", re.I)
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def parse_date(text: str) -> str | None:
    """Read a date as ISO ``YYYY-MM-DD``.

    Accepts ``6/11/2020`` (US month/day), ``2020-06-11``, ``June 11, 2020``, ``Jun. 11, 2020``,
    ``11 June 2020``, with an optional weekday in front; two-digit years are read as 19xx
    from 70 on and as 20xx below.

    Returns:
        The ISO date, or ``None`` when ``text`` is not one of these forms or not a real day.
    """
    text = _LEADING_WEEKDAY.sub("", text.strip())
    if m := _US.fullmatch(text):
        month, day, year = m.groups()
    elif m := _ISO.fullmatch(text):
        year, month, day = m.groups()
    elif m := _MDY.fullmatch(text):
        month, day, year = _MONTHS[m[1][:3].lower()], m[2], m[3]
    elif m := _DMY.fullmatch(text):
        day, month, year = m[1], _MONTHS[m[2][:3].lower()], m[3]
    else:
        return None
    y = int(year) + (0 if len(year) == 4 else 1900 if int(year) >= 70 else 2000)
    try:
        return _date(y, int(month), int(day)).isoformat()
    except ValueError:
        return None
