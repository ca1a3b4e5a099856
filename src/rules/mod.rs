//! Rules as plug-ins: the [`Rule`] trait, its typed parameters ([`Param`]), the subjects it
//! decides ([`Subject`]), and the built-in rules of the Yang County 2020 policy, one module
//! each: R1 [`transport`], R2 [`isolation`], R3 [`startup_grant`], R4 [`guaranteed_loan`],
//! R5 [`ui_refund`], R6 [`premium_deferral`], R7 [`startup_center`], R8 [`post_subsidy`];
//! and the audits R9 [`assistant_quota`] and R10 [`post_compliance`], which produce findings
//! rather than decisions.
//!
//! A rule is declared once, in its own module: its [`Program`] descriptor (code, names,
//! kind, subject, reason codes, rule id), its parameters (read from the rule's
//! table in the county's policy file, dated, validated), the date that selects them, its
//! unmet conditions and its amount, written once with the combinators of [`crate::calc`].
//! A county adds its own rule from its own crate by implementing [`Rule`] and registering it
//! in a [`RuleSet`](crate::RuleSet); nothing in this crate changes.
//!
//! Rule code holds no number and no clause of the policy: every cap, rate, day count,
//! threshold and window comes from the parameters, and the clause a decision cites from the
//! `citation` of the rule's table, which every county's policy file states in its own words.
//!
//! # Example: a county's own rule
//! ```
//! use chrono::NaiveDate;
//! use jiuye_fupin::calc::Calc;
//! use jiuye_fupin::decision::{Label, ProgramDef, Reasons, Term};
//! use jiuye_fupin::model::Laborer;
//! use jiuye_fupin::rules::{Facts, Param, ParamSpec, Rule, Values, common};
//! use jiuye_fupin::{Engine, Policy, Program, ProgramKind, RuleSet, SubjectKind, Yuan};
//!
//! /// 求职创业补贴: a fixed amount for poor members of zero-employment households.
//! struct JobSeeking;
//! const GRANT: Param<Yuan> = Param::required("grant");
//! const GRANT_TERM: Term = Term::new(&jiuye_fupin::decision::Label { code: "grant", zh: "补贴标准", en: "grant" });
//! const NOT_ZERO: jiuye_fupin::Reason = jiuye_fupin::Reason::new(&Label {
//!     code: "not_zero_employment", zh: "非零就业家庭", en: "not a zero-employment household" });
//!
//! impl Rule for JobSeeking {
//!     type Subject = Laborer;
//!     type Params = Yuan;
//!     fn program(&self) -> Program {
//!         static P: ProgramDef = ProgramDef {
//!             code: "job_seeking_subsidy", name_zh: "求职创业补贴", name_en: "job-seeking subsidy",
//!             kind: ProgramKind::Payout, subject: SubjectKind::Laborer,
//!             reasons: &[common::NOT_POOR, NOT_ZERO],
//!             rule: "C1",
//!         };
//!         Program::new(&P)
//!     }
//!     fn parameters(&self) -> Vec<ParamSpec> { vec![GRANT.spec()] }
//!     fn params(&self, v: &Values<'_>) -> Result<Yuan, jiuye_fupin::rules::ParamError> { v.get(GRANT) }
//!     fn date(&self, _: &Laborer, as_of: NaiveDate) -> NaiveDate { as_of }
//!     fn unmet(&self, l: &Laborer, _: &Facts, _: NaiveDate, _: &Yuan, r: &mut Reasons) {
//!         r.check(!l.poverty_status.is_poor_laborer(), common::NOT_POOR);
//!         r.check(!l.zero_employment_household, NOT_ZERO);
//!     }
//!     fn amount<C: Calc>(&self, _: &Laborer, _: &Facts, grant: &Yuan, c: &mut C) -> C::V {
//!         c.money(GRANT_TERM, *grant)
//!     }
//! }
//!
//! let rules = RuleSet::yang_county_2020().with(JobSeeking)?;
//! let text = format!("{}\n[job_seeking_subsidy]\ngrant = [{{ effective_from = \"2020-01-01\", value = \"800.00\" }}]\n{}\n",
//!     jiuye_fupin::policy::YANG_COUNTY_2020_TOML,
//!     r#"citation = { rule = "C1", paragraph = "county notice", clause = "对零就业家庭成员给予一次性求职创业补贴" }"#);
//! let policy = Policy::from_toml_str_with(&rules, &text)?;
//! let engine = Engine::new(&policy);
//! let l = Laborer { zero_employment_household: true, poverty_status: jiuye_fupin::model::PovertyStatus::Lifted, ..Laborer::new("L1") };
//! let d = engine.decide(JobSeeking.program(), &l, "2020-04-01".parse()?)?;
//! assert_eq!(d.amount().to_string(), "800.00");
//! assert_eq!(d.citation.clause, "对零就业家庭成员给予一次性求职创业补贴");
//! let d = engine.decide(JobSeeking.program(), &l, "2019-12-31".parse()?)?;
//! assert_eq!(d.reason_codes().to_string(), "not_in_force");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::marker::PhantomData;

use chrono::NaiveDate;

use crate::calc::Calc;
use crate::dated::DateWindow;
use crate::decision::{Lang, Program, Reasons, SubjectKind};
use crate::model::{Enterprise, Laborer, LoanApplication, Post, PovertyStatus, StartupCenter};
use crate::money::{Rate, Yuan};

pub mod assistant_quota;
pub mod common;
pub mod guaranteed_loan;
pub mod isolation;
pub mod post_compliance;
pub mod post_subsidy;
pub mod premium_deferral;
pub mod startup_center;
pub mod startup_grant;
pub mod transport;
pub mod ui_refund;

/// A rule: one program, declared once.
///
/// The engine resolves [`Rule::params`] once per interval between two changes of the
/// rule's parameters (never per record), picks the interval by [`Rule::date`], and
/// decides `not_in_force` by itself when the date falls before the parameters' first entry
/// or where the county's policy file repeals the rule. Otherwise it collects
/// [`Rule::unmet`]; with no unmet condition, it evaluates [`Rule::amount`] exactly, with
/// steps, or in integer fen for bulk runs: one definition, both ways.
pub trait Rule: Send + Sync + 'static {
    /// The record it decides.
    type Subject: Record;
    /// Its parameters on one date, typed (built by [`Rule::params`]).
    type Params: Send + Sync + 'static;

    /// Its program: code (also its table in the policy file), names, kind, subject kind,
    /// reason codes, rule id.
    fn program(&self) -> Program;

    /// The parameters of its table in the policy file, validated on load.
    fn parameters(&self) -> Vec<ParamSpec>;

    /// Its parameters from the values in force on one date.
    ///
    /// # Errors
    /// [`ParamError`] when a value is not of the declared type (a bug in the rule).
    fn params(&self, values: &Values<'_>) -> Result<Self::Params, ParamError>;

    /// The date that selects the parameters and is tested against windows: the record's
    /// own date, or `as_of` when it has none (POLICY.md reading 1).
    fn date(&self, subject: &Self::Subject, as_of: NaiveDate) -> NaiveDate;

    /// Adds **every** unmet condition to `reasons`, in the rule's order.
    fn unmet(
        &self,
        subject: &Self::Subject,
        facts: &Facts,
        date: NaiveDate,
        params: &Self::Params,
        reasons: &mut Reasons,
    );

    /// The amount of an eligible subject, written once with the combinators of `C`.
    fn amount<C: Calc>(
        &self,
        subject: &Self::Subject,
        facts: &Facts,
        params: &Self::Params,
        c: &mut C,
    ) -> C::V;
}

/// One record to decide.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// A laborer.
    Laborer(&'a Laborer),
    /// A guaranteed-loan application.
    LoanApplication(&'a LoanApplication),
    /// An enterprise.
    Enterprise(&'a Enterprise),
    /// A startup center.
    StartupCenter(&'a StartupCenter),
    /// A post, with its holder's poverty status.
    Post(&'a Post, PovertyStatus),
}

impl<'a> Subject<'a> {
    /// Its kind.
    pub fn kind(&self) -> SubjectKind {
        match self {
            Subject::Laborer(_) => SubjectKind::Laborer,
            Subject::LoanApplication(_) => SubjectKind::LoanApplication,
            Subject::Enterprise(_) => SubjectKind::Enterprise,
            Subject::StartupCenter(_) => SubjectKind::StartupCenter,
            Subject::Post(..) => SubjectKind::Post,
        }
    }

    /// Its id (a loan application's is its laborer's).
    pub fn id(&self) -> &'a str {
        match *self {
            Subject::Laborer(l) => &l.id,
            Subject::LoanApplication(a) => &a.laborer_id,
            Subject::Enterprise(e) => &e.id,
            Subject::StartupCenter(c) => &c.id,
            Subject::Post(p, _) => &p.id,
        }
    }

    /// What the engine knows about the records related to it.
    pub fn facts(&self) -> Facts {
        match *self {
            Subject::Post(_, holder) => Facts {
                holder_status: Some(holder),
            },
            _ => Facts::default(),
        }
    }
}

impl<'a> From<&'a Laborer> for Subject<'a> {
    fn from(l: &'a Laborer) -> Self {
        Subject::Laborer(l)
    }
}
impl<'a> From<&'a Enterprise> for Subject<'a> {
    fn from(e: &'a Enterprise) -> Self {
        Subject::Enterprise(e)
    }
}
impl<'a> From<&'a LoanApplication> for Subject<'a> {
    fn from(a: &'a LoanApplication) -> Self {
        Subject::LoanApplication(a)
    }
}
impl<'a> From<&'a StartupCenter> for Subject<'a> {
    fn from(c: &'a StartupCenter) -> Self {
        Subject::StartupCenter(c)
    }
}
impl<'a> From<(&'a Post, PovertyStatus)> for Subject<'a> {
    fn from((p, h): (&'a Post, PovertyStatus)) -> Self {
        Subject::Post(p, h)
    }
}

/// Facts about the records related to a subject, looked up by the engine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Facts {
    /// A post's holder's poverty status (posts only).
    pub holder_status: Option<PovertyStatus>,
}

/// A record type a rule can decide.
pub trait Record: Sync + 'static {
    /// Its kind.
    const KIND: SubjectKind;
    /// The record inside a subject of its kind.
    fn of<'a>(subject: &Subject<'a>) -> Option<&'a Self>;
}

macro_rules! record {
    ($ty:ty, $kind:ident, $pat:pat => $r:expr) => {
        impl Record for $ty {
            const KIND: SubjectKind = SubjectKind::$kind;
            fn of<'a>(subject: &Subject<'a>) -> Option<&'a Self> {
                match *subject {
                    $pat => Some($r),
                    _ => None,
                }
            }
        }
    };
}
record!(Laborer, Laborer, Subject::Laborer(l) => l);
record!(LoanApplication, LoanApplication, Subject::LoanApplication(a) => a);
record!(Enterprise, Enterprise, Subject::Enterprise(e) => e);
record!(StartupCenter, StartupCenter, Subject::StartupCenter(c) => c);
record!(Post, Post, Subject::Post(p, _) => p);

/// The type of a parameter, as its values are written in a policy file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamKind {
    /// Money: a string of an exact non-negative decimal (`"500.00"`).
    Money,
    /// A rate in `0..=1`: a string (`"0.60"`).
    Rate,
    /// A whole number ≥ 0 (`7`).
    Count,
    /// A day of a month, `1..=31` (read as a count).
    DayOfMonth,
    /// `true` or `false`.
    Flag,
    /// A window of dates `{ from, to }`, both included.
    Window,
    /// A range of counts `{ min, max }`.
    Range,
    /// A list of codes, each one of the given ones (`["town_office", "school"]`); an empty
    /// list of given ones admits any code.
    Codes(&'static [&'static str]),
}

/// One parameter of a rule's table: its name, type, and whether the table must have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamSpec {
    /// Its key in the rule's table (`cap`).
    pub name: &'static str,
    /// Its type.
    pub kind: ParamKind,
    /// `false`: the table may leave it out (then the rule reads `None`).
    pub required: bool,
}

/// A range of counts `{ min, max }` (an R9 quota), `min <= max` (checked on load).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Range {
    /// Least admitted.
    pub min: u32,
    /// Most admitted.
    pub max: u32,
}

impl<'de> serde::Deserialize<'de> for Range {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            min: u32,
            max: u32,
        }
        let r = Raw::deserialize(d)?;
        if r.max < r.min {
            return Err(crate::problem::raise(
                crate::problem::FileProblem::RangeBelowMin {
                    min: r.min,
                    max: r.max,
                },
            ));
        }
        Ok(Range {
            min: r.min,
            max: r.max,
        })
    }
}

/// One value of a parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Value {
    /// Money.
    Money(Yuan),
    /// A rate.
    Rate(Rate),
    /// A count.
    Count(u32),
    /// A flag.
    Flag(bool),
    /// A window.
    Window(DateWindow),
    /// A range.
    Range(Range),
    /// Codes.
    Codes(Vec<String>),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Money(y) => write!(f, "{y}"),
            Value::Rate(r) => write!(f, "{}", r.as_decimal()),
            Value::Count(n) => write!(f, "{n}"),
            Value::Flag(b) => write!(f, "{b}"),
            Value::Window(w) => write!(f, "{}..={}", w.from(), w.to()),
            Value::Range(r) => write!(f, "{}..={}", r.min, r.max),
            Value::Codes(c) => write!(f, "[{}]", c.join(", ")),
        }
    }
}

/// A Rust type that a parameter's values have.
pub trait ParamValue: Sized {
    /// Its kind in a policy file.
    const KIND: ParamKind;
    /// The typed value, if `v` is of this kind.
    fn from_value(v: &Value) -> Option<Self>;
}

macro_rules! param_value {
    ($ty:ty, $kind:ident) => {
        impl ParamValue for $ty {
            const KIND: ParamKind = ParamKind::$kind;
            fn from_value(v: &Value) -> Option<Self> {
                match v {
                    Value::$kind(x) => Some(x.clone()),
                    _ => None,
                }
            }
        }
    };
}
param_value!(Yuan, Money);
param_value!(Rate, Rate);
param_value!(u32, Count);
param_value!(bool, Flag);
param_value!(DateWindow, Window);
param_value!(Range, Range);

impl ParamValue for Vec<String> {
    const KIND: ParamKind = ParamKind::Codes(&[]);
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Codes(c) => Some(c.clone()),
            _ => None,
        }
    }
}

/// A typed key of a rule's parameter: declare it as a `const` beside the rule.
///
/// ```
/// use jiuye_fupin::rules::{Param, ParamKind};
/// use jiuye_fupin::Yuan;
/// const CAP: Param<Yuan> = Param::required("cap");
/// assert_eq!(CAP.spec().kind, ParamKind::Money);
/// ```
#[derive(Debug)]
pub struct Param<T> {
    name: &'static str,
    required: bool,
    kind: Option<ParamKind>,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for Param<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Param<T> {}

impl<T: ParamValue> Param<T> {
    /// A parameter every table of the rule must state.
    pub const fn required(name: &'static str) -> Param<T> {
        Param {
            name,
            required: true,
            kind: None,
            _t: PhantomData,
        }
    }

    /// A parameter a table may leave out.
    pub const fn optional(name: &'static str) -> Param<T> {
        Param {
            name,
            required: false,
            kind: None,
            _t: PhantomData,
        }
    }

    /// Its declaration.
    pub const fn spec(self) -> ParamSpec {
        ParamSpec {
            name: self.name,
            kind: match self.kind {
                Some(k) => k,
                None => T::KIND,
            },
            required: self.required,
        }
    }
}

impl Param<u32> {
    /// A day of a month, `1..=31`, that every table of the rule must state.
    pub const fn day(name: &'static str) -> Self {
        Param {
            name,
            required: true,
            kind: Some(ParamKind::DayOfMonth),
            _t: PhantomData,
        }
    }
}

impl Param<Vec<String>> {
    /// A list of codes, each one of `allowed`, that every table of the rule must state.
    pub const fn codes(name: &'static str, allowed: &'static [&'static str]) -> Self {
        Param {
            name,
            required: true,
            kind: Some(ParamKind::Codes(allowed)),
            _t: PhantomData,
        }
    }
}

/// A parameter a rule asked for that its table does not have, or not with that type: a
/// mistake in the rule's code (its [`Rule::parameters`] and [`Rule::params`] disagree).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rule parameter {name}: {problem}")]
pub struct ParamError {
    /// The parameter.
    pub name: &'static str,
    /// What is wrong.
    pub problem: &'static str,
}

impl ParamError {
    /// What a [`Values`] method says when the parameter has no value in force.
    pub const NO_VALUE: &'static str = "no value in force";
    /// What a [`Values`] method says when the parameter has another type.
    pub const OTHER_TYPE: &'static str = "has another type than the rule reads";
    /// What [`Values::codes`] says when a code does not parse.
    pub const UNKNOWN_CODE: &'static str = "holds an unknown code";

    /// The error in `lang` (the three problems of [`Values`] in Chinese; a rule's own
    /// problem as it wrote it).
    ///
    /// ```
    /// use jiuye_fupin::rules::ParamError;
    /// use jiuye_fupin::Lang;
    /// let e = ParamError { name: "cap", problem: ParamError::NO_VALUE };
    /// assert_eq!(e.render(Lang::Zh), "规则参数 cap：没有生效的值");
    /// assert_eq!(e.render(Lang::En), "rule parameter cap: no value in force");
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        let problem = match self.problem {
            ParamError::NO_VALUE => "没有生效的值",
            ParamError::OTHER_TYPE => "类型与规则读取的不同",
            ParamError::UNKNOWN_CODE => "含有未知代码",
            other => other,
        };
        match lang {
            Lang::En => self.to_string(),
            Lang::Zh => format!("规则参数 {}：{problem}", self.name),
        }
    }
}

/// The values of a rule's parameters in force on one date.
#[derive(Debug, Clone, Default)]
pub struct Values<'a> {
    values: BTreeMap<&'static str, &'a Value>,
}

impl<'a> Values<'a> {
    /// Values from `(name, value)` pairs.
    pub fn new(values: impl IntoIterator<Item = (&'static str, &'a Value)>) -> Values<'a> {
        Values {
            values: values.into_iter().collect(),
        }
    }

    /// A required parameter's value.
    ///
    /// # Errors
    /// [`ParamError`] when it has no value or another type.
    pub fn get<T: ParamValue>(&self, p: Param<T>) -> Result<T, ParamError> {
        self.optional(p)?.ok_or(ParamError {
            name: p.name,
            problem: ParamError::NO_VALUE,
        })
    }

    /// An optional parameter's value (`None`: the table does not have it).
    ///
    /// # Errors
    /// [`ParamError`] when it has another type.
    pub fn optional<T: ParamValue>(&self, p: Param<T>) -> Result<Option<T>, ParamError> {
        let Some(v) = self.values.get(p.name) else {
            return Ok(None);
        };
        T::from_value(v).map(Some).ok_or(ParamError {
            name: p.name,
            problem: ParamError::OTHER_TYPE,
        })
    }

    /// A list of codes, each parsed as `T`.
    ///
    /// # Errors
    /// [`ParamError`] when it has no value, another type, or a code `T` does not know.
    pub fn codes<T: std::str::FromStr>(&self, p: Param<Vec<String>>) -> Result<Vec<T>, ParamError> {
        let err = |problem| ParamError {
            name: p.name,
            problem,
        };
        match self.values.get(p.name) {
            Some(Value::Codes(codes)) => codes
                .iter()
                .map(|c| c.parse().map_err(|_| err(ParamError::UNKNOWN_CODE)))
                .collect(),
            Some(_) => Err(err(ParamError::OTHER_TYPE)),
            None => Err(err(ParamError::NO_VALUE)),
        }
    }
}
