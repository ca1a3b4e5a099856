//! Records and fields from a chunk of complete CSV records, by bytes.
//!
//! The fast path takes a line at a time (`memchr` for the end of line) and splits it at
//! commas, keeping only the columns a file's [`Layout`] asks for, trimmed, as `&str` slices
//! of the chunk: no copy, no allocation. A line with a quote or a bare carriage return goes
//! to `csv_core`, the parser under the `csv` crate, configured as [`crate::io`] configures
//! it, so quoted cells (with commas, doubled quotes or line breaks) read exactly as there.

// The hot loop of the one reader: the same justified exception as `crate::batch` to the
// crate's `arithmetic_side_effects` and `indexing_slicing` denials (positions and lengths
// within a chunk held in memory, digits of a bounded cell; see `batch`'s note).
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use csv_core::{ReadRecordResult, Reader};

/// Cells of a record, indexed by a `u8` column number: 256, so that no index is ever out
/// of bounds (the formats have at most a few dozen columns; `SKIP` is a slot nobody reads).
pub(crate) const MAX_COLUMNS: usize = 256;
/// A field whose column nobody reads.
pub(crate) const SKIP: u8 = u8::MAX;

/// Where each needed column is, from a file's header.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Fields in the header (every record must have as many).
    pub n_fields: usize,
    /// For each field (modulo 256), the column it is (its index in the format's column
    /// list), or `SKIP`. A line with more than 256 fields has the wrong count anyway.
    pub slot_of: [u8; 256],
    /// The same for every field, when the header has more than 256 (every line then goes
    /// to the csv parser's path).
    pub wide: Vec<u8>,
}

/// The cells of one record, by column index in the format's column list, as written (not
/// yet trimmed: see [`trim`]), and the text they were cut from.
pub(crate) struct Cells<'a> {
    slots: [&'a [u8]; MAX_COLUMNS],
    /// Valid UTF-8 (checked once, with the chunk or the unquoted record) that holds every
    /// cell and is cut only at ASCII bytes: a cell's text is a slice of it, found by
    /// position, with no second check of its bytes.
    base: &'a str,
}

impl<'a> Cells<'a> {
    const fn new(base: &'a str) -> Cells<'a> {
        Cells {
            slots: [b""; MAX_COLUMNS],
            base,
        }
    }

    /// The cell of column `k`, as written.
    #[inline(always)]
    pub(crate) fn get(&self, k: usize) -> &'a [u8] {
        self.slots.get(k).copied().unwrap_or_default()
    }

    /// Bytes of a cell (any slice of `base`) as text.
    #[inline(always)]
    pub(crate) fn text(&self, b: &'a [u8]) -> &'a str {
        if b.is_empty() {
            return "";
        }
        let at = (b.as_ptr() as usize).wrapping_sub(self.base.as_ptr() as usize);
        match self.base.get(at..at.wrapping_add(b.len())) {
            Some(t) if t.as_bytes().as_ptr() == b.as_ptr() => t,
            _ => std::str::from_utf8(b).unwrap_or_default(),
        }
    }
}

/// What is wrong with a record itself (not with a cell).
#[derive(Debug)]
pub(crate) enum Malformed {
    /// Another number of fields than the header.
    FieldCount {
        /// Newlines in the chunk before the record.
        line: u64,
        /// Fields found.
        len: usize,
    },
    /// Bytes that are not UTF-8.
    Utf8 {
        /// Newlines in the chunk before the record.
        line: u64,
        /// The first bad bytes look like GBK/GB18030.
        gbk: bool,
    },
}

/// Splits chunks into records; one per worker, reused.
pub(crate) struct Splitter {
    csv: Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl Default for Splitter {
    fn default() -> Self {
        let mut s = Splitter {
            csv: Reader::new(),
            out: vec![0; 1024],
            ends: vec![0; 64],
        };
        s.reset();
        s
    }
}

/// The line ends among the first `n` bytes of `b`: each LF, each CRLF once, each bare CR
/// (a CR whose next byte in `b` is not a LF).
pub(crate) fn line_ends(b: &[u8], n: usize) -> u64 {
    let head = b.get(..n).unwrap_or(b);
    let mut count = 0u64;
    for (i, &c) in head.iter().enumerate() {
        let bare_cr = c == b'\r' && b.get(i + 1) != Some(&b'\n');
        count += u64::from(c == b'\n' || bare_cr);
    }
    count
}

/// Unicode white space at either end, as `str::trim` (the `csv` reader's `Trim::All`), with
/// a fast path for the usual cell that is empty or starts and ends with a visible ASCII
/// character.
#[inline(always)]
pub(crate) fn trim(b: &[u8]) -> &[u8] {
    match (b.first(), b.last()) {
        (Some(&a), Some(&z)) if !((0x21..0x7F).contains(&a) && (0x21..0x7F).contains(&z)) => {
            std::str::from_utf8(b).map_or(b, |s| s.trim().as_bytes())
        }
        _ => b,
    }
}

#[inline(always)]
fn put<'a>(cells: &mut Cells<'a>, layout: &Layout, field: usize, value: &'a [u8]) {
    // Both indexes are `u8`s into arrays of 256: no bounds check, no branch.
    let slot = layout.slot_of[usize::from(field as u8)];
    cells.slots[usize::from(slot)] = value;
}

/// `0x80` in each byte of `w` equal to `b`, `0` elsewhere (exact: no false positives).
#[inline]
fn bytes_equal(w: u64, b: u8) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let x = w ^ (u64::from(b) * 0x0101_0101_0101_0101);
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Splits one line that has no quote and no carriage return at its commas, eight bytes at
/// a time; returns the number of fields.
#[inline]
fn split_plain<'a>(rec: &'a [u8], layout: &Layout, cells: &mut Cells<'a>) -> usize {
    let (mut field, mut start, mut i) = (0, 0, 0);
    while let Some(word) = rec.get(i..i + 8) {
        let Ok(w) = <[u8; 8]>::try_from(word) else {
            break;
        };
        let mut commas = bytes_equal(u64::from_le_bytes(w), b',');
        while commas != 0 {
            let at = i + (commas.trailing_zeros() / 8) as usize;
            put(cells, layout, field, rec.get(start..at).unwrap_or_default());
            field += 1;
            start = at + 1;
            commas &= commas - 1;
        }
        i += 8;
    }
    for (j, &c) in rec.iter().enumerate().skip(i) {
        if c == b',' {
            put(cells, layout, field, rec.get(start..j).unwrap_or_default());
            field += 1;
            start = j + 1;
        }
    }
    put(cells, layout, field, rec.get(start..).unwrap_or_default());
    field + 1
}

impl Splitter {
    /// A parser that has "read" already, so that it never strips a BOM inside a file.
    fn reset(&mut self) {
        self.csv.reset();
        let _ = self.csv.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
    }

    /// Calls `f(cells, line, raw)` for every record of `chunk` (`line`: newlines before the
    /// record in the chunk; `raw`: the record's bytes), in order, stopping at the first
    /// error. Blank lines are skipped, as the `csv` reader skips them. A malformed record
    /// goes to `malformed`: `Ok` skips it (bytes that are not UTF-8 end the chunk), `Err`
    /// stops. Returns the newlines in the chunk.
    pub(crate) fn for_each<E>(
        &mut self,
        chunk: &[u8],
        layout: &Layout,
        mut f: impl FnMut(&Cells<'_>, u64, &[u8]) -> Result<(), E>,
        mut malformed: impl FnMut(Malformed) -> Result<(), E>,
    ) -> Result<u64, E> {
        // Valid UTF-8 up to `good`; the line holding the first bad byte is an error.
        // SIMD validation of the whole chunk; std's, for its error position, only on failure.
        let (text, bad) =
            match simdutf8::basic::from_utf8(chunk).or_else(|_| std::str::from_utf8(chunk)) {
                Ok(t) => (t, None),
                Err(e) => {
                    let gbk =
                        crate::io::looks_like_gbk(chunk.get(e.valid_up_to()..).unwrap_or_default());
                    let upto = chunk.get(..e.valid_up_to()).unwrap_or_default();
                    let cut = memchr::memrchr(b'\n', upto).map_or(0, |i| i + 1);
                    let good = chunk.get(..cut).unwrap_or_default();
                    (std::str::from_utf8(good).unwrap_or_default(), Some(gbk))
                }
            };
        let bytes = text.as_bytes();
        // Quotes and carriage returns are rare: when the chunk has none, no line is checked.
        let wide = layout.n_fields > 256;
        let plain_chunk = !wide && memchr::memchr2(b'"', b'\r', bytes).is_none();
        let mut cells = Cells::new(text);
        let (mut pos, mut line) = (0usize, 0u64);
        while pos < bytes.len() {
            let rest = bytes.get(pos..).unwrap_or_default();
            // A line ends at LF, CRLF or a bare CR (old Mac Excel), as the csv parser reads.
            let found = if plain_chunk {
                memchr::memchr(b'\n', rest)
            } else {
                memchr::memchr2(b'\n', b'\r', rest)
            };
            let (end, next) = match found {
                Some(i) if rest.get(i) == Some(&b'\r') && rest.get(i + 1) == Some(&b'\n') => {
                    (pos + i, pos + i + 2)
                }
                Some(i) => (pos + i, pos + i + 1),
                None => (bytes.len(), bytes.len()),
            };
            let mut rec = bytes.get(pos..end).unwrap_or_default();
            if let Some(r) = rec.strip_suffix(b"\r") {
                rec = r;
            }
            if rec.is_empty() {
                line += u64::from(next > end);
                pos = next;
                continue;
            }
            if plain_chunk || !wide && memchr::memchr2(b'"', b'\r', rec).is_none() {
                let n = split_plain(rec, layout, &mut cells);
                if n == layout.n_fields {
                    f(&cells, line, rec)?;
                } else {
                    malformed(Malformed::FieldCount { line, len: n })?;
                }
                line += u64::from(next > end);
                pos = next;
                continue;
            }
            // A quote or a bare carriage return: the csv parser, from the record's start.
            let (consumed, n) = self.parse_one(rest);
            let cells2 = self.cells(layout, n);
            let Some(cells2) = cells2 else {
                let at = std::str::from_utf8(rest)
                    .err()
                    .map_or(0, |e| e.valid_up_to());
                let gbk = crate::io::looks_like_gbk(rest.get(at..).unwrap_or_default());
                malformed(Malformed::Utf8 { line, gbk })?;
                return Ok(line);
            };
            let eaten = rest.get(..consumed).unwrap_or_default();
            if n == layout.n_fields {
                f(&cells2, line, eaten)?;
            } else {
                malformed(Malformed::FieldCount { line, len: n })?;
            }
            line += line_ends(rest, consumed);
            pos += consumed.max(1);
        }
        if let Some(gbk) = bad {
            malformed(Malformed::Utf8 { line, gbk })?;
        }
        Ok(line)
    }

    /// Parses the record at the start of `input` with `csv_core`; returns the bytes
    /// consumed and the number of fields (their unescaped bytes are in `self.out`, their
    /// ends in `self.ends`).
    fn parse_one(&mut self, input: &[u8]) -> (usize, usize) {
        if self.out.len() < input.len() {
            self.out.resize(input.len(), 0);
        }
        let (mut nin, mut nout, mut nends) = (0, 0, 0);
        loop {
            let (res, i, o, e) = self.csv.read_record(
                input.get(nin..).unwrap_or_default(),
                self.out.get_mut(nout..).unwrap_or_default(),
                self.ends.get_mut(nends..).unwrap_or_default(),
            );
            (nin, nout, nends) = (nin + i, nout + o, nends + e);
            match res {
                ReadRecordResult::Record => break,
                ReadRecordResult::End => {
                    self.reset();
                    break;
                }
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.out.resize(self.out.len() * 2 + 64, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
            }
        }
        if nin >= input.len() {
            // The input ended the record: the parser saw the end of data; start afresh.
            self.reset();
        }
        (nin, nends)
    }

    /// The cells of the record `parse_one` read, or `None` if it is not UTF-8.
    fn cells(&self, layout: &Layout, n: usize) -> Option<Cells<'_>> {
        let base = std::str::from_utf8(
            self.out
                .get(..self.ends.get(..n)?.last().copied().unwrap_or(0))?,
        )
        .ok()?;
        let mut cells = Cells::new(base);
        let mut start = 0;
        for (field, &end) in self.ends.get(..n)?.iter().enumerate() {
            let value = self.out.get(start..end)?;
            match layout.wide.get(field) {
                Some(&slot) => cells.slots[usize::from(slot)] = value,
                None if layout.n_fields > 256 => {}
                None => put(&mut cells, layout, field, value),
            }
            start = end;
        }
        Some(cells)
    }

    /// Every record's fields, all of them, trimmed (for headers and id scans).
    pub(crate) fn fields_of_first(&mut self, input: &[u8]) -> (usize, Vec<String>) {
        let (consumed, n) = self.parse_one(input);
        let mut fields = Vec::with_capacity(n);
        let mut start = 0;
        for &end in self.ends.get(..n).unwrap_or_default() {
            let raw = self.out.get(start..end).unwrap_or_default();
            fields.push(String::from_utf8_lossy(trim(raw)).into_owned());
            start = end;
        }
        (consumed, fields)
    }
}
