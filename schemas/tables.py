"""pandera (polars backend) models of every curated table: the single source of truth for the contract.

Each model declares a column's dtype, nullability, uniqueness, enumeration and a description. The
Parquet dtypes (:func:`polars_schema`), the empty tables (:func:`empty_frame`) and the data
dictionary (:mod:`schemas.dictionary`) are all derived from these models. Business rules that need
a severity (ranges, cross-table links) live in ``schemas/expectations/<table>.yaml`` instead.

Every contract column is required (nullable ones may hold nulls, but must exist). Models are non-strict
(extra columns are allowed) and coerce values to the declared dtype; a value that cannot be coerced is
a row-level failure that the validate stage quarantines.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.engines import polars_engine as pe

from flows.extract.model import ENTITY_TYPES, GRE_POLICIES, QUALIFIERS
from flows.extract.values import MONEY_COVERS, MONEY_UNITS

#: enumerations (also used by the expectation suites and the data dictionary)
COURSE_KINDS = ("core_topic", "course")
MEDIA_TYPES = ("text/plain", "text/markdown", "text/html")
RETRIEVED_AT_BASES = ("metadata", "file_mtime")
PERIODS = ("day", "hour")
#: how programs.tuition_usd was obtained
TUITION_BASES = ("stated", "per_credit_x_credits", "per_course_x_courses")
#: quarantine scope: a whole row, or one statement held back while its row was published
QUARANTINE_SCOPES = ("row", "statement")

UTC_DATETIME = pe.DateTime(time_zone="UTC", time_unit="us")


class _Base(pa.DataFrameModel):
    class Config:
        strict = False  # extra columns are allowed by the contract
        coerce = True


class Programs(_Base):
    """One row per online graduate program (school + degree)."""

    program_id: str = pa.Field(unique=True, description="Stable slug identifying the program (school + degree).")
    university: str = pa.Field(description="Canonical institution name, from the institution registry.")
    degree_title: str = pa.Field(nullable=True, description="Degree as the sources write it.")
    ml_core_courses_min: pl.Int64 = pa.Field(
        nullable=True, description="Fewest machine-learning core courses the program states.")
    ml_core_courses_max: pl.Int64 = pa.Field(
        nullable=True, description="Most machine-learning core courses; null when open-ended (\"5+\").")
    credits: pl.Int64 = pa.Field(
        nullable=True, description="Credits to graduate; null when variable or not stated.")
    credits_variable: pl.Boolean = pa.Field(description="True when a source says the credit count is variable.")
    tuition_usd: pl.Float64 = pa.Field(
        nullable=True, description="Best point estimate of the tuition for the whole degree in US dollars: a total "
                                   "the sources state, or a per-credit / per-course rate times the credit / course "
                                   "count stated for the same program (see tuition_basis). Never an annual, per-term "
                                   "or per-credit figure; null when no total is stated or derivable.")
    tuition_usd_low: pl.Float64 = pa.Field(
        nullable=True, description="Low end of the stated total tuition (USD).")
    tuition_usd_high: pl.Float64 = pa.Field(
        nullable=True, description="High end of the stated total tuition (USD).")
    tuition_qualifier: str = pa.Field(
        nullable=True, isin=list(QUALIFIERS),
        description="How the tuition is stated: exact, approx, under, over, at_least or range.")
    gre_policy: str = pa.Field(
        nullable=True, isin=list(GRE_POLICIES), description="GRE admission policy.")
    delivery_format: str = pa.Field(nullable=True, description="Delivery format as written.")
    standout_feature: str = pa.Field(nullable=True, description="Distinctive feature as written.")
    specializations: pl.List(pl.Utf8) = pa.Field(
        description="Specialization names the program is described as offering or strong in.")
    source_ids: pl.List(pl.Utf8) = pa.Field(description="Sources supporting any fact of this row.")
    n_sources: pl.Int64 = pa.Field(ge=0, description="Number of supporting sources (length of source_ids).")
    as_of: pl.Date = pa.Field(nullable=True, description="Date of the newest supporting source.")
    has_conflict: pl.Boolean = pa.Field(description="True when sources disagree on an attribute (see conflicts).")
    tuition_per_credit_usd: pl.Float64 = pa.Field(
        nullable=True, description="Tuition per credit (credit hour, unit) in USD as stated; the midpoint when "
                                   "rates differ (in-state / out-of-state), the floor when open-ended.")
    tuition_per_course_usd: pl.Float64 = pa.Field(
        nullable=True, description="Tuition per course in USD as stated (midpoint of a range).")
    tuition_annual_usd: pl.Float64 = pa.Field(
        nullable=True, description="Tuition per year in USD as stated (\"Annual Tuition\", \"$X /yr\"); never "
                                   "turned into a total.")
    tuition_basis: str = pa.Field(
        nullable=True, isin=list(TUITION_BASES),
        description="How tuition_usd was obtained: stated (a total in the sources), per_credit_x_credits or "
                    "per_course_x_courses (a rate times a count stated for this program); null when tuition_usd "
                    "and its bounds are null.")
    held_back: pl.List(pl.Utf8) = pa.Field(
        description="Statements about this program held back because they failed an error rule, as "
                    "\"<rule>: <quote>\"; each is in quarantine (scope statement) with its source span. Empty when none.")
    specialization_ids: pl.List(pl.Utf8) = pa.Field(
        description="specializations.specialization_id of each entry of specializations (same order; join on it).")

    class Config:
        name = "programs"


class Courses(_Base):
    """Courses and core topics named by the sources."""

    course_id: str = pa.Field(unique=True, description="Stable slug identifying the course or topic.")
    title: str = pa.Field(description="Course or topic title as written.")
    kind: str = pa.Field(isin=list(COURSE_KINDS),
                         description="core_topic (a subject area) or course (a named course).")
    provider: str = pa.Field(nullable=True, description="Institution or platform offering it (never a person: see instructor).")
    description: str = pa.Field(nullable=True, description="Short description as written.")
    source_ids: pl.List(pl.Utf8) = pa.Field(description="Sources that mention the course.")
    instructor: str = pa.Field(nullable=True, description="Person named as teaching the course, as written.")

    class Config:
        name = "courses"


class Specializations(_Base):
    """Specializations (tracks) and the schools named as strong in them."""

    specialization_id: str = pa.Field(unique=True, description="Stable slug identifying the specialization.")
    name: str = pa.Field(description="Specialization name as written.")
    description: str = pa.Field(nullable=True, description="Short description as written.")
    universities: pl.List(pl.Utf8) = pa.Field(description="Canonical names of schools offering it.")
    source_ids: pl.List(pl.Utf8) = pa.Field(description="Sources that mention the specialization.")
    program_ids: pl.List(pl.Utf8) = pa.Field(
        description="programs.program_id of the programs offering it or named as strong in it (join on it); "
                    "a school named here with no program row has none.")

    class Config:
        name = "specializations"


class Careers(_Base):
    """Career outcomes: roles, salary ranges, outlook and skills."""

    career_id: str = pa.Field(unique=True, description="Stable slug identifying the role.")
    role: str = pa.Field(description="Job role as written.")
    salary_usd_min: pl.Float64 = pa.Field(nullable=True, description="Low end of the salary range (USD/year).")
    salary_usd_max: pl.Float64 = pa.Field(
        nullable=True, description="High end of the salary range (USD/year): the top figure stated, also when "
                                   "the range is open-ended (\"$140,000-$220,000+\"); null when none is stated.")
    salary_open_ended: pl.Boolean = pa.Field(description="True when the range has no stated ceiling (\"+\").")
    growth_outlook: str = pa.Field(nullable=True, description="Growth outlook as written.")
    key_skills: pl.List(pl.Utf8) = pa.Field(description="Key skills named for the role.")
    source_ids: pl.List(pl.Utf8) = pa.Field(description="Sources that mention the role.")
    salary_usd_typical: pl.Float64 = pa.Field(
        nullable=True, description="A single stated salary figure (a median or typical salary) when the source "
                                   "gives one number rather than a range; salary_usd_min/max are then null.")

    class Config:
        name = "careers"


class Observations(_Base):
    """One row per extracted fact, with the exact span of source text it was read from."""

    observation_id: str = pa.Field(unique=True, description="Stable id of the extracted fact.")
    source_id: str = pa.Field(description="Source document the fact was read from (sources.source_id).")
    entity_type: str = pa.Field(isin=list(ENTITY_TYPES), description="program, course, specialization or career.")
    entity_id: str = pa.Field(description="Id of the curated row the fact belongs to (e.g. programs.program_id).")
    attribute: str = pa.Field(description="Attribute the fact states (e.g. tuition, credits, salary).")
    value: str = pa.Field(description="Normalised value as text.")
    value_num: pl.Float64 = pa.Field(nullable=True, description="Numeric value (low end of a range).")
    value_num_high: pl.Float64 = pa.Field(nullable=True, description="High end of a numeric range.")
    qualifier: str = pa.Field(nullable=True, isin=list(QUALIFIERS),
                                        description="exact, approx, under, over, at_least or range.")
    char_start: pl.Int64 = pa.Field(ge=0, description="Start of the quote (Python str index into the source text).")
    char_end: pl.Int64 = pa.Field(ge=0, description="End of the quote (exclusive).")
    quote: str = pa.Field(description="The source words: the source text between char_start and char_end.")
    extractor: str = pa.Field(description="Name of the extractor that produced the fact.")
    unit: str = pa.Field(nullable=True, isin=list(MONEY_UNITS),
                         description="Money facts: what one amount pays for -- degree (whole program), credit, course, "
                                     "year, term or month; null when the text does not say (or not money).")
    covers: str = pa.Field(nullable=True, isin=list(MONEY_COVERS),
                           description="Money facts: what the amount covers when the text says so -- tuition "
                                       "(\"excluding fees\", \"in tuition\") or tuition_and_fees; null otherwise.")

    class Config:
        name = "observations"

    @pa.dataframe_check(name="span_ordered", description="char_start < char_end")
    def span_ordered(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("char_start") < pl.col("char_end"))

    @pa.dataframe_check(name="quote_length_matches_span", description="len(quote) == char_end - char_start")
    def quote_length_matches_span(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col("quote").str.len_chars() == (pl.col("char_end") - pl.col("char_start")))


class Sources(_Base):
    """One row per source document."""

    source_id: str = pa.Field(unique=True, description="Stable id of the source document.")
    file: str = pa.Field(description="Path of the file, relative to the project (absolute when outside it).")
    sha256: str = pa.Field(str_matches=r"^[0-9a-f]{64}$", description="SHA-256 of the file bytes (hex).")
    bytes: pl.Int64 = pa.Field(ge=0, description="Size of the file in bytes.")
    media_type: str = pa.Field(isin=list(MEDIA_TYPES), description="text/plain, text/markdown or text/html.")
    title: str = pa.Field(nullable=True, description="Title as the text states it.")
    author: str = pa.Field(nullable=True, description="Author as the text states it.")
    url: str = pa.Field(nullable=True, description="Where the document was published, when known.")
    publisher: str = pa.Field(nullable=True, description="Who published the document, when known (metadata record).")
    published_on: pl.Date = pa.Field(nullable=True, description="Publication date as the text states it.")
    updated_on: pl.Date = pa.Field(nullable=True, description="Update date as the text states it.")
    retrieved_at: UTC_DATETIME = pa.Field(description="When the document was retrieved (UTC).")
    retrieved_at_basis: str = pa.Field(isin=list(RETRIEVED_AT_BASES),
                                       description="metadata (recorded) or file_mtime (derived from the file).")
    warn_after_count: pl.Int64 = pa.Field(ge=0, description="Freshness: warn when older than this many periods.")
    warn_after_period: str = pa.Field(isin=list(PERIODS), description="Freshness warn period: day or hour.")
    error_after_count: pl.Int64 = pa.Field(ge=0, description="Freshness: error when older than this many periods.")
    error_after_period: str = pa.Field(isin=list(PERIODS), description="Freshness error period: day or hour.")
    n_observations: pl.Int64 = pa.Field(ge=0, description="Number of observations extracted from the source.")
    metadata_origin: str = pa.Field(nullable=True, isin=["record", "derived"],
                                    description="record: raw/sources.yaml has an entry for the file; derived: "
                                                "title/author/dates were read from the page itself.")
    missing_metadata: pl.List(pl.Utf8) = pa.Field(
        nullable=True, description="Metadata fields that neither a record nor the text could supply (left null, never guessed).")

    class Config:
        name = "sources"


class Conflicts(_Base):
    """Attributes on which sources disagree."""

    entity_type: str = pa.Field(isin=list(ENTITY_TYPES), description="program, course, specialization or career.")
    entity_id: str = pa.Field(description="Id of the curated row in conflict.")
    attribute: str = pa.Field(description="Attribute the sources disagree on.")
    values: pl.List(pl.Utf8) = pa.Field(description="The differing values, as text.")
    source_ids: pl.List(pl.Utf8) = pa.Field(description="Sources stating those values.")

    class Config:
        name = "conflicts"


class Quarantine(_Base):
    """Rows held out of their curated table because they failed an error-severity rule."""

    table: str = pa.Field(description="Curated table the row was meant for.")
    record: str = pa.Field(description="The whole row as JSON text.")
    rule: str = pa.Field(description="Name of the failed rule (pandera check or expectation id).")
    message: str = pa.Field(description="What failed, in words.")
    run_id: str = pa.Field(description="Run that quarantined the row.")
    record_key: str = pa.Field(nullable=True, description="The row's id value (e.g. program_id), when known.")
    row_index: pl.Int64 = pa.Field(nullable=True, description="Position of the row in the table as validated.")
    severity: str = pa.Field(isin=["error"], description="Severity of the failed rule (always error).")
    engine: str = pa.Field(isin=["pandera", "gx", "polars", "resolve"],
                           description="Engine that evaluated the rule (resolve: a statement held back during resolution).")
    scope: str = pa.Field(nullable=True, isin=list(QUARANTINE_SCOPES),
                          description="row: the whole record was held out of its table; statement: one statement was held "
                                      "back and its row published without it (record_key names the row).")
    attribute: str = pa.Field(nullable=True, description="Statement scope: the attribute the statement states.")
    source_id: str = pa.Field(nullable=True, description="Statement scope: the source the statement was read from.")
    char_start: pl.Int64 = pa.Field(nullable=True, description="Statement scope: start of the quote in the source text.")
    char_end: pl.Int64 = pa.Field(nullable=True, description="Statement scope: end of the quote (exclusive).")
    quote: str = pa.Field(nullable=True, description="Statement scope: the source words of the held-back statement.")

    class Config:
        name = "quarantine"


#: table name -> model, in validation order (sources first: other tables' rules refer to it)
TABLES: dict[str, type[pa.DataFrameModel]] = {
    "sources": Sources,
    "observations": Observations,
    "programs": Programs,
    "courses": Courses,
    "specializations": Specializations,
    "careers": Careers,
    "conflicts": Conflicts,
    "quarantine": Quarantine,
}

from schemas.keys import ID_COLUMNS  # noqa: E402 - (a light module: see there)

if set(ID_COLUMNS) != set(TABLES):  # one list of tables
    raise RuntimeError(f"schemas/keys.py names {sorted(ID_COLUMNS)}, the models {sorted(TABLES)}")

#: the contract's columns for quarantine (the rest of the Quarantine model are useful extras)
QUARANTINE_CONTRACT_COLUMNS = ("table", "record", "rule", "message", "run_id")


def model(table: str) -> type[pa.DataFrameModel]:
    """The pandera model of ``table``; KeyError naming the known tables otherwise."""
    try:
        return TABLES[table]
    except KeyError:
        raise KeyError(f"unknown table {table!r}; known: {', '.join(TABLES)}") from None


def schema(table: str) -> pa.DataFrameSchema:
    return model(table).to_schema()


def polars_schema(table: str) -> dict[str, pl.DataType]:
    """Column name -> polars dtype, in declaration order."""
    return {name: col.dtype.type for name, col in schema(table).columns.items()}


def columns(table: str) -> list[str]:
    return list(schema(table).columns)


def empty_frame(table: str) -> pl.DataFrame:
    """A zero-row frame with the table's columns and dtypes."""
    return pl.DataFrame(schema=polars_schema(table))


def cast_frame(table: str, df: pl.DataFrame) -> pl.DataFrame:
    """``df`` with the declared columns cast to their dtypes (extra columns kept, missing ones added as null)."""
    target = polars_schema(table)
    exprs = []
    for name, dtype in target.items():
        if name in df.columns:
            exprs.append(pl.col(name).cast(dtype))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    extras = [c for c in df.columns if c not in target]
    return df.select(*exprs, *extras)


def column_descriptions(table: str) -> dict[str, str]:
    return {name: col.description or "" for name, col in schema(table).columns.items()}


# ------------------------------------------------------------------------------------- Parquet metadata

def parquet_metadata(table: str, run_id: str) -> dict[str, str]:
    """Schema-level metadata of a published Parquet file: table, run id and every column's description (JSON)."""
    import json

    desc = column_descriptions(table) if table in TABLES else {}
    return {"gradfacts.table": table, "gradfacts.run_id": run_id,
            "gradfacts.column_descriptions": json.dumps(desc, ensure_ascii=False)}


def parquet_bytes(df: pl.DataFrame, table: str, run_id: str) -> bytes:
    """``df`` as Parquet bytes with the contract's column descriptions (Arrow field metadata ``description``) and
    :func:`parquet_metadata` in the schema metadata, so pyarrow, pandas and DuckDB readers see them.

    Written through pyarrow: polars' writer keeps field metadata but not schema-level metadata. Arrow types are the
    portable ones (large_string, not string_view) so older readers open the files."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    at = df.to_arrow(compat_level=pl.CompatLevel.oldest())
    desc = column_descriptions(table) if table in TABLES else {}
    fields = [f.with_metadata({"description": desc[f.name]}) if desc.get(f.name) else f for f in at.schema]
    at = at.cast(pa.schema(fields, metadata=parquet_metadata(table, run_id)))
    buf = io.BytesIO()
    pq.write_table(at, buf, compression="zstd")
    return buf.getvalue()


def write_parquet(df: pl.DataFrame, path, table: str, run_id: str) -> None:
    """:func:`parquet_bytes` written to ``path`` (not atomically: the publish stage writes them atomically)."""
    from pathlib import Path

    Path(path).write_bytes(parquet_bytes(df, table, run_id))
