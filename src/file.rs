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
    let not_regular = || Error::new(ErrorKind::InvalidInput, "not a regular file");
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let file = File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(not_regular());
    }
    Ok(file)
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
