"""Every route × every role has an expected outcome, for GET and for a POST with a valid CSRF token; a refused
POST writes nothing; CSRF on every POST; another municipality gets nothing."""
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from tests import security_world
from tests.conftest import Auth, csrf_token

ROLES = security_world.ROLES
LOGIN = "login"  # redirected to the sign-in page
# GET outcome per role, in the order of ROLES:
# anonymous, admin, adviser, municipality_contact (Lindås), signatory (Lindås), host_signatory (Bergen),
# project_member (UiB), steering_member (Helse Bergen), other_contact (Askøy). The objects are Lindås's case and
# issued agreement, a request from Voss, a draft subgroup proposed by the project member and a steering-group meeting.
GET_MATRIX = {
    "admin.audit_log": [LOGIN, 200, 200, 403, 403, 403, 403, 403, 403],
    "cases.document_pdf": [LOGIN, 200, 200, 200, 200, 200, 404, 404, 404],
    "cases.archive_export": [LOGIN, 200, 200, 200, 200, 200, 404, 404, 404],
    "cases.invitation_letter": [LOGIN, 200, 200, 200, 200, 200, 404, 404, 404],
    "calendar.feed": [404, 404, 404, 404, 404, 404, 404, 404, 404],
    "mailbox.reply": [404, 404, 404, 404, 404, 404, 404, 404, 404],  # public: the token is not a mailbox link
    "mailbox.join": [200, 200, 200, 200, 200, 200, 200, 200, 200],  # public
    "mailbox.join_sent": [200, 200, 200, 200, 200, 200, 200, 200, 200],  # public
    "mailbox.confirm_join": [404, 404, 404, 404, 404, 404, 404, 404, 404],  # public: the token is no join link
    "conference.public_page": [200, 200, 200, 200, 200, 200, 200, 200, 200],  # public
    "conference.registered": [200, 200, 200, 200, 200, 200, 200, 200, 200],  # public
    "conference.cancel": [404, 404, 404, 404, 404, 404, 404, 404, 404],  # public: the token is no cancel link
    # The project group and the adviser plan the conference; only the adviser sees who registered.
    "conference.conference_list": [LOGIN, 403, 200, 403, 403, 403, 200, 403, 403],
    "conference.conference_new": [LOGIN, 403, 200, 403, 403, 403, 200, 403, 403],
    "conference.conference_edit": [LOGIN, 403, 200, 403, 403, 403, 200, 403, 403],
    "conference.conference_page": [LOGIN, 403, 200, 403, 403, 403, 200, 403, 403],
    "conference.session_remove": [LOGIN, 403, 200, 403, 403, 403, 200, 403, 403],
    "conference.registration_cancel": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "conference.attendance": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "conference.participants_csv": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "conference.participants_xlsx": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "calendar.settings": [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200],
    "calendar.create": [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200],
    "calendar.revoke": [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200],  # no link: the page says so
    "cockpit.overview": [LOGIN, 200, 200, 403, 403, 403, 403, 403, 403],
    "cockpit.overview_csv": [LOGIN, 200, 200, 403, 403, 403, 403, 403, 403],
    "cockpit.timeline": [LOGIN, 200, 200, 403, 403, 403, 403, 403, 403],
    "contributions.party": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "meetings.annual_report_generate": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "meetings.annual_report_list": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "meetings.annual_report_pdf": [LOGIN, 404, 404, 404, 404, 404, 404, 404, 404],  # none made for the year
    "meetings.meeting_edit": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "meetings.meeting_list": [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200],
    "meetings.meeting_new": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "meetings.meeting_page": [LOGIN, 200, 200, 404, 404, 404, 404, 200, 404],
    "meetings.minutes_pdf": [LOGIN, 404, 404, 404, 404, 404, 404, 404, 404],
    "meetings.minutes_step": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],  # no minutes yet: the page says so
    # The agenda items and their documents: for whoever sees the meeting; the adviser changes them.
    "meeting_items.item_new": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "meeting_items.item_page": [LOGIN, 200, 200, 404, 404, 404, 404, 200, 404],
    "meeting_items.item_edit": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "meeting_items.item_remove": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    # An uploaded file: served to whoever sees the meeting, inert (the security headers checked below).
    "meeting_items.item_document": [LOGIN, 200, 200, 404, 404, 404, 404, 200, 404],
    "meeting_items.document_remove": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "admin.anonymise": [LOGIN, 200, 403, 403, 403, 403, 403, 403, 403],
    "admin.person_data": [LOGIN, 200, 403, 403, 403, 403, 403, 403, 403],
    "admin.outbox": [LOGIN, 200, 200, 403, 403, 403, 403, 403, 403],
    "admin.outbox_message": [LOGIN, 200, 200, 403, 403, 403, 403, 403, 403],
    "admin.user_edit": [LOGIN, 200, 403, 403, 403, 403, 403, 403, 403],
    "admin.user_invite": [LOGIN, 200, 403, 403, 403, 403, 403, 403, 403],
    "admin.user_list": [LOGIN, 200, 403, 403, 403, 403, 403, 403, 403],
    "admin.user_new": [LOGIN, 200, 403, 403, 403, 403, 403, 403, 403],
    # each sees only their own municipality's; the university and the health trust have none (access.sees_memberships)
    "agreements.agreement_list": [LOGIN, 200, 200, 200, 200, 200, 403, 403, 200],
    "agreements.agreement_page": [LOGIN, 200, 200, 200, 200, 200, 404, 404, 404],
    "agreements.agreement_pdf": [LOGIN, 200, 200, 200, 200, 200, 404, 404, 404],
    "agreements.check": [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200],  # anyone signed in checks a PDF
    "agreements.issue": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "agreements.notice": [LOGIN, 403, 403, 403, 200, 200, 404, 404, 404],
    "agreements.renew": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "agreements.scanned_copy": [LOGIN, 404, 404, 404, 404, 404, 404, 404, 404],  # no scanned copy in this world
    "agreements.sign": [LOGIN, 403, 403, 403, 200, 200, 404, 404, 404],
    "agreements.upload": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "approvals.detail": [LOGIN, 404, 200, 404, 404, 404, 404, 404, 404],
    "approvals.approve": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "approvals.reject": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "approvals.cancel": [LOGIN, 404, 200, 404, 404, 404, 404, 404, 404],  # the adviser is told only Voss may
    "approvals.mailbox_contact": [LOGIN, 403, 404, 403, 403, 403, 403, 403, 403],  # no answer from a mailbox here
    "approvals.mailbox_decline": [LOGIN, 403, 404, 403, 403, 403, 403, 403, 403],
    "approvals.inbox": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "approvals.join_request": [LOGIN, 403, 404, 403, 403, 403, 403, 403, 403],  # no request to join here
    "auth.accept_invitation": [404, 404, 404, 404, 404, 404, 404, 404, 404],
    "auth.change_password": [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200],
    "auth.choose_password": [404, 404, 404, 404, 404, 404, 404, 404, 404],  # no link opened in this browser
    "auth.login": [200, 302, 302, 302, 302, 302, 302, 302, 302],
    "auth.forgot_password": [200, 302, 302, 302, 302, 302, 302, 302, 302],  # public
    # No provider is configured in this world (tests/test_oidc_sign_in.py has one); no first sign-in waits in these
    # browsers, so its pages send them to the sign-in page.
    "identity.callback": [404, 404, 404, 404, 404, 404, 404, 404, 404],
    "identity.choose": [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN],
    "identity.enter_code": [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN],
    "identity.requests": [LOGIN, 200, 403, 403, 403, 403, 403, 403, 403],
    "identity.decide": [LOGIN, 404, 403, 403, 403, 403, 403, 403, 403],  # no such request
    "cases.action": [LOGIN, 200, 200, 200, 200, 200, 404, 404, 404],
    "cases.case_list": [LOGIN, 200, 200, 200, 200, 200, 403, 403, 200],  # as the agreements
    "cases.case_page": [LOGIN, 200, 200, 200, 200, 200, 404, 404, 404],
    "cases.diagram": [LOGIN, 200, 200, 200, 200, 200, 404, 404, 404],
    "invitations.extend_case": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "invitations.extend_round": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "invitations.invite_more": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "invitations.remind": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "invitations.round_list": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "invitations.round_new": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "invitations.round_page": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "members.contact": [LOGIN, 403, 200, 200, 403, 403, 404, 404, 404],
    "contributions.contribution": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "contributions.payment": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "contributions.cancel": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "contributions.contribution_list": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "contributions.invoice_basis_page": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "contributions.invoice_basis_csv": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "contributions.invoice_basis_xlsx": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "evaluations.evaluation": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "evaluations.evaluation_answer": [LOGIN, 404, 404, 200, 200, 404, 404, 404, 404],
    "evaluations.evaluation_close": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "evaluations.evaluation_list": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "members.index": [LOGIN, 200, 200, 302, 302, 200, 403, 403, 302],  # a municipality is sent to its own page
    "members.organisation": [LOGIN, 200, 200, 200, 200, 200, 404, 404, 404],
    "members.propose": [LOGIN, 403, 200, 200, 403, 403, 404, 404, 404],
    # The term is the adviser's own entry, so no step is the municipality's; the adviser is told why not.
    "members.action": [LOGIN, 403, 200, 403, 403, 403, 404, 404, 404],
    "municipality.home": [LOGIN, 403, 403, 200, 403, 403, 403, 403, 200],
    "municipality.invitation": [LOGIN, 403, 403, 200, 403, 403, 403, 403, 404],
    "municipality.late_reply": [LOGIN, 403, 403, 302, 403, 403, 403, 403, 404],  # before the deadline: to the reply
    "municipality.receipt": [LOGIN, 403, 403, 404, 403, 403, 403, 403, 404],     # no answer given yet
    "municipality.reply": [LOGIN, 403, 200, 200, 403, 403, 403, 403, 404],  # the adviser registers a letter
    "main.accessibility": [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "main.healthz": [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "main.home": [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200],
    "main.privacy": [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "organisations.change": [LOGIN, 200, 200, 403, 403, 403, 403, 403, 403],
    "organisations.details": [LOGIN, 200, 200, 403, 403, 403, 403, 403, 403],
    "organisations.merger": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "organisations.organisation_list": [LOGIN, 200, 200, 403, 403, 403, 403, 403, 403],
    "organisations.organisation_new": [LOGIN, 200, 200, 403, 403, 403, 403, 403, 403],
    "organisations.organisation_page": [LOGIN, 200, 200, 403, 403, 403, 403, 403, 403],
    "subgroups.action": [LOGIN, 200, 200, 404, 404, 404, 200, 404, 404],
    "subgroups.diagram": [LOGIN, 200, 200, 404, 404, 404, 200, 404, 404],
    "subgroups.edit": [LOGIN, 403, 403, 403, 403, 403, 200, 403, 403],
    "subgroups.members": [LOGIN, 403, 403, 404, 404, 404, 403, 404, 404],
    "subgroups.new": [LOGIN, 403, 403, 403, 403, 403, 200, 403, 403],
    "subgroups.remove_member": [LOGIN, 403, 403, 404, 404, 404, 403, 404, 404],
    "cost_keys.key_list": [LOGIN, 200, 200, 403, 403, 403, 403, 200, 403],
    "cost_keys.key_page": [LOGIN, 200, 200, 403, 403, 403, 403, 200, 403],
    "cost_keys.new": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "cost_keys.edit": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "cost_keys.action": [LOGIN, 404, 404, 403, 403, 403, 403, 404, 403],  # the key's workflow has no "withdraw"
    "cost_keys.decide": [LOGIN, 200, 200, 403, 403, 403, 403, 200, 403],  # a draft: the page says why not
    "cost_keys.export_csv": [LOGIN, 404, 404, 403, 403, 403, 403, 404, 403],  # a draft is not exported
    "cost_keys.export_xlsx": [LOGIN, 404, 404, 403, 403, 403, 403, 404, 403],
    "subgroups.subgroup_list": [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200],
    "public.home": [200, 200, 200, 200, 200, 200, 200, 200, 200],  # public
    "public.about": [200, 200, 200, 200, 200, 200, 200, 200, 200],  # public
    "public.members": [200, 200, 200, 200, 200, 200, 200, 200, 200],  # public
    "public.groups": [200, 200, 200, 200, 200, 200, 200, 200, 200],  # public
    "public.subgroups": [200, 200, 200, 200, 200, 200, 200, 200, 200],  # public
    "public.news_list": [200, 200, 200, 200, 200, 200, 200, 200, 200],  # public
    "public.news_item": [200, 200, 200, 200, 200, 200, 200, 200, 200],  # public: a published item
    "sitemap.sitemap": [200, 200, 200, 200, 200, 200, 200, 200, 200],  # public
    "news.news_list": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "news.new": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "news.edit": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "news.step": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],  # the confirmation before taking it down
    "subgroups.subgroup_page": [LOGIN, 200, 200, 404, 404, 404, 200, 404, 404],
}
# POST outcome per role, in the order of ROLES, for a form carrying only a valid CSRF token: a role that may gets
# the form back with its errors (200) or its step taken (302); the others are refused. Each role posts to every
# route in turn (see _post_order) on one world, so a step taken stays taken for the routes after it.
POST_MATRIX = {
    "admin.user_edit": [LOGIN, 302, 403, 403, 403, 403, 403, 403, 403],
    "admin.user_invite": [LOGIN, 409, 403, 403, 403, 403, 403, 403, 403],  # deactivated by the row above: refused
    "admin.user_new": [LOGIN, 200, 403, 403, 403, 403, 403, 403, 403],
    "agreements.check": [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200],  # no file: the form says so
    "agreements.issue": [LOGIN, 403, 409, 403, 403, 403, 403, 403, 403],  # the case is not accepted yet
    "agreements.notice": [LOGIN, 403, 403, 403, 409, 409, 404, 404, 404],  # the agreement is not in force
    "agreements.renew": [LOGIN, 403, 409, 403, 403, 403, 403, 403, 403],
    "agreements.sign": [LOGIN, 403, 403, 403, 200, 200, 404, 404, 404],
    "agreements.upload": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "approvals.approve": [LOGIN, 403, 302, 403, 403, 403, 403, 403, 403],
    "approvals.cancel": [LOGIN, 404, 403, 404, 404, 404, 404, 404, 404],  # only the requester (in Voss) may
    "approvals.mailbox_contact": [LOGIN, 403, 404, 403, 403, 403, 403, 403, 403],  # no answer from a mailbox here
    "approvals.mailbox_decline": [LOGIN, 403, 404, 403, 403, 403, 403, 403, 403],
    "approvals.reject": [LOGIN, 403, 409, 403, 403, 403, 403, 403, 403],  # approved by the row above
    "approvals.join_request": [LOGIN, 403, 404, 403, 403, 403, 403, 403, 403],  # no request to join here
    "auth.change_password": [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200],
    "auth.choose_password": [404, 404, 404, 404, 404, 404, 404, 404, 404],
    "auth.login": [400, 302, 302, 302, 302, 302, 302, 302, 302],
    "auth.forgot_password": [400, 302, 302, 302, 302, 302, 302, 302, 302],  # no address given
    "identity.start": [404, 404, 404, 404, 404, 404, 404, 404, 404],  # no provider configured here
    "identity.send_code": [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN],
    "identity.enter_code": [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN],
    "identity.request_access": [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN],
    "identity.decide": [LOGIN, 404, 403, 403, 403, 403, 403, 403, 403],
    "auth.logout": [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN],
    "auth.open_password_link": [400, 409, 409, 409, 409, 409, 409, 409, 409],  # no token; signed in: log out first
    "calendar.create": [LOGIN, 302, 302, 302, 302, 302, 302, 302, 302],
    "calendar.revoke": [LOGIN, 302, 302, 302, 302, 302, 302, 302, 302],
    "cases.action": [LOGIN, 403, 200, 403, 403, 403, 404, 404, 404],  # withdrawing needs a comment
    "invitations.extend_case": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "invitations.extend_round": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "invitations.invite_more": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "invitations.remind": [LOGIN, 403, 302, 403, 403, 403, 403, 403, 403],
    "invitations.round_new": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "conference.public_page": [200, 200, 200, 200, 200, 200, 200, 200, 200],  # public; nothing typed: the form again
    "conference.cancel": [404, 404, 404, 404, 404, 404, 404, 404, 404],  # public: the token is no cancel link
    "conference.conference_new": [LOGIN, 403, 200, 403, 403, 403, 200, 403, 403],  # nothing typed: the form again
    "conference.conference_edit": [LOGIN, 403, 200, 403, 403, 403, 200, 403, 403],
    "conference.conference_page": [LOGIN, 403, 200, 403, 403, 403, 200, 403, 403],  # no programme item typed: the form again
    "conference.session_remove": [LOGIN, 403, 302, 403, 403, 403, 302, 403, 403],
    "conference.registration_cancel": [LOGIN, 403, 302, 403, 403, 403, 403, 403, 403],
    "conference.attendance": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],  # before the day: refused on the form
    "main.set_language": [302, 302, 302, 302, 302, 302, 302, 302, 302],
    "news.new": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],  # an empty form: the errors again
    "news.edit": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],  # published: not changed, the page again
    "news.step": [LOGIN, 403, 302, 403, 403, 403, 403, 403, 403],
    "mailbox.reply": [404, 404, 404, 404, 404, 404, 404, 404, 404],  # public: the token is not a mailbox link
    "mailbox.join": [200, 200, 200, 200, 200, 200, 200, 200, 200],  # public; nothing chosen: the form again
    "mailbox.confirm_join": [404, 404, 404, 404, 404, 404, 404, 404, 404],  # public: the token is no join link
    "meetings.annual_report_generate": [LOGIN, 403, 302, 403, 403, 403, 403, 403, 403],
    "meetings.attendance": [LOGIN, 403, 302, 403, 403, 403, 403, 403, 403],
    "meetings.meeting_edit": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "meetings.meeting_new": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "meetings.minutes": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "meetings.minutes_step": [LOGIN, 403, 409, 403, 403, 403, 403, 403, 403],  # no minutes to put forward
    "meeting_items.item_new": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],  # nothing typed: the form again
    "meeting_items.item_edit": [LOGIN, 403, 302, 403, 403, 403, 403, 403, 403],  # nothing changed: not saved
    "meeting_items.item_move": [LOGIN, 403, 302, 403, 403, 403, 403, 403, 403],  # the only item: stays
    "meeting_items.item_decision": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],  # before the meeting: refused
    "meeting_items.item_attach": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],  # no file: the form again
    "meeting_items.item_remove": [LOGIN, 403, 302, 403, 403, 403, 403, 403, 403],
    "meeting_items.document_remove": [LOGIN, 403, 302, 403, 403, 403, 403, 403, 403],
    "members.contact": [LOGIN, 403, 200, 200, 403, 403, 404, 404, 404],
    "contributions.contribution": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],  # no invoice date: the form again
    "contributions.payment": [LOGIN, 403, 409, 403, 403, 403, 403, 403, 403],  # not invoiced yet
    "contributions.cancel": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],  # no reason: the form again
    # The adviser's own entry is in office: withdrawing it is no longer possible; no step is anyone else's.
    "members.action": [LOGIN, 403, 409, 403, 403, 403, 404, 404, 404],
    "evaluations.evaluation_answer": [LOGIN, 404, 404, 200, 403, 404, 404, 404, 404],  # the signatory only reads
    "evaluations.evaluation_close": [LOGIN, 403, 302, 403, 403, 403, 403, 403, 403],
    "evaluations.evaluation_list": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "members.propose": [LOGIN, 403, 200, 200, 403, 403, 404, 404, 404],
    "municipality.late_reply": [LOGIN, 403, 403, 302, 403, 403, 403, 403, 404],  # before the deadline: to the reply
    "municipality.reply": [LOGIN, 403, 200, 200, 403, 403, 403, 403, 404],
    "organisations.change": [LOGIN, 200, 200, 403, 403, 403, 403, 403, 403],  # nothing to record: the form again
    "organisations.details": [LOGIN, 302, 302, 403, 403, 403, 403, 403, 403],  # nothing posted: nothing changes
    "organisations.merger": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],  # nothing asked: the form again
    "organisations.organisation_new": [LOGIN, 200, 200, 403, 403, 403, 403, 403, 403],
    "admin.anonymise": [LOGIN, 302, 403, 403, 403, 403, 403, 403, 403],
    "admin.person_export": [LOGIN, 200, 403, 403, 403, 403, 403, 403, 403],
    "subgroups.action": [LOGIN, 403, 403, 404, 404, 404, 302, 404, 404],
    "subgroups.edit": [LOGIN, 403, 403, 403, 403, 403, 200, 403, 403],
    "subgroups.members": [LOGIN, 403, 403, 404, 404, 404, 403, 404, 404],
    "subgroups.new": [LOGIN, 403, 403, 403, 403, 403, 200, 403, 403],
    "subgroups.remove_member": [LOGIN, 403, 403, 404, 404, 404, 403, 404, 404],
    "cost_keys.new": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],  # nothing typed: the form again
    "cost_keys.edit": [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403],
    "cost_keys.action": [LOGIN, 404, 404, 403, 403, 403, 403, 404, 403],
    # A draft is not for the steering group yet (409); the adviser drafted it (403).
    "cost_keys.decide": [LOGIN, 403, 403, 403, 403, 403, 403, 409, 403],
}
# Who changes the database with such a POST; every other row must leave every table as it was.
POST_WRITERS = {
    "news.step": {"adviser"},
    "admin.user_edit": {"admin"},
    "approvals.approve": {"adviser"},
    "invitations.remind": {"adviser"},
    "calendar.create": set(ROLES) - {"anonymous"},
    "calendar.revoke": set(ROLES) - {"anonymous"},
    "meetings.attendance": {"adviser"},
    "meeting_items.item_remove": {"adviser"},
    "meeting_items.document_remove": {"adviser"},
    "meetings.annual_report_generate": {"adviser"},
    "evaluations.evaluation_close": {"adviser"},
    "admin.anonymise": {"admin"},
    "admin.person_export": {"admin"},  # the export itself is audited
    "subgroups.action": {"project_member"},
    "conference.session_remove": {"adviser", "project_member"},
    "conference.registration_cancel": {"adviser"},
}
ARG_OVERRIDES = {"subgroups.action": {"trigger": "submit"}, "news.step": {"trigger": "unpublish"},
                 "meetings.minutes_step": {"trigger": "submit"}}
# Workflow steps beyond the one each row above posts, with a comment (and a decision date): the route, the world's
# ids it takes, the outcome per role in the order of ROLES, and who changes the database with it.
STEP_MATRIX = {
    # A step with a page of its own is never taken here: every viewer is sent to the reply page, nothing changes.
    "accept": ("cases.action", {"trigger": "accept"}, [LOGIN, 303, 303, 303, 303, 303, 404, 404, 404], set()),
    # Declining to sign is the municipality's: Bergen's signatory signs for Bergen but declines for nobody.
    "decline_signing": ("cases.action", {"case_id": "member_case_id", "trigger": "decline_signing"},
                        [LOGIN, 403, 403, 403, 302, 409, 404, 404, 404], {"signatory"}),
    # Closing is for the chair (the steering member) or the adviser, not for a project member in the group.
    # Only a steering-group member sends a submitted key back; the adviser who drafted it may not.
    "return_key": ("cost_keys.action", {"key_id": "submitted_key_id", "trigger": "return_for_changes"},
                   [LOGIN, 403, 403, 403, 403, 403, 403, 302, 403], {"steering_member"}),
    "close": ("subgroups.action", {"subgroup_id": "established_subgroup_id", "trigger": "close"},
              [LOGIN, 403, 302, 403, 403, 403, 403, 302, 403], {"adviser", "steering_member"}),
}
NOT_ROUTES = {"static"}
# Sign-in bookkeeping that every request may touch.
# Written by signing in and by reading (a page's stored copy, app/views.py: stored), never by a refused step.
READ_BOOKKEEPING = {"login_session", "login_attempt", "stored_document", "rendered_pdf"}


def _path(rule, world) -> str:
    values = {name: world.ids.get(name, 1) for name in rule.arguments}
    values.update(ARG_OVERRIDES.get(rule.endpoint, {}))
    return rule.build(values, append_unknown=False)[1]


def _outcome(response) -> int | str:
    if response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login":
        return LOGIN
    return response.status_code


def _rules(app, method):
    return [r for r in app.url_map.iter_rules() if method in r.methods and r.endpoint not in NOT_ROUTES]


@pytest.fixture
def world(app, orgs):
    return security_world.build(app, orgs)


def _client(app, orgs, world, role):
    client = app.test_client()
    if role != "anonymous":
        Auth(client, orgs).login(world.users[role])
    return client


def _post_order(rule) -> tuple:
    """Workflow steps after the other routes, so those find the subgroup still a draft; signing out last."""
    return rule.endpoint == "auth.logout", rule.endpoint.endswith(".action"), rule.endpoint


def test_every_route_has_a_row(app):
    for method, matrix in (("GET", GET_MATRIX), ("POST", POST_MATRIX)):
        endpoints = {r.endpoint for r in _rules(app, method)}
        missing = endpoints - set(matrix)
        assert missing == set(), f"add these routes to the {method} security matrix: {sorted(missing)}"
        assert set(matrix) <= endpoints, f"the {method} matrix names routes that take no {method}"
    assert set(POST_WRITERS) <= set(POST_MATRIX)


@pytest.mark.parametrize("role", ROLES)
def test_get_matrix(app, orgs, world, role):
    client = _client(app, orgs, world, role)
    observed, expected = {}, {}
    for rule in _rules(app, "GET"):
        response = client.get(_path(rule, world))
        observed[rule.endpoint] = _outcome(response)
        expected[rule.endpoint] = GET_MATRIX[rule.endpoint][ROLES.index(role)]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert observed == expected


def _snapshot() -> dict:
    """Every row of every table, but the sign-in bookkeeping."""
    return {t.name: db.session.execute(select(t).order_by(*t.primary_key.columns)).all()
            for t in db.metadata.sorted_tables if t.name not in READ_BOOKKEEPING}


@pytest.mark.parametrize("role", ROLES)
def test_post_matrix(app, orgs, world, role):
    client = _client(app, orgs, world, role)
    token = csrf_token(client, "/login" if role == "anonymous" else "/")
    observed, wrote = {}, set()
    before = _snapshot()
    for rule in sorted(_rules(app, "POST"), key=_post_order):
        response = client.post(_path(rule, world), data={"csrf_token": token})
        observed[rule.endpoint] = _outcome(response)
        after = _snapshot()
        if after != before:
            wrote.add(rule.endpoint)
        before = after
    assert observed == {endpoint: row[ROLES.index(role)] for endpoint, row in POST_MATRIX.items()}
    assert wrote == {endpoint for endpoint, roles in POST_WRITERS.items() if role in roles}


@pytest.mark.parametrize("role", ROLES)
def test_step_matrix(app, orgs, world, role):
    client = _client(app, orgs, world, role)
    token = csrf_token(client, "/login" if role == "anonymous" else "/")
    observed, wrote = {}, set()
    for name, (endpoint, args, _, _) in STEP_MATRIX.items():
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        values = {arg: world.ids.get(args.get(arg, arg), args.get(arg)) for arg in rule.arguments}
        before = _snapshot()
        response = client.post(rule.build(values, append_unknown=False)[1], data={
            "csrf_token": token, "comment": "Begrunnelse.", "decided_on": "2026-11-20"})
        observed[name] = _outcome(response)
        if _snapshot() != before:
            wrote.add(name)
    assert observed == {name: row[ROLES.index(role)] for name, (_, _, row, _) in STEP_MATRIX.items()}
    assert wrote == {name for name, (_, _, _, writers) in STEP_MATRIX.items() if role in writers}


@pytest.mark.parametrize("token", [None, "feil-token"])
def test_every_post_without_valid_csrf_token_is_refused(app, orgs, world, token):
    client = _client(app, orgs, world, "admin")
    before = _snapshot()
    for rule in _rules(app, "POST"):
        data = {"csrf_token": token} if token else {}
        response = client.post(_path(rule, world), data=data)
        assert response.status_code == 400, rule.endpoint
    assert _snapshot() == before


def test_other_municipality_cannot_touch_lindas_objects(app, orgs, world):
    """A contact and a signatory from Voss: every route about Lindås's case, membership or agreement answers
    403/404 and writes nothing."""
    from tests import factories

    voss_users = [factories.user("municipality_contact", organisation=orgs["Voss"]),
                  factories.user("signatory", organisation=orgs["Voss"])]
    db.session.commit()
    lindas_routes = [r for r in app.url_map.iter_rules() if r.arguments & {"case_id", "org_id", "agreement_id"}]
    assert lindas_routes
    for user in voss_users:
        client = app.test_client()
        Auth(client, orgs).login(user)
        token = csrf_token(client, "/")
        before = _snapshot()
        for rule in lindas_routes:
            path = _path(rule, world)
            assert client.get(path).status_code in (403, 404), rule.endpoint
            if "POST" in rule.methods:
                response = client.post(path, data={"csrf_token": token, "comment": "Forsøk"})
                assert response.status_code in (403, 404), rule.endpoint
        assert _snapshot() == before
