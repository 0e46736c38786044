"""The public certificate verification's tests, with their own fixtures (an enrolment earned, a
certificate issued on a fixed day, the signing keys configured, a low rate limit)."""
