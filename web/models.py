"""What the pages themselves keep: submitted forms' tokens against double submission."""

import uuid

from django.conf import settings
from django.db import models


class Submission(models.Model):
    """A form that creates something was sent with this token (web.middleware.
    DoubleSubmissionMiddleware): sent again — a double click, Back and send — it is not
    saved twice; the person is taken to what the first one made."""

    key = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Where the first submission led (its redirect), once it has been saved.
    location = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.key} by {self.user_id}"
