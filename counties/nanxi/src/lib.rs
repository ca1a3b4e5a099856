//! 南溪县 (Nanxi County, fictional): a county adopting `jiuye-fupin` from its own crate.
//!
//! C1 返岗就业一次性奖补 (return-to-work grant): a poor laborer able to work who works in
//! the county (`work_destination = in_county`) is granted `grant` once, plus
//! `zero_employment_bonus` when a member of a zero-employment household, when the as-of
//! date lies in `window`. Every number and the clause are in `nanxi-2020.toml`.

use chrono::NaiveDate;
use jiuye_fupin::calc::Calc;
use jiuye_fupin::dated::DateWindow;
use jiuye_fupin::decision::{Label, ProgramDef, Reasons, Term};
use jiuye_fupin::model::{Laborer, WorkDestination};
use jiuye_fupin::rules::{Facts, Param, ParamError, ParamSpec, Rule, Values, common};
use jiuye_fupin::{Program, ProgramKind, Reason, RuleSet, SubjectKind, Yuan};

/// The county's policy file, beside this crate.
pub const POLICY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/nanxi-2020.toml");

/// Not able to work.
pub const UNABLE: Reason = Reason::new(&Label {
    code: "unable_to_work",
    zh: "无劳动能力",
    en: "unable to work",
});
/// Not working in the county.
pub const NOT_IN_COUNTY: Reason = Reason::new(&Label {
    code: "not_working_in_county",
    zh: "未在县内就业",
    en: "not working in the county",
});

/// C1's program.
pub static DEF: ProgramDef = ProgramDef {
    code: "return_to_work_grant",
    name_zh: "返岗就业一次性奖补",
    name_en: "return-to-work grant",
    kind: ProgramKind::Payout,
    subject: SubjectKind::Laborer,
    reasons: &[
        common::NOT_POOR,
        UNABLE,
        NOT_IN_COUNTY,
        common::OUTSIDE_WINDOW,
    ],
    rule: "C1",
};

const GRANT: Param<Yuan> = Param::required("grant");
const BONUS: Param<Yuan> = Param::required("zero_employment_bonus");
const WINDOW: Param<DateWindow> = Param::required("window");
const GRANT_TERM: Term = Term::new(&Label {
    code: "grant",
    zh: "奖补标准",
    en: "grant",
});
const BONUS_TERM: Term = Term::new(&Label {
    code: "zero_employment_bonus",
    zh: "零就业家庭加发",
    en: "zero-employment bonus",
});
const MEMBER_TERM: Term = Term::new(&Label {
    code: "zero_employment_member",
    zh: "零就业家庭成员",
    en: "zero-employment member",
});
const TOTAL_TERM: Term = Term::new(&Label {
    code: "total",
    zh: "合计",
    en: "total",
});

/// C1's parameters on one date.
pub struct InForce {
    grant: Yuan,
    bonus: Yuan,
    window: DateWindow,
}

/// 返岗就业一次性奖补.
pub struct ReturnToWorkGrant;

impl Rule for ReturnToWorkGrant {
    type Subject = Laborer;
    type Params = InForce;

    fn program(&self) -> Program {
        Program::new(&DEF)
    }

    fn parameters(&self) -> Vec<ParamSpec> {
        vec![GRANT.spec(), BONUS.spec(), WINDOW.spec()]
    }

    fn params(&self, v: &Values<'_>) -> Result<InForce, ParamError> {
        Ok(InForce {
            grant: v.get(GRANT)?,
            bonus: v.get(BONUS)?,
            window: v.get(WINDOW)?,
        })
    }

    fn date(&self, _: &Laborer, as_of: NaiveDate) -> NaiveDate {
        as_of
    }

    fn unmet(&self, l: &Laborer, _: &Facts, date: NaiveDate, p: &InForce, r: &mut Reasons) {
        r.check(!l.poverty_status.is_poor_laborer(), common::NOT_POOR);
        r.check(!l.able_to_work, UNABLE);
        r.check(
            l.work_destination != WorkDestination::InCounty,
            NOT_IN_COUNTY,
        );
        r.check(!p.window.contains(date), common::OUTSIDE_WINDOW);
    }

    fn amount<C: Calc>(&self, l: &Laborer, _: &Facts, p: &InForce, c: &mut C) -> C::V {
        let grant = c.money(GRANT_TERM, p.grant);
        let bonus = c.money(BONUS_TERM, p.bonus);
        let member = c.count(MEMBER_TERM, u32::from(l.zero_employment_household));
        let bonus = c.mul(member, bonus);
        c.sum(TOTAL_TERM, &[grant, bonus])
    }
}

/// Nanxi's rule set: the built-in rules and C1 (after R3, as it decides laborers).
///
/// # Errors
/// When the set cannot be built (a duplicate code).
pub fn rules() -> Result<RuleSet, jiuye_fupin::ruleset::RuleSetError> {
    RuleSet::yang_county_2020().with(ReturnToWorkGrant)
}
