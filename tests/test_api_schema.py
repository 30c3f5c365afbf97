"""Property-based checks of the whole API from its OpenAPI schema (schemathesis, in-process),
with a viewer key and an admin key: every operation, then stateful sequences.

Every default check of schemathesis must pass: no server error, status codes, content types,
headers and bodies as documented, schema-valid requests accepted. One exception: an uploaded
list file's content is checked by the list loaders (headers, cells), which no OpenAPI schema
can say, so a generated file is refused with a located 422 and "schema-valid data accepted"
is not asked of the upload. A bounded number of generated requests keeps it quick.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from test_api_support import auth, built_graph, make_client

FAST = settings(
    max_examples=8,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


# Embedded only: the same routes run on Neo4j in the other API test modules; a Neo4j run here
# once reported a flaky GET /orgs (failed once, not on replay), not yet understood.
@pytest.fixture(scope="module", params=["embedded"])
def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[object, dict[str, str]]]:
    tmp: Path = tmp_path_factory.mktemp("api-schema")
    with built_graph(tmp, request.param) as (store, _):
        client, tokens = make_client(store, tmp)
        schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
        schema.config.headers = {"Host": "testserver"}
        yield schema, tokens


# Inputs checked beyond what the schema can say: an uploaded file's content (by the list
# loaders), a map link's path (must name an existing map route), organisation names of the
# alias table (cleaned like list cells and looked up: 422/404/409).
CONTENT_CHECKED_BY_LOADERS = {
    "POST /lists/{kind}/upload",
    "POST /maps/links",
    "POST /aliases",
    "DELETE /aliases/{name}",
}


def checked(operation: schemathesis.APIOperation, headers: dict[str, str]):
    """A hypothesis test of ``operation``: generated requests, every default check."""
    excluded = [positive_data_acceptance] if operation.label in CONTENT_CHECKED_BY_LOADERS else []

    @given(case=operation.as_strategy())
    @FAST
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    return check


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_every_operation_answers_as_documented(api, role: str) -> None:
    schema, tokens = api
    headers = auth(tokens[role])
    operations = [result.ok() for result in schema.get_all_operations()]
    # 22 + GET /evaluation, /evaluation/explain, POST /maps/links + the ledger's 14
    # (problems, meetings, decisions, supervision, per-segment problem counts)
    # + the 9 of list versions (versions, lists, entry, diff, drop, me, conflicts x2, audit)
    # + the 3 of the alias table (GET and POST /aliases, DELETE /aliases/{name})
    assert len(operations) == 51
    failures: list[str] = []
    for operation in operations:
        try:
            checked(operation, headers)()
        except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failures
            failures.append(f"{operation.label}: {exc}")
    assert failures == []


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_stateful_sequences_answer_as_documented(api, role: str) -> None:
    schema, tokens = api
    machine = schema.as_state_machine()
    headers = auth(tokens[role])

    calls: list[str] = []

    class Calls(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, object]:
            calls.append(case.operation.label)
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
            # as in the per-operation test: content the loaders check may be refused
            if case.operation.label not in CONTENT_CHECKED_BY_LOADERS:
                return super().validate_response(response, case, additional_checks, **kwargs)
            case.validate_response(
                response,
                additional_checks=additional_checks,
                excluded_checks=[positive_data_acceptance],
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )
            return None

    machine_settings = settings(FAST, max_examples=8, stateful_step_count=4)
    Calls.run(settings=machine_settings)
    assert len(calls) >= 8, calls
