//! Typed cells from bytes: the one set of cell parsers of every reader (an empty cell is
//! "none"; booleans `true`/`false` in any case; dates `YYYY-MM-DD`; money plain decimals;
//! counts whole numbers ≥ 0), without allocating. Numbers and dates typed with a Chinese
//! input method (full-width digits, point and minus: `１２３．５０`) read as their ASCII
//! forms; that costs nothing on the usual ASCII cell, since it is tried only when the ASCII
//! reading fails.
//!
//! With [`super::ReadOptions::clerk_formats`], dates, money and counts may also be written
//! as Excel and WPS write them (`2020/3/1`, `2020年3月1日`, `"1,234.50"`, `¥500`), read by
//! [`clerk_date`], [`clerk_money`] and [`clerk_count`] — again only once the strict reading
//! has failed, so that a strict cell reads identically, at the same cost, either way.

// The hot loop of the one reader: the same justified exception as `crate::batch` to the
// crate's `arithmetic_side_effects` and `indexing_slicing` denials (positions and lengths
// within a chunk held in memory, digits of a bounded cell; see `batch`'s note).
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::io::{Ambiguity, Problem};
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

/// `true` or `false` as the files write them, or empty: what [`boolean`] reads of such a
/// cell, with no trim (there is nothing to trim); `None` for any other cell. Compared as
/// whole words in memory (a `match` on the patterns compares byte by byte).
#[inline(always)]
pub(crate) fn plain_boolean(s: &[u8]) -> Option<bool> {
    // `false` as its first and its last four bytes (two compares of a 32-bit word in memory
    // with a constant), where `s == b"false"` joins its five bytes into one register first.
    let false_ =
        s.len() == 5 && s.first_chunk() == Some(b"fals") && s.last_chunk() == Some(b"alse");
    if s == b"true" {
        Some(true)
    } else if false_ || s.is_empty() {
        Some(false)
    } else {
        None
    }
}

/// One of an enum's codes; empty is the enum's default.
#[inline]
pub(crate) fn code<T: Coded + Default>(s: &[u8]) -> Result<T, Problem> {
    // A `match`, not `ok_or`: the problem is built only for a cell that has none of the
    // codes (built eagerly, it was built and dropped for every cell: 1% of a run).
    match plain_code(s) {
        Some(v) => Ok(v),
        None => Err(Problem::UnknownValue { expected: T::CODES }),
    }
}

/// What [`code`] reads of a cell that is empty or one of the codes (which have no white
/// space at either end, so such a cell has nothing to trim); `None` for any other cell.
#[inline(always)]
pub(crate) fn plain_code<T: Coded + Default>(s: &[u8]) -> Option<T> {
    if s.is_empty() {
        return Some(T::default());
    }
    (T::CODES.iter().zip(T::VALUES)).find_map(|(c, v)| (c.as_bytes() == s).then_some(*v))
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

/// What [`count`] reads of a cell of ASCII digits or empty (nothing to trim); `None` for
/// any other cell.
#[inline(always)]
pub(crate) fn plain_count(s: &[u8]) -> Option<u32> {
    count_ascii(s).ok()
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

/// `s` as text for the clerk forms: its half-width form, when it has full-width digits.
#[cold]
fn clerk_text(s: &[u8]) -> Option<String> {
    match half_width(s) {
        Some(h) => String::from_utf8(h.into_owned()).ok(),
        None => std::str::from_utf8(s).ok().map(str::to_owned),
    }
}

/// `s` without its thousands separators, when it has any and is otherwise made of digits,
/// a point and a minus: `Some(Err(..))` when they are not in groups of three from the
/// point (`1,23.4`), `None` when `s` has no separator or other characters.
fn ungrouped(s: &str) -> Option<Result<String, Problem>> {
    if !s.contains(',') || !s.bytes().all(|b| b.is_ascii_digit() || b",.-".contains(&b)) {
        return None;
    }
    let body = s.strip_prefix('-').unwrap_or(s);
    let int = body.split_once('.').map_or(body, |(int, _)| int);
    let mut groups = int.split(',');
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    let rest_ok = groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    let frac_ok = !body.split_once('.').is_some_and(|(_, f)| f.contains(','));
    if first_ok && rest_ok && frac_ok {
        Some(Ok(s.replace(',', "")))
    } else {
        Some(Err(Problem::Ambiguous(Ambiguity::Grouping)))
    }
}

/// Money as a clerk's spreadsheet writes it: thousands separators in groups of three
/// (`1,234.50`), a leading `¥` or `￥` (`¥500`, `￥1,234.50`). `None` when `s` is in no such
/// form (the strict reading's problem stands).
pub(crate) fn clerk_money(s: &[u8]) -> Option<Result<Option<Yuan>, Problem>> {
    let text = clerk_text(s)?;
    let (yen, body) = match text.strip_prefix('¥').or_else(|| text.strip_prefix('￥')) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text.as_str()),
    };
    match ungrouped(body) {
        Some(Ok(plain)) => Some(money_ascii(plain.as_bytes())),
        Some(Err(e)) => Some(Err(e)),
        None if yen && !body.is_empty() => Some(money_ascii(body.as_bytes())),
        None => None,
    }
}

/// A count as a clerk's spreadsheet writes it: thousands separators in groups of three
/// (`12,345`). `None` when `s` is in no such form.
pub(crate) fn clerk_count(s: &[u8]) -> Option<Result<u32, Problem>> {
    let text = clerk_text(s)?;
    match ungrouped(&text)? {
        Ok(plain) => Some(count_ascii(plain.as_bytes())),
        Err(e) => Some(Err(e)),
    }
}

/// `Some` of the digits' value when `s` is 1 to `max` ASCII digits.
fn digits(s: &str, max: usize) -> Option<u32> {
    if s.is_empty() || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `true` when `t` is a midnight time as Excel writes it (`0:00`, `00:00:00`); `Some` of
/// that when `t` is a time `H:MM` or `H:MM:SS` at all.
fn midnight(t: &str) -> Option<bool> {
    let mut parts = t.split(':');
    let h = digits(parts.next()?, 2)?;
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() || rest.len() > 2 || rest.iter().any(|p| p.len() != 2) {
        return None;
    }
    let mut zero = h == 0;
    for p in rest {
        zero &= digits(p, 2)? == 0;
    }
    Some(zero)
}

/// A date as a clerk's spreadsheet writes it: `2020/3/1`, `2020-3-1`, `2020.3.1` or
/// `2020年3月1日`, the year first, optionally followed by a midnight time (` 0:00`,
/// ` 00:00:00`). `None` when `s` is in no such form; `Some(Err(..))` for a form that is one
/// but cannot be read for sure (the year last, a time of day) or a date that does not exist.
pub(crate) fn clerk_date(s: &[u8]) -> Option<Result<NaiveDate, Problem>> {
    let text = clerk_text(s)?;
    let (date, time) = match text.split_once(' ') {
        Some((d, t)) => (d.trim_end(), Some(t.trim())),
        None => (text.as_str(), None),
    };
    let at_midnight = match time.map(midnight) {
        None => true,
        Some(None) => return None,
        Some(Some(zero)) => zero,
    };
    let parts: Vec<&str> = match date.strip_suffix('日') {
        Some(d) => {
            let (y, md) = d.split_once('年')?;
            let (m, d) = md.split_once('月')?;
            vec![y, m, d]
        }
        None => {
            let sep = date.chars().find(|c| ['/', '-', '.'].contains(c))?;
            date.split(sep).collect()
        }
    };
    let &[a, b, c] = parts.as_slice() else {
        return None;
    };
    let (y, m, d) = match (a.len(), digits(a, 4), digits(b, 2), digits(c, 4)) {
        (4, Some(y), Some(m), Some(d)) if c.len() <= 2 => (y, m, d),
        (1..=2, Some(_), Some(_), Some(_)) if c.len() == 4 => {
            return Some(Err(Problem::Ambiguous(Ambiguity::YearLast)));
        }
        _ => return None,
    };
    if !at_midnight {
        return Some(Err(Problem::Ambiguous(Ambiguity::TimeOfDay)));
    }
    let year = i32::try_from(y).ok()?;
    Some(NaiveDate::from_ymd_opt(year, m, d).ok_or(Problem::BadDate))
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

/// What [`money`] reads of a cell that is empty or of 4 to 8 bytes, all digits but for at
/// most one point between two of them (`500.00`, `1234.567`, `0500`): the same amount, the
/// same mantissa and scale, read as one 64-bit word with no loop over its bytes. `None`
/// for any other cell, which the full reader reads (and refuses as it does today).
///
/// The cell's bytes, the first at the lowest, are put at the top of a word under `0` digits
/// (`500.00` is `00500.00`); the point, if any, is squeezed out by moving the bytes before it
/// up one place (`000500 00`), and eight digits are summed in pairs, fours and eights. Every
/// step is exact for any byte (tests below compare it with the full reader).
#[inline(always)]
pub(crate) fn plain_money(s: &[u8]) -> Option<Option<Yuan>> {
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    if s.is_empty() {
        return Some(None);
    }
    let (Some(a), Some(z)) = (s.first_chunk::<4>(), s.last_chunk::<4>()) else {
        return None;
    };
    if s.len() > 8 {
        return None;
    }
    // The last four bytes laid over the first four where they overlap (the same bytes,
    // so `|` keeps them): the cell's `n` bytes in the word's lowest `n`.
    let over = 8 * (s.len() as u32 - 4);
    let w = u64::from(u32::from_le_bytes(*a)) | (u64::from(u32::from_le_bytes(*z)) << over);
    // Moved up under `8 - n` zeros (leading zeros: the same value).
    let pad = 32 - over;
    let w = (w << pad) | (ZEROS & ((1u64 << pad) - 1));
    // `0x80` in each byte that is a point (exact: no false positives).
    let x = w ^ 0x2E2E_2E2E_2E2E_2E2E;
    let points = !(((x & LOW7) + LOW7) | x | LOW7);
    // One point at most, neither the cell's first byte nor its last.
    let ends = (0x80u64 << pad) | (0x80u64 << 56);
    if points & (points.wrapping_sub(1)) != 0 || points & ends != 0 {
        return None;
    }
    // With a point at byte `p` (`at`: its lowest bit), the bytes below it move up one place
    // over it and a `0` comes in at the bottom; the bytes above it stay.
    let digits = if points == 0 {
        w
    } else {
        let at = points >> 7;
        let below = at - 1;
        let above = !((at << 8) - 1);
        ((w & below) << 8) | (w & above) | 0x30
    };
    // Every byte a digit: `+ 0x46` sets the high bit of a byte above `9`, `- 0x30` that of a
    // byte below `0` (a carry or borrow leaves a byte only after a byte that is no digit).
    if (digits.wrapping_add(0x4646_4646_4646_4646) | digits.wrapping_sub(ZEROS)) & HIGH != 0 {
        return None;
    }
    let v = (digits & 0x0F0F_0F0F_0F0F_0F0F).wrapping_mul(10 * 256 + 1) >> 8;
    let v = (v & 0x00FF_00FF_00FF_00FF).wrapping_mul(100 * 65536 + 1) >> 16;
    let v = (v & 0x0000_FFFF_0000_FFFF).wrapping_mul(10000 * (1 << 32) + 1) >> 32;
    // As many decimals as bytes above the point's (its high bit is 8 × that from the top).
    let scale = if points == 0 {
        0
    } else {
        points.leading_zeros() / 8
    };
    Yuan::from_digits(v as u32, scale).map(Some)
}

/// A reader's cell state: dates `YYYY-MM-DD`, remembered by their ten bytes (a roster has a
/// few hundred distinct dates, and reading the digits and building a `NaiveDate` cost more
/// than looking the bytes up), and whether
/// the clerk forms are read ([`super::ReadOptions::clerk_formats`]) by [`Dates::get`],
/// [`Dates::money`] and [`Dates::count`].
pub(crate) struct Dates {
    /// A slot's date's bytes: the first eight and the last two, as read from memory. (Arrays
    /// of `DATE_SLOTS`, so that a slot, below it by construction, is looked up untested.)
    keys: Box<[(u64, u16); DATE_SLOTS]>,
    /// A slot's date (`None`: an empty slot, never found).
    values: Box<[Option<NaiveDate>; DATE_SLOTS]>,
    clerk: bool,
}

/// Slots of the date cache: the top `DATE_BITS` of a date's mix. 8192 (160 KiB), not 2048:
/// the 517 distinct dates of the 100,000 roster met in 80 slots of 2048 (the birthday
/// bound: about 65 expected), so two dates read in turn pushed each other out (8,875 of
/// 47,176 lookups read the digits again, 154 instructions each); in 8192, 695 do.
const DATE_BITS: u32 = 13;
const DATE_SLOTS: usize = 1 << DATE_BITS;

impl Default for Dates {
    fn default() -> Self {
        Dates {
            // Made on the heap: a `Box::new` of the keys' array took 128 KiB of each
            // worker's new stack, and a copy.
            keys: crate::boxed::array(|| (0, 0)),
            values: crate::boxed::array(|| None),
            clerk: false,
        }
    }
}

impl Dates {
    /// The state of a reader with these options.
    pub(crate) fn new(options: &super::ReadOptions) -> Dates {
        Dates::default().for_options(options)
    }

    /// This state for a reader with these options: the dates it remembers, each read by
    /// the strict `YYYY-MM-DD` reading, hold whatever the options.
    pub(crate) fn for_options(mut self, options: &super::ReadOptions) -> Dates {
        self.clerk = options.accepts_clerk_formats();
        self
    }

    /// A real calendar date written `YYYY-MM-DD` (or, with the clerk forms, as
    /// [`clerk_date`] reads it); empty is `None`.
    #[inline(always)]
    pub(crate) fn get(&mut self, s: &[u8]) -> Result<Option<NaiveDate>, Problem> {
        match self.get_ascii(s) {
            Ok(v) => Ok(v),
            Err(e) => self.get_slow(s, e),
        }
    }

    /// [`Dates::get`] once the ASCII reading failed with `e`: full-width digits, then the
    /// clerk forms when they are read.
    #[cold]
    #[inline(never)]
    fn get_slow(&mut self, s: &[u8], e: Problem) -> Result<Option<NaiveDate>, Problem> {
        let strict = match half_width(s) {
            Some(h) => self.get_ascii(&h),
            None => Err(e),
        };
        match strict {
            Err(e) if self.clerk => clerk_date(s).map_or(Err(e), |r| r.map(Some)),
            r => r,
        }
    }

    /// [`money`], or, with the clerk forms, as [`clerk_money`] reads it once that failed.
    #[inline(always)]
    pub(crate) fn money(&self, s: &[u8]) -> Result<Option<Yuan>, Problem> {
        // An empty cell here, not in `money`'s own call.
        if s.is_empty() {
            return Ok(None);
        }
        match money(s) {
            Ok(v) => Ok(v),
            Err(e) => clerk_or(self.clerk, s, e, clerk_money),
        }
    }

    /// [`count`], or, with the clerk forms, as [`clerk_count`] reads it once that failed.
    #[inline(always)]
    pub(crate) fn count(&self, s: &[u8]) -> Result<u32, Problem> {
        match count(s) {
            Ok(v) => Ok(v),
            Err(e) => clerk_or(self.clerk, s, e, clerk_count),
        }
    }

    /// What [`Dates::get`] reads of a cell that is empty or a real date `YYYY-MM-DD` in
    /// ASCII digits (nothing to trim); `None` for any other cell.
    #[inline(always)]
    pub(crate) fn plain(&mut self, s: &[u8]) -> Option<Option<NaiveDate>> {
        self.get_ascii(s).ok()
    }

    #[inline(always)]
    fn get_ascii(&mut self, s: &[u8]) -> Result<Option<NaiveDate>, Problem> {
        if s.is_empty() {
            return Ok(None);
        }
        // `let … else`, not `ok_or(…)?`: no problem is built, and dropped, for a good date.
        let Ok(&[b0, b1, b2, b3, b4, b5, b6, b7, b8, b9]) = <&[u8; 10]>::try_from(s) else {
            return Err(Problem::BadDate);
        };
        // A slot holds only a date read and found real: the same ten bytes are that date,
        // with no digit to read again.
        let key = (
            u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]),
            u16::from_le_bytes([b8, b9]),
        );
        // The day's digits over the century's (`20`, `19`: the same in most dates), not over
        // the month's (03-01 and 01-03 would share a slot).
        let mix = (key.0 ^ u64::from(key.1)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let slot = (mix >> (64 - DATE_BITS)) as usize % DATE_SLOTS;
        if let (Some(k), Some(Some(d))) = (self.keys.get(slot), self.values.get(slot)) {
            if *k == key {
                return Ok(Some(*d));
            }
        }
        self.read_date(s, slot, key)
    }

    /// The date `s` not found in its `slot`: read, and remembered there with its `key` when
    /// it is a real one.
    #[inline(never)]
    fn read_date(
        &mut self,
        s: &[u8],
        slot: usize,
        key: (u64, u16),
    ) -> Result<Option<NaiveDate>, Problem> {
        let Some(date) = crate::io::iso_date_digits(s).and_then(crate::io::date_of) else {
            return Err(Problem::BadDate);
        };
        if let (Some(k), Some(v)) = (self.keys.get_mut(slot), self.values.get_mut(slot)) {
            (*k, *v) = (key, Some(date));
        }
        Ok(Some(date))
    }
}

/// With the clerk forms `on`, the clerk form of `s` read by `clerk`; else, or when `s` is in
/// no such form, the strict reading's problem `e`. Out of line, so that the strict path
/// keeps its code.
#[cold]
#[inline(never)]
fn clerk_or<T>(
    on: bool,
    s: &[u8],
    e: Problem,
    clerk: fn(&[u8]) -> Option<Result<T, Problem>>,
) -> Result<T, Problem> {
    if !on {
        return Err(e);
    }
    clerk(s).unwrap_or(Err(e))
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
    use proptest::prelude::*;

    fn clerk() -> Dates {
        Dates::new(&crate::io::ReadOptions::default().clerk_formats(true))
    }

    proptest! {
        /// Under the clerk option every cell the strict reading accepts reads identically
        /// (the clerk forms are tried only once it failed), whatever the text.
        #[test]
        fn a_strictly_valid_cell_reads_identically_with_the_clerk_forms(
            s in "[0-9０-９.,/\\- :¥年月日]{0,14}",
            amount in "[0-9]{1,12}(\\.[0-9]{1,6})?",
            days in 0u32..1_000_000,
            (y, m, d) in (1900i32..2100, 1u32..13, 1u32..29),
        ) {
            let date = format!("{y:04}-{m:02}-{d:02}");
            let days = days.to_string();
            for text in [s.as_str(), amount.as_str(), days.as_str(), date.as_str()] {
                let b = text.as_bytes();
                let (strict, clerk) = (Dates::default(), clerk());
                if let Ok(v) = money(b) {
                    prop_assert_eq!(clerk.money(b), Ok(v));
                }
                if let Ok(v) = count(b) {
                    prop_assert_eq!(clerk.count(b), Ok(v));
                }
                let (mut strict, mut clerk) = (strict, clerk);
                if let Ok(v) = strict.get(b) {
                    prop_assert_eq!(clerk.get(b), Ok(v));
                }
            }
        }
    }

    #[test]
    fn clerk_forms_at_their_boundaries() {
        let mut c = clerk();
        let day = |y, m, d| Ok(NaiveDate::from_ymd_opt(y, m, d));
        assert_eq!(c.get("2020/2/29".as_bytes()), day(2020, 2, 29));
        assert_eq!(
            c.get("2020年12月31日 00:00:00".as_bytes()),
            day(2020, 12, 31)
        );
        assert_eq!(c.get("2021/2/29".as_bytes()), Err(Problem::BadDate));
        assert_eq!(c.get("2020/13/1".as_bytes()), Err(Problem::BadDate));
        assert_eq!(c.get("2020/0/1".as_bytes()), Err(Problem::BadDate));
        let year_last = Err(Problem::Ambiguous(Ambiguity::YearLast));
        assert_eq!(c.get("3/1/2020".as_bytes()), year_last);
        assert_eq!(c.get("12/31/2020 0:00".as_bytes()), year_last);
        let time = Err(Problem::Ambiguous(Ambiguity::TimeOfDay));
        assert_eq!(c.get("2020/3/1 0:01".as_bytes()), time);
        assert_eq!(c.get("2020/3/1 24:00".as_bytes()), time);
        // Not a clerk form at all: the strict problem.
        assert_eq!(c.get("2020/3/1 0".as_bytes()), Err(Problem::BadDate));
        assert_eq!(c.get("2020/3/1/5".as_bytes()), Err(Problem::BadDate));
        assert_eq!(c.get("2020-3".as_bytes()), Err(Problem::BadDate));
        let grouping = Err(Problem::Ambiguous(Ambiguity::Grouping));
        let yuan = |s: &str| Ok(Some(Yuan::parse(s).unwrap()));
        assert_eq!(c.money(b"1,234.50"), yuan("1234.50"));
        assert_eq!(c.money(b"999"), yuan("999"));
        assert_eq!(c.money(b"1,000,000"), yuan("1000000"));
        assert_eq!(c.money("¥ 12".as_bytes()), yuan("12"));
        assert_eq!(c.money(b"1,23.4"), grouping);
        assert_eq!(c.money(b"1,234.5,6"), grouping);
        assert_eq!(c.money(b"1234,567"), grouping);
        assert_eq!(c.money(b","), grouping);
        assert_eq!(c.money("¥".as_bytes()), money("¥".as_bytes()));
        assert_eq!(c.count(b"12,345"), Ok(12_345));
        assert_eq!(c.count(b"4,294,967,296"), Err(Problem::CountTooLarge));
        assert_eq!(
            c.count(b"12,34"),
            Err(Problem::Ambiguous(Ambiguity::Grouping))
        );
        assert_eq!(c.count("¥5".as_bytes()), Err(Problem::BadCount));
    }

    #[test]
    fn without_the_option_each_clerk_form_keeps_todays_problem() {
        let (mut strict, mut c) = (Dates::default(), clerk());
        for s in [
            "2020/3/1",
            "2020-3-1",
            "2020.3.1",
            "2020年3月1日",
            "2020-03-01 0:00",
        ] {
            assert_eq!(strict.get(s.as_bytes()), Err(Problem::BadDate), "{s}");
            assert!(c.get(s.as_bytes()).is_ok(), "{s}");
        }
        for s in ["1,234.50", "¥500", "￥500"] {
            assert_eq!(strict.money(s.as_bytes()), money(s.as_bytes()), "{s}");
            assert!(
                matches!(strict.money(s.as_bytes()), Err(Problem::BadAmount(_))),
                "{s}"
            );
            assert!(c.money(s.as_bytes()).is_ok(), "{s}");
        }
        assert_eq!(strict.count(b"12,345"), Err(Problem::BadCount));
    }

    /// `plain_money(b)`, when it reads `b`, is what the full reader reads, with the same
    /// mantissa and scale (`500.00` and `500` are equal amounts, but not the same output).
    fn plain_money_is_money(b: &[u8]) -> Result<(), String> {
        let Some(fast) = plain_money(b) else {
            return Ok(());
        };
        let parts =
            |y: Option<Yuan>| y.map(|y| (y.as_decimal().mantissa(), y.as_decimal().scale()));
        match money(b) {
            Ok(full) if parts(full) == parts(fast) => Ok(()),
            full => Err(format!(
                "{:?}: {fast:?} vs {full:?}",
                String::from_utf8_lossy(b)
            )),
        }
    }

    proptest! {
        /// The fast path reads what the full reader reads, whatever the bytes; and it does
        /// read every cell of 4 to 8 digits with at most one point inside.
        #[test]
        fn plain_money_reads_what_money_reads(
            bytes in proptest::collection::vec(any::<u8>(), 0..12),
            near in "[0-9.]{0,10}",
            amount in "[0-9]{1,7}(\\.[0-9]{1,6})?",
        ) {
            for b in [bytes.as_slice(), near.as_bytes(), amount.as_bytes()] {
                prop_assert_eq!(plain_money_is_money(b), Ok(()));
            }
            if (4..=8).contains(&amount.len()) {
                prop_assert!(plain_money(amount.as_bytes()).is_some(), "{}", amount);
            }
        }
    }

    #[test]
    fn plain_money_at_every_byte_and_length() {
        // Each byte value at each place of cells of 1 to 10 bytes, with and without points.
        for base in [
            "1234567890",
            "1.34567890",
            "1234.67890",
            "123456.890",
            "0.00000000",
        ] {
            for len in 1..=base.len() {
                let mut cell = base.as_bytes()[..len].to_vec();
                for at in 0..len {
                    for b in 0u8..=255 {
                        let keep = cell[at];
                        cell[at] = b;
                        assert_eq!(plain_money_is_money(&cell), Ok(()));
                        cell[at] = keep;
                    }
                }
            }
        }
        let scale = |s: &str| {
            plain_money(s.as_bytes())
                .flatten()
                .map(|y| y.as_decimal().scale())
        };
        assert_eq!(scale("500.00"), Some(2));
        assert_eq!(scale("1.234567"), Some(6));
        assert_eq!(scale("12345678"), Some(0));
        assert_eq!(plain_money(b""), Some(None));
        for refused in [
            "500",
            "123456789",
            ".500",
            "500.",
            "5..0",
            "5.0.0",
            " 500",
            "-500",
        ] {
            assert_eq!(plain_money(refused.as_bytes()), None, "{refused}");
        }
    }

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

    /// `plain_boolean` takes exactly `true`, `false` and the empty cell, as `boolean` reads
    /// them: every byte of each word changed, and each word shortened or lengthened.
    #[test]
    fn plain_booleans_are_exactly_the_written_words() {
        let mut cells: Vec<Vec<u8>> = vec![Vec::new(), b"fals".to_vec(), b"alse".to_vec()];
        for word in [&b"true"[..], b"false"] {
            for at in 0..word.len() {
                for b in 0..=255u8 {
                    let mut cell = word.to_vec();
                    cell[at] = b;
                    cells.push(cell);
                }
            }
            cells.push(word[1..].to_vec());
            cells.push([word, b"e"].concat());
        }
        for cell in &cells {
            let want = match cell.as_slice() {
                b"true" => Some(true),
                b"false" | b"" => Some(false),
                _ => None,
            };
            assert_eq!(plain_boolean(cell), want, "{cell:?}");
            if let Some(v) = want {
                assert_eq!(boolean(cell), Ok(v));
            }
        }
    }
}
