"""An order screened as of a date: every party against the lists (and through its owners), every
line item against the substance controls, each finding put to the dated rules; the strictest
outcome decides and every reason is kept."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date
from typing import Protocol

from interlock.chem.contract import ChemAnswer
from interlock.history.regimes import RegimeState
from interlock.match.contract import ScreeningMatch, ScreeningQuery, ScreeningResult
from interlock.model import ListEntry
from interlock.ownership.graph import OwnershipFindings, OwnershipGraph
from interlock.rules.model import (
    SEVERITY,
    ItemControlled,
    ItemUnresolved,
    ListedParty,
    OrderRule,
    OrderRules,
    Outcome,
    OwnedByListed,
)
from interlock.screen.contract import (
    Hit,
    ItemResult,
    OrderDecision,
    OwnershipExplanation,
    PartyResult,
    Reason,
)
from interlock.screen.order import Order, Party

PARTY_LIMIT = 5


class Services(Protocol):
    """What an order screen needs of the rest of interlock (the Interlock object provides it)."""

    def screen(self, query: ScreeningQuery) -> ScreeningResult: ...
    def entity(self, entity_id: str) -> ListEntry | None: ...
    def chem(
        self, lines: Sequence[str], jurisdiction: str = "all", as_of: date | None = None
    ) -> list[ChemAnswer]: ...
    def regimes(
        self, as_of: date | None = None, known_at: date | None = None
    ) -> list[RegimeState]: ...
    def data_version(self) -> str: ...
    def suppressed_by(self, fingerprint: str, entity_id: str, entry_version: str) -> int | None: ...


def entry_version(entry: ListEntry | None) -> str:
    """A hash of what an entry says (names, identifiers, lists, licence terms …), not of when it
    was read: a false positive stays decided until the entry itself changes."""
    if entry is None:
        return ""
    content = entry.model_dump(
        mode="json",
        exclude={"recorded_at", "superseded_at", "valid_from", "valid_to", "issues", "original"},
    )
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def party_fingerprint(name: str, country: str | None, identifiers: list[str]) -> str:
    """The same party as written on another order: case, spacing and identifier order aside."""
    key = "|".join(
        [" ".join(name.casefold().split()), (country or "").upper(), *sorted(identifiers)]
    )
    return hashlib.sha256(key.encode()).hexdigest()


def _rule_reason(
    rule: OrderRule, target: str, detail: str, outcome: Outcome | None = None
) -> Reason:
    """A reason that rests on the rule alone: no list entry behind it."""
    return Reason(
        rule=rule.id,
        outcome=outcome or rule.outcome,
        target=target,
        entity_id=None,
        list=None,
        citation=rule.citation,
        detail=detail,
        verified=rule.verified,
    )


def jurisdictions_of(country: str, members: dict[str, list[str]]) -> list[str]:
    """The jurisdictions whose controls bind a country: its own, and the unions and conventions
    it belongs to ('*': every country)."""
    return [country] + [
        name for name, countries in members.items() if "*" in countries or country in countries
    ]


def strictest(outcomes: Sequence[Outcome]) -> Outcome:
    return max(outcomes, key=SEVERITY.__getitem__, default="CLEAR")


class OrderScreen:
    def __init__(self, services: Services, rules: OrderRules, ownership: OwnershipGraph) -> None:
        self.services = services
        self.rules = rules
        self.ownership = ownership

    def decide(self, order: Order, as_of: date | None = None) -> OrderDecision:
        on = as_of or order.date
        regimes = {state.id: state for state in self.services.regimes(on)}
        active = [r for r in self.rules.rules if r.regime is None or regimes[r.regime].restricted]
        notes = [
            f"rule {r.id} does not apply on {on}: regime {r.regime} is {regimes[r.regime].state}"
            for r in self.rules.rules
            if r.regime is not None and not regimes[r.regime].restricted
        ]
        reasons: list[Reason] = []
        scorer = ""
        parties = []
        for party in order.parties:
            result, scorer = self._party(party, on, active, reasons)
            parties.append(result)
        owners = self._owners(on)
        for result in parties:
            self._owned(result, owners, active, reasons)
        items = self._items(order, on, active, reasons)
        return OrderDecision(
            order_id=order.id,
            decision=strictest([r.outcome for r in reasons]),
            reasons=reasons,
            parties=parties,
            items=items,
            as_of=on,
            data_version=self.services.data_version(),
            rules_version=self.rules.digest,
            scorer=scorer,
            notes=notes,
        )

    def explain_ownership(self, name: str, on: date) -> OwnershipExplanation:
        """Who owns an entity, which owners are listed, and what the ownership rules in force on
        `on` make of it."""
        regimes = {state.id: state for state in self.services.regimes(on)}
        active = [r for r in self.rules.rules if r.regime is None or regimes[r.regime].restricted]
        notes = [
            f"rule {r.id} does not apply on {on}: regime {r.regime} is {regimes[r.regime].state}"
            for r in self.rules.rules
            if r.regime is not None
            and not regimes[r.regime].restricted
            and isinstance(r.condition, OwnedByListed)
        ]
        owners = self._owners(on)
        party = PartyResult(role="other", name=name, country=None, decision="CLEAR")
        reasons: list[Reason] = []
        self._owned(party, owners, active, reasons)
        return OwnershipExplanation(
            name=name,
            as_of=on,
            edges=[e.model_dump(mode="json") for e in self.ownership.edges],
            listed_owners={o: [h.entity_id for h in hits] for o, hits in owners.items()},
            decision=party.decision,
            reasons=reasons,
            paths=party.ownership,
            notes=notes,
        )

    # -- parties ---------------------------------------------------------------------------------
    def _party(
        self, party: Party, on: date, active: list[OrderRule], reasons: list[Reason]
    ) -> tuple[PartyResult, str]:
        result = self.services.screen(
            ScreeningQuery(
                name=party.name,
                country=party.country,
                identifiers=party.identifiers,
                as_of=on,
                limit=PARTY_LIMIT,
            )
        )
        target = f"party {party.role}: {party.name}"
        fingerprint = party_fingerprint(party.name, party.country, party.identifiers)
        hits, notes, found = [], [], []
        for match in result.matches:
            if not match.match:
                continue
            hit = self._hit(match)
            hits.append(hit)
            hit.suppressed_by = self.services.suppressed_by(
                fingerprint, hit.entity_id, hit.entry_version
            )
            if hit.suppressed_by is not None:
                notes.append(
                    f"{match.entity_id}: the same hit was decided a false positive "
                    f"(alert {hit.suppressed_by}); suppressed until the entry changes"
                )
                continue
            if match.status == "delisted":
                removal = (match.status_detail or {}).get("removed")
                notes.append(
                    f"{match.entity_id} matched but was delisted"
                    + (f" ({removal})" if removal else "")
                )
                continue
            found += self._listed_reasons(hit, target, active)
        reasons += found
        decision = strictest([r.outcome for r in found])
        return (
            PartyResult(
                role=party.role,
                name=party.name,
                country=party.country,
                identifiers=party.identifiers,
                fingerprint=fingerprint,
                decision=decision,
                hits=hits,
                notes=notes,
            ),
            result.scorer,
        )

    def _hit(self, match: ScreeningMatch) -> Hit:
        entry = self.services.entity(match.entity_id)
        return Hit(
            entity_id=match.entity_id,
            name=match.name,
            matched_name=match.matched_name,
            lists=match.lists,
            score=match.score,
            status=match.status,
            programs=entry.programs if entry else [],
            license_requirement=entry.license_requirement if entry else None,
            license_policy=entry.license_policy if entry else None,
            citations=[c.raw for c in entry.citations] if entry else [],
            entry_version=entry_version(entry),
        )

    @staticmethod
    def _listed_reasons(hit: Hit, target: str, active: list[OrderRule]) -> list[Reason]:
        found = []
        for rule in active:
            condition = rule.condition
            if not isinstance(condition, ListedParty):
                continue
            lists = [code for code in hit.lists if code in condition.lists]
            if not lists:
                continue
            programs = [p for p in hit.programs if p in condition.programs]
            if condition.programs and not programs:
                continue
            detail = f"matched {hit.name!r} ({', '.join(lists)}) at {hit.score:.2f}"
            if programs:
                detail += f"; programs {', '.join(programs)}"
            if hit.license_requirement:
                detail += f"; licence requirement: {hit.license_requirement}"
            if hit.license_policy:
                detail += f"; review policy: {hit.license_policy}"
            found.append(
                Reason(
                    rule=rule.id,
                    outcome=rule.outcome,
                    target=target,
                    entity_id=hit.entity_id,
                    list=", ".join(lists),
                    citation=rule.citation
                    + (f"; entry: {'; '.join(hit.citations)}" if hit.citations else ""),
                    detail=detail,
                    score=hit.score,
                    matched_name=hit.matched_name,
                    verified=rule.verified,
                )
            )
        return found

    # -- ownership -------------------------------------------------------------------------------
    def _owners(self, on: date) -> dict[str, list[Hit]]:
        """Each owner the ownership data names, screened: its listed hits on `on`."""
        owners: dict[str, list[Hit]] = {}
        for name in sorted(self.ownership.owner_names()):
            result = self.services.screen(ScreeningQuery(name=name, as_of=on, limit=PARTY_LIMIT))
            listed = [self._hit(m) for m in result.matches if m.match and m.status != "delisted"]
            if listed:
                owners[name] = listed
        return owners

    def _owned(
        self,
        party: PartyResult,
        owners: dict[str, list[Hit]],
        active: list[OrderRule],
        reasons: list[Reason],
    ) -> None:
        target = f"party {party.role}: {party.name}"
        found: list[Reason] = []
        for rule in active:
            condition = rule.condition
            if not isinstance(condition, OwnedByListed):
                continue
            restricted = {
                name: hits
                for name, hits in owners.items()
                if any(set(h.lists) & set(condition.lists) for h in hits)
            }
            findings = self.ownership.caught_by(restricted)
            found += self._ownership_reasons(rule, party, findings, restricted, target)
        reasons += found
        party.decision = strictest([party.decision, *(r.outcome for r in found)])

    def _ownership_reasons(
        self,
        rule: OrderRule,
        party: PartyResult,
        findings: OwnershipFindings,
        restricted: dict[str, list[Hit]],
        target: str,
    ) -> list[Reason]:
        caught = findings.caught_key(party.name)
        if caught is not None:
            path = findings.path(party.name)
            party.ownership += [f"{rule.id}: {line}" for line in path]
            tops = findings.restricted_owners(party.name)
            hits = [h for name in tops for h in restricted.get(name, [])]
            lists = sorted({c for h in hits for c in h.lists})
            return [
                Reason(
                    rule=rule.id,
                    outcome=rule.outcome,
                    target=target,
                    entity_id=hits[0].entity_id if hits else None,
                    list=", ".join(lists) or None,
                    citation=rule.citation,
                    detail=f"owned {caught.share:.0%} by restricted owners: " + " / ".join(path),
                    verified=rule.verified,
                )
            ]
        unknown = findings.unknown_for(party.name)
        if unknown and rule.unknown_share_outcome:
            names = ", ".join(h.owner for h in unknown)
            party.ownership.append(f"{rule.id}: restricted owner of unknown share: {names}")
            detail = (
                f"a restricted owner with an unknown share ({names}): resolve the percentage or "
                "apply for a licence"
            )
            return [_rule_reason(rule, target, detail, rule.unknown_share_outcome)]
        return []

    # -- items -----------------------------------------------------------------------------------
    def _items(
        self, order: Order, on: date, active: list[OrderRule], reasons: list[Reason]
    ) -> list[ItemResult]:
        chemicals = [item for item in order.items if item.kind == "chemical"]
        answers = iter(
            self.services.chem([i.line for i in chemicals], "all", on) if chemicals else []
        )
        results = []
        for number, item in enumerate(order.items, start=1):
            if item.kind != "chemical":
                results.append(
                    ItemResult(line=item.line, kind=item.kind, decision="CLEAR", chem=None)
                )
                continue
            answer = next(answers)
            target = f"item {number}: {item.description}"
            found = [
                reason
                for rule in active
                for reason in self._item_reasons(
                    rule, answer, order, target, self.rules.jurisdictions
                )
            ]
            reasons += found
            results.append(
                ItemResult(
                    line=item.line,
                    kind=item.kind,
                    decision=strictest([r.outcome for r in found]),
                    chem=answer,
                )
            )
        return results

    @staticmethod
    def _item_reasons(
        rule: OrderRule,
        answer: ChemAnswer,
        order: Order,
        target: str,
        members: dict[str, list[str]],
    ) -> list[Reason]:
        condition = rule.condition
        if isinstance(condition, ItemUnresolved):
            if answer.status != "unresolved":
                return []
            return [_rule_reason(rule, target, "; ".join(answer.issues or answer.explanation[-1:]))]
        if not isinstance(condition, ItemControlled):
            return []
        route = order.route
        if condition.origin_in and route.origin not in condition.origin_in:
            return []
        if condition.destination_in and route.destination not in condition.destination_in:
            return []
        places: dict[str, str] = {}
        for where in condition.where:
            for jurisdiction in jurisdictions_of(getattr(route, where), members):
                places.setdefault(jurisdiction, where)
        found = []
        for verdict in answer.verdicts:
            place = places.get(verdict.jurisdiction)
            if not verdict.controlled or place is None:
                continue
            found.append(
                Reason(
                    rule=rule.id,
                    outcome=rule.outcome,
                    target=target,
                    entity_id=None,
                    list=f"{verdict.jurisdiction} {verdict.listing}",
                    citation=verdict.citation,
                    detail=f"{verdict.reason} ({place}; {verdict.substance})",
                    verified=rule.verified and verdict.verified,
                )
            )
        return found
