"""The synthetic corpus of the scale benchmark: deterministic, shaped like the seeds, and valid."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from benchmarks import corpus, draft, vocabulary

from sanctuary_kg import anchor, ids, reference
from sanctuary_kg.build import build
from sanctuary_kg.files import Layout
from sanctuary_kg.validate import validate

from .conftest import ROOT


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def sheets(folder: Path) -> list[dict]:
    return [yaml.load(p.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            for p in sorted(folder.glob("0*.yaml"))]


@pytest.fixture(scope="module")
def ten(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "seeds"
    corpus.generate(10, out)
    return out


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "seeds"
    corpus.generate(300, out, seed=7)
    return out


def test_a_corpus_is_a_complete_seeds_folder(ten: Path):
    names = sorted(p.name for p in ten.iterdir())
    assert names[-2:] == ["entities.yaml", "jurisdiction-codes.csv"]
    stems = {Path(n).stem for n in names[:-2]}
    assert len(stems) == 10 and len(names) == 22
    assert all(s[:5].isdigit() and s[5] == "_" and len(s) == 22 for s in stems)


def test_the_same_articles_and_seed_give_the_same_bytes(ten: Path, tmp_path: Path):
    corpus.generate(10, tmp_path / "again")
    assert digests(tmp_path / "again") == digests(ten)
    corpus.generate(10, tmp_path / "other", seed=1)
    assert digests(tmp_path / "other") != digests(ten)


def test_output_does_not_depend_on_hash_randomisation(tmp_path: Path):
    runs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / hash_seed
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-m", "benchmarks.corpus", "--articles", "20", "--out", str(out)],
                       cwd=ROOT, env=env, check=True, capture_output=True)
        runs.append(digests(out))
    assert runs[0] == runs[1]


def test_an_earlier_corpus_is_replaced_and_anything_else_refused(ten: Path, tmp_path: Path):
    out = tmp_path / "corpus"
    corpus.generate(12, out)
    corpus.generate(10, out)
    assert digests(out) == digests(ten)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(ValueError, match="not empty"):
        corpus.generate(10, tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_the_corpus_builds_and_validates(ten: Path, tmp_path: Path):
    layout = Layout.default(seeds=ten, build=tmp_path / "build")
    result = build(layout)
    assert result.sources == 10 and not result.unsheeted
    per_article = sum(n for g, n in result.graphs.items() if g not in ids.NOT_ARTICLE_GRAPHS) / 10
    assert 150 < per_article < 350  # about 230 on average over large corpora
    assert result.graphs[ids.REFERENCE_GRAPH.value] > 0  # the real places keep their codes
    report = validate(layout.dataset, layout.shapes, layout.seeds)
    assert report.conforms, [f.message for f in report.findings][:5]
    assert report.articles == 10


def test_claim_kinds_come_in_the_shares_of_the_seeds(many: Path):
    claims = [c for sheet in sheets(many) for c in sheet["claims"]]
    share = {kind: n / len(claims) for kind, n in Counter(c["kind"] for c in claims).items()}
    assert 0.5 < share["reported-statement"] < 0.7
    assert 0.13 < share["direct-quote"] < 0.27
    assert 0.05 < share["statistic"] < 0.15
    assert 0.04 < share["reader-comment"] < 0.17
    with_comments = sum(any(c["kind"] == "reader-comment" for c in s["claims"]) for s in sheets(many)) / 300
    assert 0.12 < with_comments < 0.28


def test_places_are_shared_across_articles_and_every_article_names_a_state_and_the_us(many: Path):
    entities = yaml.safe_load((many / "entities.yaml").read_text(encoding="utf-8"))
    kinds = {key: e["kind"] for key, e in entities["jurisdictions"].items()}
    named = [[k for k in s["mentions"] if k in kinds] for s in sheets(many)]
    assert all("united-states" in keys and any(kinds[k] == "state" for k in keys) for keys in named)
    local = Counter(k for keys in named for k in keys if kinds[k] in ("county", "city"))
    assert 60 < len(local) < 300
    assert local.most_common(1)[0][1] >= 10  # a few places are in many articles


def test_texts_carry_real_typography_and_sheets_use_occurrence(many: Path):
    texts = [p.read_text(encoding="utf-8") for p in sorted(many.glob("*.txt"))]
    joined = "".join(texts)
    for char in ("\u201c", "\u2019", "\u00a0", "\u2014", "\u2013", "\u2026"):
        assert char in joined
    assert sum("occurrence:" in (many / f"{Path(p).stem}.yaml").read_text(encoding="utf-8")
               for p in sorted(many.glob("*.txt"))) > 30
    for text in texts[:50]:  # the generator counts occurrences the way anchoring does
        assert draft.fold(text.strip()) == anchor.fold(text)


def test_the_real_places_lie_where_the_seeds_put_them():
    seeds = yaml.safe_load((ROOT / "seeds" / "entities.yaml").read_text(encoding="utf-8"))["jurisdictions"]
    for key, label, kind, within in vocabulary.REAL_PLACES:
        assert (seeds[key]["label"], seeds[key]["kind"], seeds[key]["within"]) == (label, kind, within), key


def test_every_within_has_a_source_and_the_first_article_naming_a_place_says_where_it_lies(ten: Path):
    entities = yaml.safe_load((ten / "entities.yaml").read_text(encoding="utf-8"))["jurisdictions"]
    packaged = {(c.id, c.code) for c in reference.read_codes(ten / reference.CODES_FILE) if c.kind == "within"}
    stated = [(w["place"], w["in"]) for s in sheets(ten) for w in s.get("within", [])]
    assert len(stated) == len(set(stated))  # once, by the first article that needs it
    assert {(k, e["within"]) for k, e in entities.items() if "within" in e} == packaged | set(stated)
    assert stated and packaged  # both kinds of source
    assert not sheets(ten)[-1].get("within")  # the last article names only places already placed...


def test_the_corpus_builds_without_its_last_sheet(ten: Path, tmp_path: Path):
    seeds = tmp_path / "seeds"  # ... so that it builds without its last sheet, as the benchmark's add-one step does
    shutil.copytree(ten, seeds)
    sorted(seeds.glob("0*.yaml"))[-1].unlink()
    result = build(Layout.default(seeds=seeds, build=tmp_path / "build"))
    assert result.sources == 9 and len(result.unsheeted) == 1
