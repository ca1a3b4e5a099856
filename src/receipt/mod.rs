//! The audit receipt of a run: which code, which rules, which date and which files produced
//! a set of figures, so that any figure can be traced to the exact rules and bytes behind it.
//!
//! A receipt names the crate version, the policy (its name and the SHA-256 of its
//! parameters, serialized canonically), the as-of date, the time of the run (UTC, RFC 3339),
//! every input file (its path as given, size, record count and SHA-256), every output file
//! (path, size and SHA-256 of the bytes written) and the totals. Every example that writes
//! output writes one beside it (`payouts.csv` → `payouts.receipt.toml`); [`verify`] (the
//! `verify` example) re-checks one against the files and says which one changed, and
//! [`verify_totals`] whether its totals are the sums of the payouts list it names
//! (`payouts.csv`, or `payouts.xlsx`'s 发放清单 sheets).
//!
//! ```
//! use jiuye_fupin::receipt::{Receipt, policy_hash};
//! use jiuye_fupin::Policy;
//!
//! let policy = Policy::yang_county_2020();
//! let r = Receipt::new(&policy, "2020-04-01".parse()?);
//! assert_eq!(r.crate_version, env!("CARGO_PKG_VERSION"));
//! assert_eq!(r.policy_sha256, policy_hash(&policy));
//! assert_eq!(r.policy_sha256.len(), 64);
//! // Any change of a parameter changes the hash.
//! let text = jiuye_fupin::policy::YANG_COUNTY_2020_TOML.replace("\"500.00\"", "\"500.01\"");
//! assert_ne!(policy_hash(&Policy::from_toml_str(&text)?), r.policy_sha256);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::Lang;
use crate::policy::Policy;
use crate::report::Totals;

mod totals;

pub use totals::{TotalsCheck, TotalsDifference, TotalsStatus, TotalsVerdict, verify_totals};

/// What produced a set of figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// This crate's version.
    pub crate_version: &'static str,
    /// The policy's name.
    pub policy_name: String,
    /// SHA-256 of the policy's parameters ([`policy_hash`]).
    pub policy_sha256: String,
    /// The as-of date of the evaluation.
    pub as_of: NaiveDate,
    /// When the run ended, UTC, RFC 3339 ([`now`]); `None` (and not written) until set, so
    /// that a receipt without it is the same for the same run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The working directory of the run (absolute): where [`verify`] finds the relative
    /// paths of the files from any other directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// The totals per program, once evaluated.
    pub totals: Option<Totals>,
    /// Every input file read, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<FileRecord>,
    /// Every output file written, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<FileRecord>,
    /// Where the complete receipt is (`payouts.receipt.toml`), for a copy that cannot hold
    /// it all: a workbook's receipt sheet (回执) lists the outputs finished before the
    /// workbook itself, and cannot hold its own hash. Not written to the receipt file.
    #[serde(skip)]
    pub complete_in: Option<String>,
}

/// One file of a receipt: its path as given to the run, its size and its SHA-256; for an
/// input, the number of records (data rows) read from it.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("receipt-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("laborers.csv");
/// std::fs::write(&path, "id,name\nL1,\"a\nb\"\nL2,c\n")?;
/// let f = jiuye_fupin::receipt::FileRecord::input(&path)?;
/// assert_eq!((f.bytes, f.records), (22, Some(2)));
/// assert_eq!(f.sha256.len(), 64);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// The path as given to the run (relative to its working directory, or absolute).
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Records read (data rows, the header excluded), for an input data file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<u64>,
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
}

impl FileRecord {
    /// An input file, hashed in one streaming pass. A CSV file's records are counted in the
    /// same pass by the `csv` parser (a quoted line break stays in its record, blank lines
    /// are no records, the header is not one); a workbook's are the rows of the roster the
    /// crate reads from it (a second, in-memory read of the workbook); any other file (a
    /// policy, a reform) has none.
    ///
    /// # Errors
    /// The file cannot be read.
    pub fn input(path: &Path) -> std::io::Result<FileRecord> {
        let is_csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let mut reader = HashingReader::new(crate::file::open_regular(path)?);
        let mut records = None;
        if is_csv {
            records = count_records(&mut reader)?;
        }
        std::io::copy(&mut reader, &mut std::io::sink())?;
        let (bytes, sha256) = reader.finish();
        if crate::io::workbook::is_workbook(path) {
            // Read with the clerk forms: a strict read that succeeds reads the same rows
            // (the clerk forms are tried only where it fails), and a run with
            // `clerk_formats` has its rows counted too.
            let read = crate::io::ReadOptions::default().clerk_formats(true);
            records = crate::io::read_data_with(&[path], &read).ok().map(|r| {
                [
                    r.laborers().len(),
                    r.enterprises().len(),
                    r.posts().len(),
                    r.loans().len(),
                    r.centers().len(),
                    r.post_months().len(),
                ]
                .iter()
                .fold(0u64, |a, &n| a.saturating_add(n as u64))
            });
        }
        Ok(FileRecord {
            path: path.display().to_string(),
            bytes,
            records,
            sha256,
        })
    }

    /// A file's size and SHA-256, read in one streaming pass (no records).
    ///
    /// # Errors
    /// The file cannot be read.
    pub fn of(path: &Path) -> std::io::Result<FileRecord> {
        let mut reader = HashingReader::new(crate::file::open_regular(path)?);
        std::io::copy(&mut reader, &mut std::io::sink())?;
        let (bytes, sha256) = reader.finish();
        Ok(FileRecord {
            path: path.display().to_string(),
            bytes,
            records: None,
            sha256,
        })
    }
}

/// The input files of `--data` arguments: a folder's data files by their POLICY.md names
/// (see [`crate::io::data_files`]), a workbook or any other file as itself.
///
/// # Errors
/// A folder that cannot be listed, or a file that cannot be read.
pub fn inputs<P: AsRef<Path>>(data: &[P]) -> std::io::Result<Vec<FileRecord>> {
    (input_files(data)?.iter())
        .map(|file| FileRecord::input(file))
        .collect()
}

/// The files of `--data` arguments, in order: a folder's data files by their POLICY.md
/// names (see [`crate::io::data_files`]), a workbook or any other file as itself.
///
/// ```
/// use jiuye_fupin::receipt::input_files;
/// let files = input_files(&["tests/fixtures/n10000", "policies/yang-county-2020.toml"])?;
/// let names: Vec<_> = files.iter().filter_map(|f| f.file_name()?.to_str()).collect();
/// assert_eq!(names, ["laborers.csv", "enterprises.csv", "posts.csv", "yang-county-2020.toml"]);
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// A folder that cannot be listed.
pub fn input_files<P: AsRef<Path>>(data: &[P]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in data {
        let path = path.as_ref();
        if path.is_dir() {
            let files =
                crate::io::data_files(path).map_err(|e| std::io::Error::other(e.to_string()))?;
            out.extend(files.into_iter().flatten());
        } else {
            out.push(path.to_path_buf());
        }
    }
    Ok(out)
}

/// A file as its metadata shows it: size, modification time and (on Unix) inode. Two equal
/// stamps, one taken before a run reads a file and one after the receipt has hashed it,
/// say that nobody wrote or replaced the file in between (short of restoring its size and
/// time on purpose): the hashed bytes are the ones the run decided.
///
/// ```
/// use jiuye_fupin::receipt::Stamp;
/// let path = std::path::Path::new("tests/fixtures/n10000/laborers.csv");
/// assert_eq!(Stamp::of(path)?, Stamp::of(path)?);
/// assert!(Stamp::of(std::path::Path::new("no/such/file.csv")).is_err());
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    bytes: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
}

impl Stamp {
    /// The file's stamp now.
    ///
    /// # Errors
    /// The file's metadata cannot be read (it is gone, say).
    pub fn of(path: &Path) -> std::io::Result<Stamp> {
        let m = std::fs::metadata(path)?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&m);
        #[cfg(not(unix))]
        let inode = 0;
        Ok(Stamp {
            bytes: m.len(),
            modified: m.modified().ok(),
            inode,
        })
    }
}

/// The stamps of a run's input files, taken before the run reads them, to be checked once
/// its receipt has hashed them ([`Stamps::changed`]): a file edited or replaced while the
/// run went on (a clerk saving the workbook) would leave a receipt whose hash is of other
/// bytes than the ones decided.
///
/// ```
/// use jiuye_fupin::receipt::Stamps;
/// let dir = std::env::temp_dir().join(format!("stamps-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("laborers.csv");
/// std::fs::write(&path, "id\nL1\n")?;
/// let stamps = Stamps::take(&[&dir]);
/// assert!(stamps.files().eq([path.as_path()]));
/// assert_eq!(stamps.changed(), None);
/// std::fs::write(&path, "id\nL1\nL2\n")?;
/// assert_eq!(stamps.changed(), Some(path.as_path()));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Stamps(Vec<(PathBuf, Stamp)>);

impl Stamps {
    /// The stamps of the files of `data` (as [`input_files`] lists them); a folder that
    /// cannot be listed or a file that cannot be read has none (the run reports it).
    pub fn take<P: AsRef<Path>>(data: &[P]) -> Stamps {
        let files = input_files(data).unwrap_or_default();
        Stamps(
            (files.into_iter())
                .filter_map(|f| Stamp::of(&f).ok().map(|s| (f, s)))
                .collect(),
        )
    }

    /// The files stamped, in order.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.0.iter().map(|(path, _)| path.as_path())
    }

    /// The first file whose stamp is not the one taken (written, replaced or removed since).
    pub fn changed(&self) -> Option<&Path> {
        (self.0.iter())
            .find(|(path, stamp)| Stamp::of(path).ok() != Some(*stamp))
            .map(|(path, _)| path.as_path())
    }
}

/// The records (data rows) of a CSV file, as the `csv` parser counts them (a quoted line
/// break stays in its record, blank lines are no records, the header is not one), read to
/// the end; `None` when the parser cannot read the file. Until a quote or a carriage return
/// is met, the non-empty lines are counted a vector at a time (`memchr`); from the line that
/// holds one, the `csv` parser counts the rest.
fn count_records(r: &mut impl Read) -> std::io::Result<Option<u64>> {
    count_records_by(r, 256 * 1024)
}

/// [`count_records`], reading `block` bytes at a time.
fn count_records_by(r: &mut impl Read, block: usize) -> std::io::Result<Option<u64>> {
    let mut buf = vec![0u8; block.max(1)];
    // Non-empty lines ended so far, and the bytes of the line begun and not ended (kept
    // for the parser, should it take over inside that line; a record is at most 1 MiB).
    let (mut lines, mut open) = (0u64, Vec::new());
    let records = |lines: u64| lines.saturating_sub(1);
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => {
                return Ok(Some(records(
                    lines.saturating_add(u64::from(!open.is_empty())),
                )));
            }
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let block = buf.get(..n).unwrap_or_default();
        let Some(q) = memchr::memchr2(b'"', b'\r', block) else {
            lines = lines.saturating_add(count_lines(block, &mut open));
            if open.len() > crate::io::MAX_RECORD_BYTES {
                return Ok(None);
            }
            continue;
        };
        // The line holding it, and the rest of the file, to the `csv` parser.
        let start = memchr::memrchr(b'\n', block.get(..q).unwrap_or_default())
            .map_or(0, |i| i.saturating_add(1));
        lines = lines.saturating_add(count_lines(
            block.get(..start).unwrap_or_default(),
            &mut open,
        ));
        open.extend_from_slice(block.get(start..).unwrap_or_default());
        let rest = std::io::Cursor::new(open).chain(r);
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(rest);
        let mut record = csv::ByteRecord::new();
        loop {
            match csv.read_byte_record(&mut record) {
                Ok(true) => lines = lines.saturating_add(1),
                Ok(false) => return Ok(Some(records(lines))),
                Err(e) => match e.into_kind() {
                    csv::ErrorKind::Io(io) => return Err(io),
                    _ => return Ok(None),
                },
            }
        }
    }
}

/// The non-empty lines that end in `block`; `open`: the bytes of the line begun and not
/// ended (before the block, then after it).
fn count_lines(block: &[u8], open: &mut Vec<u8>) -> u64 {
    let (mut count, mut start) = (0u64, 0usize);
    for i in memchr::memchr_iter(b'\n', block) {
        count = count.saturating_add(u64::from(!open.is_empty() || i > start));
        open.clear();
        start = i.saturating_add(1);
    }
    open.extend_from_slice(block.get(start..).unwrap_or_default());
    count
}

/// A reader that hashes (SHA-256) and counts the bytes read through it.
///
/// ```
/// use std::io::Read;
/// let mut r = jiuye_fupin::receipt::HashingReader::new(&b"abc"[..]);
/// let mut s = String::new();
/// r.read_to_string(&mut s)?;
/// let (n, hash) = r.finish();
/// assert_eq!(n, 3);
/// assert_eq!(hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R> HashingReader<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> HashingReader<R> {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// The number of bytes read and their SHA-256 (lowercase hex).
    pub fn finish(self) -> (u64, String) {
        (self.bytes, hex(&self.hasher.finalize()))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(buf.get(..n).unwrap_or_default());
        self.bytes = self.bytes.saturating_add(n as u64);
        Ok(n)
    }
}

/// A writer that hashes (SHA-256) and counts the bytes written through it: an output's hash
/// without reading the file again.
///
/// ```
/// use std::io::Write;
/// let mut w = jiuye_fupin::receipt::HashingWriter::new(Vec::new());
/// w.write_all(b"abc")?;
/// assert_eq!(w.sha256(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
/// let (inner, n, _) = w.finish();
/// assert_eq!((inner.len(), n), (3, 3));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W> HashingWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> HashingWriter<W> {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// The bytes written so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// SHA-256 of the bytes written so far (lowercase hex).
    pub fn sha256(&self) -> String {
        hex(&self.hasher.clone().finalize())
    }

    /// The inner writer, the number of bytes written and their SHA-256.
    pub fn finish(self) -> (W, u64, String) {
        (self.inner, self.bytes, hex(&self.hasher.finalize()))
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(buf.get(..n).unwrap_or_default());
        self.bytes = self.bytes.saturating_add(n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// SHA-256 of the policy's canonical TOML serialization: the same parameters always give
/// the same hash, and any change of a value, a date or a source note changes it.
pub fn policy_hash(policy: &Policy) -> String {
    let canonical = toml::to_string(policy).unwrap_or_default();
    hex(&Sha256::digest(canonical.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The time now, UTC, RFC 3339 to the second (`2026-12-02T15:42:07Z`).
pub fn now() -> String {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Receipt {
    /// A receipt for evaluating under `policy` as of `as_of` (totals, time and files to be
    /// added).
    pub fn new(policy: &Policy, as_of: NaiveDate) -> Receipt {
        Receipt {
            crate_version: env!("CARGO_PKG_VERSION"),
            policy_name: policy.name().to_owned(),
            policy_sha256: policy_hash(policy),
            as_of,
            time: None,
            working_dir: None,
            totals: None,
            inputs: Vec::new(),
            outputs: Vec::new(),
            complete_in: None,
        }
    }

    /// The receipt as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// One line for a printed summary.
    pub fn summary(&self) -> String {
        format!(
            "jiuye-fupin {} · policy {} (sha256 {}) · as of {}",
            self.crate_version,
            self.policy_name,
            self.policy_sha256.get(..16).unwrap_or(&self.policy_sha256),
            self.as_of
        )
    }
}

/// A receipt that cannot be read: text that is not a receipt as a run writes it.
///
/// ```
/// use jiuye_fupin::Lang;
/// use jiuye_fupin::receipt::{ReceiptError, verify};
/// let e = verify("x = 1\n", std::path::Path::new(".")).unwrap_err();
/// assert_eq!(e.line(), Some(1));
/// assert!(e.to_string().contains("unknown field `x`"), "{e}");
/// // serde's words said in Chinese too, as in a policy file.
/// assert!(e.render(Lang::Zh).starts_with("回执格式错误, 第 1 行: 未知的键 `x`，应为以下之一："), "{}", e.render(Lang::Zh));
/// let e = verify("", std::path::Path::new(".")).unwrap_err();
/// assert_eq!(e, ReceiptError::Missing { field: "crate_version" });
/// assert_eq!(e.line(), None);
/// assert!(e.render(Lang::Zh).contains("缺少 crate_version"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    /// Not TOML, a key no receipt has, a field of a file missing, or a value of the wrong
    /// kind (the message is the TOML reader's).
    #[error("malformed receipt, line {line}: {message}")]
    Malformed {
        /// The line (from 1) where the problem is.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A field every receipt has is missing: `crate_version`, `policy_name`,
    /// `policy_sha256` or `as_of`.
    #[error(
        "malformed receipt: no `{field}` (every receipt names the crate version, the policy's name and SHA-256 and the as-of date)"
    )]
    Missing {
        /// The field's key.
        field: &'static str,
    },
    /// No output file (`[[outputs]]`): every run that writes a receipt names the files it
    /// wrote, so a receipt without one has nothing to vouch for.
    #[error(
        "malformed receipt: it names no output file ([[outputs]]), so nothing can be checked; a run's receipt names every file the run wrote"
    )]
    NoOutput,
    /// A SHA-256 (`policy_sha256`, a file's `sha256`) that is not 64 hexadecimal digits.
    #[error(
        "malformed receipt, line {line}: {field} {value:?} is not a SHA-256 (64 hexadecimal digits)"
    )]
    BadHash {
        /// The line (from 1) of the value.
        line: usize,
        /// The field's key.
        field: &'static str,
        /// The value as written.
        value: String,
    },
    /// An `as_of` that is not a date (`YYYY-MM-DD`).
    #[error("malformed receipt, line {line}: as_of {value:?} is not a date (YYYY-MM-DD)")]
    BadDate {
        /// The line (from 1) of the value.
        line: usize,
        /// The value as written.
        value: String,
    },
    /// A file whose `path` is empty.
    #[error("malformed receipt, line {line}: a file's path is empty")]
    EmptyPath {
        /// The line (from 1) of the path.
        line: usize,
    },
}

impl ReceiptError {
    /// The line it names, when the problem is at one (a missing field or output is not).
    pub fn line(&self) -> Option<usize> {
        match self {
            ReceiptError::Malformed { line, .. }
            | ReceiptError::BadHash { line, .. }
            | ReceiptError::BadDate { line, .. }
            | ReceiptError::EmptyPath { line } => Some(*line),
            ReceiptError::Missing { .. } | ReceiptError::NoOutput => None,
        }
    }

    /// The error in `lang` (English: its `Display`).
    pub fn render(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            // serde's fixed messages (an unknown key, a missing field, a wrong type) said
            // in Chinese, as in a policy file; a TOML syntax error keeps the parser's words.
            ReceiptError::Malformed { line, message } => {
                let problem = crate::problem::FileProblem::from_message(message);
                format!("回执格式错误, 第 {line} 行: {}", problem.render(lang))
            }
            ReceiptError::Missing { field } => format!(
                "回执格式错误: 缺少 {field} (每份回执都写明 crate 版本、政策名称及其 SHA-256 和判定日期)"
            ),
            ReceiptError::NoOutput => "回执格式错误: 没有任何输出文件 ([[outputs]]), 无可核对; 每次运行的回执都列出它写出的全部文件".to_owned(),
            ReceiptError::BadHash { line, field, value } => format!(
                "回执格式错误, 第 {line} 行: {field} {value:?} 不是 SHA-256 (64 位十六进制数)"
            ),
            ReceiptError::BadDate { line, value } => {
                format!("回执格式错误, 第 {line} 行: as_of {value:?} 不是日期 (YYYY-MM-DD)")
            }
            ReceiptError::EmptyPath { line } => {
                format!("回执格式错误, 第 {line} 行: 文件路径为空")
            }
        }
    }
}

/// A receipt as [`Receipt::to_toml`] writes it, as [`verify`] reads it: the keys of a
/// receipt and no other (every version of this crate wrote a subset of them), the fields
/// every receipt has required.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    crate_version: Option<String>,
    policy_name: Option<String>,
    policy_sha256: Option<Spanned<String>>,
    as_of: Option<Spanned<String>>,
    #[serde(default)]
    #[allow(dead_code)]
    time: Option<String>,
    #[serde(default)]
    working_dir: Option<PathBuf>,
    #[serde(default)]
    totals: Option<totals::WrittenTotals>,
    #[serde(default)]
    inputs: Vec<Listed>,
    #[serde(default)]
    outputs: Vec<Listed>,
}

/// One file of a receipt as [`verify`] reads it ([`FileRecord`], with the lines of its
/// values).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Listed {
    path: Spanned<String>,
    bytes: u64,
    #[serde(default)]
    #[allow(dead_code)]
    records: Option<u64>,
    sha256: Spanned<String>,
}

/// `true` for 64 hexadecimal digits.
fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Reads a receipt's text: TOML with a receipt's keys and no other, the fields every
/// receipt has, at least one output, SHA-256s of 64 hex digits and a strict date.
fn read(text: &str) -> Result<Written, ReceiptError> {
    let w: Written = toml::from_str(text).map_err(|e| ReceiptError::Malformed {
        line: crate::reform::line_of(text, e.span().map_or(0, |s| s.start)),
        message: e.message().trim_end().to_owned(),
    })?;
    let hash = |field: &'static str, v: &Spanned<String>| {
        if is_sha256(v.get_ref()) {
            Ok(())
        } else {
            Err(ReceiptError::BadHash {
                line: crate::reform::line_of(text, v.span().start),
                field,
                value: v.get_ref().clone(),
            })
        }
    };
    if w.crate_version.is_none() {
        return Err(ReceiptError::Missing {
            field: "crate_version",
        });
    }
    if w.policy_name.is_none() {
        return Err(ReceiptError::Missing {
            field: "policy_name",
        });
    }
    hash(
        "policy_sha256",
        (w.policy_sha256.as_ref()).ok_or(ReceiptError::Missing {
            field: "policy_sha256",
        })?,
    )?;
    let as_of = (w.as_of.as_ref()).ok_or(ReceiptError::Missing { field: "as_of" })?;
    if crate::io::parse_date(as_of.get_ref()).is_none() {
        return Err(ReceiptError::BadDate {
            line: crate::reform::line_of(text, as_of.span().start),
            value: as_of.get_ref().clone(),
        });
    }
    for f in w.inputs.iter().chain(&w.outputs) {
        if f.path.get_ref().is_empty() {
            return Err(ReceiptError::EmptyPath {
                line: crate::reform::line_of(text, f.path.span().start),
            });
        }
        hash("sha256", &f.sha256)?;
    }
    if w.outputs.is_empty() {
        return Err(ReceiptError::NoOutput);
    }
    Ok(w)
}

/// Whether a file is an input or an output of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Read by the run.
    Input,
    /// Written by the run.
    Output,
}

/// What [`verify`] found for one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The same size and SHA-256 as in the receipt.
    Ok,
    /// Another size or SHA-256.
    Changed,
    /// No file at the path (as written, nor relative to the receipt's folder).
    Missing,
}

/// One file's check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Input or output.
    pub role: Role,
    /// The path as the receipt holds it.
    pub path: String,
    /// Where it was found, if it was.
    pub found: Option<PathBuf>,
    /// The verdict.
    pub status: Status,
}

impl Check {
    /// One line: `ok  input  laborers.csv` (or 一致 / 已改变 / 缺失 in Chinese).
    pub fn render(&self, lang: Lang) -> String {
        let (status, role) = match (lang, self.status, self.role) {
            (Lang::Zh, s, r) => (
                match s {
                    Status::Ok => "一致",
                    Status::Changed => "已改变",
                    Status::Missing => "缺失",
                },
                match r {
                    Role::Input => "输入",
                    Role::Output => "输出",
                },
            ),
            (Lang::En, s, r) => (
                match s {
                    Status::Ok => "ok",
                    Status::Changed => "changed",
                    Status::Missing => "missing",
                },
                match r {
                    Role::Input => "input",
                    Role::Output => "output",
                },
            ),
        };
        format!("{status}\t{role}\t{}", self.path)
    }
}

/// A receipt's text, read from `path`: a regular file of at most 1 MiB
/// ([`crate::policy::MAX_POLICY_BYTES`]), never a named pipe that would wait for a writer
/// or a device that never ends.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("read-receipt-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// std::fs::write(dir.join("payouts.receipt.toml"), "crate_version = \"0.1.0\"\n")?;
/// let text = jiuye_fupin::receipt::read_receipt(&dir.join("payouts.receipt.toml"))?;
/// assert!(text.starts_with("crate_version"));
/// assert!(jiuye_fupin::receipt::read_receipt(std::path::Path::new("/dev/zero")).is_err());
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// The file is missing, not a regular file, larger than the limit, or not UTF-8.
pub fn read_receipt(path: &Path) -> std::io::Result<String> {
    crate::policy::read_text(path, crate::policy::MAX_POLICY_BYTES)
}

/// Re-checks a receipt's files: each input's and output's size and SHA-256 recomputed from
/// the file. A relative path is looked up as written (relative to the working directory),
/// then relative to `receipt_dir` (the receipt's folder), an output also by its file name
/// in `receipt_dir` (a receipt is written beside its outputs), and last relative to the
/// run's working directory when the receipt holds it.
///
/// Only a receipt as a run writes it is checked: a TOML file with other keys (a policy,
/// `Cargo.toml`), without the crate version, the policy's name and SHA-256 or the as-of
/// date, or naming no output file is [`ReceiptError`], never "all 0 files match".
///
/// ```
/// use jiuye_fupin::receipt::{FileRecord, Receipt, ReceiptError, Status, verify};
/// let dir = std::env::temp_dir().join(format!("verify-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// std::fs::write(dir.join("payouts.csv"), "a\n")?;
/// let mut r = Receipt::new(&jiuye_fupin::Policy::yang_county_2020(), "2020-04-01".parse()?);
/// assert_eq!(verify(&r.to_toml(), &dir), Err(ReceiptError::NoOutput));
/// let mut out = FileRecord::of(&dir.join("payouts.csv"))?;
/// out.path = "payouts.csv".into(); // relative to the receipt's folder
/// r.outputs.push(out);
/// let text = r.to_toml();
/// assert_eq!(verify(&text, &dir)?[0].status, Status::Ok);
/// std::fs::write(dir.join("payouts.csv"), "b\n")?;
/// assert_eq!(verify(&text, &dir)?[0].status, Status::Changed);
/// std::fs::remove_file(dir.join("payouts.csv"))?;
/// assert_eq!(verify(&text, &dir)?[0].status, Status::Missing);
/// assert!(verify("inputs = 3\n", &dir).unwrap_err().to_string().contains("line 1"));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`ReceiptError`] for text that is not a receipt, naming the line where there is one.
pub fn verify(text: &str, receipt_dir: &Path) -> Result<Vec<Check>, ReceiptError> {
    let w = read(text)?;
    let roles = (w.inputs.iter().map(|f| (Role::Input, f)))
        .chain(w.outputs.iter().map(|f| (Role::Output, f)));
    Ok(roles
        .map(|(role, f)| {
            let found = locate(&w, role, f.path.get_ref(), receipt_dir);
            let status = match &found {
                None => Status::Missing,
                Some(p) => match FileRecord::of(p) {
                    Ok(now)
                        if now.bytes == f.bytes
                            && now.sha256.eq_ignore_ascii_case(f.sha256.get_ref()) =>
                    {
                        Status::Ok
                    }
                    _ => Status::Changed,
                },
            };
            Check {
                role,
                path: f.path.get_ref().clone(),
                found,
                status,
            }
        })
        .collect())
}

/// The output files a receipt names that exist now, where [`verify`] finds them (no file
/// is read): what a run about to write a receipt in its place would leave without one.
///
/// ```
/// use jiuye_fupin::receipt::{FileRecord, Receipt, outputs_found};
/// let dir = std::env::temp_dir().join(format!("outputs-found-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// std::fs::write(dir.join("ledger.txt"), "a\n")?;
/// let mut r = Receipt::new(&jiuye_fupin::Policy::yang_county_2020(), "2020-04-01".parse()?);
/// r.outputs.push(FileRecord::of(&dir.join("ledger.txt"))?);
/// assert_eq!(outputs_found(&r.to_toml(), &dir)?, [dir.join("ledger.txt")]);
/// std::fs::remove_file(dir.join("ledger.txt"))?;
/// assert!(outputs_found(&r.to_toml(), &dir)?.is_empty());
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`ReceiptError`] for text that is not a receipt.
pub fn outputs_found(text: &str, receipt_dir: &Path) -> Result<Vec<PathBuf>, ReceiptError> {
    let w = read(text)?;
    Ok((w.outputs.iter())
        .filter_map(|f| locate(&w, Role::Output, f.path.get_ref(), receipt_dir))
        .collect())
}

/// Where [`verify`] finds the file `path` of the receipt `w`, if anywhere.
fn locate(w: &Written, role: Role, path: &str, receipt_dir: &Path) -> Option<PathBuf> {
    let written = PathBuf::from(path);
    // An output is beside its receipt: found by its file name too.
    let beside = (role == Role::Output)
        .then(|| written.file_name().map(|n| receipt_dir.join(n)))
        .flatten();
    let run_dir = w.working_dir.as_ref().map(|d| d.join(&written));
    [
        Some(written.clone()),
        Some(receipt_dir.join(&written)),
        beside,
        run_dir,
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_file())
}

#[cfg(test)]
mod count_tests {
    use super::*;
    use proptest::prelude::*;

    /// Records as the `csv` crate counts them, or `None` where it cannot read the text.
    fn theirs(text: &str) -> Option<u64> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut n = 0;
        for r in csv.byte_records() {
            r.ok()?;
            n += 1;
        }
        Some(n)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// Counting lines a vector at a time, then handing over to the parser at the first
        /// quote or carriage return, counts what the parser alone counts, whatever the
        /// blocks' size.
        #[test]
        fn records_are_counted_as_the_csv_parser_counts_them(
            text in proptest::string::string_regex("[a ,\n\"\r]{0,80}").unwrap(),
            block in 1usize..20,
        ) {
            let ours = count_records_by(&mut text.as_bytes(), block).unwrap();
            prop_assert_eq!(ours, theirs(&text));
        }
    }
}

#[cfg(test)]
mod stamp_tests {
    use super::*;

    /// A file replaced by another of the same size (an editor saving through a temporary
    /// file) is found; the files of a folder are stamped one by one; a removed file is found.
    #[test]
    fn replaced_and_removed_files_are_found() -> std::io::Result<()> {
        let dir = std::env::temp_dir().join(format!("stamp-tests-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let (laborers, posts) = (dir.join("laborers.csv"), dir.join("posts.csv"));
        std::fs::write(&laborers, "id\nL1\n")?;
        std::fs::write(&posts, "id\nP1\n")?;
        let stamps = Stamps::take(&[&dir]);
        assert_eq!(stamps.0.len(), 2);
        assert_eq!(stamps.changed(), None);
        let saved = dir.join("laborers.csv.tmp");
        std::fs::write(&saved, "id\nL2\n")?;
        std::fs::rename(&saved, &laborers)?;
        if cfg!(unix) {
            assert_eq!(stamps.changed(), Some(laborers.as_path()));
        }
        let stamps = Stamps::take(&[&dir]);
        std::fs::remove_file(&posts)?;
        assert_eq!(stamps.changed(), Some(posts.as_path()));
        std::fs::remove_dir_all(&dir)
    }
}
