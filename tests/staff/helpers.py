from django.contrib.auth.models import Group

from tests.factories import UserFactory
from trackii.staff.roles import GROUPS, Role


def staff(role: Role = Role.ADMINISTRATOR, **fields):
    """A login holding a staff role through its group, as the staff requests leave it."""
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get_or_create(name=GROUPS[role])[0])
    return user
