import pytest
from tests.compliance.pay_builders import *

@pytest.mark.django_db
def test_scratch():
    pay = build_rules_world(own_hourly="2.24", contract_hourly="6.99")
    work_week_1(pay)
    for f in check("WAGE_FLOOR", prison_scope(pay)):
        print(f.as_json())
    for f in check("WAGE_FLOOR", partner_scope(pay)):
        print(f.as_json())
    print(queries("WAGE_FLOOR", prison_scope(pay)))
