//! JSON for everything a caller sends or receives: rosters in, decisions, totals, findings,
//! comparisons and receipts out, and a JSON Schema of each ([`schemas`], committed under
//! `schema/`).
//!
//! A roster in JSON is an object of lists, each optional, named after the CSV files:
//! `{"laborers": [...], "enterprises": [...], "posts": [...], "loan_applications": [...],
//! "startup_centers": [...], "post_months": [...]}`. A record's fields are its file's
//! columns; booleans are JSON booleans, counts and years JSON integers, dates
//! `"YYYY-MM-DD"`, months `"YYYY-MM"`, amounts **strings** (`"523.40"`): a JSON number for
//! an amount is refused, so that no float ever holds money. An empty value is `null`, an
//! absent field or `""`, and means what an empty cell means. A field that is no column is
//! refused (a misspelt field would otherwise read as empty).
//!
//! Each record's fields are handed, as cells, to the same reader as the CSV files
//! ([`crate::io`]): JSON and CSV accept and refuse the same values with the same words,
//! and every problem is reported (up to [`InputErrors::LIMIT`]), each naming the list, the
//! record's index (from 0) and id, the field and the value:
//!
//! ```
//! use jiuye_fupin::json::parse_roster;
//! use jiuye_fupin::Lang;
//!
//! let roster = parse_roster(br#"{"laborers": [
//!     {"id": "L1", "poverty_status": "lifted", "able_to_work": true,
//!      "work_destination": "out_of_county", "departure_date": "2020-02-20",
//!      "transport_cost": "523.40"}
//! ]}"#)?;
//! assert_eq!(roster.laborers().len(), 1);
//!
//! let err = parse_roster(br#"{"laborers": [{"id": "L1", "transport_cost": 523.4}]}"#).unwrap_err();
//! assert_eq!(err.to_string(), "laborers[0] (id \"L1\"), field transport_cost: 523.4 is a JSON number; \
//!     write an amount as a string, like \"523.40\", so that no float rounds it");
//! let err = parse_roster(br#"{"laborers": [{"id": "L1", "transport_cost": "-3.00"}]}"#).unwrap_err();
//! assert_eq!(err.first().render(Lang::Zh), "laborers[0] (id \"L1\"), transport_cost 字段: \"-3.00\" 为负数");
//! # Ok::<(), jiuye_fupin::io::InputErrors>(())
//! ```
//!
//! Results are owned ([`EvaluationRecord`], [`AuditRecord`], [`DecisionRecord`]) so that a
//! caller keeps them beyond the roster, and serialize with amounts as strings:
//!
//! ```
//! use jiuye_fupin::json::{EvaluationRecord, parse_roster};
//! use jiuye_fupin::{Lang, Policy};
//!
//! let roster = parse_roster(br#"{"laborers": [{"id": "L1", "poverty_status": "lifted",
//!     "able_to_work": true, "work_destination": "out_of_county",
//!     "departure_date": "2020-02-20", "transport_cost": "523.40"}]}"#)?;
//! let policy = Policy::yang_county_2020();
//! let eval = EvaluationRecord::evaluate(&policy, &roster, "2020-04-01".parse()?, Lang::En)?;
//! let text = serde_json::to_string(&eval)?;
//! assert!(text.contains(r#""amount":"500.00""#));
//! assert_eq!(eval.decisions[0].reasons, ["capped"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod roster;
mod strict;

pub use strict::parse_value;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::decision::{Citation, Lang, ProgramKind};
use crate::engine::{Engine, EvalError};
use crate::finding::Finding;
use crate::io::records::{Centers, Enterprises, Laborers, Loans, PostMonths, Posts};
use crate::io::{InputError, InputErrors, Origins};
use crate::model::Roster;
use crate::money::Yuan;
use crate::policy::Policy;
use crate::problem::{Document, FileProblem};
pub use crate::record::DecisionRecord;
use crate::report::Totals;

/// Reads a roster from a JSON document (see the module's documentation).
///
/// # Errors
/// Every problem (up to [`InputErrors::LIMIT`]): a document that is not JSON or not an
/// object of lists ([`InputError::Json`]), a field that is no column, of the wrong JSON
/// type or with a bad value, a repeated id, a post holder or loan applicant not among the
/// laborers, a post month of an unknown post ([`InputError::Field`]).
pub fn parse_roster(json: &[u8]) -> Result<Roster, InputErrors> {
    parse_roster_with(json, &crate::io::ReadOptions::default())
}

/// Reads a roster from a parsed JSON value (see [`parse_roster`]).
///
/// ```
/// let v = serde_json::json!({"enterprises": [{"id": "E1", "layoffs": 3, "insured_headcount": 2}]});
/// let err = jiuye_fupin::json::roster_from_value(&v).unwrap_err();
/// assert_eq!(err.to_string(), "enterprises[0] (id \"E1\"), field layoffs: 3 is more than insured_headcount (2)");
/// ```
///
/// # Errors
/// As [`parse_roster`].
pub fn roster_from_value(value: &Value) -> Result<Roster, InputErrors> {
    roster::roster_of(value, &crate::io::ReadOptions::default())
}

/// [`roster_from_value`], its cells read as `options` say (see [`parse_roster_with`]).
///
/// ```
/// use jiuye_fupin::io::ReadOptions;
/// let v = serde_json::json!({"enterprises": [{"id": "E1", "prior_year_ui_paid": "12,345.60"}]});
/// let options = ReadOptions::default().clerk_formats(true);
/// let roster = jiuye_fupin::json::roster_from_value_with(&v, &options)?;
/// assert_eq!(roster.enterprises()[0].prior_year_ui_paid.to_string(), "12345.60");
/// # Ok::<(), jiuye_fupin::io::InputErrors>(())
/// ```
///
/// # Errors
/// As [`parse_roster`].
pub fn roster_from_value_with(
    value: &Value,
    options: &crate::io::ReadOptions,
) -> Result<Roster, InputErrors> {
    roster::roster_of(value, options)
}

/// [`parse_roster`], its cells read as `options` say: with
/// [`ReadOptions::clerk_formats`](crate::io::ReadOptions::clerk_formats), dates and amounts
/// may be strings as a clerk's spreadsheet writes them (`"2020/3/1"`, `"1,234.50"`). (JSON
/// is UTF-8: the options' encoding does not apply.)
///
/// ```
/// use jiuye_fupin::io::ReadOptions;
/// let json = r#"{"laborers": [{"id": "L1", "departure_date": "2020年3月1日", "transport_cost": "¥1,234.50"}]}"#;
/// assert!(jiuye_fupin::json::parse_roster(json.as_bytes()).is_err());
/// let options = ReadOptions::default().clerk_formats(true);
/// let roster = jiuye_fupin::json::parse_roster_with(json.as_bytes(), &options)?;
/// assert_eq!(roster.laborers()[0].transport_cost.unwrap().to_string(), "1234.50");
/// # Ok::<(), jiuye_fupin::io::InputErrors>(())
/// ```
///
/// # Errors
/// As [`parse_roster`].
pub fn parse_roster_with(
    json: &[u8],
    options: &crate::io::ReadOptions,
) -> Result<Roster, InputErrors> {
    parse_roster_traced(json, options).map(|(roster, _)| roster)
}

/// [`parse_roster_with`], with where each record is ([`Origins`]: its list and its index
/// in the list), so that an amount too large to compute names its record
/// ([`EvalError::render_at`]) as a bad field's error names it.
///
/// ```
/// use jiuye_fupin::io::ReadOptions;
/// use jiuye_fupin::{Engine, Lang, Policy};
/// let json = br#"{"startup_centers": [{"id": "C1", "level": "town", "year": 2020,
///     "claimed_rent": "79228162514264337593543950335", "claimed_utilities": "1"}]}"#;
/// let (roster, origins) = jiuye_fupin::json::parse_roster_traced(json, &ReadOptions::default())?;
/// let policy = Policy::yang_county_2020();
/// let e = Engine::new(&policy).evaluate(&roster, "2020-04-01".parse()?).unwrap_err();
/// assert!(e.render_at(Some(&origins), Lang::En).starts_with(
///     "startup_centers[0] (id \"C1\"): startup_center_subsidy for C1: amount too large"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`parse_roster`].
pub fn parse_roster_traced(
    json: &[u8],
    options: &crate::io::ReadOptions,
) -> Result<(Roster, Origins), InputErrors> {
    let value = parse_value(json).map_err(|problem| InputError::Json {
        at: "roster".into(),
        problem,
    })?;
    roster::roster_traced(&value, options)
}

/// An error about one subject (`subject`, as [`EvalError::subject`] names it) as an entry
/// of a problem's `errors`, the one form of it that the HTTP service and the Python package
/// give: where its record was read, when `origins` knows it (`list`, `index` and `id` for a
/// JSON roster's record; `file` and `line` for a file's, or a sheet's row), then `message`,
/// then, for an amount too large, the `operation` that did not fit and the `inputs` given
/// up to it, as [`Unfit`](crate::decision::Unfit) serializes them.
///
/// ```
/// use jiuye_fupin::io::ReadOptions;
/// use jiuye_fupin::{Engine, Policy, json};
/// let text = br#"{"startup_centers": [{"id": "C1", "level": "town", "year": 2020,
///     "claimed_rent": "79228162514264337593543950335", "claimed_utilities": "1"}]}"#;
/// let (roster, origins) = json::parse_roster_traced(text, &ReadOptions::default())?;
/// let e = Engine::new(&Policy::yang_county_2020())
///     .evaluate(&roster, "2020-04-01".parse()?)
///     .unwrap_err();
/// let entry = json::subject_error(&origins, e.subject(), "too large", e.unfit());
/// assert_eq!(entry["list"], "startup_centers");
/// assert_eq!(entry["index"], 0);
/// assert_eq!(entry["id"], "C1");
/// assert_eq!(entry["message"], "too large");
/// assert_eq!(entry["inputs"][0]["term"], "claimed_rent");
/// let alone = json::subject_error(&origins, None, "too large", None);
/// assert_eq!(alone, serde_json::json!({"message": "too large"}));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn subject_error(
    origins: &Origins,
    subject: Option<(crate::decision::SubjectKind, &str)>,
    message: &str,
    unfit: Option<&crate::decision::Unfit>,
) -> Value {
    let at = subject.and_then(|(kind, id)| Some((origins.get(kind, id)?, id)));
    let mut entry = match at {
        // A JSON list's record.
        Some((at, id)) if at.file.is_empty() => {
            serde_json::json!({"list": at.source, "index": at.line, "id": id, "message": message})
        }
        Some((at, _)) => {
            serde_json::json!({"file": at.source, "line": at.line, "message": message})
        }
        None => serde_json::json!({ "message": message }),
    };
    if let (Some(o), Some(Ok(Value::Object(u)))) =
        (entry.as_object_mut(), unfit.map(serde_json::to_value))
    {
        o.extend(u);
    }
    entry
}

/// [`roster_from_value_with`], with where each record is (see [`parse_roster_traced`]).
///
/// # Errors
/// As [`parse_roster`].
pub fn roster_from_value_traced(
    value: &Value,
    options: &crate::io::ReadOptions,
) -> Result<(Roster, Origins), InputErrors> {
    roster::roster_traced(value, options)
}

/// A roster as JSON, in the format [`parse_roster`] reads (every field written; empty
/// texts as `""`, no date as `null`).
///
/// ```
/// use jiuye_fupin::{json, sample};
/// let roster = sample::roster();
/// let back = json::roster_from_value(&json::roster_to_value(&roster))?;
/// assert_eq!(back, roster);
/// # Ok::<(), jiuye_fupin::io::InputErrors>(())
/// ```
pub fn roster_to_value(roster: &Roster) -> Value {
    let mut top = serde_json::Map::new();
    let mut put = |name: &str, v: Result<Value, serde_json::Error>, present: bool| {
        if present {
            top.insert(name.to_owned(), v.unwrap_or(Value::Null));
        }
    };
    put("laborers", serde_json::to_value(roster.laborers()), true);
    put(
        "enterprises",
        serde_json::to_value(roster.enterprises()),
        true,
    );
    put("posts", serde_json::to_value(roster.posts()), true);
    put(
        "loan_applications",
        serde_json::to_value(roster.loans()),
        true,
    );
    put(
        "startup_centers",
        serde_json::to_value(roster.centers()),
        true,
    );
    put(
        "post_months",
        serde_json::to_value(roster.post_months()),
        roster.has_post_months(),
    );
    Value::Object(top)
}

/// One program's totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TotalRecord {
    /// The program's code (`transport_subsidy`).
    pub program: String,
    /// The program's name in the requested language.
    pub name: String,
    /// Paid, deferred or a loan ceiling: reports keep them apart.
    pub kind: ProgramKind,
    /// Subjects decided.
    pub subjects: u64,
    /// Subjects eligible.
    pub eligible: u64,
    /// Sum of the eligible amounts, exact.
    pub amount: Yuan,
}

impl TotalRecord {
    /// One line of [`Totals`] per program, in rule order.
    ///
    /// ```
    /// use jiuye_fupin::{json::TotalRecord, Engine, Lang, Policy, sample};
    /// let roster = sample::roster();
    /// let engine = Engine::new(&Policy::yang_county_2020());
    /// let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
    /// let totals = TotalRecord::of(&eval.totals, Lang::En);
    /// assert_eq!(totals[0].program, "transport_subsidy");
    /// assert_eq!(serde_json::to_value(&totals[0])?["amount"], totals[0].amount.to_string());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(totals: &Totals, lang: Lang) -> Vec<TotalRecord> {
        totals
            .iter()
            .map(|t| TotalRecord {
                program: t.program.code().to_owned(),
                name: t.program.name(lang).to_owned(),
                kind: t.program.kind(),
                subjects: t.subjects,
                eligible: t.eligible,
                amount: t.amount,
            })
            .collect()
    }
}

/// What produced a set of figures: crate version, policy name and the SHA-256 of its
/// parameters, as-of date (see [`crate::receipt`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptRecord {
    /// The crate's version.
    pub crate_version: String,
    /// The policy's name.
    pub policy_name: String,
    /// SHA-256 of the policy's parameters.
    pub policy_sha256: String,
    /// The as-of date.
    pub as_of: NaiveDate,
}

impl ReceiptRecord {
    /// The receipt of evaluating under `policy` as of `as_of`.
    ///
    /// ```
    /// use jiuye_fupin::{json::ReceiptRecord, receipt::policy_hash, Policy};
    /// let policy = Policy::yang_county_2020();
    /// let r = ReceiptRecord::new(&policy, "2020-04-01".parse()?);
    /// assert_eq!(r.policy_sha256, policy_hash(&policy));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(policy: &Policy, as_of: NaiveDate) -> ReceiptRecord {
        let r = crate::receipt::Receipt::new(policy, as_of);
        ReceiptRecord {
            crate_version: r.crate_version.to_owned(),
            policy_name: r.policy_name,
            policy_sha256: r.policy_sha256,
            as_of,
        }
    }
}

/// An evaluation that owns its data: every decision in the order of `payouts.csv`, the
/// totals per program, and the receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationRecord {
    /// The as-of date.
    pub as_of: NaiveDate,
    /// Every decision, in the order of `payouts.csv`.
    pub decisions: Vec<DecisionRecord>,
    /// Counts and amounts per program, in rule order.
    pub totals: Vec<TotalRecord>,
    /// What produced these figures.
    pub receipt: ReceiptRecord,
}

impl EvaluationRecord {
    /// Evaluates `roster` under `policy` as of `as_of`, steps and reasons' labels in `lang`.
    ///
    /// # Errors
    /// An amount too large for exact arithmetic.
    pub fn evaluate(
        policy: &Policy,
        roster: &Roster,
        as_of: NaiveDate,
        lang: Lang,
    ) -> Result<EvaluationRecord, EvalError> {
        let engine = Engine::new(policy);
        let eval = engine.evaluate(roster, as_of)?;
        Ok(EvaluationRecord {
            as_of,
            decisions: (eval.decisions.iter())
                .map(|d| DecisionRecord::new(d, lang))
                .collect(),
            totals: TotalRecord::of(&eval.totals, lang),
            receipt: ReceiptRecord::new(policy, as_of),
        })
    }
}

/// One audit finding that owns its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingRecord {
    /// `R9` or `R10`.
    pub rule: String,
    /// The kind's code (`ghost_post`), as in `findings.csv`.
    pub kind: String,
    /// The place (`town` or `town/village`) for R9, the post for R10.
    pub subject_id: String,
    /// The person concerned (R10), if any.
    pub person_id: Option<String>,
    /// The month concerned (`YYYY-MM`), if any.
    pub month: Option<String>,
    /// The evidence, in the requested language.
    pub detail: String,
    /// The clause the finding applies.
    pub citation: Citation,
}

impl FindingRecord {
    /// An owned copy of `f`, its evidence in `lang`.
    ///
    /// ```
    /// use jiuye_fupin::finding::{Evidence, Finding, FindingKind};
    /// use jiuye_fupin::{decision::Citation, json::FindingRecord, Lang};
    /// let f = Finding { kind: FindingKind::QuotaUnder, subject_id: "龙亭镇".into(), person_id: None,
    ///     month: None, evidence: Evidence::Quota { posts: 3, min: 4, max: 6 },
    ///     citation: Citation::new("R9", "S3", "按照每个镇(办)4至6名、每个村(社区)1名的配额开发疫情防控协管员临时性公益专岗") };
    /// let r = FindingRecord::new(&f, Lang::En);
    /// assert_eq!((r.rule.as_str(), r.kind.as_str()), ("R9", "quota_under"));
    /// assert_eq!(r.detail, "3 epidemic-assistant posts; quota 4 to 6");
    /// ```
    pub fn new(f: &Finding, lang: Lang) -> FindingRecord {
        FindingRecord {
            rule: f.kind.rule().to_owned(),
            kind: f.kind.code().to_owned(),
            subject_id: f.subject_id.clone(),
            person_id: f.person_id.clone(),
            month: f.month.map(|m| m.to_string()),
            detail: f.evidence.render(lang).to_string(),
            citation: f.citation.clone(),
        }
    }
}

/// What an audit did not audit ([`crate::finding::NotAudited`]), owned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotAuditedRecord {
    /// `R9` or `R10`.
    pub rule: String,
    /// `quotas`, `no_post_months`, `not_run` or `months_not_in_force`.
    pub code: String,
    /// What was not audited and why, in the requested language.
    pub detail: String,
}

/// A candidate for an open assistant post ([`crate::rules::assistant_quota::candidates`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidateRecord {
    /// The laborer's id.
    pub laborer_id: String,
    /// The laborer's name, if given.
    pub name: Option<String>,
    /// Town.
    pub town: String,
    /// Village.
    pub village: String,
    /// The priority groups (湖北返乡, 零就业家庭), `, `-separated, in the requested language.
    pub priority_groups: String,
}

/// An audit that owns its data: the findings of R9 and R10, and the receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditRecord {
    /// The as-of date.
    pub as_of: NaiveDate,
    /// Every finding: R9 quotas, then R10 post compliance (only with `post_months`).
    pub findings: Vec<FindingRecord>,
    /// What was not audited, and why (R9 outside its window, R10 without `post_months`, or
    /// in months where it is not in force): no finding there is no clean bill. Empty when
    /// everything was audited.
    #[serde(default)]
    pub not_audited: Vec<NotAuditedRecord>,
    /// The candidates for open assistant posts (R9), priority groups first, as the printed
    /// audit lists them.
    #[serde(default)]
    pub candidates: Vec<CandidateRecord>,
    /// What produced these findings.
    pub receipt: ReceiptRecord,
}

impl AuditRecord {
    /// Audits `roster` under `policy` as of `as_of`, the evidence in `lang`.
    ///
    /// ```
    /// use jiuye_fupin::{json::AuditRecord, Lang, Policy, sample};
    /// let a = AuditRecord::audit(&Policy::yang_county_2020(), &sample::roster(), "2020-04-01".parse()?, Lang::En);
    /// assert!(a.findings.iter().any(|f| f.kind == "ghost_post"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn audit(policy: &Policy, roster: &Roster, as_of: NaiveDate, lang: Lang) -> AuditRecord {
        let engine = Engine::new(policy);
        let findings = engine.audit(roster, as_of);
        AuditRecord {
            as_of,
            findings: findings
                .iter()
                .map(|f| FindingRecord::new(f, lang))
                .collect(),
            not_audited: (engine.not_audited(roster, as_of).iter())
                .map(|n| NotAuditedRecord {
                    rule: n.rule().to_owned(),
                    code: n.code().to_owned(),
                    detail: n.render(lang),
                })
                .collect(),
            candidates: (crate::rules::assistant_quota::candidates(roster).iter())
                .map(|l| CandidateRecord {
                    laborer_id: l.id.clone(),
                    name: l.name.clone(),
                    town: l.town.clone(),
                    village: l.village.clone(),
                    priority_groups: crate::rules::assistant_quota::priority_groups(l, lang),
                })
                .collect(),
            receipt: ReceiptRecord::new(policy, as_of),
        }
    }
}

/// The JSON Schema of a roster ([`parse_roster`]), built from the reader's columns.
///
/// ```
/// let s = jiuye_fupin::json::roster_schema();
/// assert_eq!(s["$defs"]["laborer"]["properties"]["transport_cost"]["type"], serde_json::json!(["string", "null"]));
/// assert_eq!(s["$defs"]["post"]["required"], serde_json::json!(["id", "holder_id"]));
/// ```
pub fn roster_schema() -> Value {
    use roster::record_schema;
    let list = |def: &str| serde_json::json!({"type": ["array", "null"], "items": {"$ref": format!("#/$defs/{def}")}});
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Roster",
        "description": "A roster: at least one list that is not null (an empty list counts: it is a file with a header alone; a roster with none is refused, as a data folder with none of its files is), each record's fields the columns of its CSV file. Amounts are strings, never JSON numbers; null, \"\" or an absent field is an empty cell.",
        "type": "object",
        "minProperties": 1,
        "additionalProperties": false,
        "properties": {
            "laborers": list("laborer"),
            "enterprises": list("enterprise"),
            "posts": list("post"),
            "loan_applications": list("loan_application"),
            "startup_centers": list("startup_center"),
            "post_months": list("post_month"),
        },
        "$defs": {
            "laborer": record_schema::<Laborers>("A laborer (laborers.csv)"),
            "enterprise": record_schema::<Enterprises>("An enterprise (enterprises.csv)"),
            "post": record_schema::<Posts>("A public-welfare post (posts.csv); its holder_id names the holder, a laborer or another person (not registered as poor)"),
            "loan_application": record_schema::<Loans>("A guaranteed-loan application (loan_applications.csv); one per laborer"),
            "startup_center": record_schema::<Centers>("A startup center's claim (startup_centers.csv)"),
            "post_month": record_schema::<PostMonths>("A post's monthly record (post_months.csv); one per post and month"),
        },
    })
}

/// A reform ([`crate::reform`]) from JSON: a reform file's TOML text, or the same document
/// as a JSON object (`{"name", "description", "change": [{"parameter", "effective_from",
/// "value", "source"}]}`), validated as a reform file is.
///
/// ```
/// let r = jiuye_fupin::json::reform_from_value(&serde_json::json!({"name": "cap 600", "change": [
///     {"parameter": "transport_subsidy.cap", "effective_from": "2020-03-01", "value": "600.00"}]}))?;
/// assert_eq!(r.changes.len(), 1);
/// let toml = "name = \"cap 600\"\n[[change]]\nparameter = \"transport_subsidy.cap\"\neffective_from = \"2020-03-01\"\nvalue = \"600.00\"\n";
/// assert_eq!(jiuye_fupin::json::reform_from_value(&toml.into())?, r);
/// assert!(jiuye_fupin::json::reform_from_value(&serde_json::json!(3)).is_err());
/// // An object's errors name the change and parameter, never a line of a text the caller
/// // did not write.
/// let base = jiuye_fupin::Policy::yang_county_2020();
/// let bad = jiuye_fupin::json::reform_from_value(&serde_json::json!({"name": "bad", "change": [
///     {"parameter": "transport_subsidy.cap", "effective_from": "2020-03-01", "value": "-5"}]}))?;
/// assert_eq!(bad.apply(&base).unwrap_err().to_string(),
///     "reform \"bad\", at transport_subsidy.cap from 2020-03-01: \"-5\" is negative");
/// let e = jiuye_fupin::json::reform_from_value(&serde_json::json!({"name": "x", "change": [
///     {"parameter": "transport_subsidy.cap", "effective_from": "2020-02-30", "value": "1"}]})).unwrap_err();
/// assert_eq!(e.to_string(), "at change[0].effective_from: \"2020-02-30\" is not a date (YYYY-MM-DD)");
/// # Ok::<(), jiuye_fupin::reform::ReformError>(())
/// ```
///
/// # Errors
/// A value that is neither, or a reform file's errors (an unknown parameter, a bad value).
pub fn reform_from_value(
    value: &Value,
) -> Result<crate::reform::Reform, crate::reform::ReformError> {
    use crate::reform::{Reform, ReformError};
    let text = toml_text(value, Document::Reform).map_err(|p| ReformError::invalid("", p))?;
    let reform = Reform::from_toml_str(&text);
    // An object's TOML text is this function's own: its lines are no place the caller can
    // find, so an error names the change and parameter only.
    match value.is_object() {
        true => reform
            .map(Reform::without_lines)
            .map_err(ReformError::without_lines),
        false => reform,
    }
}

/// A TOML document's text from the same document in JSON: an object as TOML, a string as
/// the text it holds. Dates and amounts are strings in both.
fn toml_text(value: &Value, what: Document) -> Result<String, FileProblem> {
    let not = |cause| FileProblem::NotADocument { what, cause };
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Object(_) => toml::to_string(value).map_err(|e| not(Some(e.to_string()))),
        _ => Err(not(None)),
    }
}

/// A policy from JSON: the policy file's TOML text, or the same document as a JSON object
/// (the form `GET /v1/policy` answers), read against `rules` and validated as a file is.
///
/// ```
/// use jiuye_fupin::{Policy, RuleSet, json};
/// let yang = Policy::yang_county_2020();
/// let value = serde_json::to_value(&yang)?;
/// let again = json::policy_from_value(&RuleSet::yang_county_2020(), &value)?;
/// assert_eq!(again.to_toml(), yang.to_toml());
/// assert!(json::policy_from_value(&RuleSet::yang_county_2020(), &serde_json::json!(7)).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// A value that is neither, or a policy file's errors (naming the parameter).
pub fn policy_from_value(
    rules: &crate::RuleSet,
    value: &Value,
) -> Result<Policy, crate::policy::PolicyError> {
    let text =
        toml_text(value, Document::Policy).map_err(crate::policy::PolicyError::NotADocument)?;
    Policy::from_toml_str_with(rules, &text)
}

/// Runs a scenario given in JSON: the scenario file's TOML text, or the same document as a
/// JSON object (`{"as_of": "2020-04-01", "case": [{"name": ..., "laborer": [...],
/// "expect": [...]}]}`); `file` names it in messages and anchors a relative `policy_file`.
///
/// ```
/// use jiuye_fupin::{json, scenario::Runner};
/// let text = std::fs::read_to_string("tests/scenarios/isolation_allowance.toml")?;
/// let value: serde_json::Value = serde_json::to_value(toml::from_str::<toml::Value>(&text)?)?;
/// let runner = Runner::new();
/// let report = json::run_scenario_value(&runner, &value, "isolation_allowance.json")?;
/// assert!(report.passed());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// A value that is neither, or a scenario file's errors.
pub fn run_scenario_value(
    runner: &crate::scenario::Runner,
    value: &Value,
    file: impl AsRef<std::path::Path>,
) -> Result<crate::scenario::Report, crate::scenario::ScenarioError> {
    let text = toml_text(value, Document::Scenario).map_err(|p| {
        crate::scenario::ScenarioError::from(crate::reform::ReformError::invalid("", p))
    })?;
    runner.run_str(&text, file)
}

/// The JSON Schema of a scenario in JSON ([`run_scenario_value`]).
fn scenario_schema() -> Value {
    let records = serde_json::json!({
        "type": "array",
        "items": {"type": "object", "description": "a record with its CSV columns as fields (`id` required; every other field defaults to empty, false or 0)"}
    });
    let expect = serde_json::json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["program", "subject"],
        "description": "an expectation checks at least one of eligible, amount and reasons",
        "anyOf": [{"required": ["eligible"]}, {"required": ["amount"]}, {"required": ["reasons"]}],
        "properties": {
            "program": {"type": "string"},
            "subject": {"type": "string"},
            "eligible": {"type": "boolean"},
            "amount": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$"},
            "reasons": {"type": "array", "items": {"type": "string"}}
        }
    });
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Scenario",
        "description": "Cases of records and the decisions expected of them (the format of tests/scenarios/*.toml), or that file's TOML text",
        "oneOf": [
            {"type": "string", "description": "a scenario file's TOML text"},
            {
                "type": "object",
                "additionalProperties": false,
                "required": ["case"],
                "properties": {
                    "description": {"type": "string"},
                    "as_of": {"type": "string", "format": "date"},
                    "policy_file": {"type": "string", "description": "a base policy file, relative to the scenario"},
                    "case": {"type": "array", "minItems": 1, "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": ["name", "expect"],
                        "properties": {
                            "name": {"type": "string"},
                            "as_of": {"type": "string", "format": "date"},
                            "policy": {"type": "object", "description": "a partial policy file laid over the base"},
                            "reform": {"$ref": "reform.schema.json"},
                            "laborer": records, "enterprise": records, "post": records,
                            "loan_application": records, "startup_center": records,
                            "expect": {"type": "array", "minItems": 1, "items": expect},
                        }
                    }}
                }
            }
        ]
    })
}

/// The JSON Schema of a reform in JSON ([`reform_from_value`]).
fn reform_schema() -> Value {
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Reform",
        "description": "A named list of dated changes of the policy's parameters (the format of policies/reforms/*.toml), or that file's TOML text",
        "oneOf": [
            {"type": "string", "description": "a reform file's TOML text"},
            {
                "type": "object",
                "additionalProperties": false,
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "description": {"type": "string"},
                    "change": {"type": "array", "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": ["parameter", "effective_from", "value"],
                        "properties": {
                            "parameter": {"type": "string", "description": "table.parameter, as in the policy file", "examples": ["transport_subsidy.cap"]},
                            "effective_from": {"type": "string", "format": "date"},
                            "value": {"description": "the value as the policy file writes it: money and rates as strings (\"600.00\", \"0.60\"), counts as integers"},
                            "source": {"type": "string"}
                        }
                    }}
                }
            }
        ]
    })
}

/// The JSON Schema of a policy file for `rules` (a TOML file; the same document in JSON is
/// what `GET /v1/policy` of the service answers as `parameters`): its `name` and `source`,
/// and for each rule (then each audit) its table of dated parameters, with `enabled`,
/// `in_effect` and `citation`.
///
/// ```
/// let s = jiuye_fupin::json::policy_schema(&jiuye_fupin::RuleSet::yang_county_2020());
/// let cap = &s["properties"]["transport_subsidy"]["properties"]["cap"];
/// assert_eq!(cap["items"]["properties"]["value"]["type"], "string");
/// ```
pub fn policy_schema(rules: &crate::RuleSet) -> Value {
    use crate::rules::ParamKind;
    use serde_json::json;
    let date = json!({"type": "string", "format": "date"});
    let history = |value: Value| {
        json!({
            "type": "array",
            "minItems": 1,
            "description": "a dated history, oldest first: the value in force on a date is that of the latest entry on or before it",
            "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["effective_from", "value"],
                "properties": {"effective_from": date, "value": value, "source": {"type": "string"}},
            },
        })
    };
    let mut tables = serde_json::Map::new();
    let mut required = vec![Value::from("name")];
    for (table, specs) in rules.tables() {
        let mut props = serde_json::Map::new();
        for spec in specs {
            let value = match spec.kind {
                ParamKind::Money => {
                    json!({"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$", "description": "yuan, a non-negative decimal as a string"})
                }
                ParamKind::Rate => {
                    json!({"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$", "description": "a rate within 0..=1, as a string"})
                }
                ParamKind::Count => json!({"type": "integer", "minimum": 0}),
                ParamKind::DayOfMonth => json!({"type": "integer", "minimum": 1, "maximum": 31}),
                ParamKind::Flag => json!({"type": "boolean"}),
                ParamKind::Window => json!({"type": "object", "additionalProperties": false,
                    "required": ["from", "to"], "properties": {"from": date, "to": date}}),
                ParamKind::Range => json!({"type": "object", "additionalProperties": false,
                    "required": ["min", "max"], "properties": {
                        "min": {"type": "integer", "minimum": 0}, "max": {"type": "integer", "minimum": 0}}}),
                ParamKind::Codes(codes) if !codes.is_empty() => {
                    json!({"type": "array", "items": {"enum": codes}})
                }
                _ => json!({"type": "array", "items": {"type": "string"}}),
            };
            let mut schema = history(value);
            if let Some(o) = schema.as_object_mut() {
                let need = if spec.required {
                    "required unless the table says enabled = false"
                } else {
                    "optional"
                };
                o.insert(
                    "description".into(),
                    Value::from(format!("{} ({need})", spec.name)),
                );
            }
            props.insert(spec.name.to_owned(), schema);
        }
        props.insert(
            "enabled".into(),
            json!({"type": "boolean", "description": "false: the program is not run (no rows)"}),
        );
        props.insert("in_effect".into(), history(json!({"type": "boolean"})));
        props.insert("citation".into(), json!({"type": "object", "additionalProperties": false,
            "description": "the clause of the county's own document that the rule applies, quoted verbatim with every decision or finding (required unless the table says enabled = false)",
            "required": ["rule", "paragraph", "clause"], "properties": {
                "rule": {"type": "string"}, "paragraph": {"type": "string"}, "clause": {"type": "string"}}}));
        tables.insert(
            table.to_owned(),
            json!({"type": "object", "additionalProperties": false, "properties": props}),
        );
        required.push(Value::from(table));
    }
    tables.insert("name".into(), json!({"type": "string"}));
    tables.insert("source".into(), json!({"type": "string"}));
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Policy",
        "description": "A county's policy file: every parameter of every rule as a dated history (policies/*.toml, TOML; the same document in JSON)",
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": tables,
    })
}

/// The names of the schemas [`schema`] knows, in order.
pub const SCHEMAS: [&str; 11] = [
    "roster",
    "evaluation",
    "decision",
    "totals",
    "audit",
    "ledger",
    "reform",
    "policy",
    "comparison",
    "receipt",
    "scenario",
];

/// The JSON Schema (2020-12) named `name` (one of [`SCHEMAS`]), or `None`.
///
/// ```
/// let s = jiuye_fupin::json::schema("evaluation").unwrap();
/// assert_eq!(s["title"], "EvaluationRecord");
/// assert!(jiuye_fupin::json::schema("nope").is_none());
/// ```
pub fn schema(name: &str) -> Option<Value> {
    fn of<T: JsonSchema>() -> Value {
        serde_json::to_value(schemars::schema_for!(T)).unwrap_or(Value::Null)
    }
    Some(match name {
        "roster" => roster_schema(),
        "evaluation" => of::<EvaluationRecord>(),
        "decision" => of::<DecisionRecord>(),
        "totals" => of::<Vec<TotalRecord>>(),
        "audit" => of::<AuditRecord>(),
        "ledger" => of::<crate::ledger::Ledger>(),
        "reform" => reform_schema(),
        "policy" => policy_schema(&crate::RuleSet::yang_county_2020()),
        "comparison" => of::<crate::compare::Comparison>(),
        "receipt" => of::<ReceiptRecord>(),
        "scenario" => scenario_schema(),
        _ => return None,
    })
}

/// Every schema, by name, in the order of [`SCHEMAS`].
///
/// ```
/// let names: Vec<&str> = jiuye_fupin::json::schemas().iter().map(|(n, _)| *n).collect();
/// assert_eq!(names, jiuye_fupin::json::SCHEMAS);
/// ```
pub fn schemas() -> Vec<(&'static str, Value)> {
    SCHEMAS
        .iter()
        .filter_map(|n| schema(n).map(|s| (*n, s)))
        .collect()
}
