from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from trackii.accounts.models import User
from trackii.accounts.services import disable_account
from trackii.admin import HousekeepingAdmin


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self):
        # The database refuses a second login with the same address (through its blind index); say so here.
        email = self.cleaned_data["email"]
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError("A login with this e-mail address already exists.")
        return email


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(HousekeepingAdmin, BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    # A login is shown by its number ("Login 12", its __str__), never its address: the list of every login's
    # e-mail is the list of everyone who takes part. An administrator finds one by typing its whole address
    # (any case, through the blind index); the stored e-mail is encrypted, so no part of it can be searched.
    ordering = ["-date_joined"]
    list_display = ["__str__", "is_active", "is_staff", "is_superuser", "last_login", "date_joined"]
    sortable_by = ["is_active", "is_staff", "is_superuser", "last_login", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["=email"]
    search_help_text = "Type a whole e-mail address."
    # No password form and no login field: an administrator must not be able to take over an account, and
    # with it a dialogue role, without a break-glass grant the convenors see. People set and reset their own.
    fieldsets = [
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_urls(self):
        return [url for url in super().get_urls() if not str(url.pattern).endswith("password/")]

    def save_model(self, request, obj, form, change) -> None:
        # Unticking "active" goes through the service, so the account's sessions end and the audit log says
        # who disabled it.
        disabling = change and "is_active" in form.changed_data and not obj.is_active
        if disabling:
            obj.is_active = True
        super().save_model(request, obj, form, change)
        if disabling:
            disable_account(user=obj, by=request.user)
