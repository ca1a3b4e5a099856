//! The engine: evaluates subjects, or a whole [`Roster`], as of a date.
//!
//! [`Engine::new`] resolves the policy's parameters once, into one schedule per rule: the
//! values in force on each interval between two changes. Evaluating a record then costs a
//! binary search over a handful of intervals, never a walk of the histories.
//!
//! Decisions come in the order of `payouts.csv`, rule order then input order: laborers
//! (R1, R2, R3 for each), loan applications (R4), enterprises (R5, R6), startup centers
//! (R7), posts (R8). [`Engine::audit`] gives the findings of R9 and R10.
//!
//! ```
//! use jiuye_fupin::{Engine, Policy, Program, sample};
//!
//! let roster = sample::roster();
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
//! let r1 = eval.totals.get(Program::TransportSubsidy);
//! assert!(r1.eligible > 0 && r1.eligible <= r1.subjects);
//! let subjects = 3 * roster.laborers().len() + 2 * roster.enterprises().len() + roster.posts().len()
//!     + roster.loans().len() + roster.centers().len();
//! assert_eq!(eval.decisions.len(), subjects);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;

use crate::decision::{Decision, Outcome, Program};
use crate::finding::Finding;
use crate::model::{
    Enterprise, Laborer, LoanApplication, Post, PovertyStatus, Roster, StartupCenter,
};
use crate::money::MoneyError;
use crate::policy::Policy;
use crate::report::{Tally, Totals};
use crate::rules::{
    NotInForce, Parameters, assistant_quota, guaranteed_loan, isolation, post_compliance,
    post_subsidy, premium_deferral, startup_center, startup_grant, transport, ui_refund,
};

/// A record the engine cannot decide.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// The record's date is before a parameter's history starts.
    #[error("{program} for {subject_id}: {source}")]
    NotInForce {
        /// The program.
        program: Program,
        /// The subject.
        subject_id: String,
        /// The parameter and date.
        source: NotInForce,
    },
    /// An audit record dated before a parameter's history.
    #[error("audit: {0}")]
    AuditNotInForce(NotInForce),
    /// An amount too large for exact arithmetic.
    #[error("{program} for {subject_id}: {source}")]
    Arithmetic {
        /// The program.
        program: Program,
        /// The subject (empty for a total).
        subject_id: String,
        /// The cause.
        source: MoneyError,
    },
}

/// The values of one rule's parameters on each interval between two changes.
#[derive(Debug, Clone)]
struct Schedule<T> {
    starts: Vec<NaiveDate>,
    values: Vec<Result<T, NotInForce>>,
    /// The parameter that is not in force before the first change.
    first: &'static str,
}

impl<T: Copy> Schedule<T> {
    fn build<P: Parameters<InForce = T>>(params: &P) -> Schedule<T> {
        let mut starts = params.change_dates();
        starts.sort_unstable();
        starts.dedup();
        let values = starts.iter().map(|&d| params.in_force(d)).collect();
        let first = (starts.first())
            .and_then(|d| d.pred_opt())
            .and_then(|d| params.in_force(d).err())
            .map_or("(unknown)", |e| e.parameter);
        Schedule {
            starts,
            values,
            first,
        }
    }

    /// The values in force on `date`, or the parameter that is not.
    #[inline]
    fn at(&self, date: NaiveDate) -> Result<T, NotInForce> {
        if let ([start], [Ok(v)]) = (self.starts.as_slice(), self.values.as_slice()) {
            if *start <= date {
                return Ok(*v);
            }
        }
        let after = self.starts.partition_point(|&s| s <= date);
        match after.checked_sub(1).and_then(|i| self.values.get(i)) {
            Some(Ok(v)) => Ok(*v),
            Some(Err(e)) => Err(NotInForce {
                parameter: e.parameter,
                date,
            }),
            None => Err(NotInForce {
                parameter: self.first,
                date,
            }),
        }
    }
}

/// Evaluates the rules of one policy.
///
/// Built once per policy; cheap to share across threads (`Sync`). By default decisions
/// carry their explanation steps; [`Engine::explain`]`(false)` skips them for bulk runs,
/// and then computes amounts in exact integer arithmetic (units of 10⁻⁴ yuan, one rounding
/// to the fen) wherever the operands allow, falling back to `Decimal` elsewhere: the
/// amounts, reasons and `capped` flags are the same either way (property-tested).
#[derive(Debug, Clone)]
pub struct Engine {
    transport: Schedule<transport::InForce>,
    isolation: Schedule<isolation::InForce>,
    startup_grant: Schedule<startup_grant::InForce>,
    guaranteed_loan: Schedule<guaranteed_loan::InForce>,
    ui_refund: Schedule<ui_refund::InForce>,
    premium_deferral: Schedule<premium_deferral::InForce>,
    startup_center: Schedule<startup_center::InForce>,
    post_subsidy: Schedule<post_subsidy::InForce>,
    assistant_quota: Schedule<assistant_quota::InForce>,
    post_compliance: Schedule<post_compliance::InForce>,
    explain: bool,
}

/// Maps a rule's error to an [`EvalError`] for `subject_id`.
fn fail(program: Program, subject_id: &str) -> impl Fn(MoneyError) -> EvalError + '_ {
    move |source| EvalError::Arithmetic {
        program,
        subject_id: subject_id.to_owned(),
        source,
    }
}

fn missing(program: Program, subject_id: &str) -> impl Fn(NotInForce) -> EvalError + '_ {
    move |source| EvalError::NotInForce {
        program,
        subject_id: subject_id.to_owned(),
        source,
    }
}

impl Engine {
    /// An engine for `policy`, with explanation steps on.
    pub fn new(policy: &Policy) -> Engine {
        Engine {
            transport: Schedule::build(policy.transport_subsidy()),
            isolation: Schedule::build(policy.isolation_allowance()),
            startup_grant: Schedule::build(policy.startup_grant()),
            guaranteed_loan: Schedule::build(policy.guaranteed_loan()),
            ui_refund: Schedule::build(policy.ui_refund()),
            premium_deferral: Schedule::build(policy.premium_deferral()),
            startup_center: Schedule::build(policy.startup_center_subsidy()),
            post_subsidy: Schedule::build(policy.post_subsidy()),
            assistant_quota: Schedule::build(policy.assistant_quota()),
            post_compliance: Schedule::build(policy.post_compliance()),
            explain: true,
        }
    }

    /// Turns explanation steps on or off (amounts and reasons are the same either way).
    ///
    /// ```
    /// use jiuye_fupin::{Engine, Policy, sample};
    /// let roster = sample::roster();
    /// let fast = Engine::new(&Policy::yang_county_2020()).explain(false);
    /// let eval = fast.evaluate(&roster, "2020-04-01".parse()?)?;
    /// assert!(eval.decisions.iter().all(|d| d.steps.is_empty()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn explain(mut self, on: bool) -> Engine {
        self.explain = on;
        self
    }

    /// Without explanation steps, the integer fast path of a rule (`money::fast`): its
    /// outcome, or `None` to take the `Decimal` path (with steps, or outside its domain).
    #[inline]
    fn fast(&self, outcome: impl FnOnce() -> Option<Outcome>) -> Option<Outcome> {
        if self.explain { None } else { outcome() }
    }

    /// R1 for one laborer.
    ///
    /// # Errors
    /// [`EvalError`] when a parameter is not in force on the laborer's date.
    pub fn transport_subsidy<'r>(
        &self,
        l: &'r Laborer,
        as_of: NaiveDate,
    ) -> Result<Decision<'r>, EvalError> {
        let program = Program::TransportSubsidy;
        let date = transport::date(l, as_of);
        let p = (self.transport).at(date).map_err(missing(program, &l.id))?;
        if let Some(outcome) = self.fast(|| transport::outcome_fen(l, date, &p)) {
            return Ok(Decision::new(program, &l.id, date, outcome, Vec::new()));
        }
        transport::decide(l, date, &p, self.explain).map_err(fail(program, &l.id))
    }

    /// R2 for one laborer.
    ///
    /// # Errors
    /// [`EvalError`] when a parameter is not in force, or the amount overflows.
    pub fn isolation_allowance<'r>(
        &self,
        l: &'r Laborer,
        as_of: NaiveDate,
    ) -> Result<Decision<'r>, EvalError> {
        let program = Program::IsolationAllowance;
        let date = isolation::date(l, as_of);
        let p = (self.isolation).at(date).map_err(missing(program, &l.id))?;
        if let Some(outcome) = self.fast(|| isolation::outcome_fen(l, date, &p)) {
            return Ok(Decision::new(program, &l.id, date, outcome, Vec::new()));
        }
        isolation::decide(l, date, &p, self.explain).map_err(fail(program, &l.id))
    }

    /// R3 for one laborer.
    ///
    /// # Errors
    /// [`EvalError`] when a parameter is not in force.
    pub fn startup_grant<'r>(
        &self,
        l: &'r Laborer,
        as_of: NaiveDate,
    ) -> Result<Decision<'r>, EvalError> {
        let program = Program::StartupGrant;
        let date = startup_grant::date(l, as_of);
        let p = (self.startup_grant)
            .at(date)
            .map_err(missing(program, &l.id))?;
        if let Some(outcome) = self.fast(|| startup_grant::outcome_fen(l, date, &p)) {
            return Ok(Decision::new(program, &l.id, date, outcome, Vec::new()));
        }
        startup_grant::decide(l, date, &p, self.explain).map_err(fail(program, &l.id))
    }

    /// R4 for one loan application.
    ///
    /// # Errors
    /// [`EvalError`] when a parameter is not in force.
    pub fn guaranteed_loan<'r>(
        &self,
        a: &'r LoanApplication,
        as_of: NaiveDate,
    ) -> Result<Decision<'r>, EvalError> {
        let program = Program::GuaranteedLoan;
        let date = guaranteed_loan::date(a, as_of);
        let p = (self.guaranteed_loan)
            .at(date)
            .map_err(missing(program, &a.laborer_id))?;
        guaranteed_loan::decide(a, date, &p, self.explain).map_err(fail(program, &a.laborer_id))
    }

    /// R7 for one startup center's claim.
    ///
    /// # Errors
    /// [`EvalError`] when a parameter is not in force, or the amount overflows.
    pub fn startup_center_subsidy<'r>(
        &self,
        c: &'r StartupCenter,
        as_of: NaiveDate,
    ) -> Result<Decision<'r>, EvalError> {
        let program = Program::StartupCenterSubsidy;
        let date = startup_center::date(c, as_of);
        let p = (self.startup_center)
            .at(date)
            .map_err(missing(program, &c.id))?;
        startup_center::decide(c, date, &p, self.explain).map_err(fail(program, &c.id))
    }

    /// R5 for one enterprise.
    ///
    /// # Errors
    /// [`EvalError`] when a parameter is not in force, or the amount overflows.
    pub fn ui_refund<'r>(
        &self,
        e: &'r Enterprise,
        as_of: NaiveDate,
    ) -> Result<Decision<'r>, EvalError> {
        let program = Program::UiRefund;
        let date = ui_refund::date(e, as_of);
        let p = (self.ui_refund).at(date).map_err(missing(program, &e.id))?;
        if let Some(outcome) = self.fast(|| ui_refund::outcome_fen(e, &p)) {
            return Ok(Decision::new(program, &e.id, date, outcome, Vec::new()));
        }
        ui_refund::decide(e, date, &p, self.explain).map_err(fail(program, &e.id))
    }

    /// R6 for one enterprise.
    ///
    /// # Errors
    /// [`EvalError`] when a parameter is not in force, or the amount overflows.
    pub fn premium_deferral<'r>(
        &self,
        e: &'r Enterprise,
        as_of: NaiveDate,
    ) -> Result<Decision<'r>, EvalError> {
        let program = Program::PremiumDeferral;
        let date = premium_deferral::date(e, as_of);
        let p = (self.premium_deferral)
            .at(date)
            .map_err(missing(program, &e.id))?;
        if let Some(outcome) = self.fast(|| premium_deferral::outcome_fen(e, date, &p)) {
            return Ok(Decision::new(program, &e.id, date, outcome, Vec::new()));
        }
        premium_deferral::decide(e, date, &p, self.explain).map_err(fail(program, &e.id))
    }

    /// R8 for one post whose holder has status `holder`.
    ///
    /// # Errors
    /// [`EvalError`] when a parameter is not in force, or the amount overflows.
    pub fn post_subsidy<'r>(
        &self,
        post: &'r Post,
        holder: PovertyStatus,
        as_of: NaiveDate,
    ) -> Result<Decision<'r>, EvalError> {
        let program = Program::PostSubsidy;
        let date = post_subsidy::date(post, as_of);
        let p = (self.post_subsidy)
            .at(date)
            .map_err(missing(program, &post.id))?;
        if let Some(outcome) = self.fast(|| post_subsidy::outcome_fen(post, holder, &p)) {
            return Ok(Decision::new(program, &post.id, date, outcome, Vec::new()));
        }
        post_subsidy::decide(post, holder, date, &p, self.explain).map_err(fail(program, &post.id))
    }

    /// R1, R2 and R3 for one laborer, in rule order.
    ///
    /// # Errors
    /// The first [`EvalError`].
    pub fn laborer<'r>(
        &self,
        l: &'r Laborer,
        as_of: NaiveDate,
    ) -> Result<[Decision<'r>; 3], EvalError> {
        Ok([
            self.transport_subsidy(l, as_of)?,
            self.isolation_allowance(l, as_of)?,
            self.startup_grant(l, as_of)?,
        ])
    }

    /// R5 and R6 for one enterprise, in rule order.
    ///
    /// # Errors
    /// The first [`EvalError`].
    pub fn enterprise<'r>(
        &self,
        e: &'r Enterprise,
        as_of: NaiveDate,
    ) -> Result<[Decision<'r>; 2], EvalError> {
        Ok([self.ui_refund(e, as_of)?, self.premium_deferral(e, as_of)?])
    }

    /// Every decision on `roster`, lazily, in the order of `payouts.csv`.
    ///
    /// Each item is a decision, or the error that stops the evaluation (a caller that
    /// collects into `Result<Vec<_>, _>` stops at the first).
    pub fn decisions<'r>(
        &self,
        roster: &'r Roster,
        as_of: NaiveDate,
    ) -> impl Iterator<Item = Result<Decision<'r>, EvalError>> {
        // One index over the whole sequence (no array of decisions built and moved per
        // subject), in rule order: laborers × 3, loan applications, enterprises × 2,
        // startup centers, posts. The bounds are sums of lengths of slices in memory: they
        // cannot overflow (saturating to make that explicit).
        let (laborers, loans, enterprises) =
            (roster.laborers(), roster.loans(), roster.enterprises());
        let (centers, posts) = (roster.centers(), roster.posts());
        let l_end = laborers.len().saturating_mul(3);
        let a_end = l_end.saturating_add(loans.len());
        let e_end = a_end.saturating_add(enterprises.len().saturating_mul(2));
        let c_end = e_end.saturating_add(centers.len());
        let total = c_end.saturating_add(posts.len());
        (0..total).filter_map(move |k| {
            if k < l_end {
                let l = laborers.get(k / 3)?;
                Some(match k % 3 {
                    0 => self.transport_subsidy(l, as_of),
                    1 => self.isolation_allowance(l, as_of),
                    _ => self.startup_grant(l, as_of),
                })
            } else if k < a_end {
                Some(self.guaranteed_loan(loans.get(k.saturating_sub(l_end))?, as_of))
            } else if k < e_end {
                let i = k.saturating_sub(a_end);
                let e = enterprises.get(i / 2)?;
                Some(match i % 2 {
                    0 => self.ui_refund(e, as_of),
                    _ => self.premium_deferral(e, as_of),
                })
            } else if k < c_end {
                Some(self.startup_center_subsidy(centers.get(k.saturating_sub(e_end))?, as_of))
            } else {
                let i = k.saturating_sub(c_end);
                let post = posts.get(i)?;
                Some(self.post_subsidy(post, roster.holder_status(i)?, as_of))
            }
        })
    }

    /// The audit findings: R9 quotas (as of `as_of`), then R10 post compliance (each
    /// monthly record under the parameters of its month).
    ///
    /// ```
    /// use jiuye_fupin::{Engine, Policy, sample};
    /// let findings = Engine::new(&Policy::yang_county_2020()).audit(&sample::roster(), "2020-04-01".parse()?)?;
    /// assert!(findings.iter().any(|f| f.kind.code() == "ghost_post"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`EvalError::AuditNotInForce`] when a parameter is not in force on a date.
    pub fn audit(&self, roster: &Roster, as_of: NaiveDate) -> Result<Vec<Finding>, EvalError> {
        let quota = self
            .assistant_quota
            .at(as_of)
            .map_err(EvalError::AuditNotInForce)?;
        let mut findings = assistant_quota::audit(roster, &quota);
        let compliance = post_compliance::audit(roster, |date| self.post_compliance.at(date))
            .map_err(EvalError::AuditNotInForce)?;
        findings.extend(compliance);
        Ok(findings)
    }

    /// Evaluates the whole roster: every decision, and the totals per program.
    ///
    /// # Errors
    /// The first [`EvalError`] (a record dated before a parameter's history, or an amount
    /// too large for exact arithmetic).
    pub fn evaluate<'r>(
        &self,
        roster: &'r Roster,
        as_of: NaiveDate,
    ) -> Result<Evaluation<'r>, EvalError> {
        let mut decisions = Vec::with_capacity(roster.decision_count());
        let mut tally = Tally::default();
        let mut keep = |d: Decision<'r>| -> Result<(), EvalError> {
            tally
                .add(&d)
                .map_err(|(program, source)| EvalError::Arithmetic {
                    program,
                    subject_id: String::new(),
                    source,
                })?;
            decisions.push(d);
            Ok(())
        };
        for l in roster.laborers() {
            keep(self.transport_subsidy(l, as_of)?)?;
            keep(self.isolation_allowance(l, as_of)?)?;
            keep(self.startup_grant(l, as_of)?)?;
        }
        for a in roster.loans() {
            keep(self.guaranteed_loan(a, as_of)?)?;
        }
        for e in roster.enterprises() {
            keep(self.ui_refund(e, as_of)?)?;
            keep(self.premium_deferral(e, as_of)?)?;
        }
        for c in roster.centers() {
            keep(self.startup_center_subsidy(c, as_of)?)?;
        }
        for (p, h) in roster.posts_with_holders() {
            keep(self.post_subsidy(p, h.poverty_status, as_of)?)?;
        }
        let totals = tally
            .finish()
            .map_err(|(program, source)| EvalError::Arithmetic {
                program,
                subject_id: String::new(),
                source,
            })?;
        Ok(Evaluation {
            as_of,
            decisions,
            totals,
        })
    }
}

/// The result of [`Engine::evaluate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation<'r> {
    /// The as-of date.
    pub as_of: NaiveDate,
    /// Every decision, in the order of `payouts.csv`.
    pub decisions: Vec<Decision<'r>>,
    /// Counts and amounts per program.
    pub totals: Totals,
}
