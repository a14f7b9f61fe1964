"""The pre-birth assessment: its 15 areas as a task list, and the team manager's authorisation."""
