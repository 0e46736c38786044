"""Pay policy, pay rates and market wage benchmarks: ``policies`` (checking a policy, finding the
one in effect, allocating earnings by it); the screens in ``admin``."""

from wages.pay.policies import allocate_earnings, check_policy, policy_on

__all__ = ["allocate_earnings", "check_policy", "policy_on"]
