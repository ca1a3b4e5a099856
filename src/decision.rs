//! Decisions and their explanation: [`Program`], [`Citation`], [`Reason`] codes, [`Step`]s,
//! and rendering in Chinese and English ([`Lang`]).
//!
//! A [`Decision`] is either eligible, with its amount and the steps that produced it, or
//! ineligible, with **every** unmet condition as a typed [`Reason`], in the order of
//! POLICY.md's table. It always carries the clause of the article it applies.
//!
//! ```
//! use jiuye_fupin::{Engine, Lang, Policy};
//! use jiuye_fupin::model::{Laborer, PovertyStatus, WorkDestination};
//! use jiuye_fupin::money::Yuan;
//!
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let as_of = "2020-04-01".parse()?;
//! let l = Laborer {
//!     poverty_status: PovertyStatus::Lifted,
//!     able_to_work: true,
//!     work_destination: WorkDestination::OutOfCounty,
//!     transport_cost: Some(Yuan::parse("523.40")?),
//!     ..Laborer::new("L0000001")
//! };
//! let d = engine.transport_subsidy(&l, as_of)?;
//! assert_eq!(d.amount().to_string(), "500.00");
//! assert_eq!(d.steps[0].render(Lang::En).to_string(), "min(transport cost 523.40, cap 500.00) = 500.00");
//! assert!(d.render(Lang::Zh).to_string().contains("对外出务工的贫困劳动力按照最高500元标准发放往返交通补贴"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::money::Yuan;

/// The language of a rendering.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// 中文 (the default: the language of the policy).
    #[default]
    Zh,
    /// English.
    En,
}

impl std::str::FromStr for Lang {
    type Err = crate::model::UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "zh" | "zh-CN" | "cn" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            _ => Err(crate::model::UnknownCode {
                expected: &["zh", "en"],
            }),
        }
    }
}

/// A paragraph and clause of the source article, quoted verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// The rule's id in POLICY.md (`R1` ...).
    pub rule: &'static str,
    /// The paragraph of the article (`S1` 有序引导复工返岗, `S2` 因势顺导复产转产, `S3` 科学指导适度设岗).
    pub paragraph: &'static str,
    /// The clause, verbatim in Chinese.
    pub clause: &'static str,
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} 「{}」", self.rule, self.paragraph, self.clause)
    }
}

/// Whether a program pays money, defers it or sets a loan ceiling; reports keep them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProgramKind {
    /// Money paid out (subsidies, refunds, allowances, grants).
    Payout,
    /// Premiums whose payment is postponed, not paid.
    Deferral,
    /// The ceiling of a guaranteed loan: lent, not granted.
    LoanCeiling,
}

/// One program of the policy: a rule that decides eligibility and an amount.
///
/// Serialized as its code; deserialized from it (the variant's name in snake case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Program {
    /// R1 外出务工往返交通补贴.
    TransportSubsidy,
    /// R2 隔离留观生活补贴.
    IsolationAllowance,
    /// R3 一次性创业补贴.
    StartupGrant,
    /// R4 创业担保贷款 (a loan ceiling).
    GuaranteedLoan,
    /// R5 失业保险稳岗返还.
    UiRefund,
    /// R6 社会保险费缓缴.
    PremiumDeferral,
    /// R7 创业中心房租水电补贴.
    StartupCenterSubsidy,
    /// R8 公益性岗位补贴.
    PostSubsidy,
}

impl Program {
    /// Every program, in rule order.
    pub const ALL: [Program; 8] = [
        Program::TransportSubsidy,
        Program::IsolationAllowance,
        Program::StartupGrant,
        Program::GuaranteedLoan,
        Program::UiRefund,
        Program::PremiumDeferral,
        Program::StartupCenterSubsidy,
        Program::PostSubsidy,
    ];

    /// The code in `payouts.csv` (`transport_subsidy` ...).
    pub const fn code(self) -> &'static str {
        match self {
            Program::TransportSubsidy => "transport_subsidy",
            Program::IsolationAllowance => "isolation_allowance",
            Program::StartupGrant => "startup_grant",
            Program::GuaranteedLoan => "guaranteed_loan",
            Program::UiRefund => "ui_refund",
            Program::PremiumDeferral => "premium_deferral",
            Program::StartupCenterSubsidy => "startup_center_subsidy",
            Program::PostSubsidy => "post_subsidy",
        }
    }

    /// The program's name.
    pub const fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Program::TransportSubsidy, Lang::Zh) => "外出务工往返交通补贴",
            (Program::TransportSubsidy, Lang::En) => "round-trip transport subsidy",
            (Program::IsolationAllowance, Lang::Zh) => "隔离留观生活补贴",
            (Program::IsolationAllowance, Lang::En) => "isolation living allowance",
            (Program::StartupGrant, Lang::Zh) => "一次性创业补贴",
            (Program::StartupGrant, Lang::En) => "one-time startup grant",
            (Program::GuaranteedLoan, Lang::Zh) => "创业担保贷款",
            (Program::GuaranteedLoan, Lang::En) => "guaranteed business loan",
            (Program::StartupCenterSubsidy, Lang::Zh) => "创业中心房租水电补贴",
            (Program::StartupCenterSubsidy, Lang::En) => {
                "startup-center rent and utilities subsidy"
            }
            (Program::UiRefund, Lang::Zh) => "失业保险稳岗返还",
            (Program::UiRefund, Lang::En) => "unemployment-insurance refund",
            (Program::PremiumDeferral, Lang::Zh) => "社会保险费缓缴",
            (Program::PremiumDeferral, Lang::En) => "social-insurance premium deferral",
            (Program::PostSubsidy, Lang::Zh) => "公益性岗位补贴",
            (Program::PostSubsidy, Lang::En) => "public-welfare post subsidy",
        }
    }

    /// Payout, deferral or loan ceiling.
    pub const fn kind(self) -> ProgramKind {
        match self {
            Program::PremiumDeferral => ProgramKind::Deferral,
            Program::GuaranteedLoan => ProgramKind::LoanCeiling,
            _ => ProgramKind::Payout,
        }
    }

    /// The clause of the article the program applies.
    pub const fn citation(self) -> &'static Citation {
        match self {
            Program::TransportSubsidy => &crate::rules::transport::CITATION,
            Program::IsolationAllowance => &crate::rules::isolation::CITATION,
            Program::StartupGrant => &crate::rules::startup_grant::CITATION,
            Program::GuaranteedLoan => &crate::rules::guaranteed_loan::CITATION,
            Program::StartupCenterSubsidy => &crate::rules::startup_center::CITATION,
            Program::UiRefund => &crate::rules::ui_refund::CITATION,
            Program::PremiumDeferral => &crate::rules::premium_deferral::CITATION,
            Program::PostSubsidy => &crate::rules::post_subsidy::CITATION,
        }
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Program {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// An unmet condition: why a subject is ineligible for a program.
///
/// Serialized as its code; deserialized from it (the variant's name in snake case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// R1, R2: not a registered poor laborer (建档立卡).
    NotPoor,
    /// R1: not able to work.
    UnableToWork,
    /// R1: not working out of the county.
    NotOutOfCounty,
    /// R1: no documented transport cost above zero.
    NoTransportCost,
    /// R1, R2, R3 (and R6 where a county sets a window): the rule's date is outside the window.
    OutsideWindow,
    /// R2: no day of isolation.
    NotIsolated,
    /// R2, only where `full_period_only` is set: fewer days than the full period.
    IncompleteIsolation,
    /// R3: neither a poor laborer nor a fresh graduate.
    NotPoorOrGraduate,
    /// R3: no store opened in the county.
    NoStoreInCounty,
    /// R4: the guaranteed-loan conditions are not met.
    GuaranteeConditionsUnmet,
    /// R4: no business started.
    BusinessNotStarted,
    /// R4: no amount requested.
    NoAmountRequested,
    /// R5: not insured for unemployment insurance.
    NotInsured,
    /// R5: insured for fewer months than required.
    InsuredTooShort,
    /// R5: layoff rate above the limit.
    TooManyLayoffs,
    /// R6: no temporary hardship.
    NoHardship,
    /// R6: no month of deferral requested.
    NoMonthsRequested,
    /// R7: no rent or utilities claimed.
    NoClaim,
    /// R8: the employer is not a town office, school or health center.
    EmployerNotEligible,
    /// R8: the holder is not a registered poor laborer.
    HolderNotPoor,
}

impl Reason {
    /// The code in `payouts.csv`.
    pub const fn code(self) -> &'static str {
        self.texts().0
    }

    /// The reason in words.
    pub const fn text(self, lang: Lang) -> &'static str {
        let (_, zh, en) = self.texts();
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    const fn texts(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Reason::NotPoor => (
                "not_poor",
                "非建档立卡贫困劳动力",
                "not a registered poor laborer",
            ),
            Reason::UnableToWork => ("unable_to_work", "无劳动能力", "not able to work"),
            Reason::NotOutOfCounty => (
                "not_out_of_county",
                "未外出务工",
                "not working out of the county",
            ),
            Reason::NoTransportCost => (
                "no_transport_cost",
                "无交通费用凭证",
                "no documented transport cost",
            ),
            Reason::OutsideWindow => (
                "outside_window",
                "不在政策执行期内",
                "outside the policy window",
            ),
            Reason::NotIsolated => ("not_isolated", "未隔离留观", "not isolated"),
            Reason::IncompleteIsolation => (
                "incomplete_isolation",
                "隔离留观未满规定天数",
                "isolation shorter than the full period",
            ),
            Reason::NotPoorOrGraduate => (
                "not_poor_or_graduate",
                "既非建档立卡贫困劳动力也非应届高校毕业生",
                "neither a registered poor laborer nor a fresh graduate",
            ),
            Reason::NoStoreInCounty => (
                "no_store_in_county",
                "未在县内开办店面",
                "no store opened in the county",
            ),
            Reason::GuaranteeConditionsUnmet => (
                "guarantee_conditions_unmet",
                "不符合创业担保贷款政策规定",
                "guaranteed-loan conditions not met",
            ),
            Reason::BusinessNotStarted => {
                ("business_not_started", "未成功创业", "no business started")
            }
            Reason::NoAmountRequested => (
                "no_amount_requested",
                "未申请贷款金额",
                "no amount requested",
            ),
            Reason::NoClaim => (
                "no_claim",
                "未申报房租水电费",
                "no rent or utilities claimed",
            ),
            Reason::NotInsured => (
                "not_insured",
                "未参加失业保险",
                "not insured for unemployment",
            ),
            Reason::InsuredTooShort => (
                "insured_too_short",
                "参保时间不足",
                "insured for too few months",
            ),
            Reason::TooManyLayoffs => (
                "too_many_layoffs",
                "裁员率超过标准",
                "layoff rate above the limit",
            ),
            Reason::NoHardship => (
                "no_hardship",
                "无暂时性生产经营困难",
                "no temporary hardship",
            ),
            Reason::NoMonthsRequested => (
                "no_months_requested",
                "未申请缓缴月数",
                "no month of deferral requested",
            ),
            Reason::EmployerNotEligible => (
                "employer_not_eligible",
                "用人单位不是镇办、学校或卫生院",
                "employer is not a town office, school or health center",
            ),
            Reason::HolderNotPoor => (
                "holder_not_poor",
                "在岗人员非建档立卡贫困劳动力",
                "holder is not a registered poor laborer",
            ),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// The unmet conditions of one decision, in the order the rule checks them (POLICY.md's
/// order). A fixed-size list: no allocation.
///
/// ```
/// use jiuye_fupin::decision::{Reason, Reasons};
/// let mut r = Reasons::new();
/// r.push(Reason::NotPoor);
/// r.push(Reason::OutsideWindow);
/// assert_eq!(r.to_string(), "not_poor;outside_window");
/// assert_eq!(r.len(), 2);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reasons {
    items: [Reason; Reasons::CAPACITY],
    len: u8,
}

impl Reasons {
    /// The most reasons one rule can give (R1 has five conditions).
    pub const CAPACITY: usize = 6;

    /// No reasons.
    pub const fn new() -> Reasons {
        Reasons {
            items: [Reason::NotPoor; Reasons::CAPACITY],
            len: 0,
        }
    }

    /// Adds a reason; a reason already present, or one past the capacity (impossible for
    /// the rules of this crate), is ignored.
    pub fn push(&mut self, reason: Reason) {
        if self.iter().any(|r| r == reason) {
            return;
        }
        if let Some(slot) = self.items.get_mut(usize::from(self.len)) {
            *slot = reason;
            self.len = self.len.saturating_add(1);
        }
    }

    /// Adds `reason` when `unmet` is true.
    pub fn check(&mut self, unmet: bool, reason: Reason) {
        if unmet {
            self.push(reason);
        }
    }

    /// [`Reasons::check`] for a rule whose conditions are distinct reasons (no search for
    /// a repeat: the rules' hot path).
    #[inline]
    pub(crate) fn check_distinct(&mut self, unmet: bool, reason: Reason) {
        if unmet {
            if let Some(slot) = self.items.get_mut(usize::from(self.len)) {
                *slot = reason;
                self.len = self.len.saturating_add(1);
            }
        }
    }

    /// The reasons, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Reason> + '_ {
        self.as_slice().iter().copied()
    }

    /// The reasons as a slice.
    pub fn as_slice(&self) -> &[Reason] {
        self.items.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// Number of reasons.
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// `true` when every condition is met.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The reasons in words, joined with `；` (zh) or `; ` (en).
    pub fn render(&self, lang: Lang) -> String {
        let sep = if lang == Lang::Zh { "；" } else { "; " };
        self.iter()
            .map(|r| r.text(lang))
            .collect::<Vec<_>>()
            .join(sep)
    }
}

impl Default for Reasons {
    fn default() -> Self {
        Reasons::new()
    }
}

impl fmt::Debug for Reasons {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The codes joined with `;`, as in `payouts.csv`.
impl fmt::Display for Reasons {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(";")?;
            }
            f.write_str(r.code())?;
        }
        Ok(())
    }
}

impl Serialize for Reasons {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// From a list of codes; more than [`Reasons::CAPACITY`] is an error.
impl<'de> Deserialize<'de> for Reasons {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let list = Vec::<Reason>::deserialize(d)?;
        if list.len() > Reasons::CAPACITY {
            return Err(serde::de::Error::invalid_length(
                list.len(),
                &"at most 6 reasons",
            ));
        }
        let mut reasons = Reasons::new();
        list.into_iter().for_each(|r| reasons.push(r));
        Ok(reasons)
    }
}

/// The named quantity a step works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Term {
    /// R1 documented transport cost.
    TransportCost,
    /// R1 cap.
    Cap,
    /// R2 days in isolation.
    IsolationDays,
    /// R2 most days paid.
    MaxDays,
    /// R2 allowance per day.
    DailyRate,
    /// R3 grant.
    Grant,
    /// R5 refund rate.
    RefundRate,
    /// R5 unemployment insurance paid last year.
    PriorYearUiPaid,
    /// R6 months requested.
    MonthsRequested,
    /// R6 most months deferred.
    MaxMonths,
    /// R6 deferred months.
    MonthsDeferred,
    /// R6 monthly pension premium.
    PensionPremium,
    /// R6 monthly unemployment premium.
    UnemploymentPremium,
    /// R6 monthly work-injury premium.
    InjuryPremium,
    /// R6 sum of the three monthly premiums.
    MonthlyPremiums,
    /// R4 requested loan.
    RequestedLoan,
    /// R4 loan ceiling.
    LoanCap,
    /// R7 rent claimed.
    Rent,
    /// R7 utilities claimed.
    Utilities,
    /// R7 rent and utilities together.
    Claimed,
    /// R7 cap of the center's level.
    CenterCap,
    /// R8 subsidy rate.
    SubsidyRate,
    /// R8 monthly wage.
    MonthlyWage,
    /// R8 subsidy per month.
    MonthlySubsidy,
    /// R8 months paid.
    MonthsPaid,
    /// An intermediate or final amount.
    Amount,
}

impl Term {
    /// The term's name.
    pub const fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Term::TransportCost => ("交通费", "transport cost"),
            Term::Cap => ("上限", "cap"),
            Term::IsolationDays => ("隔离天数", "isolation days"),
            Term::MaxDays => ("最多天数", "most days"),
            Term::DailyRate => ("每天标准", "daily rate"),
            Term::Grant => ("补贴标准", "grant"),
            Term::RefundRate => ("返还比例", "refund rate"),
            Term::PriorYearUiPaid => ("上年度实际缴费", "prior-year UI paid"),
            Term::MonthsRequested => ("申请月数", "months requested"),
            Term::MaxMonths => ("最长月数", "most months"),
            Term::MonthsDeferred => ("缓缴月数", "months deferred"),
            Term::PensionPremium => ("养老保险费", "pension"),
            Term::UnemploymentPremium => ("失业保险费", "unemployment"),
            Term::InjuryPremium => ("工伤保险费", "work injury"),
            Term::MonthlyPremiums => ("月缴费合计", "monthly premiums"),
            Term::RequestedLoan => ("申请额度", "requested"),
            Term::LoanCap => ("贷款上限", "loan cap"),
            Term::Rent => ("房租", "rent"),
            Term::Utilities => ("水电费", "utilities"),
            Term::Claimed => ("申报合计", "claimed"),
            Term::CenterCap => ("补贴标准", "cap"),
            Term::SubsidyRate => ("补贴比例", "subsidy rate"),
            Term::MonthlyWage => ("月工资", "monthly wage"),
            Term::MonthlySubsidy => ("月补贴", "monthly subsidy"),
            Term::MonthsPaid => ("发放月数", "months paid"),
            Term::Amount => ("金额", "amount"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A named value: `cap 500.00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    /// What the value is.
    pub term: Term,
    /// The exact value.
    pub value: Decimal,
}

impl Quantity {
    /// A named value.
    pub fn new(term: Term, value: impl Into<Decimal>) -> Quantity {
        Quantity {
            term,
            value: value.into(),
        }
    }
}

/// One step of an amount's computation, with its operands and exact result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Step {
    /// A parameter's value in force on the rule's date: `refund rate on 2020-03-01 = 0.6`.
    InForce {
        /// The parameter.
        parameter: Quantity,
        /// The date that selected it.
        date: NaiveDate,
    },
    /// `min(value, limit) = result`.
    Min {
        /// The value.
        value: Quantity,
        /// The limit.
        limit: Quantity,
        /// The smaller.
        result: Decimal,
    },
    /// `lhs × rhs = result`.
    Product {
        /// Left factor.
        lhs: Quantity,
        /// Right factor.
        rhs: Quantity,
        /// Exact product.
        result: Decimal,
    },
    /// `a + b + c = result`.
    Sum {
        /// The terms.
        terms: [Quantity; 3],
        /// Exact sum.
        result: Decimal,
    },
    /// `a + b = result`.
    Sum2 {
        /// The terms.
        terms: [Quantity; 2],
        /// Exact sum.
        result: Decimal,
    },
    /// A fixed amount.
    Fixed {
        /// The amount.
        amount: Quantity,
    },
    /// Rounded half away from zero to 0.01: `7407.405 → 7407.41`.
    Round {
        /// Exact value.
        exact: Decimal,
        /// Paid amount.
        result: Yuan,
    },
}

impl Step {
    /// The step as one line of text.
    pub fn render(&self, lang: Lang) -> impl fmt::Display + '_ {
        StepText { step: self, lang }
    }
}

/// A value as shown in a step: as written, but with trailing zeros beyond the second
/// decimal dropped (`480.0450` → `480.045`, `500.00` stays).
fn shown(d: Decimal) -> Decimal {
    if d.scale() <= 2 {
        return d;
    }
    let mut n = d.normalize();
    if n.scale() < 2 {
        n.rescale(2);
    }
    n
}

struct StepText<'a> {
    step: &'a Step,
    lang: Lang,
}

impl fmt::Display for StepText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = self.lang;
        let q = |q: &Quantity| format!("{} {}", q.term.name(l), shown(q.value));
        match self.step {
            Step::InForce { parameter, date } => match l {
                Lang::Zh => write!(
                    f,
                    "{date} 适用的{} = {}",
                    parameter.term.name(l),
                    parameter.value
                ),
                Lang::En => write!(
                    f,
                    "{} in force on {date} = {}",
                    parameter.term.name(l),
                    parameter.value
                ),
            },
            Step::Min {
                value,
                limit,
                result,
            } => {
                write!(f, "min({}, {}) = {}", q(value), q(limit), shown(*result))
            }
            Step::Product { lhs, rhs, result } => {
                write!(f, "{} × {} = {}", q(lhs), q(rhs), shown(*result))
            }
            Step::Sum {
                terms: [a, b, c],
                result,
            } => {
                write!(f, "{} + {} + {} = {}", q(a), q(b), q(c), shown(*result))
            }
            Step::Sum2 {
                terms: [a, b],
                result,
            } => {
                write!(f, "{} + {} = {}", q(a), q(b), shown(*result))
            }
            Step::Fixed { amount } => write!(f, "{}", q(amount)),
            Step::Round { exact, result } => match l {
                Lang::Zh => write!(f, "四舍五入到分: {} → {result}", shown(*exact)),
                Lang::En => write!(
                    f,
                    "rounded half away from zero to 0.01: {} → {result}",
                    shown(*exact)
                ),
            },
        }
    }
}

/// The result of a rule: eligible with an amount, or ineligible with every unmet condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// Every condition met.
    Eligible {
        /// The amount, rounded to the fen (it may be 0.00).
        amount: Yuan,
        /// A cap, day limit or month limit cut the amount.
        capped: bool,
    },
    /// At least one condition unmet.
    Ineligible {
        /// Every unmet condition, in POLICY.md's order.
        reasons: Reasons,
    },
}

/// One program's decision on one subject, with its explanation.
///
/// `'r` is the lifetime of the roster the subject comes from: the decision borrows its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision<'r> {
    /// The program.
    pub program: Program,
    /// The subject's id (laborer, enterprise or post).
    pub subject_id: &'r str,
    /// The date that selected the parameters (the record's own date, else the as-of date).
    pub date: NaiveDate,
    /// Eligible with an amount, or ineligible with reasons.
    pub outcome: Outcome,
    /// How the amount was computed (empty for an ineligible subject, or when the engine
    /// runs without explanations).
    pub steps: Vec<Step>,
    /// The clause of the article applied.
    pub citation: &'static Citation,
}

impl<'r> Decision<'r> {
    /// A decision; the citation is the program's.
    pub fn new(
        program: Program,
        subject_id: &'r str,
        date: NaiveDate,
        outcome: Outcome,
        steps: Vec<Step>,
    ) -> Decision<'r> {
        Decision {
            program,
            subject_id,
            date,
            outcome,
            steps,
            citation: program.citation(),
        }
    }

    /// `true` when every condition is met.
    pub fn is_eligible(&self) -> bool {
        matches!(self.outcome, Outcome::Eligible { .. })
    }

    /// The amount; `0.00` when ineligible.
    pub fn amount(&self) -> Yuan {
        match self.outcome {
            Outcome::Eligible { amount, .. } => amount,
            Outcome::Ineligible { .. } => Yuan::ZERO,
        }
    }

    /// The unmet conditions (empty when eligible).
    pub fn reasons(&self) -> Reasons {
        match self.outcome {
            Outcome::Eligible { .. } => Reasons::new(),
            Outcome::Ineligible { reasons } => reasons,
        }
    }

    /// The `reasons` cell of `payouts.csv`: the unmet conditions, or `capped` for an
    /// eligible amount cut by a limit, or empty.
    pub fn reason_codes(&self) -> ReasonCodes {
        ReasonCodes(self.outcome)
    }

    /// The whole decision as readable text: program, subject, result, steps and citation.
    pub fn render(&self, lang: Lang) -> impl fmt::Display + '_ {
        DecisionText { d: self, lang }
    }
}

/// The `reasons` cell of a decision in `payouts.csv` (see [`Decision::reason_codes`]).
#[derive(Debug, Clone, Copy)]
pub struct ReasonCodes(Outcome);

impl fmt::Display for ReasonCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Outcome::Eligible { capped: true, .. } => f.write_str("capped"),
            Outcome::Eligible { capped: false, .. } => Ok(()),
            Outcome::Ineligible { reasons } => fmt::Display::fmt(&reasons, f),
        }
    }
}

struct DecisionText<'a, 'r> {
    d: &'a Decision<'r>,
    lang: Lang,
}

impl fmt::Display for DecisionText<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (d, l) = (self.d, self.lang);
        write!(
            f,
            "{} {} {}: ",
            d.citation.rule,
            d.program.name(l),
            d.subject_id
        )?;
        match (d.outcome, l) {
            (Outcome::Eligible { amount, .. }, Lang::Zh) => write!(f, "符合, {amount} 元")?,
            (Outcome::Eligible { amount, .. }, Lang::En) => write!(f, "eligible, {amount} yuan")?,
            (Outcome::Ineligible { reasons }, Lang::Zh) => {
                write!(f, "不符合: {}", reasons.render(l))?
            }
            (Outcome::Ineligible { reasons }, Lang::En) => {
                write!(f, "ineligible: {}", reasons.render(l))?
            }
        }
        for s in &d.steps {
            write!(f, "\n    {}", s.render(l))?;
        }
        let basis = if l == Lang::Zh { "依据" } else { "per" };
        write!(f, "\n    {basis} {}", d.citation)
    }
}
