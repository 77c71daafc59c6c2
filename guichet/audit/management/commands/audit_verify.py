from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.audit.models import AuditHead
from guichet.audit.verification import Anchor, audit_chain_problems

KIND_LABELS = {
    "modified": "contenu modifié",
    "deleted": "entrées supprimées",
    "relinked": "chaînage rompu",
    "inserted": "entrée insérée",
    "truncated": "fin du journal supprimée",
    "head_missing": "tête du journal absente",
    "head_mismatch": "tête du journal incohérente",
    "anchor_mismatch": "ancre externe non concordante",
}


def _anchor(value: str) -> Anchor:
    sequence, _, entry_hash = value.partition(":")
    if not sequence.isdigit() or len(entry_hash) != 64:
        raise ValueError(value)
    return Anchor(sequence=int(sequence), entry_hash=entry_hash.lower())


class Command(BaseCommand):
    help = (
        "Vérifie l'intégrité du journal d'audit (chaîne de hachage) et signale toute entrée modifiée, "
        "supprimée ou insérée. Code de sortie non nul en cas d'anomalie."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            action="append",
            type=_anchor,
            default=[],
            metavar="NUMERO:EMPREINTE",
            help="Empreinte d'une entrée relevée précédemment hors de la base (répétable).",
        )
        parser.add_argument("--progress-every", type=int, default=10_000, help="Affiche l'avancement tous les N.")

    def handle(self, *args, anchor: list[Anchor], progress_every: int, **options):
        def progress(checked: int, total: int) -> None:
            percent = 100 * checked // total if total else 100
            self.stdout.write(f"  {checked} / {total} entrées vérifiées ({percent} %)")

        self.stdout.write("Vérification du journal d'audit…")
        problems = list(
            audit_chain_problems(anchors=tuple(anchor), on_progress=progress, progress_every=max(progress_every, 1))
        )
        for problem in problems:
            where = f"entrée {problem.sequence}" if problem.sequence is not None else "journal"
            label = KIND_LABELS.get(problem.kind, problem.kind)
            self.stderr.write(f"  {where} : {label} [{problem.kind}] — {problem.detail}")
        if problems:
            raise CommandError(f"Journal altéré : {len(problems)} anomalie(s) détectée(s).")
        head = AuditHead.objects.filter(singleton=1).first()
        self.stdout.write(self.style.SUCCESS("Journal intègre."))
        if head is not None and head.sequence:
            # Copy this line somewhere outside the database; pass it back with --anchor to detect a full rewrite.
            self.stdout.write(f"Ancre à conserver hors de la base : {head.sequence}:{head.entry_hash}")
