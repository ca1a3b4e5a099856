//! The rule set: the one list of rules that the engine, the streaming path, totals, the
//! ledger, comparisons, scenarios and receipts iterate, in rule order.
//!
//! [`RuleSet::yang_county_2020`] is the built-in set (R1–R8). A county adds its own rule
//! ([`RuleSet::with`]), replaces a built-in one ([`RuleSet::replace`]) or drops one
//! ([`RuleSet::without`]) from its own code, without editing this crate; its policy file
//! then has (or no longer needs) the rule's table. Rule order is registration order; it is
//! the order of `payouts.csv` within each kind of subject, and the kinds come in the order
//! of their first rule.
//!
//! ```
//! use jiuye_fupin::RuleSet;
//! let rules = RuleSet::yang_county_2020().without("startup_grant")?;
//! let codes: Vec<&str> = rules.programs().map(|p| p.code()).collect();
//! assert_eq!(codes, ["transport_subsidy", "isolation_allowance", "guaranteed_loan", "ui_refund",
//!     "premium_deferral", "startup_center_subsidy", "post_subsidy"]);
//! # Ok::<(), jiuye_fupin::ruleset::RuleSetError>(())
//! ```

use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::calc::{Exact, Fast};
use crate::decision::{
    Citation, Decision, Outcome, ParamNote, Program, Reasons, SubjectKind, Unfit,
};
use crate::model::Laborer;
use crate::money::MoneyError;
use crate::rules::{self, Facts, ParamError, ParamSpec, Record, Rule, Subject};
use crate::table::{InForce, Table};

/// A rule set that cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleSetError {
    /// Two rules with one program code (or a rule named like an audit's table).
    #[error("the rule set already has a program or table `{0}`")]
    Duplicate(&'static str),
    /// A program code that is a key of the policy file itself (`name`, `source`): the
    /// file could never hold its table.
    #[error("program code `{0}` is a key of the policy file itself (name, source)")]
    Reserved(&'static str),
    /// No rule with that code.
    #[error("the rule set has no program `{0}`")]
    Unknown(String),
    /// A program declares more reasons than a decision can carry.
    #[error("program `{0}` declares more than {max} reason codes", max = Reasons::CAPACITY)]
    TooManyReasons(&'static str),
    /// A replacement that decides another kind of subject.
    #[error("program `{0}` is replaced by a rule of another code or subject")]
    Mismatch(&'static str),
    /// A parameter named like a key every table has (`enabled`, `in_effect`, `citation`),
    /// or declared twice: the policy file could never state it.
    #[error(
        "program `{program}` declares parameter `{parameter}` twice or with a name every table reserves (enabled, in_effect, citation)"
    )]
    Parameter {
        /// The program.
        program: &'static str,
        /// The parameter.
        parameter: &'static str,
    },
}

/// A record the engine cannot decide.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// An amount too large for exact arithmetic: a subject's (`ui_refund for E1: ...: refund
    /// rate (refund_rate) 0.6 × prior-year UI paid (prior_year_ui_paid) 7922…`), or a
    /// total's (`ui_refund total: ...`).
    #[error("{program} {}: {source}{}", for_subject(subject_id), unfit_text(unfit.as_deref(), crate::Lang::En))]
    Arithmetic {
        /// The program.
        program: Program,
        /// The subject (empty for a total).
        subject_id: String,
        /// The cause.
        source: MoneyError,
        /// The operation of the subject's amount that did not fit, its operands named and
        /// valued, and every value the amount was given up to it (the record's value at
        /// fault among them); `None` for a total.
        unfit: Option<Box<Unfit>>,
    },
    /// A program this engine does not run (not in its rule set, or `enabled = false`).
    #[error("program {0} is not run by this policy")]
    NotRun(String),
    /// A subject of another kind than the program decides.
    #[error("program {program} does not decide a {subject:?}")]
    WrongSubject {
        /// The program.
        program: Program,
        /// The subject's kind.
        subject: SubjectKind,
    },
    /// A rule whose parameters disagree with its declaration (a bug in the rule).
    #[error("program {program}: {source}")]
    Rule {
        /// The program.
        program: Program,
        /// The cause.
        source: ParamError,
    },
}

impl EvalError {
    /// The error in `lang`.
    ///
    /// ```
    /// use jiuye_fupin::{EvalError, Lang};
    /// let e = EvalError::NotRun("job_seeking_subsidy".into());
    /// assert_eq!(e.render(Lang::Zh), "本政策不实施项目 job_seeking_subsidy");
    /// assert_eq!(e.render(Lang::En), "program job_seeking_subsidy is not run by this policy");
    /// ```
    pub fn render(&self, lang: crate::Lang) -> String {
        if lang == crate::Lang::En {
            return self.to_string();
        }
        match self {
            EvalError::Arithmetic {
                program,
                subject_id,
                source,
                unfit,
            } if subject_id.is_empty() => format!(
                "{} ({program}) 合计：{}{}",
                program.name(lang),
                source.render(lang),
                unfit_text(unfit.as_deref(), lang)
            ),
            EvalError::Arithmetic {
                program,
                subject_id,
                source,
                unfit,
            } => format!(
                "{} ({program}) 对象 {subject_id}：{}{}",
                program.name(lang),
                source.render(lang),
                unfit_text(unfit.as_deref(), lang)
            ),
            EvalError::NotRun(code) => format!("本政策不实施项目 {code}"),
            EvalError::WrongSubject { program, subject } => {
                format!("项目 {program} 不决定 {subject:?} 类对象")
            }
            EvalError::Rule { program, source } => {
                format!("项目 {program}：{}", source.render(lang))
            }
        }
    }

    /// The subject this error is about, as the engine names it (its kind and id): the
    /// record whose amount is too large for exact arithmetic; `None` for a total, and for
    /// an error about no record.
    ///
    /// ```
    /// use jiuye_fupin::decision::SubjectKind;
    /// use jiuye_fupin::money::MoneyError;
    /// use jiuye_fupin::{EvalError, rules};
    /// let e = EvalError::Arithmetic {
    ///     program: rules::ui_refund::PROGRAM,
    ///     subject_id: "E1".into(),
    ///     source: MoneyError::Overflow,
    ///     unfit: None,
    /// };
    /// assert_eq!(e.subject(), Some((SubjectKind::Enterprise, "E1")));
    /// assert_eq!(EvalError::NotRun("x".into()).subject(), None);
    /// ```
    pub fn subject(&self) -> Option<(SubjectKind, &str)> {
        match self {
            EvalError::Arithmetic {
                program,
                subject_id,
                ..
            } if !subject_id.is_empty() => Some((program.subject(), subject_id)),
            _ => None,
        }
    }

    /// The operation of a subject's amount that did not fit exact arithmetic, and every
    /// value its amount was given up to it; `None` for any other error (a total's too).
    ///
    /// ```
    /// use jiuye_fupin::model::Enterprise;
    /// use jiuye_fupin::money::Yuan;
    /// use jiuye_fupin::rules::ui_refund;
    /// use jiuye_fupin::{Engine, Policy, Roster};
    ///
    /// let e = Enterprise {
    ///     id: "E1".into(),
    ///     ui_insured: true,
    ///     ui_insured_months: 24,
    ///     insured_headcount: 10,
    ///     prior_year_ui_paid: Yuan::parse("79228162514264337593543950335")?,
    ///     ..Enterprise::default()
    /// };
    /// let engine = Engine::new(&Policy::yang_county_2020());
    /// let err = engine.decide(ui_refund::PROGRAM, &e, "2020-04-01".parse()?).unwrap_err();
    /// let inputs = &err.unfit().unwrap().inputs;
    /// let paid = inputs.iter().find(|q| q.term.code() == "prior_year_ui_paid").unwrap();
    /// assert_eq!(paid.value.to_string(), "79228162514264337593543950335");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unfit(&self) -> Option<&Unfit> {
        match self {
            EvalError::Arithmetic { unfit: Some(u), .. } => Some(u),
            _ => None,
        }
    }

    /// The error in `lang`, preceded by where its subject's record was read when `origins`
    /// knows it ([`crate::io::Origins::name`]): `startup_centers.csv line 2: ...` for a
    /// file, `startup_centers[0] (id "C1"): ...` for a JSON roster's list.
    pub fn render_at(&self, origins: Option<&crate::io::Origins>, lang: crate::Lang) -> String {
        crate::io::Origins::name_in(origins, self.subject(), self.render(lang), lang)
    }
}

/// `: ` and the operation in `lang`, or nothing.
fn unfit_text(unfit: Option<&Unfit>, lang: crate::Lang) -> String {
    unfit.map_or_else(String::new, |u| {
        format!("{}{}", lang.pick("：", ": "), u.render(lang))
    })
}

/// `for E1`, a subject's error; `total`, a total's.
fn for_subject(subject_id: &str) -> String {
    if subject_id.is_empty() {
        "total".to_owned()
    } else {
        format!("for {subject_id}")
    }
}

/// The object-safe face of a [`Rule`].
trait Erased: Send + Sync {
    fn program(&self) -> Program;
    fn parameters(&self) -> Vec<ParamSpec>;
    fn compile(&self, table: &Table) -> Box<dyn Decider>;
}

struct Adapter<R>(Arc<R>);

impl<R: Rule> Erased for Adapter<R> {
    fn program(&self) -> Program {
        self.0.program()
    }

    fn parameters(&self) -> Vec<ParamSpec> {
        self.0.parameters()
    }

    fn compile(&self, table: &Table) -> Box<dyn Decider> {
        let program = self.0.program();
        let specs = self.0.parameters();
        let schedule = Schedule::build(table, &specs, |f| {
            let params = self.0.params(&f.values).ok()?;
            Some(Interval {
                params,
                notes: f.notes,
            })
        });
        Box::new(Compiled {
            broken: Schedule::build(table, &specs, |f| self.0.params(&f.values).err()),
            rule: Arc::clone(&self.0),
            schedule,
            off: Schedule::not_in_force(table, &specs),
            citation: table.citation_or(program.rule()),
        })
    }
}

/// Values derived from a table once per interval between two of its changes (of a
/// parameter or of `in_effect`), never per record.
pub(crate) struct Schedule<T> {
    /// The latest interval's first day with what is in force from it (`None`: not in
    /// force), held in place: the usual lookup, of a date in it, is one comparison, with
    /// no vector's address or length read. `NaiveDate::MAX` and `None` when the table has
    /// no interval (nothing is in force on any day, `NaiveDate::MAX` included).
    latest: (NaiveDate, Option<T>),
    /// The earlier intervals' first days with what is in force on them, **latest first**.
    /// One vector of pairs: a lookup reads the date and the value side by side, with no
    /// second bounds test.
    earlier: Vec<(NaiveDate, Option<T>)>,
}

impl<T> Schedule<T> {
    /// The most intervals [`Schedule::at`] scans (the latest and the earlier ones); a
    /// longer schedule's earlier intervals are binary-searched.
    const SCAN: usize = 8;

    /// `derive` of the values in force at the start of each interval (`None`: the table's
    /// rule is not in force there, or `derive` says so).
    pub(crate) fn build(
        table: &Table,
        specs: &[ParamSpec],
        mut derive: impl FnMut(InForce<'_>) -> Option<T>,
    ) -> Schedule<T> {
        Schedule::latest_first(table, |d| table.in_force(specs, d).and_then(&mut derive))
    }

    /// `value` of the start of each interval of `table`, latest first.
    fn latest_first(table: &Table, mut value: impl FnMut(NaiveDate) -> Option<T>) -> Schedule<T> {
        let mut intervals = (table.change_dates().into_iter().rev()).map(|d| (d, value(d)));
        let latest = intervals.next().unwrap_or((NaiveDate::MAX, None));
        Schedule {
            latest,
            earlier: intervals.collect(),
        }
    }

    /// The value in force on `date` (`None`: not in force then).
    ///
    /// A policy's table changes a handful of times (Yang County's rules: never, one
    /// interval each), so the latest interval is tested first, in place; the earlier ones
    /// are scanned from the latest, where a binary search pays its set-up and an index's
    /// bounds test. A long schedule is binary-searched. The interval's pair is found
    /// first, then its value read, in one place for both ways of finding it.
    #[inline]
    pub(crate) fn at(&self, date: NaiveDate) -> Option<&T> {
        let mut pair = &self.latest;
        if pair.0 > date {
            let mut rest = self.earlier.as_slice();
            if rest.len() >= Self::SCAN {
                // The intervals that start on or before `date`, the latest first.
                let later = rest.partition_point(|(start, _)| *start > date);
                rest = rest.get(later..).unwrap_or_default();
            }
            pair = loop {
                let [first, earlier @ ..] = rest else {
                    return None;
                };
                if first.0 <= date {
                    break first;
                }
                rest = earlier;
            };
        }
        pair.1.as_ref()
    }

    /// The value in force on `date` when `date` is in the latest interval and something
    /// is in force there; `None` otherwise (earlier, or not in force), for
    /// [`Schedule::at`] to say.
    #[inline]
    fn latest_at(&self, date: NaiveDate) -> Option<&T> {
        let (start, value) = &self.latest;
        value.as_ref().filter(|_| *start <= date)
    }
}

impl Schedule<Vec<ParamNote>> {
    /// What an auditor is shown of `table` on the intervals where its rule is not in force
    /// (the entry of `in_effect` that repeals it, if that is why; nothing before its first
    /// entries); `None` on those where it is in force.
    pub(crate) fn not_in_force(table: &Table, specs: &[ParamSpec]) -> Schedule<Vec<ParamNote>> {
        Schedule::latest_first(table, |d| match table.in_force(specs, d) {
            Some(_) => None,
            // The repealing entry only: where `in_effect` is true and a parameter has no
            // entry yet, `in_effect = true` would say the rule is in force.
            None => Some(
                (table.in_effect_note(d).into_iter())
                    .filter(|n| n.value == "false")
                    .collect(),
            ),
        })
    }
}

/// A rule with its parameters resolved for every interval between two changes.
struct Compiled<R: Rule> {
    schedule: Schedule<Interval<R::Params>>,
    rule: Arc<R>,
    /// The error of the rule's parameters on each interval where they disagree with its
    /// declaration (a bug in the rule): looked up only where `schedule` has nothing, so a
    /// decision tests one value, not whether the rule is in force and then whether its
    /// parameters were read.
    broken: Schedule<ParamError>,
    /// What is shown with a decision dated where the rule is not in force.
    off: Schedule<Vec<ParamNote>>,
    citation: Citation,
}

/// What is in force on an interval where the rule's parameters are what it declares.
struct Interval<P> {
    params: P,
    notes: Vec<ParamNote>,
}

/// A rule ready to decide: what the engine holds for each program.
pub(crate) trait Decider: Send + Sync {
    /// Its program.
    fn program(&self) -> Program;
    /// Decides one subject of the program's kind.
    fn decide<'a>(
        &'a self,
        subject: Subject<'a>,
        as_of: NaiveDate,
        explain: bool,
    ) -> Result<Decision<'a>, EvalError>;
    /// The outcome alone, as [`Decider::decide`] finds it without steps (the same
    /// [`Compiled::conditions`] and [`Compiled::amount_into`]), written into `out`: the stream's rows, without building a
    /// [`Decision`] or copying the outcome through the call's result.
    ///
    /// The error is boxed (errors are rare): the result is then one register (null:
    /// decided), where an [`EvalError`] by value is returned through memory, its tag
    /// written by the callee and read back by the caller on every one of the stream's
    /// decisions, to say that nothing went wrong.
    ///
    /// The subject is lent, not passed by value: the stream builds it once for all the
    /// programs of its kind, not once per call.
    fn outcome_into<'a>(
        &'a self,
        subject: &Subject<'a>,
        as_of: NaiveDate,
        out: &mut Outcome,
    ) -> Result<(), Box<EvalError>>;
    /// [`Decider::outcome_into`] for a laborer, the stream's usual subject, lent as itself:
    /// the subject's kind is then known where the decider is compiled and its record is a
    /// reference known not to be null, so neither is tested (the kind test is decided when
    /// compiling; a decider of another kind still says [`EvalError::WrongSubject`]).
    fn laborer_outcome_into<'a>(
        &'a self,
        laborer: &'a Laborer,
        as_of: NaiveDate,
        out: &mut Outcome,
    ) -> Result<(), Box<EvalError>>;
}

/// How the stream lends a decider its subject: as a [`Subject`], or as the record itself
/// where it knows the kind ([`Decider::laborer_outcome_into`]). Either way one register,
/// handed on as it is to the out-of-line ends of a decision.
trait Lent<'a>: Copy {
    /// The subject.
    fn subject(self) -> Subject<'a>;
}

impl<'a> Lent<'a> for &Subject<'a> {
    #[inline(always)]
    fn subject(self) -> Subject<'a> {
        *self
    }
}

impl<'a> Lent<'a> for &'a Laborer {
    #[inline(always)]
    fn subject(self) -> Subject<'a> {
        Subject::Laborer(self)
    }
}

/// Where a decision stands once [`Compiled::conditions`] has checked its subject.
enum Stage<'a, R: Rule> {
    /// Not in force on the decision's date: the outcome is `not_in_force`.
    NotInForce,
    /// A condition unmet: the outcome holds every unmet one's reason. With the notes of
    /// the parameters in force.
    Unmet(&'a [ParamNote]),
    /// Every condition met: the amount of the record under these parameters is still to
    /// be computed ([`Compiled::amount_into`]). With the notes of the parameters in force.
    Met(&'a R::Subject, &'a R::Params, &'a [ParamNote]),
    /// Not dated in the latest interval with the rule in force there, when only that one
    /// was looked at: nothing is decided yet ([`Compiled::outcome_elsewhere`] decides
    /// again, looking at them all).
    Elsewhere,
}

impl<R: Rule> Compiled<R> {
    /// The one decision of a subject up to its amount, what [`Decider::decide`] and
    /// [`Decider::outcome_into`] (the stream's rows) both build on: the subject's kind,
    /// its date, the interval in force on it, and the rule's conditions, their reasons
    /// written into `outcome` (the stream reuses one). Returns the date and the stage
    /// reached.
    ///
    /// The rule writes its reasons into a list of its own, new and empty, which is then
    /// copied into `outcome` whole: a built-in rule's one copy of a set made once
    /// ([`crate::rules::common::ReasonSets`]) then goes straight into `outcome`, and
    /// nothing is stored there first. Reasons filled in place in `outcome` had to be
    /// emptied first (and `outcome` made ineligible), and whether those stores were seen to
    /// be dead under the set's copy depended on the shape of the code around them.
    ///
    /// The amount ([`Compiled::amount_into`]) and the errors are other functions', out
    /// of line: the stream's usual decision, an ineligible one, then runs without a
    /// frame, its rare ends reached by calls in tail position (with the amount inlined,
    /// every decision saved and restored six registers for it).
    #[inline(always)]
    fn conditions<'a>(
        &'a self,
        subject: &Subject<'a>,
        as_of: NaiveDate,
        outcome: &mut Outcome,
        all: bool,
    ) -> Result<(NaiveDate, Stage<'a, R>), Box<EvalError>> {
        // The kind tested before the record is read: read ahead of the test (as `of` alone
        // lets the compiler do), the reference is no longer known not to be null, and
        // both are tested on every decision. (A laborer lent as itself has neither tested:
        // both are decided when compiling, `Decider::laborer_outcome_into`.)
        if subject.kind() != R::Subject::KIND {
            return Err(self.wrong_subject(subject));
        }
        let Some(record) = R::Subject::of(subject) else {
            return Err(self.wrong_subject(subject));
        };
        let date = self.rule.date(record, as_of);
        let found = if all {
            self.schedule.at(date)
        } else {
            let Some(found) = self.schedule.latest_at(date) else {
                return Ok((date, Stage::Elsewhere));
            };
            Some(found)
        };
        let Some(interval) = found else {
            if let Some(e) = self.broken.at(date) {
                return Err(self.rule_error(e));
            }
            *outcome = Outcome::Ineligible {
                reasons: Reasons::not_in_force(),
            };
            return Ok((date, Stage::NotInForce));
        };
        let p = &interval.params;
        let mut reasons = Reasons::new();
        self.rule
            .unmet(record, &subject.facts(), date, p, &mut reasons);
        // Copied before the test, with no branch around the copy (an eligible decision's
        // amount overwrites it).
        let met = reasons.is_empty();
        *outcome = Outcome::Ineligible { reasons };
        if !met {
            return Ok((date, Stage::Unmet(&interval.notes)));
        }
        Ok((date, Stage::Met(record, p, &interval.notes)))
    }

    /// [`EvalError::WrongSubject`] for `subject`, boxed. Cold and out of line, as
    /// [`Compiled::rule_error`]: an error built in `conditions` had its constants (the
    /// program's address) loaded ahead on every decision, into saved registers.
    #[cold]
    #[inline(never)]
    fn wrong_subject(&self, subject: &Subject<'_>) -> Box<EvalError> {
        Box::new(EvalError::WrongSubject {
            program: self.rule.program(),
            subject: subject.kind(),
        })
    }

    /// [`EvalError::Rule`] for a rule whose parameters disagree with its declaration,
    /// boxed.
    #[cold]
    #[inline(never)]
    fn rule_error(&self, source: &ParamError) -> Box<EvalError> {
        Box::new(EvalError::Rule {
            program: self.rule.program(),
            source: source.clone(),
        })
    }

    /// The amount of an eligible subject (every condition met: [`Stage::Met`]) into
    /// `outcome`, with its steps when `explain`: in integer fen when no steps are asked
    /// for and the operands allow ([`Fast`]), else exactly ([`Compiled::exact`]).
    #[inline]
    fn amount_into<'a>(
        &'a self,
        subject: &Subject<'a>,
        record: &R::Subject,
        p: &R::Params,
        explain: bool,
        outcome: &mut Outcome,
    ) -> Result<Vec<crate::decision::Step>, Box<EvalError>> {
        let facts = subject.facts();
        if !explain {
            let mut fast = Fast::default();
            let v = self.rule.amount(record, &facts, p, &mut fast);
            if let Some((amount, capped)) = fast.finish(v) {
                *outcome = Outcome::Eligible { amount, capped };
                return Ok(Vec::new());
            }
        }
        self.exact(subject, record, &facts, p, explain, outcome)
    }

    /// [`Compiled::amount_into`] without steps, for [`Decider::outcome_into`]: out of
    /// line, reached from it by a call in tail position (its result is `outcome_into`'s).
    /// The subject comes as it was lent ([`Lent`], one register), as to
    /// [`Compiled::outcome_elsewhere`]: a [`Subject`] made from a laborer
    /// ([`Decider::laborer_outcome_into`]) and lent on had to be stored in memory, in a
    /// frame that every decision then made.
    #[inline(never)]
    fn eligible_into<'a>(
        &'a self,
        lent: impl Lent<'a>,
        record: &R::Subject,
        p: &R::Params,
        outcome: &mut Outcome,
    ) -> Result<(), Box<EvalError>> {
        self.amount_into(&lent.subject(), record, p, false, outcome)
            .map(drop)
    }

    /// [`Decider::outcome_into`] (and [`Decider::laborer_outcome_into`], where the subject
    /// is known): the stream's outcome, as [`Decider::decide`] finds it without steps.
    #[inline(always)]
    fn outcome<'a>(
        &'a self,
        lent: impl Lent<'a>,
        as_of: NaiveDate,
        out: &mut Outcome,
    ) -> Result<(), Box<EvalError>> {
        match self.conditions(&lent.subject(), as_of, out, false)? {
            (_, Stage::Met(record, p, _)) => self.eligible_into(lent, record, p, out),
            (_, Stage::Elsewhere) => self.outcome_elsewhere(lent, as_of, out),
            _ => Ok(()),
        }
    }

    /// [`Decider::outcome_into`] for a subject not dated in the rule's latest interval
    /// with the rule in force there ([`Stage::Elsewhere`]), looking at every interval:
    /// out of line, reached by a call in tail position, so the usual decision, in the
    /// latest interval, saves no register for the search of the earlier ones, nor has
    /// the not-in-force outcome's stores in its way.
    #[cold]
    #[inline(never)]
    fn outcome_elsewhere<'a>(
        &'a self,
        lent: impl Lent<'a>,
        as_of: NaiveDate,
        out: &mut Outcome,
    ) -> Result<(), Box<EvalError>> {
        match self.conditions(&lent.subject(), as_of, out, true)? {
            (_, Stage::Met(record, p, _)) => self.eligible_into(lent, record, p, out),
            _ => Ok(()),
        }
    }

    /// The amount of an eligible subject in exact arithmetic, into `outcome`, with its
    /// steps when `explain`: what [`Compiled::amount_into`] falls back on when the fast
    /// path cannot say (or steps are asked for). Not inlined: the stream's decisions seldom
    /// come here.
    #[inline(never)]
    fn exact<'a>(
        &'a self,
        subject: &Subject<'a>,
        record: &R::Subject,
        facts: &Facts,
        p: &R::Params,
        explain: bool,
        outcome: &mut Outcome,
    ) -> Result<Vec<crate::decision::Step>, Box<EvalError>> {
        let mut exact = if explain {
            Exact::explaining()
        } else {
            Exact::new()
        };
        let v = self.rule.amount(record, facts, p, &mut exact);
        let (amount, capped, steps) = exact.finish(v).map_err(|e| {
            Box::new(EvalError::Arithmetic {
                program: self.rule.program(),
                subject_id: subject.id().to_owned(),
                source: e.source,
                unfit: Some(Box::new(e.unfit)),
            })
        })?;
        *outcome = Outcome::Eligible { amount, capped };
        Ok(steps)
    }
}

impl<R: Rule> Decider for Compiled<R> {
    fn program(&self) -> Program {
        self.rule.program()
    }

    #[inline]
    fn decide<'a>(
        &'a self,
        subject: Subject<'a>,
        as_of: NaiveDate,
        explain: bool,
    ) -> Result<Decision<'a>, EvalError> {
        let mut outcome = Outcome::Ineligible {
            reasons: Reasons::new(),
        };
        let (date, stage) =
            (self.conditions(&subject, as_of, &mut outcome, true)).map_err(|e| *e)?;
        let (steps, parameters) = match stage {
            // Not `Elsewhere`, with every interval looked at.
            Stage::NotInForce | Stage::Elsewhere => {
                (Vec::new(), self.off.at(date).map_or(&[][..], Vec::as_slice))
            }
            Stage::Unmet(notes) => (Vec::new(), notes),
            Stage::Met(record, p, notes) => {
                let steps = (self.amount_into(&subject, record, p, explain, &mut outcome))
                    .map_err(|e| *e)?;
                (steps, notes)
            }
        };
        Ok(Decision {
            program: self.rule.program(),
            subject_id: subject.id(),
            date,
            outcome,
            steps,
            citation: &self.citation,
            parameters,
        })
    }

    #[inline]
    fn outcome_into<'a>(
        &'a self,
        subject: &Subject<'a>,
        as_of: NaiveDate,
        out: &mut Outcome,
    ) -> Result<(), Box<EvalError>> {
        self.outcome(subject, as_of, out)
    }

    #[inline]
    fn laborer_outcome_into<'a>(
        &'a self,
        laborer: &'a Laborer,
        as_of: NaiveDate,
        out: &mut Outcome,
    ) -> Result<(), Box<EvalError>> {
        self.outcome(laborer, as_of, out)
    }
}

/// An ordered set of rules, one per program. Cheap to clone (the rules are shared).
#[derive(Clone)]
pub struct RuleSet {
    rules: Vec<Arc<dyn Erased>>,
}

impl fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.programs()).finish()
    }
}

/// Two rule sets are equal when they have the same programs in the same order.
impl PartialEq for RuleSet {
    fn eq(&self, other: &RuleSet) -> bool {
        self.programs().eq(other.programs())
    }
}
impl Eq for RuleSet {}

/// The tables of the audits (R9, R10), which every policy has beside its rules' tables.
pub(crate) fn audit_tables() -> [(&'static str, Vec<ParamSpec>); 2] {
    [
        (
            rules::assistant_quota::TABLE,
            rules::assistant_quota::parameters(),
        ),
        (
            rules::post_compliance::TABLE,
            rules::post_compliance::parameters(),
        ),
    ]
}

impl RuleSet {
    /// No rule.
    pub fn empty() -> RuleSet {
        RuleSet { rules: Vec::new() }
    }

    /// The built-in rules of the Yang County 2020 policy, R1–R8, in rule order.
    pub fn yang_county_2020() -> RuleSet {
        let mut set = RuleSet::empty();
        set.rules = vec![
            Arc::new(Adapter(Arc::new(rules::transport::TransportSubsidy))),
            Arc::new(Adapter(Arc::new(rules::isolation::IsolationAllowance))),
            Arc::new(Adapter(Arc::new(rules::startup_grant::StartupGrant))),
            Arc::new(Adapter(Arc::new(rules::guaranteed_loan::GuaranteedLoan))),
            Arc::new(Adapter(Arc::new(rules::ui_refund::UiRefund))),
            Arc::new(Adapter(Arc::new(rules::premium_deferral::PremiumDeferral))),
            Arc::new(Adapter(Arc::new(
                rules::startup_center::StartupCenterSubsidy,
            ))),
            Arc::new(Adapter(Arc::new(rules::post_subsidy::PostSubsidy))),
        ];
        set
    }

    /// The set with `rule` added after the others.
    ///
    /// # Errors
    /// [`RuleSetError::Duplicate`] when its code is taken (by a rule or an audit's table),
    /// [`RuleSetError::Reserved`] when it is `name` or `source` (the policy file's own
    /// keys), [`RuleSetError::TooManyReasons`].
    pub fn with<R: Rule>(mut self, rule: R) -> Result<RuleSet, RuleSetError> {
        let code = rule.program().code();
        if crate::table::FILE_KEYS.contains(&code) {
            return Err(RuleSetError::Reserved(code));
        }
        let taken = self.programs().any(|p| p.code() == code)
            || audit_tables().iter().any(|(t, _)| *t == code);
        if taken {
            return Err(RuleSetError::Duplicate(code));
        }
        self.rules.push(erase(rule)?);
        Ok(self)
    }

    /// The set with the rule of `rule`'s program replaced by `rule`, in the same place.
    ///
    /// # Errors
    /// [`RuleSetError::Unknown`] when no rule has that code, [`RuleSetError::Mismatch`]
    /// when the replacement decides another kind of subject.
    pub fn replace<R: Rule>(mut self, rule: R) -> Result<RuleSet, RuleSetError> {
        let program = rule.program();
        let Some(slot) = (self.rules.iter_mut()).find(|r| r.program() == program) else {
            return Err(RuleSetError::Unknown(program.code().to_owned()));
        };
        if slot.program().subject() != program.subject() {
            return Err(RuleSetError::Mismatch(program.code()));
        }
        *slot = erase(rule)?;
        Ok(self)
    }

    /// The set without the rule of program `code`.
    ///
    /// # Errors
    /// [`RuleSetError::Unknown`] when no rule has that code.
    pub fn without(mut self, code: &str) -> Result<RuleSet, RuleSetError> {
        let before = self.rules.len();
        self.rules.retain(|r| r.program().code() != code);
        if self.rules.len() == before {
            return Err(RuleSetError::Unknown(code.to_owned()));
        }
        Ok(self)
    }

    /// The programs, in rule order.
    pub fn programs(&self) -> impl Iterator<Item = Program> + '_ {
        self.rules.iter().map(|r| r.program())
    }

    /// The program of code `code`.
    pub fn program(&self, code: &str) -> Option<Program> {
        self.programs().find(|p| p.code() == code)
    }

    /// The parameters of the rule of program `code`, or of the audit table `code`.
    pub fn parameters(&self, code: &str) -> Option<Vec<ParamSpec>> {
        (self.rules.iter())
            .find(|r| r.program().code() == code)
            .map(|r| r.parameters())
            .or_else(|| {
                audit_tables()
                    .into_iter()
                    .find(|(t, _)| *t == code)
                    .map(|(_, specs)| specs)
            })
    }

    /// Every table a policy for this set has: the rules' in rule order, then the audits'.
    pub fn tables(&self) -> Vec<(&'static str, Vec<ParamSpec>)> {
        let rules = (self.rules.iter()).map(|r| (r.program().code(), r.parameters()));
        rules.chain(audit_tables()).collect()
    }

    /// The deciders of the enabled programs, for the engine.
    pub(crate) fn compile<'t>(
        &self,
        table_of: impl Fn(&str) -> Option<&'t Table>,
    ) -> Vec<Box<dyn Decider>> {
        (self.rules.iter())
            .filter_map(|r| {
                let table = table_of(r.program().code())?;
                table.enabled().then(|| r.compile(table))
            })
            .collect()
    }
}

/// `rule` behind the object-safe face, once its program fits in a decision.
fn erase<R: Rule>(rule: R) -> Result<Arc<dyn Erased>, RuleSetError> {
    let def = rule.program().def();
    if def.reasons.len() > Reasons::CAPACITY {
        return Err(RuleSetError::TooManyReasons(def.code));
    }
    let specs = rule.parameters();
    for (i, spec) in specs.iter().enumerate() {
        let twice = specs.iter().take(i).any(|s| s.name == spec.name);
        if twice || crate::table::RESERVED.contains(&spec.name) {
            return Err(RuleSetError::Parameter {
                program: def.code,
                parameter: spec.name,
            });
        }
    }
    Ok(Arc::new(Adapter(Arc::new(rule))))
}

/// The kinds of subject of `programs`, in the order of their first program.
pub(crate) fn kinds(programs: impl Iterator<Item = Program>) -> Vec<SubjectKind> {
    let mut kinds: Vec<SubjectKind> = Vec::new();
    for p in programs {
        if !kinds.contains(&p.subject()) {
            kinds.push(p.subject());
        }
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dated::{Entry, History};
    use crate::money::Yuan;
    use crate::rules::{Param, Value};

    /// A laborer lent to a decider as itself gets what it gets lent as a [`Subject`]: the
    /// same outcome from a laborer's decider (dated in the latest interval or not), the
    /// same [`EvalError::WrongSubject`] from a decider of another kind.
    #[test]
    fn a_laborer_lent_as_itself_is_decided_as_a_subject() {
        let policy = crate::Policy::yang_county_2020();
        let roster = crate::sample::roster();
        let deciders = policy.rules().compile(|name| policy.table(name));
        let blank = || Outcome::Ineligible {
            reasons: Reasons::new(),
        };
        for as_of in ["2019-06-01", "2020-04-01", "2021-03-01"] {
            let as_of: NaiveDate = as_of.parse().unwrap_or_default();
            for l in roster.laborers() {
                for d in &deciders {
                    let (mut lent, mut subject) = (blank(), blank());
                    let a = d.laborer_outcome_into(l, as_of, &mut lent);
                    let b = d.outcome_into(&Subject::Laborer(l), as_of, &mut subject);
                    assert_eq!(a, b, "{} {}", d.program(), l.id);
                    assert_eq!(a.is_ok(), d.program().subject() == SubjectKind::Laborer);
                    if a.is_ok() {
                        assert_eq!(lent, subject, "{} {}", d.program(), l.id);
                    }
                }
            }
        }
    }

    /// A schedule answers what its table says is in force on every day: before the first
    /// entry, on each change, between two, where `in_effect` repeals the rule and after;
    /// scanned (at most `Schedule::SCAN` intervals) or binary-searched (more).
    #[test]
    fn schedule_at_is_what_the_table_has_in_force() {
        const CAP: Param<Yuan> = Param::required("cap");
        let specs = [CAP.spec()];
        let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();
        let day = |n: u64| start + chrono::Days::new(n);
        for entries in [1_u32, 2, 5, 6, 9, 30] {
            let cap = (0..entries)
                .map(|k| Entry::new(day(10 * u64::from(k) + 5), Value::Money(Yuan::from_fen(k))))
                .collect();
            let in_effect = vec![
                Entry::new(day(0), true),
                Entry::new(day(21), false),
                Entry::new(day(43), true),
            ];
            let table = Table {
                enabled: true,
                in_effect: Some(History::new(in_effect).unwrap()),
                citation: None,
                params: [("cap", History::new(cap).unwrap())].into(),
            };
            let schedule = Schedule::build(&table, &specs, |f| f.values.get(CAP).ok());
            let intervals = 1 + schedule.earlier.len();
            // The cap's changes and `in_effect`'s three.
            assert_eq!(intervals, entries as usize + 3);
            assert_eq!(intervals > Schedule::<Yuan>::SCAN, entries > 5);
            for n in 0..10 * u64::from(entries) + 20 {
                let expected =
                    (table.in_force(&specs, day(n))).and_then(|f| f.values.get(CAP).ok());
                assert_eq!(
                    schedule.at(day(n)),
                    expected.as_ref(),
                    "{entries} entries, day {n}"
                );
            }
        }
    }
}
