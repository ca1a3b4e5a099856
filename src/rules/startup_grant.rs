//! R3 `startup_grant`: 一次性创业补贴 (S2).
//!
//! > 对在洋县境内开办店面的建档立卡贫困劳动力和应届高校毕业生给予一次性5000元创业补贴
//!
//! **Reading** (POLICY.md): a poor laborer **or** a fresh graduate (应届高校毕业生) who
//! opened a store in the county, with the opening date in the window, gets the fixed
//! `amount` once. The store's opening date (empty: the as-of date) selects the parameters.
//!
//! Parameters (`[startup_grant]`): `amount` (5000.00), `window` (2020-01-25..=2020-12-31).
//!
//! # Example
//! ```
//! use jiuye_fupin::model::Laborer;
//! use jiuye_fupin::rules::startup_grant::PROGRAM;
//! use jiuye_fupin::{Engine, Policy};
//!
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let mut l = Laborer { fresh_graduate: true, opened_store_in_county: true,
//!     store_opened_date: Some("2020-05-01".parse()?), ..Laborer::new("L1") };
//! assert_eq!(engine.decide(PROGRAM, &l, "2020-06-01".parse()?)?.amount().to_string(), "5000.00");
//! l.fresh_graduate = false;
//! l.opened_store_in_county = false;
//! let d = engine.decide(PROGRAM, &l, "2020-06-01".parse()?)?;
//! assert_eq!(d.reason_codes().to_string(), "not_poor_or_graduate;no_store_in_county");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;

use std::sync::LazyLock;

use super::common::{OUTSIDE_WINDOW, ReasonSets};
use super::{Facts, Param, ParamError, ParamSpec, Rule, Values};
use crate::calc::Calc;
use crate::dated::DateWindow;
use crate::decision::{
    Label, Program, ProgramDef, ProgramKind, Reason, Reasons, SubjectKind, Term,
};
use crate::model::Laborer;
use crate::money::Yuan;

/// R3: neither a poor laborer nor a fresh graduate.
pub const NOT_POOR_OR_GRADUATE: Reason = Reason::new(&Label {
    code: "not_poor_or_graduate",
    zh: "既非建档立卡贫困劳动力也非应届高校毕业生",
    en: "neither a registered poor laborer nor a fresh graduate",
});
/// R3: no store opened in the county.
pub const NO_STORE_IN_COUNTY: Reason = Reason::new(&Label {
    code: "no_store_in_county",
    zh: "未在县内开办店面",
    en: "no store opened in the county",
});

/// R3's program.
static DEF: ProgramDef = ProgramDef {
    code: "startup_grant",
    name_zh: "一次性创业补贴",
    name_en: "one-time startup grant",
    kind: ProgramKind::Payout,
    subject: SubjectKind::Laborer,
    reasons: &[NOT_POOR_OR_GRADUATE, NO_STORE_IN_COUNTY, OUTSIDE_WINDOW],
    rule: "R3",
};

/// R3's program.
pub const PROGRAM: Program = Program::new(&DEF);

/// The reasons of [`StartupGrant::unmet`]'s conditions: the program's declared
/// reasons, which it checks in that order (a debug build checks it).
static CONDITIONS: LazyLock<ReasonSets> = LazyLock::new(|| ReasonSets::new(DEF.reasons));

const AMOUNT: Param<Yuan> = Param::required("amount");
const WINDOW: Param<DateWindow> = Param::required("window");
const GRANT: Term = Term::new(&Label {
    code: "grant",
    zh: "补贴标准",
    en: "grant",
});

/// R3's parameters on one date.
#[derive(Debug, Clone, Copy)]
pub struct InForce {
    amount: Yuan,
    window: DateWindow,
    /// The sets of [`CONDITIONS`], forced once here, when the engine resolves the
    /// parameters of an interval: deciding then reads them with no test of a lazy
    /// initialization, whose call, however cold, sat on every decision's path (the
    /// decision's values kept in saved registers around it, the reasons just emptied
    /// read back after it).
    conditions: &'static ReasonSets,
}

/// R3, the one-time startup grant.
#[derive(Debug, Clone, Copy, Default)]
pub struct StartupGrant;

impl Rule for StartupGrant {
    type Subject = Laborer;
    type Params = InForce;

    fn program(&self) -> Program {
        PROGRAM
    }

    fn parameters(&self) -> Vec<ParamSpec> {
        vec![AMOUNT.spec(), WINDOW.spec()]
    }

    fn params(&self, v: &Values<'_>) -> Result<InForce, ParamError> {
        Ok(InForce {
            amount: v.get(AMOUNT)?,
            window: v.get(WINDOW)?,
            conditions: LazyLock::force(&CONDITIONS),
        })
    }

    /// The store's opening date, or `as_of` when there is none.
    fn date(&self, l: &Laborer, as_of: NaiveDate) -> NaiveDate {
        l.store_opened_date.unwrap_or(as_of)
    }

    fn unmet(&self, l: &Laborer, _: &Facts, date: NaiveDate, p: &InForce, r: &mut Reasons) {
        let mut u = p.conditions.start();
        u.check(
            !(l.poverty_status.is_poor_laborer() || l.fresh_graduate),
            NOT_POOR_OR_GRADUATE,
        );
        u.check(!l.opened_store_in_county, NO_STORE_IN_COUNTY);
        u.check(!p.window.contains(date), OUTSIDE_WINDOW);
        u.into_reasons(r);
    }

    /// The fixed grant.
    fn amount<C: Calc>(&self, _: &Laborer, _: &Facts, p: &InForce, c: &mut C) -> C::V {
        c.money(GRANT, p.amount)
    }
}
