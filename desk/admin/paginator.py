"""A paginator for long annotated admin lists: pick the page's ids first, then annotate.

Django's paginator slices the annotated queryset, so PostgreSQL evaluates the per-row
subqueries in the SELECT list (best prior match, current rating) for every row the OFFSET
skips: deep pages get slow as the table grows (``docs/decisions/admin-claim-list.md``).
Here the OFFSET runs on a bare ``SELECT id`` (an index scan on the list order), and only
the page's 50 rows are annotated. Same rows, same order; two queries instead of one.
"""

from django.core.paginator import Paginator


class IdFirstPaginator(Paginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        if not hasattr(queryset, "values_list"):  # a plain list: nothing to gain
            return self._get_page(queryset[bottom:top], number, self)
        ids = list(queryset.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
