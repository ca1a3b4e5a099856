//! R1 `transport_subsidy`: 外出务工往返交通补贴 (S1).
//!
//! > 对外出务工的贫困劳动力按照最高500元标准发放往返交通补贴
//!
//! **Reading** (POLICY.md): a poor laborer (still poor or lifted out) who is able to work,
//! works out of the county, has a documented round-trip transport cost above zero and
//! departed within the policy window gets `min(transport_cost, cap)`, rounded once to the
//! fen. The cap is applied to the exact cost before rounding (500.005 pays 500.00, and is
//! `capped`). The departure date (empty: the as-of date) selects the parameters.
//!
//! Parameters (`[transport_subsidy]`): `cap` (Yang County: 500.00), `window`
//! (2020-01-25..=2020-12-31).
//!
//! # Example: eligible, capped, and the day before the window
//! ```
//! use jiuye_fupin::model::{Laborer, PovertyStatus, WorkDestination};
//! use jiuye_fupin::money::Yuan;
//! use jiuye_fupin::rules::transport::PROGRAM;
//! use jiuye_fupin::{Engine, Policy};
//!
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let as_of = "2020-04-01".parse()?;
//! let mut l = Laborer {
//!     poverty_status: PovertyStatus::Lifted,
//!     able_to_work: true,
//!     work_destination: WorkDestination::OutOfCounty,
//!     transport_cost: Some(Yuan::parse("523.40")?),
//!     departure_date: Some("2020-03-01".parse()?),
//!     ..Laborer::new("L1")
//! };
//! let d = engine.decide(PROGRAM, &l, as_of)?;
//! assert_eq!((d.amount().to_string(), d.reason_codes().to_string()), ("500.00".into(), "capped".into()));
//!
//! l.departure_date = Some("2020-01-24".parse()?);
//! l.poverty_status = PovertyStatus::None;
//! let d = engine.decide(PROGRAM, &l, as_of)?;
//! assert_eq!(d.reason_codes().to_string(), "not_poor;outside_window");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;

use std::sync::LazyLock;

use super::common::{CAP, NOT_POOR, OUTSIDE_WINDOW, ReasonSets};
use super::{Facts, Param, ParamError, ParamSpec, Rule, Values};
use crate::calc::Calc;
use crate::dated::DateWindow;
use crate::decision::{
    Label, Program, ProgramDef, ProgramKind, Reason, Reasons, SubjectKind, Term,
};
use crate::model::{Laborer, WorkDestination};
use crate::money::Yuan;

/// R1: not able to work.
pub const UNABLE_TO_WORK: Reason = Reason::new(&Label {
    code: "unable_to_work",
    zh: "无劳动能力",
    en: "not able to work",
});
/// R1: not working out of the county.
pub const NOT_OUT_OF_COUNTY: Reason = Reason::new(&Label {
    code: "not_out_of_county",
    zh: "未外出务工",
    en: "not working out of the county",
});
/// R1: no documented transport cost above zero.
pub const NO_TRANSPORT_COST: Reason = Reason::new(&Label {
    code: "no_transport_cost",
    zh: "无交通费用凭证",
    en: "no documented transport cost",
});

/// R1's program.
static DEF: ProgramDef = ProgramDef {
    code: "transport_subsidy",
    name_zh: "外出务工往返交通补贴",
    name_en: "round-trip transport subsidy",
    kind: ProgramKind::Payout,
    subject: SubjectKind::Laborer,
    reasons: &[
        NOT_POOR,
        UNABLE_TO_WORK,
        NOT_OUT_OF_COUNTY,
        NO_TRANSPORT_COST,
        OUTSIDE_WINDOW,
    ],
    rule: "R1",
};

/// R1's program.
pub const PROGRAM: Program = Program::new(&DEF);

/// The reasons of [`TransportSubsidy::unmet`]'s conditions: the program's declared
/// reasons, which it checks in that order (a debug build checks it).
static CONDITIONS: LazyLock<ReasonSets> = LazyLock::new(|| ReasonSets::new(DEF.reasons));

/// Most paid per laborer (最高 … 标准).
const CAP_PARAM: Param<Yuan> = Param::required("cap");
/// Departure dates the measure covers.
const WINDOW: Param<DateWindow> = Param::required("window");
const COST: Term = Term::new(&Label {
    code: "transport_cost",
    zh: "交通费",
    en: "transport cost",
});

/// R1's parameters on one date.
#[derive(Debug, Clone, Copy)]
pub struct InForce {
    cap: Yuan,
    window: DateWindow,
    /// The sets of [`CONDITIONS`], forced once here, when the engine resolves the
    /// parameters of an interval: deciding then reads them with no test of a lazy
    /// initialization, whose call, however cold, sat on every decision's path (the
    /// decision's values kept in saved registers around it, the reasons just emptied
    /// read back after it).
    conditions: &'static ReasonSets,
}

/// R1, the round-trip transport subsidy.
#[derive(Debug, Clone, Copy, Default)]
pub struct TransportSubsidy;

impl Rule for TransportSubsidy {
    type Subject = Laborer;
    type Params = InForce;

    fn program(&self) -> Program {
        PROGRAM
    }

    fn parameters(&self) -> Vec<ParamSpec> {
        vec![CAP_PARAM.spec(), WINDOW.spec()]
    }

    fn params(&self, v: &Values<'_>) -> Result<InForce, ParamError> {
        Ok(InForce {
            cap: v.get(CAP_PARAM)?,
            window: v.get(WINDOW)?,
            conditions: LazyLock::force(&CONDITIONS),
        })
    }

    /// The departure date, or `as_of` when there is none.
    fn date(&self, l: &Laborer, as_of: NaiveDate) -> NaiveDate {
        l.departure_date.unwrap_or(as_of)
    }

    fn unmet(&self, l: &Laborer, _: &Facts, date: NaiveDate, p: &InForce, r: &mut Reasons) {
        let mut u = p.conditions.start();
        u.check(!l.poverty_status.is_poor_laborer(), NOT_POOR);
        u.check(!l.able_to_work, UNABLE_TO_WORK);
        u.check(
            l.work_destination != WorkDestination::OutOfCounty,
            NOT_OUT_OF_COUNTY,
        );
        u.check(
            l.transport_cost.is_none_or(Yuan::is_zero),
            NO_TRANSPORT_COST,
        );
        u.check(!p.window.contains(date), OUTSIDE_WINDOW);
        u.into_reasons(r);
    }

    /// `min(transport cost, cap)`.
    fn amount<C: Calc>(&self, l: &Laborer, _: &Facts, p: &InForce, c: &mut C) -> C::V {
        let cost = c.money(COST, l.transport_cost.unwrap_or(Yuan::ZERO));
        let cap = c.money(CAP, p.cap);
        c.min(cost, cap)
    }
}
