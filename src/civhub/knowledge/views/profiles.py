"""profiles pages."""

urlpatterns: list = []
