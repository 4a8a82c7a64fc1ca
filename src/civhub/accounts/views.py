from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from civhub.accounts import services
from civhub.accounts.forms import ApiTokenForm, GrantRoleForm, ProfileForm
from civhub.accounts.models import ApiToken, RoleAssignment, User
from civhub.core.forms import add_errors


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    assignments = request.user.role_assignments.select_related("country")
    return render(request, "accounts/profile.html", {"form": form, "assignments": assignments})


def _require_role_manager(user):
    if not (user.is_authenticated and user.is_editor):
        raise PermissionDenied


@login_required
def roles(request):
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
def grant(request):
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
def revoke(request, pk):
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
def tokens(request):
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
def revoke_token(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        services.revoke_token(request.user, token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
