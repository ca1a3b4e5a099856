//! GBK/GB18030 input, decoded to UTF-8 before the one reader sees it.
//!
//! Chinese Excel and WPS save "CSV" in GBK (GB18030) by default. A file whose first 64 KiB
//! are not UTF-8, where the first bytes that are not look like a GBK character, and that
//! decode as GB18030 **without a single malformed sequence**, is decoded as GB18030 on the
//! fly (in constant memory); every other file is read as it is, so a UTF-8 file is never
//! touched and a file that is neither is still refused ([`super::InputError::NotUtf8`]),
//! never read as garbage. A malformed GB18030 sequence later in the file is an I/O error
//! naming the file, not a replacement character in a name or an amount.
//!
//! ```
//! use jiuye_fupin::io::{decoded_encoding, parse_roster};
//! let (gbk, _, _) = encoding_rs::GB18030.encode("id,town\nL1,龙亭镇\n");
//! assert_eq!(decoded_encoding(&gbk), Some("GB18030"));
//! assert_eq!(decoded_encoding("id,town\nL1,龙亭镇\n".as_bytes()), None);
//! ```

use std::io::{self, Read};

use encoding_rs::{DecoderResult, GB18030};

use super::Encoding;

/// How much of a file is looked at to choose its encoding.
const SNIFF: usize = 64 * 1024;

/// `Some("GB18030")` when a file starting with `head` is read as GB18030 (see the module's
/// documentation), `None` when it is read as it is.
pub fn decoded_encoding(head: &[u8]) -> Option<&'static str> {
    is_gbk(head).then_some("GB18030")
}

fn is_gbk(head: &[u8]) -> bool {
    let head = head.get(..SNIFF).unwrap_or(head);
    // The usual file is UTF-8: said by a vector check; std's, for the error's place, after.
    if simdutf8::basic::from_utf8(head).is_ok() {
        return false;
    }
    let bad = match std::str::from_utf8(head) {
        Ok(_) => return false,
        // An incomplete character at the cut is UTF-8 all the same.
        Err(e) if e.error_len().is_none() => return false,
        Err(e) => e.valid_up_to(),
    };
    if !super::looks_like_gbk(head.get(bad..).unwrap_or_default()) {
        return false;
    }
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let mut out = vec![0; head.len().saturating_mul(3).saturating_add(16)];
    // The sniffed part may end inside a character: not `last`.
    let (result, _, _) = decoder.decode_to_utf8_without_replacement(head, &mut out, false);
    matches!(result, DecoderResult::InputEmpty)
}

/// The whole text of the data file at `path`, decoded as the one reader decodes it (UTF-8,
/// or GB18030 when `options`' encoding says so), for a caller that needs a file's text
/// rather than its records (`template --from`).
///
/// ```
/// use jiuye_fupin::io::{ReadOptions, decoded_text};
/// let path = std::env::temp_dir().join(format!("jiuye-fupin-decoded-{}.csv", std::process::id()));
/// let (gbk, _, _) = encoding_rs::GB18030.encode("id,town\nL1,龙亭镇\n");
/// std::fs::write(&path, &gbk)?;
/// assert_eq!(decoded_text(&path, &ReadOptions::default())?, "id,town\nL1,龙亭镇\n");
/// std::fs::write(&path, b"id,town\nL1,\xFF\xFF\n")?;
/// let e = decoded_text(&path, &ReadOptions::default()).unwrap_err();
/// assert!(e.to_string().contains("line 2"), "{e}");
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`super::InputError::NotUtf8`] naming the file, the line and the bytes; an I/O error
/// naming the file (not a regular file, UTF-16, bytes that are not GB18030).
pub fn decoded_text(
    path: &std::path::Path,
    options: &super::ReadOptions,
) -> Result<String, super::InputError> {
    let file = path.display().to_string();
    let failed = |source| super::read_failure(path.to_owned(), &file, 1, source);
    let f = crate::file::open_regular(path).map_err(failed)?;
    let mut bytes = Vec::new();
    let read = match sniff(f, options.encoding_of()) {
        Ok(Sniffed::Plain { head, mut rest }) => {
            bytes = head;
            rest.read_to_end(&mut bytes).map(drop)
        }
        Ok(Sniffed::Gbk(mut r)) => r.read_to_end(&mut bytes).map(drop),
        Err(e) => Err(e),
    };
    read.map_err(failed)?;
    String::from_utf8(bytes)
        .map_err(|e| NotUtf8::of(e.as_bytes(), e.utf8_error()).input_error(&file))
}

/// The error [`sniff`] returns for a file that starts with a UTF-16 byte-order mark
/// (reported as [`super::InputError::Utf16`]).
#[derive(Debug)]
struct Utf16;

impl std::fmt::Display for Utf16 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the file is UTF-16, not CSV")
    }
}

impl std::error::Error for Utf16 {}

/// The refusal of a UTF-16 file (one with its byte-order mark, as [`sniff`] opens it, or a
/// header of NUL-interleaved bytes without it).
pub(crate) fn utf16() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, Utf16)
}

/// Text read as UTF-8 that is not (a CSV header, or a whole file read as text): where, as
/// [`crate::file::NotUtf8`] finds it, and whether the bytes there look like GBK. Reported as
/// [`super::InputError::NotUtf8`].
#[derive(Debug)]
pub(crate) struct NotUtf8 {
    /// The line and the bytes.
    pub(crate) at: crate::file::NotUtf8,
    /// Those bytes look like GBK/GB18030.
    pub(crate) looks_like_gbk: bool,
}

impl NotUtf8 {
    /// Where `text` stops being UTF-8, as `e` found.
    pub(crate) fn of(text: &[u8], e: std::str::Utf8Error) -> NotUtf8 {
        let rest = text.get(e.valid_up_to()..).unwrap_or_default();
        NotUtf8 {
            looks_like_gbk: super::looks_like_gbk(rest),
            at: crate::file::NotUtf8::at(text, e),
        }
    }

    /// The error naming `file`.
    pub(crate) fn input_error(&self, file: &str) -> super::InputError {
        super::InputError::NotUtf8 {
            file: file.to_owned(),
            line: u64::try_from(self.at.line).unwrap_or(u64::MAX),
            looks_like_gbk: self.looks_like_gbk,
            bytes: self.at.bytes.clone(),
        }
    }
}

impl std::fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: not UTF-8", self.at.line)
    }
}

impl std::error::Error for NotUtf8 {}

/// A refusal of text as not UTF-8, when `e` is one.
pub(crate) fn not_utf8(e: &io::Error) -> Option<&NotUtf8> {
    e.get_ref().and_then(|e| e.downcast_ref::<NotUtf8>())
}

/// `true` when `e` is [`sniff`]'s refusal of a UTF-16 file.
pub(crate) fn is_utf16(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|e| e.is::<Utf16>())
}

/// The error a file read as GB18030 returns at bytes that are not GB18030 (reported as
/// [`super::InputError::NotGb18030`], naming the line and the bytes).
#[derive(Debug)]
pub(crate) struct NotGb18030 {
    /// The line of the first byte that is not GB18030 (1-based).
    pub(crate) line: u64,
    /// Those bytes (at most 4).
    pub(crate) bytes: Vec<u8>,
}

impl std::fmt::Display for NotGb18030 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}: the file was read as GB18030 (GBK), but holds bytes that are not GB18030",
            self.line
        )
    }
}

impl std::error::Error for NotGb18030 {}

/// [`sniff`]'s refusal of bytes that are not GB18030, when `e` is one.
pub(crate) fn not_gb18030(e: &io::Error) -> Option<&NotGb18030> {
    e.get_ref().and_then(|e| e.downcast_ref::<NotGb18030>())
}

/// `r`, decoded from GB18030 when `encoding` says so (for [`Encoding::Auto`]: when its
/// start says so); as it is otherwise.
///
/// # Errors
/// An I/O error reading the start of `r`; a file starting with a UTF-16 byte-order mark
/// (whatever `encoding` says).
pub(crate) fn sniff<R: Read>(mut r: R, encoding: Encoding) -> io::Result<Sniffed<R>> {
    let mut head = Vec::with_capacity(SNIFF);
    (&mut r).take(SNIFF as u64).read_to_end(&mut head)?;
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Err(utf16());
    }
    let gbk = match encoding {
        Encoding::Utf8 => false,
        Encoding::Gb18030 => true,
        _ => is_gbk(&head),
    };
    if !gbk {
        return Ok(Sniffed::Plain { head, rest: r });
    }
    Ok(Sniffed::Gbk(Gb18030 {
        inner: io::Cursor::new(head).chain(r),
        decoder: GB18030.new_decoder_without_bom_handling(),
        pending: Vec::new(),
        out: Vec::new(),
        at: 0,
        done: false,
        newlines: 0,
    }))
}

/// A file after its start was looked at.
pub(crate) enum Sniffed<R> {
    /// Read as it is (UTF-8, or refused later by the one reader): its start, and the rest,
    /// read straight from the file (no wrapper between the file and the reader's buffer).
    Plain {
        /// The bytes read to look at.
        head: Vec<u8>,
        /// The reader, after them.
        rest: R,
    },
    /// GB18030, decoded as it is read.
    Gbk(Gb18030<io::Chain<io::Cursor<Vec<u8>>, R>>),
}

/// A reader of GB18030 bytes that yields UTF-8.
pub(crate) struct Gb18030<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    /// Bytes read but not decoded yet.
    pending: Vec<u8>,
    /// Decoded bytes not handed out yet, from `at`.
    out: Vec<u8>,
    at: usize,
    done: bool,
    /// Line breaks decoded so far (the line of a byte that is not GB18030).
    newlines: u64,
}

impl<R: Read> Read for Gb18030<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at >= self.out.len() {
            if self.done {
                return Ok(0);
            }
            let mut chunk = [0u8; 16 * 1024];
            let n = self.inner.read(&mut chunk)?;
            let last = n == 0;
            self.pending
                .extend_from_slice(chunk.get(..n).unwrap_or_default());
            self.out.clear();
            self.at = 0;
            let room = self.pending.len().saturating_mul(3).saturating_add(16);
            self.out.resize(room, 0);
            let (result, read, written) =
                self.decoder
                    .decode_to_utf8_without_replacement(&self.pending, &mut self.out, last);
            let decoded = self.out.get(..written).unwrap_or_default();
            let breaks = memchr::memchr_iter(b'\n', decoded).count() as u64;
            if let DecoderResult::Malformed(bad, after) = result {
                // The malformed sequence ends `after` bytes before what was read.
                let end = read.saturating_sub(usize::from(after));
                let start = end.saturating_sub(usize::from(bad));
                let bytes = self.pending.get(start..end).unwrap_or_default();
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    NotGb18030 {
                        line: self.newlines.saturating_add(breaks).saturating_add(1),
                        bytes: bytes.iter().take(4).copied().collect(),
                    },
                ));
            }
            self.newlines = self.newlines.saturating_add(breaks);
            self.out.truncate(written);
            self.pending.drain(..read);
            self.done = last;
        }
        let rest = self.out.get(self.at..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), rest.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.at = self.at.saturating_add(n);
        Ok(n)
    }
}
