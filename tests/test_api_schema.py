"""Property-based checks of the whole API from its OpenAPI schema (schemathesis, in-process),
with a viewer key and an admin key: every operation, then stateful sequences.

Every default check of schemathesis must pass: no server error, status codes, content types,
headers and bodies as documented. A bounded number of generated requests keeps it quick.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from test_api_support import auth, build_graph, make_client

from chainkg.graph.embedded import EmbeddedStore

FAST = settings(
    max_examples=8,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, dict[str, str]]]:
    tmp: Path = tmp_path_factory.mktemp("api-schema")
    store = EmbeddedStore(tmp / "graph")
    store.open()
    build_graph(store)
    client, tokens = make_client(store, tmp)
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    schema.config.headers = {"Host": "testserver"}
    yield schema, tokens
    store.close()


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_every_operation_answers_as_documented(api, role: str) -> None:
    schema, tokens = api
    headers = auth(tokens[role])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 22
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @FAST
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failures
            failures.append(f"{operation.label}: {exc}")
    assert failures == []


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_stateful_sequences_answer_as_documented(api, role: str) -> None:
    schema, tokens = api
    machine = schema.as_state_machine()
    headers = auth(tokens[role])

    class Calls(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, object]:
            return {"headers": headers}

    machine_settings = settings(FAST, max_examples=8, stateful_step_count=4)
    Calls.run(settings=machine_settings)
