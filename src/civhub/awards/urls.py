from civhub.awards.views import applicants, documents, evaluation, public, secretariat

app_name = "awards"

# Each page module owns its routes; the fixed paths (my/, evaluate/, submissions/) come
# before the public ones, whose <slug> would take them.
urlpatterns = [
    *applicants.urlpatterns,
    *evaluation.urlpatterns,
    *secretariat.urlpatterns,
    *documents.urlpatterns,
    *public.urlpatterns,
]
