"""legal pages."""

urlpatterns: list = []
