"""Django's model backend, loading the signed-in user with their authority and its state.

Nearly every page reads both (the navbar shows the authority; the policy asks whether it is
a central authority): one join when the session's user is loaded, instead of a query later.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from comity.accounts.models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User.objects.select_related("authority__state").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
