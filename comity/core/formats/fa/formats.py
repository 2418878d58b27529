"""Persian number formats, where Django's own fall short.

Django writes Persian numbers with a comma for the decimal and a dot for thousands, as a
European language would. Persian has its own signs: the momayyez (U+066B) for the decimal and
U+066C for thousands, as ICU and Iranian practice write them ("۱٬۲۳۴٫۵"). Dates keep Django's
Persian formats.
"""

from __future__ import annotations

DECIMAL_SEPARATOR = "\u066b"
THOUSAND_SEPARATOR = "\u066c"
NUMBER_GROUPING = 3
