//! How the one reader reads: the encoding of CSV files, and whether cells may be written as
//! a clerk's spreadsheet writes them ([`ReadOptions`]). The same options go to every path
//! that reads a roster: the in-memory reader ([`super::read_data_with`],
//! [`super::parse_roster_files_with`]), the streaming batch path
//! ([`crate::batch::Options::read`]) and JSON ([`crate::json::parse_roster_with`], cell
//! forms only: JSON is UTF-8).

use std::str::FromStr;

/// The encoding of a CSV file (`--encoding auto|utf-8|gb18030`).
///
/// - [`Encoding::Auto`] (the default): UTF-8 when the file's first 64 KiB are UTF-8; else
///   GB18030 (GBK, what Chinese Excel saves as "CSV") when they look like it and decode
///   without a malformed sequence ([`super::decoded_encoding`]); else refused.
/// - [`Encoding::Utf8`]: UTF-8, nothing else tried: a byte that is not UTF-8 is an error
///   naming the file, the line and the bytes ([`super::InputError::NotUtf8`]).
/// - [`Encoding::Gb18030`]: every byte decoded as GB18030, even a file whose bytes are also
///   valid UTF-8 (they then read as [`encoding_rs::GB18030`] reads them); a malformed
///   sequence is an error naming the file.
///
/// # Example
/// ```
/// use jiuye_fupin::io::{Encoding, ReadOptions, RosterFiles, parse_roster_files_with};
///
/// let laborers = "id,household_id,town,village,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date,name\n\
///                 L1,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,out_of_county,2020-03-01,523.40,,,false,,张三\n";
/// let (gbk, _, _) = encoding_rs::GB18030.encode(laborers);
/// let files = RosterFiles { laborers: Some(&gbk), ..Default::default() };
///
/// // Auto and GB18030 read the GBK bytes; UTF-8 refuses them, naming line and bytes.
/// for encoding in [Encoding::Auto, Encoding::Gb18030] {
///     let roster = parse_roster_files_with(&files, &ReadOptions::default().encoding(encoding))?;
///     assert_eq!(roster.laborers()[0].name.as_deref(), Some("张三"));
/// }
/// let err = parse_roster_files_with(&files, &ReadOptions::default().encoding(Encoding::Utf8)).unwrap_err();
/// assert!(err.to_string().starts_with("laborers.csv line 2: the file is not UTF-8 (bytes 0xC1 0xFA"), "{err}");
///
/// assert_eq!("gbk".parse::<Encoding>(), Ok(Encoding::Gb18030));
/// assert_eq!(Encoding::default(), Encoding::Auto);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8, or GB18030 when the file's start says so (the default).
    #[default]
    Auto,
    /// UTF-8 only.
    Utf8,
    /// GB18030 (and so GBK) only.
    Gb18030,
}

impl Encoding {
    /// The names accepted by [`Encoding::from_str`], for messages.
    ///
    /// ```
    /// assert!(jiuye_fupin::io::Encoding::NAMES.contains("gbk"));
    /// ```
    pub const NAMES: &'static str = "auto, utf-8, gb18030 (or gbk)";

    /// The encoding's name as `--encoding` takes it.
    ///
    /// ```
    /// use jiuye_fupin::io::Encoding;
    /// assert_eq!(Encoding::Gb18030.name(), "gb18030");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "utf-8",
            Encoding::Gb18030 => "gb18030",
        }
    }

    /// The encoding a file starting with `head` is decoded from under this setting:
    /// `Some("GB18030")` when it is decoded, `None` when its bytes are read as they are
    /// (UTF-8). For [`Encoding::Auto`] this is [`super::decoded_encoding`].
    ///
    /// ```
    /// use jiuye_fupin::io::Encoding;
    /// let (gbk, _, _) = encoding_rs::GB18030.encode("id\n龙亭镇\n");
    /// assert_eq!(Encoding::Auto.decodes(&gbk), Some("GB18030"));
    /// assert_eq!(Encoding::Utf8.decodes(&gbk), None);
    /// assert_eq!(Encoding::Gb18030.decodes(b"id\n"), Some("GB18030"));
    /// ```
    pub fn decodes(self, head: &[u8]) -> Option<&'static str> {
        match self {
            Encoding::Auto => super::decoded_encoding(head),
            Encoding::Utf8 => None,
            Encoding::Gb18030 => Some("GB18030"),
        }
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An encoding name that is not one of [`Encoding::NAMES`].
///
/// ```
/// use jiuye_fupin::io::{Encoding, UnknownEncoding};
/// let e = "latin-1".parse::<Encoding>().unwrap_err();
/// assert_eq!(e, UnknownEncoding("latin-1".into()));
/// assert_eq!(e.to_string(), "\"latin-1\" is not an encoding (expected one of: auto, utf-8, gb18030, gbk)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an encoding (expected one of: auto, utf-8, gb18030, gbk)")]
pub struct UnknownEncoding(pub String);

impl FromStr for Encoding {
    type Err = UnknownEncoding;

    /// `auto`, `utf-8` (or `utf8`), `gb18030` or its alias `gbk`, in any case.
    fn from_str(s: &str) -> Result<Encoding, UnknownEncoding> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Encoding::Auto),
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "gb18030" | "gbk" => Ok(Encoding::Gb18030),
            _ => Err(UnknownEncoding(s.to_owned())),
        }
    }
}

/// How the one reader reads a roster. The default is POLICY.md's format, strictly: UTF-8 or
/// a GBK file sniffed as such ([`Encoding::Auto`]), dates `YYYY-MM-DD`, money plain decimal
/// yuan, counts plain digits.
///
/// [`ReadOptions::clerk_formats`] also accepts the forms Excel and WPS write when a clerk
/// saves a sheet as CSV, where they are unambiguous: dates `2020/3/1`, `2020-3-1`,
/// `2020.3.1`, `2020年3月1日`, each optionally followed by a midnight time (` 0:00`,
/// ` 00:00:00`: Excel's date-time export); money and counts with thousands separators in
/// groups of three (`"1,234.50"`, `12,345`); money with a leading `¥` or `￥`. A date
/// written with the year last (`3/1/2020`: March or January?), a time of day other than
/// midnight, or separators out of place (`1,23.4`) is refused with a hint naming the form to
/// write ([`super::Problem::Ambiguous`]). The strict forms read exactly as without the
/// option, at the same cost: the clerk forms are tried only when the strict reading fails.
///
/// # Example
/// ```
/// use jiuye_fupin::io::{ReadOptions, RosterFiles, parse_roster_files, parse_roster_files_with};
///
/// let laborers = "id,household_id,town,village,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date\n\
///                 L1,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,out_of_county,2020年3月1日,\"¥1,234.50\",,,false,\n";
/// let files = RosterFiles { laborers: Some(laborers.as_bytes()), ..Default::default() };
///
/// // POLICY.md's format, by default: refused.
/// let err = parse_roster_files(&files).unwrap_err();
/// assert_eq!(err.first().to_string(),
///     "laborers.csv line 2, column departure_date: \"2020年3月1日\" is not a date (YYYY-MM-DD)");
///
/// // As a clerk's spreadsheet writes it: read.
/// let roster = parse_roster_files_with(&files, &ReadOptions::default().clerk_formats(true))?;
/// let l = &roster.laborers()[0];
/// assert_eq!(l.departure_date, Some("2020-03-01".parse()?));
/// assert_eq!(l.transport_cost.unwrap().to_string(), "1234.50");
///
/// // Ambiguous: refused with a hint, even so.
/// let us = laborers.replace("2020年3月1日", "3/1/2020");
/// let files = RosterFiles { laborers: Some(us.as_bytes()), ..Default::default() };
/// let err = parse_roster_files_with(&files, &ReadOptions::default().clerk_formats(true)).unwrap_err();
/// assert!(err.first().to_string().contains("write the year first"), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    encoding: Encoding,
    clerk_formats: bool,
}

impl ReadOptions {
    /// The encoding of CSV files ([`Encoding`]; default [`Encoding::Auto`]). Workbooks and
    /// JSON carry their own.
    ///
    /// ```
    /// use jiuye_fupin::io::{Encoding, ReadOptions};
    /// let o = ReadOptions::default().encoding(Encoding::Gb18030);
    /// assert_eq!(o.encoding_of(), Encoding::Gb18030);
    /// ```
    #[must_use]
    pub fn encoding(mut self, encoding: Encoding) -> ReadOptions {
        self.encoding = encoding;
        self
    }

    /// Whether dates, money and counts may also be written as Excel and WPS write them
    /// (default `false`: POLICY.md's forms only). See [`ReadOptions`].
    ///
    /// ```
    /// use jiuye_fupin::io::ReadOptions;
    /// assert!(ReadOptions::default().clerk_formats(true).accepts_clerk_formats());
    /// ```
    #[must_use]
    pub fn clerk_formats(mut self, on: bool) -> ReadOptions {
        self.clerk_formats = on;
        self
    }

    /// The encoding set.
    ///
    /// ```
    /// use jiuye_fupin::io::{Encoding, ReadOptions};
    /// assert_eq!(ReadOptions::default().encoding(Encoding::Utf8).encoding_of(), Encoding::Utf8);
    /// ```
    pub fn encoding_of(&self) -> Encoding {
        self.encoding
    }

    /// Whether the clerk forms are accepted.
    ///
    /// ```
    /// use jiuye_fupin::io::ReadOptions;
    /// assert!(!ReadOptions::default().accepts_clerk_formats());
    /// ```
    pub fn accepts_clerk_formats(&self) -> bool {
        self.clerk_formats
    }
}
