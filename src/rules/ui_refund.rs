//! R5 `ui_refund`: 失业保险稳岗返还 (S2).
//!
//! > 疫情防控期间坚持不裁员或少裁员的参保企业,将失业保险费返还比例由上年度实际缴费的50%提高到60%
//!
//! **Reading** (POLICY.md): an enterprise insured for unemployment insurance (`ui_insured`)
//! for at least `min_insured_months` *(national: 12)*, with a layoff rate
//! `layoffs / insured_headcount` of at most `max_layoff_rate` *(national: 5.5%)*, or, with at
//! most `small_enterprise_max_headcount` *(30)* insured employees, at most
//! `small_enterprise_max_layoff_rate` *(20%)*, gets `rate × prior_year_ui_paid`. Rates are
//! compared exactly (`11 ≤ 0.055 × 200`). The `rate` is a dated history: 50% normally, 60%
//! for applications dated in the epidemic window. The application date (empty: the as-of
//! date) selects the parameters. There is no window condition: outside it the rate falls
//! back to 50%.
//!
//! # Example: POLICY.md's figure, and the 50% of the day before
//! ```
//! use jiuye_fupin::model::Enterprise;
//! use jiuye_fupin::money::Yuan;
//! use jiuye_fupin::rules::{Parameters, ui_refund};
//! use jiuye_fupin::Policy;
//!
//! let policy = Policy::yang_county_2020();
//! let mut e = Enterprise { ui_insured: true, ui_insured_months: 24, insured_headcount: 100,
//!     prior_year_ui_paid: Yuan::parse("12345.675")?,
//!     application_date: Some("2020-03-01".parse()?), ..Enterprise::new("E1") };
//! let decide = |e: &Enterprise| -> Result<String, Box<dyn std::error::Error>> {
//!     let date = ui_refund::date(e, "2020-04-01".parse()?);
//!     Ok(ui_refund::decide(e, date, &policy.ui_refund().in_force(date)?, false)?.amount().to_string())
//! };
//! assert_eq!(decide(&e)?, "7407.41");
//! e.application_date = Some("2020-01-24".parse()?);
//! assert_eq!(decide(&e)?, "6172.84");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{NotInForce, Parameters, eligible, ineligible, value};
use crate::dated::History;
use crate::decision::{
    Citation, Decision, Outcome, Program, Quantity, Reason, Reasons, Step, Term,
};
use crate::model::Enterprise;
use crate::money::{MoneyError, Rate, fast};

/// 因势顺导复产转产 (S2).
pub const CITATION: Citation = Citation {
    rule: "R5",
    paragraph: "S2 因势顺导复产转产",
    clause: "疫情防控期间坚持不裁员或少裁员的参保企业,将失业保险费返还比例由上年度实际缴费的50%提高到60%",
};

/// R5's dated parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Share of last year's unemployment insurance refunded (返还比例).
    pub rate: History<Rate>,
    /// Months of insurance required.
    pub min_insured_months: History<u32>,
    /// Highest layoff rate of "no or few layoffs" (少裁员).
    pub max_layoff_rate: History<Rate>,
    /// Largest insured headcount that counts as a small enterprise.
    pub small_enterprise_max_headcount: History<u32>,
    /// Highest layoff rate for a small enterprise.
    pub small_enterprise_max_layoff_rate: History<Rate>,
}

/// R5's parameters on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    /// Refund rate.
    pub rate: Rate,
    /// Months of insurance required.
    pub min_insured_months: u32,
    /// Highest layoff rate.
    pub max_layoff_rate: Rate,
    /// Largest small-enterprise headcount.
    pub small_enterprise_max_headcount: u32,
    /// Highest layoff rate of a small enterprise.
    pub small_enterprise_max_layoff_rate: Rate,
}

impl Parameters for Params {
    type InForce = InForce;

    fn change_dates(&self) -> Vec<NaiveDate> {
        (self.rate.change_dates())
            .chain(self.min_insured_months.change_dates())
            .chain(self.max_layoff_rate.change_dates())
            .chain(self.small_enterprise_max_headcount.change_dates())
            .chain(self.small_enterprise_max_layoff_rate.change_dates())
            .collect()
    }

    fn in_force(&self, date: NaiveDate) -> Result<InForce, NotInForce> {
        Ok(InForce {
            rate: value(&self.rate, "ui_refund.rate", date)?,
            min_insured_months: value(
                &self.min_insured_months,
                "ui_refund.min_insured_months",
                date,
            )?,
            max_layoff_rate: value(&self.max_layoff_rate, "ui_refund.max_layoff_rate", date)?,
            small_enterprise_max_headcount: value(
                &self.small_enterprise_max_headcount,
                "ui_refund.small_enterprise_max_headcount",
                date,
            )?,
            small_enterprise_max_layoff_rate: value(
                &self.small_enterprise_max_layoff_rate,
                "ui_refund.small_enterprise_max_layoff_rate",
                date,
            )?,
        })
    }
}

/// The application date, or `as_of` when there is none.
pub fn date(e: &Enterprise, as_of: NaiveDate) -> NaiveDate {
    e.application_date.unwrap_or(as_of)
}

/// The unmet conditions, in POLICY.md's order.
fn unmet(e: &Enterprise, p: &InForce) -> Reasons {
    let few_layoffs = p.max_layoff_rate.admits(e.layoffs, e.insured_headcount)
        || (e.insured_headcount <= p.small_enterprise_max_headcount
            && p.small_enterprise_max_layoff_rate
                .admits(e.layoffs, e.insured_headcount));
    let mut reasons = Reasons::new();
    reasons.check_distinct(!e.ui_insured, Reason::NotInsured);
    reasons.check_distinct(
        e.ui_insured_months < p.min_insured_months,
        Reason::InsuredTooShort,
    );
    reasons.check_distinct(!few_layoffs, Reason::TooManyLayoffs);
    reasons
}

/// [`decide`]'s outcome (no steps) in integer arithmetic, for bulk runs; `None` when an
/// operand is outside the domain where that is provably identical (`money::fast`), and the
/// caller uses [`decide`].
pub(crate) fn outcome_fen(e: &Enterprise, p: &InForce) -> Option<Outcome> {
    let reasons = unmet(e, p);
    if !reasons.is_empty() {
        return Some(Outcome::Ineligible { reasons });
    }
    let (rate, scale) = fast::rate(p.rate)?;
    let exact = fast::mul(rate, fast::units(e.prior_year_ui_paid)?)?;
    Some(Outcome::Eligible {
        amount: fast::round(exact, fast::SCALE.checked_add(scale)?)?,
        capped: false,
    })
}

/// Decides R5 for `e`, whose rule date is `date`, under `p`; `explain` records the steps.
///
/// # Errors
/// [`MoneyError::Overflow`] if `rate × prior_year_ui_paid` does not fit exactly.
pub fn decide<'r>(
    e: &'r Enterprise,
    date: NaiveDate,
    p: &InForce,
    explain: bool,
) -> Result<Decision<'r>, MoneyError> {
    let reasons = unmet(e, p);
    let program = Program::UiRefund;
    if !reasons.is_empty() {
        return Ok(ineligible(program, &e.id, date, reasons));
    }
    let exact = p.rate.of(e.prior_year_ui_paid)?;
    let mut steps = Vec::new();
    if explain {
        steps.push(Step::InForce {
            parameter: Quantity::new(Term::RefundRate, p.rate.as_decimal()),
            date,
        });
        steps.push(Step::Product {
            lhs: Quantity::new(Term::RefundRate, p.rate.as_decimal()),
            rhs: Quantity::new(Term::PriorYearUiPaid, e.prior_year_ui_paid.as_decimal()),
            result: exact,
        });
    }
    Ok(eligible(program, &e.id, date, exact, false, steps, explain))
}
