from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from trackii.accounts.models import User
from trackii.accounts.services import disable_account


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
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    # The stored e-mail is encrypted: it can be shown and found by the whole address (any case, through its
    # blind index), but not sorted or searched by a part of it.
    ordering = ["-date_joined"]
    list_display = ["email", "is_active", "is_staff", "is_superuser", "last_login"]
    sortable_by = ["is_active", "is_staff", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["=email"]
    search_help_text = "Type a whole e-mail address."
    # No password form and a fixed login: an administrator must not be able to take over an account, and
    # with it a dialogue role, without a break-glass grant the convenors see. People set and reset their own.
    fieldsets = [
        (None, {"fields": ["email"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "email"] if obj is not None else self.readonly_fields

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
