"""E-mails to the people a workflow event concerns, sent by a task after commit."""

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from factcheck import workflow
from factcheck.models import ReviewEvent
from factcheck.services.notifications import review_event_notify
from tests.factories import EditorFactory, FactCheckerFactory, claim_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Take a transition and run what it queued, as the commit would."""

    def take(claim, name, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return workflow.transition(claim, name, **kwargs)

    return take


def test_assign_mails_the_new_assignee_after_commit(editor, django_capture_on_commit_callbacks):
    assignee = FactCheckerFactory(first_name="Ana", last_name="Silva")
    claim = claim_in_state("selected", text="Crime fell by 20% last year, the mayor said.")
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.transition(claim, "assign", user=editor, assignee=assignee, note="Urgent, please.")
    assert mail.outbox == []  # not before the commit

    for callback in callbacks:
        callback()

    [message] = mail.outbox
    assert message.to == [assignee.email]
    assert (
        message.subject == "[Fact-check Desk] Assigned to you: Crime fell by 20% last year, the mayor said."
    )
    assert "Hello Ana Silva," in message.body
    assert "Urgent, please." in message.body
    assert f"http://127.0.0.1:8000/admin/factcheck/claim/{claim.pk}/change/" in message.body
    assert ReviewEvent.objects.get(claim=claim).notified_at is not None


def test_request_changes_mails_the_assignee(run, editor):
    assignee = FactCheckerFactory()
    claim = claim_in_state("in_review", author=FactCheckerFactory(), assignee=assignee)
    run(claim, "request_changes", user=editor, note="Add the 2023 figure.")
    assert [m.to for m in mail.outbox] == [[assignee.email]]
    assert mail.outbox[0].subject.startswith("[Fact-check Desk] Changes requested: ")
    assert "Add the 2023 figure." in mail.outbox[0].body


def test_request_changes_on_an_unassigned_claim_mails_the_verdicts_author(run, editor):
    author = FactCheckerFactory()
    claim = claim_in_state("in_review", author=author)
    run(claim, "request_changes", user=editor, note="Add the 2023 figure.")
    assert [m.to for m in mail.outbox] == [[author.email]]


@pytest.mark.parametrize(
    ("name", "state", "subject"),
    [
        ("approve", "in_review", "Your verdict was approved"),
        ("publish", "approved", "Your fact-check was published"),
        ("unpublish", "published", "Your fact-check was unpublished"),
    ],
)
def test_approve_publish_and_unpublish_mail_the_verdicts_author(run, editor, name, state, subject):
    author, assignee = FactCheckerFactory(), FactCheckerFactory()
    claim = claim_in_state(state, author=author, assignee=assignee)
    run(claim, name, user=editor, note="Withdrawn pending review." if name == "unpublish" else "")
    assert [m.to for m in mail.outbox] == [[author.email]]
    assert subject in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("select", "candidate"),
        ("start_research", "selected"),
        ("submit", "researching"),
        ("comment", "selected"),
    ],
)
def test_other_transitions_send_no_mail(run, fact_checker, name, state):
    claim = claim_in_state(state, author=fact_checker, assignee=FactCheckerFactory())
    run(claim, name, user=fact_checker, note="Looks checkable." if name == "comment" else "")
    assert mail.outbox == []


def test_nobody_is_mailed_about_what_they_did_themselves(run, editor):
    claim = claim_in_state("selected")
    run(claim, "assign", user=editor, assignee=editor)
    assert mail.outbox == []


def test_users_without_an_address_or_inactive_are_not_mailed(run, editor):
    author = FactCheckerFactory(email="")
    claim = claim_in_state("approved", author=author)
    run(claim, "publish", user=editor)
    inactive = FactCheckerFactory()
    second = claim_in_state("in_review", author=inactive)
    inactive.is_active = False
    inactive.save()
    run(second, "approve", user=editor)
    assert mail.outbox == []


def test_a_redelivered_task_does_not_mail_twice(editor, django_capture_on_commit_callbacks):
    assignee = FactCheckerFactory()
    claim = claim_in_state("selected")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(claim, "assign", user=editor, assignee=assignee)
    event = ReviewEvent.objects.get(claim=claim)

    assert review_event_notify(event_id=event.pk, recipient_ids=[assignee.pk]) == 0
    assert len(mail.outbox) == 1


class FailingBackend(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_a_failed_send_is_released_so_the_retry_sends_it(settings, editor):
    assignee = FactCheckerFactory()
    claim = claim_in_state("selected")
    workflow.transition(claim, "assign", user=editor, assignee=assignee)  # on_commit never fires here
    event = ReviewEvent.objects.get(claim=claim)

    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with pytest.raises(ConnectionRefusedError):
        review_event_notify(event_id=event.pk, recipient_ids=[assignee.pk])
    event.refresh_from_db()
    assert event.notified_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert review_event_notify(event_id=event.pk, recipient_ids=[assignee.pk]) == 1
    assert [m.to for m in mail.outbox] == [[assignee.email]]


def test_a_claim_with_line_breaks_makes_a_one_line_subject(run):
    claim = claim_in_state("selected", text="Line one\nline two:\r\n a claim.")
    run(claim, "assign", user=EditorFactory(), assignee=FactCheckerFactory())
    assert mail.outbox[0].subject == "[Fact-check Desk] Assigned to you: Line one line two: a claim."


def test_the_task_runs_the_service_by_ids(editor):
    from factcheck.tasks import send_review_event_email

    assignee = FactCheckerFactory()
    claim = claim_in_state("selected")
    workflow.transition(claim, "assign", user=editor, assignee=assignee)
    event = ReviewEvent.objects.get(claim=claim)
    assert send_review_event_email.delay(event.pk, [assignee.pk]).get() == 1
    assert send_review_event_email.delay(event.pk, [assignee.pk]).get() == 0
    assert len(mail.outbox) == 1


# --- the sweep's recovery of e-mails whose task was lost -------------------------------------


def _lost_assign(editor, assignee, minutes_ago):
    """An assign whose e-mail task never ran (here: on_commit never fires), backdated."""
    from datetime import timedelta

    from django.utils import timezone

    claim = claim_in_state("selected")
    workflow.transition(claim, "assign", user=editor, assignee=assignee)
    event = ReviewEvent.objects.get(claim=claim)
    ReviewEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(minutes=minutes_ago))
    return event


def test_the_sweep_sends_what_a_lost_task_did_not(editor):
    from datetime import timedelta

    from factcheck.services.notifications import review_events_renotify

    assignee = FactCheckerFactory()
    lost = _lost_assign(editor, assignee, minutes_ago=30)
    recent = _lost_assign(editor, FactCheckerFactory(), minutes_ago=1)
    ancient = _lost_assign(editor, FactCheckerFactory(), minutes_ago=60 * 24 * 3)

    assert review_events_renotify(older_than=timedelta(minutes=15)) == 1
    assert [m.to for m in mail.outbox] == [[assignee.email]]
    assert ReviewEvent.objects.get(pk=lost.pk).notified_at is not None
    assert ReviewEvent.objects.get(pk=recent.pk).notified_at is None  # its task may still be queued
    assert ReviewEvent.objects.get(pk=ancient.pk).notified_at is None  # too old to be worth a mail
    assert review_events_renotify(older_than=timedelta(minutes=15)) == 0
    assert len(mail.outbox) == 1


def test_the_sweep_marks_events_with_nobody_to_tell_as_done(editor):
    from datetime import timedelta

    from factcheck.services.notifications import review_events_renotify

    self_assigned = _lost_assign(editor, editor, minutes_ago=30)
    assert review_events_renotify(older_than=timedelta(minutes=15)) == 0
    assert ReviewEvent.objects.get(pk=self_assigned.pk).notified_at is not None
    assert mail.outbox == []


def test_beat_runs_the_mail_sweep_task(editor, settings):
    from factcheck.tasks import sweep_unsent_mail

    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "factcheck.tasks.sweep_unsent_mail" in entries
    assignee = FactCheckerFactory()
    lost = _lost_assign(editor, assignee, minutes_ago=30)
    assert sweep_unsent_mail.delay(15).get() == 1
    assert [m.to for m in mail.outbox] == [[assignee.email]]
    assert ReviewEvent.objects.get(pk=lost.pk).notified_at is not None
