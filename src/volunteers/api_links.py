"""OpenAPI links: from an answer that names a record to the operations on that record.

A client (and schemathesis's state machine, which chains calls along these links) learns
from them that the `id` of a created activity is the `activity_id` of its page, its
sessions and its needs, and so on. Lists link from their first item, so a caller whose
role creates nothing (a volunteer) still reaches her own records from /api/volunteers/me.
"""

from __future__ import annotations

from typing import Any

# (method, path) of a target operation, and the name a link to it is given.
_ACTIVITY = {
    "GetActivity": ("get", "/api/activities/{activity_id}"),
    "ChangeActivity": ("patch", "/api/activities/{activity_id}"),
    "AddSessions": ("post", "/api/activities/{activity_id}/sessions"),
    "AddActivityNeed": ("post", "/api/activities/{activity_id}/needs"),
    "ActivityNeeds": ("get", "/api/activities/{activity_id}/needs"),
}
_SESSION = {
    "GetSession": ("get", "/api/sessions/{session_id}"),
    "ChangeSession": ("patch", "/api/sessions/{session_id}"),
    "SessionNeeds": ("get", "/api/sessions/{session_id}/needs"),
    "AddSessionNeed": ("post", "/api/sessions/{session_id}/needs"),
    "Staffing": ("get", "/api/sessions/{session_id}/staffing"),
    "Attendance": ("get", "/api/sessions/{session_id}/attendance"),
    "ConfirmAttendance": ("post", "/api/sessions/{session_id}/attendance"),
    "Assign": ("post", "/api/sessions/{session_id}/assignments"),
}
_NEED = {"ChangeNeed": ("patch", "/api/needs/{need_id}"), "DeleteNeed": ("delete", "/api/needs/{need_id}")}
_ASSIGNMENT = {
    "Accept": ("post", "/api/assignments/{assignment_id}/accept"),
    "Decline": ("post", "/api/assignments/{assignment_id}/decline"),
    "Withdraw": ("post", "/api/assignments/{assignment_id}/withdraw"),
    "Swap": ("post", "/api/assignments/{assignment_id}/swap"),
    "SignupAnswer": ("post", "/api/assignments/{assignment_id}/signup-answer"),
}
_VOLUNTEER = {
    "GetVolunteer": ("get", "/api/volunteers/{volunteer_id}"),
    "ChangeVolunteer": ("patch", "/api/volunteers/{volunteer_id}"),
    "Availability": ("get", "/api/volunteers/{volunteer_id}/availability"),
    "SetAvailability": ("put", "/api/volunteers/{volunteer_id}/availability"),
    "ExpandedAvailability": ("get", "/api/volunteers/{volunteer_id}/availability/expanded"),
    "Experience": ("get", "/api/volunteers/{volunteer_id}/experience"),
    "Certificates": ("get", "/api/volunteers/{volunteer_id}/certificates"),
    "IssueCertificate": ("post", "/api/volunteers/{volunteer_id}/certificates"),
    "Endorsements": ("get", "/api/volunteers/{volunteer_id}/endorsements"),
    "Endorse": ("post", "/api/volunteers/{volunteer_id}/endorsements"),
    "AddTraining": ("post", "/api/volunteers/{volunteer_id}/trainings"),
    "BackgroundChecks": ("get", "/api/volunteers/{volunteer_id}/background-checks"),
    "RecordBackgroundCheck": ("post", "/api/volunteers/{volunteer_id}/background-checks"),
    "References": ("get", "/api/volunteers/{volunteer_id}/references"),
    "AskReference": ("post", "/api/volunteers/{volunteer_id}/references"),
    "FollowUps": ("get", "/api/volunteers/{volunteer_id}/follow-ups"),
    "Export": ("get", "/api/volunteers/{volunteer_id}/export"),
}
_PARTNERSHIP = {
    "GetPartnership": ("get", "/api/partnerships/{partnership_id}"),
    "Partners": ("get", "/api/partnerships/{partnership_id}/partners"),
    "AddPartner": ("post", "/api/partnerships/{partnership_id}/partners"),
    "Settings": ("get", "/api/partnerships/{partnership_id}/settings"),
    "ChangeSettings": ("patch", "/api/partnerships/{partnership_id}/settings"),
    "Roles": ("get", "/api/partnerships/{partnership_id}/roles"),
    "Invitations": ("get", "/api/partnerships/{partnership_id}/invitations"),
    "Invite": ("post", "/api/partnerships/{partnership_id}/invitations"),
    "SignupSettings": ("put", "/api/partnerships/{partnership_id}/signup-settings"),
    "ActivitiesCsv": ("get", "/api/partnerships/{partnership_id}/exports/activities.csv"),
    "VolunteersCsv": ("get", "/api/partnerships/{partnership_id}/exports/volunteers.csv"),
}
_CERTIFICATE = {
    "Verify": ("get", "/verify/{public_id}"),
    "Revoke": ("post", "/api/certificates/{public_id}/revoke"),
    "WithdrawCertificate": ("post", "/api/certificates/{public_id}/withdraw"),
}
_RUN = {"GetRun": ("get", "/api/match-runs/{run_id}"), "Publish": ("post", "/api/match-runs/{run_id}/publish")}
_REPORT = {
    "GetPublished": ("get", "/api/reports/published/{report_id}"),
    "PublishedCsv": ("get", "/api/reports/published/{report_id}/report.csv"),
    "PublishedPdf": ("get", "/api/reports/published/{report_id}/report.pdf"),
}
_INVITATION = {
    "Resend": ("post", "/api/invitations/{invitation_id}/resend"),
    "Cancel": ("delete", "/api/invitations/{invitation_id}"),
}
_REFERENCE = {
    "WriteReference": ("put", "/api/references/{reference_id}"),
    "Answer": ("patch", "/api/references/{reference_id}"),
}
_OWN_HOURS = {"Decide": ("post", "/api/own-hours/{hours_id}/decision")}
_OPEN_PLACE = {
    "Take": ("post", "/api/open-places/{session_id}/take"),
    "Wait": ("post", "/api/open-places/{session_id}/waiting-list"),
    "StopWaiting": ("delete", "/api/open-places/{session_id}/waiting-list"),
}
_OFFER = {
    "TakeOffer": ("post", "/api/offers/{offer_id}/take"),
    "DeclineOffer": ("post", "/api/offers/{offer_id}/decline"),
}
_ROLE = {"ChangeRole": ("patch", "/api/roles/{membership_id}"), "RemoveRole": ("delete", "/api/roles/{membership_id}")}

_CREATE_ACTIVITY = {"CreateActivity": ("post", "/api/activities")}
_PARTNERSHIP_WORK = {
    "RunMatch": ("post", "/api/match-runs"),
    "ImpactReport": ("get", "/api/reports/impact"),
    "PublishReport": ("post", "/api/reports/published"),
}

# (method, path, status) of a source operation -> [(targets, parameter, where its value is)].
# A parameter "body.x" is the field x of the target's request body (the rest is generated).
SOURCES: dict[tuple[str, str, str], list[tuple[dict[str, tuple[str, str]], str, str]]] = {
    ("post", "/api/activities", "201"): [(_ACTIVITY, "activity_id", "$response.body#/id")],
    ("get", "/api/activities", "200"): [
        (_ACTIVITY, "activity_id", "$response.body#/items/0/id"),
        ({"RecordOwnHours": ("post", "/api/own-hours")}, "body.activity_id", "$response.body#/items/0/id"),
    ],
    ("post", "/api/activities/{activity_id}/sessions", "201"): [(_SESSION, "session_id", "$response.body#/0/id")],
    ("get", "/api/sessions", "200"): [(_SESSION, "session_id", "$response.body#/items/0/id")],
    ("post", "/api/activities/{activity_id}/needs", "201"): [(_NEED, "need_id", "$response.body#/id")],
    ("post", "/api/sessions/{session_id}/needs", "201"): [(_NEED, "need_id", "$response.body#/id")],
    ("get", "/api/activities/{activity_id}/needs", "200"): [(_NEED, "need_id", "$response.body#/0/id")],
    ("post", "/api/sessions/{session_id}/assignments", "201"): [(_ASSIGNMENT, "assignment_id", "$response.body#/id")],
    ("get", "/api/assignments/mine", "200"): [(_ASSIGNMENT, "assignment_id", "$response.body#/0/id")],
    ("get", "/api/volunteers/me", "200"): [(_VOLUNTEER, "volunteer_id", "$response.body#/id")],
    ("get", "/api/volunteers", "200"): [(_VOLUNTEER, "volunteer_id", "$response.body#/items/0/id")],
    ("put", "/api/volunteers/{volunteer_id}/availability", "200"): [
        (
            {k: _VOLUNTEER[k] for k in ("Availability", "ExpandedAvailability")},
            "volunteer_id",
            "$request.path.volunteer_id",
        )
    ],
    ("post", "/api/volunteers/{volunteer_id}/background-checks", "201"): [
        ({"BackgroundChecks": _VOLUNTEER["BackgroundChecks"]}, "volunteer_id", "$request.path.volunteer_id")
    ],
    ("get", "/api/partnerships", "200"): [(_PARTNERSHIP, "partnership_id", "$response.body#/0/id")],
    ("get", "/api/auth/me", "200"): [
        (_PARTNERSHIP, "partnership_id", "$response.body#/memberships/0/partnership_id"),
        (
            {"RunMatch": _PARTNERSHIP_WORK["RunMatch"]},
            "body.partnership_id",
            "$response.body#/memberships/0/partnership_id",
        ),
        (
            {k: _PARTNERSHIP_WORK[k] for k in ("ImpactReport", "PublishReport")},
            "query.partnership_id",
            "$response.body#/memberships/0/partnership_id",
        ),
    ],
    ("get", "/api/partnerships/{partnership_id}/partners", "200"): [
        (_CREATE_ACTIVITY, "body.partner_id", "$response.body#/0/id")
    ],
    ("post", "/api/partnerships/{partnership_id}/partners", "201"): [
        ({"ChangePartner": ("patch", "/api/partners/{partner_id}")}, "partner_id", "$response.body#/id")
    ],
    ("post", "/api/volunteers/{volunteer_id}/certificates", "201"): [
        (_CERTIFICATE, "public_id", "$response.body#/public_id")
    ],
    ("get", "/api/volunteers/{volunteer_id}/certificates", "200"): [
        (_CERTIFICATE, "public_id", "$response.body#/0/public_id")
    ],
    ("post", "/api/certificates/bulk", "202"): [
        ({"BulkStatus": ("get", "/api/certificates/bulk/{job_id}")}, "job_id", "$response.body#/id")
    ],
    ("post", "/api/match-runs", "202"): [(_RUN, "run_id", "$response.body#/id")],
    ("post", "/api/staff-requests", "202"): [(_RUN, "run_id", "$response.body#/id")],
    ("get", "/api/match-runs", "200"): [(_RUN, "run_id", "$response.body#/items/0/id")],
    ("post", "/api/reports/published", "201"): [(_REPORT, "report_id", "$response.body#/id")],
    ("get", "/api/reports/published", "200"): [(_REPORT, "report_id", "$response.body#/0/id")],
    ("post", "/api/partnerships/{partnership_id}/invitations", "201"): [
        (_INVITATION, "invitation_id", "$response.body#/invitation/id")
    ],
    ("get", "/api/partnerships/{partnership_id}/invitations", "200"): [
        (_INVITATION, "invitation_id", "$response.body#/0/id")
    ],
    ("get", "/api/partnerships/{partnership_id}/roles", "200"): [
        (_ROLE, "membership_id", "$response.body#/0/membership_id")
    ],
    ("post", "/api/volunteers/{volunteer_id}/references", "201"): [(_REFERENCE, "reference_id", "$response.body#/id")],
    ("get", "/api/references", "200"): [(_REFERENCE, "reference_id", "$response.body#/0/id")],
    ("post", "/api/own-hours", "201"): [(_OWN_HOURS, "hours_id", "$response.body#/id")],
    ("get", "/api/own-hours/pending", "200"): [(_OWN_HOURS, "hours_id", "$response.body#/0/id")],
    ("get", "/api/open-places", "200"): [(_OPEN_PLACE, "session_id", "$response.body#/0/session_id")],
    ("get", "/api/offers/mine", "200"): [(_OFFER, "offer_id", "$response.body#/0/id")],
}


def _ref(method: str, path: str) -> str:
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method


def links_for(method: str, path: str) -> dict[str, dict[str, Any]]:
    """The links of an operation's answers: status -> link name -> OpenAPI link object."""
    out: dict[str, dict[str, Any]] = {}
    for (m, p, status), groups in SOURCES.items():
        if (m, p) != (method, path):
            continue
        links = out.setdefault(status, {})
        for targets, parameter, value in groups:
            for name, (target_method, target_path) in targets.items():
                link: dict[str, Any] = {"operationRef": _ref(target_method, target_path)}
                if parameter.startswith("body."):
                    link["requestBody"] = {parameter.removeprefix("body."): value}  # merged into the generated body
                else:
                    link["parameters"] = {parameter: value}
                links[name] = link
    return out
