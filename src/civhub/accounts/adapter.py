from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Send verification and reset mail in the language of the page the user was on."""

    def send_mail(self, template_prefix, email, context):
        from django.utils import translation

        language = translation.get_language()
        with translation.override(language):
            return super().send_mail(template_prefix, email, context)
