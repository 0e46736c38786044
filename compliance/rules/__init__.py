"""The safeguard rules (DESIGN.md, "Safeguards as rules"), one module each, and the engine that
runs them (``compliance.rules.engine.run_check``). Importing this package imports every module in
it, and each rule's module registers its rule (``@register``): adding a rule is adding its module
and its tests.
"""

import pkgutil
from importlib import import_module

from compliance.rules.base import RULES, Finding, Rule, register

for _module in pkgutil.iter_modules(__path__):
    import_module(f"{__name__}.{_module.name}")

__all__ = ["RULES", "Finding", "Rule", "register"]
