"""The open API fuzzed from its own OpenAPI schema (schemathesis) against the running
portal with the demo data: whatever a program sends — valid or not — the portal never
answers 5xx, and every answer it documents matches the schema it publishes.

Each operation gets ``FUZZ_EXAMPLES`` valid and ``FUZZ_EXAMPLES // 2`` invalid requests
(Hypothesis, derandomised so that a failure is repeatable); authenticated operations are
sent with a volunteer's token, the units' exchange with a unit's.
"""

import io
import os

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = pytest.mark.django_db(transaction=True)

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))


def _tokens():
    from django.contrib.auth import get_user_model

    from association.api import auth
    from association.models import ApiToken, UnitMembership

    volunteer = get_user_model().objects.get(username="volunteer")
    _, volunteer_key = auth.issue(user=volunteer, kind=ApiToken.Kind.VOLUNTEER, name="fuzz")
    membership = UnitMembership.objects.select_related("user").first()
    if membership is None:
        # The demo has no unit accounts: a county 科协's 管理员, so that the exchange answers
        # with its data (and is held to its schema), not with 401.
        from django.contrib.auth.models import Group

        from association.models import Organization
        from association.services.units import ROLE_GROUPS

        user = get_user_model().objects.create_user("fuzz-unit-admin", password="Passw0rd!23", is_staff=True)
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[UnitMembership.Role.ADMIN]))
        membership = UnitMembership.objects.create(user=user, organization=Organization.objects.get(name="华龙区科协"),
                                                   role=UnitMembership.Role.ADMIN)
    _, unit_key = auth.issue(user=membership.user, kind=ApiToken.Kind.UNIT, name="fuzz")
    return volunteer_key, unit_key


def _order(operation) -> tuple:
    # Revoking the token goes last, so that the others run with it.
    return (operation.method.upper() == "DELETE" and operation.path.endswith("/auth/token"), operation.path)


def test_no_request_makes_the_api_fail_or_break_its_schema(live_server, settings):
    settings.API_RATE_PER_ADDRESS = settings.API_RATE_PER_TOKEN = "100000/m"
    settings.PUBLIC_FORM_ADDRESS_RATE = settings.PUBLIC_FORM_PERSON_RATE = "100000/h"
    call_command("load_demo", stdout=io.StringIO())
    volunteer_key, unit_key = _tokens()

    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    operations = sorted((result.ok() for result in schema.get_all_operations()), key=_order)
    assert len(operations) >= 10
    failures, calls = [], {"n": 0}

    for operation in operations:
        key = unit_key if "/exchange/" in operation.path else volunteer_key
        headers = {"Authorization": f"Bearer {key}"}
        for mode, examples in ((GenerationMode.POSITIVE, FUZZ_EXAMPLES), (GenerationMode.NEGATIVE, FUZZ_EXAMPLES // 2)):

            @hypothesis_settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                                 suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                calls["n"] += 1
                # run() is called within this iteration: headers is this operation's.
                response = case.call(base_url=f"{live_server.url}", headers=headers)  # noqa: B023
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance],
                                       headers=headers)  # noqa: B023

            try:
                run()
            except Unsatisfiable:
                # An operation with no parameter, no body and no token (the public team
                # tree) has no invalid request to send; any other is a failure.
                if mode is not GenerationMode.NEGATIVE or operation.method.upper() != "GET":
                    raise
            except Exception as error:  # noqa: BLE001 - every operation is tried; failures reported together
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {error}"[:1500])

    print(f"fuzzed {len(operations)} operations with {calls['n']} requests")
    assert not failures, "\n\n".join(failures)
