"""Platform roles and back-office access. The "staff" role is what opens the Wagtail admin: holding it sets
`is_staff` and the back-office group (Wagtail's page and media rights), however the role was granted."""

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from civiclink.accounts.models import PlatformRole, Role

STAFF_GROUP = "Staff"
STAFF_APPS = (
    *("places", "accounts", "pages"),
    *("wagtailimages", "wagtaildocs", "wagtailredirects", "wagtailforms", "wagtailcore"),
)
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page")


def staff_group() -> Group:
    """The back-office group with editing rights on pages, images, documents and the directory."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=STAFF_APPS),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    if root_page := Page.get_first_root_node():
        page_permissions = Permission.objects.filter(
            codename__in=PAGE_PERMISSIONS, content_type__app_label="wagtailcore"
        )
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
    if root_collection := Collection.get_first_root_node():
        for permission in Permission.objects.filter(content_type__app_label__in=("wagtailimages", "wagtaildocs")):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
    return group


def grant_platform_role(user, role: str) -> PlatformRole:
    return PlatformRole.objects.get_or_create(user=user, role=role)[0]


def revoke_platform_role(user, role: str) -> None:
    for platform_role in PlatformRole.objects.filter(user=user, role=role):
        platform_role.delete()


@receiver([post_save, post_delete], sender=PlatformRole, dispatch_uid="sync_staff_access")
def sync_staff_access(sender, instance, **kwargs):
    if instance.role != Role.STAFF:
        return
    user = instance.user
    is_staff = user.is_superuser or PlatformRole.objects.filter(user=user, role=Role.STAFF).exists()
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    if is_staff:
        user.groups.add(staff_group())
    else:
        user.groups.remove(*Group.objects.filter(name=STAFF_GROUP))
