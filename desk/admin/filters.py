"""List filters of the claim list. Each costs at most one query for its choices."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from coverage.models import CoverageMatch, MatchStatus
from editorial.models import Article
from factcheck import ratings
from factcheck.models import ClaimState, Verdict
from partners.models import Partner, Tip


class AssigneeFilter(admin.SimpleListFilter):
    title = "assignee"
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        choices = [("me", "Assigned to me"), ("none", "Unassigned")]
        users = get_user_model().objects.filter(assigned_claims__isnull=False).distinct().order_by("username")
        return choices + [(str(user.pk), user.get_username()) for user in users]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assignee_id=int(value))
        return queryset


class OutletFilter(admin.RelatedFieldListFilter):
    """Outlets that have articles. Django's RelatedOnlyFieldListFilter finds them with a
    DISTINCT over every claim on each page view (``docs/decisions/admin-claim-list.md``);
    this asks the article index once per outlet instead."""

    def field_choices(self, field, request, model_admin):
        has_articles = Q(Exists(Article.objects.filter(outlet=OuterRef("pk"))))
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to=has_articles, ordering=ordering)


class CheckworthinessBandFilter(admin.SimpleListFilter):
    title = "check-worthiness"
    parameter_name = "worthiness"
    BANDS = {"high": (0.8, None), "medium": (0.5, 0.8), "low": (None, 0.5)}

    def lookups(self, request, model_admin):
        return [("high", "High (≥ 0.8)"), ("medium", "Medium (0.5–0.8)"), ("low", "Low (< 0.5)")]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value() or "")
        if band is None:
            return queryset
        low, high = band
        if low is not None:
            queryset = queryset.filter(checkworthiness__gte=low)
        if high is not None:
            queryset = queryset.filter(checkworthiness__lt=high)
        return queryset


class PriorCoverageFilter(admin.SimpleListFilter):
    title = "prior coverage"
    parameter_name = "coverage"

    def lookups(self, request, model_admin):
        return [("yes", "Has prior coverage"), ("strong", "Strong match"), ("no", "No prior coverage")]

    def queryset(self, request, queryset):
        matches = CoverageMatch.objects.filter(claim=OuterRef("pk")).exclude(status=MatchStatus.REJECTED)
        value = self.value()
        if value == "yes":
            return queryset.filter(Exists(matches))
        if value == "strong":
            return queryset.filter(Exists(matches.filter(is_strong=True)))
        if value == "no":
            return queryset.filter(~Exists(matches))
        return queryset


class RatingFilter(admin.SimpleListFilter):
    title = "rating"
    parameter_name = "rating"

    def lookups(self, request, model_admin):
        return [*ratings.CHOICES, ("none", "No verdict yet")]

    def queryset(self, request, queryset):
        value = self.value()
        current = Verdict.objects.filter(claim=OuterRef("pk"), is_current=True)
        if value == "none":
            return queryset.filter(~Exists(current.exclude(rating="")))
        if value in ratings.BY_KEY:
            return queryset.filter(Exists(current.filter(rating=value)))
        return queryset


class PartnerFilter(admin.SimpleListFilter):
    """Claims that came in as a tip from one partner (the partners that sent any, by name)."""

    title = "partner tip"
    parameter_name = "partner"

    def lookups(self, request, model_admin):
        senders = Tip.objects.values("partner_id").distinct()
        return [(str(p.pk), p.name) for p in Partner.objects.filter(pk__in=senders).order_by("name")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(Exists(Tip.objects.filter(claim=OuterRef("pk"), partner_id=int(value))))
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "due"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("today", "Due today"), ("none", "No due date")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == "overdue":
            return queryset.filter(overdue_q(today))
        if value == "today":
            return queryset.filter(due_date=today, state__in=ClaimState.OPEN)
        if value == "none":
            return queryset.filter(due_date__isnull=True)
        return queryset


def overdue_q(today) -> Q:
    """Past its due date and still open: published and dismissed claims are never overdue."""
    return Q(due_date__lt=today, state__in=ClaimState.OPEN)


def is_overdue(claim, today) -> bool:
    """The same rule as ``overdue_q``, for one loaded claim."""
    return claim.due_date is not None and claim.due_date < today and claim.state in ClaimState.OPEN
