"""Pré-demande services: start one, save its steps, validate it, expire it; attach fiscal stamps.

Reading helpers (who may see a pré-demande, its checklist and fees) sit in `reading` and never write.
"""

from .common import (
    ADDRESS,
    CIVIL_STATUS,
    CONNECTED_COMMUNES,
    CONTACT,
    OPEN_STATUSES,
    PARENTS,
    PHYSICAL,
    PREVIOUS_TITLES,
    REPRESENTATIVE_FIELDS,
    REQUIRED_STEPS,
    STEPS,
    VALIDITY_DAYS,
    MinorWithoutRepresentative,
    PreDemandeIncomplete,
    RepresentativeLink,
)
from .lifecycle import (
    predemande_expire_overdue,
    predemande_missing_steps,
    predemande_next_step,
    predemande_save_step,
    predemande_start,
    predemande_validate,
)
from .reading import (
    birth_commune_is_connected,
    predemande_checklist,
    predemande_fees,
    predemande_for_citizen,
    predemande_for_dossier,
    predemande_request_date,
    predemande_stamps,
    predemande_titles,
)
from .stamps import predemande_stamp_buy, predemande_stamp_enter, predemande_stamp_refund

__all__ = [
    "ADDRESS",
    "CIVIL_STATUS",
    "CONNECTED_COMMUNES",
    "CONTACT",
    "OPEN_STATUSES",
    "PARENTS",
    "PHYSICAL",
    "PREVIOUS_TITLES",
    "REPRESENTATIVE_FIELDS",
    "REQUIRED_STEPS",
    "STEPS",
    "VALIDITY_DAYS",
    "MinorWithoutRepresentative",
    "PreDemandeIncomplete",
    "RepresentativeLink",
    "birth_commune_is_connected",
    "predemande_checklist",
    "predemande_expire_overdue",
    "predemande_fees",
    "predemande_for_citizen",
    "predemande_for_dossier",
    "predemande_missing_steps",
    "predemande_next_step",
    "predemande_request_date",
    "predemande_save_step",
    "predemande_stamp_buy",
    "predemande_stamp_enter",
    "predemande_stamp_refund",
    "predemande_stamps",
    "predemande_start",
    "predemande_titles",
    "predemande_validate",
]
