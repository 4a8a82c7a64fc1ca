from django.urls import path

from civhub.accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("roles/", views.roles, name="roles"),
    path("roles/grant/", views.grant, name="grant"),
    path("roles/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="token_revoke"),
]
