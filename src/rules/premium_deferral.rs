//! R6 `premium_deferral`: 社会保险费缓缴 (S2).
//!
//! > 对受疫情影响面临暂时性生产经营困难,无力足额缴纳社会保险费的企业,按照最长6个月缓缴养老保险、失业保险和工伤保险费
//!
//! **Reading** (POLICY.md): an enterprise in temporary hardship that requests at least one
//! month defers `min(requested, max_months)` months of its pension, unemployment and
//! work-injury premiums (not medical); the amount is `months × (pension + unemployment +
//! injury)`. It is a deferral, not a payout: reports keep it apart. Yang County sets no
//! window; a county may (`window`), and an application dated outside it is then
//! `outside_window`. The application date (empty: the as-of date) selects the parameters.
//!
//! # Example: 6 and 7 months requested
//! ```
//! use jiuye_fupin::model::Enterprise;
//! use jiuye_fupin::money::Yuan;
//! use jiuye_fupin::rules::{Parameters, premium_deferral};
//! use jiuye_fupin::Policy;
//!
//! let policy = Policy::yang_county_2020();
//! let date = "2020-03-01".parse()?;
//! let p = policy.premium_deferral().in_force(date)?;
//! let mut e = Enterprise { hardship: true, deferral_months_requested: 6,
//!     monthly_pension_premium: Yuan::parse("48000")?, monthly_unemployment_premium: Yuan::parse("1500")?,
//!     monthly_injury_premium: Yuan::parse("600")?, ..Enterprise::new("E1") };
//! assert_eq!(premium_deferral::decide(&e, date, &p, false)?.amount().to_string(), "300600.00");
//! e.deferral_months_requested = 7;
//! let d = premium_deferral::decide(&e, date, &p, false)?;
//! assert_eq!((d.amount().to_string(), d.reason_codes().to_string()), ("300600.00".into(), "capped".into()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{NotInForce, Parameters, eligible, ineligible, value};
use crate::dated::{DateWindow, History};
use crate::decision::{
    Citation, Decision, Outcome, Program, Quantity, Reason, Reasons, Step, Term,
};
use crate::model::Enterprise;
use crate::money::{MoneyError, exact_add, exact_mul, fast};

/// 因势顺导复产转产 (S2).
pub const CITATION: Citation = Citation {
    rule: "R6",
    paragraph: "S2 因势顺导复产转产",
    clause: "对受疫情影响面临暂时性生产经营困难,无力足额缴纳社会保险费的企业,按照最长6个月缓缴养老保险、失业保险和工伤保险费",
};

/// R6's dated parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Most months deferred (最长 … 个月).
    pub max_months: History<u32>,
    /// Application dates the measure covers; absent: no window (Yang County).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<History<DateWindow>>,
}

/// R6's parameters on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    /// Most months deferred.
    pub max_months: u32,
    /// Application dates covered, if the county sets a window.
    pub window: Option<DateWindow>,
}

impl Parameters for Params {
    type InForce = InForce;

    fn change_dates(&self) -> Vec<NaiveDate> {
        let window = self.window.iter().flat_map(|w| w.change_dates());
        self.max_months.change_dates().chain(window).collect()
    }

    fn in_force(&self, date: NaiveDate) -> Result<InForce, NotInForce> {
        Ok(InForce {
            max_months: value(&self.max_months, "premium_deferral.max_months", date)?,
            window: match &self.window {
                Some(w) => Some(value(w, "premium_deferral.window", date)?),
                None => None,
            },
        })
    }
}

/// The application date, or `as_of` when there is none.
pub fn date(e: &Enterprise, as_of: NaiveDate) -> NaiveDate {
    e.application_date.unwrap_or(as_of)
}

/// The unmet conditions, in POLICY.md's order.
fn unmet(e: &Enterprise, date: NaiveDate, p: &InForce) -> Reasons {
    let mut reasons = Reasons::new();
    reasons.check_distinct(!e.hardship, Reason::NoHardship);
    reasons.check_distinct(e.deferral_months_requested == 0, Reason::NoMonthsRequested);
    reasons.check_distinct(
        p.window.is_some_and(|w| !w.contains(date)),
        Reason::OutsideWindow,
    );
    reasons
}

/// [`decide`]'s outcome (no steps) in integer arithmetic, for bulk runs; `None` when an
/// operand is outside the domain where that is provably identical (`money::fast`), and the
/// caller uses [`decide`].
pub(crate) fn outcome_fen(e: &Enterprise, date: NaiveDate, p: &InForce) -> Option<Outcome> {
    let reasons = unmet(e, date, p);
    if !reasons.is_empty() {
        return Some(Outcome::Ineligible { reasons });
    }
    let requested = e.deferral_months_requested;
    let monthly = fast::units(e.monthly_pension_premium)?
        .checked_add(fast::units(e.monthly_unemployment_premium)?)?
        .checked_add(fast::units(e.monthly_injury_premium)?)?;
    let exact = fast::mul(monthly, requested.min(p.max_months).into())?;
    Some(Outcome::Eligible {
        amount: fast::round(exact, fast::SCALE)?,
        capped: requested > p.max_months,
    })
}

/// Decides R6 for `e`, whose rule date is `date`, under `p`; `explain` records the steps.
///
/// # Errors
/// [`MoneyError::Overflow`] if the premiums or their product do not fit exactly.
pub fn decide<'r>(
    e: &'r Enterprise,
    date: NaiveDate,
    p: &InForce,
    explain: bool,
) -> Result<Decision<'r>, MoneyError> {
    let requested = e.deferral_months_requested;
    let reasons = unmet(e, date, p);
    let program = Program::PremiumDeferral;
    if !reasons.is_empty() {
        return Ok(ineligible(program, &e.id, date, reasons));
    }
    let months = requested.min(p.max_months);
    let (pension, unemployment, injury) = (
        e.monthly_pension_premium.as_decimal(),
        e.monthly_unemployment_premium.as_decimal(),
        e.monthly_injury_premium.as_decimal(),
    );
    let monthly = exact_add(exact_add(pension, unemployment)?, injury)?;
    let exact = exact_mul(monthly, months.into())?;
    let mut steps = Vec::new();
    if explain {
        steps.push(Step::Min {
            value: Quantity::new(Term::MonthsRequested, requested),
            limit: Quantity::new(Term::MaxMonths, p.max_months),
            result: months.into(),
        });
        steps.push(Step::Sum {
            terms: [
                Quantity::new(Term::PensionPremium, pension),
                Quantity::new(Term::UnemploymentPremium, unemployment),
                Quantity::new(Term::InjuryPremium, injury),
            ],
            result: monthly,
        });
        steps.push(Step::Product {
            lhs: Quantity::new(Term::MonthlyPremiums, monthly),
            rhs: Quantity::new(Term::MonthsDeferred, months),
            result: exact,
        });
    }
    Ok(eligible(
        program,
        &e.id,
        date,
        exact,
        requested > p.max_months,
        steps,
        explain,
    ))
}
