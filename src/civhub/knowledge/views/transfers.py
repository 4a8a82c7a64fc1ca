"""transfers pages."""

urlpatterns: list = []
