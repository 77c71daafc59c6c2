"""Import of the territorial reference data (COG régions, départements, communes; postal codes; commune centres).

Reads the files once, validates every record (a malformed one is reported and skipped, the rest imported), then
writes only what differs from the database, with bulk upserts, in one transaction. The import version is derived
from the content of the files, so a second run with the same files is recognised and skipped.
"""

from .common import (
    BATCH_SIZE,
    COMMUNES_FILE,
    COORDINATES_FILE,
    DEPARTMENTS_FILE,
    POSTAL_CODES_FILE,
    REGIONS_FILE,
    SOURCE_FILES,
    ImportIssue,
    ImportReport,
    Progress,
    StepCount,
    StrOrPromise,
    TerritoryImportError,
)
from .reading import (
    COMMUNE_CODE_REASON,
    DEPARTMENT_CODE_REASON,
    POSTAL_CODE_REASON,
    REGION_CODE_REASON,
    UNKNOWN_KIND_REASON,
    UNKNOWN_REGION_REASON,
)
from .service import territory_data_version, territory_import

__all__ = [
    "BATCH_SIZE",
    "COMMUNES_FILE",
    "COMMUNE_CODE_REASON",
    "COORDINATES_FILE",
    "DEPARTMENTS_FILE",
    "DEPARTMENT_CODE_REASON",
    "POSTAL_CODES_FILE",
    "POSTAL_CODE_REASON",
    "REGIONS_FILE",
    "REGION_CODE_REASON",
    "SOURCE_FILES",
    "UNKNOWN_KIND_REASON",
    "UNKNOWN_REGION_REASON",
    "ImportIssue",
    "ImportReport",
    "Progress",
    "StepCount",
    "StrOrPromise",
    "TerritoryImportError",
    "territory_data_version",
    "territory_import",
]
