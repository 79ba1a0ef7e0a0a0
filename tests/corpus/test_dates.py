"""Tests for pipeline.corpus.dates: each date form a news page writes, and what is not a day."""

from __future__ import annotations

import pytest

from pipeline.corpus.dates import parse_date


class TestDates:
    @pytest.mark.parametrize(("text", "iso"), [
        ("6/11/2020", "2020-06-11"), ("12/1/99", "1999-12-01"), ("2020-06-11", "2020-06-11"),
        ("June 11, 2020", "2020-06-11"), ("Jun. 11 2020", "2020-06-11"), ("11 June 2020", "2020-06-11"),
        ("Sept. 3, 2021", "2021-09-03"), ("Wednesday, Aug. 16, 2023", "2023-08-16"), ("3rd March 2024", "2024-03-03"),
        ("2/30/2020", None), ("13/11/2020", None), ("June 2020", None), ("yesterday", None),
    ])
    def test_parse_date(self, text, iso):
        assert parse_date(text) == iso
