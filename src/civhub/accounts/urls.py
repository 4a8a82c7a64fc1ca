from django.urls import path

from civhub.accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("membership/request/", views.request_membership, name="request_membership"),
    path("membership/requests/", views.membership_requests, name="membership_requests"),
    path(
        "membership/requests/<int:pk>/decide/",
        views.decide_membership,
        name="decide_membership",
    ),
    path("roles/", views.roles, name="roles"),
    path("roles/grant/", views.grant, name="grant"),
    path("roles/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="token_revoke"),
]
