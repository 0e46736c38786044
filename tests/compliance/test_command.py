"""``compliance_check``: the JSON contract of DESIGN.md ("Contracts at the boundary"), its exit
statuses and its progress line, with a small fake rule in place of the 18."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.compliance.office_builders import build_partner_world, fake_rules, staff
from workshops.models import SKU, Prison, ProductionRecord, Region

pytestmark = pytest.mark.django_db
D = datetime.date
PERIOD = ["--start", "2026-02-01", "--end", "2026-02-28"]


@pytest.fixture
def world(monkeypatch):
    fake_rules(monkeypatch)
    partner, workshop, worker = build_partner_world()
    sku = SKU.objects.create(code="SKU-1", name="Loaf", workshop=workshop)
    record = ProductionRecord.objects.create(
        worker=worker,
        workshop=workshop,
        day=D(2026, 2, 2),
        sku=sku,
        hours=Decimal(7),
        supervisor=staff("supervisor"),
    )
    return partner, workshop, worker, record


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("compliance_check", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refusal(*args) -> str:
    with pytest.raises(CommandError) as refused:
        command(*args)
    assert refused.value.returncode == 2
    return str(refused.value)


def test_the_json_contract_keys_and_types(world):
    _, _, _, record = world

    out, err = command("--partner", "acme", *PERIOD, "--json")

    findings = json.loads(out)
    assert [sorted(f) for f in findings] == [
        sorted(
            [
                "code",
                "severity",
                "scope",
                "worker",
                "start",
                "end",
                "detail",
                "missing_data",
                "figures",
                "evidence",
            ]
        )
    ] * 2
    for finding in findings:
        assert isinstance(finding["code"], str)
        assert finding["severity"] in ("critical", "major", "minor")
        assert finding["scope"] == "partner:acme"
        assert finding["worker"] is None or isinstance(finding["worker"], str)
        assert D.fromisoformat(finding["start"]) <= D.fromisoformat(finding["end"])
        assert isinstance(finding["detail"], str) and finding["detail"]
        assert isinstance(finding["missing_data"], bool)
        assert isinstance(finding["figures"], dict)
        for item in finding["evidence"]:
            assert sorted(item) == ["id", "model", "url"]
            assert isinstance(item["id"], int) and item["url"].startswith("/admin/")
    assert findings[0] == {
        "code": "FAKE_RULE",
        "severity": "major",
        "scope": "partner:acme",
        "worker": "W-000001",
        "start": "2026-02-01",
        "end": "2026-02-28",
        "detail": "W-000001 worked too long",
        "missing_data": False,
        "figures": {"hours": "9.5", "limit": "8"},
        "evidence": [
            {
                "model": "workshops.productionrecord",
                "id": record.pk,
                "url": f"/admin/workshops/productionrecord/inspect/{record.pk}/",
            }
        ],
    }
    assert findings[1]["worker"] is None and findings[1]["missing_data"] is True
    assert err.split() == ["Rules", "1/1", "(100%)", err.split()[-1]]  # the progress line


def test_the_text_output_exits_0_with_findings(world):
    out, _ = command("--workshop", "bakery-north", *PERIOD)
    assert out.splitlines()[-1] == "2 findings."
    assert "workshop:bakery-north W-000001 2026-02-01–2026-02-28" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--partner", "nope", *PERIOD], "No partner has the slug 'nope'."),
        (["--prison", "atlantis", *PERIOD], "No prison has the slug 'atlantis'."),
        (
            ["--partner", "acme", "--start", "2026-02-30", "--end", "2026-03-01"],
            "'2026-02-30' is not a date: write YYYY-MM-DD.",
        ),
        (
            ["--partner", "acme", "--start", "2026-03-01", "--end", "2026-02-01"],
            "The period is reversed: 2026-02-01 is before 2026-03-01.",
        ),
    ],
)
def test_a_bad_slug_or_date_exits_2_with_a_clear_message(world, args, message):
    assert refusal(*args) == message


def test_a_period_in_the_future_exits_2(world):
    today = timezone.localdate()
    message = refusal(
        "--partner", "acme", "--start", str(today), "--end", str(today + datetime.timedelta(days=3))
    )
    assert message.startswith(f"The period ends on {today + datetime.timedelta(days=3)}")


def test_all_runs_every_prison(world):
    Prison.objects.create(
        name="South Prison", slug="south-prison", region=Region.objects.get(), population="mixed"
    )
    out, err = command("--all", *PERIOD, "--json")
    scopes = sorted({finding["scope"] for finding in json.loads(out)})
    assert scopes == ["prison:north-prison", "prison:south-prison"]
    assert [line.split()[:3] for line in err.splitlines()] == [
        ["Rules", "1/2", "(50%)"],
        ["Rules", "2/2", "(100%)"],
    ]
