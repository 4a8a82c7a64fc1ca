from django.urls import path

from civhub.search import views

app_name = "search"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/queries/", views.logged_queries, name="queries"),
]
