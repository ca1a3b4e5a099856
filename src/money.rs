//! Exact money: [`Yuan`] amounts and [`Rate`]s over [`rust_decimal::Decimal`].
//!
//! No float ever touches money. Arithmetic is exact (it refuses rather than rounds when a
//! result would not fit), and a computed amount is rounded **once**, at the end of its rule,
//! to 0.01 yuan (分), half away from zero (四舍五入), by [`Yuan::round_to_fen`]: the only
//! rounding in the crate.
//!
//! | exact | paid | note |
//! |---|---|---|
//! | `7407.405` | `7407.41` | POLICY.md's example: half away from zero (banker's rounding gives 7407.40) |
//! | `30.005` | `30.01` | a tie rounds up |
//! | `0.004` | `0.00` | |
//!
//! ```
//! use jiuye_fupin::money::{Rate, Yuan};
//!
//! let paid = Yuan::parse("12345.675")?;
//! let rate = Rate::parse("0.60")?;
//! let exact = rate.of(paid)?;
//! assert_eq!(exact.to_string(), "7407.4050");
//! assert_eq!(Yuan::round_to_fen(exact).to_string(), "7407.41");
//! # Ok::<(), jiuye_fupin::money::MoneyError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a string or a decimal is not a valid amount or rate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// Not a plain decimal number (`123`, `123.45`): signs, exponents, thousands separators
    /// and empty strings are refused.
    #[error(
        "{0:?} is not a decimal amount (expected digits with an optional decimal point, like 1234.50)"
    )]
    NotANumber(String),
    /// A negative amount where amounts cannot be negative.
    #[error("{0:?} is negative")]
    Negative(String),
    /// More digits than exact decimal arithmetic can hold (28 significant digits).
    #[error("{0:?} has too many digits for exact arithmetic")]
    TooLarge(String),
    /// A rate outside `0..=1`.
    #[error("rate {0} is outside 0..=1")]
    RateOutOfRange(Decimal),
    /// An intermediate result that does not fit exactly in a `Decimal` (too large, or with
    /// more decimals than 28 significant digits hold).
    #[error("amount too large, or with too many decimals, for exact arithmetic")]
    Overflow,
}

impl MoneyError {
    /// The problem in `lang`.
    ///
    /// ```
    /// use jiuye_fupin::money::{MoneyError, Yuan};
    /// use jiuye_fupin::Lang;
    /// let e = Yuan::parse("-5").unwrap_err();
    /// assert_eq!(e.render(Lang::Zh), "\"-5\" 为负数");
    /// assert_eq!(e.render(Lang::En), "\"-5\" is negative");
    /// ```
    pub fn render(&self, lang: crate::Lang) -> String {
        match (lang, self) {
            (crate::Lang::En, e) => e.to_string(),
            (crate::Lang::Zh, MoneyError::NotANumber(s)) => {
                format!("{s:?} 不是金额 (应为数字，可带小数点，如 1234.50)")
            }
            (crate::Lang::Zh, MoneyError::Negative(s)) => format!("{s:?} 为负数"),
            (crate::Lang::Zh, MoneyError::TooLarge(s)) => {
                format!("{s:?} 有效数字超过 28 位，无法精确计算")
            }
            (crate::Lang::Zh, MoneyError::RateOutOfRange(r)) => format!("比率 {r} 不在 0..=1 之内"),
            (crate::Lang::Zh, MoneyError::Overflow) => {
                "金额过大或小数位过多，超出精确运算的范围".to_owned()
            }
        }
    }
}

/// A non-negative amount of money in yuan (元), exact to any number of decimals.
///
/// Inputs keep the decimals they were written with (`12345.675`); amounts computed by a rule
/// have exactly two ([`Yuan::round_to_fen`]). Shown with two decimals at least (`500` is
/// `500.00`). Serializes as a string (`"500.00"`); a JSON or TOML float is refused on
/// input, so no amount ever passes through `f64`.
///
/// ```
/// use jiuye_fupin::money::Yuan;
///
/// let cost = Yuan::parse("523.40")?;
/// assert_eq!(cost.min(Yuan::parse("500")?).to_string(), "500.00");
/// assert_eq!(Yuan::parse("12345.675")?.to_string(), "12345.675");
/// assert!(Yuan::parse("-3.00").is_err());
/// assert!(Yuan::parse("1e3").is_err());
/// # Ok::<(), jiuye_fupin::money::MoneyError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Yuan(Decimal);

impl Yuan {
    /// Zero yuan, `0.00`.
    pub const ZERO: Yuan = Yuan(Decimal::from_parts(0, 0, 0, false, 2));

    /// A whole number of fen (0.01 yuan): `Yuan::from_fen(50_000)` is `500.00`.
    ///
    /// ```
    /// assert_eq!(jiuye_fupin::money::Yuan::from_fen(50_012).to_string(), "500.12");
    /// ```
    pub const fn from_fen(fen: u32) -> Yuan {
        Yuan(Decimal::from_parts(fen, 0, 0, false, 2))
    }

    /// `mantissa` × 10^−`scale`, as [`Yuan::parse`] reads its digits with `scale` of them
    /// after the point (`50000, 2` is `500.00`); `None` when `scale` is more than a
    /// `Decimal` holds (28). For the one reader's fast path (`io::cells::plain_money`).
    #[inline(always)]
    pub(crate) const fn from_digits(mantissa: u32, scale: u32) -> Option<Yuan> {
        if scale > Decimal::MAX_SCALE {
            return None;
        }
        Some(Yuan(Decimal::from_parts(mantissa, 0, 0, false, scale)))
    }

    /// An amount from a decimal.
    ///
    /// # Errors
    /// [`MoneyError::Negative`] if `value < 0`.
    ///
    /// ```
    /// use jiuye_fupin::money::Yuan;
    /// use rust_decimal::Decimal;
    /// assert!(Yuan::new(Decimal::new(-1, 2)).is_err());
    /// assert_eq!(Yuan::new(Decimal::new(1999, 2))?.to_string(), "19.99");
    /// # Ok::<(), jiuye_fupin::money::MoneyError>(())
    /// ```
    pub fn new(value: Decimal) -> Result<Yuan, MoneyError> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(MoneyError::Negative(value.to_string()));
        }
        Ok(Yuan(value))
    }

    /// Parses a plain decimal string exactly (`"500"`, `"12345.675"`), never rounding.
    ///
    /// # Errors
    /// [`MoneyError::Negative`] for `"-3"`, [`MoneyError::NotANumber`] for anything that is
    /// not digits with an optional decimal point, [`MoneyError::TooLarge`] beyond 28 digits.
    ///
    /// ```
    /// use jiuye_fupin::money::{MoneyError, Yuan};
    /// assert_eq!(Yuan::parse("0.005")?.to_string(), "0.005");
    /// assert!(matches!(Yuan::parse("-1"), Err(MoneyError::Negative(_))));
    /// assert!(matches!(Yuan::parse("1,000"), Err(MoneyError::NotANumber(_))));
    /// # Ok::<(), MoneyError>(())
    /// ```
    pub fn parse(s: &str) -> Result<Yuan, MoneyError> {
        parse_plain_decimal(s).map(Yuan)
    }

    /// Rounds an exact computed amount to the fen, half away from zero (四舍五入), and gives it
    /// exactly two decimals. This is the crate's only rounding: every rule calls it once, on
    /// its final amount.
    ///
    /// ```
    /// use jiuye_fupin::money::Yuan;
    /// use rust_decimal::Decimal;
    /// assert_eq!(Yuan::round_to_fen(Decimal::new(7_407_405, 3)).to_string(), "7407.41");
    /// assert_eq!(Yuan::round_to_fen(Decimal::new(3_000_5, 3)).to_string(), "30.01");
    /// assert_eq!(Yuan::round_to_fen(Decimal::new(4, 3)).to_string(), "0.00");
    /// assert_eq!(Yuan::round_to_fen(Decimal::new(500, 0)).to_string(), "500.00");
    /// ```
    ///
    /// # Panics
    /// Never: a negative input (which no rule produces) is clamped to zero.
    pub fn round_to_fen(exact: Decimal) -> Yuan {
        let mut d = exact.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        if d.is_sign_negative() {
            d = Decimal::ZERO;
        }
        d.rescale(2);
        Yuan(d)
    }

    /// The exact decimal value.
    pub const fn as_decimal(self) -> Decimal {
        self.0
    }

    /// The smaller of two amounts.
    pub fn min(self, other: Yuan) -> Yuan {
        if other.0 < self.0 { other } else { self }
    }

    /// `true` for 0 (with any number of decimals).
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// Exact sum of two amounts.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] when the sum does not fit exactly.
    pub fn checked_add(self, other: Yuan) -> Result<Yuan, MoneyError> {
        exact_add(self.0, other.0).map(Yuan)
    }
}

impl fmt::Display for Yuan {
    /// At least two decimals, as money is written (`1500` read from a workbook's number
    /// cell shows as `1500.00`); more when the value has them (`500.005`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&cents_at_least(self.0), f)
    }
}

/// `d` written with at least two decimals (the same value: `1500` is `1500.00`); as it is
/// when it has two or more, or when the two cannot be added within `Decimal`'s 28 digits.
pub(crate) fn cents_at_least(d: Decimal) -> Decimal {
    if d.scale() >= 2 {
        return d;
    }
    let widened = (d.mantissa())
        .checked_mul(if d.scale() == 1 { 10 } else { 100 })
        .and_then(|m| Decimal::try_from_i128_with_scale(m, 2).ok());
    widened.unwrap_or(d)
}

impl FromStr for Yuan {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Yuan::parse(s)
    }
}

schema_as!(Yuan, "Yuan", {
    "type": "string",
    "pattern": "^[0-9]+(\\.[0-9]+)?$",
    "description": "An amount in yuan, exact, as a string (computed amounts have two decimals: \"500.00\"); never a JSON number",
    "examples": ["500.00"],
});

impl Serialize for Yuan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Yuan {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Yuan::parse(&s).map_err(crate::problem::raise)
    }
}

/// A rate between 0 and 1 inclusive (`0.60` is 60%), exact.
///
/// ```
/// use jiuye_fupin::money::{Rate, Yuan};
/// let rate = Rate::parse("0.6")?;
/// assert_eq!(rate.to_string(), "0.6");
/// assert!(Rate::parse("1.5").is_err());
/// assert_eq!(rate.of(Yuan::parse("1000.01")?)?.to_string(), "600.006");
/// # Ok::<(), jiuye_fupin::money::MoneyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(Decimal);

impl Rate {
    /// A rate from a decimal.
    ///
    /// # Errors
    /// [`MoneyError::RateOutOfRange`] unless `0 <= value <= 1`.
    pub fn new(value: Decimal) -> Result<Rate, MoneyError> {
        if value.is_sign_negative() && !value.is_zero() || value > Decimal::ONE {
            return Err(MoneyError::RateOutOfRange(value));
        }
        Ok(Rate(value.normalize()))
    }

    /// Parses a rate written as a plain decimal (`"0.055"`).
    ///
    /// # Errors
    /// As [`Yuan::parse`], and [`MoneyError::RateOutOfRange`] above 1.
    pub fn parse(s: &str) -> Result<Rate, MoneyError> {
        Rate::new(parse_plain_decimal(s)?)
    }

    /// The exact decimal value.
    pub const fn as_decimal(self) -> Decimal {
        self.0
    }

    /// `rate × amount`, exact (not rounded).
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] when the product does not fit exactly.
    pub fn of(self, amount: Yuan) -> Result<Decimal, MoneyError> {
        exact_mul(self.0, amount.0)
    }

    /// `true` when `part ≤ rate × whole`, compared exactly (`11 ≤ 0.055 × 200`).
    ///
    /// ```
    /// use jiuye_fupin::money::Rate;
    /// let r = Rate::parse("0.055")?;
    /// assert!(r.admits(11, 200));
    /// assert!(!r.admits(12, 200));
    /// assert!(r.admits(0, 0));
    /// # Ok::<(), jiuye_fupin::money::MoneyError>(())
    /// ```
    pub fn admits(self, part: u32, whole: u32) -> bool {
        // part ≤ (m / 10^s) × whole  ⇔  part × 10^s ≤ m × whole, in i128. Neither side can
        // overflow: a rate ≤ 1 has s ≤ 28 and m ≤ 10^28, and part, whole < 2^32, so both
        // products stay below 10^28 × 2^32 < 2^127. The checks only make that explicit.
        let m = self.0.mantissa();
        let lhs = 10_i128
            .checked_pow(self.0.scale())
            .and_then(|p| p.checked_mul(i128::from(part)));
        let rhs = m.checked_mul(i128::from(whole));
        matches!((lhs, rhs), (Some(l), Some(r)) if l <= r)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Rate::parse(&s).map_err(crate::problem::raise)
    }
}

/// Exact product of two decimals, or `Overflow` if it does not fit in a `Decimal` exactly.
///
/// `Decimal`'s own `*` silently drops digits when a product has more than 28 decimals or
/// 96 bits; this multiplies the integer mantissas instead, so the result is exact or refused.
///
/// ```
/// use jiuye_fupin::money::exact_mul;
/// use rust_decimal::Decimal;
/// assert_eq!(exact_mul(Decimal::new(6, 1), Decimal::new(12_345_675, 3))?, Decimal::new(74_074_050, 4));
/// assert!(exact_mul(Decimal::MAX, Decimal::TWO).is_err());
/// # Ok::<(), jiuye_fupin::money::MoneyError>(())
/// ```
///
/// # Errors
/// [`MoneyError::Overflow`].
pub fn exact_mul(a: Decimal, b: Decimal) -> Result<Decimal, MoneyError> {
    let (a, b) = (a.normalize(), b.normalize());
    let m = a
        .mantissa()
        .checked_mul(b.mantissa())
        .ok_or(MoneyError::Overflow)?;
    let scale = a
        .scale()
        .checked_add(b.scale())
        .ok_or(MoneyError::Overflow)?;
    Decimal::try_from_i128_with_scale(m, scale).map_err(|_| MoneyError::Overflow)
}

/// Exact sum of two decimals, or `Overflow` if it does not fit in a `Decimal` exactly.
///
/// # Errors
/// [`MoneyError::Overflow`].
pub fn exact_add(a: Decimal, b: Decimal) -> Result<Decimal, MoneyError> {
    if a.scale() == b.scale() {
        // The common case (two amounts in fen): no widening needed.
        let m = (a.mantissa())
            .checked_add(b.mantissa())
            .ok_or(MoneyError::Overflow)?;
        return Decimal::try_from_i128_with_scale(m, a.scale()).map_err(|_| MoneyError::Overflow);
    }
    let s = a.scale().max(b.scale());
    let widen = |d: Decimal| {
        10_i128
            .checked_pow(s.saturating_sub(d.scale()))
            .and_then(|p| d.mantissa().checked_mul(p))
    };
    let m = widen(a)
        .zip(widen(b))
        .and_then(|(x, y)| x.checked_add(y))
        .ok_or(MoneyError::Overflow)?;
    Decimal::try_from_i128_with_scale(m, s).map_err(|_| MoneyError::Overflow)
}

/// Integer arithmetic for the fast path: amounts in units of 10⁻⁴ yuan, in `i128`.
///
/// Every operation here is exact and returns `None` rather than leave the domain where it
/// provably agrees with the `Decimal` path: inputs with at most 4 decimals and a mantissa
/// below 10¹⁸, rates with at most [`fast::MAX_RATE_SCALE`] decimals, and every intermediate
/// numerator below [`fast::LIMIT`] (10²⁷, under `Decimal`'s 96-bit mantissa, so the
/// `Decimal` path can neither overflow nor lose a digit on the same operands). Each rule's
/// `outcome_fen` uses these, and falls back to its `decide` on `None`; the property tests
/// of `rules::fast_tests` compare the two on random operands, ties and huge values included.
pub(crate) mod fast {
    use super::{Rate, Yuan};
    use rust_decimal::Decimal;

    /// Decimals of a unit: amounts are counted in 10⁻⁴ yuan.
    pub const SCALE: u32 = 4;
    /// Largest rate scale handled (so that `SCALE + rate scale` stays within `Decimal`'s 28).
    pub const MAX_RATE_SCALE: u32 = 20;
    /// Bound on every numerator: 10²⁷ < 2⁹⁶.
    pub const LIMIT: i128 = 1_000_000_000_000_000_000_000_000_000;
    const MAX_MANTISSA: i128 = 1_000_000_000_000_000_000;

    /// `y` in units of 10⁻⁴ yuan, if it has at most 4 decimals and a mantissa below 10¹⁸.
    #[inline]
    pub fn units(y: Yuan) -> Option<i128> {
        let d = y.as_decimal();
        let scale = d.scale();
        let m = d.mantissa();
        if scale > SCALE || !(0..MAX_MANTISSA).contains(&m) {
            return None;
        }
        m.checked_mul(pow10(SCALE.checked_sub(scale)?)?)
    }

    /// A rate as `(mantissa, scale)`: `0.6` is `(6, 1)`.
    #[inline]
    pub fn rate(r: Rate) -> Option<(i128, u32)> {
        let d = r.as_decimal();
        (d.scale() <= MAX_RATE_SCALE).then(|| (d.mantissa(), d.scale()))
    }

    /// `a × b`, if the product stays below [`LIMIT`].
    #[inline]
    pub fn mul(a: i128, b: i128) -> Option<i128> {
        a.checked_mul(b).filter(|p| (0..LIMIT).contains(p))
    }

    /// `10^n` for `n ≤ 38`; `None` above.
    #[inline]
    pub const fn pow10(n: u32) -> Option<i128> {
        10_i128.checked_pow(n)
    }

    /// `num × 10^-scale` yuan (`num ≥ 0`, `2 ≤ scale ≤ 28`), rounded once to the fen, half
    /// away from zero: what [`Yuan::round_to_fen`] gives for the same exact value.
    #[inline]
    pub fn round(num: i128, scale: u32) -> Option<Yuan> {
        if !(0..LIMIT).contains(&num) || !(2..=28).contains(&scale) {
            return None;
        }
        let den = pow10(scale.checked_sub(2)?)?;
        let fen = num.checked_add(den.checked_div(2)?)?.checked_div(den)?;
        Decimal::try_from_i128_with_scale(fen, 2).ok().map(Yuan)
    }
}

impl Yuan {
    /// The whole number of fen, when the amount is written with exactly two decimals (as
    /// every amount a rule computes is); `None` otherwise.
    ///
    /// ```
    /// use jiuye_fupin::money::Yuan;
    /// assert_eq!(Yuan::parse("7407.41")?.fen(), Some(740_741));
    /// assert_eq!(Yuan::parse("0.005")?.fen(), None);
    /// # Ok::<(), jiuye_fupin::money::MoneyError>(())
    /// ```
    pub fn fen(self) -> Option<i128> {
        (self.0.scale() == 2).then(|| self.0.mantissa())
    }

    /// An amount of `fen` fen, with two decimals.
    ///
    /// # Errors
    /// [`MoneyError::Negative`] below zero, [`MoneyError::Overflow`] beyond 96 bits.
    ///
    /// ```
    /// use jiuye_fupin::money::Yuan;
    /// assert_eq!(Yuan::try_from_fen(740_741)?.to_string(), "7407.41");
    /// # Ok::<(), jiuye_fupin::money::MoneyError>(())
    /// ```
    pub fn try_from_fen(fen: i128) -> Result<Yuan, MoneyError> {
        let d = Decimal::try_from_i128_with_scale(fen, 2).map_err(|_| MoneyError::Overflow)?;
        Yuan::new(d)
    }
}

/// `digits [ "." digits ]`, exactly, with no sign, exponent or separators.
fn parse_plain_decimal(s: &str) -> Result<Decimal, MoneyError> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let plain = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(body.contains('.') && frac.is_empty());
    if !plain {
        return Err(MoneyError::NotANumber(s.to_owned()));
    }
    // Zeros at the end of the decimals change no value: when the written scale is more than
    // a `Decimal` holds (28), `0.00500000000000000000000000000` is read as `0.005`.
    let d = Decimal::from_str_exact(s)
        .or_else(|e| match s.trim_end_matches('0').trim_end_matches('.') {
            t if body.contains('.') && t.len() < s.len() => Decimal::from_str_exact(t),
            _ => Err(e),
        })
        .map_err(|_| MoneyError::TooLarge(s.to_owned()))?;
    if s.starts_with('-') && !d.is_zero() {
        return Err(MoneyError::Negative(s.to_owned()));
    }
    Ok(d.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn zeros_after_the_last_decimal_never_make_an_amount_too_large() {
        let long = format!("0.005{}", "0".repeat(26));
        assert_eq!(Yuan::parse(&long).unwrap().as_decimal(), d("0.005"));
        let whole = format!("100.{}", "0".repeat(30));
        assert_eq!(Yuan::parse(&whole).unwrap().as_decimal(), d("100"));
        // Significant digits beyond what a Decimal holds are refused, and said so.
        let digits = format!("0.{}1", "0".repeat(30));
        let e = Yuan::parse(&digits).unwrap_err();
        assert!(matches!(e, MoneyError::TooLarge(_)), "{e}");
    }

    #[test]
    fn rounding_is_half_away_from_zero_to_two_decimals() {
        for (exact, paid) in [
            ("7407.405", "7407.41"),
            ("30.005", "30.01"),
            ("123.445", "123.45"),
            ("480.045", "480.05"),
            ("500.005", "500.01"),
            ("0.005", "0.01"),
            ("0.004", "0.00"),
            ("0.0049999", "0.00"),
            ("499.995", "500.00"),
            ("1043.875", "1043.88"),
            ("140", "140.00"),
            ("0", "0.00"),
        ] {
            assert_eq!(Yuan::round_to_fen(d(exact)).to_string(), paid, "{exact}");
        }
    }

    #[test]
    fn parsing_refuses_what_is_not_a_plain_non_negative_decimal() {
        for bad in [
            "", ".5", "5.", "1e3", "+5", "1,000", " 5", "abc", "--1", "1.2.3",
        ] {
            assert!(
                matches!(Yuan::parse(bad), Err(MoneyError::NotANumber(_))),
                "{bad}"
            );
        }
        assert!(matches!(Yuan::parse("-0.01"), Err(MoneyError::Negative(_))));
        assert_eq!(Yuan::parse("-0").unwrap(), Yuan::parse("0").unwrap());
        assert!(matches!(
            Yuan::parse("123456789012345678901234567890"),
            Err(MoneyError::TooLarge(_))
        ));
        assert_eq!(Yuan::parse("0.0001").unwrap().to_string(), "0.0001");
    }

    #[test]
    fn exact_arithmetic_refuses_instead_of_rounding() {
        let tiny = d("0.0000000000000000000000000001");
        assert!(exact_mul(tiny, tiny).is_err());
        assert_eq!(exact_mul(d("0.5"), d("1000.01")).unwrap(), d("500.005"));
        assert!(exact_add(Decimal::MAX, Decimal::ONE).is_err());
        assert_eq!(exact_add(d("1000.125"), d("31.25")).unwrap(), d("1031.375"));
    }

    #[test]
    fn the_tiniest_and_largest_rates_compare_without_overflow() {
        let tiny = Rate::parse("0.0000000000000000000000000001").unwrap();
        assert!(!tiny.admits(1, u32::MAX));
        assert!(tiny.admits(0, u32::MAX));
        let one = Rate::parse("1").unwrap();
        assert!(one.admits(u32::MAX, u32::MAX));
        assert!(!one.admits(u32::MAX, u32::MAX - 1));
    }

    #[test]
    fn yuan_parses_through_from_str() {
        // Shown as money is written: two decimals at least, more when it has them.
        assert_eq!("12.5".parse::<Yuan>().unwrap().to_string(), "12.50");
        assert_eq!("1500".parse::<Yuan>().unwrap().to_string(), "1500.00");
        assert_eq!("500.005".parse::<Yuan>().unwrap().to_string(), "500.005");
        assert!("-1".parse::<Yuan>().is_err());
    }

    #[test]
    fn rates_compare_exactly() {
        let r = Rate::parse("0.055").unwrap();
        assert!(r.admits(55, 1000));
        assert!(!r.admits(56, 1000));
        let small = Rate::parse("0.2").unwrap();
        assert!(small.admits(6, 30));
        assert!(!small.admits(7, 30));
        assert!(small.admits(1, 5));
        assert!(Rate::parse("1").is_ok());
        assert!(Rate::parse("1.0001").is_err());
    }

    #[test]
    fn serde_uses_strings() {
        let y: Yuan = toml_value("\"12.345\"");
        assert_eq!(y.to_string(), "12.345");
        assert!(toml::from_str::<Wrap>("v = 12.5").is_err());
    }

    #[derive(Deserialize)]
    struct Wrap {
        #[allow(dead_code)]
        v: Yuan,
    }

    fn toml_value(v: &str) -> Yuan {
        #[derive(Deserialize)]
        struct W {
            v: Yuan,
        }
        toml::from_str::<W>(&format!("v = {v}")).unwrap().v
    }
}
