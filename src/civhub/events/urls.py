from civhub.events.views import organizers, public, registrations

app_name = "events"

# The fixed paths (feed.ics, month/, my/) come before the event pages, whose <slug> would
# take them.
urlpatterns = [
    *public.urlpatterns,
    *registrations.urlpatterns,
    *public.detail_patterns,
    *registrations.detail_patterns,
    *organizers.detail_patterns,
]
