//! Reports: per-program [`Totals`], and a small [`Table`] renderer that aligns Chinese text.
//!
//! Payouts and deferrals are kept apart: a deferral (R6) postpones premiums, it pays nothing.
//!
//! ```
//! use jiuye_fupin::{Engine, Lang, Policy, sample};
//!
//! let roster = sample::roster();
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
//! let t = &eval.totals;
//! let payouts: rust_decimal::Decimal = t.iter()
//!     .filter(|t| t.program.kind() == jiuye_fupin::ProgramKind::Payout)
//!     .map(|t| t.amount.as_decimal()).sum();
//! assert_eq!(t.payout_total()?.as_decimal(), payouts);
//! println!("{}", t.render(Lang::En));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use serde::Serialize;

use crate::decision::{Decision, Lang, Outcome, Program, ProgramKind};
use crate::money::{MoneyError, Yuan};

/// Counts and amount of one program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ProgramTotal {
    /// The program.
    pub program: Program,
    /// Subjects decided.
    pub subjects: u64,
    /// Subjects eligible.
    pub eligible: u64,
    /// Sum of the amounts (each already rounded to the fen), exact.
    pub amount: Yuan,
}

/// Counts and amounts per program, in rule order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Totals {
    programs: Vec<ProgramTotal>,
}

impl Totals {
    /// A zero line for each of `programs`, in that order.
    pub fn new(programs: impl IntoIterator<Item = Program>) -> Totals {
        Totals {
            programs: (programs.into_iter())
                .map(|program| ProgramTotal {
                    program,
                    subjects: 0,
                    eligible: 0,
                    amount: Yuan::ZERO,
                })
                .collect(),
        }
    }

    /// Counts one decision.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] if the sum no longer fits exactly.
    pub fn add(&mut self, d: &Decision<'_>) -> Result<(), MoneyError> {
        self.add_amount(d.program, d.is_eligible(), d.amount())
    }

    /// Counts one decision given by its parts.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] if the sum no longer fits exactly.
    pub fn add_amount(
        &mut self,
        program: Program,
        eligible: bool,
        amount: Yuan,
    ) -> Result<(), MoneyError> {
        let t = self.slot(program)?;
        // Counts of decisions: u64 cannot overflow in practice (saturating, to be explicit).
        t.subjects = t.subjects.saturating_add(1);
        if eligible {
            t.eligible = t.eligible.saturating_add(1);
            t.amount = t.amount.checked_add(amount)?;
        }
        Ok(())
    }

    /// The totals of `decisions`: amounts summed in whole fen (every computed amount has
    /// two decimals), exactly; [`Totals::add`]'s exact `Decimal` sum for any other.
    ///
    /// # Errors
    /// The program whose sum no longer fits exactly, and [`MoneyError::Overflow`].
    ///
    /// ```
    /// use jiuye_fupin::{Engine, Policy, report::Totals, sample};
    /// let roster = sample::roster();
    /// let engine = Engine::new(&Policy::yang_county_2020());
    /// let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
    /// assert_eq!(Totals::of(&eval.decisions).unwrap(), eval.totals);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(decisions: &[Decision<'_>]) -> Result<Totals, (Program, MoneyError)> {
        let mut programs: Vec<Program> = Vec::new();
        for d in decisions {
            if !programs.contains(&d.program) {
                programs.push(d.program);
            }
        }
        let mut tally = Tally::new(programs.iter().copied());
        for d in decisions {
            let i = programs.iter().position(|&p| p == d.program).unwrap_or(0);
            tally.add(i, d)?;
        }
        tally.finish()
    }

    /// Adds another set of totals (from another chunk of the same roster).
    ///
    /// # Errors
    /// The program whose sum no longer fits exactly, and [`MoneyError::Overflow`].
    pub fn merge(&mut self, other: &Totals) -> Result<(), (Program, MoneyError)> {
        for o in &other.programs {
            let overflow = |e| (o.program, e);
            let t = self.slot(o.program).map_err(overflow)?;
            t.subjects = t.subjects.saturating_add(o.subjects);
            t.eligible = t.eligible.saturating_add(o.eligible);
            t.amount = t.amount.checked_add(o.amount).map_err(overflow)?;
        }
        Ok(())
    }

    /// Adds counts and an amount already summed (by the batch path).
    pub(crate) fn add_counted(
        &mut self,
        program: Program,
        subjects: u64,
        eligible: u64,
        amount: Yuan,
    ) {
        if let Some(t) = self.programs.iter_mut().find(|t| t.program == program) {
            t.subjects = t.subjects.saturating_add(subjects);
            t.eligible = t.eligible.saturating_add(eligible);
            t.amount = amount;
        }
    }

    /// The line of `program`, added at the end if it has none yet.
    fn slot(&mut self, program: Program) -> Result<&mut ProgramTotal, MoneyError> {
        let i = match self.programs.iter().position(|t| t.program == program) {
            Some(i) => i,
            None => {
                self.programs.push(ProgramTotal {
                    program,
                    subjects: 0,
                    eligible: 0,
                    amount: Yuan::ZERO,
                });
                self.programs.len().saturating_sub(1)
            }
        };
        self.programs.get_mut(i).ok_or(MoneyError::Overflow)
    }

    /// The totals of one program, if it is counted here.
    pub fn get(&self, program: Program) -> Option<&ProgramTotal> {
        self.programs.iter().find(|t| t.program == program)
    }

    /// Every program's totals, in rule order.
    pub fn iter(&self) -> impl Iterator<Item = &ProgramTotal> {
        self.programs.iter()
    }

    /// The totals of the programs of one kind, in rule order.
    pub fn of_kind(&self, kind: ProgramKind) -> impl Iterator<Item = &ProgramTotal> {
        (self.programs.iter()).filter(move |t| t.program.kind() == kind)
    }

    /// The sum of the programs of one kind: what reports show apart, kind by kind
    /// ([`ProgramKind::ALL`]).
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] if the sum does not fit exactly.
    pub fn total_of(&self, kind: ProgramKind) -> Result<Yuan, MoneyError> {
        (self.of_kind(kind)).try_fold(Yuan::ZERO, |acc, t| acc.checked_add(t.amount))
    }

    /// Money paid out by every payout program together.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] if the sum does not fit exactly.
    pub fn payout_total(&self) -> Result<Yuan, MoneyError> {
        self.total_of(ProgramKind::Payout)
    }

    /// Premiums deferred (not paid).
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] if the sum does not fit exactly.
    pub fn deferral_total(&self) -> Result<Yuan, MoneyError> {
        self.total_of(ProgramKind::Deferral)
    }

    /// Loan ceilings approved (lent, not granted).
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] if the sum does not fit exactly.
    pub fn loan_total(&self) -> Result<Yuan, MoneyError> {
        self.total_of(ProgramKind::LoanCeiling)
    }

    /// The totals as a table: payouts, then deferrals, then loan ceilings.
    pub fn render(&self, lang: Lang) -> impl fmt::Display + '_ {
        let zh = lang == Lang::Zh;
        let mut table = Table::new(if zh {
            ["规则", "项目", "对象数", "符合", "金额(元)"]
        } else {
            ["rule", "program", "subjects", "eligible", "amount (yuan)"]
        });
        for kind in ProgramKind::ALL {
            for t in self.of_kind(kind) {
                table.row([
                    t.program.rule().to_string(),
                    t.program.name(lang).to_owned(),
                    t.subjects.to_string(),
                    t.eligible.to_string(),
                    t.amount.to_string(),
                ]);
            }
            let sum = self.total_of(kind);
            let sum = sum.map_or_else(|e| e.to_string(), |s| s.to_string());
            table.row([
                String::new(),
                kind.total_label(lang).to_owned(),
                String::new(),
                String::new(),
                sum,
            ]);
        }
        table
    }
}

/// Totals being counted: amounts in whole fen (every computed amount has two decimals),
/// summed as integers, exactly, and turned into [`Totals`] at the end.
#[derive(Debug, Clone)]
pub(crate) struct Tally {
    fen: Vec<i128>,
    totals: Totals,
}

impl Tally {
    /// Zero for each of `programs`.
    pub(crate) fn new(programs: impl IntoIterator<Item = Program>) -> Tally {
        let totals = Totals::new(programs);
        Tally {
            fen: vec![0; totals.programs.len()],
            totals,
        }
    }

    /// Counts one decision of the program at position `i`.
    #[inline]
    pub(crate) fn add(&mut self, i: usize, d: &Decision<'_>) -> Result<(), (Program, MoneyError)> {
        let (Some(t), Some(f)) = (self.totals.programs.get_mut(i), self.fen.get_mut(i)) else {
            return self.totals.add(d).map_err(|e| (d.program, e));
        };
        t.subjects = t.subjects.saturating_add(1);
        if let Outcome::Eligible { amount, .. } = d.outcome {
            t.eligible = t.eligible.saturating_add(1);
            match amount.fen().and_then(|x| f.checked_add(x)) {
                Some(sum) => *f = sum,
                None => t.amount = t.amount.checked_add(amount).map_err(|e| (d.program, e))?,
            }
        }
        Ok(())
    }

    /// The totals.
    pub(crate) fn finish(mut self) -> Result<Totals, (Program, MoneyError)> {
        for (t, f) in self.totals.programs.iter_mut().zip(self.fen) {
            let sum = Yuan::try_from_fen(f).map_err(|e| (t.program, e))?;
            t.amount = t.amount.checked_add(sum).map_err(|e| (t.program, e))?;
        }
        Ok(self.totals)
    }
}

/// A plain-text table whose columns line up with Chinese text (a CJK character is two
/// columns wide).
///
/// ```
/// use jiuye_fupin::report::Table;
/// let mut t = Table::new(["名称", "amount"]);
/// t.row(["交通补贴".to_string(), "500.00".to_string()]);
/// let text = t.to_string();
/// assert!(text.lines().nth(2).unwrap().starts_with("交通补贴  500.00"));
/// ```
#[derive(Debug, Clone)]
pub struct Table<const N: usize> {
    header: [String; N],
    rows: Vec<[String; N]>,
}

impl<const N: usize> Table<N> {
    /// A table with these column headings.
    pub fn new(header: [&str; N]) -> Table<N> {
        Table {
            header: header.map(str::to_owned),
            rows: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: [String; N]) {
        self.rows.push(cells);
    }
}

/// Columns in a terminal: 2 for East Asian wide characters, 1 otherwise.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

impl<const N: usize> fmt::Display for Table<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut widths = [0usize; N];
        for row in std::iter::once(&self.header).chain(&self.rows) {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(display_width(cell));
            }
        }
        let line = |f: &mut fmt::Formatter<'_>, row: &[String; N]| -> fmt::Result {
            let mut out = String::new();
            for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
                if i > 0 {
                    out.push_str("  ");
                }
                out.push_str(cell);
                out.extend(std::iter::repeat_n(
                    ' ',
                    w.saturating_sub(display_width(cell)),
                ));
            }
            writeln!(f, "{}", out.trim_end())
        };
        line(f, &self.header)?;
        let gaps = N.saturating_sub(1).saturating_mul(2);
        let rule = widths
            .iter()
            .fold(gaps, |a, &w| a.saturating_add(w))
            .min(100);
        writeln!(f, "{}", "-".repeat(rule))?;
        for row in &self.rows {
            line(f, row)?;
        }
        Ok(())
    }
}
