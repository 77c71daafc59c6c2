"""The audit journal: append-only and hash-chained.

Each entry stores the hash of the previous one, so an edited, deleted or inserted row breaks the chain;
`AuditHead` holds the last sequence number and hash, so that removing the tail is detected too.
On PostgreSQL a trigger refuses UPDATE and DELETE on the journal itself.
"""

import pgtrigger
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.exceptions import AppendOnlyViolation
from guichet.core.models import AppendOnlyModel


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Bulk paths that would bypass `audit_record` (and so the chain) are refused in Python too."""

    def update(self, **kwargs):
        raise AppendOnlyViolation("The audit journal cannot be modified.")

    def delete(self):
        raise AppendOnlyViolation("The audit journal cannot be deleted from.")

    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyViolation("Journal entries are written one by one by audit_record().")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyViolation("The audit journal cannot be modified.")


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Connexion")
    LOGIN_FAILED = "login_failed", _("Échec de connexion")
    LOGOUT = "logout", _("Déconnexion")
    SIGNUP = "signup", _("Création de compte")
    EMAIL_VERIFIED = "email_verified", _("Adresse électronique vérifiée")
    PASSWORD_CHANGED = "password_changed", _("Mot de passe modifié")
    PASSWORD_RESET = "password_reset", _("Mot de passe réinitialisé")
    TWO_FACTOR_ENABLED = "2fa_enabled", _("Double authentification activée")
    TWO_FACTOR_VERIFIED = "2fa_verified", _("Double authentification validée")
    TWO_FACTOR_FAILED = "2fa_failed", _("Code de double authentification refusé")
    TWO_FACTOR_DISABLED = "2fa_disabled", _("Double authentification désactivée")
    RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated", _("Codes de secours renouvelés")
    PROFILE_CHANGED = "profile_changed", _("Informations du compte modifiées")
    RECOVERY_CODE_USED = "recovery_code_used", _("Code de secours utilisé")
    ROLE_GRANTED = "role_granted", _("Rôle attribué")
    ROLE_REVOKED = "role_revoked", _("Rôle retiré")
    IDENTITY_VERIFIED = "identity_verified", _("Identité vérifiée")
    FRANCECONNECT_LINKED = "franceconnect_linked", _("Compte lié à FranceConnect")
    DOSSIER_VIEWED = "dossier_viewed", _("Dossier consulté")
    DOSSIER_CHANGED = "dossier_changed", _("Dossier modifié")
    DOSSIER_TRANSITION = "dossier_transition", _("Changement d'état du dossier")
    DOCUMENT_UPLOADED = "document_uploaded", _("Pièce déposée")
    DOCUMENT_VIEWED = "document_viewed", _("Pièce consultée")
    DOCUMENT_PURGED = "document_purged", _("Pièce supprimée")
    ACCESS_GRANTED = "access_granted", _("Accès au dossier accordé")
    ACCESS_REVOKED = "access_revoked", _("Accès au dossier retiré")
    SESSION_ENDED = "session_ended", _("Session fermée")
    TERRITORY_IMPORTED = "territory_imported", _("Référentiel territorial importé")
    APPOINTMENT_BOOKED = "appointment_booked", _("Rendez-vous pris")
    APPOINTMENT_CANCELLED = "appointment_cancelled", _("Rendez-vous annulé")
    APPOINTMENT_MOVED = "appointment_moved", _("Rendez-vous déplacé")
    APPOINTMENT_ATTENDED = "appointment_attended", _("Rendez-vous honoré (dossier déposé)")
    APPOINTMENT_NO_SHOW = "appointment_no_show", _("Rendez-vous non honoré")
    AGENDA_SETTINGS_UPDATED = "agenda_settings_updated", _("Réglages de l'agenda modifiés")
    AGENDA_CLOSURE_CREATED = "agenda_closure_created", _("Fermeture ajoutée")
    AGENDA_CLOSURE_DELETED = "agenda_closure_deleted", _("Fermeture supprimée")
    AGENDA_SLOTS_GENERATED = "agenda_slots_generated", _("Créneaux générés")
    AGENDA_DAY_VIEWED = "agenda_day_viewed", _("Rendez-vous du jour consultés")
    EXTERNAL_APPOINTMENT_REGISTERED = "external_appointment_registered", _("Rendez-vous externe enregistré")
    EXTERNAL_APPOINTMENT_DELETED = "external_appointment_deleted", _("Rendez-vous externe supprimé")
    API_TOKEN_ISSUED = "api_token_issued", _("Jeton d'API émis")
    API_TOKEN_REVOKED = "api_token_revoked", _("Jeton d'API révoqué")
    PLACE_CREATED = "place_created", _("Lieu créé")
    PLACE_UPDATED = "place_updated", _("Lieu modifié")
    PLACE_IMPORTED = "place_imported", _("Lieu importé")
    PLACES_IMPORT = "places_import", _("Import de lieux")
    HELP_CONTENT_SAVED = "help_content_saved", _("Contenu d'aide enregistré")
    HELP_CONTENT_DELETED = "help_content_deleted", _("Contenu d'aide supprimé")
    APPROVAL_GRANTED = "approval_granted", _("Agrément délivré")
    APPROVAL_SUSPENDED = "approval_suspended", _("Agrément suspendu")
    APPROVAL_REINSTATED = "approval_reinstated", _("Suspension d'agrément levée")
    APPROVAL_RENEWED = "approval_renewed", _("Agrément renouvelé")
    APPROVAL_REVOKED = "approval_revoked", _("Agrément retiré")
    STAFF_INVITED = "staff_invited", _("Membre du personnel invité")
    STAFF_INVITATION_CANCELLED = "staff_invitation_cancelled", _("Invitation annulée")
    MANDATE_PROPOSED = "mandate_proposed", _("Mandat proposé")
    MANDATE_CONSENT_CODE_SENT = "mandate_consent_code_sent", _("Code d'accord au mandat envoyé")
    MANDATE_CONSENT_REFUSED = "mandate_consent_refused", _("Accord au mandat refusé (code ou phrase erroné)")
    MANDATE_CONSENTED = "mandate_consented", _("Mandat accepté")
    MANDATE_REVOKED = "mandate_revoked", _("Mandat révoqué")
    MANDATE_ACCESS_OPENED = "mandate_access_opened", _("Accès à un dossier ouvert par un mandat")
    MANDATE_REFUSED = "mandate_refused", _("Action refusée faute de mandat valable")
    ASSISTED_SESSION_OPENED = "assisted_session_opened", _("Session accompagnée ouverte")
    ASSISTED_SESSION_ENDED = "assisted_session_ended", _("Session accompagnée terminée")
    ASSISTED_ACCOUNT_CREATED = "assisted_account_created", _("Compte créé en session accompagnée")
    ASSISTED_VISITOR_FOUND = "assisted_visitor_found", _("Compte retrouvé en session accompagnée")
    ASSISTED_STEP = "assisted_step", _("Action en session accompagnée")


@pgtrigger.register(
    pgtrigger.Protect(name="audit_entry_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
)
class AuditEntry(AppendOnlyModel):
    sequence = models.BigIntegerField(unique=True, editable=False)
    created_at = models.DateTimeField(editable=False, db_index=True)
    # Values come from AuditAction (checked when writing); no DB choices, so a new action needs no migration.
    action = models.CharField(max_length=40, db_index=True)
    # Who: the account id plus what may be shown to citizens (role and organisation, never an agent's name).
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_role = models.CharField(max_length=40, blank=True)
    actor_organisation = models.CharField(max_length=200, blank=True)
    on_behalf_of_id = models.BigIntegerField(null=True, blank=True)
    subject_user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    dossier_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("entrées du journal")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"


class AuditHead(models.Model):
    """Single row: the last sequence and hash written, updated in the same transaction as each entry."""

    singleton = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(singleton=1), name="audit_head_singleton")]

    def __str__(self) -> str:
        return f"head #{self.sequence}"
