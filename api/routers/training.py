"""Training catalogue, self-assessments, needs maps and training suggestions over HTTP (issue 14).

Thin: every rule lives in :mod:`matcher.services.training`, :mod:`matcher.services.needs_map`
and :mod:`matcher.services.access`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request, status

from api.deps import PrincipalDep, SessionDep
from matcher.exceptions import PermissionDeniedError, UnavailableError, ValidationError
from matcher.services import access, training
from matcher.services.access import Principal, Role
from matcher.store import Session

router = APIRouter(tags=["training"])

IdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$")]
Payload = Annotated[dict[str, Any], Body(description="The record's fields, as in the import formats.")]
ENTITIES = {"training-modules": "training_modules", "assessments": "assessments"}


def _programme_matcher(request: Request) -> Any:
    found = getattr(getattr(request.app.state, "matcher", None), "programme_matcher", None)
    if found is None:
        raise UnavailableError("the matching service (and its encoder) is not loaded")
    return found


def _payload(body: dict[str, Any], external_id: str | None = None) -> dict[str, Any]:
    data = {k: v for k, v in body.items() if k != "version"}
    if external_id is not None and data.setdefault("id", external_id) != external_id:
        raise ValidationError("the body's id differs from the path's id")
    return data


for _path, _entity in ENTITIES.items():

    def _routes(path: str = _path, entity: str = _entity) -> None:
        @router.get(f"/{path}", summary=f"List {entity.replace('_', ' ')} the key may read")
        def list_(principal: PrincipalDep, session: SessionDep) -> Any:
            return training.list_records(principal, entity, session=session)

        @router.get(f"/{path}/{{record_id}}", summary=f"Read one of the {entity.replace('_', ' ')}")
        def read(record_id: IdPath, principal: PrincipalDep, session: SessionDep) -> Any:
            return training.read_record(principal, entity, record_id, session=session)

        @router.post(f"/{path}", status_code=status.HTTP_201_CREATED, summary="Create (provider / SME)")
        def create(body: Payload, principal: PrincipalDep, session: SessionDep) -> Any:
            return training.write_record(principal, entity, _payload(body), session=session)

        @router.put(f"/{path}/{{record_id}}", summary="Replace (provider / SME)")
        def replace(record_id: IdPath, body: Payload, principal: PrincipalDep, session: SessionDep) -> Any:
            return training.write_record(principal, entity, _payload(body, record_id), session=session)

        @router.delete(f"/{path}/{{record_id}}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete")
        def delete(record_id: IdPath, principal: PrincipalDep, session: SessionDep) -> None:
            training.delete_record(principal, entity, record_id, session=session)

    _routes()


def _sme_reader(principal: Principal, sme_id: str, *, session: Session) -> None:
    """The SME itself, its council (council or trainer key) or an admin; others: not found / forbidden."""
    owner = access.require_read(principal, "organisations", sme_id, session=session)
    if principal.role == Role.TRAINER and owner.council == principal.council:
        return
    if not access.answerable_for(principal, owner):
        raise PermissionDeniedError(f"a {principal.role.value} key cannot see another SME's training needs")


@router.get("/needs", summary="The needs map of a council (council and trainer keys: their own; admins)")
def needs(
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    council: Annotated[str | None, Query(max_length=64)] = None,
) -> Any:
    from matcher.services.needs_map import build_needs_map

    code = training.principal_council(principal, council)
    matcher = _programme_matcher(request)
    reveal = (
        (lambda o: access.can_read(principal, "challenges", o)) if principal.role != Role.TRAINER else None
    )
    return build_needs_map(matcher, session=session, council=code, reveal=reveal).to_dict()


@router.get("/smes/{sme_id}/training", summary="Training modules for an SME, with the need each answers")
def sme_training(
    sme_id: IdPath,
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    k: Annotated[int, Query(ge=0, le=100)] = 10,
) -> Any:
    _sme_reader(principal, sme_id, session=session)
    encoder = _programme_matcher(request).encoder
    return training.recommend_for_sme(encoder, sme_id, session=session, k=k)


@router.get("/training/demand", summary="A council's uncovered needs, beneficiaries per module, SME groups")
def demand(
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    council: Annotated[str | None, Query(max_length=64)] = None,
) -> Any:
    code = training.principal_council(principal, council)
    encoder = _programme_matcher(request).encoder
    return training.trainer_view(encoder, code, session=session)


@router.get(
    "/training/mobility",
    summary="SME staff to training or placements abroad (council and trainer keys; admins)",
)
def mobility(
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    council: Annotated[str | None, Query(max_length=64)] = None,
) -> Any:
    """For each SME of the council with staff: needs whose best module or research group is in another council."""
    from matcher import types as t
    from matcher.exceptions import NotFoundError
    from matcher.services.mobility import mobility_plan

    code = training.principal_council(principal, council)
    matcher = request.app.state.matcher
    encoder = _programme_matcher(request).encoder

    def score(challenge_id: str, k: int, programme: t.Programme = t.Programme.CONSULTANCY,
              kinds: frozenset[str] = frozenset()) -> list[tuple[str, str, float]]:  # fmt: skip
        found = matcher.challenge_matches(challenge_id, programme, 4 * k, session=session)
        return [(s.candidate_type.value, s.candidate_id, s.score) for s in found]

    def recommend(sme: str) -> list[dict[str, Any]]:
        try:
            return list(training.recommend_for_sme(encoder, sme, session=session, k=0)["suggestions"])
        except NotFoundError:
            return []

    return mobility_plan(code, recommend, score, session=session)
