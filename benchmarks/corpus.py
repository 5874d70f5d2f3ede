"""Synthetic seeds shaped like the real ones, for the scale benchmark.

``python -m benchmarks.corpus --articles 1000 --out /tmp/c1k [--seed 0]`` writes a complete
seeds folder: ``entities.yaml``, ``jurisdiction-codes.csv`` (the real codes of the real places
it keeps), and per article ``NNNNN_<hex>.txt`` with its fact sheet ``NNNNN_<hex>.yaml``.
The same ``(articles, seed)`` always gives byte-identical files.

The articles are made up. Outlets (under ``.example`` addresses), people and local orders are
invented; the places are the real ones of the seeds, the 50 states, and a pool of invented
counties and cities that grows with the corpus and is shared across articles (a few places are
in many articles, most in a few). The only real person is President Trump, and he and the
federal agencies appear only in reported statements of what is on record, never in made-up
quotes.

Where a place lies (its ``within``) is sourced as in the seeds: by the real codes where a data
package gives it, else by the first article that names the place, which says so ("Port Elm is
a city in North Adams County") and records it under ``within``.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from pathlib import Path

from sanctuary_kg.files import replacing, resources
from sanctuary_kg.ontology import load as load_ontology
from sanctuary_kg.reference import CODES_FILE, read_codes, write_codes

from . import vocabulary as v
from .draft import Draft, N, Office, Q
from .world import Order, Place, Publisher, World, slug


def generate(n: int, out: Path, seed: int = 0) -> None:
    """Write a seeds folder of ``n`` synthetic articles and their fact sheets to ``out``.

    ``out`` must be missing, empty, or an earlier corpus (a folder with ``entities.yaml``),
    which is replaced as a whole.
    """
    if n < 1:
        raise ValueError("a corpus needs at least one article")
    if out.exists() and any(out.iterdir()) and not (out / "entities.yaml").exists():
        raise ValueError(f"{out} is not empty and holds no corpus: choose a new folder")
    root = resources()
    real_codes = root / "seeds" / CODES_FILE
    codes = read_codes(real_codes) if real_codes.exists() else ()
    world = World(n, seed, load_ontology(root / "ontology"), ((c.id, c.code) for c in codes if c.kind == "within"))
    with replacing(out) as folder:
        folder.mkdir()
        for index in range(n):
            world.settled_only = index == n - 1  # so that the corpus builds without its last sheet too
            stem, text, sheet = write_article(world, index)
            (folder / f"{stem}.txt").write_bytes(text.encode("utf-8"))
            (folder / f"{stem}.yaml").write_text(sheet, encoding="utf-8")
        (folder / "entities.yaml").write_text(world.entities_yaml(), encoding="utf-8")
        kept = tuple(c for c in codes if c.id in world.used)
        (folder / CODES_FILE).write_text(write_codes(kept), encoding="utf-8")


# ------------------------------------------------------------------ one article


def write_article(world: World, index: int) -> tuple[str, str, str]:
    """The file stem, text and fact sheet of article number ``index``."""
    rng = world.rng
    pub = world.publisher()
    place = world.place()
    order = world.order_of(place)
    year = max(2017, order.year) + rng.choice((0, 0, 1))
    d = Draft(rng, curly=pub.curly, noisy=rng.random() < 0.35, paragraph=pub.paragraph)
    byline = world.journalist(pub) if rng.random() < pub.byline_share else None

    headline(d, world, pub, place, order)
    if byline and pub.byline_first:
        d.para()
        with d.segment("byline"):
            d.say("By ", N(byline, world.label(byline)))
    if pub.preamble:
        d.para()
        with d.segment("boilerplate"):
            lines(d, pub.preamble, pub)
    if rng.random() < 0.25:
        d.para()
        with d.segment("caption"):
            d.say("(Image: ", N("ice", "U.S. Immigration and Customs Enforcement"), ")")
    d.para()
    with d.segment("body"):
        body(d, world, pub, place, order)
    if byline and not pub.byline_first:
        d.para()
        with d.segment("byline"):
            d.say(N(byline, world.label(byline)))
    d.para()
    with d.segment("boilerplate"):
        lines(d, pub.closing, pub)
    if rng.random() < 0.2:
        d.para()
        with d.segment("reader-comments"):
            comments(d, world, place, order)

    text = d.text()
    address = (f"https://{pub.domain}/{year}/{rng.randint(1, 12):02}/{rng.randint(1, 28):02}/"
               f"{slug(d.title_text)[:90].strip('-')}-{100000 + index * 7 + rng.randrange(7)}/")
    stem = f"{index:05}_{hashlib.sha256(address.encode()).hexdigest()[:16]}"
    sheet = d.sheet(article=f"{stem}.txt", publisher=pub.id, byline=byline, address=address,
                    typed=rng.random() < pub.typed_share)
    world.use(d.entities(), pub.id)
    return stem, text, sheet


def lines(d: Draft, texts: list[str], pub: Publisher) -> None:
    for number, line in enumerate(texts):
        if number:
            d.line()
        d.say(line.format(publisher=pub.name))


def headline(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> None:
    rng = world.rng
    with d.segment("headline"):
        template = rng.choice(v.HEADLINES[order.direction])
        span = d.say(*fill(template, place=place, noun=order.noun))
        d.title(span)
        d.claim("reported-statement", pub.id, [order.id, place.id], span, "headline",
                provisions=order.provisions[:1], status=rng.choice((order.statuses[0], order.statuses[-1])))
        if rng.random() < 0.4:
            d.line()
            d.say(*fill(rng.choice(v.STANDFIRSTS), place=place, noun=order.noun))


def body(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> None:
    rng = world.rng
    state = world.place_by_id[place.state]
    cited = world.outlet(pub) if rng.random() < 0.3 else None
    bare = "barred from helping" if order.direction == "sanctuary" else "required to help"
    plan = ["reported"] * rng.choice((0, 0, 0, 1, 1)) + ["direct"] * rng.choice((0, 1, 1, 2, 2, 2))
    plan += ["statistic"] * rng.choice((0, 1, 1)) + ["federal"] * (rng.random() < 0.6)
    rng.shuffle(plan)
    plan.append("where")  # last: where the places named lie, if no source says so yet
    # every article names the United States: in its federal context, or as here
    agents = ["federal"] if "federal" in plan else [N("united-states", "U.S.")]

    # the lead and the order itself: always
    span = d.say("Officials in ", N(place.id, place.label), ", ", N(state.id, state.label), ", are now ", bare, " ",
                 *agents, " immigration agents under a new ", order.noun, " that ",
                 phrase(world, order.provisions[0]), ".")
    d.claim("reported-statement", pub.id, [order.id, place.id], span, "lead", provisions=order.provisions[:1])
    d.sentence()
    more = order.provisions[1:]  # what the order does besides what the lead says
    spans = d.say(N(order.id, f"The {order.noun}"), ", ", v.STATUS_VERBS[order.statuses[0]], " ", rng.choice(v.DAYS),
                  " by ", issuer(world, order), *([", also ", phrase(world, more[0])] if more else []),
                  *([", ", N(cited.id, cited.name), " reported."] if cited else ["."]))
    d.order_fact(order.id, order.issuer, place.id, spans[0], spans[6])
    d.claim("reported-statement", cited.id if cited else pub.id, [order.id, order.issuer],
            (spans[0][0], spans[8 if more else 6][1]), "order", provisions=more[:1], status=order.statuses[0])

    # then a mix of statements, quotes and figures, and the federal context
    reported = [takes_effect, official_says, opponent_says, advocates_praise, state_law, elsewhere, builds_on,
                lawsuit, council_approved]
    direct = [official_quote, official_quote, advocate_quote, ice_quote, critic_quote]
    statistic = [immigrant_share, detainer_requests, council_tally, undocumented_estimate]
    used: set[object] = set()
    for step in plan:
        if rng.random() < 0.45:
            d.para()
        else:
            d.sentence()
        if step == "where":
            where(d, world)
            continue
        if step == "federal":
            federal(d, world, pub)
            continue
        choices = {"reported": reported, "direct": direct, "statistic": statistic}[step]
        for _ in range(8):  # a template that does not fit this order falls back to another
            template = rng.choice(choices)
            if (template not in used or template is official_quote) and template(d, world, pub, place, order):
                used.add(template)
                break


def fill(template: str, place: Place | None = None, state: Place | None = None, noun: str = "") -> list[object]:
    """The parts of a template: names for ``{place}`` and ``{state}``, words for the rest."""
    parts: list[object] = []
    for piece in re.split(r"(\{\w+\})", template):
        if piece == "{place}" and place:
            parts.append(N(place.id, place.label))
        elif piece == "{state}" and state:
            parts.append(N(state.id, state.label))
        elif piece:
            parts.append(piece.replace("{noun}", noun).replace("{kind}", place.entity.kind if place else ""))
    return parts


def phrase(world: World, provision: str) -> str:
    return v.PROVISION_PHRASES.get(provision) or f"provides for {world.provision_labels[provision]}"


def issuer(world: World, order: Order) -> object:
    entity = world.entities[order.issuer]
    if entity.section == "organizations":
        return N(entity.id, f"the {entity.label}")
    return office(world, order.issuer, order.issuer_office or "", order.place)


def office(world: World, person: str, title: str, place: Place) -> Office:
    return Office(person, world.label(person), title, place.id, place.label)


# ------------------------------------------------------------------ reported statements


def federal(d: Draft, world: World, pub: Publisher) -> None:
    rng = world.rng
    if rng.random() < 0.7:
        span = d.say("The move comes as an ", N("trump-sanctuary-executive-order", "executive order"), " signed by "
                     "President ", N("donald-trump", "Donald Trump"), " threatens to withhold federal funding from "
                     "sanctuary jurisdictions across ", N("united-states", "the United States"), ".")
        d.claim("reported-statement", pub.id, ["trump-sanctuary-executive-order", "donald-trump", "united-states"],
                span, "federal-funding-threat", provisions=["sanctuary-funding-penalties"], status="issued")
    else:
        span = d.say(N("donald-trump", "Trump"), " has also ordered the ", N("dhs", "Department of Homeland Security"),
                     " to publish a ", N("trump-crime-list-order", "weekly list of crimes"), " committed by "
                     "immigrants in ", N("united-states", "the United States"), ".")
        d.claim("reported-statement", pub.id, ["trump-crime-list-order", "dhs"], span, "federal-crime-lists",
                provisions=["published-crime-lists"], status="issued")


def where(d: Draft, world: World) -> None:
    """Where each place named so far lies, where no data package and no earlier article says so."""
    for number, (key, parent) in enumerate(world.unstated(d.entities())):
        if number:
            d.sentence()
        place, name = world.entities[key], world.label(parent)
        spans = d.say(N(key, place.label), f" is a {place.kind} in ", N(parent, "the " + name if name == "United States"
                                                                          else name), ".")
        d.within(key, parent, (spans[0][0], spans[2][1]))
        world.stated.add((key, parent))


def takes_effect(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    if "in-force" not in order.statuses:
        return False
    span = d.say(N(order.id, f"The {order.noun}"), " takes effect immediately.")
    d.claim("reported-statement", pub.id, [order.id], span, "takes-effect", status="in-force")
    return True


def official_says(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    person, title = world.official(place, "executive")
    provision = world.rng.choice(order.provisions)
    spans = d.say(office(world, person, title, place), " said the ", order.noun, " ", phrase(world, provision), ".")
    d.claim("reported-statement", person, [order.id], (spans[0][0], spans[-1][0]), "official-says",
            provisions=[provision])
    return True


def opponent_says(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    if order.direction != "sanctuary" or order.issuer_office == v.OFFICES[place.entity.kind][1]:
        return False
    person, title = world.official(place, "police")
    spans = d.say(office(world, person, title, place), " said the ", order.noun,
                  " would make it harder to keep dangerous people off the streets.")
    d.claim("reported-statement", person, [order.id], spans, "opponent-says")
    return True


def advocates_praise(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    side = "Immigrant advocates praised" if order.direction == "sanctuary" else "Immigrant advocates condemned"
    span = d.say(side, " the ", N(order.id, "move"), ", saying it would change how police and immigrant "
                 "communities deal with each other.")
    d.claim("reported-statement", pub.id, [order.id], span, "advocates-react")
    return True


def state_law(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    state = world.place_by_id[place.state]
    law = world.order_of(state)
    person, title = world.official(state, "executive")
    spans = d.say(N(state.id, state.label), " already has a ", N(law.id, f"state {law.noun}"), " that ",
                  phrase(world, law.provisions[0]), ", ", v.STATUS_VERBS[law.statuses[0]], " by ",
                  office(world, person, title, state), ".")
    d.order_fact(law.id, law.issuer, state.id, spans[2], spans[-2])
    d.claim("reported-statement", pub.id, [law.id, state.id], spans, "state-law",
            provisions=law.provisions[:1], status=law.statuses[0])
    return True


def elsewhere(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    other = world.other_place(place)
    if other is None:
        return False
    theirs = world.order_of(other)
    spans = d.say(N(other.id, other.label), " adopted ", N(theirs.id, f"a similar {theirs.noun}"), " in ",
                  str(theirs.year), ".")
    d.claim("reported-statement", pub.id, [theirs.id, other.id], spans, "elsewhere", status="adopted")
    return True


def builds_on(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    earlier = world.earlier_order(place, order)
    spans = d.say(N(order.id, f"The {order.noun}"), " builds on ", N(place.id, place.label), "'s ",
                  N(earlier.id, f"{earlier.year} {earlier.noun}"), ", which already ",
                  phrase(world, earlier.provisions[0]), ".")
    d.claim("reported-statement", pub.id, [order.id, earlier.id], spans, "builds-on",
            links=[(order.id, "builds-on", earlier.id)])
    return True


def lawsuit(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    if order.direction != "sanctuary":
        return False
    state = world.place_by_id[place.state]
    suit = world.lawsuit(state, order)
    person, title = world.official(state, "police")
    spans = d.say(office(world, person, title, state), " has filed a ", N(suit.id, "lawsuit"),
                  " to block the ", order.noun, ", calling it unlawful.")
    d.order_fact(suit.id, person, state.id, spans[0], spans[2])
    d.claim("reported-statement", pub.id, [suit.id, order.id], spans, "lawsuit", status="challenged",
            links=[(suit.id, "challenges", order.id)])
    return True


def council_approved(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    if "adopted" not in order.statuses:
        return False
    council = world.council(place)
    span = d.say(N(council, f"The {world.label(council)}"), " approved the ", N(order.id, "measure"),
                 " after hours of public testimony.")
    d.claim("reported-statement", pub.id, [order.id, council], span, "council-approved", status="adopted")
    return True


# ------------------------------------------------------------------ direct quotes


def official_quote(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    rng = world.rng
    person, title = world.official(place, "executive")
    words = fill(rng.choice(v.QUOTES[order.direction]), place=place)
    about = [place.id] if any(isinstance(w, N) for w in words) else [order.id]
    speaker = office(world, person, title, place)
    form = rng.randrange(3)
    if form == 0:
        spans = d.say(Q(*words, end=","), " said ", speaker, ".")
    elif form == 1:
        spans = d.say(speaker, " said: ", Q(*words, end="."))
    else:
        outlet = world.outlet(pub)
        spans = d.say(Q(*words, end=","), " ", speaker, " told ", N(outlet.id, outlet.name), ".")
    quote = spans[2] if form == 1 else spans[0]
    d.claim("direct-quote", person, about, quote, f"{slug(world.label(person).split()[-1])}-quote")
    return True


def advocate_quote(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    state = world.place_by_id[place.state]
    person, org = world.advocate(state)
    words = fill(world.rng.choice(v.PRAISE if order.direction == "sanctuary" else v.CRITICISM), place=place,
                 state=state)
    spans = d.say(N(person, world.label(person)), ", executive director of ", N(org, world.label(org)),
                  ", called the ", N(order.id, order.noun), " ", Q(*words, end="."))
    d.claim("direct-quote", person, [order.id], spans[-1], "advocate-quote")
    return True


def ice_quote(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    if order.direction != "sanctuary":
        return False
    spans = d.say("In a statement, ", N("ice", "ICE"), " said: ", Q(world.rng.choice(v.ICE_QUOTES), end="."))
    d.claim("direct-quote", "ice", [order.id, "ice"], spans[-1], "ice-statement")
    return True


def critic_quote(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    if order.direction != "sanctuary" or order.issuer_office == v.OFFICES[place.entity.kind][1]:
        return False
    person, title = world.official(place, "police")
    words = fill(world.rng.choice(v.QUOTES["anti"]), place=place)
    spans = d.say(office(world, person, title, place), " disagreed. ", Q(*words, end=","), " ",
                  N(person, world.label(person).split()[-1]), " said.")
    d.claim("direct-quote", person, [order.id], spans[2], "critic-quote")
    return True


# ------------------------------------------------------------------ statistics


def immigrant_share(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    rng = world.rng
    share, residents = rng.randint(4, 38), rng.choice(("100,000", "250,000", "half a million", "1 million"))
    source = world.outlet(pub) if rng.random() < 0.5 else None
    spans = d.say("Immigrants make up ", f"{share}\u00a0percent of the {residents} residents of ",
                  N(place.id, place.label), *([", according to ", N(source.id, source.name)] if source else []), ".")
    d.claim("statistic", source.id if source else pub.id, [place.id], (spans[0][0], spans[2][1]),
            "immigrant-share", value=share, unit="percent")
    return True


def detainer_requests(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    count = world.rng.randint(12, 2400)
    spans = d.say(N(place.id, place.label), f" received {count:,} detainer requests from ", N("ice", "ICE"),
                  f" in {order.year - 1}, according to county records.")
    d.claim("statistic", pub.id, [place.id, "ice"], (spans[0][0], spans[2][1]), "detainer-requests",
            value=count, unit="detainer requests")
    return True


def council_tally(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    if world.entities[order.issuer].section != "organizations":
        return False
    ayes = world.rng.randint(5, 9)
    nays = world.rng.randint(0, ayes - 1)
    spans = d.say(N(order.issuer, f"The {world.label(order.issuer)}"), f" voted {ayes}\u2013{nays}", " for the ",
                  N(order.id, order.noun), ".")
    d.claim("statistic", pub.id, [order.id, order.issuer], (spans[0][0], spans[1][1]),
            "council-tally", value=ayes, unit="votes in favour")
    return True


def undocumented_estimate(d: Draft, world: World, pub: Publisher, place: Place, order: Order) -> bool:
    count = world.rng.randint(2, 90) * 1000
    spans = d.say(f"An estimated {count:,} undocumented immigrants live in ", N(place.id, place.label),
                  " \u2014 a figure officials cite often.")
    d.claim("statistic", pub.id, [place.id], (spans[0][0], spans[1][1]), "undocumented-estimate",
            value=count, unit="people")
    return True


# ------------------------------------------------------------------ reader comments


def comments(d: Draft, world: World, place: Place, order: Order) -> None:
    rng = world.rng
    for number in range(rng.randint(2, 5)):
        if number:
            d.para()
        reader = world.reader()
        name = world.label(reader)
        d.say(N(reader, name))
        d.line()
        d.say(N(reader, name), rng.choice(v.COMMENT_AGES))
        d.para()
        words = fill(rng.choice(v.COMMENTS), place=place, noun=order.noun)
        span = d.say(*words)
        about = [place.id] if any(isinstance(w, N) for w in words) else []
        d.claim("reader-comment", reader, about, span, f"comment-{reader}")


# ------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="how many articles to write")
    parser.add_argument("--out", type=Path, required=True, help="the seeds folder to write (replaced if a corpus)")
    parser.add_argument("--seed", type=int, default=0, help="random seed [default: 0]")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        generate(args.articles, args.out, args.seed)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"wrote {args.articles} articles to {args.out}: {size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
