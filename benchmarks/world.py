"""The shared world of the synthetic corpus: places, people, outlets and orders, drawn as needed.

Places and outlets are picked with Zipf-like weights, so a few are in many articles and most in
a few; people and orders are made when an article first needs them and reused after. Only what
some article uses is written to ``entities.yaml``.

Every ``within`` needs a source: the data packages give some (the ``within`` rows of the real
codes), and the first article that uses a place states the others (:meth:`World.unstated`). The
last article uses only places whose ``within`` is already sourced (:attr:`World.settled_only`),
so the corpus without its last sheet still builds (the benchmark's add-one step).
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from sanctuary_kg.ids import SKOS
from sanctuary_kg.ontology import Ontology

from . import vocabulary as v

SECTIONS = ("jurisdictions", "people", "organizations", "orders")
ZIPF = 0.85  # the steepness of the popularity of places and outlets


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "").replace("\u2019", "")).strip("-")


@dataclass
class Entity:
    id: str
    section: str
    label: str
    kind: str  # a jurisdiction kind, a role or an order kind
    within: str | None = None


@dataclass
class Place:
    entity: Entity
    state: str  # the id of its state (its own for a state)
    lean: int  # +1 sanctuary, -1 anti-sanctuary, 0 mixed
    people: dict[str, str] = field(default_factory=dict)  # office -> person
    orders: list[Order] = field(default_factory=list)  # its main order first

    @property
    def id(self) -> str:
        return self.entity.id

    @property
    def label(self) -> str:
        return self.entity.label


@dataclass
class Order:
    id: str
    noun: str
    direction: str  # sanctuary or anti
    issuer: str
    issuer_office: str | None  # when a person issued it
    place: Place
    provisions: tuple[str, ...]
    statuses: tuple[str, ...]
    year: int


@dataclass
class Publisher:
    id: str
    name: str
    domain: str
    curly: bool
    paragraph: str
    preamble: list[str]
    closing: list[str]
    byline_share: float
    byline_first: bool
    typed_share: float
    journalists: list[str] = field(default_factory=list)


def _cumulative(count: int) -> list[float]:
    return list(itertools.accumulate(1 / (rank + 2) ** ZIPF for rank in range(count)))


class World:
    def __init__(self, n: int, seed: int, ontology: Ontology, sourced: Iterable[tuple[str, str]] = ()):
        self.rng = random.Random(seed)
        self.sourced = set(sourced)  # (place, parent): the `within` facts a data package gives
        self.stated: set[tuple[str, str]] = set()  # those an article written so far states
        self.settled_only = False  # pick only places whose every `within` is sourced already
        self.entities: dict[str, Entity] = {}
        self.place_by_id: dict[str, Place] = {}
        self.used: set[str] = set()
        self.provisions, self.provision_labels = _provisions(ontology)
        _check(ontology)
        self._lawsuits: dict[str, Order] = {}

        self._place("united-states", "United States", "nation", None, "united-states", 0)
        weights = []
        for name, _, population, lean in v.STATES:
            self._place(slug(name), name, "state", "united-states", slug(name), lean)
            weights.append(population)
        self.add("donald-trump", "people", "Donald Trump", "official")
        self.add("ice", "organizations", "U.S. Immigration and Customs Enforcement", "agency")
        self.add("dhs", "organizations", "Department of Homeland Security", "agency")
        self.add("trump-sanctuary-executive-order", "orders",
                 "Presidential executive order threatening funding of sanctuary cities", "executive-order")
        self.add("trump-crime-list-order", "orders",
                 "Presidential order to publish weekly lists of crimes committed by immigrants", "directive")

        self.locals = [self._place(key, label, kind, within, self._state_of(within), 0)
                       for key, label, kind, within in v.REAL_PLACES]
        self._synthetic_places(round(0.6 * n) + 10, weights)
        self._local_weights = _cumulative(len(self.locals))
        self.publishers = [self._publisher(i) for i in range(min(80, 5 + n // 150))]
        self._publisher_weights = _cumulative(len(self.publishers))
        self.readers: list[str] = []
        self._reader_cap = 20 + n // 25

    # -------------------------------------------------------------- registry

    def add(self, key: str, section: str, label: str, kind: str, within: str | None = None) -> str:
        base, number = key, 1
        while key in self.entities:
            number += 1
            key = f"{base}-{number}"
        self.entities[key] = Entity(key, section, label, kind, within)
        return key

    def label(self, key: str) -> str:
        return self.entities[key].label

    def use(self, keys: list[str], publisher: str) -> None:
        for key in [*keys, publisher]:
            while key and key not in self.used:
                self.used.add(key)
                key = self.entities[key].within  # type: ignore[assignment]

    def entities_yaml(self) -> str:
        out = ["# Canonical entities of a synthetic corpus written by benchmarks.corpus: made up, bar the",
               "# places, Donald Trump and the federal agencies and orders.", ""]
        for section in SECTIONS:
            out.append(f"{section}:")
            for key in sorted(k for k in self.used if self.entities[k].section == section):
                e = self.entities[key]
                name = "label" if section in ("jurisdictions", "orders") else "name"
                kind = "role" if section in ("people", "organizations") else "kind"
                within = f", within: {e.within}" if e.within else ""
                out.append(f"  {key}: {{{name}: {json.dumps(e.label, ensure_ascii=False)}, {kind}: {e.kind}{within}}}")
            out.append("")
        return "\n".join(out)

    # -------------------------------------------------------------- places

    def _place(self, key: str, label: str, kind: str, within: str | None, state: str, lean: int) -> Place:
        place = Place(self.entities[self.add(key, "jurisdictions", label, kind, within)], state, lean)
        self.place_by_id[place.id] = place
        return place

    def _state_of(self, key: str | None) -> str:
        while key and self.entities[key].kind != "state":
            key = self.entities[key].within
        return key or "united-states"

    def _synthetic_places(self, count: int, state_weights: list[float]) -> None:
        rng = self.rng
        states = [self.place_by_id[slug(name)] for name, *_ in v.STATES]
        codes = {slug(name): code.lower() for name, code, *_ in v.STATES}
        taken: set[tuple[str, str]] = {(p.state, p.label) for p in self.locals}
        counties: dict[str, list[Place]] = {}

        def new(kind: str, state: Place, within: str) -> Place:
            for _ in range(50):
                word = rng.choice(v.PLACE_WORDS)
                if kind == "county":
                    label = f"{rng.choice(v.COUNTY_PREFIXES)}{word} County"
                else:
                    label = rng.choice(v.CITY_PATTERNS).format(word)
                if (state.id, label) not in taken:
                    break
            taken.add((state.id, label))
            place = self._place(f"{slug(label)}-{codes[state.id]}", label, kind, within, state.id, state.lean)
            self.locals.append(place)
            if kind == "county":
                counties.setdefault(state.id, []).append(place)
            return place

        while len(self.locals) < len(v.REAL_PLACES) + count:
            state = rng.choices(states, weights=state_weights)[0]
            if rng.random() < 0.55 or not counties.get(state.id):
                new("county", state, state.id)
            else:
                new("city", state, rng.choice(counties[state.id]).id)

    def place(self) -> Place:
        """A local place (county or city), popular ones more often (only settled ones when :attr:`settled_only`)."""
        place = self.rng.choices(self.locals, cum_weights=self._local_weights)[0]
        if not self.settled_only or self._settled(place.id):
            return place
        for _ in range(20):
            place = self.rng.choices(self.locals, cum_weights=self._local_weights)[0]
            if self._settled(place.id):
                return place
        return next((p for p in self.locals if self._settled(p.id)), place)  # the most popular settled one

    def unstated(self, keys: Iterable[str]) -> list[tuple[str, str]]:
        """The (place, parent) `within` facts of ``keys`` and the places they lie within that no source gives yet."""
        found: dict[tuple[str, str], None] = {}
        for key in keys:
            while key in self.place_by_id and (parent := self.entities[key].within):
                if (key, parent) not in self.sourced and (key, parent) not in self.stated:
                    found[key, parent] = None
                key = parent
        return list(found)

    def _settled(self, key: str) -> bool:
        return not self.unstated([key])

    def other_place(self, avoid: Place) -> Place | None:
        """Another local place, not of the same name as ``avoid``."""
        for _ in range(6):
            place = self.place()
            if place.label != avoid.label:
                return place
        return None

    # -------------------------------------------------------------- people and organizations

    def person(self, role: str) -> str:
        name = f"{self.rng.choice(v.FIRST_NAMES)} {self.rng.choice(v.LAST_NAMES)}"
        return self.add(slug(name), "people", name, role)

    def official(self, place: Place, which: str) -> tuple[str, str]:
        """The person holding ``place``'s executive or police office, and its title."""
        office = v.OFFICES[place.entity.kind][0 if which == "executive" else 1]
        if office not in place.people:
            place.people[office] = self.person("official")
        return place.people[office], office

    def council(self, place: Place) -> str:
        key = f"{place.id}-council"
        if key not in self.entities:
            name = f"{place.label} Council" if place.entity.kind == "county" else f"{place.label} City Council"
            self.add(key, "organizations", name, "official")
        return key

    def advocate(self, state: Place) -> tuple[str, str]:
        org = f"{state.id}-immigrant-rights-coalition"
        if org not in self.entities:
            self.add(org, "organizations", f"{state.label} Immigrant Rights Coalition", "advocate")
        if org not in state.people:
            state.people[org] = self.person("advocate")
        return state.people[org], org

    def reader(self) -> str:
        rng = self.rng
        if not self.readers or (len(self.readers) < self._reader_cap and rng.random() < 0.5):
            name = f"{rng.choice(v.FIRST_NAMES)} {rng.choice(v.LAST_NAMES)[0]}."
            self.readers.append(self.add(slug(name), "people", name, "reader"))
            return self.readers[-1]
        return self.readers[int(len(self.readers) * rng.random() ** 2)]

    # -------------------------------------------------------------- outlets

    def _publisher(self, number: int) -> Publisher:
        rng = self.rng
        if number < len(v.ONLINE_OUTLETS) and rng.random() < 0.3:
            name = v.ONLINE_OUTLETS[number]
        else:
            name = f"The {rng.choice(v.PLACE_WORDS)} {rng.choice(v.OUTLET_NOUNS)}"
        key = self.add(slug(name), "organizations", name, "publisher")
        return Publisher(
            id=key, name=name, domain=f"{rng.choice(('', 'www.'))}{key}.example", curly=rng.random() < 0.6,
            paragraph="\n\n" if rng.random() < 0.7 else "\n",
            preamble=rng.choice(v.PREAMBLES) if rng.random() < 0.35 else [], closing=rng.choice(v.CLOSINGS),
            byline_share=rng.uniform(0.3, 0.95), byline_first=rng.random() < 0.5, typed_share=rng.uniform(0.2, 0.8))

    def publisher(self) -> Publisher:
        return self.rng.choices(self.publishers, cum_weights=self._publisher_weights)[0]

    def outlet(self, pub: Publisher) -> Publisher:
        """Another outlet, cited by ``pub``."""
        while True:
            other = self.publisher()
            if other.id != pub.id:
                return other

    def journalist(self, pub: Publisher) -> str:
        if len(pub.journalists) < 2 or (len(pub.journalists) < 12 and self.rng.random() < 0.05):
            pub.journalists.append(self.person("journalist"))
        return self.rng.choice(pub.journalists)

    # -------------------------------------------------------------- orders

    def order_of(self, place: Place) -> Order:
        """The place's main order, made on first use."""
        if not place.orders:
            place.orders.append(self._state_law(place) if place.entity.kind == "state" else self._local_order(place))
        return place.orders[0]

    def _direction(self, place: Place) -> str:
        sanctuary = {1: 0.92, 0: 0.7, -1: 0.4}[place.lean]
        return "sanctuary" if self.rng.random() < sanctuary else "anti"

    def _pick_provisions(self, direction: str, count: int) -> tuple[str, ...]:
        rng = self.rng
        known = self.provisions[direction]
        common = [p for p in v.COMMON_PROVISIONS[direction] if p in known] or known
        picked = [rng.choice(common) if rng.random() < 0.7 else rng.choice(known) for _ in range(count)]
        return tuple(dict.fromkeys(picked))

    def _order(self, place: Place, noun: str, kind: str, direction: str, issuer: str, office: str | None,
               statuses: tuple[str, ...], year: int, provisions: int) -> Order:
        purpose = "limiting cooperation with ICE" if direction == "sanctuary" else "expanding cooperation with ICE"
        key = self.add(slug(f"{place.id} {noun} {year}"), "orders", f"{place.label} {noun} {purpose} ({year})", kind)
        return Order(key, noun, direction, issuer, office, place, self._pick_provisions(direction, provisions),
                     statuses, year)

    def _local_order(self, place: Place) -> Order:
        rng = self.rng
        direction = self._direction(place)
        kind, noun, who, statuses = rng.choice(v.LOCAL_ORDERS[direction])
        if who == "council":
            issuer, office = self.council(place), None
        else:
            issuer, office = self.official(place, "executive" if who == "executive" else "police")
        return self._order(place, noun, kind, direction, issuer, office, statuses, rng.randint(2014, 2019),
                           rng.randint(1, 3))

    def _state_law(self, state: Place) -> Order:
        governor, office = self.official(state, "executive")
        return self._order(state, "law", "law", self._direction(state), governor, office, ("signed", "in-force"),
                           self.rng.randint(2013, 2018), self.rng.randint(1, 2))

    def earlier_order(self, place: Place, order: Order) -> Order:
        """An older policy of the place that ``order`` builds on."""
        if len(place.orders) < 2:
            police, office = self.official(place, "police")
            place.orders.append(self._order(place, "policy", "policy", order.direction, police, office,
                                            ("adopted", "in-force"), order.year - self.rng.randint(2, 6), 1))
        return place.orders[1]

    def lawsuit(self, state: Place, target: Order) -> Order:
        """The state attorney general's lawsuit against ``target``."""
        if target.id not in self._lawsuits:
            person, office = self.official(state, "police")
            key = self.add(f"{state.id}-lawsuit-against-{target.id}", "orders",
                           f"{state.label} Attorney General's lawsuit against the {self.label(target.id)}", "lawsuit")
            self._lawsuits[target.id] = Order(key, "lawsuit", "anti", person, office, state, (), (), target.year)
        return self._lawsuits[target.id]


def _provisions(ontology: Ontology) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The provision notations by direction (what their top concept is), and their labels."""
    concepts = ontology.lists["provision"]
    notation = {iri: key for key, iri in concepts.items()}
    broader = {q.subject: q.object for q in ontology.quads
               if q.predicate == SKOS.broader and isinstance(q.object, ox.NamedNode)}
    labels = {notation[q.subject]: q.object.value for q in ontology.quads
              if q.predicate == SKOS.prefLabel and isinstance(q.subject, ox.NamedNode) and q.subject in notation
              and isinstance(q.object, ox.Literal)}
    by_direction: dict[str, list[str]] = {"sanctuary": [], "anti": []}
    for key, iri in sorted(concepts.items()):
        top = iri
        while top in broader:
            top = broader[top]
        by_direction["anti" if notation.get(top) == "requires-entanglement" else "sanctuary"].append(key)
    return by_direction, labels


def _check(ontology: Ontology) -> None:
    """Every notation the corpus writes must be in the ontology's lists."""
    wanted = {
        "claim-kind": {"direct-quote", "reported-statement", "statistic", "reader-comment"},
        "segment-kind": {"headline", "body", "boilerplate", "caption", "byline", "reader-comments"},
        "role": {"official", "agency", "advocate", "publisher", "journalist", "reader"},
        "order-kind": {kind for options in v.LOCAL_ORDERS.values() for kind, *_ in options}
        | {"law", "lawsuit", "executive-order", "directive"},
        "status": {s for options in v.LOCAL_ORDERS.values() for *_, statuses in options for s in statuses}
        | {"signed", "in-force", "issued", "challenged", "adopted"},
        "order-relation": {"builds-on", "challenges"},
        "provision": {"sanctuary-funding-penalties", "published-crime-lists"},
    }
    for scheme, notations in wanted.items():
        missing = sorted(notations - set(ontology.lists[scheme]))
        if missing:
            raise ValueError(f"the ontology's {scheme} list lacks {', '.join(missing)}: update benchmarks.vocabulary")
