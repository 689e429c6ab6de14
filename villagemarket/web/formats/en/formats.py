"""English dates as people outside the US read them too: 1 Dec 2026, 1 Dec 2026, 14:05.

Chinese pages use Django's zh_Hans formats unchanged (2026年12月1日, 2026年12月1日 14:05).
Templates write `{{ d|date }}` or `{{ d|date:"DATETIME_FORMAT" }}`, never a fixed pattern.
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
