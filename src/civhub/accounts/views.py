from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from civhub.accounts import services
from civhub.accounts.choices import MembershipRequestState
from civhub.accounts.forms import (
    ApiTokenForm,
    GrantRoleForm,
    MembershipRequestForm,
    ProfileForm,
)
from civhub.accounts.models import ApiToken, MembershipRequest, RoleAssignment, User
from civhub.core.forms import add_errors, read_version
from civhub.core.services import Conflict


class SignedInRequest(HttpRequest):
    """A request past `login_required`: its user is an accounts.User (for mypy)."""

    user: User


def _profile_page(
    request: SignedInRequest,
    form: BaseForm,
    membership_form: BaseForm | None = None,
    status: int = 200,
    form_version: int | None = None,
) -> HttpResponse:
    """The account page: roles, profile form, membership (asked for or to ask) and, for
    deciders, the requests waiting for them."""
    user = request.user
    requests = list(user.membership_requests.select_related("country"))
    pending = any(r.state == MembershipRequestState.PENDING for r in requests)
    if membership_form is None and not user.is_member and not pending:
        membership_form = MembershipRequestForm()
    context = {
        "form": form,
        # A form posted back keeps the version it was opened on (a stale one stays refused).
        "form_version": form_version or user.version,
        "assignments": user.role_assignments.select_related("country"),
        "membership_requests": requests,
        "membership_form": membership_form,
        "to_decide": MembershipRequest.objects.pending().decidable_by(user).count(),
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
def profile(request: SignedInRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        version = read_version(request)
        try:
            services.update_profile(request.user, request.user, form, version=version)
        except ValidationError as exc:
            add_errors(form, exc)
        except Conflict as exc:
            # What was typed stays in the form; nothing of it was saved.
            form.add_error(None, exc.message)
            return _profile_page(request, form, status=409, form_version=version)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    return _profile_page(request, form, form_version=read_version(request))


@login_required
@require_POST
def request_membership(request: SignedInRequest) -> HttpResponse:
    form = MembershipRequestForm(request.POST)
    if form.is_valid():
        try:
            services.request_membership(
                request.user,
                form.cleaned_data["country"],
                form.cleaned_data["organization"],
                form.cleaned_data["position"],
                form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your request is sent. You will get an e-mail when it is decided."),
            )
            return redirect("accounts:profile")
    # What was typed stays in the form, with the errors beside their fields.
    return _profile_page(request, ProfileForm(instance=request.user), form, status=400)


@login_required
def membership_requests(request: SignedInRequest) -> HttpResponse:
    """The requests the user may decide (focal points: their country's; the secretariat:
    all), pending first, with the decided ones below."""
    user = request.user
    visible = MembershipRequest.objects.decidable_by(user).select_related(
        "user", "country", "decided_by"
    )
    if not (user.is_editor or user.focal_country_ids):
        raise PermissionDenied
    state = request.GET.get("state", MembershipRequestState.PENDING)
    if state not in MembershipRequestState.values:
        state = MembershipRequestState.PENDING
    page = Paginator(visible.filter(state=state), 25).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "state": state,
        "states": MembershipRequestState.choices,
    }
    return render(request, "accounts/membership_requests.html", context)


@login_required
@require_POST
def decide_membership(request: SignedInRequest, pk: int) -> HttpResponse:
    membership_request = get_object_or_404(MembershipRequest.objects.select_related("user"), pk=pk)
    approve = request.POST.get("decision") == "approve"
    reason = "" if approve else request.POST.get("reason", "")
    try:
        services.decide_membership(request.user, membership_request, approve, reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:membership_requests")
    if approve:
        messages.success(
            request, _("%(name)s is now a member.") % {"name": membership_request.user}
        )
    else:
        messages.success(
            request, _("The request of %(name)s is declined.") % {"name": membership_request.user}
        )
    return redirect("accounts:membership_requests")


def _require_role_manager(user: User) -> None:
    if not (user.is_authenticated and user.is_editor):
        raise PermissionDenied


@login_required
def roles(request: SignedInRequest) -> HttpResponse:
    _require_role_manager(request.user)
    query = request.GET.get("q", "").strip()
    users = User.objects.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("country"))
    ).order_by("email")
    if query:
        users = users.filter(Q(email__icontains=query) | Q(display_name__icontains=query))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    form = GrantRoleForm(actor=request.user)
    return render(request, "accounts/roles.html", {"page_obj": page, "form": form, "q": query})


@login_required
@require_POST
def grant(request: SignedInRequest) -> HttpResponse:
    _require_role_manager(request.user)
    form = GrantRoleForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            services.grant_role(
                request.user,
                form.cleaned_data["user"],
                form.cleaned_data["role"],
                form.cleaned_data.get("country"),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Role granted."))
            return redirect("accounts:roles")
    page = Paginator(User.objects.order_by("email"), 50).get_page(1)
    return render(request, "accounts/roles.html", {"page_obj": page, "form": form}, status=400)


@login_required
@require_POST
def revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    _require_role_manager(request.user)
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user"), pk=pk)
    try:
        services.revoke_role(request.user, assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Role revoked."))
    return redirect("accounts:roles")


@never_cache
@login_required
def tokens(request: SignedInRequest) -> HttpResponse:
    """The user's personal API tokens: list, make one (its secret shown once), revoke."""
    form = ApiTokenForm(request.POST or None)
    secret = new_token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                new_token, secret = services.create_token(
                    request.user,
                    form.cleaned_data["name"],
                    expires_at=form.expires_at(),
                    scope=form.cleaned_data["scope"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
                status = 400
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            else:
                form = ApiTokenForm()
        else:
            status = 400
    # The secret is in this response only: it is rendered, never stored or redirected with.
    context = {
        "form": form,
        "secret": secret,
        "new_token": new_token,
        "tokens": request.user.api_tokens.all(),
    }
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_POST
def revoke_token(request: SignedInRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        services.revoke_token(request.user, token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
