//! Decisions and their explanation: the open vocabularies of [`Program`], [`Reason`] and
//! [`Term`], [`Citation`]s, [`Step`]s, and rendering in Chinese and English ([`Lang`]).
//!
//! The vocabularies are **open**: a program, a reason code and a named quantity are
//! descriptors that a rule declares (a `const` in the rule's own module), not variants of a
//! closed enum that every new rule must edit. Two descriptors are the same when their codes
//! are equal.
//!
//! A [`Decision`] is either eligible, with its amount and the steps that produced it, or
//! ineligible, with **every** unmet condition as a [`Reason`], in the order the rule checks
//! them. It always carries the clause it applies, as stated in the policy that decided it.
//!
//! ```
//! use jiuye_fupin::{Engine, Lang, Policy};
//! use jiuye_fupin::model::{Laborer, PovertyStatus, WorkDestination};
//! use jiuye_fupin::money::Yuan;
//! use jiuye_fupin::rules::transport;
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
//! let d = engine.decide(transport::PROGRAM, &l, as_of)?;
//! assert_eq!(d.amount().to_string(), "500.00");
//! assert_eq!(d.steps[0].render(Lang::En).to_string(), "min(transport cost 523.40, cap 500.00) = 500.00");
//! assert!(d.render(Lang::Zh).to_string().contains("对外出务工的贫困劳动力按照最高500元标准发放往返交通补贴"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};

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

impl Lang {
    /// `zh` or `en` of a pair of texts.
    pub const fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// An eligible decision's `capped` flag in words (已封顶, capped).
    pub(crate) const fn capped(self) -> &'static str {
        self.pick("已封顶", "capped")
    }
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

/// A paragraph and clause of the policy document, quoted verbatim.
///
/// Data, not code: every county states its own in its policy file, in the table of each
/// rule and audit it runs (`citation = { rule = "R1", paragraph = "...", clause = "..." }`;
/// the Yang County preset quotes the 2020 article), and decisions and findings render the
/// citation of the policy that decided them. A table without one is refused when the policy
/// is read, so that no county's decision cites another county's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// The rule's id (`R1` ...).
    pub rule: Cow<'static, str>,
    /// The paragraph of the document (`S1 有序引导复工返岗`).
    pub paragraph: Cow<'static, str>,
    /// The clause, verbatim.
    pub clause: Cow<'static, str>,
}

impl Citation {
    /// A citation of static text.
    pub const fn new(
        rule: &'static str,
        paragraph: &'static str,
        clause: &'static str,
    ) -> Citation {
        Citation {
            rule: Cow::Borrowed(rule),
            paragraph: Cow::Borrowed(paragraph),
            clause: Cow::Borrowed(clause),
        }
    }
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} 「{}」", self.rule, self.paragraph, self.clause)
    }
}

/// Whether a program pays money, defers it or sets a loan ceiling; reports keep them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgramKind {
    /// Money paid out (subsidies, refunds, allowances, grants).
    Payout,
    /// Premiums whose payment is postponed, not paid.
    Deferral,
    /// The ceiling of a guaranteed loan: lent, not granted.
    LoanCeiling,
}

impl ProgramKind {
    /// Every kind, in the order every report of totals shows them apart: payouts, then
    /// deferrals, then loan ceilings.
    pub const ALL: [ProgramKind; 3] = [
        ProgramKind::Payout,
        ProgramKind::Deferral,
        ProgramKind::LoanCeiling,
    ];

    /// Its code (`payout`, `deferral`, `loan_ceiling`), as serialized.
    ///
    /// ```
    /// use jiuye_fupin::{Lang, ProgramKind};
    /// assert_eq!(ProgramKind::LoanCeiling.code(), "loan_ceiling");
    /// assert_eq!(ProgramKind::Deferral.total_label(Lang::Zh), "缓缴合计");
    /// ```
    pub const fn code(self) -> &'static str {
        match self {
            ProgramKind::Payout => "payout",
            ProgramKind::Deferral => "deferral",
            ProgramKind::LoanCeiling => "loan_ceiling",
        }
    }

    /// The label of its programs' sum in a report (发放合计, 缓缴合计, 贷款额度合计).
    pub const fn total_label(self, lang: Lang) -> &'static str {
        match self {
            ProgramKind::Payout => lang.pick("发放合计", "paid out"),
            ProgramKind::Deferral => lang.pick("缓缴合计", "deferred"),
            ProgramKind::LoanCeiling => lang.pick("贷款额度合计", "loan ceilings"),
        }
    }
}

/// The kind of record a program decides; each has its interchange file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// A laborer (`laborers.csv`).
    Laborer,
    /// A guaranteed-loan application (`loan_applications.csv`).
    LoanApplication,
    /// An enterprise (`enterprises.csv`).
    Enterprise,
    /// A startup center (`startup_centers.csv`).
    StartupCenter,
    /// A public-welfare post, with its holder's poverty status (`posts.csv`).
    Post,
}

impl SubjectKind {
    /// Every kind, in the order of the files.
    pub const ALL: [SubjectKind; 5] = [
        SubjectKind::Laborer,
        SubjectKind::LoanApplication,
        SubjectKind::Enterprise,
        SubjectKind::StartupCenter,
        SubjectKind::Post,
    ];
}

/// What a rule declares about its program: code, names, kind, subject, reason codes and
/// rule id. Declared once, as a `const`, in the rule's module.
#[derive(Debug)]
pub struct ProgramDef {
    /// The code in `payouts.csv` and the name of the rule's table in a policy file.
    pub code: &'static str,
    /// The name in Chinese.
    pub name_zh: &'static str,
    /// The name in English.
    pub name_en: &'static str,
    /// Payout, deferral or loan ceiling.
    pub kind: ProgramKind,
    /// The records it decides.
    pub subject: SubjectKind,
    /// Its reason codes, in the order it checks them ([`Reason::NOT_IN_FORCE`] is every
    /// program's and need not be listed).
    pub reasons: &'static [Reason],
    /// The rule's id (`R1`, POLICY.md's numbering; a county's own rule its own, `C1`): a
    /// label in reports. The clause it applies is the policy's (its table's `citation`).
    pub rule: &'static str,
}

/// One program: a rule that decides eligibility and an amount. A handle on its
/// [`ProgramDef`]; equal when the codes are equal.
///
/// Serialized as its code.
///
/// ```
/// use jiuye_fupin::rules::transport;
/// use jiuye_fupin::{Lang, ProgramKind};
/// let p = transport::PROGRAM;
/// assert_eq!((p.code(), p.name(Lang::Zh), p.kind()), ("transport_subsidy", "外出务工往返交通补贴", ProgramKind::Payout));
/// ```
#[derive(Clone, Copy)]
pub struct Program(&'static ProgramDef);

impl Program {
    /// A handle on a program's descriptor.
    pub const fn new(def: &'static ProgramDef) -> Program {
        Program(def)
    }

    /// The descriptor.
    pub const fn def(self) -> &'static ProgramDef {
        self.0
    }

    /// The code in `payouts.csv` (`transport_subsidy` ...).
    pub const fn code(self) -> &'static str {
        self.0.code
    }

    /// The program's name.
    pub const fn name(self, lang: Lang) -> &'static str {
        lang.pick(self.0.name_zh, self.0.name_en)
    }

    /// Payout, deferral or loan ceiling.
    pub const fn kind(self) -> ProgramKind {
        self.0.kind
    }

    /// The kind of record it decides.
    pub const fn subject(self) -> SubjectKind {
        self.0.subject
    }

    /// The rule's id (`R1` ...), a label in reports.
    pub const fn rule(self) -> &'static str {
        self.0.rule
    }
}

impl PartialEq for Program {
    fn eq(&self, other: &Program) -> bool {
        std::ptr::eq(self.0, other.0) || self.0.code == other.0.code
    }
}
impl Eq for Program {}
impl Hash for Program {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.0.code.hash(h);
    }
}
impl PartialOrd for Program {
    fn partial_cmp(&self, other: &Program) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Program {
    fn cmp(&self, other: &Program) -> std::cmp::Ordering {
        self.0.code.cmp(other.0.code)
    }
}
impl fmt::Debug for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Program({})", self.0.code)
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

/// A code with a Chinese and an English label: what a [`Reason`] or a [`Term`] refers to.
#[derive(Debug)]
pub struct Label {
    /// The code (`not_poor`, `cap`).
    pub code: &'static str,
    /// In Chinese.
    pub zh: &'static str,
    /// In English.
    pub en: &'static str,
}

/// Implements the handle type of a [`Label`] vocabulary.
macro_rules! label_handle {
    ($(#[$m:meta])* $ty:ident) => {
        $(#[$m])*
        #[derive(Clone, Copy)]
        pub struct $ty(&'static Label);

        impl $ty {
            /// A handle on a label (declare it as a `const` in the rule's module).
            pub const fn new(label: &'static Label) -> $ty {
                $ty(label)
            }

            /// The code.
            pub const fn code(self) -> &'static str {
                self.0.code
            }

            /// The label in `lang`.
            pub const fn text(self, lang: Lang) -> &'static str {
                lang.pick(self.0.zh, self.0.en)
            }
        }

        impl PartialEq for $ty {
            fn eq(&self, other: &$ty) -> bool {
                std::ptr::eq(self.0, other.0) || self.0.code == other.0.code
            }
        }
        impl Eq for $ty {}
        impl Hash for $ty {
            fn hash<H: Hasher>(&self, h: &mut H) {
                self.0.code.hash(h);
            }
        }
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0.code)
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0.code)
            }
        }
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.0.code)
            }
        }
    };
}

label_handle!(
    /// An unmet condition: why a subject is ineligible for a program. A rule declares its
    /// own (`pub const NOT_ISOLATED: Reason = Reason::new(&Label { code: "not_isolated",
    /// zh: "未隔离留观", en: "not isolated" });`).
    ///
    /// ```
    /// use jiuye_fupin::{Lang, Reason};
    /// assert_eq!(Reason::NOT_IN_FORCE.text(Lang::Zh), "政策未实施");
    /// ```
    Reason
);

impl Reason {
    /// Every program's: the rule is not in force on the subject's date (POLICY.md
    /// reading 8). Always alone.
    pub const NOT_IN_FORCE: Reason = Reason::new(&Label {
        code: "not_in_force",
        zh: "政策未实施",
        en: "the rule is not in force on that date",
    });
}

label_handle!(
    /// The named quantity a step works on (`cap`, `transport cost`), declared by the rule.
    /// A record's value is named by its column (`transport_cost`): a step, or an amount
    /// too large ([`Operation`]), then names the field it came from.
    Term
);

impl Term {
    /// An intermediate or final amount.
    pub const AMOUNT: Term = Term::new(&Label {
        code: "amount",
        zh: "金额",
        en: "amount",
    });
}

/// The unmet conditions of one decision, in the order the rule checks them. A fixed-size
/// list: no allocation.
///
/// ```
/// use jiuye_fupin::decision::Reasons;
/// use jiuye_fupin::rules::common::{NOT_POOR, OUTSIDE_WINDOW};
/// let mut r = Reasons::new();
/// r.push(NOT_POOR);
/// r.push(OUTSIDE_WINDOW);
/// r.push(NOT_POOR);
/// assert_eq!(r.to_string(), "not_poor;outside_window");
/// assert_eq!(r.len(), 2);
/// ```
#[derive(Clone, Copy)]
pub struct Reasons {
    /// The reasons in the first `len` slots; what the others hold means nothing.
    items: [Reason; Reasons::CAPACITY],
    /// A `u32`, not a `u8`: with `sig` it fills the 72 bytes, so the list has no padding,
    /// which a copy (a rule's set into a decision's outcome) would move byte by byte.
    len: u32,
    /// What the list is known to be ([`Reasons::identity`]), so that a cache's key and its
    /// test ([`Reasons::same_as`]) cost no reading of the slots per row. Odd: the list is a
    /// copy of the set made once that [`Reasons::number`] gave the number `sig / 2` (unique
    /// in the process; 0 is [`Reasons::not_in_force`]'s), and holds just its reasons. Even:
    /// the reasons' descriptors' addresses mixed as they were pushed. Copied with the list
    /// (as the rules copy their sets of reasons made once).
    sig: u32,
}

/// Equal when they hold the same reasons in the same order.
impl PartialEq for Reasons {
    fn eq(&self, other: &Reasons) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Reasons {}

impl std::hash::Hash for Reasons {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl Reasons {
    /// The most reason codes a program may declare (checked when a rule is registered), and
    /// so the most one decision can carry.
    pub const CAPACITY: usize = 8;

    /// No reasons.
    pub const fn new() -> Reasons {
        Reasons {
            items: [Reason::NOT_IN_FORCE; Reasons::CAPACITY],
            len: 0,
            sig: 0,
        }
    }

    /// `not_in_force`, alone.
    pub const fn not_in_force() -> Reasons {
        Reasons {
            items: [Reason::NOT_IN_FORCE; Reasons::CAPACITY],
            len: 1,
            // Numbered (odd): set number 0, kept for it (a copy is told from any other list
            // by this alone, and an address cannot be read when compiling).
            sig: 1,
        }
    }

    /// Removes every reason (the slots keep their old values, which mean nothing: a reused
    /// list is emptied with one store). Only tests reuse a list now: a decision's reasons
    /// are written into a new one.
    #[cfg(test)]
    pub(crate) fn clear(&mut self) {
        self.len = 0;
        self.sig = 0;
    }

    /// Adds a reason; one already present is not repeated. A program declares at most
    /// [`Reasons::CAPACITY`] distinct reasons, so none is lost.
    pub fn push(&mut self, reason: Reason) {
        if self.iter().any(|r| r == reason) {
            return;
        }
        if let Some(slot) = self.items.get_mut(self.len as usize) {
            *slot = reason;
            self.len = self.len.saturating_add(1);
            // The low 32 bits of the address: the descriptors of a program's reasons lie
            // within a few KiB of each other, so they differ there. Even: a list pushed to
            // is no numbered set's copy (any more).
            let addr = std::ptr::from_ref(reason.0) as usize as u32;
            self.sig = (self.sig.rotate_left(7) ^ addr) & !1;
        }
    }

    /// Numbers `sets`, lists made once and never changed after (a rule's sets of reasons,
    /// [`crate::rules::common::ReasonSets`]): each gets an odd key of its own, unique in the
    /// process, which its copies carry, so that [`Reasons::same_as`] tells a copy of one
    /// from any other list by the key alone. Numbers are never reused; should they run out
    /// (2³¹ of them), the sets keep their keys as pushed.
    pub(crate) fn number(sets: &mut [Reasons]) {
        use std::sync::atomic::{AtomicU32, Ordering};
        /// The next number (0 is [`Reasons::not_in_force`]'s).
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let Ok(n) = u32::try_from(sets.len()) else {
            return;
        };
        let taken = NEXT.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |next| {
            next.checked_add(n).filter(|&end| end <= 1 << 31)
        });
        if let Ok(first) = taken {
            for (set, number) in sets.iter_mut().zip(first..) {
                set.sig = number.wrapping_shl(1) | 1;
            }
        }
    }

    /// Adds `reason` when `unmet` is true.
    #[inline]
    pub fn check(&mut self, unmet: bool, reason: Reason) {
        if unmet {
            self.push(reason);
        }
    }

    /// The reasons, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Reason> + '_ {
        self.as_slice().iter().copied()
    }

    /// The reasons as a slice.
    pub fn as_slice(&self) -> &[Reason] {
        // The count is never above the capacity: said with `min`, the slice needs no
        // fallback (a `get` that might fail picked one with two conditional moves).
        let n = (self.len as usize).min(Reasons::CAPACITY);
        self.items.get(..n).unwrap_or(&[])
    }

    /// Number of reasons.
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// `true` when every condition is met.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `true` when both are copies of one numbered set ([`Reasons::number`]: the same odd
    /// key, which no other list has), or both have the same even key and hold the very same
    /// descriptors (by address), in the same order: a quick test that implies equality.
    /// Equal lists made apart (from two sets, or a set and pushes) may be told apart, as may
    /// equal codes at two addresses: a cache then holds an entry for each.
    #[inline]
    pub(crate) fn same_as(&self, other: &Reasons) -> bool {
        self.sig == other.sig
            && (self.sig & 1 == 1
                || self.len == other.len
                    && (self.as_slice().iter())
                        .zip(other.as_slice())
                        .all(|(a, b)| std::ptr::eq(a.0, b.0)))
    }

    /// The key of the list (for [`Reasons::same_as`] caches). A numbered set's copy has the
    /// set's own odd key ([`Reasons::number`]; [`Reasons::not_in_force`] is set 0). Any
    /// other list has a key of the descriptors' addresses, made as the reasons were pushed:
    /// each address's low 32 bits, in order, the key so far turned by 7 bits before each,
    /// the lowest bit cleared; 0 for no reasons. The same list pushed the same way has the
    /// same key; different lists may share an even one, so a cache tells them apart with
    /// `same_as`. Not mixed: a cache takes the bits it needs (the payouts row cache takes
    /// those above the lowest, a numbered set's number), or mixes it first.
    #[inline]
    pub(crate) fn identity(&self) -> u64 {
        u64::from(self.sig)
    }

    /// The reasons in words, joined with `；` (zh) or `; ` (en).
    pub fn render(&self, lang: Lang) -> String {
        let sep = lang.pick("；", "; ");
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

schema_as!(Program, "Program", {
    "type": "string",
    "description": "A program's code (transport_subsidy, ...)",
});

schema_as!(Reasons, "Reasons", {
    "type": "array",
    "items": {"type": "string"},
    "description": "Every unmet condition's code, in the rule's order",
});

impl Serialize for Reasons {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// A named value: `cap 500.00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// One step of an amount's computation, with its operands and exact result. Steps are
/// recorded by [`crate::calc::Exact`] as a rule's amount is evaluated: never written by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Step {
    /// `min(value, limit) = result`.
    Min {
        /// The value.
        value: Quantity,
        /// The limit.
        limit: Quantity,
        /// The smaller.
        result: Quantity,
    },
    /// `lhs × rhs = result`.
    Product {
        /// Left factor.
        lhs: Quantity,
        /// Right factor.
        rhs: Quantity,
        /// Exact product.
        result: Quantity,
    },
    /// `a + b (+ …) = result`.
    Sum {
        /// The terms.
        terms: Vec<Quantity>,
        /// Exact sum.
        result: Quantity,
    },
    /// An amount taken as it is (a fixed grant): `grant 5000.00`.
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

/// The operation at which a rule's amount stopped fitting exact arithmetic (a value too
/// large, or with too many decimals), with its operands, each named: what an error shows
/// so that the record's value at fault can be found (`prior_year_ui_paid` is the column of
/// that name). Recorded by [`crate::calc::Exact`]: never written by hand.
///
/// ```
/// use jiuye_fupin::Lang;
/// use jiuye_fupin::decision::{Label, Operation, Quantity, Term};
/// use rust_decimal::Decimal;
///
/// const RATE: Term = Term::new(&Label { code: "refund_rate", zh: "返还比例", en: "refund rate" });
/// const PAID: Term = Term::new(&Label {
///     code: "prior_year_ui_paid",
///     zh: "上年度实际缴费",
///     en: "prior-year UI paid",
/// });
/// let op = Operation::Product {
///     lhs: Quantity::new(RATE, Decimal::new(6, 1)),
///     rhs: Quantity::new(PAID, Decimal::MAX),
/// };
/// assert_eq!(
///     op.render(Lang::En).to_string(),
///     "refund rate (refund_rate) 0.6 × prior-year UI paid (prior_year_ui_paid) 79228162514264337593543950335"
/// );
/// assert!(op.render(Lang::Zh).to_string().starts_with("返还比例 (refund_rate) 0.6 × 上年度实际缴费"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Operation {
    /// `lhs × rhs`.
    Product {
        /// Left factor.
        lhs: Quantity,
        /// Right factor.
        rhs: Quantity,
    },
    /// `a + b (+ …)`.
    Sum {
        /// The terms.
        terms: Vec<Quantity>,
    },
}

impl Operation {
    /// The operation as text, each operand with its label, its code and its value.
    pub fn render(&self, lang: Lang) -> impl fmt::Display + '_ {
        Unfit::text(self, &[], lang)
    }

    /// The operands, in order.
    fn operands(&self) -> Vec<&Quantity> {
        match self {
            Operation::Product { lhs, rhs } => vec![lhs, rhs],
            Operation::Sum { terms } => terms.iter().collect(),
        }
    }
}

/// Where a rule's amount stopped fitting exact arithmetic: the [`Operation`], and every
/// value the amount was given up to it (the record's fields, named by their columns, and
/// the parameters), so that the value at fault can be found even when the operation's
/// operands were computed from it. Recorded by [`crate::calc::Exact`].
///
/// ```
/// use jiuye_fupin::Lang;
/// use jiuye_fupin::decision::{Label, Operation, Quantity, Term, Unfit};
/// use rust_decimal::Decimal;
///
/// const WAGE: Term = Term::new(&Label { code: "monthly_wage", zh: "月工资", en: "monthly wage" });
/// const MONTHS: Term = Term::new(&Label { code: "months_paid", zh: "发放月数", en: "months paid" });
/// let (wage, months) = (Quantity::new(WAGE, Decimal::MAX), Quantity::new(MONTHS, 12));
/// let product = Quantity::new(Term::AMOUNT, Decimal::MAX);
/// let unfit = Unfit {
///     operation: Operation::Product { lhs: product, rhs: months },
///     inputs: vec![wage, months],
/// };
/// assert_eq!(
///     unfit.render(Lang::En).to_string(),
///     "amount (amount) 79228162514264337593543950335 × months paid (months_paid) 12; \
///      values given: monthly wage (monthly_wage) 79228162514264337593543950335"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unfit {
    /// The operation that did not fit.
    pub operation: Operation,
    /// Every value the amount was given up to it, in order.
    pub inputs: Vec<Quantity>,
}

impl Unfit {
    /// The operation as [`Operation::render`] shows it, then the values given that are not
    /// among its operands (those an operand was computed from).
    pub fn render(&self, lang: Lang) -> impl fmt::Display + '_ {
        Unfit::text(&self.operation, &self.inputs, lang)
    }

    fn text<'a>(op: &'a Operation, inputs: &'a [Quantity], lang: Lang) -> UnfitText<'a> {
        UnfitText { op, inputs, lang }
    }
}

struct UnfitText<'a> {
    op: &'a Operation,
    inputs: &'a [Quantity],
    lang: Lang,
}

impl fmt::Display for UnfitText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let named = |q: &Quantity| {
            format!(
                "{} ({}) {}",
                q.term.text(self.lang),
                q.term.code(),
                shown(q.value)
            )
        };
        let operands = self.op.operands();
        let sign = match self.op {
            Operation::Product { .. } => " × ",
            Operation::Sum { .. } => " + ",
        };
        let texts: Vec<String> = operands.iter().map(|q| named(q)).collect();
        f.write_str(&texts.join(sign))?;
        let others: Vec<String> = (self.inputs.iter())
            .filter(|q| !operands.contains(q))
            .map(named)
            .collect();
        if !others.is_empty() {
            let l = self.lang;
            let (head, comma) = (
                l.pick("；所给数值：", "; values given: "),
                l.pick("、", ", "),
            );
            write!(f, "{head}{}", others.join(comma))?;
        }
        Ok(())
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
        // An amount is money: two decimals at least (`= 140.00`), as a result and as an
        // operand of the next step alike (`800.00 + 金额 200.00`, not `金额 200`).
        let value = |q: &Quantity| {
            if q.term == Term::AMOUNT {
                crate::money::cents_at_least(shown(q.value))
            } else {
                shown(q.value)
            }
        };
        let value_of = |q: &Quantity| value(q);
        let q = |q: &Quantity| format!("{} {}", q.term.text(l), value(q));
        let result = |r: &Quantity| {
            if r.term == Term::AMOUNT {
                value(r).to_string()
            } else {
                q(r)
            }
        };
        match self.step {
            Step::Min {
                value,
                limit,
                result: r,
            } => write!(f, "min({}, {}) = {}", q(value), q(limit), value_of(r)),
            Step::Product {
                lhs,
                rhs,
                result: r,
            } => {
                write!(f, "{} × {} = {}", q(lhs), q(rhs), result(r))
            }
            Step::Sum { terms, result: r } => {
                let terms: Vec<String> = terms.iter().map(q).collect();
                write!(f, "{} = {}", terms.join(" + "), result(r))
            }
            Step::Fixed { amount } => f.write_str(&q(amount)),
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
        /// Every unmet condition, in the rule's order.
        reasons: Reasons,
    },
}

/// A parameter's value in force on a decision's date, with its `source` note from the
/// policy file: what an auditor checks a figure against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParamNote {
    /// The parameter's name in the rule's table (`cap`).
    pub name: &'static str,
    /// Its value, as written in the policy file.
    pub value: String,
    /// The first day of the entry in force.
    pub effective_from: NaiveDate,
    /// The entry's `source` note, if any.
    pub source: Option<String>,
}

impl fmt::Display for ParamNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} = {} (from {}",
            self.name, self.value, self.effective_from
        )?;
        if let Some(s) = &self.source {
            write!(f, "; {s}")?;
        }
        f.write_str(")")
    }
}

/// One program's decision on one subject, with its explanation.
///
/// `'r` is the lifetime of the roster the subject comes from and of the engine that decided
/// it: the decision borrows the subject's id, the citation and the parameters in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision<'r> {
    /// The program.
    pub program: Program,
    /// The subject's id (laborer, enterprise, post, loan applicant or center).
    pub subject_id: &'r str,
    /// The date that selected the parameters (the record's own date, else the as-of date).
    pub date: NaiveDate,
    /// Eligible with an amount, or ineligible with reasons.
    pub outcome: Outcome,
    /// How the amount was computed (empty for an ineligible subject, or when the engine
    /// runs without explanations).
    pub steps: Vec<Step>,
    /// The clause applied, as stated in the deciding policy.
    pub citation: &'r Citation,
    /// The rule's parameters in force on `date`, with their source notes (empty when the
    /// rule is not in force then).
    pub parameters: &'r [ParamNote],
}

impl<'r> Decision<'r> {
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

    /// The whole decision as readable text: program, subject, result, steps, parameters
    /// and citation.
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
        // An eligible decision's parameters; a repealed one's repealing entry of `in_effect`
        // (its date and source: what an auditor is shown instead of an amount).
        let repealed = d.reasons() == Reasons::not_in_force();
        if (d.is_eligible() || repealed) && !d.parameters.is_empty() {
            let notes: Vec<String> = d.parameters.iter().map(ToString::to_string).collect();
            write!(
                f,
                "\n    {} {}",
                l.pick("参数:", "parameters:"),
                notes.join(", ")
            )?;
        }
        write!(f, "\n    {} {}", l.pick("依据", "per"), d.citation)
    }
}
