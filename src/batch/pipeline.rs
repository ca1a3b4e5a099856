//! The pipeline of one file: a reader (this thread), workers, and a collector that writes
//! the chunks' rows in input order.
//!
//! ```text
//! reader ──chunk n──▶ workers (parse, decide, format) ──rows of n──▶ collector ──▶ out
//!    ▲                                                                   │
//!    └───────────────── the chunk's two buffers, for reuse ◀─────────────┘
//! ```
//!
//! A fixed pool of buffer pairs (input, rows) circulates: the reader takes a pair before
//! reading, the collector gives it back once the rows are written. Memory is therefore
//! bounded by the pool, whatever the file's length, and the order of the output is the
//! order of the input, whatever the number of workers.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

use super::BatchError;
use super::subjects::{Acc, Counts, Fault, IdWords, Rows, Shared, Stream};
use crate::io::InputError;
use crate::io::cells::Dates;
use crate::io::chunks::ChunkReader;
use crate::io::records::{self, Known, PlainId, is_blank};
use crate::io::split::{Layout, Malformed, Splitter, trim};
use crate::model::PovertyStatus;

/// A chunk to decide.
struct Job {
    seq: u64,
    data: Vec<u8>,
    acc: Acc,
    /// The line of the chunk's first byte (counted only when the explained list is asked
    /// for; else the file's first line for every chunk, and unused).
    first_line: u64,
    /// Known to hold no quote and no carriage return ([`ChunkReader::plain`]).
    plain: bool,
}

/// What a file's pipeline leaves for the next file's, of the same run (the same chunk
/// size, engine and read options): the pages of its buffers and caches are touched once a
/// run, not once a file. (At 1,000,000 laborers on 2 cores, new buffers for the
/// enterprises and the posts were about 2,000 of the run's 4,600 page faults, at the run's
/// end, where the cores are not both busy; the accumulators' row caches and the workers'
/// date caches, made again for each file, were about 160 of the 550 of a run of one
/// laborer.)
#[derive(Default)]
pub(crate) struct Spare {
    /// Buffer pairs: a chunk's input, and its accumulator (rows, row cache).
    pairs: Vec<(Vec<u8>, Acc)>,
    /// The workers' date caches.
    dates: Vec<Dates>,
}

/// A decided chunk.
struct Done {
    seq: u64,
    data: Vec<u8>,
    acc: Acc,
    newlines: u64,
    ids: IdRun,
    error: Option<RowError>,
}

/// The first and last id of a chunk, and whether its ids strictly increase.
#[derive(Default)]
struct IdRun {
    first: Vec<u8>,
    last: Vec<u8>,
    /// `last` as a number that orders as the bytes do ([`super::subjects::id_key16`]), when
    /// it has one, and its length.
    last_key: Option<(u128, usize)>,
    increasing: bool,
    any: bool,
}

impl IdRun {
    /// Adds the id `id`, whose words are `w`. Ids of at most 16 bytes are compared by their
    /// keys: one comparison instead of a byte-by-byte one (equal keys prove nothing, and
    /// count as not increasing).
    #[inline(always)]
    fn push(&mut self, id: &[u8], w: &IdWords) {
        // The usual id: visible ASCII (its own key), after another of at most 16 bytes (a
        // key is kept once an id is: `any`), whose key and length it takes in place.
        match (&mut self.last_key, w.key) {
            (Some((a, len)), Some(b)) if w.plain => {
                self.increasing &= *a < b;
                (*a, *len) = (b, w.len);
            }
            _ => self.push_any(id, w.key, w.plain),
        }
    }

    /// [`IdRun::push`] of any id, whose [`IdWords`]' key and plain test are `key` and
    /// `plain` (by value: a record's words then need not be stored for this call).
    #[inline(never)]
    fn push_any(&mut self, id: &[u8], key: Option<u128>, plain: bool) {
        // A non-ASCII id may equal another after NFKC (POLICY.md reading 12): increasing
        // bytes then prove nothing, and the file is checked for duplicates by key. (The
        // reader trims ids and refuses control characters: an ASCII id is its own key.)
        self.increasing &= plain || id.is_ascii();
        let k = key.map(|k| (k, id.len()));
        if !self.any {
            self.first.extend_from_slice(id);
            self.any = true;
        } else {
            self.increasing &= match (self.last_key, k) {
                (Some((a, _)), Some((b, _))) => a < b,
                (Some((a, len)), None) => a.to_be_bytes().get(..len).unwrap_or_default() < id,
                (None, _) => self.last.as_slice() < id,
            };
        }
        self.last_key = k;
        if k.is_none() {
            self.last.clear();
            self.last.extend_from_slice(id);
        }
    }

    /// The last id's bytes.
    fn last(&mut self) -> Vec<u8> {
        match self.last_key {
            Some((k, len)) => k.to_be_bytes().get(..len).unwrap_or_default().to_vec(),
            None => std::mem::take(&mut self.last),
        }
    }
}

/// An error at a line of a chunk.
enum RowError {
    Malformed(Malformed),
    /// A bad cell, already located but for the chunk's first line.
    Cell(InputError),
    /// A record the engine cannot decide, at a line of the chunk.
    Eval(u64, crate::engine::EvalError),
}

/// A file and its header, for messages.
#[derive(Clone, Copy)]
struct Named<'a> {
    file: &'a str,
    n_fields: usize,
}

/// What a file's pass leaves behind.
pub(crate) struct Pass {
    /// Whether every id came after the one before (no duplicate possible).
    pub ids_increasing: bool,
}

/// Where the rows go and where the counts and statuses are gathered.
pub(crate) struct Sink<'o, W, X> {
    pub out: &'o mut W,
    /// The explained list, when asked for.
    pub explained: Option<&'o mut X>,
    pub counts: &'o mut Counts,
    pub statuses: &'o mut [Option<PovertyStatus>],
}

/// Decides every record of one file.
#[allow(clippy::too_many_arguments)]
pub(crate) fn stream<K: Stream, R: Read, W: Write + Send, X: Write + Send>(
    mut reader: ChunkReader<R>,
    layout: &Layout,
    first_line: u64,
    file: &str,
    shared: &Shared<'_>,
    sink: Sink<'_, W, X>,
    threads: usize,
    chunk_bytes: usize,
    spare: &mut Spare,
) -> Result<Pass, BatchError> {
    let threads = threads.max(1);
    let stop = AtomicBool::new(false);
    let (job_tx, job_rx) = mpsc::sync_channel::<Job>(threads * 2);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    let (pool_tx, pool_rx) = mpsc::channel::<(Vec<u8>, Acc)>();
    for _ in 0..threads * 2 + 2 {
        // Rows take up to about twice their input (a laborer's 105 bytes give three rows,
        // 190 bytes; the 1.5 times reserved before made each buffer grow once, a copy of
        // the rows so far). Memory that rows do not reach is never touched.
        let pair = spare.pairs.pop().unwrap_or_else(|| {
            let data = Vec::with_capacity(chunk_bytes + chunk_bytes / 4);
            let acc = Acc {
                out: Rows::with_capacity(chunk_bytes * 2),
                ..Acc::default()
            };
            (data, acc)
        });
        let _ = pool_tx.send(pair);
    }
    let dates: Vec<Dates> = (0..threads)
        .map(|_| {
            spare
                .dates
                .pop()
                .unwrap_or_default()
                .for_options(&shared.read)
        })
        .collect();
    let mut kept_dates = Vec::with_capacity(threads);
    let mut keep = |pair: (Vec<u8>, Acc)| spare.pairs.push(pair);
    let result = std::thread::scope(|scope| {
        let workers: Vec<_> = dates
            .into_iter()
            .map(|dates| {
                let done_tx = done_tx.clone();
                let (job_rx, stop) = (&job_rx, &stop);
                scope.spawn(move || worker::<K>(job_rx, done_tx, stop, layout, shared, dates))
            })
            .collect();
        drop(done_tx);
        let stop_ref = &stop;
        let named = Named {
            file,
            n_fields: layout.n_fields,
        };
        let collector =
            scope.spawn(move || collect(done_rx, pool_tx, stop_ref, sink, first_line, &named));
        let mut seq = 0;
        let mut read_error = None;
        // Each chunk's first line, for the explained list's sources only.
        let mut next_line = first_line;
        while !stop.load(Ordering::Relaxed) {
            let Ok((mut data, acc)) = pool_rx.recv() else {
                break;
            };
            match reader.next_chunk(&mut data) {
                Ok(true) => {
                    let at = next_line;
                    if shared.explain.is_some() {
                        next_line += lines_in(&data);
                    }
                    let job = Job {
                        seq,
                        data,
                        acc,
                        first_line: at,
                        plain: reader.plain(),
                    };
                    if job_tx.send(job).is_err() {
                        break;
                    }
                    seq += 1;
                }
                Ok(false) => {
                    keep((data, acc));
                    break;
                }
                Err(e) => {
                    stop.store(true, Ordering::Relaxed);
                    read_error = Some(e);
                    break;
                }
            }
        }
        drop(job_tx);
        // A worker that panicked lost its chunk: the run is an error, not rows with a gap.
        let mut panicked = false;
        for w in workers {
            match w.join() {
                Ok(dates) => kept_dates.push(dates),
                Err(_) => panicked = true,
            }
        }
        let collected = match collector.join() {
            Ok(r) if !panicked => r,
            _ => Err(BatchError::Internal("a batch thread panicked")),
        };
        // Every pair is back (the collector gave each back once written), for the next file.
        pool_rx.try_iter().for_each(keep);
        // A problem of an earlier record comes first; a record over its limit is located
        // when every problem is collected (`batch::every_problem`).
        match (collected, read_error) {
            (Err(e), _) => Err(e),
            (Ok(_), Some(source)) => Err(BatchError::from(crate::io::read_failure(
                file.into(),
                file,
                0,
                source,
            ))),
            (Ok(pass), None) => Ok(pass),
        }
    });
    spare.dates.append(&mut kept_dates);
    result
}

fn worker<K: Stream>(
    jobs: &Mutex<mpsc::Receiver<Job>>,
    done: mpsc::Sender<Done>,
    stop: &AtomicBool,
    layout: &Layout,
    shared: &Shared<'_>,
    mut dates: Dates,
) -> Dates {
    let mut split = Splitter::default();
    let mut scratch = K::Scratch::default();
    loop {
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => break,
        };
        let Ok(Job {
            seq,
            data,
            mut acc,
            first_line,
            plain,
        }) = job
        else {
            break;
        };
        acc.out.clear();
        acc.explained.clear();
        acc.statuses.clear();
        acc.clear_counts();
        let mut ids = IdRun {
            increasing: true,
            ..IdRun::default()
        };
        let (newlines, error) = if stop.load(Ordering::Relaxed) {
            (0, None)
        } else {
            // The record's error is boxed (it is met at most once a chunk): the closure's
            // result is then one register, not a `RowError` returned through memory and
            // tested there after each record.
            let r = split.for_each_known(
                &data,
                layout,
                plain,
                |cells, line, raw| -> Result<(), Box<RowError>> {
                    // The id's one test, its words': the usual id is plain as written,
                    // nothing to trim, and the reader is told so; any other is trimmed,
                    // and its words are found again (out of line).
                    let written = cells.get(0);
                    let mut words = IdWords::of(written);
                    let plain = PlainId::tested(written, words.plain);
                    let id = match plain {
                        Some(_) => written,
                        None => trimmed_id(written, &mut words),
                    };
                    if id.is_empty() && is_blank(raw) {
                        return Ok(());
                    }
                    let located = |f| RowError::Cell(records::cell_error::<K>("", line, cells, f));
                    // The file's layout gives its unread and optional columns no field.
                    let known = Known {
                        id: plain,
                        lean: true,
                    };
                    K::parse_with(cells, known, &mut scratch, &mut dates).map_err(located)?;
                    if shared.explain.is_some() {
                        use std::fmt::Write as _;
                        acc.source.clear();
                        let _ = write!(acc.source, "{}:{}", shared.file, first_line + line);
                    }
                    K::decide(&scratch, &words, shared, &mut acc).map_err(|fault| match fault {
                        Fault::Cell(f) => located(f),
                        Fault::Eval(e) => RowError::Eval(line, e),
                    })?;
                    ids.push(id, &words);
                    Ok(())
                },
                |m| Err(Box::new(RowError::Malformed(m))),
            );
            match r {
                Ok(n) => (n, None),
                Err(e) => (0, Some(*e)),
            }
        };
        let d = Done {
            seq,
            data,
            acc,
            newlines,
            ids,
            error,
        };
        if done.send(d).is_err() {
            break;
        }
    }
    dates
}

/// The id of a record whose id cell `written` is not plain as written (or empty): the cell
/// trimmed, and its `words`.
#[cold]
#[inline(never)]
fn trimmed_id<'a>(written: &'a [u8], words: &mut IdWords) -> &'a [u8] {
    let id = trim(written);
    *words = IdWords::of(id);
    id
}

fn collect<W: Write, X: Write>(
    done: mpsc::Receiver<Done>,
    pool: mpsc::Sender<(Vec<u8>, Acc)>,
    stop: &AtomicBool,
    mut sink: Sink<'_, W, X>,
    first_line: u64,
    file: &Named<'_>,
) -> Result<Pass, BatchError> {
    let mut pending = BTreeMap::new();
    let mut next = 0u64;
    let mut line = first_line;
    let mut error = None;
    let mut increasing = true;
    let mut last_id: Option<Vec<u8>> = None;
    for d in done {
        pending.insert(d.seq, d);
        while let Some(d) = pending.remove(&next) {
            next += 1;
            if error.is_none() {
                if let Some(e) = d.error {
                    error = Some(locate(e, line, file));
                    stop.store(true, Ordering::Relaxed);
                } else if let Err(e) = sink.out.write_all(d.acc.out.as_bytes()).and_then(|()| {
                    match sink.explained.as_mut() {
                        Some(x) => x.write_all(&d.acc.explained),
                        None => Ok(()),
                    }
                }) {
                    error = Some(BatchError::Write(e));
                    stop.store(true, Ordering::Relaxed);
                } else {
                    d.acc.add_counts_to(sink.counts);
                    for &(h, s) in &d.acc.statuses {
                        if let Some(slot) = sink.statuses.get_mut(h as usize) {
                            *slot = Some(s);
                        }
                    }
                    let mut ids = d.ids;
                    if ids.any {
                        increasing &=
                            ids.increasing && last_id.as_ref().is_none_or(|l| *l < ids.first);
                        last_id = Some(ids.last());
                    }
                    line += d.newlines;
                }
            }
            let _ = pool.send((d.data, d.acc));
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(Pass {
            ids_increasing: increasing,
        }),
    }
}

/// The lines a chunk spans, as the splitter counts them (LF, CRLF or a bare CR).
fn lines_in(data: &[u8]) -> u64 {
    if memchr::memchr(b'\r', data).is_none() {
        return memchr::memchr_iter(b'\n', data).count() as u64;
    }
    crate::io::split::line_ends(data, data.len())
}

/// The error with its file and line (`line`: the line of the chunk's first byte).
fn locate(e: RowError, line: u64, file: &Named<'_>) -> BatchError {
    match e {
        RowError::Malformed(m) => {
            records::malformed_error(file.file, line, file.n_fields, m).into()
        }
        RowError::Eval(l, source) => BatchError::Record {
            file: file.file.to_owned(),
            line: line + l,
            source,
        },
        RowError::Cell(mut e) => {
            if let InputError::Cell {
                file: f, line: l, ..
            } = &mut e
            {
                file.file.clone_into(f);
                *l += line;
            }
            e.into()
        }
    }
}
