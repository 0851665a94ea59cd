"""The organisation listing: ``POST /phone-numbers/all/organization``, typed.

The models read a ``PagedResultOfPhoneNumberTableRow`` as tolerantly as the
status models read a status: every field optional, numbers may be strings,
unknown enum values kept as text, unknown fields kept, a null ``warmup`` fine.

:class:`ListingReader` is the pure logic of reading every page (no I/O, no
httpx, no Textual): it builds the next request body, takes each page, keeps the
first row of each well-formed number and stops, saying why, on a repeated
continuation token or too many pages.  The CLI import, the dashboard's
background rounds and the exporter all drive one.

Per-row data for the UI (``smsReady``, ``voiceReady``, ``tenDlcCampaignStatus``,
``warmup.callStage``, ...) is on :class:`PhoneNumberTableRow`; the dashboard
keeps the latest row of each number in :class:`leadping_tui.refresh.fleet.Fleet`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from leadping_tui.api.lenient import Bool, Int, Text, records, section
from leadping_tui.api.models import ApiModel, PhoneNumberStatus, SmsWarmup

__all__ = [
    "LISTING_PATH",
    "MAX_PAGE_SIZE",
    "ListingPage",
    "ListingQuery",
    "ListingReader",
    "PhoneNumberReadiness",
    "PhoneNumberTableRow",
    "SkippedRow",
    "parse_page",
]

LISTING_PATH = "/phone-numbers/all/organization"
MAX_PAGE_SIZE = 100
"""What the app asks for; the server may answer with another ``pageSize``."""
DEFAULT_MAX_PAGES = 200
"""20,000 numbers at 100 a page: past this a listing is taken to be looping."""

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


class PhoneNumberReadiness(ApiModel):
    """``warmup`` of a listing row: the same readiness words as ``smsWarmup``."""

    state: Text = None
    health_status: Text = None
    health_score: Int = None
    progress_percent: Int = None
    enabled: Bool = None
    call_stage: Text = None


class PhoneNumberTableRow(ApiModel):
    """One number of the organisation listing."""

    id: Text = None
    number: Text = None
    name: Text = None
    location: Text = None
    type: Text = None
    enabled: Bool = None
    is_demo: Bool = None
    ownership: Text = None
    organization: Text = None
    organization_id: Text = None
    routing_summary: Text = None
    sms_ready: Bool = None
    voice_ready: Bool = None
    ten_dlc_campaign_status: Text = None
    warmup: Annotated[PhoneNumberReadiness | None, BeforeValidator(section)] = None

    @property
    def e164(self) -> str | None:
        """The number if it is well-formed E.164 (spaces trimmed), else None."""
        text = (self.number or "").strip()
        return text if _E164.match(text) else None

    def as_status(self) -> PhoneNumberStatus:
        """The readiness as a (slim) status, so :func:`~leadping_tui.api.condition.assess`,
        the sidebar and the alerts read a listing row exactly as they read a status."""
        readiness = self.warmup
        if readiness is None:
            return PhoneNumberStatus.model_construct(number=self.e164)
        # Every value was validated when the row was read: constructing skips a
        # second validation, which a 1,000-number round would pay each time.
        score = readiness.health_score
        warmup = SmsWarmup.model_construct(
            phone_number_id=self.id,
            phone_number=self.e164,
            status=readiness.state,
            health_status=readiness.health_status,
            health_score=None if score is None else float(score),
            progress_percent=(
                None if readiness.progress_percent is None else float(readiness.progress_percent)
            ),
            warmup_enabled=readiness.enabled,
        )
        return PhoneNumberStatus.model_construct(number=self.e164, sms_warmup=warmup)


class ListingPage(ApiModel):
    """``PagedResultOfPhoneNumberTableRow``: one page of the listing."""

    items: Annotated[list[PhoneNumberTableRow], BeforeValidator(records)] = Field(
        default_factory=list
    )
    continuation_token: Text = None
    page_size: Int = None
    total_count: Int = None

    @property
    def next_token(self) -> str | None:
        """The token to send for the next page, or None when this was the last."""
        token = self.continuation_token
        return token if token and token.strip() else None


@dataclass(frozen=True)
class ListingQuery:
    """``RequestDataOptions``: the body of one listing request."""

    page_size: int = MAX_PAGE_SIZE
    continuation_token: str | None = None
    include_count: bool = False
    search: str | None = None

    def body(self) -> dict[str, Any]:
        """The JSON body; members that are not set are left out."""
        body: dict[str, Any] = {"pageSize": self.page_size}
        if self.continuation_token is not None:
            body["continuationToken"] = self.continuation_token
        if self.include_count:
            body["includeCount"] = True
        if self.search:
            body["search"] = self.search
        return body


@dataclass(frozen=True)
class SkippedRow:
    """A listing row that was not taken, and why."""

    number: str
    reason: str


@dataclass
class ListingReader:
    """Reads every page of one listing, one page at a time; pure logic.

    ``next_query()`` is the body for the next request (None once done);
    ``add_page()`` takes the answer.  The reader stops at the last page, at
    ``max_pages``, or when a continuation token comes back a second time (a
    loop); ``stop_reason`` then says why it stopped early.
    """

    search: str | None = None
    include_count: bool = False
    max_pages: int = DEFAULT_MAX_PAGES
    rows: dict[str, PhoneNumberTableRow] = field(default_factory=dict)
    """The first row of each well-formed number, in listing order."""
    skipped: list[SkippedRow] = field(default_factory=list)
    pages: int = 0
    total_count: int | None = None
    stop_reason: str | None = None
    """Why reading stopped before the last page (a loop, too many pages)."""
    done: bool = False
    _page_size: int = MAX_PAGE_SIZE
    _token: str | None = None
    _tokens_seen: set[str] = field(default_factory=set)

    def next_query(self) -> ListingQuery | None:
        if self.done:
            return None
        return ListingQuery(
            page_size=self._page_size,
            continuation_token=self._token,
            include_count=self.include_count and self.pages == 0,
            search=self.search,
        )

    def add_page(self, page: ListingPage) -> None:
        """Take one page: its rows, its page size and where to go next."""
        self.pages += 1
        if page.total_count is not None and page.total_count >= 0:
            self.total_count = page.total_count
        if page.page_size is not None and 1 <= page.page_size <= MAX_PAGE_SIZE:
            # Honour what the server says it serves, never more than asked.
            self._page_size = page.page_size
        for row in page.items:
            self._take(row)
        token = page.next_token
        if token is None:
            self.done = True
        elif token in self._tokens_seen:
            self._stop(
                f"the listing sent continuation token {_shown(token)} a second time "
                f"(a loop); stopped after {self.pages} pages"
            )
        elif self.pages >= self.max_pages:
            self._stop(f"the listing went on past {self.max_pages} pages; stopped there")
        else:
            self._tokens_seen.add(token)
            self._token = token

    def _take(self, row: PhoneNumberTableRow) -> None:
        number = row.e164
        if number is None:
            shown = _shown(row.number or "")
            self.skipped.append(SkippedRow(shown, f"{shown or 'a row'} is not an E.164 number"))
        elif number in self.rows:
            self.skipped.append(SkippedRow(number, f"{number} was listed twice"))
        else:
            self.rows[number] = row

    def _stop(self, reason: str) -> None:
        self.done = True
        self.stop_reason = reason


def _shown(text: str, limit: int = 24) -> str:
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def parse_page(raw: Any) -> ListingPage | None:
    """The page ``raw`` holds, or None when it is not a listing page at all."""
    if not isinstance(raw, dict) or not isinstance(raw.get("items"), list):
        return None
    return ListingPage.model_validate(raw)
