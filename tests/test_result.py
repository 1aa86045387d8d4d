"""CaseSummary's review: approving keeps the disclosure truthful, rejecting is recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from casesummary.exceptions import UserError
from casesummary.result import (
    AI_DISCLOSURE,
    EXTRACTIVE_DISCLOSURE,
    REVIEWED_DISCLOSURE,
    REVIEWED_EXTRACTIVE_DISCLOSURE,
    CaseSummary,
    PromptResult,
    Provenance,
)
from casesummary.testing import good_answer

AT = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)


def make_result(*, extractive: bool) -> CaseSummary:
    provenance = Provenance(
        prompt_id="summary",
        prompt_version="1.0.0",
        prompt_fingerprint="f" * 64,
        backend="baseline" if extractive else "openai",
        model="extractive-v1" if extractive else "gpt-4o-mini",
        item_fingerprint="a" * 64,
        extractive=extractive,
    )
    return CaseSummary.from_answer(PromptResult.model_validate(good_answer()), provenance)


def test_approving_a_model_answer_says_a_person_is_responsible() -> None:
    result = make_result(extractive=False)
    assert result.disclosure == AI_DISCLOSURE
    approved = result.approved("Redaktør Hansen", AT)
    assert approved.review.status == "approved"
    assert (approved.review.reviewer, approved.review.reviewed_at) == ("Redaktør Hansen", AT)
    assert approved.disclosure == REVIEWED_DISCLOSURE
    assert "kunstig intelligens" in approved.disclosure


def test_approving_an_extract_keeps_saying_no_language_model_was_used() -> None:
    result = make_result(extractive=True)
    assert result.disclosure == EXTRACTIVE_DISCLOSURE
    approved = result.approved("Redaktør Hansen", AT)
    assert approved.review.status == "approved"
    assert approved.disclosure == REVIEWED_EXTRACTIVE_DISCLOSURE
    assert "uden brug af en sprogmodel" in approved.disclosure
    assert "kunstig intelligens" not in approved.disclosure
    assert "gennemgået af en redaktør" in approved.disclosure


@pytest.mark.parametrize("method", ["approved", "rejected"])
@pytest.mark.parametrize("reviewer", ["", "   ", "\n"])
def test_a_review_needs_a_reviewer(method: str, reviewer: str) -> None:
    result = make_result(extractive=False)
    with pytest.raises(UserError, match="reviewer"):
        getattr(result, method)(reviewer, AT)


@pytest.mark.parametrize("method", ["approved", "rejected"])
def test_a_review_needs_a_time_with_a_zone(method: str) -> None:
    result = make_result(extractive=False)
    with pytest.raises(UserError, match="time zone"):
        getattr(result, method)("Hansen", datetime(2026, 11, 23, 10, 30))  # a naive time


def test_any_time_zone_is_accepted() -> None:
    copenhagen = timezone(timedelta(hours=1))
    result = make_result(extractive=False).approved("Hansen", AT.astimezone(copenhagen))
    assert result.review.reviewed_at == AT


def test_rejecting_records_who_and_when_and_keeps_the_unreviewed_disclosure() -> None:
    for extractive, disclosure in ((False, AI_DISCLOSURE), (True, EXTRACTIVE_DISCLOSURE)):
        result = make_result(extractive=extractive)
        rejected = result.rejected("Redaktør Hansen", AT)
        assert rejected.review.status == "rejected"
        assert (rejected.review.reviewer, rejected.review.reviewed_at) == ("Redaktør Hansen", AT)
        assert rejected.disclosure == disclosure  # nobody vouches for a rejected text
        assert rejected.model_dump(exclude={"review"}) == result.model_dump(exclude={"review"})


def test_a_rejected_text_can_be_approved_after_a_new_review() -> None:
    result = make_result(extractive=False).rejected("Hansen", AT).approved("Jensen", AT)
    assert (result.review.status, result.review.reviewer) == ("approved", "Jensen")
    assert result.disclosure == REVIEWED_DISCLOSURE


def test_an_approved_text_rejected_later_loses_the_reviewed_disclosure() -> None:
    result = make_result(extractive=True).approved("Hansen", AT).rejected("Jensen", AT)
    assert result.review.status == "rejected"
    assert result.disclosure == EXTRACTIVE_DISCLOSURE
