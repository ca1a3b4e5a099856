//! Typed cells from bytes: the one set of cell parsers of every reader (an empty cell is
//! "none"; booleans `true`/`false` in any case; dates `YYYY-MM-DD`; money plain decimals;
//! counts whole numbers ≥ 0), without allocating. Numbers and dates typed with a Chinese
//! input method (full-width digits, point and minus: `１２３．５０`) read as their ASCII
//! forms; that costs nothing on the usual ASCII cell, since it is tried only when the ASCII
//! reading fails.

// The hot loop of the one reader: the same justified exception as `crate::batch` to the
// crate's `arithmetic_side_effects` and `indexing_slicing` denials (positions and lengths
// within a chunk held in memory, digits of a bounded cell; see `batch`'s note).
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::io::Problem;
use crate::model::Coded;
use crate::money::Yuan;

/// `true`/`false` (any case); empty is `false`.
#[inline(always)]
pub(crate) fn boolean(s: &[u8]) -> Result<bool, Problem> {
    match s {
        b"" | b"false" => Ok(false),
        b"true" => Ok(true),
        b if b.eq_ignore_ascii_case(b"true") => Ok(true),
        b if b.eq_ignore_ascii_case(b"false") => Ok(false),
        _ => Err(Problem::BadBool),
    }
}

/// One of an enum's codes; empty is the enum's default.
#[inline]
pub(crate) fn code<T: Coded + Default>(s: &[u8]) -> Result<T, Problem> {
    if s.is_empty() {
        return Ok(T::default());
    }
    (T::CODES.iter().zip(T::VALUES))
        .find_map(|(c, v)| (c.as_bytes() == s).then_some(*v))
        .ok_or(Problem::UnknownValue { expected: T::CODES })
}

/// `s` with full-width digits, point and minus as ASCII, when it has any non-ASCII byte.
fn half_width(s: &[u8]) -> Option<Cow<'_, [u8]>> {
    if s.is_ascii() {
        return None;
    }
    let text = std::str::from_utf8(s).ok()?;
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => {
                let digit = u32::from(c).saturating_sub(u32::from('０'));
                char::from_digit(digit, 10).unwrap_or(c)
            }
            '．' => '.',
            '－' => '-',
            _ => c,
        })
        .collect();
    Some(Cow::Owned(mapped.into_bytes()))
}

/// `read(s)`, or, if that fails and `s` is not ASCII, `read` of its half-width form.
#[inline(always)]
fn numeric<T>(s: &[u8], read: impl Fn(&[u8]) -> Result<T, Problem>) -> Result<T, Problem> {
    match read(s) {
        Ok(v) => Ok(v),
        Err(e) => match half_width(s) {
            Some(h) => read(&h),
            None => Err(e),
        },
    }
}

/// A whole number ≥ 0 that fits a `u32`; empty is 0.
#[inline(always)]
pub(crate) fn count(s: &[u8]) -> Result<u32, Problem> {
    numeric(s, count_ascii)
}

#[inline(always)]
fn count_ascii(s: &[u8]) -> Result<u32, Problem> {
    let mut v: u32 = 0;
    for &b in s {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return Err(Problem::BadCount);
        }
        v = (v.checked_mul(10))
            .and_then(|v| v.checked_add(u32::from(digit)))
            .ok_or_else(|| too_large_or_bad(s))?;
    }
    Ok(v)
}

/// Why digits did not make a count: all digits (too large) or not.
#[cold]
fn too_large_or_bad(s: &[u8]) -> Problem {
    if s.iter().all(u8::is_ascii_digit) {
        Problem::CountTooLarge
    } else {
        Problem::BadCount
    }
}

/// A plain non-negative decimal, exactly as [`Yuan::parse`] reads it; empty is `None`.
///
/// Digits with an optional decimal point and up to 19 digits in all are read here, into
/// the same `Decimal` (mantissa and scale) that `Yuan::parse` gives; anything else (a
/// sign, more digits, an error) goes through `Yuan::parse` itself.
#[inline]
pub(crate) fn money(b: &[u8]) -> Result<Option<Yuan>, Problem> {
    numeric(b, money_ascii)
}

#[inline]
fn money_ascii(b: &[u8]) -> Result<Option<Yuan>, Problem> {
    if b.is_empty() {
        return Ok(None);
    }
    let (mut mantissa, mut digits, mut scale, mut point) = (0u64, 0u32, 0u32, false);
    let mut plain = b.len() <= 20;
    for &c in b {
        if c == b'.' && !point {
            point = true;
            continue;
        }
        let digit = c.wrapping_sub(b'0');
        if digit > 9 || digits == 19 {
            plain = false;
            break;
        }
        mantissa = mantissa * 10 + u64::from(digit);
        digits += 1;
        scale += u32::from(point);
    }
    let ends_well =
        b.first().is_some_and(u8::is_ascii_digit) && b.last().is_some_and(u8::is_ascii_digit);
    if plain && ends_well {
        let d = Decimal::from_i128_with_scale(i128::from(mantissa), scale);
        return Yuan::new(d).map(Some).map_err(Problem::BadAmount);
    }
    let s = String::from_utf8_lossy(b);
    Yuan::parse(&s).map(Some).map_err(Problem::BadAmount)
}

/// Dates `YYYY-MM-DD`, remembered: a roster has a few hundred distinct dates, and building a
/// `NaiveDate` costs more than looking one up.
pub(crate) struct Dates {
    keys: Vec<u32>,
    values: Vec<Option<NaiveDate>>,
}

const DATE_SLOTS: usize = 2048;

impl Default for Dates {
    fn default() -> Self {
        Dates {
            keys: vec![0; DATE_SLOTS],
            values: vec![None; DATE_SLOTS],
        }
    }
}

impl Dates {
    /// A real calendar date written `YYYY-MM-DD`; empty is `None`.
    #[inline(always)]
    pub(crate) fn get(&mut self, s: &[u8]) -> Result<Option<NaiveDate>, Problem> {
        match self.get_ascii(s) {
            Err(e) => match half_width(s) {
                Some(h) => self.get_ascii(&h),
                None => Err(e),
            },
            ok => ok,
        }
    }

    #[inline(always)]
    fn get_ascii(&mut self, s: &[u8]) -> Result<Option<NaiveDate>, Problem> {
        if s.is_empty() {
            return Ok(None);
        }
        let n = crate::io::iso_date_digits(s).ok_or(Problem::BadDate)?;
        // n is YYYYMMDD; keys hold n + 1 so that 0 is an empty slot.
        let slot = ((n ^ (n >> 11)) as usize) % DATE_SLOTS;
        if self.keys.get(slot) == Some(&(n + 1)) {
            if let Some(&Some(d)) = self.values.get(slot) {
                return Ok(Some(d));
            }
        }
        let date = crate::io::date_of(n).ok_or(Problem::BadDate)?;
        if let (Some(k), Some(v)) = (self.keys.get_mut(slot), self.values.get_mut(slot)) {
            (*k, *v) = (n + 1, Some(date));
        }
        Ok(Some(date))
    }
}

/// A year of four digits; empty is none.
pub(crate) fn year(s: &[u8]) -> Result<Option<i32>, Problem> {
    numeric(s, |s| {
        if s.is_empty() {
            return Ok(None);
        }
        if s.len() != 4 || !s.iter().all(u8::is_ascii_digit) {
            return Err(Problem::BadYear);
        }
        let y = count_ascii(s).map_err(|_| Problem::BadYear)?;
        i32::try_from(y).map(Some).map_err(|_| Problem::BadYear)
    })
}

/// A month `YYYY-MM`, required.
pub(crate) fn month(s: &[u8]) -> Result<crate::model::YearMonth, Problem> {
    if s.is_empty() {
        return Err(Problem::Empty);
    }
    numeric(s, |s| {
        std::str::from_utf8(s)
            .ok()
            .and_then(|t| t.parse().ok())
            .ok_or(Problem::BadMonth)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_exactly_what_yuan_parse_reads() {
        for s in [
            "0",
            "500",
            "500.00",
            "500.005",
            "0.0001",
            "12345.675",
            "0500",
            "1234567890123456789",
            "12345678901234567890",
            "1.5",
            "-0",
            "-0.00",
            "-3.00",
            ".5",
            "5.",
            "1e3",
            "+5",
            "1,000",
            "1.2.3",
            "abc",
            "123456789012345678901234567890",
            "0.00000000000000000001",
        ] {
            let want = Yuan::parse(s);
            let got = money(s.as_bytes());
            match (want, got) {
                (Ok(w), Ok(Some(g))) => {
                    assert_eq!(w.as_decimal().mantissa(), g.as_decimal().mantissa(), "{s}");
                    assert_eq!(w.as_decimal().scale(), g.as_decimal().scale(), "{s}");
                }
                (Err(w), Err(Problem::BadAmount(g))) => assert_eq!(w, g, "{s}"),
                (w, g) => panic!("{s}: {w:?} vs {g:?}"),
            }
        }
    }

    #[test]
    fn dates_are_real_iso_dates_remembered_or_not() {
        let mut dates = Dates::default();
        for _ in 0..2 {
            assert_eq!(
                dates.get(b"2020-02-29"),
                Ok(NaiveDate::from_ymd_opt(2020, 2, 29))
            );
            for bad in [
                "2020-02-30",
                "2019-02-29",
                "2020-2-3",
                "2020/02/03",
                "20200203",
                "2020-13-01",
                "+202-01-01",
                "2020-00-10",
            ] {
                assert_eq!(dates.get(bad.as_bytes()), Err(Problem::BadDate), "{bad}");
            }
        }
        assert_eq!(dates.get(b""), Ok(None));
    }

    #[test]
    fn counts_booleans_and_codes_read_as_the_csv_reader_reads_them() {
        assert_eq!(count(b""), Ok(0));
        assert_eq!(count(b"0042"), Ok(42));
        assert_eq!(count(b"4294967295"), Ok(u32::MAX));
        assert_eq!(count(b"4294967296"), Err(Problem::CountTooLarge));
        assert_eq!(count(b"-1"), Err(Problem::BadCount));
        assert_eq!(count(b"1.0"), Err(Problem::BadCount));
        assert_eq!(boolean(b"TRUE"), Ok(true));
        assert_eq!(boolean(b"False"), Ok(false));
        assert_eq!(boolean(b"yes"), Err(Problem::BadBool));
        assert_eq!(
            code::<crate::model::PovertyStatus>(b"poor"),
            Err(Problem::UnknownValue {
                expected: &["remaining_poor", "lifted", "none"]
            })
        );
    }
}
