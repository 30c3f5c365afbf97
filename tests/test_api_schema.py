"""Property-based checks of the whole API from its OpenAPI schema (schemathesis, in-process).

A bounded number of generated requests per operation, with an admin key; no request may
make the server fail (5xx other than the documented 503), and every response must match
the documented status codes and schemas.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from test_api_support import auth, build_graph, make_client

from chainkg.graph.embedded import EmbeddedStore


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, dict]]:
    tmp: Path = tmp_path_factory.mktemp("api-schema")
    store = EmbeddedStore(tmp / "graph")
    store.open()
    build_graph(store)
    client, tokens = make_client(store, tmp)
    yield schemathesis.openapi.from_asgi("/openapi.json", client.app), auth(tokens["admin"])
    store.close()


def test_no_server_errors_and_responses_as_documented(api_schema) -> None:
    schema, headers = api_schema
    operations = [result.ok() for result in schema.get_all_operations()]
    # with GET /evaluation and /evaluation/explain, and the 9 of list versions
    assert len(operations) == 33
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            assert response.status_code < 500 or response.status_code == 503, (
                f"{case.method} {case.formatted_path}: {response.status_code} {response.text}"
            )
            case.validate_response(
                response,
                checks=[
                    status_code_conformance,
                    content_type_conformance,
                    response_schema_conformance,
                ],
            )

        check()
