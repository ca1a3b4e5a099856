//! Records and fields from a chunk of complete CSV records, by bytes.
//!
//! The usual chunk has no quote and no carriage return (one `memchr` pass tells, or the chunk
//! reader already knows): its commas and line feeds are found 64 bytes at a time, as bit
//! masks from SIMD compares (`wide`, safe, portable); for each line feed of a block, the
//! commas before it are taken first, so that no separator is tested for being a line feed,
//! and the end of each field is noted, in one pass over the chunk. A cell is cut from the
//! chunk only when it is read ([`Cells::get`]: the column a file's [`Layout`] gives the
//! field, between the field's ends): no copy, no allocation. In a chunk that has a quote or
//! a carriage return, each line is taken alone: a plain one is split at its commas eight
//! bytes at a time; one with a quote or a bare carriage return goes to `csv_core`, the
//! parser under the `csv` crate, configured as [`crate::io`] configures it, so quoted cells
//! (with commas, doubled quotes or line breaks) read exactly as there; the fields it gives
//! are joined into one scratch text, a field a column, and cut from it as from the chunk.

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
/// The field of a column no field holds: its end, `ends[ABSENT + 1]`, is `0` (no record
/// marks it: see [`Cells::ends`]), so that its cell is empty whatever its start.
const ABSENT: u8 = u8::MAX;
/// The most fields a record cut from the chunk may have: each is a field index below
/// [`ABSENT`]. A file whose header has more goes to the csv parser's path, whose cells are
/// joined by column.
const MAX_PLAIN_FIELDS: usize = ABSENT as usize;

/// Where each needed column is, from a file's header.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Fields in the header (every record must have as many).
    pub n_fields: usize,
    /// For each field (modulo 256), the column it is (its index in the format's column
    /// list), or `SKIP`. A line with more than 256 fields has the wrong count anyway.
    pub slot_of: [u8; 256],
    /// The same for every field, when the header has more than 256 (every line then goes
    /// to the csv parser's path, as for a header of more than [`MAX_PLAIN_FIELDS`]).
    pub wide: Vec<u8>,
}

impl Layout {
    /// The column of field `field` (`SKIP` for a field past the header's).
    fn slot(&self, field: usize) -> u8 {
        (self.wide.get(field).or(self.slot_of.get(field)))
            .copied()
            .unwrap_or(SKIP)
    }
}

/// The cells of one record, by column index in the format's column list, as written (not
/// yet trimmed: see [`trim`]), all cut from one text.
///
/// A cell is found when it is read, not when its record is split: the splitter only notes
/// where each field ends (one store a separator), and [`Cells::get`] cuts column `k` from
/// the text, between the ends of the field that holds it: the same few instructions for
/// every column, with no test. A record cut from the chunk has the chunk as its text; cells
/// of separate texts (a quoted record's, a JSON record's, a workbook row's) are joined into
/// one scratch text first, one field a column, each ended by a separator ([`Cells::joined`]).
pub(crate) struct Cells<'a> {
    /// Valid UTF-8 (checked once, with the chunk or the joined texts) that holds every cell
    /// and is cut only at ASCII bytes: a cell's text is a slice of it, found by position,
    /// with no second check of its bytes.
    base: &'a str,
    /// For each column, the field that holds it, or [`ABSENT`] for none.
    field_of: [u8; MAX_COLUMNS],
    /// `ends[0]`: the record's first byte in `base`, less one (wrapping); `ends[f + 1]`: the
    /// end of field `f` (its separator): field `f` is `ends[f] + 1 .. ends[f + 1]`. A
    /// record's fields are marked from `ends[1]`, modulo 256: only a record of more than 255
    /// fields reaches `ends[ABSENT + 1]`, and such a record is not read (its field count is
    /// wrong, or the file's records all go to the csv parser): `0` is put back there after
    /// it ([`Cells::unmark_absent`]). The three last slots, past field 255's end, only take
    /// the ends a turn of [`mark_fields`] (four commas from one index) marks past it, in
    /// such a record.
    ends: [usize; MAX_COLUMNS + 4],
}

impl<'a> Cells<'a> {
    /// Cells of `base` with no column held by a field yet.
    const fn new(base: &'a str) -> Cells<'a> {
        let mut ends = [usize::MAX; MAX_COLUMNS + 4];
        ends[ABSENT as usize + 1] = 0;
        Cells {
            base,
            field_of: [ABSENT; MAX_COLUMNS],
            ends,
        }
    }

    /// Cells cut from the chunk `text` whose header is `layout` (at most
    /// [`MAX_PLAIN_FIELDS`] fields): each column held by the field the header gives it.
    fn of_chunk(text: &'a str, layout: &Layout) -> Cells<'a> {
        let mut c = Cells::new(text);
        let fields = layout
            .slot_of
            .iter()
            .take(layout.n_fields.min(MAX_PLAIN_FIELDS));
        // (A field nobody reads is `SKIP`'s, a column nobody reads either.)
        for (f, &slot) in fields.enumerate() {
            c.field_of[usize::from(slot)] = f as u8;
        }
        c
    }

    /// Cells of separate texts, each `(column, text)`, joined into `joined` (cleared first)
    /// in that order, each followed by a comma (a separator, never read as one): field `j`
    /// is the `j`-th text, and its column is held by it. `SKIP`'s texts are left out, and
    /// texts past the 255th (never: the formats have a few dozen columns, once each).
    fn joined<'t>(
        joined: &'a mut String,
        texts: impl IntoIterator<Item = (u8, &'t str)>,
    ) -> Cells<'a> {
        joined.clear();
        let mut field_of = [ABSENT; MAX_COLUMNS];
        let mut ends = [usize::MAX; MAX_COLUMNS + 4];
        let mut j = 0u8;
        for (slot, text) in texts {
            if slot == SKIP || j == ABSENT {
                continue;
            }
            joined.push_str(text);
            field_of[usize::from(slot)] = j;
            j += 1;
            ends[usize::from(j)] = joined.len();
            joined.push(',');
        }
        ends[usize::from(ABSENT) + 1] = 0;
        Cells {
            base: joined,
            field_of,
            ends,
        }
    }

    /// Notes that field `n` (modulo 256: a record of more fields is refused anyway) ends at
    /// `at`.
    #[inline(always)]
    fn mark(&mut self, n: usize, at: usize) {
        self.ends[usize::from(n as u8) + 1] = at;
    }

    /// Puts back the end of the field of absent columns, after a record that is not read
    /// (it may have more than 255 fields, and have marked it).
    #[cold]
    fn unmark_absent(&mut self) {
        self.ends[usize::from(ABSENT) + 1] = 0;
    }

    /// Cells of separate texts, in the format's column order (a JSON record's fields:
    /// `crate::json`), joined into `joined` (a scratch text, reused).
    pub(crate) fn of_texts<'t>(
        texts: impl IntoIterator<Item = &'t str>,
        joined: &'a mut String,
    ) -> Cells<'a> {
        Cells::joined(joined, (0..SKIP).zip(texts))
    }

    /// The cell of column `k`, as written.
    #[inline(always)]
    pub(crate) fn get(&self, k: usize) -> &'a [u8] {
        // Column `k` is held by field `f` (a column past the 256th by none, as one no field
        // holds). `f + 1` is at most 256: both ends in bounds. Clamped, the field's bounds
        // are in the text whatever the ends hold (two conditional moves, no branch).
        let f = usize::from(self.field_of.get(k).copied().unwrap_or(ABSENT));
        let bytes = self.base.as_bytes();
        let end = self.ends[f + 1].min(bytes.len());
        &bytes[self.ends[f].wrapping_add(1).min(end)..end]
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
    /// A record longer than [`crate::io::MAX_RECORD_BYTES`].
    TooLong {
        /// Newlines in the chunk before the record.
        line: u64,
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
#[derive(Default)]
pub(crate) struct Splitter {
    /// The csv parser, built when a line first needs it (a quote or a carriage return):
    /// building one costs about 270,000 instructions, and most files never need it.
    csv: Option<Reader>,
    out: Vec<u8>,
    ends: Vec<usize>,
    /// The fields of the record the parser read, joined by column ([`Cells::joined`]).
    joined: String,
}

/// A csv parser that has "read" already, so that it never strips a BOM inside a file.
fn primed(csv: &mut Reader) {
    csv.reset();
    let _ = csv.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
}

/// The parser of `slot`, built and [`primed`] on first use.
fn parser(slot: &mut Option<Reader>) -> &mut Reader {
    slot.get_or_insert_with(|| {
        let mut csv = Reader::new();
        primed(&mut csv);
        csv
    })
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

/// `0x80` in each byte of `w` equal to `b`, `0` elsewhere (exact: no false positives).
#[inline]
fn bytes_equal(w: u64, b: u8) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let x = w ^ (u64::from(b) * 0x0101_0101_0101_0101);
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Splits one line that has no quote and no carriage return at its commas, eight bytes at
/// a time, into `cells` cut from the chunk (the line starts at `pos` in it); returns the
/// number of fields.
#[inline]
fn split_plain(rec: &[u8], pos: usize, cells: &mut Cells<'_>) -> usize {
    let (mut field, mut i) = (0, 0);
    cells.ends[0] = pos.wrapping_sub(1);
    while let Some(word) = rec.get(i..i + 8) {
        let Ok(w) = <[u8; 8]>::try_from(word) else {
            break;
        };
        let mut commas = bytes_equal(u64::from_le_bytes(w), b',');
        while commas != 0 {
            cells.mark(field, pos + i + (commas.trailing_zeros() / 8) as usize);
            field += 1;
            commas &= commas - 1;
        }
        i += 8;
    }
    for (j, &c) in rec.iter().enumerate().skip(i) {
        if c == b',' {
            cells.mark(field, pos + j);
            field += 1;
        }
    }
    cells.mark(field, pos + rec.len());
    field + 1
}

/// Commas and line feeds of 64 bytes, as two bit masks (bit `i`: byte `i`), by SIMD
/// compares 16 bytes at a time (`wide`: SSE2 on x86-64, NEON on Arm, a scalar fallback
/// elsewhere; no `unsafe` here).
#[inline(always)]
fn separators(block: &[u8; 64]) -> (u64, u64) {
    let (comma, lf) = (wide::u8x16::splat(b','), wide::u8x16::splat(b'\n'));
    let (mut commas, mut lfs) = (0u64, 0u64);
    for (k, part) in block.chunks_exact(16).enumerate() {
        let mut lanes = [0u8; 16];
        lanes.copy_from_slice(part);
        let v = wide::u8x16::new(lanes);
        commas |= u64::from(v.simd_eq(comma).to_bitmask()) << (16 * k);
        lfs |= u64::from(v.simd_eq(lf).to_bitmask()) << (16 * k);
    }
    (commas, lfs)
}

/// `bytes[start..end]`, for `start <= end <= bytes.len()` (a record between two line
/// feeds of the chunk). Both bounds are clamped first, so that the compiler sees the slice
/// in bounds: two conditional moves and no branch, where `get(start..end)` tests each bound
/// and chooses a default (out of bounds, which cannot happen, the slice would be shorter).
#[inline(always)]
fn cut(bytes: &[u8], start: usize, end: usize) -> &[u8] {
    let end = end.min(bytes.len());
    &bytes[start.min(end)..end]
}

/// Notes the ends of the fields that end at the commas of `commas` (bit `i`: byte
/// `base + i`), counting them in `*field`.
#[inline(always)]
fn mark_fields(mut commas: u64, base: usize, cells: &mut Cells<'_>, field: &mut usize) {
    let mut n = *field;
    // Four commas a turn (one index and one count update for them), leaving after the last:
    // every end stored is a comma's.
    'turns: while commas != 0 {
        let i = usize::from(n as u8);
        for j in 1..=4 {
            cells.ends[i + j] = base + commas.trailing_zeros() as usize;
            commas &= commas - 1;
            if commas == 0 {
                n += j;
                break 'turns;
            }
        }
        n += 4;
    }
    *field = n;
}

/// What becomes of a record split into `cells` (not blank; `fields` fields): too long or
/// of another field count than the header, it goes to `malformed`, the end of the field of
/// absent columns put back first (its marks may have reached it: [`Cells::unmark_absent`]);
/// else to `f`.
#[inline(always)]
fn split_record<'a, E>(
    cells: &mut Cells<'a>,
    rec: &'a [u8],
    fields: usize,
    layout: &Layout,
    line: u64,
    f: &mut impl FnMut(&Cells<'a>, u64, &'a [u8]) -> Result<(), E>,
    malformed: &mut impl FnMut(Malformed) -> Result<(), E>,
) -> Result<(), E> {
    if rec.len() > crate::io::MAX_RECORD_BYTES {
        cells.unmark_absent();
        malformed(Malformed::TooLong { line })
    } else if fields == layout.n_fields {
        f(cells, line, rec)
    } else {
        cells.unmark_absent();
        malformed(Malformed::FieldCount { line, len: fields })
    }
}

/// Every record of a chunk that has no quote and no carriage return (the usual chunk): its
/// commas and line feeds found 64 bytes at a time; in a block, for each line feed, the ends
/// of the fields at the commas before it, then the record's last field and the record;
/// then the ends at the block's other commas (the next record's, carried over to the next
/// block). One pass over the chunk, into `cells` cut from it ([`Cells::of_chunk`]). Calls
/// `f` or `malformed` as [`Splitter::for_each`] does; returns the line feeds.
#[inline]
fn for_each_plain<'a, E>(
    bytes: &'a [u8],
    layout: &Layout,
    cells: &mut Cells<'a>,
    mut f: impl FnMut(&Cells<'a>, u64, &'a [u8]) -> Result<(), E>,
    mut malformed: impl FnMut(Malformed) -> Result<(), E>,
) -> Result<u64, E> {
    let (mut field, mut record, mut line) = (0usize, 0usize, 0u64);
    cells.ends[0] = usize::MAX;
    let mut end_record = |cells: &mut Cells<'a>, rec: &'a [u8], fields: usize, line: u64| {
        if rec.is_empty() {
            // A blank line, skipped as the `csv` reader skips it.
            Ok(())
        } else {
            split_record(cells, rec, fields, layout, line, &mut f, &mut malformed)
        }
    };
    let mut base = 0;
    loop {
        let (mut commas, mut lfs) = match bytes.get(base..base + 64) {
            Some(b) => separators(b.try_into().unwrap_or(&[0; 64])),
            None if base < bytes.len() => {
                // The chunk's tail, padded with zeros (neither comma nor line feed).
                let mut block = [0u8; 64];
                let tail = bytes.get(base..).unwrap_or_default();
                block[..tail.len()].copy_from_slice(tail);
                separators(&block)
            }
            None => break,
        };
        while lfs != 0 {
            let bit = lfs.trailing_zeros();
            // The commas below this line feed: `lfs ^ (lfs - 1)` has its bit and every bit
            // below it (its own is no comma's).
            let before = commas & (lfs ^ (lfs - 1));
            commas ^= before;
            mark_fields(before, base, cells, &mut field);
            let at = base + bit as usize;
            cells.mark(field, at);
            end_record(cells, cut(bytes, record, at), field + 1, line)?;
            // The next record starts after this line feed.
            cells.ends[0] = at;
            (field, line, record) = (0, line + 1, at + 1);
            lfs &= lfs - 1;
        }
        mark_fields(commas, base, cells, &mut field);
        base += 64;
    }
    if record < bytes.len() {
        // The last record, without a line feed.
        cells.mark(field, bytes.len());
        let rec = bytes.get(record..).unwrap_or_default();
        end_record(cells, rec, field + 1, line)?;
    }
    Ok(line)
}

impl Splitter {
    /// Calls `f(cells, line, raw)` for every record of `chunk` (`line`: newlines before the
    /// record in the chunk; `raw`: the record's bytes), in order, stopping at the first
    /// error. Blank lines are skipped, as the `csv` reader skips them. A malformed record
    /// goes to `malformed`: `Ok` skips it (bytes that are not UTF-8 end the chunk), `Err`
    /// stops. Returns the newlines in the chunk.
    pub(crate) fn for_each<E>(
        &mut self,
        chunk: &[u8],
        layout: &Layout,
        f: impl FnMut(&Cells<'_>, u64, &[u8]) -> Result<(), E>,
        malformed: impl FnMut(Malformed) -> Result<(), E>,
    ) -> Result<u64, E> {
        self.for_each_known(chunk, layout, false, f, malformed)
    }

    /// [`Splitter::for_each`] of a chunk that, when `plain`, is known to hold no quote and no
    /// carriage return ([`crate::io::chunks::ChunkReader::plain`]): it is not scanned for
    /// them again.
    pub(crate) fn for_each_known<E>(
        &mut self,
        chunk: &[u8],
        layout: &Layout,
        plain: bool,
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
        let wide = layout.n_fields > MAX_PLAIN_FIELDS;
        let plain_chunk = !wide && (plain || memchr::memchr2(b'"', b'\r', bytes).is_none());
        let mut cells = Cells::of_chunk(text, layout);
        if plain_chunk {
            let line = for_each_plain(bytes, layout, &mut cells, &mut f, &mut malformed)?;
            if let Some(gbk) = bad {
                malformed(Malformed::Utf8 { line, gbk })?;
            }
            return Ok(line);
        }
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
                let n = split_plain(rec, pos, &mut cells);
                split_record(&mut cells, rec, n, layout, line, &mut f, &mut malformed)?;
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
            if consumed > crate::io::MAX_RECORD_BYTES {
                malformed(Malformed::TooLong { line })?;
            } else if n == layout.n_fields {
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
        if self.ends.is_empty() {
            self.ends.resize(64, 0);
        }
        let (mut nin, mut nout, mut nends) = (0, 0, 0);
        let mut ended = false;
        loop {
            let (res, i, o, e) = parser(&mut self.csv).read_record(
                input.get(nin..).unwrap_or_default(),
                self.out.get_mut(nout..).unwrap_or_default(),
                self.ends.get_mut(nends..).unwrap_or_default(),
            );
            (nin, nout, nends) = (nin + i, nout + o, nends + e);
            match res {
                ReadRecordResult::Record => break,
                ReadRecordResult::End => {
                    ended = true;
                    break;
                }
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.out.resize(self.out.len() * 2 + 64, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
            }
        }
        if ended || nin >= input.len() {
            // The input ended the record: the parser saw the end of data; start afresh.
            primed(parser(&mut self.csv));
        }
        (nin, nends)
    }

    /// The cells of the record `parse_one` read, joined by column into `self.joined`, or
    /// `None` if it is not UTF-8.
    fn cells(&mut self, layout: &Layout, n: usize) -> Option<Cells<'_>> {
        let ends = self.ends.get(..n)?;
        let text = std::str::from_utf8(self.out.get(..ends.last().copied().unwrap_or(0))?).ok()?;
        // (Each field is UTF-8 on its own: its bytes are a field's of the valid chunk.)
        if !ends.iter().all(|&end| text.is_char_boundary(end)) {
            return None;
        }
        let starts = std::iter::once(0).chain(ends.iter().copied());
        let fields = (starts.zip(ends).enumerate())
            .map(|(field, (start, &end))| (layout.slot(field), text.get(start..end).unwrap_or("")));
        Some(Cells::joined(&mut self.joined, fields))
    }

    /// The first record's fields, all of them, trimmed (for headers and blank records), and
    /// the bytes it spans.
    pub(crate) fn fields_of_first(&mut self, input: &[u8]) -> (usize, Vec<String>) {
        // The usual header or record: text up to a line feed (or the input's end) with no
        // quote and no carriage return. The csv parser reads its fields between its commas,
        // as this does, and the line feed with it; a first line that is blank, quoted or
        // ended otherwise goes to the parser.
        let plain = match memchr::memchr3(b'\n', b'\r', b'"', input) {
            Some(i) if i > 0 && input.get(i) == Some(&b'\n') => Some((i, i + 1)),
            None if !input.is_empty() => Some((input.len(), input.len())),
            _ => None,
        };
        if let Some((end, consumed)) = plain {
            let line = input.get(..end).unwrap_or_default();
            let fields = (line.split(|&b| b == b','))
                .map(|raw| String::from_utf8_lossy(trim(raw)).into_owned())
                .collect();
            return (consumed, fields);
        }
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

/// The cells of a workbook's row (each cell's text on its own, by its 0-based column), as a
/// file's header layout places them, joined into `joined` (a scratch text, reused).
pub(crate) fn row_cells<'a>(
    row: &[(u32, String)],
    layout: &Layout,
    joined: &'a mut String,
) -> Cells<'a> {
    let texts = (row.iter()).map(|(i, t)| (layout.slot(*i as usize), t.as_str()));
    Cells::joined(joined, texts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Per record, its line and its three fields, or its line and its wrong field count.
    type Records = Vec<(u64, Result<Vec<String>, usize>)>;

    /// What the splitter gives for a chunk: per record, its line and its three fields, or
    /// its line and its wrong field count.
    fn ours(chunk: &str) -> (Records, u64) {
        ours_with(chunk, 3, &[(0, 0), (1, 1), (2, 2)])
    }

    /// The same for records of `n_fields` fields, where field `f` of each `(f, slot)` of
    /// `read` is read into column `slot` (the others are skipped): per record, the read
    /// fields in the order of `read`.
    fn ours_with(chunk: &str, n_fields: usize, read: &[(usize, u8)]) -> (Records, u64) {
        let mut slot_of = [SKIP; 256];
        for &(field, slot) in read {
            slot_of[field] = slot;
        }
        let layout = Layout {
            n_fields,
            slot_of,
            wide: Vec::new(),
        };
        let mut got = Vec::new();
        let mut bad = Vec::new();
        let lines = Splitter::default()
            .for_each::<()>(
                chunk.as_bytes(),
                &layout,
                |cells, line, _| {
                    let fields = (read.iter())
                        .map(|&(_, slot)| {
                            String::from_utf8(cells.get(usize::from(slot)).to_vec()).unwrap()
                        })
                        .collect();
                    got.push((line, Ok(fields)));
                    Ok(())
                },
                |m| {
                    if let Malformed::FieldCount { line, len } = m {
                        bad.push((line, Err(len)));
                    }
                    Ok(())
                },
            )
            .unwrap();
        got.extend(bad);
        got.sort_by_key(|(line, _)| *line);
        (got, lines)
    }

    /// The same by the plainest reading: lines at `\n`, blank ones skipped, fields at `,`.
    fn naive(chunk: &str) -> Records {
        naive_with(chunk, 3, &[(0, 0), (1, 1), (2, 2)])
    }

    /// [`naive`] for records of `n_fields` fields, of which those of `read` are kept.
    fn naive_with(chunk: &str, n_fields: usize, read: &[(usize, u8)]) -> Records {
        (chunk.split('\n').enumerate())
            .filter(|(_, l)| !l.is_empty())
            .map(|(i, l)| {
                let fields: Vec<&str> = l.split(',').collect();
                let n = fields.len();
                let kept = || read.iter().map(|&(f, _)| fields[f].to_owned()).collect();
                (i as u64, if n == n_fields { Ok(kept()) } else { Err(n) })
            })
            .collect()
    }

    /// Records of every length around one and two blocks, so that the line feed and the
    /// last comma fall on each byte of a block, with blank lines between them, and chunks
    /// that end on each byte of a block, with and without a last line feed.
    #[test]
    fn records_on_every_block_boundary() {
        for pad in 0..140 {
            let line = format!("{},b,c\n", "a".repeat(pad));
            for chunk in [
                line.repeat(3),
                format!("{line}\n{line}{line}"),
                format!("{line}{}", line.trim_end()),
                format!(",,\n{}", line.repeat(2)),
            ] {
                let (got, lines) = ours(&chunk);
                assert_eq!(got, naive(&chunk), "{chunk:?}");
                assert_eq!(lines, chunk.matches('\n').count() as u64);
            }
        }
    }

    /// Cells cut lazily read as written wherever the line was split (the block splitter, a
    /// plain line of a chunk with quotes, the csv parser), and a column no field holds, or
    /// whose field nobody reads, is empty.
    #[test]
    fn cells_of_every_path_and_columns_no_field_holds() {
        let mut slot_of = [SKIP; 256];
        (slot_of[0], slot_of[2], slot_of[3]) = (2, 0, 4);
        let layout = Layout {
            n_fields: 4,
            slot_of,
            wide: Vec::new(),
        };
        let read = |chunk: &str| {
            let mut got = Vec::new();
            Splitter::default()
                .for_each::<()>(
                    chunk.as_bytes(),
                    &layout,
                    |cells, line, _| {
                        let texts = (0..6).map(|k| cells.text(cells.get(k)).to_owned());
                        got.push((line, texts.collect::<Vec<_>>()));
                        Ok(())
                    },
                    |_| Err(()),
                )
                .unwrap();
            got
        };
        let row = |line, c: [&str; 3]| {
            (
                line,
                vec![
                    c[0].into(),
                    "".into(),
                    c[1].into(),
                    "".into(),
                    c[2].into(),
                    "".into(),
                ],
            )
        };
        let plain = "a,b,c,d\n洋,,县,\ne,f,g,h";
        assert_eq!(
            read(plain),
            [
                row(0, ["c", "a", "d"]),
                row(1, ["县", "洋", ""]),
                row(2, ["g", "e", "h"])
            ]
        );
        let mixed = "a,b,c,d\r\n\"x,y\",z,\"w\"\"v\",\n洋,,县,\ne,f,g,h";
        assert_eq!(
            read(mixed),
            [
                row(0, ["c", "a", "d"]),
                row(1, ["w\"v", "x,y", ""]),
                row(2, ["县", "洋", ""]),
                row(3, ["g", "e", "h"]),
            ]
        );
    }

    /// A column no field holds is still empty after a record of more than 255 fields (whose
    /// marks wrap onto the absent field's end), on every path; and a header of 255 fields
    /// (the most cut from the chunk) or 256 (the csv parser's) reads its last fields.
    #[test]
    fn absent_columns_after_too_many_fields_and_the_widest_headers() {
        let long = "x,".repeat(300);
        for chunk in [
            format!("a,b,c\n{long}\nd,e,f\n{long}x\ng,h,i"),
            format!("a,b,c\r\n{long}\nd,e,f\n{long}x\ng,\"h\",i"),
        ] {
            let (got, _) = ours_with(&chunk, 3, &[(0, 0), (2, 2), (200, 5)]);
            let ok: Vec<_> = got.into_iter().filter(|(_, r)| r.is_ok()).collect();
            let row = |line, a: &str, c: &str| (line, Ok(vec![a.into(), c.into(), String::new()]));
            assert_eq!(ok, [row(0, "a", "c"), row(2, "d", "f"), row(4, "g", "i")]);
        }
        for n in [254, 255, 256] {
            let line = (0..n).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
            let read = [(n - 1, 0), (n - 2, 1), (0, 2)];
            let last = [format!("{}", n - 1), format!("{}", n - 2), "0".into()];
            for chunk in [format!("{line}\n{line}"), format!("{line}\r\n\"{line}")] {
                let (got, _) = ours_with(&chunk, n, &read);
                assert_eq!(got[0], (0, Ok(last.to_vec())), "{n} fields");
            }
        }
    }

    /// [`Splitter::fields_of_first`] by the csv parser alone (no plain-line shortcut).
    fn first_by_parser(input: &[u8]) -> (usize, Vec<String>) {
        let mut s = Splitter::default();
        let (consumed, n) = s.parse_one(input);
        let mut fields = Vec::new();
        let mut start = 0;
        for &end in &s.ends[..n] {
            fields.push(String::from_utf8_lossy(trim(&s.out[start..end])).into_owned());
            start = end;
        }
        (consumed, fields)
    }

    /// A first line read without the parser reads as the parser reads it: fields, spaces,
    /// empty fields, the line feed consumed, no line feed at all, and the lines it leaves to
    /// the parser (blank, quoted, carriage returns, empty input).
    #[test]
    fn first_record_without_the_parser_reads_as_with_it() {
        for input in [
            "id,name\nL1,x\n",
            " id , name ,\n\"q\",b\n",
            "a,,b",
            ",",
            "a",
            "\u{feff}x,洋县\r\n",
            "\nid,x\n",
            "\n\n",
            "",
            "a,\"b,c\"\nd\n",
            "a,b\rc\n",
            "a\r\nb\n",
            "  ,\t\n",
        ] {
            let bytes = input.as_bytes();
            assert_eq!(
                Splitter::default().fields_of_first(bytes),
                first_by_parser(bytes),
                "{input:?}"
            );
        }
        let invalid = b"a,\xff\xfe,b\nc";
        assert_eq!(
            Splitter::default().fields_of_first(invalid),
            first_by_parser(invalid)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// The block splitter cuts plain chunks (no quote, no CR) as the plainest reading
        /// does, whatever falls on a 64-byte boundary: fields, blank lines, wrong counts, a
        /// last line without a line feed, multi-byte text.
        #[test]
        fn plain_chunks_split_as_the_csv_crate_reads_them(
            chunk in proptest::string::string_regex("([a-z0-9洋县 ]{0,30}[,\n]){0,60}[a-z0-9]{0,5}").unwrap()
        ) {
            let (got, lines) = ours(&chunk);
            prop_assert_eq!(got, naive(&chunk));
            prop_assert_eq!(lines, chunk.matches('\n').count() as u64);
        }

        /// A first record read without the parser reads as the parser reads it.
        #[test]
        fn first_records_read_as_the_parser_reads_them(
            input in proptest::string::string_regex("[a-z 洋,\n\r\"]{0,24}").unwrap()
        ) {
            let bytes = input.as_bytes();
            prop_assert_eq!(Splitter::default().fields_of_first(bytes), first_by_parser(bytes));
        }

        /// Records of ten fields, short or empty (several records to a block) or long (a
        /// record over several blocks), read into columns in another order, some skipped,
        /// between runs of short fields and line feeds (wrong counts, blank lines).
        #[test]
        fn plain_chunks_of_many_fields_split_as_read_plainly(
            chunk in proptest::string::string_regex("(([a-z洋]{0,3},){9}[a-z0-9]{0,70}\n|([a-z]{0,2}[,\n]){0,12}|[a-z0-9]{0,70},){0,40}[a-z]{0,3}").unwrap()
        ) {
            let read = [(5, 0), (0, 1), (9, 2), (2, 7), (8, 3)];
            let (got, lines) = ours_with(&chunk, 10, &read);
            prop_assert_eq!(got, naive_with(&chunk, 10, &read));
            prop_assert_eq!(lines, chunk.matches('\n').count() as u64);
        }
    }
}
