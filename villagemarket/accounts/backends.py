from django.contrib.auth.backends import ModelBackend

from .models import User


class EmailOrMobileBackend(ModelBackend):
    """Authenticate with an email address or a mobile number and a password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        login = username or kwargs.get("email") or kwargs.get("mobile") or kwargs.get("login")
        if not login or password is None:
            return None
        try:
            user = User.objects.get_by_login(login)
        except User.DoesNotExist:
            User().set_password(password)  # same work either way, so timing reveals nothing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
