//! R7 `startup_center_subsidy`: 创业中心房租水电补贴 (S2).
//!
//! > 按照县、镇级创业中心20万元、10万元的标准对入孵企业房租、水电费进行补贴
//!
//! **Reading** (POLICY.md): a startup center (创业中心) is subsidised for the rent and
//! utilities of its incubated enterprises, `min(claimed_rent + claimed_utilities, cap)`,
//! where the cap depends on its level: county or town. The standard is a cap per center
//! per year. January 1 of the claimed year (empty: the as-of date) selects the parameters.
//!
//! Parameters (`[startup_center_subsidy]`): `county_cap` (200,000.00), `town_cap`
//! (100,000.00).
//!
//! # Example: a town center over its cap, and a center that claims nothing
//! ```
//! use jiuye_fupin::model::{CenterLevel, StartupCenter};
//! use jiuye_fupin::money::Yuan;
//! use jiuye_fupin::rules::{Parameters, startup_center};
//! use jiuye_fupin::Policy;
//!
//! let policy = Policy::yang_county_2020();
//! let c = StartupCenter { level: CenterLevel::Town, year: Some(2020),
//!     claimed_rent: Yuan::parse("86000")?, claimed_utilities: Yuan::parse("21500.50")?,
//!     ..StartupCenter::new("C1") };
//! let date = startup_center::date(&c, "2020-04-01".parse()?);
//! let p = policy.startup_center_subsidy().in_force(date)?;
//! let d = startup_center::decide(&c, date, &p, true)?;
//! assert_eq!((d.amount().to_string(), d.reason_codes().to_string()), ("100000.00".into(), "capped".into()));
//! let empty = StartupCenter { year: Some(2020), ..StartupCenter::new("C2") };
//! assert_eq!(startup_center::decide(&empty, date, &p, false)?.reason_codes().to_string(), "no_claim");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{NotInForce, Parameters, eligible, ineligible, value};
use crate::dated::History;
use crate::decision::{Citation, Decision, Program, Quantity, Reason, Reasons, Step, Term};
use crate::model::{CenterLevel, StartupCenter};
use crate::money::{MoneyError, Yuan, exact_add};

/// 因势顺导复产转产 (S2).
pub const CITATION: Citation = Citation {
    rule: "R7",
    paragraph: "S2 因势顺导复产转产",
    clause: "按照县、镇级创业中心20万元、10万元的标准对入孵企业房租、水电费进行补贴",
};

/// R7's dated parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Most paid to a county-level center per year.
    pub county_cap: History<Yuan>,
    /// Most paid to a town-level center per year.
    pub town_cap: History<Yuan>,
}

/// R7's parameters on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    /// County-level cap.
    pub county_cap: Yuan,
    /// Town-level cap.
    pub town_cap: Yuan,
}

impl Parameters for Params {
    type InForce = InForce;

    fn change_dates(&self) -> Vec<NaiveDate> {
        (self.county_cap.change_dates())
            .chain(self.town_cap.change_dates())
            .collect()
    }

    fn in_force(&self, date: NaiveDate) -> Result<InForce, NotInForce> {
        Ok(InForce {
            county_cap: value(&self.county_cap, "startup_center_subsidy.county_cap", date)?,
            town_cap: value(&self.town_cap, "startup_center_subsidy.town_cap", date)?,
        })
    }
}

/// January 1 of the claimed year, or `as_of` when the year is empty (or not a year chrono
/// can represent).
pub fn date(c: &StartupCenter, as_of: NaiveDate) -> NaiveDate {
    c.year
        .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))
        .unwrap_or(as_of)
}

/// Decides R7 for `c`, whose rule date is `date`, under `p`; `explain` records the steps.
///
/// # Errors
/// [`MoneyError::Overflow`] if rent + utilities does not fit exactly.
pub fn decide<'r>(
    c: &'r StartupCenter,
    date: NaiveDate,
    p: &InForce,
    explain: bool,
) -> Result<Decision<'r>, MoneyError> {
    let (rent, utilities) = (
        c.claimed_rent.as_decimal(),
        c.claimed_utilities.as_decimal(),
    );
    let claimed = Yuan::new(exact_add(rent, utilities)?)?;
    let mut reasons = Reasons::new();
    reasons.check(claimed.is_zero(), Reason::NoClaim);
    let program = Program::StartupCenterSubsidy;
    if !reasons.is_empty() {
        return Ok(ineligible(program, &c.id, date, reasons));
    }
    let cap = match c.level {
        CenterLevel::County => p.county_cap,
        CenterLevel::Town => p.town_cap,
    };
    let paid = claimed.min(cap).as_decimal();
    let mut steps = Vec::new();
    if explain {
        steps.push(Step::Sum2 {
            terms: [
                Quantity::new(Term::Rent, rent),
                Quantity::new(Term::Utilities, utilities),
            ],
            result: claimed.as_decimal(),
        });
        steps.push(Step::Min {
            value: Quantity::new(Term::Claimed, claimed.as_decimal()),
            limit: Quantity::new(Term::CenterCap, cap.as_decimal()),
            result: paid,
        });
    }
    Ok(eligible(
        program,
        &c.id,
        date,
        paid,
        claimed > cap,
        steps,
        explain,
    ))
}
