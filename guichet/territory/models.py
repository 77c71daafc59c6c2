from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.models import TimeStampedModel

from . import opening_hours
from .codes import is_commune_code, is_postal_code, search_key
from .vocabularies import list_field_errors


class Region(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("région")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    code = models.CharField(max_length=3, primary_key=True)  # 35, 2A, 974
    name = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments")
    chef_lieu_code = models.CharField(max_length=5, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CommuneKind(models.TextChoices):
    CURRENT = "commune-actuelle", _("Commune")
    MUNICIPAL_ARRONDISSEMENT = "arrondissement-municipal", _("Arrondissement municipal")
    DELEGATED = "commune-deleguee", _("Commune déléguée")
    ASSOCIATED = "commune-associee", _("Commune associée")


class Commune(models.Model):
    # The same INSEE code can appear twice in the COG (a commune and its delegated namesake), hence a surrogate key.
    code = models.CharField(max_length=5, db_index=True)
    kind = models.CharField(max_length=30, choices=CommuneKind.choices, default=CommuneKind.CURRENT)
    name = models.CharField(max_length=150)
    search_name = models.CharField(max_length=150, db_index=True, help_text="lower-case, unaccented")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="communes")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes")
    parent_code = models.CharField(max_length=5, blank=True, help_text="chef-lieu for delegated communes")
    population = models.PositiveIntegerField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    coordinates_estimated = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("commune")
        constraints = [models.UniqueConstraint(fields=["code", "kind"], name="commune_code_kind_unique")]
        # "Communes near a point" first narrows to a latitude/longitude box, which this index serves.
        indexes = [models.Index(fields=["latitude", "longitude"], name="commune_latitude_longitude")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs) -> None:
        self.search_name = search_key(self.name)[:150]
        super().save(*args, **kwargs)


class PostalCode(models.Model):
    code = models.CharField(max_length=5, db_index=True)
    commune_code = models.CharField(max_length=5, db_index=True)
    routing_label = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "commune_code", "routing_label"], name="postal_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} → {self.commune_code}"


class TerritoryImport(models.Model):
    """One row per import run: which version of the COG is loaded and what it counted."""

    version = models.CharField(max_length=40)
    imported_at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"COG {self.version}"


class PlaceKind(models.TextChoices):
    MAIRIE = "mairie", _("Mairie")
    PREFECTURE = "prefecture", _("Préfecture")
    SOUS_PREFECTURE = "sous_prefecture", _("Sous-préfecture")
    POINT_NUMERIQUE = "point_numerique", _("Point numérique")
    ESPACE_NUMERIQUE = "espace_numerique", _("Espace numérique")
    INSTRUCTION_CENTRE = "instruction_centre", _("Centre d'instruction (CERT)")
    DRIVING_SCHOOL = "driving_school", _("École de conduite")
    CAR_PROFESSIONAL = "car_professional", _("Professionnel de l'automobile")


class Place(TimeStampedModel):
    kind = models.CharField(max_length=30, choices=PlaceKind.choices)
    name = models.CharField(max_length=200)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="places")
    commune_code = models.CharField(max_length=5, blank=True)
    address = models.CharField(max_length=250, blank=True)
    postal_code = models.CharField(max_length=5, blank=True)
    city = models.CharField(max_length=150, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    opening_hours = models.CharField(
        max_length=500, blank=True, help_text=_("Syntaxe OpenStreetMap, par ex. Mo-Fr 09:00-12:00,14:00-17:00")
    )
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    accessibility = models.TextField(blank=True)
    siret = models.CharField(max_length=14, blank=True)
    collection_stations = models.PositiveSmallIntegerField(
        default=0, help_text=_("Nombre de dispositifs de recueil (0 si la mairie n'est pas équipée)")
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    served_departments = models.ManyToManyField(Department, blank=True, related_name="served_by")
    is_active = models.BooleanField(default=True)
    # Directory details (issue 4), mirroring the national mediation-places schema (INTEROP.md §4).
    schema_id = models.CharField(
        max_length=100, blank=True, db_index=True, help_text=_("Identifiant dans le schéma national (champ id)")
    )
    pivot = models.CharField(max_length=20, blank=True, help_text=_("SIRET ou RNA de la structure"))
    address_complement = models.CharField(max_length=250, blank=True)
    parent_structure = models.CharField(max_length=200, blank=True)
    other_emails = models.JSONField(default=list, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    services = models.JSONField(default=list, blank=True)
    typologies = models.JSONField(default=list, blank=True)
    audiences = models.JSONField(default=list, blank=True)
    specific_support = models.JSONField(default=list, blank=True)
    fees = models.JSONField(default=list, blank=True)
    access_modes = models.JSONField(default=list, blank=True)
    support_modes = models.JSONField(default=list, blank=True)
    accessibility_url = models.URLField(blank=True)
    itinerance = models.JSONField(default=list, blank=True)
    national_programmes = models.JSONField(default=list, blank=True)
    labels = models.JSONField(default=list, blank=True)
    other_labels = models.JSONField(default=list, blank=True)
    appointment_url = models.URLField(blank=True)
    appointment_info = models.CharField(max_length=300, blank=True)
    mediator_present = models.BooleanField(default=False)
    mediator_hours = models.CharField(max_length=500, blank=True)
    has_scanner = models.BooleanField(default=False)
    has_printer = models.BooleanField(default=False)
    approval = models.CharField(
        max_length=300, blank=True, help_text=_("Agrément (école de conduite) ou habilitation (professionnel)")
    )
    data_updated_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["department_id", "kind", "name"]
        verbose_name = _("lieu")
        indexes = [models.Index(fields=["kind", "department"], name="place_kind_department")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(collection_stations=0) | models.Q(kind="mairie"),
                name="place_only_mairies_have_stations",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(latitude__isnull=True) | (models.Q(latitude__gte=-90) & models.Q(latitude__lte=90))
                ),
                name="place_latitude_range",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(longitude__isnull=True) | (models.Q(longitude__gte=-180) & models.Q(longitude__lte=180))
                ),
                name="place_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = {}
        if self.opening_hours.strip():
            problems = opening_hours.validate(self.opening_hours)
            if problems:
                errors["opening_hours"] = problems
        if self.mediator_hours.strip():
            problems = opening_hours.validate(self.mediator_hours)
            if problems:
                errors["mediator_hours"] = problems
        errors.update(list_field_errors(self))
        if self.postal_code and not is_postal_code(self.postal_code):
            errors["postal_code"] = [str(_("Le code postal doit comporter exactement 5 chiffres."))]
        if self.commune_code:
            commune_error = self._commune_code_error()
            if commune_error:
                errors["commune_code"] = [commune_error]
        if errors:
            raise ValidationError(errors)

    def _commune_code_error(self) -> str | None:
        if not is_commune_code(self.commune_code):
            return str(
                _(
                    "Le code commune INSEE doit comporter 5 caractères, par exemple 35238 "
                    "(2A ou 2B en Corse, 97x ou 98x outre-mer)."
                )
            )
        department_ids = set(Commune.objects.filter(code=self.commune_code).values_list("department_id", flat=True))
        if not department_ids:
            return str(_("Aucune commune ne porte ce code INSEE dans le référentiel importé."))
        if self.department_id and self.department_id not in department_ids:
            return str(_("Cette commune n'appartient pas au département choisi."))
        return None

    @property
    def is_equipped(self) -> bool:
        return self.kind == PlaceKind.MAIRIE and self.collection_stations > 0
