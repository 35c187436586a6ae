"""What erasure does to every column that can hold personal data: one declaration, one line each.

`RULES` maps `table` (the whole row) or `table.column` to a rule. The erasure code
(`privacy.erasure`) applies the generic rules itself to the rows *about the person*
(its `SCOPES`, or by default the rows whose foreign key points to her profile or
account), and does the few `anonymise` rules by hand. A test walks the SQLAlchemy
metadata and fails on any text, JSON, date, time, binary column or reference to a
person that has no rule here, so a new column cannot be added without one.

Adding a table: one line, e.g. `"job_seeking_status": delete("her own answers")`, or a
line per column. Rows are found through a foreign key to `volunteer_profile.id` (or a
`user_id` to `user_account.id`); a table found otherwise gets a scope in `erasure.SCOPES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ERASED = "[erased]"
ERASED_NAME = "—"

Action = Literal["delete", "set", "erased", "anonymise", "keep"]


@dataclass(frozen=True)
class Rule:
    """What erasure does to a column (or a whole row), and why."""

    action: Action
    why: str
    value: Any = None  # for "set": the value written over the column
    # For "keep" free text about someone else or the organisation: the person's full
    # name, e-mail and phone are still cut out of it where they were written.
    sweep: bool = False


def delete(why: str) -> Rule:
    """The person's rows of this table are deleted."""
    return Rule("delete", why)


def blank(why: str) -> Rule:
    """The column is set to the empty string."""
    return Rule("set", why, "")


def null(why: str) -> Rule:
    """The column is set to NULL."""
    return Rule("set", why, None)


def empty_list(why: str) -> Rule:
    """A JSON list column is emptied."""
    return Rule("set", why, [])


def erased(why: str) -> Rule:
    """Free text: replaced by "[erased]" where it said anything."""
    return Rule("erased", why)


def anonymise(why: str) -> Rule:
    """Done by hand in `erasure` (a unique placeholder, JSON documents edited); `why` says how."""
    return Rule("anonymise", why)


def keep(why: str, *, sweep: bool = False) -> Rule:
    """Not personal, or the anonymous ledger; `sweep` cuts her name, e-mail and phone out of free text."""
    return Rule("keep", why, sweep=sweep)


ORGANISATION = "the partnership's own data, about no one"
CATALOGUE = "the skills catalogue"
LEDGER = "the anonymous ledger of work kept for reporting"
ACCOUNT_REF = "points to an account; the erased person's account keeps nothing that identifies her"

# Columns every table has.
COMMON: dict[str, Rule] = {
    "id": keep("a random identifier"),
    "created_at": keep("when the row was made"),
    "updated_at": keep("when the row last changed"),
}

RULES: dict[str, Rule] = {
    # --- accounts
    "user_account.email": anonymise("replaced by a unique erased-<random>@invalid address"),
    "user_account.password_hash": anonymise('replaced by "!erased", which no password verifies against'),
    "user_account.display_name": Rule("set", "her name", ERASED_NAME),
    "user_account.locale": keep("sv or en"),
    "user_account.last_login_at": null("when she was last here"),
    "user_account.locked_until": null("log-in back-off"),
    "user_account.email_confirmed_at": null("when she confirmed her address"),
    "user_account.anonymised_at": anonymise("set to the time of erasure"),
    "membership.user_id": keep("her anonymised account's role in the partnership"),
    "membership.title": blank("a title she was given"),
    "auth_session": delete("her log-in sessions (she is logged out everywhere)"),
    "consent": delete("her consents (a guardian's name among them)"),
    "invitation": delete("invitations to her address (found by the address, see erasure.SCOPES)"),
    "account_token": delete("her pending account links (a change of address holds the new one)"),
    "login_throttle": keep("keyed hashes (HMAC with the instance secret) of an address and a client; no address"),
    "partnership.slug": keep(ORGANISATION),
    "partnership.name": keep(ORGANISATION),
    "partnership.area": keep(ORGANISATION),
    "partnership.description": keep(ORGANISATION, sweep=True),
    "partnership.timezone": keep(ORGANISATION),
    "partnership.starts_on": keep(ORGANISATION),
    "partnership.ends_on": keep(ORGANISATION),
    "partner.slug": keep(ORGANISATION),
    "partner.name": keep(ORGANISATION),
    "partner.description": keep(ORGANISATION, sweep=True),
    # --- activities
    "activity.name": keep(ORGANISATION),
    "activity.description": keep(ORGANISATION, sweep=True),
    "activity.place": keep(ORGANISATION),
    "activity.tasks": keep(ORGANISATION),
    "activity.name_sv": keep(ORGANISATION),
    "activity.name_en": keep(ORGANISATION),
    "activity.tasks_done": keep(ORGANISATION),
    "activity_session.starts_at": keep(ORGANISATION),
    "activity_session.ends_at": keep(ORGANISATION),
    "activity_session.note": keep("a leader's note on the session", sweep=True),
    "staffing_need.role": keep(ORGANISATION),
    "staffing_need.role_sv": keep(ORGANISATION),
    "staffing_need.role_en": keep(ORGANISATION),
    "staffing_need.skills": keep(ORGANISATION),
    "staffing_need.languages": keep(ORGANISATION),
    "staffing_need.develops": keep(ORGANISATION),
    "key_competence.code": keep(CATALOGUE),
    "key_competence.label_en": keep(CATALOGUE),
    "key_competence.label_sv": keep(CATALOGUE),
    "skill.code": keep(CATALOGUE),
    "skill.esco_uri": keep(CATALOGUE),
    "skill.label_en": keep(CATALOGUE),
    "skill.label_sv": keep(CATALOGUE),
    "skill.key_competence": keep(CATALOGUE),
    # --- the volunteer
    "volunteer_profile.user_id": keep("her anonymised account"),
    "volunteer_profile.first_name": Rule("set", "her name", ERASED_NAME),
    "volunteer_profile.last_name": blank("her name"),
    "volunteer_profile.birth_date": null("her birth date"),
    "volunteer_profile.phone": blank("her phone"),
    "volunteer_profile.languages": empty_list("what she told about herself"),
    "volunteer_profile.learning_goals": empty_list("what she told about herself"),
    "volunteer_profile.preferred_activity_kinds": empty_list("what she told about herself"),
    "volunteer_profile.guardian_name": blank("her guardian's name"),
    "volunteer_profile.guardian_contact": blank("her guardian's contact"),
    "volunteer_profile.guardian_consent_at": null("when her guardian consented"),
    "volunteer_profile.calendar_token": anonymise("a new random token: her old calendar link is dead"),
    "volunteer_profile.last_offered_at": null("when she was last offered a session"),
    "volunteer_skill": delete("skills she said she has"),
    "learning_goal_target": delete("the dates by which she wants to reach her learning goals"),
    "availability_rule": delete("when she is free"),
    "availability_exception": delete("when she is away, and her notes"),
    "background_check": delete("that her record was seen, and by whom"),
    "exclusion": delete("a leader's veto on her, and its reason"),
    # --- staffing
    "assignment.volunteer_id": keep(LEDGER),
    "assignment.role": keep(LEDGER),
    "assignment.starts_at": keep(LEDGER),
    "assignment.ends_at": keep(LEDGER),
    "assignment.reason": erased("why her assignment changed, in anyone's words"),
    "assignment_event.from_status": keep(LEDGER),
    "assignment_event.to_status": keep(LEDGER),
    "assignment_event.by_user_id": keep(ACCOUNT_REF),
    "assignment_event.reason": erased("her own words when she declined or cancelled, or a coordinator's"),
    "match_run.requested_by_id": keep(ACCOUNT_REF),
    "match_run.published_by_id": keep(ACCOUNT_REF),
    "match_run.kind": keep(ORGANISATION),
    "match_run.period_start": keep(ORGANISATION),
    "match_run.period_end": keep(ORGANISATION),
    "match_run.activity_ids": keep(ORGANISATION),
    "match_run.session_ids": keep(ORGANISATION),
    "match_run.problem": anonymise(
        "her entry keeps no birth date, check date, skills, languages, goals or availability, "
        "under an anonymous id used for her throughout the run"
    ),
    "match_run.plan": anonymise("her assignments under the run's anonymous id (dropped from unpublished plans)"),
    "match_run.warnings": anonymise("warnings about her: the anonymous id, and the message erased"),
    "match_run.error": keep("the solver's error, about the run"),
    "match_run.started_at": keep(ORGANISATION),
    "match_run.finished_at": keep(ORGANISATION),
    "match_run.published_at": keep(ORGANISATION),
    # --- evidence
    "attendance.confirmed_by_id": keep(ACCOUNT_REF),
    "attendance.confirmed_at": keep(LEDGER),
    "endorsement": delete("skills a leader saw her use, and the leader's note"),
    "training": delete("her trainings"),
    "follow_up": delete("her own answers and comments"),
    "reference": delete("references a leader wrote about her, asked for by her"),
    "job_seeking_status": delete("her answers about seeking work, dated"),
    "waiting_list_entry": delete("her places on waiting lists"),
    "place_offer": delete("offers of freed places made to her"),
    "own_hours.volunteer_id": keep(LEDGER),
    "own_hours.worked_on": keep(LEDGER),
    "own_hours.kind": keep(LEDGER),
    "own_hours.status": anonymise(
        "time never approved is deleted (erasure.erase_person); approved stays in the ledger"
    ),
    "own_hours.note": blank("what she wrote about the time she reported"),
    "own_hours.decided_by_id": keep(ACCOUNT_REF),
    "report_goal": keep(ORGANISATION),
    "session_participants": keep("head counts of children and young people by age group, about no one"),
    "published_report": keep("the report as published: aggregate figures with small cells hidden, kept unchanged"),
    "match_run.instance_id": keep("which server instance ran it"),
    "partnership.signatory_user_id": keep(ACCOUNT_REF),
    "certificate.volunteer_id": keep("her anonymised profile"),
    "certificate.public_id": keep("the id /verify answers for: its status stays checkable"),
    "certificate.issued_by_id": keep(ACCOUNT_REF),
    "certificate.revoked_by_id": keep(ACCOUNT_REF),
    "certificate.issued_at": keep("when it was issued, shown on /verify"),
    "certificate.revoked_at": keep("when it was revoked, shown on /verify"),
    "certificate.language": keep("sv or en"),
    "certificate.key_id": keep("which key signed it"),
    "certificate.content_sha256": keep("the hash of the PDF: a copy can still be recognised"),
    "certificate.snapshot": null("everything the certificate said"),
    "certificate.credential": null("the signed credential, her name in it"),
    "certificate.pdf": null("the PDF"),
    "certificate.revoked_reason": erased("a coordinator's words about her"),
    # --- the system
    "audit_entry.actor_id": keep(ACCOUNT_REF),
    "audit_entry.action": keep("what was done"),
    "audit_entry.subject_type": keep("what kind of record"),
    "audit_entry.subject_id": keep("a random id or a certificate id"),
    "audit_entry.detail": anonymise('every text in entries about her or by her becomes "[erased]"'),
    "outbox_message": anonymise("messages to her not yet sent are deleted; those sent keep no address or text"),
    "outbox_message.to_address": anonymise("sent messages: emptied"),
    "outbox_message.subject": anonymise('sent messages: "[erased]"'),
    "outbox_message.body": anonymise('sent messages: "[erased]"'),
    "outbox_message.last_error": anonymise("sent messages: emptied (an SMTP error names the address)"),
    "outbox_message.dedupe_key": anonymise("sent messages: emptied"),
    "outbox_message.kind": keep("the kind of message"),
    "outbox_message.send_after": keep("when it was due"),
    "outbox_message.sent_at": keep("when it went"),
    "change_counter.name": keep("a cache version's name"),
}


def rule_for(table: str, column: str) -> Rule | None:
    """The rule that covers this column: its own, its table's, or the one every table has."""
    return RULES.get(f"{table}.{column}") or RULES.get(table) or COMMON.get(column)
