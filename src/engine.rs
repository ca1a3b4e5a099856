//! The engine: evaluates subjects, or a whole [`Roster`], as of a date, under one
//! [`Policy`] and its [`RuleSet`](crate::RuleSet).
//!
//! [`Engine::new`] resolves each rule's parameters once, into the values in force on each
//! interval between two changes. Evaluating a record then costs a binary search over a
//! handful of intervals, never a walk of the histories.
//!
//! Decisions come in the order of `payouts.csv`: the kinds of subject in the order of
//! their first rule (for the built-in rules: laborers, loan applications, enterprises,
//! startup centers, posts), each record in input order, and for each record its kind's
//! rules in rule order. [`Engine::audit`] gives the findings of R9 and R10.
//!
//! ```
//! use jiuye_fupin::{Engine, Policy, sample};
//! use jiuye_fupin::rules::transport;
//!
//! let roster = sample::roster();
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
//! let r1 = eval.totals.get(transport::PROGRAM).unwrap();
//! assert!(r1.eligible > 0 && r1.eligible <= r1.subjects);
//! let subjects = 3 * roster.laborers().len() + 2 * roster.enterprises().len() + roster.posts().len()
//!     + roster.loans().len() + roster.centers().len();
//! assert_eq!(eval.decisions.len(), subjects);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;

use crate::decision::{Citation, Decision, Outcome, Program, SubjectKind};
use crate::finding::{Finding, NotAudited};
use crate::model::Roster;
use crate::policy::Policy;
use crate::report::{Tally, Totals};
use crate::rules::{Subject, assistant_quota, post_compliance};
pub use crate::ruleset::EvalError;
use crate::ruleset::{Decider, Schedule, kinds};
use crate::table::Table;

/// Evaluates the rules of one policy.
///
/// Built once per policy; cheap to share across threads (`Sync`). By default decisions
/// carry their explanation steps; [`Engine::explain`]`(false)` skips them for bulk runs,
/// and then computes amounts in exact integer arithmetic (units of 10⁻⁴ yuan, one rounding
/// to the fen) wherever the operands allow, falling back to `Decimal` elsewhere: the
/// amounts, reasons and `capped` flags are the same either way (property-tested).
pub struct Engine {
    /// The programs it runs, each with its decider, grouped by kind of subject (in the
    /// order of `order`), in rule order within a kind: the stream walks a kind's deciders
    /// as one slice ([`Deciders`]).
    deciders: Vec<Held>,
    /// Where each program's decider is in `deciders`, in rule order.
    slots: Vec<usize>,
    /// The kinds of subject in order, each with its programs' positions (among
    /// [`Engine::programs`]) and its deciders' place in `deciders`.
    order: Vec<(SubjectKind, Vec<usize>, std::ops::Range<usize>)>,
    quota: Table,
    /// R10's deadline resolved once per interval, and its clause (`None`: R10 not run).
    compliance: Option<(Schedule<post_compliance::InForce>, Citation)>,
    explain: bool,
}

/// A program's decider beside its program (asked once, not through the decider for every
/// decision) and its position among [`Engine::programs`]: what the stream reads of each
/// program, side by side.
struct Held {
    at: usize,
    program: Program,
    decider: Box<dyn Decider>,
}

/// The deciders of one kind of subject's programs, in rule order ([`Engine::deciders_of`]):
/// what the stream walks for each of its records, looked up once per file.
#[derive(Clone, Copy)]
pub(crate) struct Deciders<'e>(&'e [Held]);

impl<'e> Deciders<'e> {
    /// Each program's outcome for one subject, in rule order, as a decision without steps
    /// has it (the same rule code): the stream's rows, without building a [`Decision`] for
    /// each. `each` is given the program's position among [`Engine::programs`].
    ///
    /// # Errors
    /// The first [`EvalError`].
    #[inline]
    pub(crate) fn outcomes(
        self,
        subject: Subject<'e>,
        as_of: NaiveDate,
        mut each: impl FnMut(usize, Program, &Outcome),
    ) -> Result<(), EvalError> {
        // One outcome, overwritten by each program in turn. Made eligible, which is four
        // stores where empty reasons are ten: a decider writes it whole, reasons and all,
        // so what it starts as is never read.
        let mut outcome = Outcome::Eligible {
            amount: crate::money::Yuan::ZERO,
            capped: false,
        };
        for h in self.0 {
            // A laborer lent as itself (the match is decided where the stream builds its
            // subject): its deciders test neither its kind nor a null record.
            let decided = match subject {
                Subject::Laborer(l) => h.decider.laborer_outcome_into(l, as_of, &mut outcome),
                _ => h.decider.outcome_into(&subject, as_of, &mut outcome),
            };
            decided.map_err(|e| *e)?;
            each(h.at, h.program, &outcome);
        }
        Ok(())
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("programs", &self.programs().collect::<Vec<_>>())
            .field("explain", &self.explain)
            .finish()
    }
}

impl Engine {
    /// An engine for `policy` and its rule set, with explanation steps on.
    pub fn new(policy: &Policy) -> Engine {
        let mut deciders: Vec<Held> = (policy.rules().compile(|name| policy.table(name)))
            .into_iter()
            .enumerate()
            .map(|(at, decider)| Held {
                at,
                program: decider.program(),
                decider,
            })
            .collect();
        let kinds = kinds(deciders.iter().map(|h| h.program));
        // Grouped by kind in the kinds' order; a stable sort keeps rule order within a kind.
        deciders.sort_by_key(|h| kinds.iter().position(|&k| k == h.program.subject()));
        let mut slots = vec![0; deciders.len()];
        for (place, h) in deciders.iter().enumerate() {
            if let Some(slot) = slots.get_mut(h.at) {
                *slot = place;
            }
        }
        let order = kinds
            .into_iter()
            .map(|k| {
                let of_k = |h: &&Held| h.program.subject() == k;
                let first = (deciders.iter().position(|h| of_k(&h))).unwrap_or(deciders.len());
                let positions: Vec<usize> = deciders.iter().filter(of_k).map(|h| h.at).collect();
                // The group is contiguous: it starts at its first and holds them all.
                let end = first.saturating_add(positions.len());
                (k, positions, first..end)
            })
            .collect();
        let table = |name| policy.table(name).cloned();
        Engine {
            deciders,
            slots,
            order,
            quota: table(assistant_quota::TABLE).unwrap_or_else(Table::disabled),
            compliance: (table(post_compliance::TABLE))
                .filter(Table::enabled)
                .map(|t| {
                    let schedule = Schedule::build(&t, &post_compliance::parameters(), |f| {
                        post_compliance::from_values(&f.values)
                    });
                    (schedule, t.citation_or("R10"))
                }),
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

    /// Whether decisions carry their steps.
    pub fn explains(&self) -> bool {
        self.explain
    }

    /// The programs it runs, in rule order (a program with `enabled = false` is not among
    /// them).
    pub fn programs(&self) -> impl Iterator<Item = Program> + '_ {
        (self.slots.iter())
            .filter_map(|&s| self.deciders.get(s))
            .map(|h| h.program)
    }

    /// The kinds of subject it decides, in order, each with its programs' positions among
    /// [`Engine::programs`].
    pub fn order(&self) -> impl Iterator<Item = (SubjectKind, &[usize])> + '_ {
        self.order.iter().map(|(k, p, _)| (*k, p.as_slice()))
    }

    /// The deciders of `kind`'s programs, in rule order (none when it runs none).
    pub(crate) fn deciders_of(&self, kind: SubjectKind) -> Deciders<'_> {
        let range = (self.order.iter()).find_map(|(k, _, r)| (*k == kind).then(|| r.clone()));
        Deciders(range.and_then(|r| self.deciders.get(r)).unwrap_or_default())
    }

    /// Totals with a zero line for every program it runs.
    pub fn empty_totals(&self) -> Totals {
        Totals::new(self.programs())
    }

    /// Decides `program` for one subject.
    ///
    /// ```
    /// use jiuye_fupin::{Engine, Policy};
    /// use jiuye_fupin::model::{Laborer, PovertyStatus};
    /// use jiuye_fupin::rules::isolation::PROGRAM;
    /// let engine = Engine::new(&Policy::yang_county_2020());
    /// let l = Laborer { poverty_status: PovertyStatus::RemainingPoor, isolation_days: 3,
    ///     isolation_start: Some("2014-12-31".parse()?), ..Laborer::new("L1") };
    /// // Before the first entry of the rule's parameters: decided, not refused.
    /// assert_eq!(engine.decide(PROGRAM, &l, "2020-04-01".parse()?)?.reason_codes().to_string(), "not_in_force");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`EvalError::NotRun`], [`EvalError::WrongSubject`], or an amount too large for
    /// exact arithmetic.
    pub fn decide<'a>(
        &'a self,
        program: Program,
        subject: impl Into<Subject<'a>>,
        as_of: NaiveDate,
    ) -> Result<Decision<'a>, EvalError> {
        let h = (self.deciders.iter())
            .find(|h| h.program == program)
            .ok_or_else(|| EvalError::NotRun(program.code().to_owned()))?;
        h.decider.decide(subject.into(), as_of, self.explain)
    }

    /// Every program of the subject's kind, for one subject, in rule order.
    ///
    /// # Errors
    /// The first [`EvalError`].
    pub fn decide_all<'a>(
        &'a self,
        subject: impl Into<Subject<'a>>,
        as_of: NaiveDate,
        each: impl FnMut(usize, Decision<'a>) -> Result<(), EvalError>,
    ) -> Result<(), EvalError> {
        let subject = subject.into();
        let Some((_, positions, _)) = self.order.iter().find(|(k, ..)| *k == subject.kind()) else {
            return Ok(());
        };
        self.decide_at(positions, subject, as_of, each)
    }

    /// The programs at `positions` (among [`Engine::programs`]) for one subject: for a
    /// caller that looked its kind's positions up once ([`Engine::order`]).
    ///
    /// # Errors
    /// The first [`EvalError`].
    #[inline]
    pub fn decide_at<'a>(
        &'a self,
        positions: &[usize],
        subject: Subject<'a>,
        as_of: NaiveDate,
        mut each: impl FnMut(usize, Decision<'a>) -> Result<(), EvalError>,
    ) -> Result<(), EvalError> {
        for &i in positions {
            if let Some(h) = self.slots.get(i).and_then(|&s| self.deciders.get(s)) {
                each(i, h.decider.decide(subject, as_of, self.explain)?)?;
            }
        }
        Ok(())
    }

    /// Every decision on `roster`, in the order of `payouts.csv`, each with the position of
    /// its program among [`Engine::programs`].
    ///
    /// # Errors
    /// The first [`EvalError`].
    pub fn for_each<'a>(
        &'a self,
        roster: &'a Roster,
        as_of: NaiveDate,
        each: impl FnMut(usize, Decision<'a>) -> Result<(), EvalError>,
    ) -> Result<(), EvalError> {
        self.for_each_where(roster, as_of, |_| true, each)
    }

    /// As [`Engine::for_each`], for the subjects whose id `keep` accepts (a subject's id
    /// as its decisions have it: a loan's is its laborer's); the others are not decided.
    /// One subject's decisions with their steps, out of a large roster, cost one subject's
    /// explanations.
    ///
    /// ```
    /// use jiuye_fupin::{Engine, Policy, sample};
    /// let engine = Engine::new(&Policy::yang_county_2020());
    /// let mut programs = Vec::new();
    /// engine.for_each_where(&sample::roster(), "2020-04-01".parse()?, |id| id == "YX-L002", |_, d| {
    ///     programs.push(d.program.code());
    ///     Ok(())
    /// })?;
    /// assert_eq!(programs, ["transport_subsidy", "isolation_allowance", "startup_grant"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// The first [`EvalError`] among the subjects decided.
    pub fn for_each_where<'a>(
        &'a self,
        roster: &'a Roster,
        as_of: NaiveDate,
        mut keep: impl FnMut(&str) -> bool,
        mut each: impl FnMut(usize, Decision<'a>) -> Result<(), EvalError>,
    ) -> Result<(), EvalError> {
        for subject in self.subjects(roster) {
            if keep(subject.id()) {
                self.decide_all(subject, as_of, &mut each)?;
            }
        }
        Ok(())
    }

    /// The subjects of `roster` that this engine decides, in the order of `payouts.csv`:
    /// kinds in rule order, records in input order (a post with its holder's status).
    ///
    /// ```
    /// use jiuye_fupin::{Engine, Policy, sample};
    /// let roster = sample::roster();
    /// let engine = Engine::new(&Policy::yang_county_2020());
    /// let first = engine.subjects(&roster).next().unwrap();
    /// assert_eq!(first.id(), roster.laborers()[0].id);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn subjects<'r>(&self, roster: &'r Roster) -> impl Iterator<Item = Subject<'r>> + use<'r> {
        let kinds: Vec<SubjectKind> = self.order.iter().map(|&(kind, ..)| kind).collect();
        kinds.into_iter().flat_map(move |kind| {
            let of_kind: Box<dyn Iterator<Item = Subject<'r>>> = match kind {
                SubjectKind::Laborer => Box::new(roster.laborers().iter().map(Subject::from)),
                SubjectKind::LoanApplication => Box::new(roster.loans().iter().map(Subject::from)),
                SubjectKind::Enterprise => Box::new(roster.enterprises().iter().map(Subject::from)),
                SubjectKind::StartupCenter => Box::new(roster.centers().iter().map(Subject::from)),
                SubjectKind::Post => Box::new(
                    (roster.posts_with_holders())
                        .map(|(p, h)| Subject::from((p, h.poverty_status()))),
                ),
            };
            of_kind
        })
    }

    /// The audit findings: R9 quotas (as of `as_of`, when it lies in the quota window),
    /// then R10 post compliance (each monthly record under the parameters of its month).
    ///
    /// ```
    /// use jiuye_fupin::{Engine, Policy, sample};
    /// let findings = Engine::new(&Policy::yang_county_2020()).audit(&sample::roster(), "2020-04-01".parse()?);
    /// assert!(findings.iter().any(|f| f.kind.code() == "ghost_post"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn audit(&self, roster: &Roster, as_of: NaiveDate) -> Vec<Finding> {
        let mut findings = Vec::new();
        if let Some(q) = self.quotas(as_of) {
            let citation = self.quota.citation_or("R9");
            findings = assistant_quota::audit(roster, &q, &citation);
        }
        if let Some((schedule, citation)) = &self.compliance {
            findings.extend(post_compliance::audit(
                roster,
                |date| schedule.at(date).copied(),
                citation,
            ));
        }
        findings
    }

    /// The monthly records (`post_months.csv`) that [`Engine::audit`] leaves unaudited
    /// because R10 is not in force in their month (before the first entry of its parameters,
    /// or repealed: POLICY.md reading 8). Their ghost posts, substitutes and short or late
    /// wages are not looked for, so a report says how many there are instead of passing
    /// the audit off as a clean bill. `0` when the policy does not run R10 or no month is
    /// recorded.
    ///
    /// ```
    /// use jiuye_fupin::{Engine, Policy, sample};
    /// let roster = sample::roster();
    /// assert_eq!(Engine::new(&Policy::yang_county_2020()).months_not_audited(&roster), 0);
    /// let late = Policy::yang_county_2020().with_overlay_str(
    ///     "[post_compliance]\npayment_deadline_day = [{ effective_from = \"2030-01-01\", value = 15 }]\n")?;
    /// assert_eq!(Engine::new(&late).months_not_audited(&roster), roster.post_months().len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn months_not_audited(&self, roster: &Roster) -> usize {
        let Some((schedule, _)) = &self.compliance else {
            return 0;
        };
        (roster.post_months_with_posts())
            .filter(|(m, _, _)| schedule.at(post_compliance::date(m)).is_none())
            .count()
    }

    /// What [`Engine::audit`] of `roster` as of `as_of` does not audit, in the order a
    /// report says it: R9's quotas ([`Engine::audits_quotas`]), R10 without post months
    /// ([`Roster::has_post_months`]) or not run by the policy at all (`enabled = false`),
    /// R10's monthly records of months in which it is not in force
    /// ([`Engine::months_not_audited`]). Empty: everything was audited.
    ///
    /// ```
    /// use jiuye_fupin::finding::NotAudited;
    /// use jiuye_fupin::{Engine, Policy, sample};
    /// let engine = Engine::new(&Policy::yang_county_2020());
    /// assert!(engine.not_audited(&sample::roster(), "2020-04-01".parse()?).is_empty());
    /// let after = "2021-01-01".parse()?;
    /// assert_eq!(engine.not_audited(&sample::roster(), after), [NotAudited::Quotas { as_of: after }]);
    /// # Ok::<(), chrono::ParseError>(())
    /// ```
    pub fn not_audited(&self, roster: &Roster, as_of: NaiveDate) -> Vec<NotAudited> {
        let mut out = Vec::new();
        if !self.audits_quotas(as_of) {
            out.push(NotAudited::Quotas { as_of });
        }
        if self.compliance.is_none() {
            out.push(NotAudited::ComplianceNotRun);
        } else if !roster.has_post_months() {
            out.push(NotAudited::NoPostMonths);
        }
        let records = self.months_not_audited(roster);
        if records > 0 {
            out.push(NotAudited::MonthsNotInForce { records });
        }
        out
    }

    /// Whether [`Engine::audit`] audits the R9 quotas as of `as_of`: the policy runs R9, it
    /// is in force then, and `as_of` lies in its window (POLICY.md reading 9). When it does
    /// not, no quota finding is no clean bill, and a report says so.
    ///
    /// ```
    /// use jiuye_fupin::{Engine, Policy};
    /// let engine = Engine::new(&Policy::yang_county_2020());
    /// assert!(engine.audits_quotas("2020-12-31".parse()?));
    /// assert!(!engine.audits_quotas("2021-01-01".parse()?));
    /// # Ok::<(), chrono::ParseError>(())
    /// ```
    pub fn audits_quotas(&self, as_of: NaiveDate) -> bool {
        self.quotas(as_of).is_some()
    }

    /// R9's quotas in force on `as_of`, if it audits them then.
    fn quotas(&self, as_of: NaiveDate) -> Option<assistant_quota::InForce> {
        if !self.quota.enabled() {
            return None;
        }
        let in_force = self.quota.in_force(&assistant_quota::parameters(), as_of)?;
        assistant_quota::from_values(&in_force.values, as_of)
    }

    /// Evaluates the whole roster: every decision, and the totals per program.
    ///
    /// # Errors
    /// The first [`EvalError`] (an amount too large for exact arithmetic).
    pub fn evaluate<'a>(
        &'a self,
        roster: &'a Roster,
        as_of: NaiveDate,
    ) -> Result<Evaluation<'a>, EvalError> {
        let mut decisions = Vec::with_capacity(roster.len().saturating_mul(2));
        let mut tally = Tally::new(self.programs());
        let arithmetic = |(program, source)| EvalError::Arithmetic {
            program,
            subject_id: String::new(),
            source,
            unfit: None,
        };
        self.for_each(roster, as_of, |i, d| {
            tally.add(i, &d).map_err(arithmetic)?;
            decisions.push(d);
            Ok(())
        })?;
        let totals = tally.finish().map_err(arithmetic)?;
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
