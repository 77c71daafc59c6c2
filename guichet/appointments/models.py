"""Mairie agendas for CNI/passport appointments: settings, closures, base slots, bookings, and the
appointments other software registers through the coordination API.

A booking of N files holds N consecutive base slots of one station. "One active booking per slot" is a
partial unique constraint on the link table, so that two parallel bookings of the last slot cannot both win.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.core import references
from guichet.core.models import TimeStampedModel
from guichet.territory.models import Place


class AgendaSettings(models.Model):
    """How an equipped mairie takes appointments; one row per mairie."""

    place = models.OneToOneField(Place, on_delete=models.CASCADE, primary_key=True, related_name="agenda_settings")
    minutes_per_file = models.PositiveSmallIntegerField(
        default=15, help_text=_("Durée d'un créneau de base, pour un dossier (minutes)")
    )
    max_files_per_booking = models.PositiveSmallIntegerField(
        default=4, help_text=_("Nombre maximal de dossiers par rendez-vous")
    )
    weeks_ahead = models.PositiveSmallIntegerField(default=4, help_text=_("Semaines ouvertes à la réservation"))
    booking_notice_hours = models.PositiveSmallIntegerField(
        default=2, help_text=_("Délai minimal entre la réservation et le rendez-vous (heures)")
    )
    is_active = models.BooleanField(default=True, help_text=_("La mairie prend des rendez-vous en ligne"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réglages d'agenda")
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_per_file__gte=5) & Q(minutes_per_file__lte=120), name="agenda_minutes_per_file"
            ),
            models.CheckConstraint(
                condition=Q(max_files_per_booking__gte=1) & Q(max_files_per_booking__lte=10),
                name="agenda_max_files_per_booking",
            ),
            models.CheckConstraint(condition=Q(weeks_ahead__gte=1) & Q(weeks_ahead__lte=26), name="agenda_weeks_ahead"),
            models.CheckConstraint(condition=Q(booking_notice_hours__lte=336), name="agenda_booking_notice"),
        ]

    def __str__(self) -> str:
        return str(self.place)


class Closure(models.Model):
    """Days an equipped mairie takes no appointment (both ends included)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="agenda_closures")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("fermeture")
        indexes = [models.Index(fields=["place", "ends_on"], name="closure_place_ends_on")]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="closure_ordered")]

    def __str__(self) -> str:
        return f"{self.place} {self.starts_on}–{self.ends_on}"


class Slot(models.Model):
    """A base slot on one collection station; a booking of N files holds N consecutive ones."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="appointment_slots")
    station = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "station"]
        verbose_name = _("créneau")
        indexes = [models.Index(fields=["place", "starts_at"], name="slot_place_starts_at")]
        constraints = [
            models.UniqueConstraint(fields=["place", "station", "starts_at"], name="slot_unique_per_station"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ordered"),
            models.CheckConstraint(condition=Q(station__gte=1), name="slot_station_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.place_id}#{self.station} {self.starts_at:%Y-%m-%d %H:%M}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Réservé")
    CANCELLED = "cancelled", _("Annulé")
    # The file was lodged at the counter (set by the lodging itself).
    ATTENDED = "attended", _("Honoré")
    # The person did not come; marked by a mairie agent from the day's agenda once the time has passed.
    NO_SHOW = "no_show", _("Non honoré")


# Appointments that happened or may still happen: what other software is told (coordination API, slot finder).
REPORTED_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED)


def new_appointment_reference() -> str:
    return references.generate(10)


class Appointment(TimeStampedModel):
    """A citizen's appointment in a Guichet agenda, for one pré-demande number."""

    reference = models.CharField(max_length=10, unique=True, default=new_appointment_reference, editable=False)
    application_id = models.CharField(max_length=10, help_text="pré-demande number, upper-case")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="appointments")
    station = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    files_count = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments"
    )
    # Where the reminder goes: copied at booking time from the account and the pré-demande.
    contact_email = models.EmailField(blank=True)
    contact_mobile = models.CharField(max_length=16, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(
        null=True, blank=True, help_text="when the appointment was marked attended or not attended"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("rendez-vous")
        indexes = [
            models.Index(fields=["application_id", "status"], name="appointment_application"),
            models.Index(fields=["place", "starts_at"], name="appointment_place_starts_at"),
            models.Index(fields=["status", "starts_at"], name="appointment_status_starts_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(application_id__regex=r"^[A-Z0-9]{10}$"), name="appointment_number"),
            models.CheckConstraint(condition=Q(files_count__gte=1), name="appointment_files_positive"),
            models.CheckConstraint(condition=Q(status__in=AppointmentStatus.values), name="appointment_status_known"),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False), name="appointment_cancelled_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["attended", "no_show"]) | Q(attendance_recorded_at__isnull=False),
                name="appointment_attendance_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_active(self) -> bool:
        return self.status == AppointmentStatus.BOOKED


class AppointmentSlot(models.Model):
    """Which base slots an appointment holds; only one active holder per slot.

    A cancelled appointment lets its slots go (`is_active` false). An attended or not-attended one keeps them:
    the time was used. An appointment attended before its time (file lodged early) frees its future slots."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="slot_links")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="holders")
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slot"], condition=Q(is_active=True), name="one_active_booking_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.appointment_id} → {self.slot_id}"


class ExternalAppointment(models.Model):
    """An appointment another appointment software registered through the coordination API (INTEROP.md §1)."""

    application_id = models.CharField(max_length=10)
    meeting_point = models.CharField(max_length=300)
    meeting_point_id = models.CharField(max_length=100, blank=True)
    appointment_date = models.CharField(max_length=40, help_text="as registered")
    appointment_at = models.DateTimeField()
    management_url = models.CharField(max_length=500)
    editor_comment = models.CharField(max_length=500, null=True, blank=True)
    editor_name = models.CharField(max_length=100, help_text="the software that registered it")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rendez-vous déclaré par un éditeur")
        indexes = [models.Index(fields=["application_id"], name="external_appointment_number")]
        constraints = [
            models.UniqueConstraint(fields=["application_id", "management_url"], name="external_appointment_unique_url")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} @ {self.meeting_point}"
