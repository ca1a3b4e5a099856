//! Reading a file in chunks of complete records, from any `Read`, in constant memory.

// The hot loop of the one reader: the same justified exception as `crate::batch` to the
// crate's `arithmetic_side_effects` and `indexing_slicing` denials (positions and lengths
// within a chunk held in memory, digits of a bounded cell; see `batch`'s note).
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use std::io::{self, Read};

use csv_core::{ReadRecordResult, Reader};

use super::Limit;
use super::split::Splitter;

/// A header or record longer than its [`Limit`], as the `io::Error` of a chunk reader
/// (the caller names the file and line: [`super::InputError::TooLong`]).
#[derive(Debug)]
pub(crate) struct TooLong(pub Limit);

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "longer than {} bytes", self.0.bytes())
    }
}

impl std::error::Error for TooLong {}

fn too_long(limit: Limit) -> io::Error {
    io::Error::other(TooLong(limit))
}

/// The limit an error of a chunk reader names, if it is one.
pub(crate) fn limit_of(e: &io::Error) -> Option<Limit> {
    e.get_ref()?.downcast_ref::<TooLong>().map(|t| t.0)
}

/// Refuses a header's bytes (`used`, the header with its line end) that are not text: UTF-16
/// without its byte-order mark (every other byte NUL; a file with the mark is refused as it
/// is opened), or bytes that are not UTF-8 (the header would otherwise be read with
/// replacement characters and reported as "no column id"). A stray NUL is neither: its
/// column is then reported as missing.
fn header_bytes(used: &[u8]) -> io::Result<()> {
    let nul = used.iter().filter(|&&b| b == 0).count();
    if nul > 0 && nul * 3 >= used.len() {
        return Err(super::decode::utf16());
    }
    match std::str::from_utf8(used) {
        Ok(_) => Ok(()),
        Err(e) => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            super::decode::NotUtf8::of(used, e),
        )),
    }
}

/// Where the bytes come from: the file before its start is looked at, then the file itself
/// or a decoder of it (GB18030, see [`super::decode`]).
enum Src<R> {
    Fresh(Option<R>),
    /// The start that was looked at, then the rest of the file.
    Plain {
        head: io::Cursor<Vec<u8>>,
        rest: R,
    },
    Gbk(super::decode::Gb18030<io::Chain<io::Cursor<Vec<u8>>, R>>),
}

/// Reads runs of complete records: each chunk ends at a record's end (outside quotes), and
/// what follows waits in `carry` for the next chunk. A file in GBK/GB18030 is decoded to
/// UTF-8 as it is read; any other is read as it is, straight into the chunk.
pub(crate) struct ChunkReader<R> {
    src: Src<R>,
    carry: Vec<u8>,
    eof: bool,
    chunk: usize,
    encoding: super::Encoding,
    /// Whether the last chunk is known to hold no quote and no carriage return (found while
    /// looking for its end; `false` when not looked at).
    plain: bool,
}

impl<R: Read> ChunkReader<R> {
    /// A reader of chunks of about `chunk` bytes.
    pub(crate) fn new(src: R, chunk: usize) -> ChunkReader<R> {
        ChunkReader {
            src: Src::Fresh(Some(src)),
            carry: Vec::new(),
            eof: false,
            chunk: chunk.max(1024),
            encoding: super::Encoding::Auto,
            plain: false,
        }
    }

    /// Reads the input as `encoding` says ([`super::Encoding`]; default `Auto`).
    pub(crate) fn encoding(mut self, encoding: super::Encoding) -> ChunkReader<R> {
        self.encoding = encoding;
        self
    }

    /// Looks at the start of the input, once, to choose how to read it.
    fn start(&mut self) -> io::Result<()> {
        if let Src::Fresh(r) = &mut self.src {
            let Some(r) = r.take() else {
                return Ok(());
            };
            self.src = match super::decode::sniff(r, self.encoding)? {
                super::decode::Sniffed::Plain { head, rest } => Src::Plain {
                    head: io::Cursor::new(head),
                    rest,
                },
                super::decode::Sniffed::Gbk(g) => Src::Gbk(g),
            };
        }
        Ok(())
    }

    /// Reads until `buf` holds `target` bytes or the input ends. (`read_to_end` of the
    /// reader itself: a `File` reads into the buffer's spare room without zeroing it.)
    fn fill(&mut self, buf: &mut Vec<u8>, target: usize) -> io::Result<()> {
        while !self.eof && buf.len() < target {
            let want = target - buf.len();
            let got = match &mut self.src {
                Src::Plain { head, rest } => {
                    let n = head.take(want as u64).read_to_end(buf)?;
                    let more = want - n;
                    n + if more > 0 {
                        rest.take(more as u64).read_to_end(buf)?
                    } else {
                        0
                    }
                }
                Src::Gbk(r) => r.take(want as u64).read_to_end(buf)?,
                Src::Fresh(_) => 0,
            };
            if got < want {
                self.eof = true;
            }
        }
        Ok(())
    }

    /// The header: its fields (trimmed, a UTF-8 BOM removed) and the newlines it spans.
    pub(crate) fn header(&mut self) -> io::Result<(Vec<String>, u64)> {
        self.start()?;
        let mut buf = std::mem::take(&mut self.carry);
        // A header is short: read a little first, so that what follows it (carried into the
        // first chunk) is a small copy, not a whole chunk grown, copied and copied again.
        let mut target = self.chunk.min(HEADER_READ);
        let (start, consumed, fields) = loop {
            self.fill(&mut buf, target)?;
            let start = if buf.starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            };
            let body = buf.get(start..).unwrap_or_default();
            let (consumed, fields) = Splitter::default().fields_of_first(body);
            if consumed > Limit::Header.bytes()
                || (consumed == body.len() && body.len() > Limit::Header.bytes())
            {
                return Err(too_long(Limit::Header));
            }
            if consumed < body.len() || self.eof {
                break (start, consumed, fields);
            }
            // The header may go on past what was read: read on (twice as far each time, so
            // that a long header is parsed a bounded number of times).
            target = grow(buf.len(), self.chunk);
        };
        let body = buf.get(start..).unwrap_or_default();
        let used = body.get(..consumed).unwrap_or_default();
        header_bytes(used)?;
        let newlines = super::split::line_ends(body, used.len());
        self.carry = body.get(consumed..).unwrap_or_default().to_vec();
        Ok((fields, newlines))
    }

    /// Whether the chunk [`ChunkReader::next_chunk`] last gave is known to hold no quote and
    /// no carriage return (its splitter then need not look: [`Splitter::for_each_known`]).
    pub(crate) fn plain(&self) -> bool {
        self.plain
    }

    /// Fills `buf` with the next chunk; `false` when the input is exhausted.
    pub(crate) fn next_chunk(&mut self, buf: &mut Vec<u8>) -> io::Result<bool> {
        self.start()?;
        self.plain = false;
        buf.clear();
        buf.append(&mut self.carry);
        let mut target = self.chunk;
        loop {
            self.fill(buf, target)?;
            if buf.is_empty() {
                return Ok(false);
            }
            if self.eof && buf.len() <= Limit::Record.bytes() {
                // Not scanned since it last grew: whether it holds a quote or a carriage
                // return is the splitter's to find (a record longer than a chunk, read to
                // the end, may have a quote past the part scanned before).
                self.plain = false;
                return Ok(true);
            }
            let (split, plain) = split_point(buf);
            // Of the whole buffer, so of any chunk cut from it.
            self.plain = plain;
            match split {
                // At the end of the input, what follows the last complete record is the last
                // record: it goes on alone, so that a limit names its line.
                Some(at) if !self.eof || buf.len() - at > Limit::Record.bytes() => {
                    self.carry
                        .extend_from_slice(buf.get(at..).unwrap_or_default());
                    buf.truncate(at);
                    return Ok(true);
                }
                Some(_) => return Ok(true),
                // One record, longer than the limit: an error, never a read to the end.
                None if buf.len() > Limit::Record.bytes() => return Err(too_long(Limit::Record)),
                None if self.eof => return Ok(true),
                None => {}
            }
            // One record longer than a chunk: read on (twice as far each time, so that it is
            // parsed a bounded number of times: time linear in its length).
            target = grow(buf.len(), self.chunk);
        }
    }
}

/// The bytes first read for a header (more if it is longer).
const HEADER_READ: usize = 4096;

/// The next read target after `len` bytes without a record's end: double, at least a chunk
/// more.
fn grow(len: usize, chunk: usize) -> usize {
    len.saturating_mul(2).max(len.saturating_add(chunk))
}

/// The end of the last complete record in `buf` (which starts at a record's start), and
/// whether `buf` holds no quote and no carriage return.
fn split_point(buf: &[u8]) -> (Option<usize>, bool) {
    // One pass for quotes and carriage returns (the splitter's own test of a chunk, made here
    // where the bytes are scanned anyway); past a carriage return, on for a quote alone.
    match memchr::memchr2(b'"', b'\r', buf) {
        None => (last_line_end(buf), true),
        Some(i)
            if buf.get(i) == Some(&b'\r')
                && memchr::memchr(b'"', buf.get(i..).unwrap_or_default()).is_none() =>
        {
            (last_line_end(buf), false)
        }
        Some(_) => (quoted_split_point(buf), false),
    }
}

/// [`split_point`] of a buffer without a quote: every line end (LF, CRLF, a bare CR) ends
/// a record; a CR at the very end may be the first half of a CRLF: split before its line
/// instead.
fn last_line_end(buf: &[u8]) -> Option<usize> {
    let mut upto = buf.len();
    while let Some(i) = memchr::memrchr2(b'\n', b'\r', buf.get(..upto).unwrap_or_default()) {
        if buf.get(i) == Some(&b'\r') && i + 1 == buf.len() {
            upto = i;
            continue;
        }
        return Some(i + 1);
    }
    None
}

/// [`split_point`] of a buffer with a quote: the csv parser says where records end.
fn quoted_split_point(buf: &[u8]) -> Option<usize> {
    let mut csv = Reader::new();
    let _ = csv.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
    let mut out = vec![0; buf.len() + 1];
    let mut ends = vec![0; 256];
    let (mut pos, mut last) = (0, None);
    loop {
        let (res, nin, _, _) =
            csv.read_record(buf.get(pos..).unwrap_or_default(), &mut out, &mut ends);
        pos += nin;
        match res {
            ReadRecordResult::Record => last = Some(pos),
            ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            ReadRecordResult::InputEmpty | ReadRecordResult::End => break,
            ReadRecordResult::OutputFull => return None,
        }
        if pos >= buf.len() {
            break;
        }
    }
    // Keep a CRLF's line feed with the record it ends.
    last.map(|at| {
        let crlf = at > 0 && buf.get(at - 1) == Some(&b'\r') && buf.get(at) == Some(&b'\n');
        at + usize::from(crlf)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(text: &str, size: usize) -> Vec<String> {
        let mut r = ChunkReader::new(text.as_bytes(), size);
        let mut out = Vec::new();
        let mut buf = Vec::new();
        while r.next_chunk(&mut buf).unwrap() {
            out.push(String::from_utf8(buf.clone()).unwrap());
        }
        out
    }

    /// A chunk is called plain only when it holds no quote and no carriage return, wherever
    /// one falls (in the chunk, or only in what is carried to the next).
    #[test]
    fn a_chunk_is_plain_only_without_quotes_and_carriage_returns() {
        let line = "a,b,c\n";
        for odd in ["", "x,\"q\",z\n", "x,y,z\r\n", "x,y\rz\n", "\"", "\r"] {
            for at in [0, 150, 170, 171, 299, 600] {
                let text = line.repeat(at) + odd + &line.repeat(600 - at);
                let mut r = ChunkReader::new(text.as_bytes(), 1024);
                let (mut buf, mut plain) = (Vec::new(), 0);
                while r.next_chunk(&mut buf).unwrap() {
                    if r.plain() {
                        assert!(
                            !buf.contains(&b'"') && !buf.contains(&b'\r'),
                            "{odd:?} {at}"
                        );
                        plain += 1;
                    }
                }
                // (An open quote makes the rest of the file one field: no chunk after it ends
                // before the input does.)
                assert!(plain > 0 || odd == "\"", "{odd:?} {at}");
            }
        }
    }

    /// The last record, when longer than a chunk, is read on to the end of the input: a
    /// quote or a carriage return past the bytes first scanned still makes its chunk not
    /// plain. (It was called plain: an unclosed quote there was read as a plain byte, and
    /// the records after it were decided, with 1 KiB chunks only.)
    #[test]
    fn a_last_record_longer_than_a_chunk_is_plain_only_without_quotes() {
        for odd in ["\"", "\r", "\r\n"] {
            for at in [10, 1500, 3000, 5000] {
                let text = "a,b,c\n".repeat(10)
                    + "x,"
                    + &"y".repeat(at)
                    + odd
                    + &"z".repeat(6000 - at)
                    + "\n";
                for size in [1024, 2048, 4096] {
                    let mut r = ChunkReader::new(text.as_bytes(), size);
                    let mut buf = Vec::new();
                    let mut read = Vec::new();
                    while r.next_chunk(&mut buf).unwrap() {
                        let odd_inside = buf.contains(&b'"') || buf.contains(&b'\r');
                        assert!(!(r.plain() && odd_inside), "{odd:?} {at} {size}");
                        read.extend_from_slice(&buf);
                    }
                    assert_eq!(read, text.as_bytes());
                }
            }
        }
    }

    #[test]
    fn chunks_end_at_record_ends_even_inside_quoted_line_breaks() {
        let line = "a,b,c\n";
        let quoted = "x,\"multi\nline, with comma\",z\n";
        let text = line.repeat(300) + quoted + &line.repeat(300) + "last,row,no_newline";
        let parts = chunks(&text, 1024);
        assert!(parts.len() > 2);
        assert_eq!(parts.concat(), text);
        for p in &parts[..parts.len() - 1] {
            assert!(p.ends_with('\n'), "{p:?}");
            assert_eq!(
                p.matches('"').count() % 2,
                0,
                "quotes balanced within a chunk"
            );
        }
    }
}
