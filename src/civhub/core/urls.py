from django.urls import path

from civhub.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("files/<int:pk>/", views.download_attachment, name="attachment"),
]
