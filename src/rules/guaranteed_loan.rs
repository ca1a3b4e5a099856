//! R4 `guaranteed_loan`: 创业担保贷款 (S2).
//!
//! > 符合创业担保政策规定并成功创业的可申请不超过15万元的创业担保贷款
//!
//! **Reading** (POLICY.md): an applicant who meets the guaranteed-loan conditions (a flag
//! the lending office supplies), has started a business and requests an amount above zero
//! is approved up to `min(requested, cap)`. It is a loan ceiling, not a payout: reports
//! keep it apart from subsidies. The application date (empty: the as-of date) selects the
//! parameters. (财金〔2020〕21号 raised the national cap to 200,000 from 2020-04-15: a county
//! that follows it adds a dated entry to `cap`.)
//!
//! Parameters (`[guaranteed_loan]`): `cap` (150,000.00).
//!
//! # Example: above the cap, and an applicant who has not started
//! ```
//! use jiuye_fupin::model::LoanApplication;
//! use jiuye_fupin::money::Yuan;
//! use jiuye_fupin::rules::{Parameters, guaranteed_loan};
//! use jiuye_fupin::Policy;
//!
//! let policy = Policy::yang_county_2020();
//! let date = "2020-03-01".parse()?;
//! let p = policy.guaranteed_loan().in_force(date)?;
//! let mut a = LoanApplication { meets_guarantee_conditions: true, business_started: true,
//!     requested_amount: Yuan::parse("180000")?, ..LoanApplication::new("L1") };
//! let d = guaranteed_loan::decide(&a, date, &p, false)?;
//! assert_eq!((d.amount().to_string(), d.reason_codes().to_string()), ("150000.00".into(), "capped".into()));
//! a.business_started = false;
//! assert_eq!(guaranteed_loan::decide(&a, date, &p, false)?.reason_codes().to_string(), "business_not_started");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{NotInForce, Parameters, eligible, ineligible, value};
use crate::dated::History;
use crate::decision::{Citation, Decision, Program, Quantity, Reason, Reasons, Step, Term};
use crate::model::LoanApplication;
use crate::money::{MoneyError, Yuan};

/// 因势顺导复产转产 (S2).
pub const CITATION: Citation = Citation {
    rule: "R4",
    paragraph: "S2 因势顺导复产转产",
    clause: "符合创业担保政策规定并成功创业的可申请不超过15万元的创业担保贷款",
};

/// R4's dated parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Largest loan (不超过 … 万元).
    pub cap: History<Yuan>,
}

/// R4's parameters on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    /// Largest loan.
    pub cap: Yuan,
}

impl Parameters for Params {
    type InForce = InForce;

    fn change_dates(&self) -> Vec<NaiveDate> {
        self.cap.change_dates().collect()
    }

    fn in_force(&self, date: NaiveDate) -> Result<InForce, NotInForce> {
        Ok(InForce {
            cap: value(&self.cap, "guaranteed_loan.cap", date)?,
        })
    }
}

/// The application date, or `as_of` when there is none.
pub fn date(a: &LoanApplication, as_of: NaiveDate) -> NaiveDate {
    a.application_date.unwrap_or(as_of)
}

/// Decides R4 for `a`, whose rule date is `date`, under `p`; `explain` records the steps.
///
/// # Errors
/// None in practice; the `Result` keeps every rule's signature alike.
pub fn decide<'r>(
    a: &'r LoanApplication,
    date: NaiveDate,
    p: &InForce,
    explain: bool,
) -> Result<Decision<'r>, MoneyError> {
    let mut reasons = Reasons::new();
    reasons.check(
        !a.meets_guarantee_conditions,
        Reason::GuaranteeConditionsUnmet,
    );
    reasons.check(!a.business_started, Reason::BusinessNotStarted);
    reasons.check(a.requested_amount.is_zero(), Reason::NoAmountRequested);
    let program = Program::GuaranteedLoan;
    if !reasons.is_empty() {
        return Ok(ineligible(program, &a.laborer_id, date, reasons));
    }
    let approved = a.requested_amount.min(p.cap).as_decimal();
    let mut steps = Vec::new();
    if explain {
        steps.push(Step::Min {
            value: Quantity::new(Term::RequestedLoan, a.requested_amount.as_decimal()),
            limit: Quantity::new(Term::LoanCap, p.cap.as_decimal()),
            result: approved,
        });
    }
    let capped = a.requested_amount > p.cap;
    Ok(eligible(
        program,
        &a.laborer_id,
        date,
        approved,
        capped,
        steps,
        explain,
    ))
}
