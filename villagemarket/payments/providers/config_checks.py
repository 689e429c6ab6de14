"""System check: a real provider whose settings are incomplete or whose keys cannot be read.

payments.E002 (an error): Alipay or WeChat Pay is partly configured, or a key, certificate or the
APIv3 key is unusable. Found at start-up (`check`, `migrate`, the worker), not at the first buyer's
payment.
"""

from __future__ import annotations

from django.core import checks

from . import alipay, wechatpay


@checks.register(checks.Tags.security)
def check_real_providers(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    problems = alipay.configuration_problems() + wechatpay.configuration_problems()
    hint = "See docs/payments-providers.md for each provider's settings."
    return [checks.Error(problem, hint=hint, id="payments.E002") for problem in problems]
