"""Synthetic corpora for the scale benchmark: documents in the shapes the extractors read.

Every school, place and number is invented here from word lists and a seeded random generator, so a corpus is
the same for the same (n, seed) on every machine and contains no third-party text. Shapes, one per document,
cycled:

  table     a pipe table (School | Program | Credits | Total Tuition | GRE | Delivery)
  cards     "Name M.S. in X" followed by "Credits: 32 | Tuition: $1,020 per credit | GRE: Not required" cards
  prose     school-by-school paragraphs ("Lakeside University offers ... 36 credits ... $28,000 in total")
  ranking   "1. School" items, a location line and a paragraph under each
  catalog   a course catalog (code + title + credits run together, "Core Requirements", a credit total)

``page(n_schools, target_chars)`` makes one long page of mixed shapes naming ``n_schools`` distinct schools,
for the per-character cost measurements (many schools; long pages).

Usage: ``python bench/corpus.py OUT_DIR N [--seed S]`` writes N documents (``doc_00000.txt`` ...).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

_STEMS = ["Lake", "River", "Oak", "Cedar", "Stone", "Marl", "Fen", "Ash", "Brook", "Elm", "Glen", "Haw", "Iron",
          "Juni", "Kest", "Lin", "Moor", "North", "Orch", "Pine", "Quar", "Raven", "Sorr", "Thorn", "Umber", "Vale",
          "Wil", "Yar", "Zeph", "Bram", "Cop", "Dun", "Ever", "Fair", "Gorse", "Heath", "Ivy", "Kin", "Lark", "Mist"]
_ENDS = ["side", "wood", "field", "ton", "ford", "more", "bury", "dale", "mont", "haven", "wick", "crest", "ridge",
         "stead", "view", "well", "gate", "holm", "ley", "by"]
_KINDS = ["University", "State University", "College", "Institute of Technology", "Polytechnic University"]
_STATES = ["GA", "PA", "AZ", "OH", "TX", "CA", "NY", "WA", "OR", "MN", "CO", "NC", "VA", "MI", "IL", "WI"]
_FIELDS = ["Machine Learning", "Artificial Intelligence", "Data Science", "Computer Science",
           "Applied Machine Learning", "Computational Statistics", "Intelligent Systems"]
_DEGREES = ["M.S.", "Master of Science", "MS", "M.Eng."]
_GRE = ["Not required", "Optional", "Required", "Waived"]
_DELIVERY = ["Online", "Fully Online", "Online (Async)", "Hybrid"]
_TOPICS = ["Foundations of Intelligent Systems", "Probabilistic Reasoning", "Deep Learning", "Optimization Methods",
           "Natural Language Understanding", "Robot Perception", "Statistical Learning", "Reinforcement Learning",
           "Data Engineering Pipelines", "Computer Vision", "Causal Inference", "Ethics of Automated Decisions"]
_FILLER = ["Students complete the program part time while working.", "Most learners finish in two years.",
           "The curriculum mixes theory with a capstone project.", "Faculty hold weekly live sessions.",
           "Applicants need a bachelor's degree and some programming background.",
           "The department reviews applications on a rolling basis."]

SHAPES = ("table", "cards", "prose", "ranking", "catalog")


def school_names(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct invented school names ("Lakeside University", "Marlwick Institute of Technology")."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        base = rng.choice(_STEMS) + rng.choice(_ENDS)
        if rng.random() < 0.3:
            base += " " + rng.choice(_STEMS) + rng.choice(_ENDS)
        name = f"{base} {rng.choice(_KINDS)}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _program(rng: random.Random) -> dict:
    credits = rng.choice([30, 32, 33, 36, 40, 45])
    per_credit = rng.randrange(400, 2200, 10)
    return {"degree": f"{rng.choice(_DEGREES)} in {rng.choice(_FIELDS)}", "credits": credits,
            "per_credit": per_credit, "total": credits * per_credit, "gre": rng.choice(_GRE),
            "delivery": rng.choice(_DELIVERY), "state": rng.choice(_STATES)}


def _table(rng: random.Random, schools: list[str]) -> str:
    rows = ["| School | Program | Credits | Total Tuition | GRE | Delivery |", "|---|---|---|---|---|---|"]
    for s in schools:
        p = _program(rng)
        rows.append(f"| {s} | {p['degree']} | {p['credits']} | ${p['total']:,} | {p['gre']} | {p['delivery']} |")
    return "Compare Online Programs\n\n" + "\n".join(rows) + "\n\n" + rng.choice(_FILLER) + "\n"


def _cards(rng: random.Random, schools: list[str]) -> str:
    parts = ["Choosing a program\n"]
    for s in schools:
        p = _program(rng)
        parts.append(f"{s} {p['degree']}\n- Credits: {p['credits']}\n- Tuition: ${p['per_credit']:,} per credit\n"
                     f"- GRE: {p['gre']}\n- Format: {p['delivery']}\n")
    return "\n".join(parts)


def _prose(rng: random.Random, schools: list[str]) -> str:
    parts = ["Online Master's Programs Worth a Look\n"]
    for s in schools:
        p = _program(rng)
        parts.append(f"{s}\n\n{s} offers an online {p['degree']} that requires {p['credits']} credits. "
                     f"Tuition is ${p['per_credit']:,} per credit, or about ${p['total']:,} in total. "
                     f"The GRE is {p['gre'].lower()}. {rng.choice(_FILLER)} {rng.choice(_FILLER)}\n")
    return "\n".join(parts)


def _ranking(rng: random.Random, schools: list[str]) -> str:
    parts = ["The Best Online Master's in Machine Learning Programs\n", "Rank School Cost Description\n"]
    for i, s in enumerate(schools, 1):
        p = _program(rng)
        town = s.split()[0]
        parts.append(f"{i}. {s}\n\n{town}, {p['state']} Cost: {'$' * rng.randint(1, 5)} Graduation Rate: "
                     f"{rng.randint(40, 95)}%\n\n{s} has a {p['credits']}-credit online {p['degree']}. "
                     f"Tuition runs ${p['per_credit']:,} per credit. {rng.choice(_FILLER)}\n")
    return "\n".join(parts)


def _catalog(rng: random.Random, schools: list[str]) -> str:
    s = schools[0]
    field = rng.choice(_FIELDS)
    lines = ["Graduate Catalog\n", f"{field}, M.S. (Online)\n",
             f"{s} offers the Master of Science in {field} fully online.\n", "Core Requirements"]
    topics = rng.sample(_TOPICS, k=min(len(_TOPICS), rng.randint(5, 9)))
    total = 0
    for k, t in enumerate(topics):
        cr = rng.choice([3, 4])
        total += cr
        lines.append(f"{rng.choice(['AI', 'CS', 'DS', 'ML'])} {5000 + 10 * k + rng.randint(0, 9)}{t}{cr}")
    lines += ["", "Program Credit/GPA Requirements", f"{total} total semester hours required", ""]
    return "\n".join(lines)


_MAKERS = {"table": _table, "cards": _cards, "prose": _prose, "ranking": _ranking, "catalog": _catalog}


def document(rng: random.Random, shape: str, n_schools: int) -> str:
    """One document of ``shape`` naming ``n_schools`` invented schools."""
    return _MAKERS[shape](rng, school_names(rng, n_schools))


def corpus(n: int, seed: int = 12) -> list[tuple[str, str]]:
    """``n`` documents as (file name, text), shapes cycled, 1–8 schools each (catalogs name one)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        shape = SHAPES[i % len(SHAPES)]
        out.append((f"doc_{i:05d}.txt", document(rng, shape, 1 if shape == "catalog" else rng.randint(1, 8))))
    return out


def write_corpus(folder: Path, n: int, seed: int = 12) -> int:
    """Write ``n`` documents into ``folder``; returns the number of characters written."""
    folder.mkdir(parents=True, exist_ok=True)
    chars = 0
    for name, text in corpus(n, seed):
        (folder / name).write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


def page(n_schools: int, target_chars: int, seed: int = 7) -> str:
    """One long page of about ``target_chars`` characters naming exactly ``n_schools`` distinct schools: sections
    of five schools in the shapes above (tables, cards, prose, rankings) cycle through the names until the page is
    long enough, so two pages of the same length differ only in how many distinct schools they name, and two pages
    of the same school count differ only in length (for the per-character cost ratios)."""
    rng = random.Random(seed)
    names = school_names(rng, n_schools)
    shapes = [s for s in SHAPES if s != "catalog"]
    per = 5
    parts: list[str] = []
    size, i = 0, 0
    while size < target_chars or i * per < n_schools:
        j = (i * per) % n_schools
        group = (names + names)[j:j + min(per, n_schools)]
        sec = _MAKERS[shapes[i % len(shapes)]](rng, group)
        parts.append(sec)
        size += len(sec) + 1
        i += 1
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: corpus.py OUT_DIR N [--seed S]", file=sys.stderr)
        return 2
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 12
    chars = write_corpus(Path(argv[0]), int(argv[1]), seed)
    print(f"wrote {argv[1]} documents, {chars:,} characters, to {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
