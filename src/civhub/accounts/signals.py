from allauth.account.signals import user_signed_up
from django.dispatch import receiver

from civhub.accounts.choices import Role
from civhub.accounts.models import RoleAssignment


@receiver(user_signed_up)
def make_new_user_a_member(sender, request, user, **kwargs):
    # Everyone who registers is a member; other roles are granted by editors and administrators.
    RoleAssignment.objects.get_or_create(user=user, role=Role.MEMBER, country=None)


def refresh_editors_group(sender=None, using="default", **kwargs):
    from civhub.accounts.services import editors_group

    editors_group()
