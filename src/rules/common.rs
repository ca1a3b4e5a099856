//! Reason codes and terms that several built-in rules share.

use crate::decision::{Label, Reason, Reasons, Term};

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

/// The reasons of a rule's conditions, in the order it checks them, with every set of them
/// made once: [`Unmet`] writes a decision's reasons with one copy, not a push (and its scan
/// for a repeat) for each unmet condition. At most five conditions.
pub(crate) struct ReasonSets {
    order: Vec<Reason>,
    /// Bit `i` of the index: `order[i]` is unmet.
    sets: [Reasons; 32],
}

/// The conditions' reasons in order (the sets are made of them).
impl std::fmt::Debug for ReasonSets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.order).finish()
    }
}

impl ReasonSets {
    /// The sets of `order` (at most five reasons, distinct). Each set is numbered
    /// ([`Reasons::number`]): its copies, a decision's reasons, are told from any other
    /// list by their key alone.
    ///
    /// # Panics
    /// With more than five reasons.
    pub(crate) fn new(order: &[Reason]) -> ReasonSets {
        assert!(order.len() <= 5, "at most five conditions");
        let mut sets = std::array::from_fn(|bits| {
            let mut set = Reasons::new();
            let mut bit = 1_usize;
            for &reason in order {
                set.check(bits & bit != 0, reason);
                bit = bit.wrapping_shl(1);
            }
            set
        });
        Reasons::number(&mut sets);
        ReasonSets {
            order: order.to_vec(),
            sets,
        }
    }

    /// An empty record of unmet conditions, to check in the order of the sets.
    #[inline]
    pub(crate) fn start(&self) -> Unmet<'_> {
        Unmet {
            sets: self,
            bits: 0,
            next: 0,
        }
    }
}

/// The conditions a rule has checked so far, as bits (see [`ReasonSets`]).
pub(crate) struct Unmet<'s> {
    sets: &'s ReasonSets,
    bits: usize,
    next: u32,
}

impl Unmet<'_> {
    /// Notes whether the next condition, `reason`, is unmet. The conditions are checked in
    /// the order of the sets (a debug build checks that `reason` is the next one).
    #[inline]
    pub(crate) fn check(&mut self, unmet: bool, reason: Reason) {
        debug_assert!(
            self.sets.order.get(self.next as usize) == Some(&reason),
            "{reason} checked out of order"
        );
        self.bits |= usize::from(unmet).wrapping_shl(self.next);
        self.next = self.next.wrapping_add(1);
    }

    /// Adds the unmet conditions' reasons to `r`, in order (one copy when `r` is empty, as
    /// a decision's reasons are).
    #[inline]
    pub(crate) fn into_reasons(self, r: &mut Reasons) {
        let Some(set) = self.sets.sets.get(self.bits) else {
            return;
        };
        if r.is_empty() {
            *r = *set;
        } else {
            push_all(r, set);
        }
    }
}

/// `set`'s reasons added to `r` one by one (out of [`Unmet::into_reasons`]'s way: a
/// decision's reasons start empty).
#[cold]
#[inline(never)]
fn push_all(r: &mut Reasons, set: &Reasons) {
    for reason in set.iter() {
        r.push(reason);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Reason = Reason::new(&Label {
        code: "a",
        zh: "甲",
        en: "a",
    });
    const B: Reason = Reason::new(&Label {
        code: "b",
        zh: "乙",
        en: "b",
    });

    /// Every set of unmet conditions gives the reasons that `Reasons::check`, one by one,
    /// gives: the same, in the same order.
    #[test]
    fn sets_are_the_checks_one_by_one() {
        let order = [NOT_POOR, A, B, OUTSIDE_WINDOW];
        let sets = ReasonSets::new(&order);
        for bits in 0..16_usize {
            let unmet = |i: usize| bits >> i & 1 == 1;
            let mut u = sets.start();
            let mut expected = Reasons::new();
            for (i, &reason) in order.iter().enumerate() {
                u.check(unmet(i), reason);
                expected.check(unmet(i), reason);
            }
            let mut got = Reasons::new();
            u.into_reasons(&mut got);
            assert_eq!(got, expected, "bits {bits:04b}");
        }
    }

    /// Into reasons that already hold some, the unmet conditions' reasons are added after
    /// them, a repeat left out (as `Reasons::push` does).
    #[test]
    fn into_reasons_adds_to_what_is_there() {
        let sets = ReasonSets::new(&[NOT_POOR, A, B]);
        let mut u = sets.start();
        u.check(true, NOT_POOR);
        u.check(false, A);
        u.check(true, B);
        let mut r = Reasons::new();
        r.push(B);
        u.into_reasons(&mut r);
        assert_eq!(r.to_string(), "b;not_poor");
    }

    #[test]
    #[should_panic(expected = "at most five")]
    fn six_conditions_are_refused() {
        let _ = ReasonSets::new(&[NOT_POOR, A, B, OUTSIDE_WINDOW, NOT_POOR, A]);
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "checked out of order")]
    fn a_condition_out_of_order_is_caught() {
        let sets = ReasonSets::new(&[NOT_POOR, A]);
        let mut u = sets.start();
        u.check(true, A);
    }
}
