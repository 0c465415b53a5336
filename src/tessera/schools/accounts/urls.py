"""Sign-in, sign-out, password change and reset (Django's views with Tessera's templates), and
guardian invitations.

There is no self-service sign-up: learners are added by their school (the roster), guardians join with
an invitation code, and learners under 13 never get e-mail self-service (no reset link is ever sent to
them; the reset page tells them to ask their teacher).
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from tessera.schools.accounts import views as account_views
from tessera.schools.accounts.forms import SelfServicePasswordResetForm, SignInForm

AGE_RULE = {"min_age": settings.SELF_SERVICE_MIN_AGE}

password_reset = auth_views.PasswordResetView.as_view(
    form_class=SelfServicePasswordResetForm,
    subject_template_name="accounts/password_reset_subject.txt",
    email_template_name="accounts/password_reset_email.txt",
    extra_context=AGE_RULE,
)

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", password_reset, name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(extra_context=AGE_RULE),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("language/", account_views.language_choose, name="account-language"),
    path("invitation/", account_views.invitation_accept, name="invitation-accept"),
    path("invitations/new/<int:learner_id>/", account_views.invitation_create, name="invitation-create"),
]
