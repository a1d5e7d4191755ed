"""`isms-flow quotes …` and `isms-flow certificate …` as a user types them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.e2e.conftest import Cli


def tokyo_today() -> date:
    """The CLI runs on the system clock, in the client's time zone."""
    return datetime.now(ZoneInfo("Asia/Tokyo")).date()


QUOTES = (
    ("JQA", "isms-ac", "8.5", "1650000"),
    ("BSI Group Japan", "UKAS", "9", "1,890,000"),
    ("Sakura Certification", "ISMS-AC", "5.5", "990000"),
)


def add_quotes(cli: Cli, ref: str) -> None:
    for body, accreditation, days, cost in QUOTES:
        done = cli.call(
            "quotes", "add", ref, body, "--accreditation", accreditation, "--days", days,
            "--cost", cost, "--quoted", "2026-03-10",
        ).ok()  # fmt: skip
        assert f"from {body} (" in done.out


def test_compare_puts_quotes_next_to_the_27006_chart_and_flags_the_outlier(
    cli: Cli, acme: str
) -> None:
    add_quotes(cli, acme)
    shown = cli.call("quotes", "compare", acme, "--headcount", "45").ok().out
    assert (
        "45 persons in scope (as given) → ISO/IEC 27006 chart: 8.5 audit days (Stage 1 + "
        "Stage 2, before complexity adjustments)" in shown
    )
    assert "⚠ 3" in shown and "5.5 (-35%)" in shown and "JPY 1,650,000" in shown
    assert "⚠ #3 Sakura Certification: 5.5 audit days, 35% below the 8.5 the ISO/IEC 27006 " in (
        shown
    )
    assert "1 outlier(s) — outlier: audit days more than 30% off the ISO/IEC 27006 chart" in shown

    data = cli.call("quotes", "compare", acme, "--headcount", "45", "--json").ok().json()
    assert (data["headcount"], data["headcount_source"], data["suggested_days"]) == (
        45,
        "given",
        "8.5",
    )
    assert [(r["quote"]["body"], r["outlier"]) for r in data["rows"]] == [
        ("JQA", False),
        ("BSI Group Japan", False),
        ("Sakura Certification", True),
    ]
    assert data["rows"][1]["quote"]["cost_per_day_text"] == "JPY 210,000"
    assert data["rows"][1]["cost_per_day_deviation_percent"] == 12
    assert data["rows"][2]["flags"] == [
        "5.5 audit days, 35% below the 8.5 the ISO/IEC 27006 chart suggests"
    ]

    ja = cli.call("quotes", "compare", acme, "--headcount", "45", "--lang", "ja").ok().out
    assert "審査工数5.5人日はISO/IEC 27006の目安8.5人日より35%少ない" in ja
    assert "外れ値 1件" in ja


def test_compare_without_a_roster_says_how_to_give_the_headcount(cli: Cli, acme: str) -> None:
    add_quotes(cli, acme)
    shown = cli.call("quotes", "compare", acme).ok().out
    assert "no in-scope staff on the training roster on" in shown
    assert "give --headcount" in shown
    assert "0 outlier(s)" in shown
    empty = cli.run("quotes", "compare", "acme/isms", "--json")  # a real process, once
    assert empty.code == 0 and empty.json()["suggested_days"] is None


def test_selecting_another_body_says_the_first_is_unselected(cli: Cli, acme: str) -> None:
    add_quotes(cli, acme)
    first = cli.call("quotes", "select", acme, "1", "--reason", "ISMS-AC accredited").ok()
    assert "✓ JQA (quote #1) selected: ISMS-AC accredited" in first.out
    second = cli.call("quotes", "select", acme, "2", "--reason", "UKAS, English reports").ok()
    assert "! JQA (quote #1) is no longer selected" in second.out
    assert "✓ BSI Group Japan (quote #2) selected: UKAS, English reports" in second.out
    listed = cli.call("quotes", "list", acme, "--json").ok().json()
    assert [(q["id"], q["selected"]) for q in listed] == [(1, False), (2, True), (3, False)]
    history = cli.call("project", "history", acme, "--json").ok().json()
    assert [e["type"] for e in history][-2:] == ["cb_quote_unselected", "cb_quote_selected"]


def test_bad_quote_input_exits_2_and_changes_nothing(cli: Cli, acme: str) -> None:
    add_quotes(cli, acme)
    events = cli.events()
    cases = {
        ("quotes", "add", acme, "X", "--accreditation", "ISMS-AC", "--days", "abc", "--cost", "1"):
            "error: audit days 'abc' is not a number",
        ("quotes", "add", acme, "X", "--accreditation", "ISMS-AC", "--days", "8", "--cost", "1.5"):
            "error: cost 1.5 JPY: JPY takes whole amounts",
        ("quotes", "add", acme, "X", "--accreditation", "A", "--days", "8", "--cost", "1",
         "--quoted", "2026-02-30"):
            "error: --quoted '2026-02-30' is not a date (use YYYY-MM-DD)",
        ("quotes", "select", acme, "9", "--reason", "cheap"):
            "error: quote #9 not found: see `isms-flow quotes list`",
        ("quotes", "compare", acme, "--headcount", "0"):
            "error: headcount 0: the ISO/IEC 27006 audit time chart starts at 1 person in scope",
        ("certificate", "record", acme, "C-1", "--issued", "2026-03-01"):
            "error: no certification body is selected among the quotes: give --body",
    }  # fmt: skip
    for args, message in cases.items():
        assert message in cli.call(*args).fails(2).err
    json_error = cli.call("quotes", "select", acme, "9", "--reason", "x", "--json").fails(2)
    assert json_error.json()["error"]["type"] == "NotFound"
    assert cli.events() == events


def test_a_certificate_is_recorded_and_shown_with_its_expiry(cli: Cli, acme: str) -> None:
    add_quotes(cli, acme)
    cli.call("quotes", "select", acme, "1", "--reason", "ISMS-AC accredited").ok()
    before = tokyo_today()
    issued = before - timedelta(days=10)
    if (issued.month, issued.day) == (2, 29):  # keep the expected expiry simple to state
        issued -= timedelta(days=1)
    expires = issued.replace(year=issued.year + 3)
    recorded = cli.call(
        "certificate", "record", acme, "JQA-IM2417", "--issued", issued.isoformat(),
        "--scope", "Development division, Tokyo head office",
    ).ok()  # fmt: skip
    assert (
        f"✓ certificate JQA-IM2417 recorded: issued by JQA on {issued}, expires {expires}"
        in recorded.out
    )
    shown = cli.call("certificate", "show", acme).ok().out
    # Midnight in Tokyo may pass during the test: either day's count is right.
    assert any(
        f"{expires} — valid, {(expires - today).days} days left" in shown
        for today in {before, tokyo_today()}
    ), shown
    assert "Development division, Tokyo head office" in shown
    data = cli.call("certificate", "show", acme, "--json").ok().json()
    assert data["current"]["expires_on"] == expires.isoformat() and data["earlier"] == []
    too_late = expires + timedelta(days=1)
    later = cli.call(
        "certificate", "record", acme, "JQA-IM9", "--issued", issued.isoformat(), "--scope",
        "Dev", "--expires", too_late.isoformat(),
    ).fails(2)  # fmt: skip
    assert f"expiry {too_late} is more than 3 years after the issue date {issued}" in later.err
