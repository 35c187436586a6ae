"""Every API controller, in one list for the app."""

from __future__ import annotations

from typing import Any

from volunteers.activities.controllers import (
    ActivityController,
    NeedController,
    PartnerController,
    PartnershipController,
    SessionController,
)
from volunteers.admin.controllers import audit_log
from volunteers.certify.controllers import (
    CertificateController,
    VolunteerCertificateController,
    published_keys,
    verify_certificate,
)
from volunteers.certify.reference_api import reference_api
from volunteers.experience.controllers import AttendanceController, ExperienceController
from volunteers.experience.own_hours_controllers import OwnHoursController
from volunteers.followup.controllers import FollowUpController
from volunteers.imports.controllers import ImportController
from volunteers.partnerships.controllers import partnership_routes
from volunteers.people.controllers import VolunteerController, list_skills
from volunteers.privacy.controllers import erase_volunteer, export_volunteer
from volunteers.reports.controllers import PublishedReportController, ReportController
from volunteers.staffing.choose_controllers import choose_routes
from volunteers.staffing.controllers import (
    AssignmentController,
    MatchRunController,
    SessionStaffingController,
    calendar_feed,
    request_staff,
    rules_watch,
)


def api_routes() -> list[Any]:
    return [
        PartnershipController,
        PartnerController,
        ActivityController,
        SessionController,
        NeedController,
        VolunteerController,
        list_skills,
        MatchRunController,
        AssignmentController,
        SessionStaffingController,
        request_staff,
        rules_watch,
        calendar_feed,
        AttendanceController,
        ExperienceController,
        VolunteerCertificateController,
        CertificateController,
        verify_certificate,
        published_keys,
        audit_log,
        export_volunteer,
        erase_volunteer,
        ReportController,
        PublishedReportController,
        FollowUpController,
        *partnership_routes,
        ImportController,
        *choose_routes,
        OwnHoursController,
        *reference_api,
    ]
