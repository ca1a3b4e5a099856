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
//! use jiuye_fupin::rules::isolation::PROGRAM;
//! use jiuye_fupin::{Engine, Policy};
//!
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let date = "2020-02-10".parse()?;
//! let mut l = Laborer { poverty_status: PovertyStatus::RemainingPoor, isolation_days: 7,
//!                       isolation_start: Some(date), ..Laborer::new("L1") };
//! assert_eq!(engine.decide(PROGRAM, &l, date)?.amount().to_string(), "140.00");
//! l.isolation_days = 8;
//! let d = engine.decide(PROGRAM, &l, date)?;
//! assert_eq!((d.amount().to_string(), d.reason_codes().to_string()), ("140.00".into(), "capped".into()));
//! l.isolation_days = 0;
//! assert_eq!(engine.decide(PROGRAM, &l, date)?.reason_codes().to_string(), "not_isolated");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;

use std::sync::LazyLock;

use super::common::{NOT_POOR, OUTSIDE_WINDOW, ReasonSets};
use super::{Facts, Param, ParamError, ParamSpec, Rule, Values};
use crate::calc::Calc;
use crate::dated::DateWindow;
use crate::decision::{
    Label, Program, ProgramDef, ProgramKind, Reason, Reasons, SubjectKind, Term,
};
use crate::model::Laborer;
use crate::money::Yuan;

/// R2: no day of isolation.
pub const NOT_ISOLATED: Reason = Reason::new(&Label {
    code: "not_isolated",
    zh: "未隔离留观",
    en: "not isolated",
});
/// R2, only where `full_period_only` is set: fewer days than the full period.
pub const INCOMPLETE_ISOLATION: Reason = Reason::new(&Label {
    code: "incomplete_isolation",
    zh: "隔离留观未满规定天数",
    en: "isolation shorter than the full period",
});

/// R2's program.
static DEF: ProgramDef = ProgramDef {
    code: "isolation_allowance",
    name_zh: "隔离留观生活补贴",
    name_en: "isolation living allowance",
    kind: ProgramKind::Payout,
    subject: SubjectKind::Laborer,
    reasons: &[NOT_POOR, NOT_ISOLATED, INCOMPLETE_ISOLATION, OUTSIDE_WINDOW],
    rule: "R2",
};

/// R2's program.
pub const PROGRAM: Program = Program::new(&DEF);

/// The reasons of [`IsolationAllowance::unmet`]'s conditions: the program's declared
/// reasons, which it checks in that order (a debug build checks it).
static CONDITIONS: LazyLock<ReasonSets> = LazyLock::new(|| ReasonSets::new(DEF.reasons));

const DAILY_RATE: Param<Yuan> = Param::required("daily_rate");
const MAX_DAYS: Param<u32> = Param::required("max_days");
const FULL_PERIOD_ONLY: Param<bool> = Param::required("full_period_only");
const WINDOW: Param<DateWindow> = Param::required("window");

const DAYS: Term = Term::new(&Label {
    code: "isolation_days",
    zh: "隔离天数",
    en: "isolation days",
});
const MOST_DAYS: Term = Term::new(&Label {
    code: "max_days",
    zh: "最多天数",
    en: "most days",
});
const RATE: Term = Term::new(&Label {
    code: "daily_rate",
    zh: "每天标准",
    en: "daily rate",
});

/// R2's parameters on one date.
#[derive(Debug, Clone, Copy)]
pub struct InForce {
    daily_rate: Yuan,
    max_days: u32,
    full_period_only: bool,
    window: DateWindow,
    /// The sets of [`CONDITIONS`], forced once here, when the engine resolves the
    /// parameters of an interval: deciding then reads them with no test of a lazy
    /// initialization, whose call, however cold, sat on every decision's path (the
    /// decision's values kept in saved registers around it, the reasons just emptied
    /// read back after it).
    conditions: &'static ReasonSets,
}

/// R2, the isolation living allowance.
#[derive(Debug, Clone, Copy, Default)]
pub struct IsolationAllowance;

impl Rule for IsolationAllowance {
    type Subject = Laborer;
    type Params = InForce;

    fn program(&self) -> Program {
        PROGRAM
    }

    fn parameters(&self) -> Vec<ParamSpec> {
        vec![
            DAILY_RATE.spec(),
            MAX_DAYS.spec(),
            FULL_PERIOD_ONLY.spec(),
            WINDOW.spec(),
        ]
    }

    fn params(&self, v: &Values<'_>) -> Result<InForce, ParamError> {
        Ok(InForce {
            daily_rate: v.get(DAILY_RATE)?,
            max_days: v.get(MAX_DAYS)?,
            full_period_only: v.get(FULL_PERIOD_ONLY)?,
            window: v.get(WINDOW)?,
            conditions: LazyLock::force(&CONDITIONS),
        })
    }

    /// The isolation start, or `as_of` when there is none.
    fn date(&self, l: &Laborer, as_of: NaiveDate) -> NaiveDate {
        l.isolation_start.unwrap_or(as_of)
    }

    fn unmet(&self, l: &Laborer, _: &Facts, date: NaiveDate, p: &InForce, r: &mut Reasons) {
        let days = l.isolation_days;
        let mut u = p.conditions.start();
        u.check(!l.poverty_status.is_poor_laborer(), NOT_POOR);
        u.check(days == 0, NOT_ISOLATED);
        u.check(
            p.full_period_only && days > 0 && days < p.max_days,
            INCOMPLETE_ISOLATION,
        );
        u.check(!p.window.contains(date), OUTSIDE_WINDOW);
        u.into_reasons(r);
    }

    /// `daily_rate × min(isolation_days, max_days)`.
    fn amount<C: Calc>(&self, l: &Laborer, _: &Facts, p: &InForce, c: &mut C) -> C::V {
        let days = c.count(DAYS, l.isolation_days);
        let most = c.count(MOST_DAYS, p.max_days);
        let paid_days = c.min(days, most);
        let rate = c.money(RATE, p.daily_rate);
        c.mul(rate, paid_days)
    }
}
