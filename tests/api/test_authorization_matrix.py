"""Every role × every operation of /openapi.json × own, sibling and foreign client.

Each operation declares what it needs (`x-required-action`); the permission matrix
(`accounts.roles.PERMISSIONS`) says which roles have it. Over the real served API:

- a role with the action is let through: never 401/403, never a "not found" for the client or
  project it named, never a 5xx (the request may still fail for its body or an unknown id);
- a role without it, on its own client, gets 403;
- a client the caller holds no role on — in its own organization (`beta`) or another (`gamma`) —
  is 404 with the same message as a client that does not exist;
- without a token, every operation but the public ones is 401.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from isms_flow.accounts import PERMISSIONS, Action, Role
from tests.api.conftest import ROLES, World, email_of

SCOPES = {"own": "acme", "sibling": "beta", "foreign": "gamma"}
SAMPLES = {
    "project": "isms",
    "trigger": "advance",
    "name": "iso27001-2022",
    "slug": "bad-input",
    "email": "nobody@nakano.example.jp",
}
_METHODS = {"get", "post", "put", "patch", "delete"}


_operations: list[tuple[str, str, str]] = []


def operations(world: World) -> list[tuple[str, str, str]]:
    """(method, path template, required action) of every operation the API documents.

    Read once per test process: the document is the same for every served instance, and
    building it is the slowest request the API has.
    """
    if _operations:
        return _operations
    with httpx.Client(base_url=world.url, timeout=120) as http:
        spec = http.get("/openapi.json").json()
    found = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in _METHODS:
                found.append((method, path, operation.get("x-required-action", "")))
    _operations.extend(found)
    return found


def concrete(path: str, client: str, spec_params: dict[str, Any] | None = None) -> str:
    """The template with the client and sample values for every other parameter."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "client":
            return client
        return SAMPLES.get(name, "999999")

    return re.sub(r"\{([^}]+)\}", value, path)


def call(http: httpx.Client, method: str, url: str) -> httpx.Response:
    """Send the request with an empty JSON body where one is possible."""
    if method in {"post", "put", "patch"}:
        return http.request(method.upper(), url, json={})
    return http.request(method.upper(), url)


def allowed(role: str, action: str) -> bool:
    """What the matrix (and the declared action) says about `role`."""
    if action in {"public", "authenticated"}:
        return True
    if action == "admin_of_any_client":
        return role == Role.ADMIN
    return Action(action) in PERMISSIONS[Role(role)]


def detail(response: httpx.Response) -> str:
    """The problem detail of an error response ("" for anything else)."""
    if not response.headers.get("content-type", "").startswith("application/problem+json"):
        return ""
    return str(response.json().get("detail", ""))


def names_the_target(response: httpx.Response) -> bool:
    """A 404 about the client or project itself (as opposed to an unknown id within it)."""
    return response.status_code == 404 and detail(response).startswith(("client ", "project "))


def test_every_operation_declares_what_it_requires(world: World) -> None:
    known = {a.value for a in Action} | {"public", "authenticated", "admin_of_any_client"}
    undeclared = [f"{m.upper()} {p}" for m, p, a in operations(world) if a not in known]
    assert not undeclared, "\n".join(undeclared)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", list(SCOPES))
def test_each_role_gets_exactly_what_the_matrix_allows(world: World, role: str, scope: str) -> None:
    client = SCOPES[scope]
    wrong: list[str] = []
    with world.client(email_of(role)) as http:
        for method, path, action in operations(world):
            url = concrete(path, client)
            response = call(http, method, url)
            label = f"{role} {method.upper()} {url} ({action}) → {response.status_code}"
            if response.status_code >= 500:
                wrong.append(f"{label}: server error")
            elif "{client}" in path and scope != "own":
                missing = call(http, method, concrete(path, "nowhere"))
                same = detail(response).replace(client, "?") == detail(missing).replace(
                    "nowhere", "?"
                )
                if response.status_code != 404 or missing.status_code != 404 or not same:
                    wrong.append(f"{label}: must be 404 exactly like a missing client")
            elif allowed(role, action):
                if response.status_code in (401, 403) or names_the_target(response):
                    wrong.append(f"{label}: must be let through")
            elif response.status_code != 403:
                wrong.append(f"{label}: must be 403")
    assert not wrong, "\n".join(wrong)


def test_without_a_token_only_public_operations_answer(world: World) -> None:
    wrong = []
    with world.client() as http:
        for method, path, action in operations(world):
            response = call(http, method, concrete(path, "acme"))
            if action == "public":
                if response.status_code in (401, 403) or response.status_code >= 500:
                    wrong.append(f"{method.upper()} {path} → {response.status_code}")
            elif response.status_code != 401:
                wrong.append(f"{method.upper()} {path} → {response.status_code}, not 401")
    assert not wrong, "\n".join(wrong)
