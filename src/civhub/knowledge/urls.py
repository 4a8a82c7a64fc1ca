from civhub.knowledge.views import imports, legal, practices, profiles, transfers

app_name = "knowledge"

# Each page module owns its routes.
urlpatterns = [
    *imports.urlpatterns,  # before practices: its <slug> would take "import"
    *practices.urlpatterns,
    *legal.urlpatterns,
    *profiles.urlpatterns,
    *transfers.urlpatterns,
]
