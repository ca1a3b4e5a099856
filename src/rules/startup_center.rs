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
//! use jiuye_fupin::rules::startup_center::PROGRAM;
//! use jiuye_fupin::{Engine, Policy};
//!
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let as_of = "2020-04-01".parse()?;
//! let c = StartupCenter { level: CenterLevel::Town, year: Some(2020),
//!     claimed_rent: Yuan::parse("86000")?, claimed_utilities: Yuan::parse("21500.50")?,
//!     ..StartupCenter::new("C1") };
//! let d = engine.decide(PROGRAM, &c, as_of)?;
//! assert_eq!((d.amount().to_string(), d.reason_codes().to_string()), ("100000.00".into(), "capped".into()));
//! let empty = StartupCenter { year: Some(2020), ..StartupCenter::new("C2") };
//! assert_eq!(engine.decide(PROGRAM, &empty, as_of)?.reason_codes().to_string(), "no_claim");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;

use super::{Facts, Param, ParamError, ParamSpec, Rule, Values};
use crate::calc::Calc;
use crate::decision::{
    Label, Program, ProgramDef, ProgramKind, Reason, Reasons, SubjectKind, Term,
};
use crate::model::{CenterLevel, StartupCenter};
use crate::money::Yuan;

/// R7: no rent or utilities claimed.
pub const NO_CLAIM: Reason = Reason::new(&Label {
    code: "no_claim",
    zh: "未申报房租水电费",
    en: "no rent or utilities claimed",
});

/// R7's program.
static DEF: ProgramDef = ProgramDef {
    code: "startup_center_subsidy",
    name_zh: "创业中心房租水电补贴",
    name_en: "startup-center rent and utilities subsidy",
    kind: ProgramKind::Payout,
    subject: SubjectKind::StartupCenter,
    reasons: &[NO_CLAIM],
    rule: "R7",
};

/// R7's program.
pub const PROGRAM: Program = Program::new(&DEF);

const COUNTY_CAP: Param<Yuan> = Param::required("county_cap");
const TOWN_CAP: Param<Yuan> = Param::required("town_cap");

const RENT: Term = Term::new(&Label {
    code: "claimed_rent",
    zh: "房租",
    en: "rent",
});
const UTILITIES: Term = Term::new(&Label {
    code: "claimed_utilities",
    zh: "水电费",
    en: "utilities",
});
const CLAIMED: Term = Term::new(&Label {
    code: "claimed",
    zh: "申报合计",
    en: "claimed",
});
const CENTER_CAP: Term = Term::new(&Label {
    code: "center_cap",
    zh: "补贴标准",
    en: "cap",
});

/// R7's parameters on one date.
#[derive(Debug, Clone, Copy)]
pub struct InForce {
    county_cap: Yuan,
    town_cap: Yuan,
}

/// R7, the startup-center rent and utilities subsidy.
#[derive(Debug, Clone, Copy, Default)]
pub struct StartupCenterSubsidy;

impl Rule for StartupCenterSubsidy {
    type Subject = StartupCenter;
    type Params = InForce;

    fn program(&self) -> Program {
        PROGRAM
    }

    fn parameters(&self) -> Vec<ParamSpec> {
        vec![COUNTY_CAP.spec(), TOWN_CAP.spec()]
    }

    fn params(&self, v: &Values<'_>) -> Result<InForce, ParamError> {
        Ok(InForce {
            county_cap: v.get(COUNTY_CAP)?,
            town_cap: v.get(TOWN_CAP)?,
        })
    }

    /// January 1 of the claimed year, or `as_of` when there is none.
    fn date(&self, c: &StartupCenter, as_of: NaiveDate) -> NaiveDate {
        c.year
            .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))
            .unwrap_or(as_of)
    }

    fn unmet(&self, c: &StartupCenter, _: &Facts, _: NaiveDate, _: &InForce, r: &mut Reasons) {
        // Both are ≥ 0: their sum is zero exactly when both are.
        r.check(
            c.claimed_rent.is_zero() && c.claimed_utilities.is_zero(),
            NO_CLAIM,
        );
    }

    /// `min(rent + utilities, cap of the center's level)`.
    fn amount<C: Calc>(&self, ctr: &StartupCenter, _: &Facts, p: &InForce, c: &mut C) -> C::V {
        let claimed = [
            c.money(RENT, ctr.claimed_rent),
            c.money(UTILITIES, ctr.claimed_utilities),
        ];
        let claimed = c.sum(CLAIMED, &claimed);
        let cap = match ctr.level {
            CenterLevel::County => p.county_cap,
            CenterLevel::Town => p.town_cap,
        };
        let cap = c.money(CENTER_CAP, cap);
        c.min(claimed, cap)
    }
}
