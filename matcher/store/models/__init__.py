"""SQLAlchemy 2.0 ORM classes: the programme's tables (STYLE.md rule 7), one module per resource.

Every record has a surrogate integer key and the programme's ``external_id``
(unique per table), which is what files, the CLI and the API speak.  Rows that
users edit carry a ``version`` for optimistic concurrency.  Deleting a person or an
organisation cascades to what hangs off it (profiles, documents, match records).

``base`` holds the declarative base and the length limits; ``records`` the programme's
records; ``graph`` relationships; ``matches`` match records and their events; ``access``
API keys; ``programmes`` allocation rounds, training modules and assessments.  Every class
is re-exported here, so that importing this package registers every table on ``Base.metadata``.
"""

from matcher.store.models.access import ApiKeyRow
from matcher.store.models.base import (
    CONDITIONS_LEN,
    DESCRIPTION_LEN,
    ID_LEN,
    NAME_LEN,
    NAMING_CONVENTION,
    SHORT_LEN,
    TEXT_MAX,
    Base,
    JSONType,
    Timestamped,
)
from matcher.store.models.graph import RelationshipRow
from matcher.store.models.matches import MatchEventRow, MatchRow
from matcher.store.models.programmes import AllocationRoundRow, AssessmentRow, TrainingModuleRow
from matcher.store.models.records import (
    ChallengeRow,
    CouncilRow,
    DocumentRow,
    FacilityRow,
    OrganisationRow,
    PersonRow,
    ProfileRow,
)

__all__ = [
    "CONDITIONS_LEN",
    "DESCRIPTION_LEN",
    "ID_LEN",
    "NAME_LEN",
    "NAMING_CONVENTION",
    "SHORT_LEN",
    "TEXT_MAX",
    "AllocationRoundRow",
    "ApiKeyRow",
    "AssessmentRow",
    "Base",
    "ChallengeRow",
    "CouncilRow",
    "DocumentRow",
    "FacilityRow",
    "JSONType",
    "MatchEventRow",
    "MatchRow",
    "OrganisationRow",
    "PersonRow",
    "ProfileRow",
    "RelationshipRow",
    "Timestamped",
    "TrainingModuleRow",
]
