"""`schemathesis run` against the real served API: whatever it sends, no answer is a 5xx.

The requests come from the OpenAPI document the server itself publishes, sent with an admin's
token so that they reach past authentication into every route. Besides "no server error", the
answers must use documented status codes and match their documented shapes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from isms_flow.bootstrap import App
from tests.api.conftest import email_of, populate
from tests.api.server import serving

CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
# Revoking the token the fuzzer itself holds would turn every later request into a 401.
SELF_REVOKING = "revoke_token_tokens__token_id__delete"


def test_schemathesis_finds_no_server_error(app: App, tmp_path: Path) -> None:
    tokens = populate(app)
    with serving(app) as url:
        run = subprocess.run(
            [
                str(Path(sys.executable).with_name("schemathesis")),
                "run",
                f"{url}/openapi.json",
                "--checks",
                CHECKS,
                "--header",
                f"Authorization: Bearer {tokens[email_of('admin')]}",
                "--exclude-operation-id",
                SELF_REVOKING,
                "--phases",
                "coverage,fuzzing",
                "--max-examples",
                "10",
                "--seed",
                "27001",
                "--generation-deterministic",
                "--continue-on-failure",
                "--request-timeout",
                "30",
                "--workers",
                "2",
                "--report-dir",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    failures = run.stdout[run.stdout.find("FAILURES") :] if "FAILURES" in run.stdout else run.stdout
    assert run.returncode == 0, failures[:12000] + run.stderr[-2000:]
