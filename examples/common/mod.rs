//! Command-line handling shared by the examples.
#![allow(dead_code, unused_macros)]

use std::path::PathBuf;

use chrono::NaiveDate;
use jiuye_fupin::receipt::{FileRecord, HashingWriter, Receipt};
use jiuye_fupin::{Lang, Policy, Roster, io, sample};

/// The options every example takes.
pub struct Args {
    pub lang: Lang,
    /// `--data`, each time given: data folders and workbooks, merged in order.
    pub data: Vec<PathBuf>,
    pub out: Option<PathBuf>,
    pub as_of: NaiveDate,
    pub policy: Option<PathBuf>,
    /// `--overlay FILE`, each time given: partial policy files laid over the policy, in order.
    pub overlays: Vec<PathBuf>,
    /// Worker threads of the batch path (0: one per core).
    pub threads: usize,
    /// Chunk size of the batch path, in KiB.
    pub chunk_kib: Option<usize>,
    /// `--explain FILE`: the explained payout list (`payouts` only).
    pub explain: Option<PathBuf>,
    /// `--excel-bom`: CSV outputs start with a UTF-8 byte-order mark, for Excel.
    pub excel_bom: bool,
    /// `--encoding auto|utf-8|gb18030`: the CSV inputs' encoding (default `auto`).
    pub encoding: io::Encoding,
    /// `--clerk-formats`: dates and numbers as Excel and WPS write them are read too.
    pub clerk_formats: bool,
}

/// Parses `[--lang zh|en] [--data DIR|FILE.xlsx]... [--as-of YYYY-MM-DD] [--out FILE] [--policy FILE]`.
pub fn parse_args(usage: &str) -> Result<Args, String> {
    let mut args = Args {
        lang: Lang::Zh,
        data: Vec::new(),
        out: None,
        as_of: NaiveDate::from_ymd_opt(2020, 4, 1).ok_or("bad default date")?,
        policy: None,
        overlays: Vec::new(),
        threads: 0,
        chunk_kib: None,
        explain: None,
        excel_bom: false,
        encoding: io::Encoding::Auto,
        clerk_formats: false,
    };
    // Every message below is in `--lang`, wherever it stands among the arguments.
    let lang = lang_of_args();
    let mut it = arguments()?;
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| needs_value(&flag, usage, lang));
        let not_a_number = |flag: &str, v: &str| match lang {
            Lang::Zh => format!("{flag}: {v:?} 不是数字"),
            Lang::En => format!("{flag}: {v:?} is not a number"),
        };
        match flag.as_str() {
            "--lang" => args.lang = value()?.parse().map_err(|e| format!("--lang: {e}"))?,
            "--data" => args.data.push(value()?.into()),
            "--out" => args.out = Some(value()?.into()),
            "--explain" => args.explain = Some(value()?.into()),
            "--excel-bom" => args.excel_bom = true,
            "--encoding" => args.encoding = parse_encoding(&value()?, lang)?,
            "--clerk-formats" => args.clerk_formats = true,
            "--policy" => args.policy = Some(value()?.into()),
            "--overlay" => args.overlays.push(value()?.into()),
            "--threads" => {
                let v = value()?;
                args.threads = v.parse().map_err(|_| not_a_number("--threads", &v))?;
            }
            "--chunk-kib" => {
                let v = value()?;
                args.chunk_kib = Some(v.parse().map_err(|_| not_a_number("--chunk-kib", &v))?);
            }
            "--as-of" => {
                args.as_of = parse_as_of(&value()?, lang)?;
            }
            "-h" | "--help" => {
                outln!("{usage}");
                std::process::exit(0);
            }
            other => return Err(unknown_argument(other, usage, lang)),
        }
    }
    stamp_inputs(&input_paths(&args), args.lang);
    // Before any work (each write checks again, for the outputs named later).
    for output in args.out.iter().chain(&args.explain) {
        refuse_an_input(output)?;
    }
    if let (Some(out), Some(explained)) = (&args.out, &args.explain) {
        let [usual, full] = receipt_names(out);
        if let Some(both) = [out, &usual, &full]
            .into_iter()
            .find(|p| same_target(p, explained))
        {
            return Err(match args.lang {
                Lang::Zh => format!(
                    "--explain {} 与本次运行的另一个输出(--out 或其回执)是同一个文件:请为每个输出另选文件。",
                    both.display()
                ),
                Lang::En => format!(
                    "--explain {} is another output of this run too (--out, or its receipt): give each output a file of its own.",
                    both.display()
                ),
            });
        }
    }
    if (args.out.iter().chain(&args.explain)).any(|p| is_stdout(p)) {
        STDOUT_IS_OUTPUT.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    Ok(args)
}

/// The program's arguments (after its name), as text. An argument that is not UTF-8 is
/// refused, naming it, in `--lang` ([`jiuye_fupin::args`], as the server refuses it).
pub fn arguments() -> Result<std::vec::IntoIter<String>, String> {
    let given: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let lang = jiuye_fupin::args::lang_of(&given);
    let texts = jiuye_fupin::args::texts(given).map_err(|e| e.render(lang))?;
    Ok(texts.into_iter())
}

/// The language of `--lang` among the program's arguments (the last one given), Chinese
/// without one or with a bad one (which the parser then refuses).
pub fn lang_of_args() -> Lang {
    jiuye_fupin::args::lang_of(&std::env::args_os().skip(1).collect::<Vec<_>>())
}

/// "`flag` needs a value", in `lang`, with the usage (every example's argument parser).
pub fn needs_value(flag: &str, usage: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{flag} 需要一个值\n{usage}"),
        Lang::En => format!("{flag} needs a value\n{usage}"),
    }
}

/// "unknown argument `arg`", in `lang`, with the usage (every example's argument parser).
pub fn unknown_argument(arg: &str, usage: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("未知参数 {arg:?}\n{usage}"),
        Lang::En => format!("unknown argument {arg:?}\n{usage}"),
    }
}

/// `--as-of`'s value, read as strictly as the dates in the files (`YYYY-MM-DD`); the error
/// in `lang`.
pub fn parse_as_of(v: &str, lang: Lang) -> Result<NaiveDate, String> {
    io::parse_date(v).ok_or_else(|| match lang {
        Lang::Zh => format!("--as-of: {v:?} 不是日期 (YYYY-MM-DD)"),
        Lang::En => format!("--as-of: {v:?} is not a date (YYYY-MM-DD)"),
    })
}

/// `--encoding`'s value; the error in `lang`.
pub fn parse_encoding(v: &str, lang: Lang) -> Result<io::Encoding, String> {
    v.parse().map_err(|e| match lang {
        Lang::Zh => {
            format!("--encoding: {v:?} 不是可用的编码 (应为 auto、utf-8、gb18030、gbk 之一)")
        }
        Lang::En => format!("--encoding: {e}"),
    })
}

/// How the inputs are read: `--encoding` and `--clerk-formats`.
pub fn read_options(args: &Args) -> io::ReadOptions {
    io::ReadOptions::default()
        .encoding(args.encoding)
        .clerk_formats(args.clerk_formats)
}

/// The policy (`--policy`, or the Yang County 2020 preset).
pub fn policy(args: &Args) -> Result<Policy, String> {
    load_policy(args.policy.as_deref(), &args.overlays, args.lang)
}

/// The policy of `--policy FILE` (the Yang County 2020 preset without it), with every
/// `--overlay FILE` laid over it in order (`Policy::with_overlay_file`); errors in `lang`. A
/// partial file given as `--policy` is an error that says to give it as `--overlay`.
pub fn load_policy(
    path: Option<&std::path::Path>,
    overlays: &[PathBuf],
    lang: Lang,
) -> Result<Policy, String> {
    let mut policy = match path {
        Some(path) => Policy::load(path).map_err(|e| {
            let message = e.render(lang);
            if e.is_partial() {
                let path = path.display();
                match lang {
                    Lang::Zh => format!(
                        "{message}\n(--policy 需要完整的政策文件；只写出不同之处的部分文件请用 --overlay {path})"
                    ),
                    Lang::En => format!(
                        "{message}\n(--policy takes a whole policy file; a partial one, naming only what differs, is given as --overlay {path})"
                    ),
                }
            } else {
                message
            }
        })?,
        None => Policy::yang_county_2020(),
    };
    for overlay in overlays {
        policy = policy
            .with_overlay_file(overlay)
            .map_err(|e| e.render(lang))?;
    }
    Ok(policy)
}

/// The roster (every `--data` folder or workbook, merged; or the embedded sample).
pub fn roster(args: &Args) -> Result<Roster, String> {
    roster_traced(args).map(|(roster, _)| roster)
}

/// [`roster`], with where each record was read (`None` for the embedded sample).
pub fn roster_traced(args: &Args) -> Result<(Roster, Option<io::Origins>), String> {
    read_roster(&args.data, &read_options(args), args.lang)
}

/// The roster of `data` (every folder or workbook, merged; the embedded sample when there
/// is none), read as `options` say, with where each record was read; GBK files and inputs
/// without a record are noted on standard error, in `lang`.
pub fn read_roster(
    data: &[PathBuf],
    options: &io::ReadOptions,
    lang: Lang,
) -> Result<(Roster, Option<io::Origins>), String> {
    if data.is_empty() {
        return Ok((sample::roster(), None));
    }
    note_encodings(data, options.encoding_of(), lang);
    let (roster, origins) = io::read_data_traced(data, options).map_err(|e| e.render(lang))?;
    note_no_records(roster.is_empty() && roster.post_months().is_empty(), lang);
    note_no_laborers(
        roster.laborers().is_empty() && !roster.posts().is_empty(),
        lang,
    );
    Ok((roster, Some(origins)))
}

/// Says on standard error, when `posts_alone` (posts were read, no laborer), that every
/// post's holder is then not registered as poor: a post held by someone who is not among the
/// laborers is decided, ineligible for R8 (`holder_not_poor`), and a missing laborers' file
/// must not pass for a county with no poor holder.
pub fn note_no_laborers(posts_alone: bool, lang: Lang) {
    if posts_alone {
        errln!(
            "{}",
            lang.pick(
                "注意：没有读到劳动力记录（无 laborers.csv 或只有表头）：每个公益岗位的在岗人员都按非建档立卡贫困劳动力处理（R8 holder_not_poor）。",
                "note: no laborer was read (no laborers.csv, or a header alone): every post's holder counts as not registered as poor (R8 holder_not_poor)."
            )
        );
    }
}

/// Says on standard error, when `empty`, that the inputs hold no record (every file a header
/// alone): valid input (POLICY.md reading 10), but an empty result is never passed off as a
/// finished run in silence.
pub fn note_no_records(empty: bool, lang: Lang) {
    if empty {
        errln!(
            "{}",
            lang.pick(
                "注意：输入文件中没有任何记录（只有表头），没有可决定或审核的对象。",
                "note: the input files hold no record (a header alone): nothing to decide or audit."
            )
        );
    }
}

/// Says which CSV files of the data folders are read as GB18030 (GBK) rather than UTF-8.
pub fn note_encodings(data: &[PathBuf], encoding: io::Encoding, lang: Lang) {
    use std::io::Read;
    for dir in data.iter().filter(|d| d.is_dir()) {
        let Ok(files) = io::data_files(dir) else {
            continue;
        };
        for path in files.iter().flatten() {
            let mut head = Vec::new();
            let read =
                std::fs::File::open(path).and_then(|f| f.take(64 * 1024).read_to_end(&mut head));
            let Some(name) = read.ok().and_then(|_| encoding.decodes(&head)) else {
                continue;
            };
            match (lang, encoding) {
                (Lang::Zh, io::Encoding::Auto) => {
                    errln!("{}: 不是 UTF-8, 已按 {name} (GBK) 编码读取", path.display())
                }
                (Lang::Zh, _) => errln!("{}: 按 {name} (GBK) 编码读取", path.display()),
                (Lang::En, io::Encoding::Auto) => {
                    errln!("{}: not UTF-8, read as {name} (GBK)", path.display())
                }
                (Lang::En, _) => errln!("{}: read as {name} (GBK)", path.display()),
            }
        }
    }
}

/// The default place of an output named `name`: in the first `--data` folder, or beside
/// the first `--data` workbook; `None` without `--data`.
pub fn default_out(args: &Args, name: &str) -> Option<PathBuf> {
    let first = args.data.first()?;
    if first.is_dir() {
        Some(first.join(name))
    } else {
        Some(first.with_file_name(name))
    }
}

/// Runs `body`, printing its error and exiting with 1 on failure.
pub fn main_with(body: impl FnOnce() -> Result<(), String>) -> std::process::ExitCode {
    // Interrupted (Ctrl-C, `kill`, a closed terminal): the partial outputs are removed, so
    // that nothing half-written is left, under the final name or beside it.
    let _ = ctrlc::set_handler(|| {
        remove_partials();
        std::process::exit(130);
    });
    match body() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            remove_outputs();
            errln!("{message}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Removes the outputs this run finished before it failed (`payouts --out p.xlsx --explain
/// e.jsonl`: the explained list was written whole, then the workbook could not be), so
/// that a failed run leaves no output. A device or standard output is left alone.
fn remove_outputs() {
    let written = OUTPUTS
        .lock()
        .map(|mut o| std::mem::take(&mut *o))
        .unwrap_or_default();
    for file in written {
        let path = std::path::Path::new(&file.path);
        if !is_stdout(path) && !is_device(path) {
            let _ = std::fs::remove_file(path);
        }
    }
    // Then the folders this run made for them, when nothing else is in them.
    let made = MADE_DIRS
        .lock()
        .map(|mut d| std::mem::take(&mut *d))
        .unwrap_or_default();
    for dir in made.iter().rev() {
        let _ = std::fs::remove_dir(dir);
    }
}

/// The output folders this run made ([`output_dir`]), removed with its outputs when it
/// fails, if they are empty.
static MADE_DIRS: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Makes the output folder `dir` (and its parents) unless it exists, so that an unusable
/// one (a file of that name, no permission) is said before any work; a folder made here
/// is removed again if the run fails and leaves it empty.
pub fn output_dir(dir: &std::path::Path) -> Result<(), String> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        missing.push(d.to_path_buf());
        at = d.parent();
    }
    std::fs::create_dir_all(dir).map_err(|e| cannot_create(dir, &e))?;
    if let Ok(mut made) = MADE_DIRS.lock() {
        // Outermost first: removed innermost first.
        made.extend(missing.into_iter().rev());
    }
    Ok(())
}

/// Removes the partial files being written (an interrupt, a closed standard output).
fn remove_partials() {
    let partial = PARTIAL.lock().map(|p| p.clone()).unwrap_or_default();
    for path in partial {
        let _ = std::fs::remove_file(path);
    }
}

/// Writes to standard output (`to_err`: standard error) without the panic of `println!`
/// when the other end is gone. A closed standard output (`payouts | head -1`) ends the run
/// as a closed pipe ends a Unix tool: the partial outputs removed, exit status 141
/// (128 + SIGPIPE); any other error writing it, status 1. A failure to write to standard
/// error is ignored: there is nowhere left to say it.
pub fn emit(to_err: bool, args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    if to_err || STDOUT_IS_OUTPUT.load(std::sync::atomic::Ordering::Relaxed) {
        let _ = std::io::stderr().lock().write_fmt(args);
        return;
    }
    let written = std::io::stdout().lock().write_fmt(args);
    if let Err(e) = written {
        remove_partials();
        let closed = e.kind() == std::io::ErrorKind::BrokenPipe;
        std::process::exit(if closed { 141 } else { 1 });
    }
}

/// Set when an output file is standard output itself (`--out /dev/stdout`, for a pipe):
/// the messages that would follow its rows go to standard error instead, so that the
/// pipe carries the file alone.
static STDOUT_IS_OUTPUT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `true` when `path` is written in place, with no partial file, no rename and no
/// receipt: a device or a pipe (`/dev/null`, `/dev/full`), or standard output itself
/// (`/dev/stdout`, even when the shell sent it to a regular file: that file is the shell's,
/// and `/dev/stdout` is not to be replaced by one).
pub fn is_special(path: &std::path::Path) -> bool {
    is_device(path) || is_stdout(path)
}

/// `true` when `path` exists and is not a regular file (a device, a pipe, a folder).
fn is_device(path: &std::path::Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file())
}

/// Standard output as a file of its own (a duplicate of its descriptor): written where the
/// shell put it (a pipe, or the end of a file opened with `>>`), never reopened from its
/// start.
#[cfg(unix)]
fn stdout_file() -> std::io::Result<std::fs::File> {
    use std::os::fd::AsFd;
    Ok(std::fs::File::from(
        std::io::stdout().as_fd().try_clone_to_owned()?,
    ))
}

#[cfg(not(unix))]
fn stdout_file() -> std::io::Result<std::fs::File> {
    Err(std::io::Error::other(
        "standard output as a file is for Unix",
    ))
}

/// `true` when `path` is the file standard output writes to (the same device and inode).
fn is_stdout(path: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(path), std::fs::metadata("/dev/stdout")) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// `println!` to standard output through [`emit`].
macro_rules! outln {
    () => { $crate::common::emit(false, format_args!("\n")) };
    ($($t:tt)*) => { $crate::common::emit(false, format_args!("{}\n", format_args!($($t)*))) };
}
/// `print!` to standard output through [`emit`].
macro_rules! out {
    ($($t:tt)*) => { $crate::common::emit(false, format_args!($($t)*)) };
}
/// `eprintln!` through [`emit`].
macro_rules! errln {
    ($($t:tt)*) => { $crate::common::emit(true, format_args!("{}\n", format_args!($($t)*))) };
}
// Each example uses some of them.
#[allow(unused_imports)]
pub(crate) use {errln, out, outln};

/// The partial files being written, for the interrupt handler.
static PARTIAL: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Writes an output file so that it is whole or absent: into `FILE.partial` beside it,
/// flushed, then renamed to `FILE`; on any error (a full disk, an unwritable
/// place, bad input met while writing) the partial file is removed and nothing is left under
/// `FILE`; when the process is interrupted by a signal, the handler of [`main_with`] removes
/// it. A `FILE` that exists and is not a regular file (a device such as `/dev/null` or
/// `/dev/full`, a pipe) is written in place, its errors reported all the same.
///
/// The bytes are hashed as they are written (no second read of the file): each output
/// written whole is recorded for the run's receipt ([`write_receipt`]).
pub fn write_file<T>(
    path: &std::path::Path,
    write: impl FnOnce(&mut Out) -> Result<T, String>,
) -> Result<T, String> {
    write_hashed(path, true, write)
}

/// What [`write_file`] hands its writer: buffered, hashed, the file.
pub type Out = std::io::BufWriter<Target>;

/// The file being written: hashed as it is written when it is a regular file, for the
/// run's receipt; not hashed when it is a device or a pipe (`/dev/stdout`, `/dev/null`),
/// which no receipt names (the SHA-256 of the 189 MB of a million laborers' payouts is
/// about half of that run's CPU).
pub enum Target {
    Hashed(HashingWriter<std::fs::File>),
    Plain(std::fs::File),
}

impl std::io::Write for Target {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Target::Hashed(w) => w.write(buf),
            Target::Plain(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Target::Hashed(w) => w.flush(),
            Target::Plain(w) => w.flush(),
        }
    }
}

/// The outputs written whole by this run, for its receipt.
static OUTPUTS: std::sync::Mutex<Vec<FileRecord>> = std::sync::Mutex::new(Vec::new());

fn write_hashed<T>(
    path: &std::path::Path,
    record: bool,
    write: impl FnOnce(&mut Out) -> Result<T, String>,
) -> Result<T, String> {
    use std::io::Write;
    refuse_an_input(path)?;
    let to_stdout = is_stdout(path);
    let special = to_stdout || is_device(path);
    let target = if special {
        path.to_owned()
    } else {
        let mut name = path.file_name().unwrap_or_default().to_owned();
        name.push(".partial");
        path.with_file_name(name)
    };
    let file = if to_stdout {
        stdout_file()
    } else if special {
        std::fs::OpenOptions::new().write(true).open(&target)
    } else {
        std::fs::File::create(&target)
    }
    .map_err(|e| cannot_create(&target, &e))?;
    if !special {
        if let Ok(mut p) = PARTIAL.lock() {
            p.push(target.clone());
        }
    }
    if to_stdout {
        STDOUT_IS_OUTPUT.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    let mut out = std::io::BufWriter::new(match special {
        true => Target::Plain(file),
        false => Target::Hashed(HashingWriter::new(file)),
    });
    // Flushed, not synced: the rename makes the file whole or absent for any reader and
    // after any failure of this process; a sync (for a power cut) would cost as much as the
    // whole run on a large roster.
    let result = write(&mut out).and_then(|v| {
        out.flush().map_err(|e| cannot_write(path, &e))?;
        Ok(v)
    });
    let written = match out.into_inner() {
        Ok(Target::Hashed(h)) => {
            let (file, bytes, sha256) = h.finish();
            drop(file);
            Some(FileRecord {
                path: path.display().to_string(),
                bytes,
                records: None,
                sha256,
            })
        }
        _ => None,
    };
    // Renamed or removed while the interrupt handler waits: it never removes a whole file.
    let mut partial = PARTIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let done = result.and_then(|v| {
        if !special {
            std::fs::rename(&target, path).map_err(|e| cannot_write(path, &e))?;
        }
        Ok(v)
    });
    if done.is_err() && !special {
        let _ = std::fs::remove_file(&target);
    }
    partial.retain(|p| *p != target);
    drop(partial);
    if let (Ok(_), Some(written), true) = (&done, written, record) {
        if let Ok(mut outputs) = OUTPUTS.lock() {
            outputs.push(written);
        }
    }
    done
}

/// `true` when `path` ends in `.xlsx` (a workbook is written rather than CSV or text).
pub fn is_xlsx(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Writes `bytes` to `path` through [`write_file`] (whole or absent).
pub fn write_bytes(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    write_file(path, |w| {
        use std::io::Write;
        w.write_all(bytes).map_err(|e| cannot_write(path, &e))
    })
}

/// The UTF-8 byte-order mark that makes Excel on a Chinese Windows read a CSV file as
/// UTF-8 (`--excel-bom`). Off by default: payouts.csv's bytes are POLICY.md's format, and
/// other programs compare them.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Starts a CSV output with the BOM when asked for.
pub fn bom(on: bool, w: &mut impl std::io::Write, path: &std::path::Path) -> Result<(), String> {
    if on {
        w.write_all(BOM).map_err(|e| cannot_write(path, &e))?;
    }
    Ok(())
}

/// Writes the run's receipt (one helper for every example): `receipt` with the time now,
/// the input files of `inputs` (`--data` folders and workbooks, a `--policy` or `--reform`
/// file: see [`jiuye_fupin::receipt::inputs`]; hashed here, in a streaming pass) and every
/// output this process has written whole through [`write_file`] (hashed as written).
/// It goes beside the output `out` (`payouts.xlsx` → `payouts.receipt.toml`, or
/// `payouts.xlsx.receipt.toml` rather than replace another output's: [`receipt_path`]),
/// whole or absent; nothing beside a device such as `/dev/null`. Returns its path.
pub fn write_receipt(
    out: &std::path::Path,
    mut receipt: Receipt,
    inputs: &[&std::path::Path],
) -> Result<Option<PathBuf>, String> {
    if is_special(out) {
        return Ok(None);
    }
    receipt.time = Some(jiuye_fupin::receipt::now());
    receipt.working_dir = std::env::current_dir()
        .ok()
        .map(|d| d.display().to_string());
    // Hashed already for a workbook's receipt sheet ([`workbook_receipt`]): kept.
    if receipt.inputs.is_empty() {
        receipt.inputs = hashed_inputs(inputs)?;
    }
    let (path, kept) = receipt_place(out);
    if let Some(kept) = kept {
        match run_lang() {
            Lang::Zh => outln!(
                "{} 是另一个输出的回执(其文件仍在),予以保留;本次回执写入 {}",
                kept.display(),
                path.display()
            ),
            Lang::En => outln!(
                "{} is the receipt of another output, still there: kept; this run's receipt is {}",
                kept.display(),
                path.display()
            ),
        }
    }
    receipt.outputs = std::mem::take(&mut *OUTPUTS.lock().map_err(|e| e.to_string())?);
    write_hashed(&path, false, |w| {
        use std::io::Write;
        w.write_all(receipt.to_toml().as_bytes())
            .map_err(|e| cannot_write(&path, &e))
    })?;
    Ok(Some(path))
}

/// The two names a receipt of the output `out` may have: `FILE.receipt.toml`
/// (`payouts.xlsx` → `payouts.receipt.toml`), and `FILE.EXT.receipt.toml`
/// (`payouts.xlsx.receipt.toml`) when the first is another output's ([`receipt_path`]).
pub fn receipt_names(out: &std::path::Path) -> [PathBuf; 2] {
    let mut full = out.file_name().unwrap_or_default().to_owned();
    full.push(".receipt.toml");
    [out.with_extension("receipt.toml"), out.with_file_name(full)]
}

/// Where the receipt of the run whose output is `out` goes: beside it, `FILE.receipt.toml`
/// (`payouts.xlsx` → `payouts.receipt.toml`); but `FILE.EXT.receipt.toml`
/// (`l.xlsx.receipt.toml`) when `FILE.receipt.toml` is the receipt of another output, still
/// there and not written by this run (`ledger --out l.txt`, then `ledger --out l.xlsx`;
/// `policy_change --out DIR/impact.xlsx`, then `--csv DIR`): that receipt is never
/// replaced, so that the earlier file keeps it. The same for the same files, however often
/// run.
pub fn receipt_path(out: &std::path::Path) -> PathBuf {
    receipt_place(out).0
}

/// [`receipt_path`], and `FILE.receipt.toml` when it is kept: a receipt (one `verify`
/// reads) naming an output other than `out` that exists and that this run has not written.
/// A file there that is no receipt is replaced, as it always was.
fn receipt_place(out: &std::path::Path) -> (PathBuf, Option<PathBuf>) {
    let [usual, full] = receipt_names(out);
    let another = || {
        let text = jiuye_fupin::receipt::read_receipt(&usual).ok()?;
        let dir = usual.parent().unwrap_or(std::path::Path::new(""));
        let found = jiuye_fupin::receipt::outputs_found(&text, dir).ok()?;
        let written = OUTPUTS.lock().map(|o| o.clone()).unwrap_or_default();
        Some(found.iter().any(|f| {
            !same_target(f, out)
                && !(written.iter()).any(|w| same_target(std::path::Path::new(&w.path), f))
        }))
    };
    if usual != full && another() == Some(true) {
        (full, Some(usual))
    } else {
        (usual, None)
    }
}

/// The input files of `inputs`, hashed: by the thread of [`hash_inputs_early`] when it
/// hashed these very inputs, here otherwise.
fn hashed_inputs(inputs: &[&std::path::Path]) -> Result<Vec<FileRecord>, String> {
    let owned: Vec<PathBuf> = inputs.iter().map(|p| p.to_path_buf()).collect();
    let early = EARLY_INPUTS.lock().ok().and_then(|mut e| e.take());
    let hashed = match early {
        // Hashed while the run went on ([`hash_inputs_early`]), for these very inputs.
        Some((paths, job)) if paths == owned => job
            .join()
            .map_err(|_| "the thread hashing the inputs failed".to_owned())?,
        _ => jiuye_fupin::receipt::inputs(inputs),
    }
    .map_err(|e| e.to_string())?;
    inputs_unchanged()?;
    Ok(hashed)
}

/// The language of the run's messages, as [`stamp_inputs`] noted it (Chinese before).
fn run_lang() -> Lang {
    let stamps = STAMPS.lock().ok();
    (stamps.and_then(|s| s.as_ref().map(|(_, lang)| *lang))).unwrap_or(Lang::Zh)
}

/// Why an output cannot be written, in the run's language: the usual causes said in
/// Chinese, the system's words for any other.
fn write_cause(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match (run_lang(), e.kind()) {
        (Lang::En, _) => e.to_string(),
        (Lang::Zh, ErrorKind::NotFound) => "所在文件夹不存在".to_owned(),
        (Lang::Zh, ErrorKind::PermissionDenied) => "没有写入权限".to_owned(),
        (Lang::Zh, ErrorKind::IsADirectory) => "是文件夹".to_owned(),
        (Lang::Zh, ErrorKind::AlreadyExists) => "已存在，且不是文件夹".to_owned(),
        (Lang::Zh, ErrorKind::NotADirectory) => "路径中有一部分不是文件夹".to_owned(),
        (Lang::Zh, ErrorKind::StorageFull) => "磁盘空间不足".to_owned(),
        (Lang::Zh, ErrorKind::ReadOnlyFilesystem) => "文件系统只读".to_owned(),
        (Lang::Zh, _) => e.to_string(),
    }
}

/// "cannot create `path`: why", in the run's language.
pub fn cannot_create(path: &std::path::Path, e: &std::io::Error) -> String {
    match run_lang() {
        Lang::Zh => format!("无法创建 {}：{}", path.display(), write_cause(e)),
        Lang::En => format!("cannot create {}: {}", path.display(), write_cause(e)),
    }
}

/// A writer whose errors say which file could not be written, and why, in the run's
/// language ([`cannot_write`]): the library's writers (`batch::run`, `io::write_findings_in`)
/// know no path, and said `cannot write payouts: No space left on device` (in English under
/// `--lang zh`), or the system's words alone.
pub struct Named<'p, W> {
    path: &'p std::path::Path,
    inner: W,
}

impl<'p, W: std::io::Write> Named<'p, W> {
    /// `inner`, writing `path`.
    pub fn new(path: &'p std::path::Path, inner: W) -> Self {
        Named { path, inner }
    }

    fn said(&self, e: std::io::Error) -> std::io::Error {
        std::io::Error::new(e.kind(), cannot_write(self.path, &e))
    }
}

impl<W: std::io::Write> std::io::Write for Named<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf).map_err(|e| self.said(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().map_err(|e| self.said(e))
    }
}

/// The text of an error a [`Named`] writer returned: its own words.
pub fn named_error(e: &std::io::Error) -> String {
    e.get_ref()
        .map_or_else(|| e.to_string(), |inner| inner.to_string())
}

/// "cannot write `path`: why", in the run's language.
pub fn cannot_write(path: &std::path::Path, e: &std::io::Error) -> String {
    cannot_make(path, &write_cause(e))
}

/// "cannot write `path`: why", `why` already in the run's language: the system's cause
/// ([`cannot_write`]), or what kept a workbook from being made (its sheet, row and column).
pub fn cannot_make(path: &std::path::Path, why: &dyn std::fmt::Display) -> String {
    match run_lang() {
        Lang::Zh => format!("无法写入 {}：{why}", path.display()),
        Lang::En => format!("cannot write {}: {why}", path.display()),
    }
}

/// The run's input files as they were before it read them ([`stamp_inputs`]), and the
/// language of its messages.
static STAMPS: std::sync::Mutex<Option<(jiuye_fupin::receipt::Stamps, Lang)>> =
    std::sync::Mutex::new(None);

/// Notes each input file's size, time and inode before the run reads it, so that a file
/// written or replaced while the run goes on is found before a receipt vouches for it
/// ([`inputs_unchanged`]). Called by [`parse_args`], and by each example with its own.
pub fn stamp_inputs(inputs: &[&std::path::Path], lang: Lang) {
    let stamps = jiuye_fupin::receipt::Stamps::take(inputs);
    if let Ok(mut s) = STAMPS.lock() {
        *s = Some((stamps, lang));
    }
}

/// An error when `path` is one of the run's input files ([`stamp_inputs`]): writing it
/// would replace the data being decided (`--out DIR/laborers.csv`).
fn refuse_an_input(path: &std::path::Path) -> Result<(), String> {
    let stamps = STAMPS.lock().map_err(|e| e.to_string())?;
    let Some((stamps, lang)) = stamps.as_ref() else {
        return Ok(());
    };
    let Some(input) = stamps.files().find(|input| same_file(input, path)) else {
        return Ok(());
    };
    let (path, input) = (path.display(), input.display());
    Err(match lang {
        Lang::Zh => format!(
            "输出文件 {path} 就是本次运行的输入文件 {input}:写出会覆盖要判定的数据。请另选输出文件。"
        ),
        Lang::En => format!(
            "the output {path} is an input of this run ({input}): writing it would replace the data being decided. Choose another file."
        ),
    })
}

/// `true` when `a` and `b` name the same file, existing (see [`same_file`]) or to be
/// created (the same name in the same folder, however the folder is written).
fn same_target(a: &std::path::Path, b: &std::path::Path) -> bool {
    let place = |p: &std::path::Path| {
        let folder = match p.parent() {
            Some(f) if !f.as_os_str().is_empty() => f.canonicalize().ok()?,
            _ => std::env::current_dir().ok()?,
        };
        Some(folder.join(p.file_name()?))
    };
    same_file(a, b) || matches!((place(a), place(b)), (Some(x), Some(y)) if x == y)
}

/// `true` when `a` and `b` name one existing file (the same device and inode).
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
    }
}

/// An error when an input file changed since [`stamp_inputs`]: the outputs may mix two
/// versions of it and the receipt's hash may be of neither, so the outputs written are
/// removed and no receipt is written.
fn inputs_unchanged() -> Result<(), String> {
    let stamps = STAMPS.lock().map_err(|e| e.to_string())?;
    let Some((stamps, lang)) = stamps.as_ref() else {
        return Ok(());
    };
    let Some(path) = stamps.changed() else {
        return Ok(());
    };
    let outputs = std::mem::take(&mut *OUTPUTS.lock().map_err(|e| e.to_string())?);
    for f in &outputs {
        let _ = std::fs::remove_file(&f.path);
    }
    let path = path.display();
    Err(match lang {
        Lang::Zh => format!(
            "输入文件 {path} 在本次运行期间被修改或替换:结果可能混合了它的两个版本,回执也无法证明判定的是哪个版本。已删除本次写出的文件,未写回执;请在无人编辑该文件时重新运行。"
        ),
        Lang::En => format!(
            "{path} was written or replaced while this run read it: the results may mix two versions of it, and a receipt could not say which one was decided. The files this run wrote are removed and no receipt is written; run again once nobody is editing it."
        ),
    })
}

/// Fills a workbook's receipt sheet (回执) before the workbook `out` is written: the input
/// files (hashed now, and kept for the receipt file), the outputs finished so far, and the
/// name of the receipt file beside `out`, which holds the complete list (the workbook
/// cannot hold its own hash).
pub fn workbook_receipt(
    out: &std::path::Path,
    receipt: &mut Receipt,
    inputs: &[&std::path::Path],
) -> Result<(), String> {
    receipt.inputs = hashed_inputs(inputs)?;
    receipt.outputs = OUTPUTS.lock().map_err(|e| e.to_string())?.clone();
    if !is_special(out) {
        receipt.complete_in = Some(receipt_path(out).display().to_string());
    }
    Ok(())
}

/// The inputs being hashed on a thread of their own, for the receipt.
type EarlyInputs = (
    Vec<PathBuf>,
    std::thread::JoinHandle<std::io::Result<Vec<jiuye_fupin::receipt::FileRecord>>>,
);
static EARLY_INPUTS: std::sync::Mutex<Option<EarlyInputs>> = std::sync::Mutex::new(None);

/// Starts hashing the inputs for the receipt on a thread of its own, while the run reads
/// them (a large roster: the hash then costs little of the run's time); [`write_receipt`]
/// takes the result when it is for the same inputs, and hashes them itself otherwise.
pub fn hash_inputs_early(inputs: &[&std::path::Path]) {
    let paths: Vec<PathBuf> = inputs.iter().map(|p| p.to_path_buf()).collect();
    let for_job = paths.clone();
    let job = std::thread::spawn(move || jiuye_fupin::receipt::inputs(&for_job));
    if let Ok(mut early) = EARLY_INPUTS.lock() {
        *early = Some((paths, job));
    }
}

/// The input files of a run of the common options: every `--data`, and `--policy`.
pub fn input_paths(args: &Args) -> Vec<&std::path::Path> {
    (args.data.iter().map(PathBuf::as_path))
        .chain(args.policy.as_deref())
        .chain(args.overlays.iter().map(PathBuf::as_path))
        .collect()
}
