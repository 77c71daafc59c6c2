from django.contrib import admin

from .models import AgendaSettings, Closure, ExternalAppointment


@admin.register(AgendaSettings)
class AgendaSettingsAdmin(admin.ModelAdmin):
    list_display = ("place", "minutes_per_file", "max_files_per_booking", "weeks_ahead", "is_active")


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ("place", "starts_on", "ends_on", "reason")


@admin.register(ExternalAppointment)
class ExternalAppointmentAdmin(admin.ModelAdmin):
    list_display = ("application_id", "meeting_point", "appointment_date", "editor_name")
    readonly_fields = [f.name for f in ExternalAppointment._meta.fields]
