from django.urls import path

from civhub.directory import views

app_name = "directory"

urlpatterns = [
    path("countries/", views.CountryListView.as_view(), name="countries"),
    path("countries/<str:code>/", views.CountryDetailView.as_view(), name="country"),
    path("countries/<str:code>/edit/", views.CountryUpdateView.as_view(), name="country_edit"),
    path("countries/<str:code>/memberships/add/", views.add_membership, name="membership_add"),
    path("organizations/", views.OrganizationListView.as_view(), name="organizations"),
    path("organizations/add/", views.OrganizationCreateView.as_view(), name="organization_add"),
    path("organizations/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization"),
    path(
        "organizations/<slug:slug>/edit/",
        views.OrganizationUpdateView.as_view(),
        name="organization_edit",
    ),
    path("experts/", views.ExpertListView.as_view(), name="experts"),
    path("people/add/", views.PersonCreateView.as_view(), name="person_add"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person"),
    path("people/<slug:slug>/edit/", views.PersonUpdateView.as_view(), name="person_edit"),
    path("governance/", views.governance, name="governance"),
]
