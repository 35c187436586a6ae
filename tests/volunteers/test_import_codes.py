"""The import API names every problem by line, column and English reason, plus a stable code and its values."""

from __future__ import annotations

from volunteers.languages import KNOWN_LANGUAGES


def dry_run(api, world, kind: str, body: str):
    coord = api("coordinator")
    r = coord.post(
        f"/api/partnerships/{world.partnership_id}/imports/{kind}?dry_run=true",
        content=body.encode(),
        headers={"content-type": "text/csv"},
    )
    return r


def test_problems_keep_line_column_and_reason_and_add_code_and_params(api, world):
    body = (
        "first_name,last_name,email,birth_date,languages,skills\n"
        "Ida,Import,not-an-address,1990-01-01,sv,\n"
        "Bo,Import,bo@import.example.se,1990-02-30,,\n"
        "Cy,Import,cy@import.example.se,1990-01-01,,jonglera\n"
    )
    r = dry_run(api, world, "volunteers", body)
    assert r.status_code == 200
    assert r.json()["problems"] == [
        {
            "line": 2,
            "column": "email",
            "reason": "'not-an-address' is not an e-mail address",
            "code": "not_email",
            "params": {"value": "not-an-address"},
        },
        {
            "line": 3,
            "column": "birth_date",
            "reason": "'1990-02-30' is not a date (YYYY-MM-DD)",
            "code": "not_date",
            "params": {"value": "1990-02-30"},
        },
        {
            "line": 4,
            "column": "skills",
            "reason": "'jonglera' is not in the skills catalogue (ESCO URI, Swedish or English name)",
            "code": "unknown_skill",
            "params": {"value": "jonglera"},
        },
    ]


def test_a_language_code_the_service_does_not_know_is_a_problem(api, world):
    # "xx" and "zz" look like ISO 639 codes but are none the forms offer; "SV" is Swedish in capitals.
    body = (
        "first_name,last_name,email,birth_date,languages\n"
        "Ida,Import,ida@codes.example.se,1990-01-01,SV|ar\n"
        "Bo,Import,bo@codes.example.se,1990-01-01,sv|xx\n"
        "Cy,Import,cy@codes.example.se,1990-01-01,zz\n"
    )
    problems = dry_run(api, world, "volunteers", body).json()["problems"]
    assert [(p["line"], p["column"], p["code"], p["params"]["value"]) for p in problems] == [
        (3, "languages", "unknown_language", "xx"),
        (4, "languages", "unknown_language", "zz"),
    ]
    assert problems[0]["params"]["known"] == ", ".join(KNOWN_LANGUAGES)
    activities = (
        "partner,name,kind,target_group,weekday,start_time,end_time,first_date,last_date,role,languages\n"
        "sisu,Kodtest,sport,children,tue,17:00,18:00,2027-01-05,2027-01-26,Tränare,sv|xx\n"
    )
    problems = dry_run(api, world, "activities", activities).json()["problems"]
    assert [(p["line"], p["column"], p["code"]) for p in problems] == [(2, "languages", "unknown_language")]
    ok = activities.replace("sv|xx", "sv|prs")
    assert dry_run(api, world, "activities", ok).json()["problems"] == []
