//! A rule's amount, written once: small exact combinators over named quantities.
//!
//! A rule writes its amount as one generic function over a [`Calc`]
//! (`c.min(cost, cap)`, `c.mul(rate, base)`, `c.sum(term, &[a, b, c])`). The engine runs
//! that one definition two ways:
//!
//! - [`Exact`]: `Decimal` arithmetic that is exact or an overflow error, recording every
//!   operation as a [`Step`] of the explanation when asked;
//! - [`Fast`]: integers in units of 10⁻⁴ yuan (`i128`), for bulk runs without steps. It
//!   gives up (and the engine takes [`Exact`]) as soon as an operand or an intermediate
//!   leaves the domain where it provably agrees with [`Exact`]: inputs with more than 4
//!   decimals, rates with more than 20, numerators of 10²⁷ or more.
//!
//! Both round once, at the end, to the fen, half away from zero; both report `capped` when a
//! `min` cut its first operand. No rule keeps a second copy of its arithmetic.
//!
//! ```
//! use jiuye_fupin::calc::{Calc, Exact, Fast};
//! use jiuye_fupin::decision::{Label, Term};
//! use jiuye_fupin::money::Yuan;
//!
//! const COST: Term = Term::new(&Label { code: "cost", zh: "交通费", en: "cost" });
//! const CAP: Term = Term::new(&Label { code: "cap", zh: "上限", en: "cap" });
//! fn amount<C: Calc>(c: &mut C, cost: Yuan, cap: Yuan) -> C::V {
//!     let (cost, cap) = (c.money(COST, cost), c.money(CAP, cap));
//!     c.min(cost, cap)
//! }
//! let (cost, cap) = (Yuan::parse("523.40")?, Yuan::parse("500")?);
//! let mut exact = Exact::explaining();
//! let v = amount(&mut exact, cost, cap);
//! let (paid, capped, steps) = exact.finish(v)?;
//! let mut fast = Fast::default();
//! let v = amount(&mut fast, cost, cap);
//! assert_eq!(fast.finish(v), Some((paid, capped)));
//! assert_eq!((paid.to_string(), capped, steps.len()), ("500.00".into(), true, 1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use rust_decimal::Decimal;

use crate::decision::{Lang, Operation, Quantity, Step, Term, Unfit};
use crate::money::{MoneyError, Rate, Yuan, exact_add, exact_mul, fast};

/// The combinators a rule's amount is written with. `V` is a value of the calculation:
/// a named exact decimal ([`Exact`]) or an integer numerator ([`Fast`]).
pub trait Calc {
    /// A value.
    type V: Copy;
    /// An amount of money, named.
    fn money(&mut self, term: Term, y: Yuan) -> Self::V;
    /// A rate, named.
    fn rate(&mut self, term: Term, r: Rate) -> Self::V;
    /// A count (days, months, people), named.
    fn count(&mut self, term: Term, n: u32) -> Self::V;
    /// The smaller of `value` and `limit`, named as `value`; the amount is `capped` when
    /// `limit` cut it.
    fn min(&mut self, value: Self::V, limit: Self::V) -> Self::V;
    /// The exact product, named [`Term::AMOUNT`] until [`Calc::named`].
    fn mul(&mut self, lhs: Self::V, rhs: Self::V) -> Self::V;
    /// The exact sum of `terms`, named `term`.
    fn sum(&mut self, term: Term, terms: &[Self::V]) -> Self::V;
    /// The same value under another name (`months deferred` for `min(requested, 6)`).
    fn named(&mut self, term: Term, v: Self::V) -> Self::V;
}

/// Exact `Decimal` arithmetic, with the explanation's steps when asked.
#[derive(Debug, Default)]
pub struct Exact {
    steps: Option<Vec<Step>>,
    /// Every value given (`money`, `rate`, `count`: the record's and the parameters'), in
    /// order, for an error to name.
    inputs: Vec<Quantity>,
    capped: bool,
    /// The first operation that did not fit.
    error: Option<CalcError>,
}

/// An amount that does not fit exact arithmetic: the cause, and the operation where it
/// stopped, with its operands named (the record's value at fault among them).
///
/// ```
/// use jiuye_fupin::calc::{Calc, Exact};
/// use jiuye_fupin::decision::{Label, Term};
/// use jiuye_fupin::money::Yuan;
///
/// const PAID: Term = Term::new(&Label { code: "paid", zh: "缴费", en: "paid" });
/// const MONTHS: Term = Term::new(&Label { code: "months", zh: "月数", en: "months" });
/// let mut exact = Exact::new();
/// let paid = exact.money(PAID, Yuan::parse("79228162514264337593543950335")?);
/// let months = exact.count(MONTHS, 2);
/// let v = exact.mul(paid, months);
/// let e = exact.finish(v).unwrap_err();
/// assert_eq!(
///     e.to_string(),
///     "amount too large, or with too many decimals, for exact arithmetic: \
///      paid (paid) 79228162514264337593543950335 × months (months) 2"
/// );
/// assert_eq!(e.unfit.inputs.len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source}: {}", unfit.render(Lang::En))]
pub struct CalcError {
    /// The cause.
    pub source: MoneyError,
    /// The operation that did not fit, and every value given up to it.
    pub unfit: Unfit,
}

impl Exact {
    /// Without steps.
    pub fn new() -> Exact {
        Exact::default()
    }

    /// Recording every step.
    pub fn explaining() -> Exact {
        Exact {
            steps: Some(Vec::new()),
            ..Exact::default()
        }
    }

    fn step(&mut self, step: impl FnOnce() -> Step) {
        if let Some(steps) = &mut self.steps {
            steps.push(step());
        }
    }

    /// A value given, noted.
    fn input(&mut self, q: Quantity) -> Quantity {
        self.inputs.push(q);
        q
    }

    /// Notes the first operation that did not fit (`operation` is made only then).
    fn fail(&mut self, source: MoneyError, operation: impl FnOnce() -> Operation) -> Decimal {
        if self.error.is_none() {
            self.error = Some(CalcError {
                source,
                unfit: Unfit {
                    operation: operation(),
                    inputs: self.inputs.clone(),
                },
            });
        }
        Decimal::ZERO
    }

    /// The amount rounded once to the fen, whether a limit cut it, and the steps (the
    /// rounding among them when it changed the value; a bare value as one step).
    ///
    /// # Errors
    /// [`CalcError`] ([`MoneyError::Overflow`]) when an operation did not fit exactly: the
    /// first that did not, with its operands.
    pub fn finish(mut self, v: Quantity) -> Result<(Yuan, bool, Vec<Step>), CalcError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let amount = Yuan::round_to_fen(v.value);
        if let Some(steps) = &mut self.steps {
            if steps.is_empty() {
                steps.push(Step::Fixed { amount: v });
            }
            if amount.as_decimal() != v.value {
                steps.push(Step::Round {
                    exact: v.value,
                    result: amount,
                });
            }
        }
        Ok((amount, self.capped, self.steps.unwrap_or_default()))
    }
}

impl Calc for Exact {
    type V = Quantity;

    fn money(&mut self, term: Term, y: Yuan) -> Quantity {
        // Shown as money is written (`交通费 500.00` whether typed `500` or `500.00`).
        self.input(Quantity::new(
            term,
            crate::money::cents_at_least(y.as_decimal()),
        ))
    }

    fn rate(&mut self, term: Term, r: Rate) -> Quantity {
        self.input(Quantity::new(term, r.as_decimal()))
    }

    fn count(&mut self, term: Term, n: u32) -> Quantity {
        self.input(Quantity::new(term, n))
    }

    fn min(&mut self, value: Quantity, limit: Quantity) -> Quantity {
        let cut = value.value > limit.value;
        self.capped |= cut;
        let result = Quantity::new(value.term, if cut { limit.value } else { value.value });
        self.step(|| Step::Min {
            value,
            limit,
            result,
        });
        result
    }

    fn mul(&mut self, lhs: Quantity, rhs: Quantity) -> Quantity {
        let value = exact_mul(lhs.value, rhs.value)
            .unwrap_or_else(|e| self.fail(e, || Operation::Product { lhs, rhs }));
        let result = Quantity::new(Term::AMOUNT, value);
        self.step(|| Step::Product { lhs, rhs, result });
        result
    }

    fn sum(&mut self, term: Term, terms: &[Quantity]) -> Quantity {
        let mut total = Decimal::ZERO;
        for t in terms {
            total = exact_add(total, t.value).unwrap_or_else(|e| {
                self.fail(e, || Operation::Sum {
                    terms: terms.to_vec(),
                })
            });
        }
        let result = Quantity::new(term, total);
        self.step(|| Step::Sum {
            terms: terms.to_vec(),
            result,
        });
        result
    }

    fn named(&mut self, term: Term, v: Quantity) -> Quantity {
        Quantity::new(term, v.value)
    }
}

/// A value of [`Fast`]: `num × 10^-scale`, or nothing once it left the exact domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fx(Option<(i128, u32)>);

/// Exact integer arithmetic for bulk runs (see the module's documentation).
#[derive(Debug, Default)]
pub struct Fast {
    capped: bool,
}

impl Fast {
    /// The amount rounded once to the fen and whether a limit cut it; `None` when the
    /// calculation left the domain where it agrees with [`Exact`] (use [`Exact`] then).
    pub fn finish(self, v: Fx) -> Option<(Yuan, bool)> {
        let (num, scale) = v.0?;
        let (num, scale) = if scale < 2 {
            (
                fast::mul(num, fast::pow10(2_u32.saturating_sub(scale))?)?,
                2,
            )
        } else {
            (num, scale)
        };
        Some((fast::round(num, scale)?, self.capped))
    }
}

/// `(a, b)` brought to one scale.
#[inline]
fn align(a: (i128, u32), b: (i128, u32)) -> Option<(i128, i128, u32)> {
    let s = a.1.max(b.1);
    let widen = |(n, k): (i128, u32)| fast::mul(n, fast::pow10(s.checked_sub(k)?)?);
    Some((widen(a)?, widen(b)?, s))
}

impl Calc for Fast {
    type V = Fx;

    #[inline]
    fn money(&mut self, _: Term, y: Yuan) -> Fx {
        Fx(fast::units(y).map(|n| (n, fast::SCALE)))
    }

    #[inline]
    fn rate(&mut self, _: Term, r: Rate) -> Fx {
        Fx(fast::rate(r))
    }

    #[inline]
    fn count(&mut self, _: Term, n: u32) -> Fx {
        Fx(Some((i128::from(n), 0)))
    }

    #[inline]
    fn min(&mut self, value: Fx, limit: Fx) -> Fx {
        let (Some(v), Some(l)) = (value.0, limit.0) else {
            return Fx(None);
        };
        let Some((a, b, s)) = align(v, l) else {
            return Fx(None);
        };
        self.capped |= a > b;
        Fx(Some((a.min(b), s)))
    }

    #[inline]
    fn mul(&mut self, lhs: Fx, rhs: Fx) -> Fx {
        Fx(lhs.0.zip(rhs.0).and_then(|((a, s), (b, t))| {
            let scale = s.checked_add(t).filter(|&k| k <= 28)?;
            Some((fast::mul(a, b)?, scale))
        }))
    }

    #[inline]
    fn sum(&mut self, _: Term, terms: &[Fx]) -> Fx {
        let mut acc = Some((0_i128, 0_u32));
        for t in terms {
            acc = acc.zip(t.0).and_then(|(a, b)| {
                let (x, y, s) = align(a, b)?;
                let sum = x.checked_add(y).filter(|n| (0..fast::LIMIT).contains(n))?;
                Some((sum, s))
            });
        }
        Fx(acc)
    }

    #[inline]
    fn named(&mut self, _: Term, v: Fx) -> Fx {
        v
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::*;
    use crate::decision::Label;

    const T: Term = Term::new(&Label {
        code: "t",
        zh: "t",
        en: "t",
    });

    /// Money of any size and up to 6 decimals (beyond the fast domain too), ties included.
    fn money() -> impl Strategy<Value = Yuan> {
        prop_oneof![
            (0i64..100_000_000, 0u32..=6),
            (0i64..i64::MAX, 0u32..=6),
            (0i64..1000, 0u32..=4).prop_map(|(n, s)| (n * 10 + 5, s + 1)),
        ]
        .prop_map(|(m, s)| Yuan::new(Decimal::new(m, s)).unwrap())
    }

    fn rate() -> impl Strategy<Value = Rate> {
        (0i64..=1_000_000, 0u32..=24)
            .prop_filter_map("a rate", |(m, s)| Rate::new(Decimal::new(m, s.max(6))).ok())
    }

    /// One expression shaped like every built-in amount: `rate × min(a + b, cap) × n`.
    fn amount<C: Calc>(c: &mut C, (a, b, cap, r, n): (Yuan, Yuan, Yuan, Rate, u32)) -> C::V {
        let (a, b) = (c.money(T, a), c.money(T, b));
        let sum = c.sum(T, &[a, b]);
        let cap = c.money(T, cap);
        let capped = c.min(sum, cap);
        let rate = c.rate(T, r);
        let share = c.mul(rate, capped);
        let n = c.count(T, n);
        c.mul(share, n)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Where the integer path answers, it answers exactly as the exact path.
        #[test]
        fn fast_agrees_with_exact_wherever_it_answers(
            ops in (money(), money(), money(), rate(), 0u32..100),
        ) {
            let mut exact = Exact::new();
            let v = amount(&mut exact, ops);
            let want = exact.finish(v);
            let mut fast = Fast::default();
            let v = amount(&mut fast, ops);
            if let Some(got) = fast.finish(v) {
                let (paid, capped, _) = want.unwrap();
                prop_assert_eq!(got, (paid, capped));
            }
        }
    }

    /// A `min` whose value is an amount (a product) shows its result with the fen, as the
    /// product above it does: `min(金额 3000.00, 上限 20000.00) = 3000.00`, not `= 3000`.
    #[test]
    fn a_min_of_an_amount_shows_its_result_with_the_fen() {
        const CAP: Term = Term::new(&Label {
            code: "cap",
            zh: "上限",
            en: "cap",
        });
        let mut e = Exact::explaining();
        let n = e.count(T, 10);
        let per = e.money(T, Yuan::parse("300").unwrap());
        let x = e.mul(n, per);
        let cap = e.money(CAP, Yuan::parse("20000").unwrap());
        let v = e.min(x, cap);
        let (paid, capped, steps) = e.finish(v).unwrap();
        assert_eq!((paid.to_string().as_str(), capped), ("3000.00", false));
        let shown: Vec<String> = steps
            .iter()
            .map(|s| s.render(crate::Lang::Zh).to_string())
            .collect();
        assert_eq!(
            shown,
            [
                "t 10 × t 300.00 = 3000.00",
                "min(金额 3000.00, 上限 20000.00) = 3000.00"
            ]
        );
    }

    #[test]
    fn ties_round_half_away_from_zero_on_both_paths() {
        for (a, want) in [
            ("0.005", "0.01"),
            ("0.004", "0.00"),
            ("7407.405", "7407.41"),
        ] {
            let y = Yuan::parse(a).unwrap();
            let mut f = Fast::default();
            let v = f.money(T, y);
            assert_eq!(f.finish(v).unwrap().0.to_string(), want);
            let mut e = Exact::new();
            let v = e.money(T, y);
            assert_eq!(e.finish(v).unwrap().0.to_string(), want);
        }
    }

    #[test]
    fn an_operation_that_does_not_fit_is_the_first_and_names_every_value_given() {
        const BIG: Term = Term::new(&Label {
            code: "big",
            zh: "大",
            en: "big",
        });
        let big = Yuan::parse("79228162514264337593543950335").unwrap();
        // A sum that does not fit, then a product of its (meaningless) result: the sum is
        // the error, with the values given before it, and not those given after it.
        let mut e = Exact::explaining();
        let (a, b) = (e.money(BIG, big), e.money(T, Yuan::parse("1").unwrap()));
        let total = e.sum(Term::AMOUNT, &[a, b]);
        let n = e.count(T, 3);
        let v = e.mul(total, n);
        let err = e.finish(v).unwrap_err();
        assert_eq!(err.source, MoneyError::Overflow);
        assert_eq!(err.unfit.operation, Operation::Sum { terms: vec![a, b] });
        assert_eq!(err.unfit.inputs, vec![a, b]);
        // Its operands are every value given, so none is listed again after them.
        assert_eq!(
            err.to_string(),
            "amount too large, or with too many decimals, for exact arithmetic: \
             big (big) 79228162514264337593543950335 + t (t) 1.00"
        );
        // A product of a value computed from others names those others too, in Chinese
        // as in English.
        let mut e = Exact::new();
        let half = Yuan::parse("39614081257132168796771975167").unwrap();
        let (x, y) = (e.count(T, 1), e.money(BIG, half));
        let product = e.mul(x, y);
        let n = e.count(T, 4);
        let v = e.mul(product, n);
        let err = e.finish(v).unwrap_err();
        assert_eq!(
            err.unfit.render(Lang::Zh).to_string(),
            "金额 (amount) 39614081257132168796771975167 × t (t) 4；所给数值：\
             t (t) 1、大 (big) 39614081257132168796771975167"
        );
    }
}
