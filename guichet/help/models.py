"""Help content edited by platform admins: procedure guides, FAQ, lexicon, tutorials.

Bodies are Markdown; they are rendered and sanitised on display (`guichet.help.markup`), so whatever an admin
types never reaches a page as raw HTML.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.core.models import TimeStampedModel

MARKDOWN_HELP = _("Texte simple ou Markdown : **gras**, listes « - », liens [texte](https://…). Le HTML est filtré.")


class TitleKind(models.TextChoices):
    CNI = "cni", _("Carte nationale d'identité")
    PASSPORT = "passeport", _("Passeport")
    DRIVING_LICENCE = "permis", _("Permis de conduire")
    VEHICLE_REGISTRATION = "carte_grise", _("Carte grise (certificat d'immatriculation)")


class StartMode(models.TextChoices):
    """What the "Commencer" button of a guide leads to."""

    PREDEMANDE = "predemande", _("Pré-demande en ligne sur Guichet, puis dépôt en mairie équipée")
    DRIVING_SCHOOL = "driving_school", _("En ligne, ou par une école de conduite (tiers de confiance)")
    CAR_PROFESSIONAL = "car_professional", _("En ligne, ou par un professionnel de l'automobile habilité")


class ProcedureGuide(TimeStampedModel):
    """One page of the catalogue `/demarches/<slug>/`: the slug is the stable address other sites link to."""

    slug = models.SlugField(
        _("adresse de la page"),
        max_length=80,
        unique=True,
        help_text=_("Partie finale de l'adresse /demarches/…/ : d'autres sites y renvoient, ne la changez pas."),
    )
    title = models.CharField(_("titre"), max_length=150)
    title_kind = models.CharField(_("titre sécurisé concerné"), max_length=20, choices=TitleKind.choices)
    summary = models.CharField(_("résumé"), max_length=300)
    start_mode = models.CharField(_("bouton « Commencer »"), max_length=30, choices=StartMode.choices)
    channels = models.TextField(_("qui peut faire la démarche, et comment"), help_text=MARKDOWN_HELP)
    documents = models.TextField(_("ce qu'il faut fournir"), help_text=MARKDOWN_HELP)
    cost = models.TextField(
        _("coût"),
        blank=True,
        help_text=_(
            "Pour la carte d'identité et le passeport, les montants affichés viennent des tarifs en vigueur : "
            "ce texte les complète. Pour les autres titres, indiquez les montants et la date ci-dessous."
        ),
    )
    cost_as_of = models.DateField(
        _("montants indiqués à la date du"),
        null=True,
        blank=True,
        help_text=_("Date à laquelle le coût a été vérifié."),
    )
    delay = models.TextField(_("délai habituel"), help_text=MARKDOWN_HELP)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_published = models.BooleanField(_("publiée"), default=True)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("fiche démarche")
        verbose_name_plural = _("fiches démarches")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public:help_guide", kwargs={"slug": self.slug})


class GuideSection(models.Model):
    """A particular case of a guide (renewal, loss, exchange of a foreign licence…), with its own anchor."""

    guide = models.ForeignKey(ProcedureGuide, on_delete=models.CASCADE, related_name="sections")
    anchor = models.SlugField(_("ancre"), max_length=80, help_text=_("Pour un lien direct : /demarches/…/#ancre"))
    title = models.CharField(_("titre"), max_length=150)
    body = models.TextField(_("texte"), help_text=MARKDOWN_HELP)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["guide", "position", "pk"]
        verbose_name = _("cas particulier")
        verbose_name_plural = _("cas particuliers")
        constraints = [models.UniqueConstraint(fields=["guide", "anchor"], name="help_section_one_anchor_per_guide")]

    def __str__(self) -> str:
        return self.title


class FaqEntry(models.Model):
    """A question and its answer, attached to a guide (its title's FAQ) or general when no guide is given."""

    guide = models.ForeignKey(
        ProcedureGuide, on_delete=models.CASCADE, related_name="faq_entries", null=True, blank=True
    )
    anchor = models.SlugField(_("ancre"), max_length=80)
    question = models.CharField(_("question"), max_length=250)
    answer = models.TextField(_("réponse"), help_text=MARKDOWN_HELP)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_published = models.BooleanField(_("publiée"), default=True)

    class Meta:
        ordering = ["guide", "position", "pk"]
        verbose_name = _("question fréquente")
        verbose_name_plural = _("questions fréquentes")
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "anchor"], condition=Q(guide__isnull=False), name="help_faq_one_anchor_per_guide"
            ),
            models.UniqueConstraint(
                fields=["anchor"], condition=Q(guide__isnull=True), name="help_faq_one_anchor_in_general_faq"
            ),
        ]

    def __str__(self) -> str:
        return self.question


class LexiconTerm(TimeStampedModel):
    """A word of the lexicon `/lexique/#<slug>`; texts that use it link to its definition."""

    slug = models.SlugField(_("ancre"), max_length=60, unique=True)
    term = models.CharField(_("terme"), max_length=80)
    expansion = models.CharField(
        _("forme développée"), max_length=200, blank=True, help_text=_("Pour un sigle : NEPH → Numéro d'…")
    )
    variants = models.CharField(
        _("autres formes reconnues"),
        max_length=300,
        blank=True,
        help_text=_("Séparées par des virgules (pluriel, orthographe sans trait d'union…)."),
    )
    definition = models.TextField(_("définition"), help_text=MARKDOWN_HELP)

    class Meta:
        ordering = ["term"]
        verbose_name = _("terme du lexique")
        verbose_name_plural = _("lexique")

    def __str__(self) -> str:
        return self.term

    @property
    def forms(self) -> list[str]:
        """Every written form a text may use, the term first."""
        extra = [variant.strip() for variant in self.variants.split(",") if variant.strip()]
        return [self.term, *extra]


class Tutorial(TimeStampedModel):
    """A step-by-step page `/aide/tutoriels/<slug>/`; a video is optional and never without its transcript."""

    slug = models.SlugField(_("adresse de la page"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=150)
    summary = models.CharField(_("résumé"), max_length=300)
    guide = models.ForeignKey(
        ProcedureGuide,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tutorials",
        verbose_name=_("démarche concernée"),
    )
    video = models.FileField(_("vidéo (facultative)"), upload_to="help/videos/", blank=True)
    video_transcript = models.TextField(
        _("transcription de la vidéo"), blank=True, help_text=_("Obligatoire dès qu'une vidéo est jointe.")
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_published = models.BooleanField(_("publié"), default=True)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("tutoriel")
        verbose_name_plural = _("tutoriels")
        constraints = [
            models.CheckConstraint(
                condition=Q(video="") | ~Q(video_transcript=""), name="help_tutorial_video_has_transcript"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public:help_tutorial", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.video and not self.video_transcript.strip():
            raise ValidationError(
                {"video_transcript": _("Une vidéo doit être accompagnée de sa transcription écrite.")}
            )


class TutorialStep(models.Model):
    """One step: a short text and an image (an uploaded one, or a picture shipped with Guichet)."""

    tutorial = models.ForeignKey(Tutorial, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    title = models.CharField(_("titre"), max_length=150)
    body = models.TextField(_("texte"), help_text=MARKDOWN_HELP)
    image = models.ImageField(_("image"), upload_to="help/tutorials/", blank=True)
    static_image = models.CharField(
        _("image fournie avec Guichet"),
        max_length=200,
        blank=True,
        help_text=_("Chemin d'une image statique (utilisée si aucune image n'est envoyée)."),
    )
    image_alt = models.CharField(
        _("description de l'image"),
        max_length=300,
        blank=True,
        help_text=_("Ce que montre l'image, pour les personnes qui ne la voient pas."),
    )

    class Meta:
        ordering = ["tutorial", "position", "pk"]
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        constraints = [
            models.CheckConstraint(
                condition=(Q(image="") & Q(static_image="")) | ~Q(image_alt=""), name="help_step_image_has_alt"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_image(self) -> bool:
        return bool(self.image or self.static_image)

    def clean(self) -> None:
        super().clean()
        if self.has_image and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Décrivez l'image en une phrase pour qui ne la voit pas.")})
