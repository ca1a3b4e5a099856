//! One [`Kind`] per input file: which columns it has and how a record is read. Which
//! programs decide a record is the engine's rule set: a program added to it is streamed
//! with no change here.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;

use crate::decision::{Outcome, Program};
use crate::engine::{Engine, EvalError};
use crate::io::records::{CellFault, Centers, Enterprises, Kind, Laborers, Loans, Posts};
use crate::io::write::{may_need_quotes, needs_quotes, write_cell};
use crate::model::{Enterprise, Laborer, LoanApplication, Post, PovertyStatus, StartupCenter};
use crate::money::Yuan;

/// A small, fast hash for ids (FxHash's multiply-rotate); ids are not attacker-chosen keys
/// of a long-lived server, and a roster's ids are known to its owner.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        // murmur3's final mix: the table's low bits must depend on every byte.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
}

impl IdHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Ids to small numbers, with the fast hash.
pub(crate) type IdMap<V> = HashMap<Box<str>, V, BuildHasherDefault<IdHasher>>;

/// A key that is already a hash.
#[derive(Default, Clone, Copy)]
pub(crate) struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u32(&mut self, n: u32) {
        // Spread 32 bits over 64, so that the table's control bytes (the top bits) differ.
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// An id of at most 16 bytes as a big-endian number, zero-padded. If `key(a) < key(b)`
/// then `a < b` as bytes (at the first differing byte, either both are real bytes, or `a`
/// has ended: it is a prefix of `b`); equal keys prove nothing. With its length, the key
/// is the id. An id of 8 to 16 bytes is read with two overlapping 8-byte loads (no call to
/// `memcpy`), one of 4 to 7 bytes with two 4-byte loads.
#[inline]
pub(crate) fn id_key16(id: &[u8]) -> Option<u128> {
    let n = id.len();
    if (8..=16).contains(&n) {
        let (a, b) = words(id)?;
        let (a, b) = (a.swap_bytes(), b.swap_bytes());
        // `b` holds bytes n−8..n: its first 16−n overlap `a`'s last ones.
        let low = b.checked_shl(8 * (16 - n) as u32).unwrap_or(0);
        return Some(u128::from(a) << 64 | u128::from(low));
    }
    if (4..8).contains(&n) {
        let a = u32::from_be_bytes(id[..4].try_into().ok()?);
        let b = u32::from_be_bytes(id[n - 4..].try_into().ok()?);
        let low = b.checked_shl(8 * (8 - n) as u32).unwrap_or(0);
        return Some(u128::from(u64::from(a) << 32 | u64::from(low)) << 64);
    }
    if n > 16 {
        return None;
    }
    let mut k = 0u128;
    for (i, &c) in id.iter().enumerate() {
        k |= u128::from(c) << (120 - 8 * i);
    }
    Some(k)
}

/// The first and the last eight bytes of an id of 8 or more, as read from memory
/// (little-endian numbers).
#[inline(always)]
fn words(id: &[u8]) -> Option<(u64, u64)> {
    let a = u64::from_le_bytes(id.get(..8)?.try_into().ok()?);
    let b = u64::from_le_bytes(id.get(id.len().checked_sub(8)?..)?.try_into().ok()?);
    Some((a, b))
}

/// A record's trimmed id as read once for the checks after its decision (the increasing
/// ids of a chunk, the post holders).
#[derive(Clone, Copy)]
pub(crate) struct IdWords {
    /// Its [`id_key16`].
    pub key: Option<u128>,
    /// Its length.
    pub len: usize,
    /// Whether it is visible ASCII (its own [`crate::model::id_key`]).
    pub plain: bool,
    /// Its first and last eight bytes as read ([`words`]), when it has 8 to 16.
    pub ends: Option<(u64, u64)>,
}

impl IdWords {
    /// The words of `id` (trimmed, as the reader trims it).
    #[inline(always)]
    pub(crate) fn of(id: &[u8]) -> IdWords {
        IdWords {
            key: id_key16(id),
            len: id.len(),
            plain: crate::model::is_plain(id),
            ends: words(id).filter(|_| id.len() <= 16),
        }
    }
}

/// The post holders' ids, numbered in order of first appearance, compactly: the ids in one
/// string, a table from 32 bits of each id's hash to its number, and a map for the rare ids
/// whose 32 bits another id already has. About 30 bytes a holder, and two bytes a holder for a filter that
/// answers "not a holder" (most laborers) without a probe of the table.
#[derive(Default)]
pub(crate) struct Holders {
    /// One bit per value of a hash's low bits: set when a holder's hash has them.
    filter: Vec<u64>,
    /// How far a hash is shifted right to leave the filter's index (its top bits, the
    /// best mixed of [`hash_of`]'s); 0 with no filter.
    shift: u32,
    text: String,
    spans: Vec<(u32, u32)>,
    by_hash: HashMap<u32, u32, BuildHasherDefault<Prehashed>>,
    collided: IdMap<u32>,
}

/// 32 bits of a hash of an id (a key, by [`crate::model::id_key`]).
fn hash_id(id: &str) -> u32 {
    hash_of(id.as_bytes(), id_key16(id.as_bytes()))
}

/// 32 bits of a hash of `id`, whose [`id_key16`] is `key`: the top half of one multiply
/// (Fibonacci hashing) of its key's two halves folded into one word (no second reading of
/// its bytes), or of a longer id's [`IdHasher`] hash. The top bits of a product depend on
/// every bit of the word, so the filter takes its index from them ([`Holders::shift`]);
/// ids whose words fold alike share a hash, and a probe of the table tells them apart.
#[inline(always)]
fn hash_of(id: &[u8], key: Option<u128>) -> u32 {
    let word = match key {
        Some(k) => (k >> 64) as u64 ^ (k as u64).rotate_left(29),
        None => {
            let mut h = IdHasher::default();
            h.write(id);
            h.finish()
        }
    };
    (word.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as u32
}

impl Holders {
    /// Builds the filter for the holders inserted so far (16 bits a holder: about one
    /// laborer in 16 who holds no post is probed); holders inserted later set their bits.
    pub(crate) fn seal(&mut self) {
        let bits = self
            .len()
            .saturating_mul(16)
            .clamp(64, 1 << 30)
            .next_power_of_two();
        self.filter = vec![0; bits / 64];
        self.shift = 32 - bits.trailing_zeros();
        let spans = std::mem::take(&mut self.spans);
        for &(a, b) in &spans {
            let h = hash_id(self.text.get(a as usize..b as usize).unwrap_or_default());
            self.set_bit(h);
        }
        self.spans = spans;
    }

    /// Adds a holder (once).
    pub(crate) fn insert(&mut self, id: &str) {
        let id = &*crate::model::id_key(id);
        // One hash and one probe of the table: a holder met again (most holders hold a
        // post a month) is found there, a new one takes the vacant entry.
        let h = hash_id(id);
        let n = u32::try_from(self.spans.len()).unwrap_or(u32::MAX);
        match self.by_hash.entry(h) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(n);
            }
            std::collections::hash_map::Entry::Occupied(o) => {
                let same = (self.spans.get(*o.get() as usize))
                    .and_then(|&(a, b)| self.text.get(a as usize..b as usize));
                if same == Some(id) || self.collided.contains_key(id) {
                    return;
                }
                self.collided.insert(id.into(), n);
            }
        }
        let start = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push_str(id);
        let end = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.spans.push((start, end));
        self.set_bit(h);
    }

    /// The holder's number, if `id` holds a post.
    #[inline]
    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        let id = &*crate::model::id_key(id);
        self.find(id, hash_id(id))
    }

    /// [`Holders::get`] of a record's id `id`, as written, whose trimmed form's words are
    /// `w`: a visible ASCII id is its own key, and its hash comes from the words' key.
    #[inline(always)]
    pub(crate) fn get_read(&self, id: &str, w: &IdWords) -> Option<u32> {
        // As long as its trimmed form, `id` is that form (it had nothing to trim).
        if !w.plain || id.len() != w.len {
            return self.get(id);
        }
        self.find(id, hash_of(id.as_bytes(), w.key))
    }

    /// The number of the holder whose key is `id`, whose hash is `h`: the filter first
    /// (most laborers hold no post), then the table.
    #[inline(always)]
    fn find(&self, id: &str, h: u32) -> Option<u32> {
        let i = (h >> (self.shift & 31)) as usize;
        if self
            .filter
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) == 0)
        {
            return None;
        }
        let &n = self.by_hash.get(&h)?;
        let &(a, b) = self.spans.get(n as usize)?;
        if self.text.get(a as usize..b as usize) == Some(id) {
            return Some(n);
        }
        self.collided.get(id).copied()
    }

    /// Sets the filter's bit of a hash (none before [`Holders::seal`]).
    fn set_bit(&mut self, h: u32) {
        let i = (h >> (self.shift & 31)) as usize;
        if let Some(w) = self.filter.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    /// How many holders.
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }
}

/// What every worker reads: the engine, the as-of date, and the post holders.
pub(crate) struct Shared<'a> {
    /// The engine, without explanation steps.
    pub engine: &'a Engine,
    /// The as-of date.
    pub as_of: NaiveDate,
    /// Every post holder's id, numbered.
    pub holders: &'a Holders,
    /// Each holder's status, once laborers are read (`None`: not among the laborers).
    pub holder_status: &'a [Option<PovertyStatus>],
    /// `false`: read and check the records, record the holders' statuses, decide nothing
    /// (laborers read only for the posts and loans of a rule set without laborer rules).
    pub decide: bool,
    /// The positions of this file's programs among the engine's (looked up once).
    pub positions: &'a [usize],
    /// The deciders of this file's programs (looked up once).
    pub deciders: crate::engine::Deciders<'a>,
    /// Each decision also explained into [`Acc::explained`], in this format and language.
    pub explain: Option<(crate::explain::Format, crate::Lang)>,
    /// How the file is read (its encoding, the clerk forms of cells).
    pub read: crate::io::ReadOptions,
    /// The file, as an explained row's source names it.
    pub file: &'a str,
}

impl Shared<'_> {
    /// The status of the laborer `id` among the post holders (`None`: not among the laborers).
    #[inline]
    fn status(&self, id: &str) -> Option<PovertyStatus> {
        let h = self.holders.get(id)?;
        self.holder_status.get(h as usize).copied().flatten()
    }
}

/// Counts and fen per program, for one chunk or the whole run.
#[derive(Debug, Clone, Default)]
pub(crate) struct Counts {
    /// Per program, in the engine's order: subjects, eligible, fen.
    pub by_program: Vec<(u64, u64, i128)>,
}

impl Counts {
    pub(crate) fn merge(&mut self, other: &Counts) {
        if self.by_program.len() < other.by_program.len() {
            self.by_program.resize(other.by_program.len(), (0, 0, 0));
        }
        for (a, b) in self.by_program.iter_mut().zip(&other.by_program) {
            a.0 += b.0;
            a.1 += b.1;
            a.2 += b.2;
        }
    }

    #[inline]
    fn slot(&mut self, i: usize) -> &mut (u64, u64, i128) {
        if self.by_program.len() <= i {
            self.by_program.resize(i + 1, (0, 0, 0));
        }
        &mut self.by_program[i]
    }
}

/// Text of at most `N` bytes, kept in an `N`-byte array (zeros after it) and copied as a
/// whole into the room after the rows ([`Rows`]), which then end after its length: a copy
/// of a size known when compiling is a few vector moves, where a copy of a slice's length
/// is a call to `memcpy` (a third of the cost of a row, when each piece of it was copied
/// so).
#[derive(Clone, Copy)]
pub(crate) struct Padded<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Padded<N> {
    /// `text`, if it has at most `N` bytes.
    #[inline]
    fn new(text: &[u8]) -> Option<Self> {
        let mut bytes = [0; N];
        bytes.get_mut(..text.len())?.copy_from_slice(text);
        Some(Padded {
            bytes,
            len: text.len(),
        })
    }

    /// The text of `n` bytes, 8 to 16, whose first eight are `a` and last eight `b` (as
    /// read from memory: little-endian numbers), if it fits.
    #[inline(always)]
    fn from_words(a: u64, b: u64, n: usize) -> Option<Self> {
        let mut bytes = [0; N];
        bytes
            .get_mut(n.checked_sub(8)?..n)?
            .copy_from_slice(&b.to_le_bytes());
        bytes.get_mut(..8)?.copy_from_slice(&a.to_le_bytes());
        Some(Padded { bytes, len: n })
    }
}

/// payouts.csv rows: the first `end` bytes of `buf`. The bytes after them are room, written
/// over and never read, so that a [`Padded`] piece is copied whole (a copy of a size known
/// when compiling) with no length stored but `end`: a row's three pieces take one test of
/// room and one store of `end`.
#[derive(Default)]
pub(crate) struct Rows {
    buf: Vec<u8>,
    end: usize,
    /// A cell being quoted, before it is appended.
    spill: Vec<u8>,
}

impl Rows {
    /// No rows, and memory for `n` bytes of them (made room as rows need it).
    pub(crate) fn with_capacity(n: usize) -> Rows {
        Rows {
            buf: Vec::with_capacity(n),
            ..Rows::default()
        }
    }

    /// Removes every row (the room stays).
    pub(crate) fn clear(&mut self) {
        self.end = 0;
    }

    /// The rows written.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.end).unwrap_or_default()
    }

    /// The `W` bytes after the rows, made when there are fewer. `None` only if `end + W`
    /// overflows a `usize`, which no buffer in memory reaches (a `Vec` holds at most
    /// `isize::MAX` bytes, and `grow` would have failed first): the writers' `else` arms
    /// are never taken.
    #[inline(always)]
    fn room<const W: usize>(&mut self) -> Option<&mut [u8; W]> {
        let end = self.end;
        let stop = end.checked_add(W)?;
        if stop > self.buf.len() {
            self.grow(stop);
        }
        self.buf.get_mut(end..stop)?.try_into().ok()
    }

    /// Room up to `stop` at least, and 4 KiB more (cold: once per 4 KiB of rows, the
    /// first time a buffer holds that many). Made in blocks of 256 zeros, sixteen vector
    /// stores and a length test each (26 instructions): `resize` calls `memset`, which
    /// cost about 18 for each 16 bytes (BENCHMARKS.md, pass-rows), and blocks of 64 cost
    /// more than twice as many as these.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, stop: usize) {
        let n = stop.saturating_add(4096);
        while self.buf.len() < n {
            self.buf.extend_from_slice(&[0; 256]);
        }
    }

    /// Appends `bytes`.
    fn extend(&mut self, bytes: &[u8]) {
        let end = self.end;
        let stop = end.saturating_add(bytes.len());
        if stop > self.buf.len() {
            self.grow(stop);
        }
        if let Some(w) = self.buf.get_mut(end..stop) {
            w.copy_from_slice(bytes);
            self.end = stop;
        }
    }

    /// Appends `s` as a payouts.csv cell (quoted if need be).
    fn cell(&mut self, s: &str) {
        let mut spill = std::mem::take(&mut self.spill);
        spill.clear();
        write_cell(&mut spill, s);
        self.extend(&spill);
        self.spill = spill;
    }

    /// Appends a piece.
    #[inline(always)]
    fn put<const N: usize>(&mut self, p: &Padded<N>) {
        self.put_bytes(&p.bytes, p.len);
    }

    /// Appends the first `len` bytes of `bytes` (at most `N`), copying all `N`.
    #[inline(always)]
    fn put_bytes<const N: usize>(&mut self, bytes: &[u8; N], len: usize) {
        if let Some(w) = self.room::<N>() {
            *w = *bytes;
            self.end = self.end.wrapping_add(len);
        }
    }

    /// Appends a row of three pieces: each is copied whole after the one before, over its
    /// padding, and `end` moves once. The tail is the first `tail_len` bytes of `tail`.
    /// The head's and the id's lengths (at most 32) are taken below 64 by a mask, which
    /// changes neither: in room of 192 bytes, the copies then need no test of their place.
    #[inline(always)]
    fn row(&mut self, head: &Padded<32>, id: &Padded<32>, tail: &[u8; 64], tail_len: usize) {
        let Some(w) = self.room::<192>() else {
            return;
        };
        if let Some(d) = w.get_mut(..32) {
            d.copy_from_slice(&head.bytes);
        }
        let i = head.len & 63;
        if let Some(d) = w.get_mut(i..i + 32) {
            d.copy_from_slice(&id.bytes);
        }
        let j = i + (id.len & 63);
        if let Some(d) = w.get_mut(j..j + 64) {
            d.copy_from_slice(tail);
        }
        self.end = self.end.wrapping_add(j.wrapping_add(tail_len));
    }
}

/// What one chunk produced.
#[derive(Default)]
pub(crate) struct Acc {
    /// payouts.csv rows.
    pub out: Rows,
    /// The explained list's rows, when asked for.
    pub explained: Vec<u8>,
    /// What writes them, with its texts rendered once per run.
    pub rows: crate::explain::RowWriter,
    /// The current record's source (`laborers.csv:12`), when the list is asked for.
    pub source: String,
    /// Totals of those rows, but the ineligible rows counted in their cache entries
    /// ([`IneligibleRow::rows`]): read them with [`Acc::add_counts_to`].
    pub counts: Counts,
    /// Holders seen among these laborers: (holder number, status).
    pub statuses: Vec<(u32, PovertyStatus)>,
    /// Ineligible rows but their ids, by program and reasons (a small direct-mapped cache).
    pub ineligible: RowCache,
    /// An eligible row's start (`program,`) by program position, when it has at most 32
    /// bytes (rendered on first use).
    pub prefixes: Vec<Option<Padded<32>>>,
}

impl Acc {
    /// Writes a decision of the program at position `i` as a payouts.csv row, as
    /// `io::write_payouts` does, and counts it.
    #[inline(always)]
    pub(crate) fn emit(&mut self, i: usize, program: Program, id: &str, outcome: &Outcome) {
        self.emit_cell(i, program, id, id_cell(id).as_ref(), outcome);
    }

    /// [`Acc::emit`] of a subject whose id `id` has the cell `cell` ([`id_cell`]), made
    /// once for all its rows: they take it as made, with no test of the id per row.
    #[inline(always)]
    pub(crate) fn emit_cell(
        &mut self,
        i: usize,
        program: Program,
        id: &str,
        cell: Option<&Padded<32>>,
        outcome: &Outcome,
    ) {
        match *outcome {
            Outcome::Eligible { amount, capped } => {
                if !matches!(self.prefixes.get(i), Some(Some(_))) {
                    self.prefix(i, program);
                }
                // The usual row, its three pieces copied as one; the others piece by piece.
                let mut tail = AmountTail::new();
                let written = tail.write(amount, capped);
                let prefix = self.prefixes.get(i).and_then(Option::as_ref);
                let fen = match (prefix, cell, written, tail.text()) {
                    (Some(p), Some(cell), Some(fen), Some(text)) => {
                        self.out.row(p, cell, text, tail.len);
                        i128::from(fen)
                    }
                    _ => self.eligible_in_pieces(i, program, id, amount, capped),
                };
                let t = self.counts.slot(i);
                (t.0, t.1, t.2) = (t.0 + 1, t.1 + 1, t.2 + fen);
            }
            Outcome::Ineligible { ref reasons } => {
                // An ineligible row is its program's prefix, the id and a tail that depends
                // only on the program and the reasons: both rendered once per worker (in one
                // text, cut at `head`), then copied. An entry is found again only for the
                // very same program and reason descriptors (by address), so a hit always has
                // the right text.
                // The slot: the reasons' key, halved, mod 256, with no multiply. A numbered
                // set's key is `2n + 1`, so set n takes slot n mod 256: sets numbered in a
                // row (a rule's) never meet, and a rule's sets are its own, so the program
                // needs no mixing in. Lists of one key for several programs (the set "not
                // in force", equal lists pushed) meet: the second takes the next slot, any
                // other is found by the probe (cold; correct, but a call a row). Mixing the
                // program's position in cost 1.4 M instructions in the recorded run.
                let at = usize::from((reasons.identity() >> 1) as u8);
                // The cache as an array: its slots are taken with no test of their place.
                let rows = &mut *self.ineligible.0;
                // The entry's own slot first, then the next; then (cold) the next few: the
                // entry, or the first free slot among them (two keys whose hashes meet would
                // otherwise evict each other on every row, by how the linker placed their
                // descriptors); all taken: `at`. The entry found is kept as a reference
                // (its address, made once), not as its slot.
                let next = (at + 1) % IneligibleRow::SLOTS;
                let found = match rows.get_mut(at) {
                    Some(row) if row.holds(program, reasons) => Some(row),
                    _ => match rows.get_mut(next) {
                        Some(row) if row.holds(program, reasons) => Some(row),
                        _ => {
                            let j = IneligibleRow::probe(
                                rows,
                                &mut self.counts,
                                at,
                                i,
                                program,
                                reasons,
                            );
                            rows.get_mut(j % IneligibleRow::SLOTS)
                        }
                    },
                };
                if let Some(row) = found {
                    // Counted in the entry, which is already at hand: one increment, where
                    // a slot of `counts` costs a test of its place.
                    debug_assert_eq!(row.at, i, "one program at two positions");
                    row.rows += 1;
                    let out = &mut self.out;
                    match &row.padded {
                        Some((head, tail)) => match cell {
                            Some(p) => out.row(head, p, &tail.bytes, tail.len),
                            None => {
                                out.put(head);
                                write_id(out, None, id);
                                out.put(tail);
                            }
                        },
                        None => {
                            let (head, tail) = row.text.split_at(row.head);
                            out.extend(head);
                            write_id(out, cell, id);
                            out.extend(tail);
                        }
                    }
                }
            }
        }
    }

    /// [`Acc::emit_cell`] of an id with no cell (quoted, or of more than 32 bytes; cold:
    /// out of line, so that the usual rows' code is written once, for an id with a cell).
    #[cold]
    #[inline(never)]
    fn emit_uncelled(&mut self, i: usize, program: Program, id: &str, outcome: &Outcome) {
        self.emit_cell(i, program, id, None, outcome);
    }

    /// Starts a chunk's counts: none, in `counts` or in the cache's entries.
    pub(crate) fn clear_counts(&mut self) {
        self.counts = Counts::default();
        for row in self.ineligible.0.iter_mut() {
            row.rows = 0;
        }
    }

    /// Adds the chunk's counts to `total`: `counts`, and the ineligible rows counted in the
    /// cache's entries.
    pub(crate) fn add_counts_to(&self, total: &mut Counts) {
        total.merge(&self.counts);
        for row in self.ineligible.0.iter() {
            if row.rows > 0 {
                total.slot(row.at).0 += row.rows;
            }
        }
    }

    /// An eligible row written piece by piece (cold: an id that needs quotes or has more
    /// than 32 bytes, a program's code of more than 31, an amount not of two decimals);
    /// returns the amount in fen.
    #[cold]
    #[inline(never)]
    fn eligible_in_pieces(
        &mut self,
        i: usize,
        program: Program,
        id: &str,
        amount: Yuan,
        capped: bool,
    ) -> i128 {
        match self.prefixes.get(i).copied().flatten() {
            Some(p) => self.out.put(&p),
            None => {
                self.out.extend(program.code().as_bytes());
                self.out.extend(b",");
            }
        }
        write_id(&mut self.out, None, id);
        write_amount(&mut self.out, amount, capped)
    }

    /// Renders the eligible rows' start of the program at position `i` (cold: once per
    /// worker and program).
    #[cold]
    #[inline(never)]
    fn prefix(&mut self, i: usize, program: Program) -> Option<Padded<32>> {
        if self.prefixes.len() <= i {
            self.prefixes.resize(i + 1, None);
        }
        let mut text = program.code().as_bytes().to_vec();
        text.push(b',');
        let p = Padded::new(&text);
        if let Some(slot) = self.prefixes.get_mut(i) {
            *slot = p;
        }
        p
    }
}

/// The ineligible rows' cache: its [`IneligibleRow::SLOTS`] entries, made with the
/// accumulator (an array behind a pointer: no test of their number at each row, and an
/// [`Acc`] moved between threads stays small).
pub(crate) struct RowCache(Box<[IneligibleRow; IneligibleRow::SLOTS]>);

impl Default for RowCache {
    /// Made in place on the heap ([`crate::boxed::array`]), not on the stack and copied.
    fn default() -> Self {
        RowCache(crate::boxed::array(IneligibleRow::default))
    }
}

/// An ineligible row but its id, for one program and one set of reasons.
#[derive(Default)]
pub(crate) struct IneligibleRow {
    /// The program (`None`: a free entry).
    program: Option<Program>,
    /// The program's position (its counts' slot).
    at: usize,
    /// The reasons (none in a free entry).
    reasons: crate::decision::Reasons,
    /// The rows written from the entry since the chunk's counts were cleared and not yet in
    /// [`Acc::counts`] (added there when the entry is rendered over).
    rows: u64,
    /// `program,` then `,false,0.00,reasons\n`.
    text: Vec<u8>,
    /// Where the id goes in `text`.
    head: usize,
    /// `text` before and after the id, when they have at most 32 and 64 bytes.
    padded: Option<(Padded<32>, Padded<64>)>,
}

/// Slots an ineligible row's entry is looked for in, from its hash's.
const PROBES: usize = 8;

impl IneligibleRow {
    /// Entries of the cache (a power of two: the hash's top 8 bits).
    const SLOTS: usize = 256;

    /// The entry is the text of `program`'s rows with `reasons` (the very same
    /// descriptors, by address: a hit always has the right text). Its position is not
    /// compared: an engine holds a program at one position only (a rule set refuses a
    /// second rule with its code: [`crate::ruleset::RuleSetError::Duplicate`]), so the
    /// program tells it. By reference: a copy of the cached reasons costs more than the
    /// test.
    #[inline(always)]
    fn holds(&self, program: Program, reasons: &crate::decision::Reasons) -> bool {
        (self.program).is_some_and(|p| std::ptr::eq(p.def(), program.def()))
            && self.reasons.same_as(reasons)
    }

    /// The slot of `program`'s rows with `reasons` (at position `i`) near `at`, rendered
    /// there if it was not found: the entry, or the first free slot, among [`PROBES`] from
    /// `at`; all taken by other entries, `at` itself (its rows added to `counts` first).
    #[cold]
    #[inline(never)]
    fn probe(
        rows: &mut [IneligibleRow],
        counts: &mut Counts,
        at: usize,
        i: usize,
        program: Program,
        reasons: &crate::decision::Reasons,
    ) -> usize {
        let near = (0..PROBES).map(|k| (at + k) % IneligibleRow::SLOTS);
        let found = near
            .clone()
            .find(|&j| (rows.get(j)).is_some_and(|row| row.holds(program, reasons)));
        let free = || {
            near.clone()
                .find(|&j| rows.get(j).is_some_and(|r| r.program.is_none()))
        };
        let j = found.or_else(free).unwrap_or(at);
        if let Some(row) = rows.get_mut(j).filter(|r| !r.holds(program, reasons)) {
            row.render(counts, i, program, reasons);
        }
        j
    }

    /// Makes the entry that of `program`'s rows with `reasons`, at position `i`; the rows
    /// counted in it before are added to `counts`.
    fn render(
        &mut self,
        counts: &mut Counts,
        i: usize,
        program: Program,
        reasons: &crate::decision::Reasons,
    ) {
        if self.rows > 0 {
            counts.slot(self.at).0 += self.rows;
        }
        self.rows = 0;
        self.at = i;
        self.program = Some(program);
        self.reasons = *reasons;
        let text = &mut self.text;
        text.clear();
        text.extend_from_slice(program.code().as_bytes());
        text.push(b',');
        self.head = text.len();
        text.extend_from_slice(b",false,0.00,");
        for (i, r) in reasons.iter().enumerate() {
            if i > 0 {
                text.push(b';');
            }
            text.extend_from_slice(r.code().as_bytes());
        }
        text.push(b'\n');
        let (head, tail) = text.split_at(self.head);
        self.padded = Padded::new(head).zip(Padded::new(tail));
    }
}

/// Writes a subject's id as a payouts.csv cell, whose [`id_cell`] is `cell`.
#[inline(always)]
fn write_id(out: &mut Rows, cell: Option<&Padded<32>>, id: &str) {
    match cell {
        Some(p) => out.put(p),
        // Longer than 32 bytes, with no quotes, or quoted.
        None if !needs_quotes(id) => out.extend(id.as_bytes()),
        None => out.cell(id),
    }
}

/// A subject's id as a payouts.csv cell, if it needs no quotes and has at most 32 bytes
/// (else [`write_id`] writes it). Made once for all of a subject's rows (they share its
/// id). The usual id, of 8 to 16 bytes, is tested and copied as its first and last eight
/// (no byte loop, no call to `memcpy`).
#[inline(always)]
fn id_cell(id: &str) -> Option<Padded<32>> {
    let n = id.len();
    match words(id.as_bytes()) {
        Some((a, b)) if n <= 16 && !(may_need_quotes(a) | may_need_quotes(b)) => {
            Padded::from_words(a, b, n)
        }
        _ if needs_quotes(id) => None,
        _ => Padded::new(id.as_bytes()),
    }
}

/// [`id_cell`] of a record's id `id`, whose trimmed form's words are `w`: from those words
/// when they tell it (an id of 8 to 16 visible ASCII bytes, as long as its trimmed form
/// and so equal to it, with no byte at or below `,`), with no second reading of its bytes.
#[inline(always)]
fn record_cell(id: &str, w: &IdWords) -> Option<Padded<32>> {
    match w.ends {
        // `ends` is there only for 8 to 16 bytes, so both words fit.
        Some((a, b))
            if w.plain && id.len() == w.len && !(may_need_quotes(a) | may_need_quotes(b)) =>
        {
            Padded::from_words(a, b, w.len)
        }
        _ => id_cell(id),
    }
}

/// Two decimal digits of each number below 100, in order (`00`, `01`, ... `99`).
const PAIRS: [u8; 200] = {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
};

/// The rest of an eligible row as `io::write_payouts` writes it: `,true,`, the amount as
/// `Yuan`'s `Display` writes it (two decimals), the reason (`capped` or none) and the line
/// feed, for an amount of two decimals from 0 to `u64::MAX` fen (every rule's). Written
/// from the right, two digits at a time, so that no count of the digits is needed: the
/// text is `bytes[from..from + len]`, and the 64 bytes from `from` are copied whole.
struct AmountTail {
    bytes: [u8; 96],
    from: usize,
    len: usize,
}

impl AmountTail {
    /// Where the reason starts: after at most 18 digits of yuan, the point and two of fen,
    /// and `,true,`, from byte 13 at least (`from + 64` is then at most 94).
    const REASON: usize = 40;

    /// No text yet.
    #[inline(always)]
    fn new() -> AmountTail {
        AmountTail {
            bytes: [0; 96],
            from: 0,
            len: 0,
        }
    }

    /// Writes the tail of `amount`, if it has two decimals and fits in 64 bits of fen
    /// (else writes nothing); returns the amount in fen. In place: the caller's buffer,
    /// not a result moved.
    #[inline(always)]
    fn write(&mut self, amount: Yuan, capped: bool) -> Option<u64> {
        const SUFFIX: [([u8; 8], usize); 2] = [(*b",\n\0\0\0\0\0\0", 2), (*b",capped\n", 8)];
        let fen = u64::try_from(amount.fen()?).ok()?;
        let (suffix, suffix_len) = SUFFIX[usize::from(capped)];
        let r = Self::REASON;
        let bytes = &mut self.bytes;
        bytes[r..r + 8].copy_from_slice(&suffix);
        let pair = |n: u64| {
            let k = 2 * (n % 100) as usize;
            [PAIRS[k], PAIRS[k + 1]]
        };
        bytes[r - 2..r].copy_from_slice(&pair(fen));
        bytes[r - 3] = b'.';
        // Yuan: at most 18 digits (u64::MAX / 100 < 10^18), so `k` stays above 18.
        let mut yuan = fen / 100;
        let mut k = r - 3;
        while yuan >= 100 {
            k -= 2;
            bytes[k..k + 2].copy_from_slice(&pair(yuan));
            yuan /= 100;
        }
        if yuan >= 10 {
            k -= 2;
            bytes[k..k + 2].copy_from_slice(&pair(yuan));
        } else {
            k -= 1;
            bytes[k] = b'0' + yuan as u8;
        }
        k -= 6;
        bytes[k..k + 6].copy_from_slice(b",true,");
        self.from = k;
        self.len = r + suffix_len - k;
        Some(fen)
    }

    /// The 64 bytes from the text's start (the text, then bytes that mean nothing).
    #[inline(always)]
    fn text(&self) -> Option<&[u8; 64]> {
        self.bytes.get(self.from..self.from + 64)?.try_into().ok()
    }
}

/// Writes the rest of an eligible row ([`AmountTail`], or the exact value when it has
/// none); returns the amount in fen.
fn write_amount(out: &mut Rows, amount: Yuan, capped: bool) -> i128 {
    let mut tail = AmountTail::new();
    if let Some(fen) = tail.write(amount, capped)
        && let Some(text) = tail.text()
    {
        out.put_bytes(text, tail.len);
        return i128::from(fen);
    }
    // Not two decimals, negative or beyond 64 bits (no rule produces these): the exact
    // value, counted exactly.
    out.extend(b",true,");
    out.extend(amount.to_string().as_bytes());
    out.extend(if capped {
        b",capped\n".as_slice()
    } else {
        b",\n"
    });
    let mut d = amount.as_decimal();
    d.rescale(2);
    d.mantissa()
}

/// Why a record cannot be decided.
#[derive(Debug)]
pub(crate) enum Fault {
    /// A bad cell.
    Cell(CellFault),
    /// The engine refused (an amount too large).
    Eval(EvalError),
}

impl From<CellFault> for Fault {
    fn from(f: CellFault) -> Self {
        Fault::Cell(f)
    }
}

/// A file of the stream: what follows the one reader's [`Kind::parse`] of a record.
pub(crate) trait Stream: Kind {
    /// The kind of subject its records are.
    const SUBJECT: crate::SubjectKind;
    /// Checks the record's references, decides it and writes its rows to `acc` (`id`: the
    /// words of its trimmed id).
    fn decide(s: &Self::Scratch, id: &IdWords, sh: &Shared<'_>, acc: &mut Acc)
    -> Result<(), Fault>;
}

impl Stream for Laborers {
    const SUBJECT: crate::SubjectKind = crate::SubjectKind::Laborer;

    #[inline]
    fn decide(l: &Laborer, id: &IdWords, sh: &Shared<'_>, acc: &mut Acc) -> Result<(), Fault> {
        // Looked up before the decision, while the id's words are at hand (after it, they
        // are read again from memory); noted only once it is decided.
        let holder = sh.holders.get_read(&l.id, id);
        if sh.decide {
            decide(sh, l, record_cell(&l.id, id), acc)?;
        }
        if let Some(holder) = holder {
            acc.statuses.push((holder, l.poverty_status));
        }
        Ok(())
    }
}

impl Stream for Enterprises {
    const SUBJECT: crate::SubjectKind = crate::SubjectKind::Enterprise;

    #[inline]
    fn decide(e: &Enterprise, _: &IdWords, sh: &Shared<'_>, acc: &mut Acc) -> Result<(), Fault> {
        decide(sh, e, id_cell(&e.id), acc)
    }
}

impl Stream for Posts {
    const SUBJECT: crate::SubjectKind = crate::SubjectKind::Post;

    #[inline]
    fn decide(p: &Post, _: &IdWords, sh: &Shared<'_>, acc: &mut Acc) -> Result<(), Fault> {
        // A holder who is not among the laborers is not registered ([`crate::model::Holder`]).
        let status = sh.status(&p.holder_id).unwrap_or(PovertyStatus::None);
        decide(sh, (p, status), id_cell(&p.id), acc)
    }
}

impl Stream for Loans {
    const SUBJECT: crate::SubjectKind = crate::SubjectKind::LoanApplication;

    #[inline]
    fn decide(
        a: &LoanApplication,
        _: &IdWords,
        sh: &Shared<'_>,
        acc: &mut Acc,
    ) -> Result<(), Fault> {
        decide(sh, a, id_cell(&a.laborer_id), acc)
    }
}

impl Stream for Centers {
    const SUBJECT: crate::SubjectKind = crate::SubjectKind::StartupCenter;

    #[inline]
    fn decide(c: &StartupCenter, _: &IdWords, sh: &Shared<'_>, acc: &mut Acc) -> Result<(), Fault> {
        decide(sh, c, id_cell(&c.id), acc)
    }
}

/// Every program of the subject's kind, in rule order, written to `acc`; `cell` is the
/// [`id_cell`] of its id (as [`crate::rules::Subject::id`] has it).
#[inline]
fn decide<'a>(
    sh: &Shared<'a>,
    subject: impl Into<crate::rules::Subject<'a>>,
    cell: Option<Padded<32>>,
    acc: &mut Acc,
) -> Result<(), Fault> {
    let subject = subject.into();
    match sh.explain {
        Some((format, lang)) => sh
            .engine
            .decide_at(sh.positions, subject, sh.as_of, |i, d| {
                acc.emit(i, d.program, d.subject_id, &d.outcome);
                (acc.rows).write(&mut acc.explained, &d, &acc.source, lang, format);
                Ok(())
            }),
        None => {
            let (deciders, id) = (sh.deciders, subject.id());
            // The usual id has a cell: its rows are written knowing it (no test per row).
            match &cell {
                Some(c) => deciders.outcomes(subject, sh.as_of, |i, p, outcome| {
                    acc.emit_cell(i, p, id, Some(c), outcome);
                }),
                None => deciders.outcomes(subject, sh.as_of, |i, p, outcome| {
                    acc.emit_uncelled(i, p, id, outcome);
                }),
            }
        }
    }
    .map_err(Fault::Eval)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reason sets of one program that differ only between their first and last reason
    /// are told apart by the exact test: each row has its own reasons, whatever the order
    /// they come in; and a tail longer than a padded piece is written whole. (Entries whose
    /// keys meet at one slot: `ineligible_rows_sharing_a_slot_keep_their_own_text`.)
    #[test]
    fn ineligible_rows_of_close_reasons_keep_their_own_text() {
        use crate::rules::{common, isolation, startup_grant, transport};
        let (a, b) = (common::NOT_POOR, common::OUTSIDE_WINDOW);
        let (c, d) = (isolation::NOT_ISOLATED, isolation::INCOMPLETE_ISOLATION);
        let set = |rs: &[crate::decision::Reason]| {
            let mut r = crate::decision::Reasons::new();
            for &x in rs {
                r.push(x);
            }
            r
        };
        let (abd, acd) = (set(&[a, b, d]), set(&[a, c, d]));
        assert!(!abd.same_as(&acd));
        let long = set(&[a, b, c, d, startup_grant::NOT_POOR_OR_GRADUATE]);
        let mut acc = Acc::default();
        let mut want = String::new();
        for reasons in [abd, acd, abd, long, acd, long, abd] {
            acc.emit(
                0,
                transport::PROGRAM,
                "L0000001",
                &Outcome::Ineligible { reasons },
            );
            want.push_str(&format!(
                "transport_subsidy,L0000001,false,0.00,{reasons}\n"
            ));
        }
        assert!(long.to_string().len() > 64 - ",false,0.00,\n".len());
        assert_eq!(
            String::from_utf8(acc.out.as_bytes().to_vec()).unwrap(),
            want
        );
    }

    /// A list's key is made as its reasons are pushed: the same for the same reasons pushed
    /// in the same order (a repeat not pushed, a list emptied and filled again, a copy),
    /// 0 for none, and (for these) different for different lists.
    #[test]
    fn reasons_keys_are_made_as_pushed() {
        use crate::decision::Reasons;
        use crate::rules::{common, isolation};
        let all = [
            common::NOT_POOR,
            common::OUTSIDE_WINDOW,
            isolation::NOT_ISOLATED,
            isolation::INCOMPLETE_ISOLATION,
        ];
        let set = |bits: usize| {
            let mut r = Reasons::new();
            for (k, &x) in all.iter().enumerate() {
                r.check(bits & (1 << k) != 0, x);
            }
            r
        };
        assert_eq!(Reasons::new().identity(), 0);
        let mut seen = std::collections::HashMap::new();
        for bits in 0..16 {
            let r = set(bits);
            let mut again = set(15);
            again.clear();
            for x in r.iter() {
                again.push(x);
                again.push(x);
            }
            let copy = r;
            assert_eq!(again.identity(), r.identity(), "{r}");
            assert_eq!(copy.identity(), r.identity(), "{r}");
            assert_eq!(seen.insert(r.identity(), bits), None, "{r}");
        }
        assert_eq!(set(0).identity(), 0);
    }

    /// Rows of ids of every length and kind, eligible and not, as `write_payouts` writes
    /// them, across many growths of the buffer (from none, and from some memory).
    #[test]
    fn rows_are_written_whole_across_the_buffers_growth() {
        use crate::rules::{common, isolation, transport};
        let ids: Vec<String> = [
            "",
            "L1",
            "L000001",
            "L0000001",
            "L000000000000016",
            "L0000000000000017",
            "a,b",
            "say \"hi\"",
            "L1\r",
            "张三",
            "Ｌ１２３４５６７",
            "L,0000000000016",
            " L0000000001 ",
            "L000000\"0001",
            "L0000000,0001",
            "Ｌ00000001",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain((30..=34).map(|n| "L".repeat(n)))
        .chain(["L,".repeat(17)])
        .collect();
        let mut poor = crate::decision::Reasons::new();
        poor.push(common::NOT_POOR);
        for mut acc in [
            Acc::default(),
            Acc {
                out: Rows::with_capacity(100),
                ..Acc::default()
            },
        ] {
            let mut want = Vec::new();
            for n in 0..3000usize {
                let id = &ids[n % ids.len()];
                // Half the records with their id cell made from the words read (as the
                // laborers' are), whatever the id; the others from its bytes.
                let cell = if n % 2 == 0 {
                    record_cell(id, &IdWords::of(id.trim().as_bytes()))
                } else {
                    id_cell(id)
                };
                assert_eq!(cell.map(|p| p.bytes), id_cell(id).map(|p| p.bytes), "{id}");
                let amount =
                    Yuan::parse(["12.34", "0.05", "1864461344.77", "0.001"][n % 4]).unwrap();
                let capped = n % 3 == 0;
                acc.emit_cell(
                    0,
                    transport::PROGRAM,
                    id,
                    cell.as_ref(),
                    &Outcome::Eligible { amount, capped },
                );
                acc.emit_cell(
                    1,
                    isolation::PROGRAM,
                    id,
                    cell.as_ref(),
                    &Outcome::Ineligible { reasons: poor },
                );
                let mut cell = Vec::new();
                crate::io::write::write_cell(&mut cell, id);
                let cell = String::from_utf8(cell).unwrap();
                let reason = if capped { "capped" } else { "" };
                want.extend_from_slice(
                    format!(
                        "transport_subsidy,{cell},true,{amount},{reason}\n\
                         isolation_allowance,{cell},false,0.00,not_poor\n"
                    )
                    .as_bytes(),
                );
            }
            assert_eq!(
                String::from_utf8(acc.out.as_bytes().to_vec()).unwrap(),
                String::from_utf8(want).unwrap()
            );
            acc.out.clear();
            assert!(acc.out.as_bytes().is_empty());
        }
    }

    /// Rows whose cache entries meet at one slot each keep their own text: the second is
    /// placed in the next free slot and found there again, never evicting the first; with
    /// every near slot taken, the home slot is rendered over, still with the right text.
    #[test]
    fn ineligible_rows_sharing_a_slot_keep_their_own_text() {
        use crate::rules::{common, isolation, transport};
        let mut rows: Vec<IneligibleRow> = Vec::new();
        rows.resize_with(IneligibleRow::SLOTS, Default::default);
        let text = |rows: &[IneligibleRow], j: usize| {
            String::from_utf8(rows.get(j).map(|r| r.text.clone()).unwrap_or_default()).unwrap()
        };
        let mut poor = crate::decision::Reasons::new();
        poor.push(common::NOT_POOR);
        let none = crate::decision::Reasons::new();
        let at = IneligibleRow::SLOTS - 1;
        let mut counts = Counts::default();
        let (t, i) = ((0, transport::PROGRAM), (1, isolation::PROGRAM));
        let mut probe = |rows: &mut Vec<IneligibleRow>, (n, p): (usize, Program), r: &_| {
            IneligibleRow::probe(rows, &mut counts, at, n, p, r)
        };
        let a = probe(&mut rows, t, &poor);
        let b = probe(&mut rows, i, &poor);
        assert_eq!((a, b), (at, 0), "the next slot wraps around");
        assert_eq!(text(&rows, a), "transport_subsidy,,false,0.00,not_poor\n");
        assert_eq!(text(&rows, b), "isolation_allowance,,false,0.00,not_poor\n");
        assert_eq!(probe(&mut rows, t, &poor), a);
        assert_eq!(probe(&mut rows, i, &poor), b);
        // Every near slot taken by others: the home slot, rendered anew.
        for k in 0..PROBES {
            let j = (at + k) % IneligibleRow::SLOTS;
            let row = rows.get_mut(j).unwrap();
            row.render(&mut Counts::default(), 1, isolation::PROGRAM, &poor);
            row.rows = 7;
        }
        let c = probe(&mut rows, t, &none);
        assert_eq!(c, at);
        assert_eq!(text(&rows, c), "transport_subsidy,,false,0.00,\n");
        // The rows counted in the entry rendered over are kept.
        assert_eq!(counts.by_program, [(0, 0, 0), (7, 0, 0)]);
        assert_eq!(rows.get(c).map(|r| r.rows), Some(0));
    }

    /// Each program's rows are counted, whether their entry stays, is rendered over or is
    /// found again, and clearing the counts starts from none.
    #[test]
    fn ineligible_rows_are_counted_by_program() {
        use crate::rules::{common, isolation, startup_grant, transport};
        let reasons = [
            common::NOT_POOR,
            common::OUTSIDE_WINDOW,
            isolation::NOT_ISOLATED,
            isolation::INCOMPLETE_ISOLATION,
            startup_grant::NOT_POOR_OR_GRADUATE,
        ];
        // Every subset of the five reasons, for three programs: 96 sets, enough to meet in
        // slots and to be rendered over.
        let sets: Vec<crate::decision::Reasons> = (1..32usize)
            .map(|bits| {
                let mut r = crate::decision::Reasons::new();
                for (k, &x) in reasons.iter().enumerate() {
                    r.check(bits & (1 << k) != 0, x);
                }
                r
            })
            .collect();
        let programs = [
            transport::PROGRAM,
            isolation::PROGRAM,
            startup_grant::PROGRAM,
        ];
        let mut acc = Acc::default();
        for round in 0..3u64 {
            acc.clear_counts();
            let mut want = vec![(0u64, 0u64, 0i128); 3];
            for n in 0..5000usize {
                let i = (n * 7 + n / 3) % 3;
                let reasons = sets[(n * 13 + n / 5) % sets.len()];
                acc.emit(i, programs[i], "L0000001", &Outcome::Ineligible { reasons });
                want[i].0 += 1;
                if n % 11 == 0 {
                    let amount = Yuan::parse("12.34").unwrap();
                    let outcome = Outcome::Eligible {
                        amount,
                        capped: false,
                    };
                    acc.emit(i, programs[i], "L0000001", &outcome);
                    want[i] = (want[i].0 + 1, want[i].1 + 1, want[i].2 + 1234);
                }
            }
            let mut total = Counts::default();
            acc.add_counts_to(&mut total);
            assert_eq!(total.by_program, want, "round {round}");
            acc.out.clear();
        }
    }

    /// The key of an id of at most 16 bytes, as it was built: copied into 16 zero bytes.
    fn padded_key(id: &[u8]) -> Option<u128> {
        let mut w = [0u8; 16];
        w.get_mut(..id.len())?.copy_from_slice(id);
        Some(u128::from_be_bytes(w))
    }

    /// Ids of 0 to 32 bytes, ASCII or not, with bytes of every kind at every place.
    fn sample_ids() -> Vec<Vec<u8>> {
        let mut ids = Vec::new();
        for len in 0..=32usize {
            for fill in [b'L', b'0', b'~', b'!'] {
                ids.push(vec![fill; len]);
                for at in 0..len {
                    for b in [0u8, b' ', b'!', b'A', b'~', 0x7F, 0x80, 0xE5, 0xFF] {
                        let mut id = vec![fill; len];
                        id[at] = b;
                        ids.push(id);
                    }
                }
            }
            ids.push((0..len).map(|i| (i * 37 + 11) as u8).collect());
        }
        for s in [
            "L0000001",
            "张三",
            "Ｌ１２３４５６７",
            "編號-0001-甲乙",
            "L1\u{200b}",
        ] {
            ids.push(s.as_bytes().to_vec());
        }
        ids
    }

    #[test]
    fn id_words_are_the_padded_key_and_the_plain_test() {
        for id in sample_ids() {
            let w = IdWords::of(&id);
            assert_eq!(w.key, padded_key(&id), "{id:?}");
            assert_eq!(id_key16(&id), padded_key(&id), "{id:?}");
            assert_eq!(w.len, id.len());
            assert_eq!(w.plain, crate::model::is_plain(&id), "{id:?}");
        }
        // Keys order as the bytes do, wherever they differ.
        let ids: Vec<Vec<u8>> = sample_ids().into_iter().filter(|i| i.len() <= 16).collect();
        for a in ids.iter().step_by(7) {
            for b in ids.iter().step_by(5) {
                if id_key16(a) < id_key16(b) {
                    assert!(a < b, "{a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn holders_are_found_by_the_words_of_a_record_id() {
        let mut h = Holders::default();
        let holders = [
            "L1",
            "L0000001",
            "L00000000000016",
            "L000000000000017",
            "L0000000000000018x",
            "张三",
            "Ｌ９",
            "L 2",
        ];
        for id in holders {
            h.insert(id);
        }
        h.seal();
        let find = |raw: &str| {
            let trimmed = raw.trim();
            h.get_read(raw, &IdWords::of(trimmed.as_bytes()))
        };
        for (n, id) in holders.iter().enumerate() {
            assert_eq!(find(id), Some(n as u32), "{id}");
            assert_eq!(find(&format!(" {id}\u{3000}")), h.get(id), "{id}");
        }
        assert_eq!(find(" L1 "), Some(0));
        assert_eq!(find("L9"), Some(6), "NFKC: Ｌ９ is L9");
        for id in [
            "L2",
            "L00000001",
            "L000000000000001",
            "",
            "L0000000000000018",
        ] {
            assert_eq!(find(id), None, "{id}");
        }
    }

    #[test]
    fn holders_are_found_exactly_even_when_32_bit_hashes_collide() {
        // Scrambled ids (16 bytes: `L` and 15 hex digits of splitmix64): sequential ones
        // spread evenly under one multiply and never meet, these meet as random ones do
        // (about 4.7 pairs among 200,000).
        let mix = |i: u64| {
            let mut z = i.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) >> 4
        };
        let ids: Vec<String> = (0..200_000).map(|i| format!("L{:015x}", mix(i))).collect();
        let mut h = Holders::default();
        for id in ids.iter().step_by(2).take(50_000) {
            h.insert(id);
            h.insert(id);
        }
        h.seal();
        for id in ids.iter().step_by(2).skip(50_000) {
            h.insert(id);
        }
        assert_eq!(h.len(), 100_000);
        for (i, id) in ids.iter().enumerate() {
            let want = (i % 2 == 0).then_some((i / 2) as u32);
            assert_eq!(h.get(id), want, "{id}");
        }
        let mut seen = std::collections::HashMap::new();
        let collisions = ids
            .iter()
            .filter(|id| seen.insert(hash_id(id), ()).is_some())
            .count();
        assert!(
            collisions > 0,
            "the test should meet at least one 32-bit collision"
        );
    }

    #[test]
    fn amounts_are_written_as_yuan_displays_them() {
        for s in [
            "0.00",
            "0.05",
            "0.50",
            "1.00",
            "500.00",
            "7407.41",
            "1864461344.77",
            "9.99",
            "10.00",
            "99.99",
            "100.00",
            "184467440737095516.15",
            "184467440737095516.16",
            "0.001",
        ] {
            let y = Yuan::parse(s).unwrap();
            for capped in [false, true] {
                let mut out = Rows::default();
                let fen = write_amount(&mut out, y, capped);
                let reason = if capped { "capped" } else { "" };
                assert_eq!(
                    String::from_utf8(out.as_bytes().to_vec()).unwrap(),
                    format!(",true,{y},{reason}\n")
                );
                let mut d = y.as_decimal();
                d.rescale(2);
                assert_eq!(fen, d.mantissa());
            }
        }
    }
}
