"""Test settings: the production settings, only made faster."""

from __future__ import annotations

from comity.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
COMITY_OTP_REQUIRED_ROLES = []
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
COMITY_HTTPS_REDIRECT = False
SECURE_HSTS_SECONDS = 0
