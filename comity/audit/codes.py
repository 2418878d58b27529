"""Stable integer audit codes, grouped in ranges per app. Never renumber; only add."""

from __future__ import annotations

from enum import IntEnum


class Code(IntEnum):
    # 1000-1999 accounts
    LOGIN = 1001
    LOGIN_FAILED = 1002
    LOGOUT = 1003
    TOKEN_CREATED = 1010
    TOKEN_REVOKED = 1011
    OTP_DEVICE_CONFIRMED = 1020
    OTP_DEVICES_RESET = 1021
    # 2000-2999 directory and reference data
    REFERENCE_LOADED = 2001
    # 3000-3999 cooperation
    REQUEST_CREATED = 3001
    REQUEST_UPDATED = 3002
    REQUEST_TRANSITION = 3003
    REQUEST_VIEWED = 3004
    MESSAGE_POSTED = 3010
    MESSAGES_VIEWED = 3011
    MESSAGE_READ = 3012
    ATTACHMENT_UPLOADED = 3020
    ATTACHMENT_DOWNLOADED = 3021
    ATTACHMENTS_VIEWED = 3022
    CASE_CREATED = 3030
    DEADLINE_OVERDUE = 3040
    # 4000-4999 exchange
    ENVELOPE_DELIVERED = 4001
    ENVELOPE_FAILED = 4002
