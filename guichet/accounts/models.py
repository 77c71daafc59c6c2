from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.territory.models import Department, Place

from .roles import ROLES_SCOPED_TO_DEPARTMENT, ROLES_WITHOUT_SCOPE, Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **fields)


class IdentityAssurance(models.TextChoices):
    NONE = "none", _("Non vérifiée")
    VERIFIED_ONLINE = "verified_online", _("Vérifiée en ligne (FranceConnect)")
    VERIFIED_IN_PERSON = "verified_in_person", _("Vérifiée en face à face")


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("adresse électronique"), unique=True)
    first_name = models.CharField(_("prénoms"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    mobile_phone = models.CharField(_("téléphone mobile"), max_length=20, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # A new address waiting for its owner to click the link sent to it; the account keeps `email` until then.
    pending_email = models.EmailField(_("nouvelle adresse électronique en attente"), blank=True)
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    identity_assurance = models.CharField(
        max_length=30, choices=IdentityAssurance.choices, default=IdentityAssurance.NONE
    )
    is_active = models.BooleanField(default=True)  # type: ignore[misc]
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")

    def __str__(self) -> str:
        return self.get_full_name() or f"compte {self.pk}"

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def has_verified_email(self) -> bool:
        return self.email_verified_at is not None


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rôle")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "place", "department"],
                condition=Q(revoked_at__isnull=True),
                name="role_assignment_active_unique",
                nulls_distinct=False,
            ),
            # Scope follows the role: place-bound roles have a place, the préfecture admin a département.
            models.CheckConstraint(
                name="role_assignment_scope_matches_role",
                condition=(
                    (
                        Q(role__in=sorted(ROLES_SCOPED_TO_DEPARTMENT))
                        & Q(department__isnull=False)
                        & Q(place__isnull=True)
                    )
                    | (
                        Q(role__in=sorted([*ROLES_WITHOUT_SCOPE, Role.CITIZEN]))
                        & Q(place__isnull=True)
                        & Q(department__isnull=True)
                    )
                    | (
                        ~Q(role__in=sorted([*ROLES_SCOPED_TO_DEPARTMENT, *ROLES_WITHOUT_SCOPE, Role.CITIZEN]))
                        & Q(place__isnull=False)
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.place or self.department or ''}".strip(" —")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def organisation_label(self) -> str:
        if self.place_id:
            return str(self.place)
        if self.department_id:
            return f"Préfecture — {self.department}"
        return "Guichet"


class IdentityDocumentType(models.TextChoices):
    NATIONAL_ID_CARD = "national_id_card", _("Carte nationale d'identité")
    PASSPORT = "passport", _("Passeport")
    RESIDENCE_PERMIT = "residence_permit", _("Titre de séjour")
    DRIVING_LICENCE = "driving_licence", _("Permis de conduire")


class VerifiedIdentity(models.Model):
    """The identity checked online (FranceConnect "identité pivot") or face to face, with who checked it."""

    class Source(models.TextChoices):
        FRANCECONNECT = "franceconnect", _("FranceConnect")
        IN_PERSON = "in_person", _("En face à face")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="verified_identity")
    source = models.CharField(max_length=20, choices=Source.choices)
    franceconnect_sub = models.CharField(max_length=80, unique=True, null=True, blank=True)
    given_name = models.CharField(max_length=150)
    family_name = models.CharField(max_length=150)
    birthdate = models.DateField(null=True, blank=True)
    birthplace_code = models.CharField(max_length=5, blank=True)
    birthcountry_code = models.CharField(max_length=5, blank=True)
    gender = models.CharField(max_length=10, blank=True)
    verified_at = models.DateTimeField(default=timezone.now)
    verified_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    verified_at_place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL)
    document_type = models.CharField(max_length=40, blank=True, choices=IdentityDocumentType.choices)

    class Meta:
        verbose_name = _("identité vérifiée")
        verbose_name_plural = _("identités vérifiées")

    def __str__(self) -> str:
        return f"{self.get_source_display()} — compte {self.user_id}"


class RecoveryCode(models.Model):
    """A single-use second-factor code given to the user once. Only a SHA-256 digest is kept.

    A fast digest is enough because each code carries 80 random bits: it cannot be guessed offline,
    unlike a password. (otp_static would keep the codes in clear.)
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("code de secours")
        verbose_name_plural = _("codes de secours")
        constraints = [models.UniqueConstraint(fields=["user", "code_digest"], name="recovery_code_unique_per_user")]

    def __str__(self) -> str:
        return f"code de secours {self.pk}"


class UserSession(models.Model):
    """The account's open sessions, so that "Mon compte" can list and end them.

    Only a coarse device summary is kept (browser and system families, the day of sign-in): no IP address.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    browser = models.CharField(max_length=40, blank=True)
    operating_system = models.CharField(max_length=40, blank=True)
    signed_in_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("session")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"session {self.pk}"

    @property
    def device_label(self) -> str:
        return " — ".join(part for part in (self.browser, self.operating_system) if part)
