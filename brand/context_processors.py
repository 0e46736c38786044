from brand.twofactor.policy import two_factor_switched_on


def two_factor(request):
    """Whether staff sign in with a second factor (the login page says so when it is off)."""
    return {"two_factor_on": two_factor_switched_on()}
