from django.db.models import QuerySet

from .models import ComplementRequest, DecisionMotive, InvalidatedTitle


def decision_motives_for(*, procedure: str, decision: str) -> list[DecisionMotive]:
    """Active motives for this decision that apply to `procedure` (or to every procedure), in list order; one query
    (the procedures are a JSON list, filtered here rather than with a lookup SQLite and PostgreSQL spell apart)."""
    motives = DecisionMotive.objects.filter(decision=decision, is_active=True).order_by("position", "label")
    return [m for m in motives if not m.procedures or procedure in m.procedures]


def complement_open_for(*, dossier_id: int) -> ComplementRequest | None:
    return ComplementRequest.objects.filter(dossier_id=dossier_id, answered_at__isnull=True).first()


def invalidated_titles_of(*, holder_key: str) -> QuerySet[InvalidatedTitle]:
    return InvalidatedTitle.objects.filter(holder_key=holder_key)
