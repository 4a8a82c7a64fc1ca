from civhub.knowledge.views import legal, practices, profiles, transfers

app_name = "knowledge"

# Each page module owns its routes.
urlpatterns = [
    *practices.urlpatterns,
    *legal.urlpatterns,
    *profiles.urlpatterns,
    *transfers.urlpatterns,
]
