//! Opening a file a user names (a policy, a reform, a workbook, a file a receipt lists):
//! a regular file only, checked before it is opened, since opening a named pipe waits for a
//! writer that may never come, and a device such as `/dev/zero` never ends.

use std::fs::File;
use std::io::{Error, ErrorKind};
use std::path::Path;

/// Opens `path` for reading when it is a regular file (a link to one is one); a folder, a
/// device or a named pipe is an `InvalidInput` error, "not a regular file", without being
/// opened. The opened file is checked again (it may have been replaced in between).
pub(crate) fn open_regular(path: &Path) -> std::io::Result<File> {
    let not_regular = || Error::new(ErrorKind::InvalidInput, NotRegular);
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let file = File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(not_regular());
    }
    Ok(file)
}

/// The cause of [`open_regular`]'s refusal of a folder, a device or a pipe.
#[derive(Debug, thiserror::Error)]
#[error("not a regular file")]
pub(crate) struct NotRegular;

/// A file larger than the limit of what is read of it.
#[derive(Debug, thiserror::Error)]
#[error("larger than the limit of {0} bytes")]
pub(crate) struct TooLarge(pub(crate) u64);

/// Text that is not UTF-8 (a policy, reform or scenario file; a CSV file's header or
/// records): where its first bad byte is, as a line and column a text editor shows, and
/// that byte with the next few (a GBK character is two), for the message.
///
/// ```text
/// line 3, column 12: not UTF-8 text (bytes 0xFF 0x22); save it as UTF-8 and try again
/// ```
#[derive(Debug, thiserror::Error)]
#[error(
    "line {line}, column {column}: not UTF-8 text (bytes {}); save it as UTF-8 and try again",
    hex_bytes(bytes)
)]
pub(crate) struct NotUtf8 {
    /// The line of the first byte that is not UTF-8 (1-based).
    pub(crate) line: usize,
    /// Its column, in characters (1-based).
    pub(crate) column: usize,
    /// That byte and at most three after it.
    pub(crate) bytes: Vec<u8>,
}

impl NotUtf8 {
    /// Where `text` stops being UTF-8, as `e` found.
    pub(crate) fn at(text: &[u8], e: std::str::Utf8Error) -> NotUtf8 {
        let (good, rest) = text.split_at(e.valid_up_to().min(text.len()));
        // `good` is UTF-8 up to the bad byte; its last line's characters come before it.
        let last = good
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i.saturating_add(1));
        let before = std::str::from_utf8(good.get(last..).unwrap_or_default()).unwrap_or("");
        NotUtf8 {
            line: good
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                .saturating_add(1),
            column: before.chars().count().saturating_add(1),
            bytes: rest.get(..rest.len().min(4)).unwrap_or_default().to_vec(),
        }
    }
}

/// Bytes as `0xFF 0x22`, for a message naming bytes that are not text.
pub(crate) fn hex_bytes(bytes: &[u8]) -> String {
    let hex: Vec<String> = bytes.iter().map(|b| format!("0x{b:02X}")).collect();
    hex.join(" ")
}

/// Why a file the user named cannot be read, in `lang`: the system's words in English,
/// the usual causes in Chinese (missing, not allowed, not a regular file, too large, not
/// UTF-8), the system's words for any other.
pub(crate) fn cause(source: &Error, lang: crate::Lang) -> String {
    if lang == crate::Lang::En {
        return source.to_string();
    }
    let inner = source.get_ref();
    if inner.is_some_and(|e| e.is::<NotRegular>()) {
        return "不是普通文件 (是文件夹、设备或管道)".to_owned();
    }
    if let Some(TooLarge(limit)) = inner.and_then(|e| e.downcast_ref::<TooLarge>()) {
        return format!("超过 {limit} 字节的上限");
    }
    if let Some(e) = inner.and_then(|e| e.downcast_ref::<NotUtf8>()) {
        return format!(
            "第 {} 行第 {} 列不是 UTF-8 文本 (字节 {})；请另存为 UTF-8 后重试",
            e.line,
            e.column,
            hex_bytes(&e.bytes)
        );
    }
    match source.kind() {
        ErrorKind::NotFound => "文件不存在".to_owned(),
        ErrorKind::PermissionDenied => "没有读取权限".to_owned(),
        _ => source.to_string(),
    }
}

/// "Cannot read `what` `path`: why", in Chinese (`what`: 政策文件, or empty).
pub(crate) fn cannot_read_zh(what: &str, path: &Path, source: &Error) -> String {
    format!(
        "无法读取{what} {}：{}",
        path.display(),
        cause(source, crate::Lang::Zh)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_opened() {
        assert!(open_regular(Path::new("Cargo.toml")).is_ok());
        for path in ["src", "/dev/null", "/dev/zero"] {
            let e = open_regular(Path::new(path)).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{path}");
        }
        assert_eq!(
            open_regular(Path::new("no/such/file")).unwrap_err().kind(),
            ErrorKind::NotFound
        );
    }

    #[test]
    fn text_that_is_not_utf8_is_placed_at_its_line_and_column() {
        let text = [&b"a = 1\nb = \""[..], "龙亭".as_bytes(), b"\xFF\"\n"].concat();
        let e = NotUtf8::at(&text, std::str::from_utf8(&text).unwrap_err());
        assert_eq!(
            (e.line, e.column, e.bytes.as_slice()),
            (2, 8, &[0xFF, b'"', b'\n'][..])
        );
        assert_eq!(
            e.to_string(),
            "line 2, column 8: not UTF-8 text (bytes 0xFF 0x22 0x0A); save it as UTF-8 and try again"
        );
        let io = Error::new(ErrorKind::InvalidData, e);
        assert_eq!(
            cause(&io, crate::Lang::Zh),
            "第 2 行第 8 列不是 UTF-8 文本 (字节 0xFF 0x22 0x0A)；请另存为 UTF-8 后重试"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_without_waiting_for_a_writer() {
        let dir = std::env::temp_dir().join(format!("file-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("policy.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = open_regular(&fifo).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
