"""The cases each audit row showed, indexed (audit.AuditCaseAppearance), and protected
by the database like the audit rows (audit/protection.py). Filled for the rows already
written by 0014."""

import django.db.models.deletion

from django.db import migrations, models


def install_protection(apps, schema_editor):
    from audit.protection import install

    install(schema_editor.connection)



class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0012_sign_in_admin_restriction_and_retention_event_types'),
        ('cases', '0009_case_anonymised_at'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='event_type',
            field=models.CharField(choices=[('case_viewed', 'Viewed the case'), ('case_created', 'Registered the case'), ('case_changed', 'Changed the case'), ('edd_revised', 'Revised the expected due date'), ('partner_added', 'Added a father or partner'), ('outcome_recorded', 'Recorded the pregnancy outcome'), ('baby_death_recorded', "Recorded a baby's death"), ('baby_death_withdrawn', "Withdrew a baby's death recorded in error"), ('facts_changed', 'Changed referral, assessment or birth facts'), ('milestone_done', 'Recorded a milestone as done'), ('milestone_not_applicable', 'Marked a milestone not applicable'), ('milestone_undone', 'Undid a recorded milestone'), ('timeline_viewed', "Viewed the case's timeline"), ('audit_viewed', "Viewed the case's audit log"), ('case_list_viewed', 'Searched or listed cases'), ('possible_duplicate_elsewhere', 'Registering a case, was told a possible match exists (no detail shown)'), ('meeting_scheduled', 'Scheduled a tracking meeting'), ('meeting_changed', 'Changed a tracking meeting'), ('meeting_viewed', 'Viewed a tracking meeting and its families'), ('invitations_sent', "Sent a meeting's invitations"), ('cohort_changed', "Changed a meeting's cohort"), ('discussion_recorded', "Recorded a family's discussion at a meeting"), ('action_changed', 'Agreed or updated a meeting action'), ('supervision_recorded', "Recorded a practitioner's supervision"), ('meeting_finalised', "Finalised a meeting's record"), ('addendum_added', 'Added an addendum to a finalised record'), ('meeting_exported', 'Exported a meeting record or case note'), ('referral_recorded', 'Recorded or changed the referral'), ('case_allocated', 'Allocated the case with directions'), ('work_recorded', 'Recorded a step of the assessment or plan'), ('work_changed', 'Changed a recorded step'), ('work_withdrawn', 'Withdrew a step recorded in error'), ('assessment_submitted', 'Sent the assessment for authorisation'), ('assessment_decided', 'Authorised or returned the assessment'), ('visit_recorded', 'Recorded a visit'), ('visit_withdrawn', 'Withdrew a visit recorded in error'), ('note_added', 'Added a case note'), ('note_withdrawn', 'Withdrew a case note written in error'), ('document_uploaded', 'Uploaded a document'), ('document_downloaded', 'Downloaded a document'), ('document_withdrawn', 'Withdrew a document'), ('document_virus_found', 'Tried to upload a file with a virus'), ('history_viewed', "Viewed the case's history"), ('history_exported', "Downloaded the case's history"), ('signed_in', 'Signed in'), ('sign_in_failed', 'Failed to sign in'), ('signed_out', 'Signed out'), ('password_changed', 'Changed their own password'), ('two_factor_enrolled', 'Set up two-factor sign-in'), ('two_factor_verified', 'Signed in with a code from their app'), ('two_factor_failed', 'Entered a wrong sign-in code'), ('recovery_code_used', 'Signed in with a recovery code'), ('recovery_codes_replaced', 'Made new recovery codes'), ('two_factor_reset', "Reset a person's two-factor sign-in"), ('admin_changed', 'Added, changed or deleted people or reference data'), ('admin_password_set', "Set another person's password"), ('session_ended', 'Signed out one of their sessions elsewhere'), ('access_refused', 'Was refused a page of case data (403 or 404)'), ('case_restricted', 'Restricted the case to named people'), ('restriction_changed', 'Changed who a restricted case is restricted to'), ('case_anonymised', 'Anonymised the case under the retention rules'), ('dpo_searched', "Searched for a family's case (data protection)"), ('restrictions_viewed', 'Viewed the list of restricted cases'), ('access_log_viewed', 'Viewed who has accessed the case'), ('access_log_exported', 'Downloaded who has accessed the case'), ('subject_access_exported', 'Downloaded everything held about the family (subject access)')], max_length=40),
        ),
        migrations.CreateModel(
            name='AuditCaseAppearance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(editable=False)),
                ('case', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.case')),
                ('event', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='appearances', to='audit.auditevent')),
            ],
            options={
                'indexes': [models.Index(fields=['case', '-at'], name='audit_audit_case_id_429a17_idx')],
                'constraints': [models.UniqueConstraint(fields=('event', 'case'), name='audit_appearance_once')],
            },
        ),
        migrations.RunPython(install_protection, migrations.RunPython.noop),
    ]
