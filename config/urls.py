from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cases import views as case_views
from dashboards import views as dashboard_views
from meetings import views as meeting_views
from meetings import views_actions as action_views
from meetings import views_exports as meeting_export_views
from meetings import views_invitations as invitation_views
from timeline import views as timeline_views
from web import two_factor as two_factor_views
from web import views as web_views
from web.forms import SignInForm

urlpatterns = [
    path("", web_views.home, name="home"),
    # The pre-birth assessment as work done in the service: each step's app.
    path("", include("referrals.urls")),
    path("", include("assessments.urls")),
    path("", include("checkpoints.urls")),
    path("", include("plans.urls")),
    path("", include("postnatal.urls")),
    path("", include("visits.urls")),
    path("", include("documents.urls")),
    path("", include("history.urls")),
    path("", include("dataprotection.urls")),
    path(
        "sign-in/",
        web_views.SignInView.as_view(
            template_name="registration/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("sign-in/code/", two_factor_views.verify, name="two_factor_verify"),
    path("sign-in/set-up/", two_factor_views.setup, name="two_factor_setup"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/sessions/", web_views.sessions, name="sessions"),
    path("account/recovery-codes/", two_factor_views.recovery_codes, name="recovery_codes"),
    path("session/keep-alive/", web_views.session_keep_alive, name="session_keep_alive"),
    path("account/password/", web_views.ChangePasswordView.as_view(), name="password_change"),
    path("my-work/", dashboard_views.my_work, name="my_work"),
    path("team/", dashboard_views.team, name="team"),
    path("locality/", dashboard_views.locality, name="locality"),
    path("cases/", case_views.case_list, name="case_list"),
    path("cases/new/", case_views.case_register, name="case_register"),
    path("cases/<uuid:case_id>/", case_views.case_detail, name="case_detail"),
    path(
        "cases/<uuid:case_id>/details/", case_views.case_details_change, name="case_details_change"
    ),
    path("cases/<uuid:case_id>/edd/", case_views.edd_revise, name="edd_revise"),
    path("cases/<uuid:case_id>/partners/new/", case_views.partner_add, name="partner_add"),
    path("cases/<uuid:case_id>/outcome/", case_views.outcome_record, name="outcome_record"),
    path(
        "cases/<uuid:case_id>/babies/<int:birth_order>/death/",
        case_views.baby_death_record,
        name="baby_death_record",
    ),
    path(
        "cases/<uuid:case_id>/babies/<int:birth_order>/death/withdraw/",
        case_views.baby_death_withdraw,
        name="baby_death_withdraw",
    ),
    path("cases/<uuid:case_id>/audit/", case_views.case_audit, name="case_audit"),
    path("cases/<uuid:case_id>/restriction/", case_views.case_restrict, name="case_restrict"),
    path(
        "cases/<uuid:case_id>/restriction/lift/",
        case_views.case_unrestrict,
        name="case_unrestrict",
    ),
    path("cases/<uuid:case_id>/facts/", case_views.case_facts_change, name="case_facts_change"),
    path("cases/<uuid:case_id>/timeline/", timeline_views.case_timeline, name="case_timeline"),
    path(
        "cases/<uuid:case_id>/timeline/<slug:milestone_id>/",
        timeline_views.milestone_record,
        name="milestone_record",
    ),
    # Meeting invitations.
    path(
        "meetings/<uuid:meeting_id>/invitations/",
        invitation_views.invitations_send,
        name="invitations_send",
    ),
    path(
        "meetings/<uuid:meeting_id>/calendar.ics",
        invitation_views.meeting_calendar,
        name="meeting_calendar",
    ),
    # Tracking meetings.
    path("meetings/", meeting_views.meeting_list, name="meeting_list"),
    path("meetings/new/", meeting_views.meeting_schedule, name="meeting_schedule"),
    path("meetings/<uuid:meeting_id>/", meeting_views.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:meeting_id>/pack/", meeting_views.meeting_pack_page, name="meeting_pack"),
    path(
        "meetings/<uuid:meeting_id>/cohort/propose/",
        meeting_views.cohort_propose,
        name="cohort_propose",
    ),
    path("meetings/<uuid:meeting_id>/cohort/add/", meeting_views.cohort_add, name="cohort_add"),
    path(
        "meetings/<uuid:meeting_id>/cohort/<int:discussion_id>/remove/",
        meeting_views.cohort_remove,
        name="cohort_remove",
    ),
    path(
        "meetings/<uuid:meeting_id>/finalise/",
        meeting_views.meeting_finalise,
        name="meeting_finalise",
    ),
    path(
        "meetings/<uuid:meeting_id>/addenda/new/", meeting_views.addendum_add, name="addendum_add"
    ),
    # Tracking meeting exports: the record (Appendix 1), the pack, the case notes (Appendix 2).
    path(
        "meetings/<uuid:meeting_id>/record.docx",
        meeting_export_views.record_docx,
        name="meeting_record_docx",
    ),
    path(
        "meetings/<uuid:meeting_id>/record.pdf",
        meeting_export_views.record_pdf,
        name="meeting_record_pdf",
    ),
    path(
        "meetings/<uuid:meeting_id>/pack.pdf",
        meeting_export_views.pack_pdf,
        name="meeting_pack_pdf",
    ),
    path(
        "meetings/<uuid:meeting_id>/case-notes/",
        meeting_export_views.case_notes,
        name="meeting_case_notes",
    ),
    path(
        "meetings/<uuid:meeting_id>/case-notes/<int:discussion_id>.docx",
        meeting_export_views.case_note_docx,
        name="meeting_case_note_docx",
    ),
    path("accessibility/", web_views.accessibility, name="accessibility"),
    path("privacy/", web_views.privacy, name="privacy"),
    path("healthz", web_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Meeting action log.
    path("meetings/actions/", action_views.action_log_page, name="action_log"),
    path("meetings/actions.csv", action_views.action_log_csv, name="action_log_csv"),
    path("meetings/actions/done/", action_views.action_done, name="action_done"),
]

handler403 = "web.errors.forbidden"
handler404 = "web.errors.not_found"
handler500 = "web.errors.server_error"
