"""Podium's date and time formats per language (FORMAT_MODULE_PATH): Dutch as Dutch readers write
it ("2 december 2026, 14:30"), English in British style ("2 December 2026, 14:30"). Short dates
("2 dec. 2026") need abbreviations Django's formats cannot spell; see podium.core.dates."""
