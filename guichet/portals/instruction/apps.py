from django.apps import AppConfig


class InstructionPortalConfig(AppConfig):
    name = "guichet.portals.instruction"
    label = "portal_instruction"
