//! The streaming batch path: the interchange files in (`laborers.csv`,
//! `loan_applications.csv`, `enterprises.csv`, `startup_centers.csv`, `posts.csv`),
//! `payouts.csv` out, in constant memory, on every core, byte for byte what
//! [`io::write_payouts`](crate::io::write_payouts) writes for the same roster, for every
//! program of the policy's rule set.
//!
//! [`run`] reads each file in chunks of complete records, decides the chunks on worker
//! threads and writes their rows in input order: the output and the totals are the same
//! whatever the number of threads. Nothing is kept per laborer: memory depends on the
//! chunk size, the number of threads and the number of distinct post holders (a post needs
//! its holder's poverty status, so `posts.csv` is read twice: first for those ids, then to
//! decide them), not on the number of records.
//!
//! - **Reading** is the one reader of [`crate::io`] (`io::records`): the same splitter,
//!   header layout, cell and record parsers as the in-memory path, so the two accept and
//!   refuse the same bytes; free-text columns the rules do not need are not read here.
//! - **Deciding** runs the [`Engine`]'s compiled rules without explanation steps, hence
//!   their exact integer fast path ([`crate::calc::Fast`]), with the `Decimal` path for what
//!   does not fit; parameters are resolved once per change of parameters, never per row.
//! - **Checking**: ids that arrive in strictly increasing order (as registry exports do) and
//!   are ASCII are unique without a set; otherwise the file is read once more with a set of
//!   its ids' keys (POLICY.md reading 12), which then costs memory in proportion to the file.
//! - **Errors**: the stream stops at the first problem; every file is then read again by the
//!   in-memory reader's collecting pass (keeping ids, not records), and [`run`] returns every
//!   problem it finds, as [`crate::io::read_roster_dir`] would. What was written to `out`
//!   until then is incomplete: discard it (the examples write to a temporary file and
//!   rename it on success).
//!
//! # Example
//! ```
//! use jiuye_fupin::batch::{self, Inputs, Options};
//! use jiuye_fupin::Policy;
//! use jiuye_fupin::rules::transport;
//!
//! let inputs = Inputs::dir(std::path::Path::new("tests/fixtures/n10000"))?;
//! let mut out = Vec::new();
//! let totals = batch::run(&inputs, &Policy::yang_county_2020(), "2020-04-01".parse()?, &mut out, &Options::default())?;
//! assert_eq!(totals.get(transport::PROGRAM).unwrap().subjects, 10_000);
//! assert!(out.starts_with(b"program,subject_id,eligible,amount,reasons\ntransport_subsidy,L0000001,true,500.00,\n"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// Justified exception to the crate's `arithmetic_side_effects` and `indexing_slicing`
// denials: this is the hot loop of a province-scale run, and its arithmetic and indexing
// are positions and lengths within a chunk held in memory, or counts of rows, bounded by
// construction. `tests/batch.rs` (every column's every error, chunk boundaries, quoted
// cells, 1-3 threads), the unit tests here, `tests/hostile.rs` and the fuzz targets
// exercise them; checked arithmetic at every byte costs a measurable share of the run.
// `unwrap`, `expect` and `panic!` stay denied here too.
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

mod pipeline;
mod subjects;

use std::collections::hash_map::Entry;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::decision::SubjectKind;
use crate::engine::{Engine, EvalError};
use crate::io::chunks::ChunkReader;
use crate::io::read::{Named, Src, single};
use crate::io::records::{self, Centers, Enterprises, Kind, Laborers, Loans, Posts};
use crate::io::split::{self, Malformed, Splitter};
use crate::io::{Collector, InputError, InputErrors, PAYOUTS_HEADER, Problem, files};
use crate::money::Yuan;
use crate::policy::Policy;
use crate::report::Totals;
use subjects::{Counts, Holders, IdMap, Shared, Stream};

/// Why a batch run stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// Bad input: every problem of the file where the stream stopped (up to
    /// [`InputErrors::LIMIT`]), each naming the file, line, column and value.
    #[error(transparent)]
    Input(#[from] InputErrors),
    /// The engine cannot decide (an amount too large for exact arithmetic in a total).
    #[error(transparent)]
    Eval(#[from] EvalError),
    /// A record the engine cannot decide (an amount too large for exact arithmetic),
    /// with the file and line of the record.
    #[error("{file} line {line}: {source}")]
    Record {
        /// The file.
        file: String,
        /// Its line.
        line: u64,
        /// The cause, naming the program and the subject.
        source: EvalError,
    },
    /// The output could not be written.
    #[error("cannot write payouts: {0}")]
    Write(std::io::Error),
    /// An option out of its bounds ([`Options::check`]).
    #[error(transparent)]
    Options(#[from] OptionsError),
    /// A worker thread failed (a bug: please report it).
    #[error("internal error: {0}")]
    Internal(&'static str),
}

impl BatchError {
    /// The error in `lang`: every input problem, or the record and why it cannot be
    /// decided (the other errors, a write or an option, in English).
    ///
    /// ```
    /// use jiuye_fupin::batch::BatchError;
    /// use jiuye_fupin::{EvalError, Lang};
    /// let e = BatchError::Record { file: "laborers.csv".into(), line: 3, source: EvalError::NotRun("x".into()) };
    /// assert_eq!(e.render(Lang::Zh), "laborers.csv 第 3 行：本政策不实施项目 x");
    /// assert_eq!(e.render(Lang::En), e.to_string());
    /// ```
    pub fn render(&self, lang: crate::Lang) -> String {
        match (lang, self) {
            (_, BatchError::Input(problems)) => problems.render(lang),
            (crate::Lang::Zh, BatchError::Eval(e)) => e.render(lang),
            (crate::Lang::Zh, BatchError::Record { file, line, source }) => {
                format!("{file} 第 {line} 行：{}", source.render(lang))
            }
            (crate::Lang::Zh, BatchError::Write(e)) => format!("无法写入 payouts: {e}"),
            (crate::Lang::Zh, BatchError::Internal(what)) => format!("内部错误: {what}"),
            (_, other) => other.to_string(),
        }
    }
}

impl From<InputError> for BatchError {
    fn from(e: InputError) -> Self {
        BatchError::Input(e.into())
    }
}

/// Where one input file comes from.
///
/// ```
/// use jiuye_fupin::batch::Source;
/// let s = Source::Bytes(b"id\n");
/// assert!(matches!(s, Source::Bytes(_)));
/// ```
#[derive(Debug, Clone)]
pub enum Source<'a> {
    /// A file (named by its path in messages).
    Path(PathBuf),
    /// Bytes in memory (named by the format's file name in messages).
    Bytes(&'a [u8]),
}

impl<'a> Source<'a> {
    /// The file's bytes (decoded from GB18030 by the reader when they are: see
    /// [`crate::io::decoded_encoding`]).
    fn open(&self) -> Result<Box<dyn Read + Send + 'a>, InputError> {
        let path = match self {
            Source::Path(p) => p.clone(),
            Source::Bytes(_) => PathBuf::new(),
        };
        let io = |source| InputError::Io {
            path: path.clone(),
            source,
        };
        match self {
            Source::Path(p) => std::fs::File::open(p)
                .map(|f| Box::new(f) as Box<dyn Read + Send>)
                .map_err(io),
            Source::Bytes(b) => Ok(Box::new(*b) as Box<dyn Read + Send + 'a>),
        }
    }

    fn name(&self, default: &str) -> String {
        match self {
            Source::Path(p) => p.display().to_string(),
            Source::Bytes(_) => default.to_owned(),
        }
    }
}

/// The input files, each optional.
///
/// ```
/// use jiuye_fupin::batch::Inputs;
/// let inputs = Inputs::bytes(Some(b"id\n"), None, None);
/// assert!(inputs.enterprises.is_none());
/// let dir = Inputs::dir(std::path::Path::new("tests/fixtures/n10000"))?;
/// assert!(dir.laborers.is_some() && dir.posts.is_some());
/// # Ok::<(), jiuye_fupin::io::InputError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Inputs<'a> {
    /// `laborers.csv`.
    pub laborers: Option<Source<'a>>,
    /// `enterprises.csv`.
    pub enterprises: Option<Source<'a>>,
    /// `posts.csv`.
    pub posts: Option<Source<'a>>,
    /// `loan_applications.csv`.
    pub loans: Option<Source<'a>>,
    /// `startup_centers.csv`.
    pub centers: Option<Source<'a>>,
    /// `post_months.csv`: no program decides its records (R10 audits them), but when it is
    /// given it is checked before any row is written, as the in-memory reader checks it
    /// (its cells, a post's month given twice, a post not in `posts.csv`), so that a run
    /// never accepts a file another path of the same run refuses.
    pub post_months: Option<Source<'a>>,
}

impl Inputs<'static> {
    /// The files of a data folder, by their POLICY.md names (see [`crate::io::data_files`]).
    ///
    /// # Errors
    /// [`InputError::Folder`] for a folder that is missing, holds none of the files (or
    /// `post_months.csv` alone, which nothing decides), or names one wrongly;
    /// [`InputError::Io`] when it cannot be listed.
    pub fn dir(dir: &Path) -> Result<Inputs<'static>, InputError> {
        let [laborers, enterprises, posts, loans, centers, post_months] =
            crate::io::data_files(dir)?.map(|p| p.map(Source::Path));
        if [&laborers, &enterprises, &posts, &loans, &centers]
            .iter()
            .all(|f| f.is_none())
        {
            return Err(InputError::Folder {
                path: dir.to_owned(),
                problem: crate::io::FolderProblem::NothingToDecide,
            });
        }
        Ok(Inputs {
            laborers,
            enterprises,
            posts,
            loans,
            centers,
            post_months,
        })
    }
}

impl<'a> Inputs<'a> {
    /// Files given as bytes (`None`: no such file).
    pub fn bytes(
        laborers: Option<&'a [u8]>,
        enterprises: Option<&'a [u8]>,
        posts: Option<&'a [u8]>,
    ) -> Inputs<'a> {
        Inputs {
            laborers: laborers.map(Source::Bytes),
            enterprises: enterprises.map(Source::Bytes),
            posts: posts.map(Source::Bytes),
            loans: None,
            centers: None,
            post_months: None,
        }
    }
}

/// An option of a batch run out of its bounds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{option} = {value} is more than the most allowed, {max}")]
pub struct OptionsError {
    /// The option.
    pub option: &'static str,
    /// Its value.
    pub value: usize,
    /// Its bound.
    pub max: usize,
}

/// How a batch runs: threads and chunk size. The output does not depend on either.
///
/// ```
/// use jiuye_fupin::batch::Options;
/// let o = Options::default().threads(1).chunk_bytes(64 * 1024);
/// assert_eq!(o.workers(), 1);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Options {
    threads: usize,
    chunk_bytes: usize,
    read: crate::io::ReadOptions,
}

impl Default for Options {
    /// As many workers as cores, chunks of 512 KiB.
    fn default() -> Self {
        Options {
            threads: 0,
            // 512 KiB: half the hand-offs between threads of 256 KiB (on 2 cores, about 3%
            // less wall time at 1,000,000 laborers), for about 4 MiB more peak memory
            // (BENCHMARKS.md, 2026-12-04 23:35 UTC).
            chunk_bytes: 512 * 1024,
            read: crate::io::ReadOptions::default(),
        }
    }
}

impl Options {
    /// Worker threads (0: one per core).
    #[must_use]
    pub fn threads(mut self, n: usize) -> Options {
        self.threads = n;
        self
    }

    /// Bytes of input per chunk (at least 1 KiB is used).
    #[must_use]
    pub fn chunk_bytes(mut self, n: usize) -> Options {
        self.chunk_bytes = n.max(1024);
        self
    }

    /// How the files are read: their encoding, the clerk forms of cells (see
    /// [`crate::io::ReadOptions`]; default: POLICY.md's format, GBK sniffed).
    ///
    /// ```
    /// use jiuye_fupin::batch::{self, Inputs, Options};
    /// use jiuye_fupin::io::{Encoding, ReadOptions};
    /// use jiuye_fupin::Policy;
    /// let (gbk, _, _) = encoding_rs::GB18030.encode("id,name,level,town,year,claimed_rent,claimed_utilities\nC1,洋县创业孵化中心,county,,2020,\"150,000\",0\n");
    /// let inputs = Inputs { centers: Some(batch::Source::Bytes(&gbk)), ..Inputs::default() };
    /// let read = ReadOptions::default().encoding(Encoding::Gb18030).clerk_formats(true);
    /// let mut out = Vec::new();
    /// batch::run(&inputs, &Policy::yang_county_2020(), "2020-04-01".parse()?, &mut out, &Options::default().read(read))?;
    /// assert!(String::from_utf8(out)?.contains("startup_center_subsidy,C1,true,150000.00,"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn read(mut self, read: crate::io::ReadOptions) -> Options {
        self.read = read;
        self
    }

    /// The most worker threads a run takes.
    pub const MAX_THREADS: usize = 256;
    /// The largest chunk a run takes (64 MiB).
    pub const MAX_CHUNK_BYTES: usize = 64 << 20;

    /// Whether the options are within their bounds ([`run`] checks them first).
    ///
    /// ```
    /// use jiuye_fupin::batch::Options;
    /// assert!(Options::default().threads(8).check().is_ok());
    /// assert!(Options::default().threads(usize::MAX).check().is_err());
    /// assert!(Options::default().chunk_bytes(usize::MAX).check().is_err());
    /// ```
    ///
    /// # Errors
    /// [`OptionsError`] naming the option, its value and its bound.
    pub fn check(&self) -> Result<(), OptionsError> {
        if self.threads > Options::MAX_THREADS {
            return Err(OptionsError {
                option: "threads",
                value: self.threads,
                max: Options::MAX_THREADS,
            });
        }
        if self.chunk_bytes > Options::MAX_CHUNK_BYTES {
            return Err(OptionsError {
                option: "chunk bytes",
                value: self.chunk_bytes,
                max: Options::MAX_CHUNK_BYTES,
            });
        }
        Ok(())
    }

    /// The number of worker threads a run uses.
    pub fn workers(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }
}

/// Decides every record of `inputs` as of `as_of` under `policy` and its rule set, writes
/// `payouts.csv` to `out` (header, then the engine's order: for the built-in rules,
/// laborers' R1 R2 R3, loan applications' R4, enterprises' R5 R6, startup centers' R7,
/// posts' R8, each file in input order), and returns the totals per program.
///
/// # Errors
/// The first [`BatchError`] met, in reading order. What was written to `out` is then
/// incomplete.
///
/// ```
/// use jiuye_fupin::batch::{self, Inputs, Options};
/// use jiuye_fupin::Policy;
/// let laborers = "id,household_id,town,village,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date
/// L1,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,out_of_county,2020-03-01,-3.00,,,false,
/// ";
/// let err = batch::run(&Inputs::bytes(Some(laborers.as_bytes()), None, None),
///     &Policy::yang_county_2020(), "2020-04-01".parse()?, Vec::new(), &Options::default()).unwrap_err();
/// assert_eq!(err.to_string(), "laborers.csv line 2, column transport_cost: \"-3.00\" is negative");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run<W: Write + Send>(
    inputs: &Inputs<'_>,
    policy: &Policy,
    as_of: NaiveDate,
    out: W,
    options: &Options,
) -> Result<Totals, BatchError> {
    options.check()?;
    let none: ExplainTo<'_, std::io::Sink> = None;
    check_post_months(inputs, &options.read)
        .and_then(|()| stream_all(inputs, policy, as_of, out, none, options))
        .map_err(|e| every_problem(e, inputs, &options.read))
}

/// [`run`], also writing the explained payout list to `explained` (CSV or JSON Lines, see
/// [`crate::explain`]), streamed in the same order and in constant memory: one row per
/// decision, each with its steps, clause and parameters. Deciding with steps takes the
/// engine's exact path: slower than [`run`], the same amounts.
///
/// # Errors
/// As [`run`]; a [`crate::explain::Format::Xlsx`] list is refused as an option error (a
/// workbook is written in memory: [`crate::explain::xlsx`]).
///
/// ```
/// use jiuye_fupin::batch::{self, Inputs, Options};
/// use jiuye_fupin::explain::Format;
/// use jiuye_fupin::{Lang, Policy};
/// let inputs = Inputs::dir(std::path::Path::new("tests/fixtures/n10000"))?;
/// let (mut out, mut explained) = (Vec::new(), Vec::new());
/// batch::run_explained(&inputs, &Policy::yang_county_2020(), "2020-04-01".parse()?, &mut out,
///     &mut explained, Format::Jsonl, Lang::En, &Options::default())?;
/// let first = String::from_utf8(explained)?.lines().next().unwrap().to_owned();
/// assert!(first.contains(r#""steps":"min(transport cost"#), "{first}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[allow(clippy::too_many_arguments)]
pub fn run_explained<W: Write + Send, X: Write + Send>(
    inputs: &Inputs<'_>,
    policy: &Policy,
    as_of: NaiveDate,
    out: W,
    mut explained: X,
    format: crate::explain::Format,
    lang: crate::Lang,
    options: &Options,
) -> Result<Totals, BatchError> {
    options.check()?;
    if format == crate::explain::Format::Xlsx {
        return Err(BatchError::Options(OptionsError {
            option: "explained list as a workbook (streamed)",
            value: 1,
            max: 0,
        }));
    }
    check_post_months(inputs, &options.read)
        .map_err(|e| every_problem(e, inputs, &options.read))?;
    let mut header = Vec::new();
    crate::explain::write_header(&mut header, format);
    explained.write_all(&header).map_err(BatchError::Write)?;
    stream_all(
        inputs,
        policy,
        as_of,
        out,
        Some((&mut explained, format, lang)),
        options,
    )
    .map_err(|e| every_problem(e, inputs, &options.read))
    .and_then(|t| {
        explained.flush().map_err(BatchError::Write)?;
        Ok(t)
    })
}

/// Where and how the explained list goes.
type ExplainTo<'x, X> = Option<(&'x mut X, crate::explain::Format, crate::Lang)>;

/// [`run`], stopping at the first problem.
fn stream_all<W: Write + Send, X: Write + Send>(
    inputs: &Inputs<'_>,
    policy: &Policy,
    as_of: NaiveDate,
    mut out: W,
    explain_to: ExplainTo<'_, X>,
    options: &Options,
) -> Result<Totals, BatchError> {
    let explain = explain_to.as_ref().map(|(_, f, l)| (*f, *l));
    let explained = explain_to.map(|(x, _, _)| x);
    let engine = Engine::new(policy).explain(explain.is_some());
    // The laborers that posts name: their statuses are kept, nothing else.
    let mut holders = Holders::default();
    if let Some(src) = &inputs.posts {
        scan_column(src, files::POSTS, "holder_id", options, |id, _| {
            holders.insert(id);
            Ok(())
        })
        .or_else(|e| match e {
            // A malformed file is reported where it is read for its records.
            Scan::Malformed | Scan::Stop => Ok(()),
            Scan::Error(e) => Err(e),
        })?;
    }
    // Memory grows with the holders found, never with a file's lines (blank ones included).
    holders.seal();
    let mut status = vec![None; holders.len()];
    let mut counts = Counts::default();
    let mut header = PAYOUTS_HEADER.join(",");
    header.push('\n');
    out.write_all(header.as_bytes())
        .map_err(BatchError::Write)?;
    let mut spare = pipeline::Spare::default();
    let mut phase = PhaseArgs {
        out: &mut out,
        explained,
        explain,
        counts: &mut counts,
        engine: &engine,
        as_of,
        holders: &holders,
        options,
        spare: &mut spare,
    };
    let order: Vec<SubjectKind> = engine.order().map(|(k, _)| k).collect();
    // Posts need their holders' statuses: when no laborer rule comes before them,
    // laborers.csv is read (and checked) first without deciding anything.
    let laborers_first = order.first() == Some(&SubjectKind::Laborer);
    if let (false, Some(src)) = (laborers_first, &inputs.laborers) {
        phase.run::<Laborers>(src, &[], &mut status, false)?;
    }
    for kind in order {
        match kind {
            SubjectKind::Laborer => {
                if let (true, Some(src)) = (laborers_first, &inputs.laborers) {
                    phase.run::<Laborers>(src, &[], &mut status, true)?;
                }
            }
            SubjectKind::LoanApplication => {
                if let Some(src) = &inputs.loans {
                    phase.run::<Loans>(src, &[], &mut [], true)?;
                }
            }
            SubjectKind::Enterprise => {
                if let Some(src) = &inputs.enterprises {
                    phase.run::<Enterprises>(src, &[], &mut [], true)?;
                }
            }
            SubjectKind::StartupCenter => {
                if let Some(src) = &inputs.centers {
                    phase.run::<Centers>(src, &[], &mut [], true)?;
                }
            }
            SubjectKind::Post => {
                if let Some(src) = &inputs.posts {
                    phase.run::<Posts>(src, &status, &mut [], true)?;
                }
            }
        }
    }
    out.flush().map_err(BatchError::Write)?;
    let mut totals = engine.empty_totals();
    let none = (0, 0, 0);
    for (i, program) in engine.programs().enumerate() {
        let &(subjects, eligible, fen) = counts.by_program.get(i).unwrap_or(&none);
        let amount = Yuan::try_from_fen(fen).map_err(|source| EvalError::Arithmetic {
            program,
            subject_id: String::new(),
            source,
            unfit: None,
        })?;
        totals.add_counted(program, subjects, eligible, amount);
    }
    Ok(totals)
}

/// What every phase shares.
struct PhaseArgs<'p, W, X> {
    out: &'p mut W,
    explained: Option<&'p mut X>,
    explain: Option<(crate::explain::Format, crate::Lang)>,
    counts: &'p mut Counts,
    engine: &'p Engine,
    as_of: NaiveDate,
    holders: &'p Holders,
    options: &'p Options,
    /// Buffers one file's pipeline leaves for the next.
    spare: &'p mut pipeline::Spare,
}

impl<W: Write + Send, X: Write + Send> PhaseArgs<'_, W, X> {
    /// Streams one file through the pipeline; then, if its ids did not strictly increase,
    /// reads it once more to look for a duplicate.
    fn run<K: Stream>(
        &mut self,
        src: &Source<'_>,
        holder_status: &[Option<crate::model::PovertyStatus>],
        statuses: &mut [Option<crate::model::PovertyStatus>],
        decide: bool,
    ) -> Result<(), BatchError> {
        let file = src.name(K::FILE);
        let chunk = self.options.chunk_bytes;
        let mut reader =
            ChunkReader::new(src.open()?, chunk).encoding(self.options.read.encoding_of());
        let (header, newlines) = reader
            .header()
            .map_err(|source| io_error(src, &file, source))?;
        let mut errors = Collector::default();
        // Optional columns (a laborer's name) are for people, not for deciding: not read here.
        let layout = records::layout(&file, &header, K::COLUMNS, &[], K::UNREAD, &mut errors);
        errors.check()?;
        let Some(layout) = layout else {
            return Err(BatchError::Internal(
                "a header without problems has no layout",
            ));
        };
        let shared = Shared {
            engine: self.engine,
            as_of: self.as_of,
            holders: self.holders,
            holder_status,
            decide,
            positions: (self.engine.order())
                .find(|(k, _)| *k == K::SUBJECT)
                .map_or(&[][..], |(_, p)| p),
            deciders: self.engine.deciders_of(K::SUBJECT),
            explain: self.explain,
            read: self.options.read,
            file: &file,
        };
        let sink = pipeline::Sink {
            out: &mut *self.out,
            explained: self.explained.as_deref_mut(),
            counts: &mut *self.counts,
            statuses,
        };
        let pass = pipeline::stream::<K, _, _, _>(
            reader,
            &layout,
            1 + newlines,
            &file,
            &shared,
            sink,
            self.options.workers(),
            chunk,
            &mut *self.spare,
        )?;
        if !pass.ids_increasing {
            find_duplicate(src, &file, K::ID, self.options)?;
        }
        Ok(())
    }
}

fn io_error(src: &Source<'_>, file: &str, source: std::io::Error) -> InputError {
    let path = match src {
        Source::Path(p) => p.clone(),
        Source::Bytes(_) => PathBuf::from(file),
    };
    // A record over its limit: the line is found when every problem is collected.
    crate::io::read_failure(path, file, 0, source)
}

/// `post_months.csv`, when given, read as the in-memory reader reads it with `posts.csv`
/// (whose ids its records name), keeping ids but no records: a problem is an input error
/// ([`every_problem`] then reports every one of every file).
fn check_post_months(inputs: &Inputs<'_>, read: &crate::io::ReadOptions) -> Result<(), BatchError> {
    if inputs.post_months.is_none() {
        return Ok(());
    }
    let files = [
        None,
        None,
        open(&inputs.posts, files::POSTS)?,
        None,
        None,
        open(&inputs.post_months, files::POST_MONTHS)?,
    ];
    crate::io::read_sources(single(files), false, read)
        .map(drop)
        .map_err(BatchError::Input)
}

/// `src` opened for the in-memory reader, named by its path (or `default`).
fn open<'a>(src: &Option<Source<'a>>, default: &str) -> Result<Named<'a>, InputError> {
    src.as_ref()
        .map(|s| Ok((s.name(default), Src::Csv(s.open()? as Box<dyn Read + 'a>))))
        .transpose()
}

/// Every problem of the input, as the in-memory reader reports it (the one reader, over
/// every file again, keeping ids but no records), when the stream stopped at a problem of
/// its input; any other error as it is.
fn every_problem(e: BatchError, inputs: &Inputs<'_>, read: &crate::io::ReadOptions) -> BatchError {
    if !matches!(e, BatchError::Input(_)) {
        return e;
    }
    let files = (|| {
        Ok::<_, InputError>([
            open(&inputs.laborers, files::LABORERS)?,
            open(&inputs.enterprises, files::ENTERPRISES)?,
            open(&inputs.posts, files::POSTS)?,
            open(&inputs.loans, files::LOAN_APPLICATIONS)?,
            open(&inputs.centers, files::STARTUP_CENTERS)?,
            open(&inputs.post_months, files::POST_MONTHS)?,
        ])
    })();
    match files.map(|f| crate::io::read_sources(single(f), false, read)) {
        Ok(Err(all)) => BatchError::Input(all),
        Err(io) => io.into(),
        // The files read again without a problem (they changed meanwhile): the stream's.
        Ok(Ok(_)) => e,
    }
}

/// Why a scan stopped.
enum Scan {
    Malformed,
    Error(BatchError),
    /// The reader of the column needs no more of it.
    Stop,
}

impl From<Malformed> for Scan {
    fn from(_: Malformed) -> Self {
        Scan::Malformed
    }
}

/// Reads one column of a file, in order, on this thread: `f(value, line)`.
fn scan_column(
    src: &Source<'_>,
    default_name: &str,
    column: &'static str,
    options: &Options,
    mut f: impl FnMut(&str, u64) -> Result<(), Scan>,
) -> Result<(), Scan> {
    let file = src.name(default_name);
    let src_read = src.open().map_err(|e| Scan::Error(e.into()))?;
    let mut reader =
        ChunkReader::new(src_read, options.chunk_bytes).encoding(options.read.encoding_of());
    let (header, newlines) = reader
        .header()
        .map_err(|e| Scan::Error(io_error(src, &file, e).into()))?;
    let Some(layout) = records::layout(
        &file,
        &header,
        &[column],
        &[],
        &[],
        &mut Collector::default(),
    ) else {
        return Err(Scan::Malformed);
    };
    let mut split = Splitter::default();
    let mut buf = Vec::new();
    let mut line = 1 + newlines;
    while reader
        .next_chunk(&mut buf)
        .map_err(|e| Scan::Error(io_error(src, &file, e).into()))?
    {
        line += split.for_each(
            &buf,
            &layout,
            |cells, l, _| {
                let value = split::trim(cells.get(0));
                if value.is_empty() {
                    return Ok(());
                }
                // The chunk is checked UTF-8 and cut at ASCII bytes: the cell is text as is.
                f(cells.text(value), line + l)
            },
            |m| Err(Scan::from(m)),
        )?;
    }
    Ok(())
}

/// Whether `src`, the file of `kind`'s records, holds a record: a line after its header
/// that is neither blank nor empty in its id column, as the one reader reads it (up to the
/// first such line only). A run that succeeded read every such line as a record (an empty
/// id is an error), so this tells a header alone from a file of records without deciding
/// it again: the examples say so when posts were read and no laborer was, as the in-memory
/// path does.
///
/// # Errors
/// The file cannot be opened or read, it has no id column (`kind`'s: `laborer_id` for loan
/// applications, `id` for the others), or a line before its first record is malformed. A
/// file that a run read without error has none of these problems. Only the id column is
/// read: this is no check of the other columns.
///
/// ```
/// use jiuye_fupin::SubjectKind;
/// use jiuye_fupin::batch::{self, Options, Source};
///
/// let header = jiuye_fupin::sample::LABORERS_CSV.lines().next().unwrap_or_default();
/// let alone = format!("{header}\n\n");
/// let kind = SubjectKind::Laborer;
/// assert!(!batch::has_records(&Source::Bytes(alone.as_bytes()), kind, &Options::default())?);
/// let sample = jiuye_fupin::sample::LABORERS_CSV.as_bytes();
/// assert!(batch::has_records(&Source::Bytes(sample), kind, &Options::default())?);
/// # Ok::<(), jiuye_fupin::batch::BatchError>(())
/// ```
pub fn has_records(
    src: &Source<'_>,
    kind: SubjectKind,
    options: &Options,
) -> Result<bool, BatchError> {
    let (file, id) = match kind {
        SubjectKind::Laborer => (Laborers::FILE, Laborers::ID),
        SubjectKind::Enterprise => (Enterprises::FILE, Enterprises::ID),
        SubjectKind::Post => (Posts::FILE, Posts::ID),
        SubjectKind::LoanApplication => (Loans::FILE, Loans::ID),
        SubjectKind::StartupCenter => (Centers::FILE, Centers::ID),
    };
    match scan_column(src, file, id, options, |_, _| Err(Scan::Stop)) {
        Ok(()) => Ok(false),
        Err(Scan::Stop) => Ok(true),
        Err(Scan::Error(e)) => Err(e),
        Err(Scan::Malformed) => Err(BatchError::Internal(
            "has_records: the file has no id column, or a line before its first record is malformed",
        )),
    }
}

/// The first repeated id of a file whose ids are not in increasing order.
fn find_duplicate(
    src: &Source<'_>,
    file: &str,
    column: &'static str,
    options: &Options,
) -> Result<(), BatchError> {
    let mut seen: IdMap<u64> = IdMap::default();
    let r = scan_column(src, file, column, options, |id, line| {
        match seen.entry(crate::model::id_key(id).into()) {
            Entry::Occupied(first) => Err(Scan::Error(BatchError::from(InputError::Cell {
                file: file.to_owned(),
                line,
                column,
                value: id.to_owned(),
                problem: Problem::DuplicateId {
                    first_line: *first.get(),
                },
            }))),
            Entry::Vacant(v) => {
                v.insert(line);
                Ok(())
            }
        }
    });
    match r {
        Ok(()) | Err(Scan::Malformed | Scan::Stop) => Ok(()),
        Err(Scan::Error(e)) => Err(e),
    }
}
