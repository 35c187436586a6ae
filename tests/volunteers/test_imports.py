"""CSV import of activities and volunteers: every problem named by line and column, all or nothing; export."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import func, select

from dayone_support import LINK, cli_env
from service_support import run_db
from volunteers.cli import main
from volunteers.db.models import Activity, Session, StaffingNeed, User

ACTIVITIES = (
    "\ufeffpartner;name;kind;target_group;place;weekday;start_time;end_time;first_date;last_date;"
    "role;count;skills;languages;min_age\n"
    "sisu;Fotboll F10;sport;children;Bäckby IP;tue;17:00;18:30;2027-01-05;2027-02-23;"
    "Hjälptränare;2;coach young people|Ge första hjälpen;sv;16\n"
    "sisu;Fotboll F10;sport;children;Bäckby IP;tor;17:00;18:30;2027-01-07;2027-02-25;Materialansvarig;1;;;\n"
    "ABF Västerås;Läxhjälp;study_circle;youth;Biblioteket;3;15;17;2027-01-06;2027-01-27;;;;;\n"
)


def csv_post(api, path, body):
    return api.post(path, content=body.encode(), headers={"content-type": "text/csv"})


def counts(settings):
    async def q(db):
        out = []
        for model in (Activity, Session, StaffingNeed):
            out.append((await db.execute(select(func.count()).select_from(model))).scalar_one())
        return tuple(out)

    return run_db(settings, q)


def test_activities_import_with_their_weekly_sessions_and_needs(api, world, settings):
    coord = api("coordinator")
    base = f"/api/partnerships/{world.partnership_id}"
    before = counts(settings)
    dry = csv_post(coord, f"{base}/imports/activities?dry_run=true", ACTIVITIES)
    assert dry.status_code == 200 and dry.json()["problems"] == [] and counts(settings) == before
    done = csv_post(coord, f"{base}/imports/activities", ACTIVITIES)
    assert done.status_code == 200 and done.json()["imported"] == 2, done.text
    # Eight Tuesdays and eight Thursdays of football, four Wednesdays of homework help; two roles.
    assert counts(settings) == (before[0] + 2, before[1] + 8 + 8 + 4, before[2] + 2)
    needs = {n["role"]: n for n in coord.get(f"/api/activities/{_activity(coord, 'Fotboll F10')}/needs").json()}
    assert needs["Hjälptränare"]["count"] == 2 and needs["Hjälptränare"]["min_age"] == 16
    assert sorted(needs["Hjälptränare"]["skills"]) == ["coach_young_people", "provide_first_aid"]
    # The same file again: every row names the activity that exists; nothing more is written.
    again = csv_post(coord, f"{base}/imports/activities", ACTIVITIES)
    assert again.status_code == 422
    assert [(p["line"], p["column"]) for p in again.json()["problems"]] == [(2, "name"), (3, "name"), (4, "name")]
    assert counts(settings) == (before[0] + 2, before[1] + 20, before[2] + 2)
    # The export has the import's shape and names the imported series.
    exported = coord.get(f"{base}/exports/activities.csv").text
    assert exported.splitlines()[0] == ACTIVITIES.splitlines()[0].lstrip("\ufeff").replace(";", ",")
    assert "sisu,Fotboll F10,sport,children,Bäckby IP,thu,17:00,18:30,2027-01-07,2027-02-25" in exported


def _activity(api, name):
    return next(a["id"] for a in api.get("/api/activities?limit=200").json()["items"] if a["name"] == name)


def test_every_bad_cell_is_named_and_leaders_cannot_import(api, world):
    coord = api("coordinator")
    base = f"/api/partnerships/{world.partnership_id}"
    bad = (
        "partner,name,kind,target_group,weekday,start_time,end_time,first_date,last_date,count\n"
        "nobody,X,sport,children,tue,17:00,18:00,2027-01-05,2027-01-26,\n"
        "sisu,Y,dance,elderly,someday,25:00,18:00,2027-13-01,2027-01-26,\n"
        "sisu,Z,sport,adults,tue,18:00,17:00,2027-01-05,2027-01-26,3\n"
    )
    problems = csv_post(coord, f"{base}/imports/activities?dry_run=true", bad).json()["problems"]
    assert [(p["line"], p["column"]) for p in problems] == [
        (2, "partner"),
        (3, "kind"),
        (3, "target_group"),
        (3, "weekday"),
        (3, "start_time"),
        (3, "first_date"),
        (4, "end_time"),
        (4, "role"),
    ]
    header = csv_post(coord, f"{base}/imports/volunteers?dry_run=true", "name,mail\nA,b@c.se\n").json()["problems"]
    assert {(p["line"], p["column"]) for p in header} >= {(1, "first_name"), (1, "email"), (1, "name"), (1, "mail")}
    assert csv_post(api("leader_sisu"), f"{base}/imports/volunteers?dry_run=true", "x").status_code == 403
    assert csv_post(api("coordinator_other"), f"{base}/imports/volunteers", "x").status_code == 404


def test_the_cli_checks_imports_and_hands_over_links_without_a_mail_server(settings, world, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(
        "first_name,last_name,email,birth_date,languages,skills\n"
        "Ida,Import,ida@import.example.se,1990-01-01,sv,provide first aid\n"
        "Ali,Import,ali@import.example.se,1988-05-05,ar|sv,\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "first_name,last_name,email,birth_date\nUng,Import,ung@import.example.se,2015-01-01\n"
        "Anna,Again,vol_anna@test.samverka.se,1990-01-01\n",
        encoding="utf-8",
    )
    run = CliRunner()
    out = run.invoke(main, ["import", "volunteers", str(bad), "--partnership", "pettersberg"], env=cli_env(settings))
    assert out.exit_code == 1
    assert (
        "line 2, birth_date: under 16" in out.output
        and "line 3, email: an account with this address exists" in out.output
    )
    out = run.invoke(
        main, ["import", "volunteers", str(good), "--partnership", "pettersberg", "--dry-run"], env=cli_env(settings)
    )
    assert out.exit_code == 0 and "2 rows, no problems" in out.output

    async def users(db):
        return (await db.execute(select(func.count()).select_from(User))).scalar_one()

    before = run_db(settings, users)
    out = run.invoke(main, ["import", "volunteers", str(good), "--partnership", "pettersberg"], env=cli_env(settings))
    assert out.exit_code == 0, out.output
    assert len(LINK.findall(out.output)) == 2 and run_db(settings, users) == before + 2
    exported = run.invoke(main, ["export", "volunteers", "--partnership", "pettersberg"], env=cli_env(settings)).output
    assert "Ida,Import,ida@import.example.se,,1990-01-01,sv,http://data.europa.eu/esco/skill/" in exported
