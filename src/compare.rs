//! Impact of a policy change: [`compare`] two policies on one roster, as of one date.
//!
//! Both policies decide every subject of the roster, one subject at a time, and its
//! decisions are paired by program (a program one side does not run is `not_in_force`
//! there); nothing is kept per decision but the changes. The [`Comparison`] gives, per program and per
//! town (the subject's town in the roster), the eligible count and the total before and
//! after and the difference, and the list of subjects whose decision changed, with the old
//! and new amount and the reason codes that went away or appeared. Everything is in a fixed
//! order: programs in rule order, towns by name, changed subjects in roster order. Payouts
//! and deferrals are never added together.
//!
//! Output: [`Comparison::render`] (a readable table, Chinese or English) and three CSVs
//! ([`Comparison::write_programs_csv`], [`Comparison::write_towns_csv`],
//! [`Comparison::write_changes_csv`]).
//!
//! # Example: a transport cap of 600 from 2020-03-01
//! ```
//! use jiuye_fupin::compare::compare;
//! use jiuye_fupin::reform::Reform;
//! use jiuye_fupin::rules::transport;
//! use jiuye_fupin::{Lang, Policy, sample};
//!
//! let base = Policy::yang_county_2020();
//! let reformed = Reform::new("交通补贴上限600元")
//!     .change("transport_subsidy.cap", "2020-03-01".parse()?, "600.00")
//!     .apply(&base)?;
//! let roster = sample::roster();
//! let cmp = compare(&base, &reformed, &roster, "2020-04-01".parse()?)?;
//! let r1 = cmp.program(transport::PROGRAM).unwrap();
//! assert!(r1.after.amount >= r1.before.amount);
//! assert!(cmp.changed.iter().all(|c| c.program == transport::PROGRAM));
//! println!("{}", cmp.render(Lang::En));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Write;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::decision::{Lang, Outcome, Program, ProgramKind, Reasons};
use crate::engine::{Engine, EvalError};
use crate::model::Roster;
use crate::money::{MoneyError, Yuan, exact_add};
use crate::policy::Policy;
use crate::reform::{NotCompared, Reform};
use crate::report::Table;
use crate::rules::Subject;

/// Why a comparison could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CompareError {
    /// One of the policies cannot decide a record.
    #[error("under the {side} policy: {source}")]
    Eval {
        /// `"base"` or `"reformed"`.
        side: &'static str,
        /// The cause.
        source: EvalError,
    },
    /// A total too large for exact arithmetic.
    #[error("totals: {0}")]
    Arithmetic(#[from] MoneyError),
    /// A CSV could not be written.
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
}

impl CompareError {
    /// The error in `lang`.
    ///
    /// ```
    /// use jiuye_fupin::compare::CompareError;
    /// use jiuye_fupin::{EvalError, Lang};
    /// let e = CompareError::Eval { side: "reformed", source: EvalError::NotRun("x".into()) };
    /// assert_eq!(e.render(Lang::Zh), "按调整后的政策：本政策不实施项目 x");
    /// ```
    pub fn render(&self, lang: crate::Lang) -> String {
        if lang == crate::Lang::En {
            return self.to_string();
        }
        match self {
            CompareError::Eval { side, source } => {
                let side = if *side == "base" {
                    "原"
                } else {
                    "调整后的"
                };
                format!("按{side}政策：{}", source.render(lang))
            }
            CompareError::Arithmetic(e) => format!("合计：{}", e.render(lang)),
            CompareError::Csv(e) => format!("无法写出 CSV：{e}"),
        }
    }

    /// The subject a policy cannot decide ([`EvalError::subject`]), for
    /// [`crate::io::Origins::name`] to say where its record was read; `None` for a total.
    pub fn subject(&self) -> Option<(crate::decision::SubjectKind, &str)> {
        match self {
            CompareError::Eval { source, .. } => source.subject(),
            _ => None,
        }
    }

    /// The operation that did not fit, and the values given up to it, of an amount a
    /// policy cannot compute ([`EvalError::unfit`]).
    pub fn unfit(&self) -> Option<&crate::decision::Unfit> {
        match self {
            CompareError::Eval { source, .. } => source.unfit(),
            _ => None,
        }
    }

    /// The error in `lang`, preceded by where the record a policy cannot decide was read,
    /// when `origins` knows it ([`EvalError::render_at`]).
    ///
    /// ```
    /// use jiuye_fupin::compare::CompareError;
    /// use jiuye_fupin::{EvalError, Lang};
    /// let e = CompareError::Eval { side: "reformed", source: EvalError::NotRun("x".into()) };
    /// assert_eq!(e.render_at(None, Lang::En), e.render(Lang::En));
    /// ```
    pub fn render_at(&self, origins: Option<&crate::io::Origins>, lang: crate::Lang) -> String {
        crate::io::Origins::name_in(origins, self.subject(), self.render(lang), lang)
    }
}

/// Eligible count and total of one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Side {
    /// Subjects eligible.
    pub eligible: u64,
    /// Sum of their amounts.
    pub amount: Yuan,
}

impl Default for Side {
    /// No one eligible, `0.00`.
    fn default() -> Side {
        Side {
            eligible: 0,
            amount: Yuan::ZERO,
        }
    }
}

/// One program's figures before and after (for the whole roster, or one town).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Impact {
    /// The program.
    pub program: Program,
    /// Subjects decided.
    pub subjects: u64,
    /// Under the base policy.
    pub before: Side,
    /// Under the reformed policy.
    pub after: Side,
}

impl Impact {
    fn new(program: Program) -> Impact {
        Impact {
            program,
            subjects: 0,
            before: Side::default(),
            after: Side::default(),
        }
    }

    fn add(&mut self, before: Outcome, after: Outcome) -> Result<(), MoneyError> {
        self.subjects = self.subjects.saturating_add(1);
        for (side, o) in [(&mut self.before, before), (&mut self.after, after)] {
            if let Outcome::Eligible { amount, .. } = o {
                side.eligible = side.eligible.saturating_add(1);
                side.amount = side.amount.checked_add(amount)?;
            }
        }
        Ok(())
    }

    /// After minus before, in subjects eligible.
    pub fn eligible_change(&self) -> i128 {
        i128::from(self.after.eligible).saturating_sub(i128::from(self.before.eligible))
    }

    /// After minus before, in yuan (negative when the reform pays less).
    pub fn difference(&self) -> Decimal {
        difference(self.before.amount, self.after.amount)
    }
}

/// One program's figures in one town.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TownImpact {
    /// The town, as written in the roster.
    pub town: String,
    /// The figures.
    #[serde(flatten)]
    pub impact: Impact,
}

/// A subject whose decision changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ChangedDecision {
    /// The program.
    pub program: Program,
    /// The subject.
    pub subject_id: String,
    /// The subject's town.
    pub town: String,
    /// The decision under the base policy.
    pub before: Outcome,
    /// The decision under the reformed policy.
    pub after: Outcome,
    /// Codes of the base decision that the reform's does not have (`capped` included).
    pub reasons_removed: Vec<&'static str>,
    /// Codes of the reform's decision that the base's did not have.
    pub reasons_added: Vec<&'static str>,
}

impl ChangedDecision {
    /// The amount before (`0.00` when ineligible).
    pub fn amount_before(&self) -> Yuan {
        amount(self.before)
    }

    /// The amount after.
    pub fn amount_after(&self) -> Yuan {
        amount(self.after)
    }

    /// After minus before.
    pub fn difference(&self) -> Decimal {
        difference(self.amount_before(), self.amount_after())
    }
}

/// The impact of a reformed policy against a base, on one roster, as of one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Comparison {
    /// The base policy's name.
    pub base: String,
    /// The reformed policy's name.
    pub reformed: String,
    /// The as-of date.
    pub as_of: NaiveDate,
    /// One entry per program, in rule order.
    pub programs: Vec<Impact>,
    /// One entry per town and program with subjects, by town then rule order.
    pub towns: Vec<TownImpact>,
    /// The subjects whose decision changed, in the engine's order.
    pub changed: Vec<ChangedDecision>,
    /// The reform's changes whose effect a comparison of decisions cannot show (an
    /// audit's parameter, a program the base does not run), so that "nothing changed" is
    /// not read as "the reform changes nothing": empty unless [`Comparison::noting`] named
    /// the reform.
    pub not_compared: Vec<NotShown>,
}

/// A change of a reform that a comparison of decisions cannot show, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct NotShown {
    /// The parameter's path (`post_compliance.payment_deadline_day`).
    pub parameter: String,
    /// The change's date.
    pub effective_from: NaiveDate,
    /// Why it does not show: `audit` or `not_run`.
    pub why: NotCompared,
}

fn amount(o: Outcome) -> Yuan {
    match o {
        Outcome::Eligible { amount, .. } => amount,
        Outcome::Ineligible { .. } => Yuan::ZERO,
    }
}

fn difference(before: Yuan, after: Yuan) -> Decimal {
    // Both are sums of fen amounts that already fit; the difference fits too.
    // Both are sums of amounts with two decimals that fit; their difference is exact.
    (after.as_decimal())
        .checked_sub(before.as_decimal())
        .unwrap_or(Decimal::ZERO)
}

/// The codes of an outcome: the unmet conditions, or `capped`.
fn codes(o: Outcome) -> Vec<&'static str> {
    match o {
        Outcome::Eligible { capped: true, .. } => vec!["capped"],
        Outcome::Eligible { capped: false, .. } => Vec::new(),
        Outcome::Ineligible { reasons } => reasons.iter().map(|r| r.code()).collect(),
    }
}

/// The town of a subject, as written in the roster (a loan's: its applicant's; none, the
/// county level, for an applicant who is not among the laborers).
fn town_of<'r>(subject: Subject<'r>, applicant_towns: &HashMap<&str, &'r str>) -> &'r str {
    match subject {
        Subject::Laborer(l) => &l.town,
        Subject::Enterprise(e) => &e.town,
        Subject::StartupCenter(c) => &c.town,
        Subject::Post(p, _) => &p.town,
        Subject::LoanApplication(a) => applicant_towns
            .get(a.laborer_id.as_str())
            .copied()
            .unwrap_or(""),
    }
}

/// The subject's decisions under `engine`, each program with its outcome, into `into`.
fn outcomes<'a>(
    engine: &'a Engine,
    subject: Subject<'a>,
    as_of: NaiveDate,
    into: &mut Vec<(Program, Outcome)>,
) -> Result<(), crate::engine::EvalError> {
    into.clear();
    engine.decide_all(subject, as_of, |_, d| {
        into.push((d.program, d.outcome));
        Ok(())
    })
}

/// Decides every subject of `roster` as of `as_of` under `base` and under `reformed`, and
/// compares.
///
/// ```
/// use jiuye_fupin::compare::compare;
/// use jiuye_fupin::reform::Reform;
/// use jiuye_fupin::rules::isolation;
/// use jiuye_fupin::{Policy, sample};
///
/// let base = Policy::yang_county_2020();
/// let reformed = Reform::new("R2 only for a full stay")
///     .change("isolation_allowance.full_period_only", "2020-03-01".parse()?, true)
///     .apply(&base)?;
/// let cmp = compare(&base, &reformed, &sample::roster(), "2020-04-01".parse()?)?;
/// let r2 = cmp.program(isolation::PROGRAM).unwrap();
/// assert!(r2.after.eligible < r2.before.eligible);
/// for lost in &cmp.changed {
///     assert_eq!(lost.reasons_added, ["incomplete_isolation"]);
///     assert!(lost.amount_after().is_zero());
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`CompareError::Eval`] when either policy cannot decide a record (a parameter not in
/// force on its date), [`CompareError::Arithmetic`] when a total overflows.
pub fn compare<'r>(
    base: &Policy,
    reformed: &Policy,
    roster: &'r Roster,
    as_of: NaiveDate,
) -> Result<Comparison, CompareError> {
    let (b, r) = (
        Engine::new(base).explain(false),
        Engine::new(reformed).explain(false),
    );
    let applicant_towns: HashMap<&str, &str> = (roster.loans_with_applicants())
        .filter_map(|(a, l)| Some((a.laborer_id.as_str(), l?.town.as_str())))
        .collect();
    // A program one side does not run is decided `not_in_force` on that side.
    let mut order: Vec<Program> = b.programs().collect();
    order.extend(r.programs().filter(|p| !b.programs().any(|q| q == *p)));
    let mut programs: Vec<Impact> = order.iter().map(|&p| Impact::new(p)).collect();
    let mut by_town: BTreeMap<(&str, Program), Impact> = BTreeMap::new();
    let mut changed = Vec::new();
    let not_run = Outcome::Ineligible {
        reasons: Reasons::not_in_force(),
    };
    let mut pair = |program: Program, subject_id: &str, town: &'r str, x: Outcome, y: Outcome| {
        if let Some(p) = programs.iter_mut().find(|p| p.program == program) {
            p.add(x, y)?;
        }
        (by_town.entry((town, program)))
            .or_insert_with(|| Impact::new(program))
            .add(x, y)?;
        if x != y {
            let (old, new) = (codes(x), codes(y));
            changed.push(ChangedDecision {
                program,
                subject_id: subject_id.to_owned(),
                town: town.to_owned(),
                before: x,
                after: y,
                reasons_removed: old.iter().filter(|c| !new.contains(c)).copied().collect(),
                reasons_added: new.iter().filter(|c| !old.contains(c)).copied().collect(),
            });
        }
        Ok::<(), CompareError>(())
    };
    let side = |side: &'static str| move |source| CompareError::Eval { side, source };
    // Each subject decided on both sides at once, its decisions paired by program (in the
    // base's order of `payouts.csv`); nothing is kept per decision but the changes.
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for subject in b.subjects(roster) {
        let town = town_of(subject, &applicant_towns);
        outcomes(&b, subject, as_of, &mut xs).map_err(side("base"))?;
        outcomes(&r, subject, as_of, &mut ys).map_err(side("reformed"))?;
        for &(program, x) in &xs {
            let y = ys
                .iter()
                .find(|(p, _)| *p == program)
                .map_or(not_run, |&(_, y)| y);
            pair(program, subject.id(), town, x, y)?;
        }
    }
    // Then what only the reformed policy runs, in its order.
    if r.programs().any(|p| !b.programs().any(|q| q == p)) {
        for subject in r.subjects(roster) {
            let town = town_of(subject, &applicant_towns);
            outcomes(&r, subject, as_of, &mut ys).map_err(side("reformed"))?;
            for &(program, y) in &ys {
                if !b.programs().any(|q| q == program) {
                    pair(program, subject.id(), town, not_run, y)?;
                }
            }
        }
    }
    Ok(Comparison {
        base: base.name().to_owned(),
        reformed: reformed.name().to_owned(),
        as_of,
        programs,
        towns: (by_town.into_iter())
            .map(|((town, _), impact)| TownImpact {
                town: town.to_owned(),
                impact,
            })
            .collect(),
        changed,
        not_compared: Vec::new(),
    })
}

/// `+100.00`, `-40.00`, `0.00`.
fn signed(d: Decimal) -> String {
    if d > Decimal::ZERO {
        format!("+{d}")
    } else {
        d.to_string()
    }
}

fn signed_count(n: i128) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// An outcome in a cell: the amount, or "ineligible" and the codes.
fn outcome_cell(o: Outcome, lang: Lang) -> String {
    match (o, lang) {
        (Outcome::Eligible { amount, .. }, _) => amount.to_string(),
        (Outcome::Ineligible { reasons }, Lang::Zh) => format!("不符合 ({})", reasons.render(lang)),
        (Outcome::Ineligible { reasons }, Lang::En) => format!("ineligible ({reasons})"),
    }
}

impl Comparison {
    /// The comparison with the changes of `reform` (applied to `base`) that it cannot show
    /// ([`Reform::not_compared`]).
    ///
    /// ```
    /// use jiuye_fupin::{Policy, compare::compare, reform::{NotCompared, Reform}, sample};
    /// let base = Policy::yang_county_2020();
    /// let r = Reform::new("deadline").change("post_compliance.payment_deadline_day", "2020-03-01".parse()?, 10);
    /// let c = compare(&base, &r.apply(&base)?, &sample::roster(), "2020-04-01".parse()?)?.noting(&r, &base);
    /// assert!(c.changed.is_empty());
    /// assert_eq!(c.not_compared[0].why, NotCompared::Audit);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn noting(mut self, reform: &Reform, base: &Policy) -> Comparison {
        self.not_compared = (reform.not_compared(base).into_iter())
            .map(|(c, why)| NotShown {
                parameter: c.parameter.clone(),
                effective_from: c.effective_from,
                why,
            })
            .collect();
        self
    }

    /// The figures of one program for the whole roster.
    ///
    /// `None` when neither policy runs it.
    pub fn program(&self, program: Program) -> Option<&Impact> {
        self.programs.iter().find(|p| p.program == program)
    }

    /// Change in money paid out, all payout programs together (deferrals apart).
    pub fn payout_difference(&self) -> Decimal {
        self.kind_difference(ProgramKind::Payout)
    }

    /// Change in premiums deferred (not paid).
    pub fn deferral_difference(&self) -> Decimal {
        self.kind_difference(ProgramKind::Deferral)
    }

    /// Change in approved loan ceilings (lent, not granted).
    pub fn loan_difference(&self) -> Decimal {
        self.kind_difference(ProgramKind::LoanCeiling)
    }

    pub(crate) fn kind_difference(&self, kind: ProgramKind) -> Decimal {
        self.kind_sum(kind, Impact::difference)
    }

    /// The amounts of `kind`'s programs before and after the change, summed.
    pub(crate) fn kind_amounts(&self, kind: ProgramKind) -> (Decimal, Decimal) {
        (
            self.kind_sum(kind, |i| i.before.amount.as_decimal()),
            self.kind_sum(kind, |i| i.after.amount.as_decimal()),
        )
    }

    fn kind_sum(&self, kind: ProgramKind, of: impl Fn(&Impact) -> Decimal) -> Decimal {
        (self.programs.iter())
            .filter(|p| p.program.kind() == kind)
            .map(of)
            .fold(Decimal::ZERO, |a, b| exact_add(a, b).unwrap_or(a))
    }

    /// `true` when no decision changed.
    pub fn is_unchanged(&self) -> bool {
        self.changed.is_empty()
    }

    /// The comparison as readable text: per program (payouts, then deferrals), per town,
    /// then every changed decision.
    pub fn render(&self, lang: Lang) -> impl fmt::Display + '_ {
        ComparisonText { c: self, lang }
    }

    /// Per program: `program,kind,subjects,eligible_before,eligible_after,eligible_change,amount_before,amount_after,difference`.
    ///
    /// # Errors
    /// [`CompareError::Csv`] when writing fails.
    pub fn write_programs_csv(&self, w: impl Write) -> Result<(), CompareError> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(IMPACT_HEADER.iter().skip(1))?;
        for p in &self.programs {
            out.write_record(impact_cells(p).iter().skip(1))?;
        }
        out.flush().map_err(csv::Error::from)?;
        Ok(())
    }

    /// Per town and program: `town,` then the columns of
    /// [`write_programs_csv`](Comparison::write_programs_csv).
    ///
    /// # Errors
    /// [`CompareError::Csv`] when writing fails.
    pub fn write_towns_csv(&self, w: impl Write) -> Result<(), CompareError> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(IMPACT_HEADER)?;
        for t in &self.towns {
            let mut cells = impact_cells(&t.impact);
            cells[0].clone_from(&t.town);
            out.write_record(&cells)?;
        }
        out.flush().map_err(csv::Error::from)?;
        Ok(())
    }

    /// Per changed decision: `program,subject_id,town,eligible_before,eligible_after,amount_before,amount_after,difference,reasons_before,reasons_after,reasons_removed,reasons_added`
    /// (codes `;`-separated).
    ///
    /// ```
    /// use jiuye_fupin::compare::compare;
    /// use jiuye_fupin::reform::Reform;
    /// use jiuye_fupin::{Policy, sample};
    /// let base = Policy::yang_county_2020();
    /// let reformed = Reform::load("policies/reforms/transport-cap-600.toml")?.apply(&base)?;
    /// let cmp = compare(&base, &reformed, &sample::roster(), "2020-04-01".parse()?)?;
    /// let mut out = Vec::new();
    /// cmp.write_changes_csv(&mut out)?;
    /// let csv = String::from_utf8(out)?;
    /// assert!(csv.contains("transport_subsidy,YX-L022,黄金峡镇,true,true,500.00,600.00,100.00,capped,capped,,"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`CompareError::Csv`] when writing fails.
    pub fn write_changes_csv(&self, w: impl Write) -> Result<(), CompareError> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(CHANGES_HEADER)?;
        for c in &self.changed {
            let eligible = |o: Outcome| matches!(o, Outcome::Eligible { .. }).to_string();
            out.write_record([
                c.program.code().to_owned(),
                c.subject_id.clone(),
                c.town.clone(),
                eligible(c.before),
                eligible(c.after),
                c.amount_before().to_string(),
                c.amount_after().to_string(),
                c.difference().to_string(),
                codes(c.before).join(";"),
                codes(c.after).join(";"),
                c.reasons_removed.join(";"),
                c.reasons_added.join(";"),
            ])?;
        }
        out.flush().map_err(csv::Error::from)?;
        Ok(())
    }
}

/// Columns of the towns CSV (the programs CSV has them without `town`).
pub const IMPACT_HEADER: [&str; 10] = [
    "town",
    "program",
    "kind",
    "subjects",
    "eligible_before",
    "eligible_after",
    "eligible_change",
    "amount_before",
    "amount_after",
    "difference",
];

/// Columns of the changes CSV.
pub const CHANGES_HEADER: [&str; 12] = [
    "program",
    "subject_id",
    "town",
    "eligible_before",
    "eligible_after",
    "amount_before",
    "amount_after",
    "difference",
    "reasons_before",
    "reasons_after",
    "reasons_removed",
    "reasons_added",
];

fn impact_cells(p: &Impact) -> [String; 10] {
    [
        String::new(),
        p.program.code().to_owned(),
        p.program.kind().code().to_owned(),
        p.subjects.to_string(),
        p.before.eligible.to_string(),
        p.after.eligible.to_string(),
        p.eligible_change().to_string(),
        p.before.amount.to_string(),
        p.after.amount.to_string(),
        p.difference().to_string(),
    ]
}

struct ComparisonText<'a> {
    c: &'a Comparison,
    lang: Lang,
}

impl fmt::Display for ComparisonText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (c, l) = (self.c, self.lang);
        let zh = l == Lang::Zh;
        let t = |zh_text: &'static str, en: &'static str| if zh { zh_text } else { en };
        writeln!(
            f,
            "{} {}\n{} {}\n{} {}\n",
            t("基准政策:", "base:    "),
            c.base,
            t("调整后:  ", "reformed:"),
            c.reformed,
            t("截至:    ", "as of:   "),
            c.as_of
        )?;
        let head = |first: &'static str, second: &'static str| {
            if zh {
                [
                    first,
                    second,
                    "符合(前)",
                    "符合(后)",
                    "变化",
                    "金额(前)",
                    "金额(后)",
                    "差额",
                ]
            } else {
                [
                    first,
                    second,
                    "eligible before",
                    "after",
                    "change",
                    "amount before",
                    "after",
                    "difference",
                ]
            }
        };
        let row = |a: String, p: &Impact| {
            [
                a,
                p.program.name(l).to_owned(),
                p.before.eligible.to_string(),
                p.after.eligible.to_string(),
                signed_count(p.eligible_change()),
                p.before.amount.to_string(),
                p.after.amount.to_string(),
                signed(p.difference()),
            ]
        };
        let mut programs = Table::new(head(t("规则", "rule"), t("项目", "program")));
        for kind in ProgramKind::ALL {
            for p in c.programs.iter().filter(|p| p.program.kind() == kind) {
                programs.row(row(p.program.rule().to_string(), p));
            }
            let (label, diff) = (kind.total_label(l), c.kind_difference(kind));
            let e = String::new;
            programs.row([e(), label.to_owned(), e(), e(), e(), e(), e(), signed(diff)]);
        }
        writeln!(f, "{}", t("按项目", "By program"))?;
        writeln!(f, "{programs}")?;

        let mut towns = Table::new(head(t("镇(办)", "town"), t("项目", "program")));
        for tw in c
            .towns
            .iter()
            .filter(|tw| tw.impact.before != tw.impact.after)
        {
            towns.row(row(tw.town.clone(), &tw.impact));
        }
        writeln!(
            f,
            "{}",
            t("按镇(办) (有变化的)", "By town (where something changed)")
        )?;
        writeln!(f, "{towns}")?;

        let mut changes = Table::new(if zh {
            [
                "规则",
                "项目",
                "对象",
                "镇(办)",
                "调整前",
                "调整后",
                "差额",
                "原因变化",
            ]
        } else {
            [
                "rule",
                "program",
                "subject",
                "town",
                "before",
                "after",
                "difference",
                "reasons changed",
            ]
        });
        for ch in &c.changed {
            // A clerk reads the reasons in words; an engineer reading English, the codes.
            let shown = |o: Outcome, code: &str| match (l, o) {
                (Lang::En, _) => code.to_owned(),
                (Lang::Zh, Outcome::Ineligible { reasons }) => (reasons.iter())
                    .find(|r| r.code() == code)
                    .map_or_else(|| code.to_owned(), |r| r.text(l).to_owned()),
                (Lang::Zh, Outcome::Eligible { .. }) => l.capped().to_owned(),
            };
            let mut why: Vec<String> = (ch.reasons_removed.iter())
                .map(|r| format!("-{}", shown(ch.before, r)))
                .collect();
            why.extend((ch.reasons_added.iter()).map(|r| format!("+{}", shown(ch.after, r))));
            changes.row([
                ch.program.rule().to_string(),
                ch.program.name(l).to_owned(),
                ch.subject_id.clone(),
                ch.town.clone(),
                outcome_cell(ch.before, l),
                outcome_cell(ch.after, l),
                signed(ch.difference()),
                why.join(" "),
            ]);
        }
        writeln!(
            f,
            "{} ({})",
            t("决定有变化的对象", "Subjects whose decision changed"),
            c.changed.len()
        )?;
        write!(f, "{changes}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reform::Reform;
    use crate::rules::{transport, ui_refund};
    use crate::sample;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_policy_compared_with_itself_changes_nothing() {
        let p = Policy::yang_county_2020();
        let roster = sample::roster();
        let c = compare(&p, &p, &roster, d("2020-04-01")).unwrap();
        assert!(c.is_unchanged());
        assert!(
            c.programs
                .iter()
                .all(|i| i.before == i.after && i.difference().is_zero())
        );
        assert_eq!(c.programs.len(), 8);
    }

    #[test]
    fn a_lower_refund_rate_lowers_only_the_ui_refunds_and_lists_who_loses() {
        let p = Policy::yang_county_2020();
        let q = Reform::new("UI 50%")
            .change("ui_refund.rate", d("2020-01-25"), "0.50")
            .apply(&p)
            .unwrap();
        let roster = sample::roster();
        let c = compare(&p, &q, &roster, d("2020-04-01")).unwrap();
        assert!(!c.changed.is_empty());
        assert!(
            c.changed
                .iter()
                .all(|x| x.program == ui_refund::PROGRAM && x.difference() < Decimal::ZERO)
        );
        let r5 = c.program(ui_refund::PROGRAM).unwrap();
        assert_eq!(r5.before.eligible, r5.after.eligible);
        assert!(r5.difference() < Decimal::ZERO);
        assert_eq!(c.payout_difference(), r5.difference());
        assert!(c.deferral_difference().is_zero());
        let town_sum = (c.towns.iter())
            .filter(|t| t.impact.program == ui_refund::PROGRAM)
            .map(|t| t.impact.difference())
            .sum::<Decimal>();
        assert_eq!(town_sum, r5.difference());
        let mut csv = Vec::new();
        c.write_changes_csv(&mut csv).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(csv.lines().count(), c.changed.len() + 1);
        assert!(csv.starts_with("program,subject_id,town,"));
        let text = c.render(Lang::Zh).to_string();
        assert!(
            text.contains("失业保险稳岗返还") && text.contains("发放合计"),
            "{text}"
        );
    }

    #[test]
    fn a_reform_that_closes_a_window_lists_the_reason_that_appears() {
        let p = Policy::yang_county_2020();
        let mut w = toml::Table::new();
        w.insert("from".into(), "2020-01-25".into());
        w.insert("to".into(), "2020-02-29".into());
        let q = Reform::new("R1 ends in February")
            .change("transport_subsidy.window", d("2015-01-01"), w)
            .apply(&p)
            .unwrap();
        let roster = sample::roster();
        let c = compare(&p, &q, &roster, d("2020-04-01")).unwrap();
        let lost: Vec<_> = c
            .changed
            .iter()
            .filter(|x| x.reasons_added.contains(&"outside_window"))
            .collect();
        assert!(!lost.is_empty());
        assert!(
            lost.iter()
                .all(|x| x.amount_after().is_zero() && x.program == transport::PROGRAM)
        );
        let mut programs = Vec::new();
        c.write_programs_csv(&mut programs).unwrap();
        let programs = String::from_utf8(programs).unwrap();
        assert_eq!(programs.lines().count(), 8 + 1);
        let mut towns = Vec::new();
        c.write_towns_csv(&mut towns).unwrap();
        assert!(
            String::from_utf8(towns)
                .unwrap()
                .starts_with("town,program,kind,")
        );
    }
}
