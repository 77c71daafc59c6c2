"""Rows for the outbox tests: the "title available" SMS context, and due SMS for the dispatch batches."""

from django.utils import timezone

from guichet.notifications.models import Channel, Notification

AVAILABLE_CONTEXT = {
    "dossier_reference": "PA-4HJW-2TRN",
    "title_label": "passeport",
    "title_short": "passeport",
    "place_name": "Mairie de Saint-Jean-de-Luz",
    "place_address": "Place Louis XIV, 64500 Saint-Jean-de-Luz",
    "opening_hours": "Du lundi au vendredi, 8 h 30 - 12 h et 13 h 30 - 17 h",
    "collection_deadline": "15 mars 2027",
    "dossier_path": "/usager/dossiers/PA-4HJW-2TRN/",
}


def due_sms(count: int, *, key: str) -> list[Notification]:
    """`count` "title available" SMS due now, to distinct numbers, with event keys `<key>:<index>`."""
    return [
        Notification.objects.create(
            event_key=f"{key}:{index}",
            channel=Channel.SMS,
            recipient=f"+336123456{index:02d}",
            template="title_available",
            context=AVAILABLE_CONTEXT,
            next_attempt_at=timezone.now(),
        )
        for index in range(count)
    ]
