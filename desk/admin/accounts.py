"""Users and groups: Django's own admin pages with the desk's bounded search."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from desk.admin.search import BoundedSearchMixin

User = get_user_model()


class DeskUserAdmin(BoundedSearchMixin, UserAdmin):
    pass


class DeskGroupAdmin(BoundedSearchMixin, GroupAdmin):
    pass


admin.site.unregister(User)
admin.site.register(User, DeskUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, DeskGroupAdmin)
