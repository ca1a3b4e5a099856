//! One [`Kind`] per input file: which columns it has and how a record is read. Which
//! programs decide a record is the engine's rule set: a program added to it is streamed
//! with no change here.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;

use super::cells::{Dates, boolean, code, count, money};
use super::split::{Cells, trim};
use crate::decision::{Decision, Outcome};
use crate::engine::{Engine, EvalError};
use crate::io::{Problem, ctr, ent, files, lab, loan, pst};
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

/// The post holders' ids, numbered in order of first appearance, compactly: the ids in one
/// string, a table from 32 bits of each id's hash to its number (sized once, from the
/// number of posts: no growth, no rehash), and a map for the rare ids whose 32 bits another
/// id already has. About 30 bytes a holder.
#[derive(Default)]
pub(crate) struct Holders {
    text: String,
    spans: Vec<(u32, u32)>,
    by_hash: HashMap<u32, u32, BuildHasherDefault<Prehashed>>,
    collided: IdMap<u32>,
}

fn hash_id(id: &str) -> u32 {
    let mut h = IdHasher::default();
    h.write(id.as_bytes());
    (h.finish() >> 32) as u32
}

impl Holders {
    /// Room for `n` holders.
    pub(crate) fn with_capacity(n: usize) -> Holders {
        Holders {
            by_hash: HashMap::with_capacity_and_hasher(n, BuildHasherDefault::default()),
            spans: Vec::with_capacity(n),
            ..Holders::default()
        }
    }

    /// Adds a holder (once).
    pub(crate) fn insert(&mut self, id: &str) {
        if self.get(id).is_some() {
            return;
        }
        let n = u32::try_from(self.spans.len()).unwrap_or(u32::MAX);
        let start = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push_str(id);
        let end = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.spans.push((start, end));
        match self.by_hash.entry(hash_id(id)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(n);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.collided.insert(id.into(), n);
            }
        }
    }

    /// The holder's number, if `id` holds a post.
    #[inline]
    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        let &n = self.by_hash.get(&hash_id(id))?;
        let &(a, b) = self.spans.get(n as usize)?;
        if self.text.get(a as usize..b as usize) == Some(id) {
            return Some(n);
        }
        self.collided.get(id).copied()
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
}

impl Shared<'_> {
    /// The status of the laborer `id` among the post holders and loan applicants.
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

/// What one chunk produced.
#[derive(Default)]
pub(crate) struct Acc {
    /// payouts.csv rows.
    pub out: Vec<u8>,
    /// Totals of those rows.
    pub counts: Counts,
    /// Holders seen among these laborers: (holder number, status).
    pub statuses: Vec<(u32, PovertyStatus)>,
    /// The end of an ineligible row, by program and reasons (a small direct-mapped cache).
    pub ineligible: Vec<(u32, Vec<u8>)>,
    /// The id of the current record, if it needs no quotes, as its address and length
    /// (only compared); reset before each record, since the record's id buffer is reused.
    pub plain_id: (usize, usize),
}

impl Acc {
    /// Writes a decision of the program at position `i` as a payouts.csv row, as
    /// `io::write_payouts` does, and counts it.
    #[inline]
    pub(crate) fn emit(&mut self, i: usize, d: &Decision<'_>) {
        let out = &mut self.out;
        out.extend_from_slice(d.program.code().as_bytes());
        out.push(b',');
        // A subject's rows share its id: whether it needs quotes is decided once.
        let id = d.subject_id;
        if (id.as_ptr() as usize, id.len()) != self.plain_id {
            if needs_quotes(id) {
                self.plain_id = (0, 0);
                write_quoted(out, id);
            } else {
                self.plain_id = (id.as_ptr() as usize, id.len());
                out.extend_from_slice(id.as_bytes());
            }
        } else {
            out.extend_from_slice(id.as_bytes());
        }
        let t = self.counts.slot(i);
        match d.outcome {
            Outcome::Eligible { amount, capped } => {
                out.extend_from_slice(b",true,");
                let fen = write_amount(out, amount);
                out.extend_from_slice(if capped { b",capped\n" } else { b",\n" });
                (t.0, t.1, t.2) = (t.0 + 1, t.1 + 1, t.2 + fen);
            }
            Outcome::Ineligible { reasons } => {
                t.0 += 1;
                // The rest of an ineligible row depends only on the program and the reasons:
                // written once per worker, then copied. The key is exact: the program's
                // position and the positions of its reasons among those it declares (bit
                // 15: not_in_force); a reason it does not declare is written uncached.
                let declared = d.program.def().reasons;
                let mask = reasons.iter().try_fold(0u32, |m, r| {
                    if r == crate::decision::Reason::NOT_IN_FORCE {
                        return Some(m | 1 << 15);
                    }
                    declared.iter().position(|x| *x == r).map(|k| m | 1 << k)
                });
                let Some(mask) = mask.filter(|_| i < 256) else {
                    out.extend_from_slice(b",false,0.00,");
                    out.extend_from_slice(reasons.to_string().as_bytes());
                    out.push(b'\n');
                    return;
                };
                let key = (i as u32) << 16 | mask;
                let at = (key.wrapping_mul(0x9E37_79B1) >> 24) as usize;
                if self.ineligible.len() < 256 {
                    self.ineligible.resize_with(256, Default::default);
                }
                if let Some((k, text)) = self.ineligible.get_mut(at) {
                    if *k != key + 1 {
                        *k = key + 1;
                        text.clear();
                        text.extend_from_slice(b",false,0.00,");
                        for (i, r) in reasons.iter().enumerate() {
                            if i > 0 {
                                text.push(b';');
                            }
                            text.extend_from_slice(r.code().as_bytes());
                        }
                        text.push(b'\n');
                    }
                    out.extend_from_slice(text);
                }
            }
        }
    }
}

/// Whether the `csv` writer quotes a cell: when it holds a comma, quote or line break.
#[inline]
fn needs_quotes(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
}

/// A cell as the `csv` writer writes it.
#[cfg(test)]
fn write_cell(out: &mut Vec<u8>, s: &str) {
    if needs_quotes(s) {
        write_quoted(out, s);
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

/// A cell in quotes, its quotes doubled.
fn write_quoted(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for b in s.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Writes an amount as `Yuan`'s `Display` does (two decimals), and returns it in fen.
#[inline]
fn write_amount(out: &mut Vec<u8>, amount: Yuan) -> i128 {
    match amount.fen() {
        Some(fen) if fen >= 0 => {
            let mut digits = [0u8; 40];
            let mut n = fen;
            let mut i = digits.len();
            while i > 0 && (n > 0 || digits.len() - i < 3) {
                i -= 1;
                if let Some(d) = digits.get_mut(i) {
                    *d = b'0' + (n % 10) as u8;
                }
                n /= 10;
            }
            let written = digits.get(i..).unwrap_or_default();
            let (int, frac) = written.split_at(written.len().saturating_sub(2));
            out.extend_from_slice(int);
            out.push(b'.');
            out.extend_from_slice(frac);
            fen
        }
        _ => {
            // Not two decimals (no rule produces this): the exact value, counted exactly.
            out.extend_from_slice(amount.to_string().as_bytes());
            let mut d = amount.as_decimal();
            d.rescale(2);
            d.mantissa()
        }
    }
}

/// Why a record cannot be decided.
#[derive(Debug)]
pub(crate) enum Fault {
    /// A bad cell: the column's index, the value to show (`None`: the cell as written),
    /// and what is wrong.
    Cell {
        column: usize,
        value: Option<String>,
        problem: Problem,
    },
    /// The engine refused (a parameter not in force, an amount too large).
    Eval(EvalError),
}

impl From<EvalError> for Fault {
    fn from(e: EvalError) -> Self {
        Fault::Eval(e)
    }
}

/// `Fault::Cell` for the cell as written.
#[inline]
fn at(column: usize) -> impl Fn(Problem) -> Fault {
    move |problem| Fault::Cell {
        column,
        value: None,
        problem,
    }
}

/// The cell of column `k`, trimmed.
#[inline(always)]
fn cell<'a>(c: &Cells<'a>, k: usize) -> &'a [u8] {
    trim(c.get(k).copied().unwrap_or_default())
}

/// An id cell as text (the chunk is valid UTF-8, hence every cell).
#[inline]
fn text(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap_or_default()
}

/// The `id` cell (column 0), required, copied into the record's reused `id`.
#[inline]
fn required_id<'a>(c: &Cells<'a>, id: &mut String) -> Result<&'a str, Fault> {
    let value = text(cell(c, 0));
    if value.is_empty() {
        return Err(at(0)(Problem::Empty));
    }
    id.clear();
    id.push_str(value);
    Ok(value)
}

/// One interchange file: its columns, and what to do with one of its records.
pub(crate) trait Kind: Sync {
    /// Its name in messages when read from bytes (`laborers.csv`).
    const FILE: &'static str;
    /// Its columns, the id first.
    const COLUMNS: &'static [&'static str];
    /// Its id column (unique within the file).
    const ID: &'static str = "id";
    /// Columns it requires but never reads (free text): not trimmed, not looked at.
    const UNREAD: &'static [usize];
    /// A worker's reusable record.
    type Scratch: Default;
    /// Reads one record's cells into `s`, decides it, and writes its rows to `acc`.
    fn record(
        cells: &Cells<'_>,
        s: &mut Self::Scratch,
        dates: &mut Dates,
        shared: &Shared<'_>,
        acc: &mut Acc,
    ) -> Result<(), Fault>;
}

/// `laborers.csv`: R1, R2, R3.
pub(crate) struct Laborers;

impl Kind for Laborers {
    const FILE: &'static str = files::LABORERS;
    const COLUMNS: &'static [&'static str] = crate::io::LABORER_COLUMNS;
    const UNREAD: &'static [usize] = &[lab::HOUSEHOLD, lab::TOWN, lab::VILLAGE];
    type Scratch = Laborer;

    #[inline]
    fn record(
        c: &Cells<'_>,
        l: &mut Laborer,
        dates: &mut Dates,
        sh: &Shared<'_>,
        acc: &mut Acc,
    ) -> Result<(), Fault> {
        use lab::*;
        let id = required_id(c, &mut l.id)?;
        l.poverty_status = code(cell(c, POVERTY)).map_err(at(POVERTY))?;
        l.able_to_work = boolean(cell(c, ABLE)).map_err(at(ABLE))?;
        l.willing_to_work = boolean(cell(c, WILLING)).map_err(at(WILLING))?;
        l.fresh_graduate = boolean(cell(c, GRADUATE)).map_err(at(GRADUATE))?;
        l.hubei_returnee = boolean(cell(c, HUBEI)).map_err(at(HUBEI))?;
        l.zero_employment_household = boolean(cell(c, ZERO)).map_err(at(ZERO))?;
        l.work_destination = code(cell(c, DESTINATION)).map_err(at(DESTINATION))?;
        l.departure_date = dates.get(cell(c, DEPARTURE)).map_err(at(DEPARTURE))?;
        l.transport_cost = money(cell(c, COST)).map_err(at(COST))?;
        l.isolation_start = dates.get(cell(c, ISO_START)).map_err(at(ISO_START))?;
        l.isolation_days = count(cell(c, ISO_DAYS)).map_err(at(ISO_DAYS))?;
        l.opened_store_in_county = boolean(cell(c, STORE)).map_err(at(STORE))?;
        l.store_opened_date = dates.get(cell(c, STORE_DATE)).map_err(at(STORE_DATE))?;
        if sh.decide {
            decide(sh, &*l, acc)?;
        }
        if let Some(holder) = sh.holders.get(id) {
            acc.statuses.push((holder, l.poverty_status));
        }
        Ok(())
    }
}

/// `enterprises.csv`: R5, R6.
pub(crate) struct Enterprises;

impl Kind for Enterprises {
    const FILE: &'static str = files::ENTERPRISES;
    const COLUMNS: &'static [&'static str] = crate::io::ENTERPRISE_COLUMNS;
    const UNREAD: &'static [usize] = &[ent::NAME, ent::TOWN];
    type Scratch = Enterprise;

    #[inline]
    fn record(
        c: &Cells<'_>,
        e: &mut Enterprise,
        dates: &mut Dates,
        sh: &Shared<'_>,
        acc: &mut Acc,
    ) -> Result<(), Fault> {
        use ent::*;
        required_id(c, &mut e.id)?;
        e.kind = code(cell(c, KIND)).map_err(at(KIND))?;
        e.ui_insured = boolean(cell(c, INSURED)).map_err(at(INSURED))?;
        e.ui_insured_months = count(cell(c, MONTHS)).map_err(at(MONTHS))?;
        let zero = |m: Option<Yuan>| m.unwrap_or(Yuan::ZERO);
        e.prior_year_ui_paid = zero(money(cell(c, PRIOR)).map_err(at(PRIOR))?);
        e.insured_headcount = count(cell(c, HEADCOUNT)).map_err(at(HEADCOUNT))?;
        e.layoffs = count(cell(c, LAYOFFS)).map_err(at(LAYOFFS))?;
        e.hardship = boolean(cell(c, HARDSHIP)).map_err(at(HARDSHIP))?;
        e.deferral_months_requested = count(cell(c, REQUESTED)).map_err(at(REQUESTED))?;
        e.monthly_pension_premium = zero(money(cell(c, PENSION)).map_err(at(PENSION))?);
        e.monthly_unemployment_premium =
            zero(money(cell(c, UNEMPLOYMENT)).map_err(at(UNEMPLOYMENT))?);
        e.monthly_injury_premium = zero(money(cell(c, INJURY)).map_err(at(INJURY))?);
        e.application_date = dates.get(cell(c, APPLIED)).map_err(at(APPLIED))?;
        if e.layoffs > e.insured_headcount {
            return Err(Fault::Cell {
                column: LAYOFFS,
                value: Some(e.layoffs.to_string()),
                problem: Problem::LayoffsExceedHeadcount {
                    headcount: e.insured_headcount,
                },
            });
        }
        decide(sh, &*e, acc)
    }
}

/// `posts.csv`: R8, with the holder's status from `laborers.csv`.
pub(crate) struct Posts;

impl Kind for Posts {
    const FILE: &'static str = files::POSTS;
    const COLUMNS: &'static [&'static str] = crate::io::POST_COLUMNS;
    const UNREAD: &'static [usize] = &[pst::EMPLOYER_NAME, pst::TOWN, pst::VILLAGE];
    type Scratch = Post;

    #[inline]
    fn record(
        c: &Cells<'_>,
        p: &mut Post,
        _dates: &mut Dates,
        sh: &Shared<'_>,
        acc: &mut Acc,
    ) -> Result<(), Fault> {
        use pst::*;
        required_id(c, &mut p.id)?;
        p.employer_kind = code(cell(c, EMPLOYER_KIND)).map_err(at(EMPLOYER_KIND))?;
        p.post_kind = code(cell(c, POST_KIND)).map_err(at(POST_KIND))?;
        let holder = text(cell(c, HOLDER));
        if holder.is_empty() {
            return Err(at(HOLDER)(Problem::Empty));
        }
        p.monthly_wage = money(cell(c, WAGE))
            .map_err(at(WAGE))?
            .unwrap_or(Yuan::ZERO);
        p.months_paid = count(cell(c, MONTHS)).map_err(at(MONTHS))?;
        let status = sh
            .status(holder)
            .ok_or_else(|| at(HOLDER)(Problem::UnknownPerson))?;
        decide(sh, (&*p, status), acc)
    }
}

/// `loan_applications.csv`: one application per laborer, who must be in `laborers.csv`.
pub(crate) struct Loans;

impl Kind for Loans {
    const FILE: &'static str = files::LOAN_APPLICATIONS;
    const COLUMNS: &'static [&'static str] = crate::io::LOAN_COLUMNS;
    const ID: &'static str = "laborer_id";
    const UNREAD: &'static [usize] = &[];
    type Scratch = LoanApplication;

    #[inline]
    fn record(
        c: &Cells<'_>,
        a: &mut LoanApplication,
        dates: &mut Dates,
        sh: &Shared<'_>,
        acc: &mut Acc,
    ) -> Result<(), Fault> {
        use loan::*;
        let id = required_id(c, &mut a.laborer_id)?;
        a.meets_guarantee_conditions = boolean(cell(c, CONDITIONS)).map_err(at(CONDITIONS))?;
        a.business_started = boolean(cell(c, STARTED)).map_err(at(STARTED))?;
        a.requested_amount = money(cell(c, REQUESTED))
            .map_err(at(REQUESTED))?
            .unwrap_or(Yuan::ZERO);
        a.application_date = dates.get(cell(c, APPLIED)).map_err(at(APPLIED))?;
        if sh.status(id).is_none() {
            return Err(at(LABORER)(Problem::UnknownPerson));
        }
        decide(sh, &*a, acc)
    }
}

/// `startup_centers.csv`.
pub(crate) struct Centers;

impl Kind for Centers {
    const FILE: &'static str = files::STARTUP_CENTERS;
    const COLUMNS: &'static [&'static str] = crate::io::CENTER_COLUMNS;
    const UNREAD: &'static [usize] = &[ctr::NAME, ctr::TOWN];
    type Scratch = StartupCenter;

    #[inline]
    fn record(
        c: &Cells<'_>,
        ctr_: &mut StartupCenter,
        _dates: &mut Dates,
        sh: &Shared<'_>,
        acc: &mut Acc,
    ) -> Result<(), Fault> {
        use ctr::*;
        required_id(c, &mut ctr_.id)?;
        ctr_.level = code(cell(c, LEVEL)).map_err(at(LEVEL))?;
        ctr_.year = year(cell(c, YEAR)).map_err(at(YEAR))?;
        let zero = |m: Option<Yuan>| m.unwrap_or(Yuan::ZERO);
        ctr_.claimed_rent = zero(money(cell(c, RENT)).map_err(at(RENT))?);
        ctr_.claimed_utilities = zero(money(cell(c, UTILITIES)).map_err(at(UTILITIES))?);
        decide(sh, &*ctr_, acc)
    }
}

/// A four-digit year; empty is none.
fn year(s: &[u8]) -> Result<Option<i32>, Problem> {
    if s.is_empty() {
        return Ok(None);
    }
    if s.len() != 4 || !s.iter().all(u8::is_ascii_digit) {
        return Err(Problem::BadYear);
    }
    let y = count(s).map_err(|_| Problem::BadYear)?;
    i32::try_from(y).map(Some).map_err(|_| Problem::BadYear)
}

/// Every program of the subject's kind, in rule order, written to `acc`.
#[inline]
fn decide<'a>(
    sh: &Shared<'a>,
    subject: impl Into<crate::rules::Subject<'a>>,
    acc: &mut Acc,
) -> Result<(), Fault> {
    sh.engine
        .decide_all(subject, sh.as_of, |i, d| {
            acc.emit(i, &d);
            Ok(())
        })
        .map_err(Fault::Eval)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holders_are_found_exactly_even_when_32_bit_hashes_collide() {
        let ids: Vec<String> = (0..200_000).map(|i| format!("L{i:07}")).collect();
        let mut h = Holders::with_capacity(100_000);
        for id in ids.iter().step_by(2) {
            h.insert(id);
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
        ] {
            let y = Yuan::parse(s).unwrap();
            let mut out = Vec::new();
            let fen = write_amount(&mut out, y);
            assert_eq!(String::from_utf8(out).unwrap(), y.to_string());
            assert_eq!(fen, y.fen().unwrap());
        }
    }

    #[test]
    fn cells_are_quoted_as_the_csv_writer_quotes_them() {
        for s in ["L1", "L,1", "L\"1", "a\nb", ""] {
            let mut ours = Vec::new();
            write_cell(&mut ours, s);
            let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
            w.write_record([s, "x"]).unwrap();
            let theirs = String::from_utf8(w.into_inner().unwrap()).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap() + ",x\n", theirs, "{s:?}");
        }
    }
}
