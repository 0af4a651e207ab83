"""The steps of `make bench` that run no server, on a few rows, so that a change of the app's interfaces cannot leave
the bench broken until its next run (a full run takes 20 minutes and is not part of `make test`)."""
from benchmarks import run


def test_the_mail_step_delivers_every_message_over_one_connection(tmp_path):
    mails = run.mail_delivery(5, tmp_path)
    assert (mails["messages"], mails["connections"]) == (5, 1)


def test_the_tick_step_applies_every_due_case(tmp_path):
    run.tick_seconds(20, tmp_path)  # the step asserts that every due case was applied


def _document(first, second, revalidated, status=(200, 304), browser_keeps=True):
    return {"first": first, "second": second, "revalidated": revalidated, "status": status,
            "browser_keeps": browser_keeps}


def test_a_document_the_browser_keeps_is_judged_by_its_revalidation():
    assert run.document_miss("agreements.agreement_pdf", _document(400, 30, 10)) is None
    assert run.document_miss("agreements.agreement_pdf", _document(400, 10, 30)) is not None
    assert run.document_miss("agreements.agreement_pdf", _document(400, 10, 10, status=(200, 200))) is not None


def test_a_document_kept_as_filed_need_not_be_faster_but_must_answer_304():
    assert run.document_miss("agreements.scanned_copy", _document(9, 9, 3)) is None
    assert run.document_miss("agreements.scanned_copy", _document(9, 9, 3, status=(200, 200))) is not None


def test_a_document_no_browser_may_keep_is_judged_by_its_stored_copy():
    private = dict(status=(200, 200), browser_keeps=False)
    assert run.document_miss("conference.participants_csv", _document(100, 4, 100, **private)) is None
    assert run.document_miss("conference.participants_csv", _document(100, 6, 1, **private)) is not None
    assert run.document_miss("conference.participants_csv", _document(100, 4, 4, status=(500, 200),
                                                                      browser_keeps=False)) is not None


def _measured(fifty_rows, hello=2000):
    return {"hello": {"rps": hello}, "50 rows": {"rps": fifty_rows}}


def test_a_page_is_judged_against_the_references_measured_just_before_and_after_it():
    # the machine slowed from 1 000 to 600 requests a second of the reference during the run
    references = [_measured(1000), _measured(800) | {"after": 25}, _measured(600)]
    early, late = {"rps": 430, "errors": 0, "references": 0}, {"rps": 360, "errors": 0, "references": 1}
    assert run.reference(early, references, "50 rows") == 900
    assert run.reference(late, references, "50 rows") == 700
    assert run.page_miss(early, references)  # under half of 900, though over half of the run's mean (800)
    assert not run.page_miss(late, references)  # half of 700, though under half of the run's mean
    assert run.page_miss(late | {"errors": 1}, references)
