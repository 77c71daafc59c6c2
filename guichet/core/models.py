from django.db import models

from .exceptions import AppendOnlyViolation


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyModel(models.Model):
    """Rows are written once: saving an existing row or deleting one raises."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyViolation(f"{type(self).__name__} rows cannot be modified.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyViolation(f"{type(self).__name__} rows cannot be deleted.")


class RegulatedValue(models.Model):
    """A rule that changes over time (a fee, a rate, a duration), valid from a date, possibly for one territory.

    Code never holds such figures: it asks for the value of a key on a date (`guichet.core.regulated`).
    """

    key = models.CharField(max_length=100, db_index=True)
    value = models.JSONField(help_text="a number, a string or a small structure")
    effective_from = models.DateField()
    effective_until = models.DateField(null=True, blank=True, help_text="exclusive; empty = still in force")
    territory_code = models.CharField(
        max_length=5, blank=True, default="", help_text="département code when the rule differs there (e.g. 973)"
    )
    source = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["key", "territory_code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "territory_code", "effective_from"], name="regulated_value_one_per_start"
            ),
            models.CheckConstraint(
                condition=models.Q(effective_until__isnull=True)
                | models.Q(effective_until__gt=models.F("effective_from")),
                name="regulated_value_period",
            ),
        ]

    def __str__(self) -> str:
        where = f" [{self.territory_code}]" if self.territory_code else ""
        return f"{self.key}{where} = {self.value} (depuis {self.effective_from})"


class IdempotencyKey(models.Model):
    """A submission already handled: sending the same key again gets the first answer instead of doing the work
    twice (a double click, a browser retrying after a timeout). Written in the transaction of the work itself, so
    the unique constraint decides between two copies arriving at once."""

    scope = models.CharField(max_length=60, help_text="what was submitted, e.g. predemande_start")
    user_id = models.BigIntegerField(help_text="who submitted it: keys are only compared within one account")
    key = models.CharField(max_length=64)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "user_id", "key"], name="idempotency_key_once")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_created")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
