"""The steps of `make bench` that run no server, on a few rows, so that a change of the app's interfaces cannot leave
the bench broken until its next run (a full run takes 20 minutes and is not part of `make test`)."""
from benchmarks import run


def test_the_mail_step_delivers_every_message_over_one_connection(tmp_path):
    mails = run.mail_delivery(5, tmp_path)
    assert (mails["messages"], mails["connections"]) == (5, 1)


def test_the_tick_step_applies_every_due_case(tmp_path):
    run.tick_seconds(20, tmp_path)  # the step asserts that every due case was applied
