from django.db.models import QuerySet

from .models import ComplementRequest, DecisionMotive, InvalidatedTitle


def decision_motives_for(*, procedure: str, decision: str) -> QuerySet[DecisionMotive]:
    """Active motives for this decision that apply to `procedure` (or to every procedure)."""
    motives = DecisionMotive.objects.filter(decision=decision, is_active=True)
    wanted = [m.pk for m in motives if not m.procedures or procedure in m.procedures]
    return DecisionMotive.objects.filter(pk__in=wanted).order_by("position", "label")


def complement_open_for(*, dossier_id: int) -> ComplementRequest | None:
    return ComplementRequest.objects.filter(dossier_id=dossier_id, answered_at__isnull=True).first()


def invalidated_titles_of(*, holder_key: str) -> QuerySet[InvalidatedTitle]:
    return InvalidatedTitle.objects.filter(holder_key=holder_key)
