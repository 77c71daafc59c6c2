from django.core.management.base import BaseCommand, CommandError

from guichet.audit.models import AuditEntry
from guichet.audit.verification import audit_chain_problems


class Command(BaseCommand):
    help = "Vérifie l'intégrité du journal d'audit (chaîne de hachage) et signale toute altération."

    def handle(self, *args, **options):
        total = AuditEntry.objects.count()
        self.stdout.write(f"Vérification de {total} entrées du journal…")
        problems = list(audit_chain_problems())
        for problem in problems:
            self.stderr.write(f"  entrée {problem.sequence} : {problem.kind} — {problem.detail}")
        if problems:
            raise CommandError(f"Journal altéré : {len(problems)} anomalie(s) détectée(s).")
        self.stdout.write(self.style.SUCCESS(f"Journal intègre : {total} entrées vérifiées."))
