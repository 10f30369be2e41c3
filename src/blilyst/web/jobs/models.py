"""Long work run in the background (django-tasks): who started it, how far it has come, how it ended.

django-tasks keeps the queue; a :class:`Job` is what its starter sees on the job's page, updated by the task
as it goes (step, done of total), so the page shows progress with any task backend. A job holds no personal
data: its summary counts households, never names them. A plan export keeps its document (aggregate figures
and the plan's choices) on the job for a day, for its starter to download (:meth:`Job.drop_old_files`, run by
every export and by the retention job, forgets older ones).

Work is started once: while a job of a kind is waiting or running for a target (:attr:`Job.target`: the
installation for a refresh, the digests and retention; the starter's plan and choices for an export or an
adoption), starting it again gives that job instead of a second one. A unique index on the waiting and running
jobs per kind and target makes this hold between requests that start it at the same moment, on SQLite and
PostgreSQL alike. A job that has reported nothing for :attr:`Job.GIVE_UP_AFTER` (its worker died) is given up
when the work is started again, so it never blocks the work for good.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GivenUp(Exception):
    """The job was given up while its work ran (see :meth:`Job.give_up_silent`): the work stops."""


class Job(models.Model):
    class Kind(models.TextChoices):
        REFRESH = "refresh", _("Data refresh from SSB")
        DIGEST = "digest", _("Daily digest e-mails")
        RETENTION = "retention", _("Retention: erase personal data past their time")
        EXPORT = "export", _("The plan as a document")
        ADOPT = "adopt", _("Adopting a plan version")
        REMATCH = "rematch", _("Re-matching households after a register change")

    # the installation's own upkeep (no municipality's data): any administrator may follow another's run
    INSTALLATION_KINDS = (Kind.REFRESH, Kind.DIGEST, Kind.RETENTION)

    @classmethod
    def installation_work(cls) -> models.QuerySet[Job]:
        """Jobs of the installation's upkeep; they belong to no municipality, so no tenant's data is in them."""
        return cls.objects.filter(kind__in=cls.INSTALLATION_KINDS, municipality__isnull=True)

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    step = models.CharField(max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    # what the work is about: the municipality (tenancy) and the kind's own choices (an export's format, language)
    municipality = models.ForeignKey(
        "accounts.Municipality", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    params = models.JSONField(default=dict, blank=True)
    # what the work is done for, one waiting or running job at a time (see the module docstring); empty: no such
    # rule (jobs from before it)
    target = models.CharField(max_length=200, blank=True)
    # what the work is done on changed while it ran: it goes once more (see go_again)
    again = models.BooleanField(default=False)
    # when the job was created or last reported progress (a job silent too long is given up)
    updated = models.DateTimeField(default=timezone.now)
    # the file the work made, offered on the job's page (the plan's PDF or Word document)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file = models.BinaryField(null=True, blank=True, editable=False)

    KEEP_FILES = dt.timedelta(days=1)
    GIVE_UP_AFTER = dt.timedelta(hours=1)
    ACTIVE = (State.QUEUED, State.RUNNING)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target"],
                condition=Q(state__in=["queued", "running"]) & ~Q(target=""),
                name="jobs_one_active_job_per_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None

    def report(self, step: str, done: int = 0, total: int = 0) -> None:
        """Save how far the work has come (written by the task, read by the job's page). Raises
        :class:`GivenUp` when the job was given up meanwhile (the work then stops)."""
        self.state, self.step, self.done, self.total = self.State.RUNNING, step[:200], done, total
        self.updated = timezone.now()
        fields = {"state": self.state, "step": self.step, "done": done, "total": total, "updated": self.updated}
        if not Job.objects.filter(pk=self.pk, state__in=self.ACTIVE).update(**fields):
            raise GivenUp(self.pk)

    def finish(self, state: str, summary: str) -> None:
        self.state, self.summary, self.finished = state, summary, timezone.now()
        self.updated = self.finished
        self.save(update_fields=["state", "summary", "finished", "updated"])

    def go_again(self) -> bool:
        """Ask running work to go once more when it is done (what it works on changed while it ran; the work
        checks with :meth:`finish_unless_again`). True when it will see the change: it was asked, or it is
        still waiting (it reads everything when it starts); False when it has ended."""
        if Job.objects.filter(pk=self.pk, state=self.State.RUNNING).update(again=True):
            return True
        return Job.objects.filter(pk=self.pk, state=self.State.QUEUED).exists()

    def finish_unless_again(self, summary: str) -> bool:
        """Finish the job as done with ``summary``, unless :meth:`go_again` asked for once more meanwhile; then
        forget that request and return False (the work goes again). One statement each, so a request is never
        lost between the work's last look and its end."""
        now = timezone.now()
        done = {"state": self.State.DONE, "summary": summary, "finished": now, "updated": now}
        if Job.objects.filter(pk=self.pk, again=False).update(**done):
            self.state, self.summary, self.finished, self.updated = self.State.DONE, summary, now, now
            return True
        Job.objects.filter(pk=self.pk).update(again=False)
        return False

    @classmethod
    def give_up_silent(cls, kind: str, target: str, why: str) -> int:
        """End the waiting or running jobs of ``kind`` for ``target`` that reported nothing for
        :attr:`GIVE_UP_AFTER` (their worker died or never came) with ``why``; returns how many."""
        now = timezone.now()
        silent = cls.objects.filter(kind=kind, target=target, state__in=cls.ACTIVE, updated__lt=now - cls.GIVE_UP_AFTER)
        return silent.update(state=cls.State.FAILED, summary=why, finished=now, updated=now)

    def attach(self, name: str, content_type: str, data: bytes) -> None:
        """Keep the file the work made, for the starter to download from the job's page."""
        self.file_name, self.file_type, self.file = name[:200], content_type[:100], data
        self.save(update_fields=["file_name", "file_type", "file"])

    @property
    def has_file(self) -> bool:
        return bool(self.file_name) and self.state == self.State.DONE

    @classmethod
    def drop_old_files(cls) -> int:
        """Forget the files of jobs that finished more than :attr:`KEEP_FILES` ago; returns how many."""
        old = cls.objects.filter(finished__lt=timezone.now() - cls.KEEP_FILES).exclude(file_name="")
        return old.update(file=None, file_name="", file_type="")
