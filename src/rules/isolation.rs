//! R2 `isolation_allowance`: 隔离留观生活补贴 (S1).
//!
//! > 对隔离留观的按照连续7天每天20元标准发放生活补贴
//!
//! **Reading** (POLICY.md): a poor laborer with at least one day of isolation (隔离留观)
//! starting in the policy window gets `daily_rate × min(isolation_days, max_days)`: paid per
//! day actually spent, up to the limit. A county that pays only a complete stay sets
//! `full_period_only = true`; a shorter stay is then ineligible (`incomplete_isolation`).
//! The isolation start (empty: the as-of date) selects the parameters.
//!
//! Parameters (`[isolation_allowance]`): `daily_rate` (20.00), `max_days` (7),
//! `full_period_only` (false), `window` (2020-01-25..=2020-12-31).
//!
//! # Example: day 7 and day 8
//! ```
//! use jiuye_fupin::model::{Laborer, PovertyStatus};
//! use jiuye_fupin::rules::{Parameters, isolation};
//! use jiuye_fupin::Policy;
//!
//! let policy = Policy::yang_county_2020();
//! let date = "2020-02-10".parse()?;
//! let p = policy.isolation_allowance().in_force(date)?;
//! let mut l = Laborer { poverty_status: PovertyStatus::RemainingPoor, isolation_days: 7,
//!                       isolation_start: Some(date), ..Laborer::new("L1") };
//! assert_eq!(isolation::decide(&l, date, &p, false)?.amount().to_string(), "140.00");
//! l.isolation_days = 8;
//! let d = isolation::decide(&l, date, &p, true)?;
//! assert_eq!((d.amount().to_string(), d.reason_codes().to_string()), ("140.00".into(), "capped".into()));
//! l.isolation_days = 0;
//! assert_eq!(isolation::decide(&l, date, &p, false)?.reason_codes().to_string(), "not_isolated");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{NotInForce, Parameters, eligible, ineligible, value};
use crate::dated::{DateWindow, History};
use crate::decision::{
    Citation, Decision, Outcome, Program, Quantity, Reason, Reasons, Step, Term,
};
use crate::model::Laborer;
use crate::money::{MoneyError, Yuan, exact_mul, fast};

/// 有序引导复工返岗 (S1).
pub const CITATION: Citation = Citation {
    rule: "R2",
    paragraph: "S1 有序引导复工返岗",
    clause: "对隔离留观的按照连续7天每天20元标准发放生活补贴",
};

/// R2's dated parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Allowance per day (每天 … 元).
    pub daily_rate: History<Yuan>,
    /// Most days paid (连续 … 天).
    pub max_days: History<u32>,
    /// Pay only a complete stay of `max_days` (a stricter reading than Yang County's).
    pub full_period_only: History<bool>,
    /// Isolation start dates the measure covers.
    pub window: History<DateWindow>,
}

/// R2's parameters on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    /// Allowance per day.
    pub daily_rate: Yuan,
    /// Most days paid.
    pub max_days: u32,
    /// Pay only a complete stay.
    pub full_period_only: bool,
    /// Start dates covered.
    pub window: DateWindow,
}

impl Parameters for Params {
    type InForce = InForce;

    fn change_dates(&self) -> Vec<NaiveDate> {
        (self.daily_rate.change_dates())
            .chain(self.max_days.change_dates())
            .chain(self.full_period_only.change_dates())
            .chain(self.window.change_dates())
            .collect()
    }

    fn in_force(&self, date: NaiveDate) -> Result<InForce, NotInForce> {
        Ok(InForce {
            daily_rate: value(&self.daily_rate, "isolation_allowance.daily_rate", date)?,
            max_days: value(&self.max_days, "isolation_allowance.max_days", date)?,
            full_period_only: value(
                &self.full_period_only,
                "isolation_allowance.full_period_only",
                date,
            )?,
            window: value(&self.window, "isolation_allowance.window", date)?,
        })
    }
}

/// The isolation start, or `as_of` when there is none.
pub fn date(l: &Laborer, as_of: NaiveDate) -> NaiveDate {
    l.isolation_start.unwrap_or(as_of)
}

/// The unmet conditions, in POLICY.md's order.
fn unmet(l: &Laborer, date: NaiveDate, p: &InForce) -> Reasons {
    let days = l.isolation_days;
    let mut reasons = Reasons::new();
    reasons.check_distinct(!l.poverty_status.is_poor_laborer(), Reason::NotPoor);
    reasons.check_distinct(days == 0, Reason::NotIsolated);
    reasons.check_distinct(
        p.full_period_only && days > 0 && days < p.max_days,
        Reason::IncompleteIsolation,
    );
    reasons.check_distinct(!p.window.contains(date), Reason::OutsideWindow);
    reasons
}

/// [`decide`]'s outcome (no steps) in integer arithmetic, for bulk runs; `None` when an
/// operand is outside the domain where that is provably identical (`money::fast`), and the
/// caller uses [`decide`].
pub(crate) fn outcome_fen(l: &Laborer, date: NaiveDate, p: &InForce) -> Option<Outcome> {
    let reasons = unmet(l, date, p);
    if !reasons.is_empty() {
        return Some(Outcome::Ineligible { reasons });
    }
    let days = l.isolation_days;
    let exact = fast::mul(fast::units(p.daily_rate)?, days.min(p.max_days).into())?;
    Some(Outcome::Eligible {
        amount: fast::round(exact, fast::SCALE)?,
        capped: days > p.max_days,
    })
}

/// Decides R2 for `l`, whose rule date is `date`, under `p`; `explain` records the steps.
///
/// # Errors
/// [`MoneyError::Overflow`] if `daily_rate × days` does not fit exactly.
pub fn decide<'r>(
    l: &'r Laborer,
    date: NaiveDate,
    p: &InForce,
    explain: bool,
) -> Result<Decision<'r>, MoneyError> {
    let days = l.isolation_days;
    let reasons = unmet(l, date, p);
    let program = Program::IsolationAllowance;
    if !reasons.is_empty() {
        return Ok(ineligible(program, &l.id, date, reasons));
    }
    let paid_days = days.min(p.max_days);
    let exact = exact_mul(p.daily_rate.as_decimal(), paid_days.into())?;
    let mut steps = Vec::new();
    if explain {
        steps.push(Step::Min {
            value: Quantity::new(Term::IsolationDays, days),
            limit: Quantity::new(Term::MaxDays, p.max_days),
            result: paid_days.into(),
        });
        steps.push(Step::Product {
            lhs: Quantity::new(Term::DailyRate, p.daily_rate.as_decimal()),
            rhs: Quantity::new(Term::IsolationDays, paid_days),
            result: exact,
        });
    }
    Ok(eligible(
        program,
        &l.id,
        date,
        exact,
        days > p.max_days,
        steps,
        explain,
    ))
}
