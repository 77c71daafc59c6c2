"""Help content for platform admins (the admin site itself is closed to every other role).

Saves and deletions go through `guichet.help.services`, which journals them; uploaded images are re-encoded.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guichet.core.exceptions import InvalidInput

from .models import FaqEntry, GuideSection, LexiconTerm, ProcedureGuide, Tutorial, TutorialStep
from .services import help_content_delete, help_content_save, tutorial_image_normalise, tutorial_video_check


class JournaledAdminMixin:
    """Every save and deletion, of the object and of its inlines, is written to the audit journal."""

    def save_model(self, request: HttpRequest, obj: Model, form: forms.ModelForm, change: bool) -> None:
        help_content_save(instance=obj, changed_fields=list(form.changed_data), actor=request.user)  # type: ignore[arg-type]

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        help_content_delete(instance=obj, actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            help_content_delete(instance=obj, actor=request.user)  # type: ignore[arg-type]

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        # Keyed by identity: new instances have no primary key yet, so they cannot be hashed.
        changed = {id(inline_form.instance): inline_form.changed_data for inline_form in formset.forms}
        for obj in formset.deleted_objects:
            help_content_delete(instance=obj, actor=request.user)  # type: ignore[arg-type]
        for obj in instances:
            help_content_save(instance=obj, changed_fields=list(changed.get(id(obj), [])), actor=request.user)  # type: ignore[arg-type]
        formset.save_m2m()


class TutorialStepForm(forms.ModelForm):
    class Meta:
        model = TutorialStep
        fields = ("position", "title", "body", "image", "static_image", "image_alt")

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload, not the file already stored
            try:
                return tutorial_image_normalise(image)
            except InvalidInput as error:
                raise ValidationError(error.message) from None
        return image


class TutorialForm(forms.ModelForm):
    class Meta:
        model = Tutorial
        fields = ("title", "slug", "summary", "guide", "video", "video_transcript", "position", "is_published")

    def clean_video(self) -> Any:
        video = self.cleaned_data.get("video")
        if video and hasattr(video, "content_type"):
            try:
                tutorial_video_check(video)
            except InvalidInput as error:
                raise ValidationError(error.message) from None
        return video


class GuideSectionInline(admin.StackedInline):
    model = GuideSection
    extra = 0
    fields = ("position", "title", "anchor", "body")
    prepopulated_fields = {"anchor": ("title",)}


class FaqEntryInline(admin.StackedInline):
    model = FaqEntry
    extra = 0
    fields = ("position", "question", "anchor", "answer", "is_published")
    prepopulated_fields = {"anchor": ("question",)}


class TutorialStepInline(admin.StackedInline):
    model = TutorialStep
    form = TutorialStepForm
    extra = 0


@admin.register(ProcedureGuide)
class ProcedureGuideAdmin(JournaledAdminMixin, admin.ModelAdmin):
    list_display = ("title", "slug", "title_kind", "position", "is_published", "updated_at")
    list_filter = ("title_kind", "is_published")
    search_fields = ("title", "slug", "summary")
    inlines = (GuideSectionInline, FaqEntryInline)
    fieldsets = (
        (None, {"fields": ("title", "slug", "title_kind", "summary", "start_mode", "position", "is_published")}),
        (_("Contenu"), {"fields": ("channels", "documents", "cost", "cost_as_of", "delay")}),
    )


@admin.register(FaqEntry)
class FaqEntryAdmin(JournaledAdminMixin, admin.ModelAdmin):
    list_display = ("question", "guide", "position", "is_published")
    list_filter = ("guide", "is_published")
    search_fields = ("question", "answer")
    prepopulated_fields = {"anchor": ("question",)}


@admin.register(LexiconTerm)
class LexiconTermAdmin(JournaledAdminMixin, admin.ModelAdmin):
    list_display = ("term", "slug", "expansion", "updated_at")
    search_fields = ("term", "expansion", "variants", "definition")
    prepopulated_fields = {"slug": ("term",)}


@admin.register(Tutorial)
class TutorialAdmin(JournaledAdminMixin, admin.ModelAdmin):
    form = TutorialForm
    list_display = ("title", "slug", "guide", "position", "is_published")
    list_filter = ("is_published", "guide")
    search_fields = ("title", "summary")
    inlines = (TutorialStepInline,)
