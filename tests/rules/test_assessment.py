"""The assessment's rules: the 15 areas from the procedure, completing the analysis last,
submitting only when all are completed, and no self-approval."""

from hypothesis import given
from hypothesis import strategies as st

from rules import assessment as rules

statuses_strategy = st.fixed_dictionaries(
    {code: st.sampled_from(rules.AREA_STATUSES) for code in rules.AREA_CODES}
)
ALL_DONE = dict.fromkeys(rules.AREA_CODES, rules.COMPLETED)


def test_the_procedure_lists_fifteen_areas_each_with_its_own_words_as_hint():
    assert len(rules.AREAS) == 15
    assert len(set(rules.AREA_CODES)) == 15
    assert rules.AREAS_BY_CODE["parental_history"].hint.startswith("Parental history ie previous")
    assert "safer sleeping" in rules.AREAS_BY_CODE["parenting_assessment"].hint
    # The procedure lists the analysis before the discharge plan; it is written from every
    # other area, so the task list puts it last, where a worker going down the list meets it.
    assert rules.AREA_CODES[-2:] == ("discharge_plan", "analysis")


def test_an_empty_area_cannot_be_completed():
    problem = rules.completion_problem("accommodation", "  \n ", {})
    assert problem == "Enter the accommodation before marking it as completed"


def test_the_analysis_names_the_areas_still_to_complete():
    statuses = {**ALL_DONE, "substance_misuse": rules.IN_PROGRESS,
                "discharge_plan": rules.NOT_STARTED}  # fmt: skip
    problem = rules.completion_problem("analysis", "Risks balanced", statuses)
    assert problem == (
        "The analysis is written from the other areas: complete substance misuse and"
        " discharge plan first"
    )
    assert rules.completion_problem("analysis", "Risks balanced", ALL_DONE) is None


def test_a_worked_example_of_authorisation():
    mark, priya, jo = 1, 2, 3
    assert rules.may_authorise(user_id=mark, is_team_manager=True, author_ids=frozenset({priya}),
                               submitter_id=priya)  # fmt: skip
    assert not rules.may_authorise(user_id=mark, is_team_manager=True,
                                   author_ids=frozenset({mark}), submitter_id=priya)  # fmt: skip
    assert not rules.may_authorise(user_id=mark, is_team_manager=True,
                                   author_ids=frozenset({priya}), submitter_id=mark)  # fmt: skip
    assert (
        rules.authorisation_refusal(
            user_id=jo, is_team_manager=False, author_ids=frozenset({priya}), submitter_id=priya
        )
        == "Only a team manager can authorise an assessment"
    )


@given(statuses_strategy, st.sampled_from(rules.AREA_CODES), st.text())
def test_the_analysis_is_never_completable_while_another_area_is_not(statuses, code, text):
    others_done = all(statuses[c] == rules.COMPLETED for c in rules.AREA_CODES
                      if c != rules.ANALYSIS)  # fmt: skip
    problem = rules.completion_problem(code, text, statuses)
    if not text.strip():
        assert problem is not None
    elif code == rules.ANALYSIS:
        assert (problem is None) == others_done
    else:
        assert problem is None


@given(statuses_strategy)
def test_an_assessment_is_submitted_only_with_all_fifteen_completed(statuses):
    complete = all(status == rules.COMPLETED for status in statuses.values())
    assert rules.may_submit(statuses) == complete
    assert (rules.submission_problem(statuses) is None) == complete


@given(st.sampled_from(rules.AREA_STATUSES), st.text(), st.sampled_from(rules.SAVE_ACTIONS))
def test_a_saved_area_is_completed_only_when_marked_and_never_started_without_text(
    current, text, action
):
    status = rules.status_after_save(current, text, action)
    assert (status == rules.COMPLETED) == (action == rules.COMPLETE)
    if action == rules.DRAFT:
        assert status == (rules.IN_PROGRESS if text.strip() else rules.NOT_STARTED)


@given(
    user=st.integers(0, 5),
    manager=st.booleans(),
    authors=st.frozensets(st.integers(0, 5), min_size=1),
    submitter=st.integers(0, 5),
)
def test_no_one_authorises_what_they_wrote_or_sent_and_only_team_managers_do(
    user, manager, authors, submitter
):
    allowed = rules.may_authorise(
        user_id=user, is_team_manager=manager, author_ids=authors, submitter_id=submitter
    )
    assert allowed == (manager and user not in authors and user != submitter)
