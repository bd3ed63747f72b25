DATE_FORMAT = "j F Y"  # 2 december 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 2 december 2026, 14:30
YEAR_MONTH_FORMAT = "F Y"  # december 2026
MONTH_DAY_FORMAT = "j F"  # 2 december
SHORT_DATE_FORMAT = "d-m-Y"  # 02-12-2026 (forms and tables of figures; prose uses short_date)
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
FIRST_DAY_OF_WEEK = 1
