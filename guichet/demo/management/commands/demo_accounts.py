from django.core.management.base import BaseCommand

from guichet.demo.seeding import demo_account_lines


class Command(BaseCommand):
    help = "Affiche les comptes de démonstration, leur mot de passe et le secret TOTP des agents."

    def handle(self, *args, **options):
        lines = demo_account_lines()
        if not lines:
            self.stdout.write("Aucun compte de démonstration : lancez « manage.py seed_demo ».")
            return
        self.stdout.write(
            "Comptes de démonstration (mot de passe, secret TOTP à saisir dans une application d'authentification) :"
        )
        for line in lines:
            self.stdout.write(f"  {line}")
