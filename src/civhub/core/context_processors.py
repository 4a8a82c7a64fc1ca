from django.conf import settings


def site(request):
    return {"SITE_NAME": "civhub", "DEBUG": settings.DEBUG}
