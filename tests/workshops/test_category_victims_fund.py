"""The victims' fund use of a deduction category (workshops 0018): held for others, so never
credited to the worker, and one category at most, like the family's and the release savings'."""

import pytest
from django.db import IntegrityError, transaction

from workshops.models import DeductionCategory

Use = DeductionCategory.Use


@pytest.mark.django_db
def test_a_category_held_for_others_may_be_the_victims_fund():
    fund = DeductionCategory.objects.create(
        code="fund", name="Fund", credited_to_worker=False, use=Use.VICTIMS_FUND
    )

    assert DeductionCategory.objects.get(use=Use.VICTIMS_FUND) == fund


@pytest.mark.django_db
def test_a_category_credited_to_the_worker_cannot_be_the_victims_fund():
    with pytest.raises(IntegrityError), transaction.atomic():
        DeductionCategory.objects.create(
            code="fund", name="Fund", credited_to_worker=True, use=Use.VICTIMS_FUND
        )

    assert not DeductionCategory.objects.exists()


@pytest.mark.django_db
def test_only_one_category_is_the_victims_fund():
    DeductionCategory.objects.create(code="one", name="One", use=Use.VICTIMS_FUND)

    with pytest.raises(IntegrityError), transaction.atomic():
        DeductionCategory.objects.create(code="two", name="Two", use=Use.VICTIMS_FUND)

    assert list(DeductionCategory.objects.values_list("code", flat=True)) == ["one"]


@pytest.mark.django_db
@pytest.mark.parametrize("use", [Use.FAMILY, Use.RELEASE_SAVINGS])
def test_a_category_held_for_others_is_still_not_paid_out(use):
    with pytest.raises(IntegrityError), transaction.atomic():
        DeductionCategory.objects.create(code="c", name="C", credited_to_worker=False, use=use)
