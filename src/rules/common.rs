//! Reason codes and terms that several built-in rules share.

use crate::decision::{Label, Reason, Term};

/// R1, R2: not a registered poor laborer (建档立卡).
pub const NOT_POOR: Reason = Reason::new(&Label {
    code: "not_poor",
    zh: "非建档立卡贫困劳动力",
    en: "not a registered poor laborer",
});

/// R1, R2, R3 (and R6 where a county sets a window): the rule's date is outside the window.
pub const OUTSIDE_WINDOW: Reason = Reason::new(&Label {
    code: "outside_window",
    zh: "不在政策执行期内",
    en: "outside the policy window",
});

/// A cap.
pub const CAP: Term = Term::new(&Label {
    code: "cap",
    zh: "上限",
    en: "cap",
});
