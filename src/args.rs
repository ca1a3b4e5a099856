//! A program's command-line arguments as text. This crate's examples,
//! `jiuye-fupin-server` and a county's own binary all read them here, so that they refuse
//! an argument that is not UTF-8 in the same words, in the language of the run's `--lang`.
//!
//! `std::env::args` panics on such an argument (a folder named in GBK on Linux,
//! `--data $'\xff'`). The programs take `std::env::args_os` instead and pass it here.
//!
//! ```
//! use std::ffi::OsString;
//! use jiuye_fupin::{Lang, args};
//!
//! let given: Vec<OsString> = ["--lang", "en", "--data", "roster"].map(OsString::from).into();
//! assert_eq!(args::lang_of(&given), Lang::En);
//! assert_eq!(args::texts(given).unwrap()[3], "roster");
//! ```

use std::ffi::OsString;

use crate::Lang;

/// An argument that is not UTF-8 text.
///
/// ```
/// # #[cfg(unix)] {
/// use std::ffi::OsString;
/// use std::os::unix::ffi::OsStringExt;
/// use jiuye_fupin::{Lang, args};
///
/// let gbk = OsString::from_vec(b"\xd1\xf3\xcf\xd8".to_vec()); // 洋县 in GBK
/// let e = args::texts(vec![OsString::from("--data"), gbk]).unwrap_err();
/// assert!(e.render(Lang::Zh).starts_with("参数 \"\\xD1\\xF3\\xCF\\xD8\" 不是 UTF-8 文本"));
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    /// The argument as given.
    pub arg: OsString,
}

impl NotUtf8 {
    /// The message in `lang`. It names the argument and says what to do.
    pub fn render(&self, lang: Lang) -> String {
        let arg = &self.arg;
        match lang {
            Lang::Zh => {
                format!("参数 {arg:?} 不是 UTF-8 文本: 请把文件或文件夹改为 UTF-8 名称后重试")
            }
            Lang::En => format!(
                "the argument {arg:?} is not UTF-8 text: give the file or folder a UTF-8 name and try again"
            ),
        }
    }
}

/// In English ([`NotUtf8::render`] for Chinese).
impl std::fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for NotUtf8 {}

/// The language of the last `--lang VALUE` among `args`. It is Chinese when there is no
/// `--lang`, or when the value is not a language ([`Lang`]'s `FromStr`); the program's own
/// parser then refuses that value. The arguments are read even when some are not UTF-8, so
/// that the error about those can be in this language.
///
/// ```
/// use std::ffi::OsString;
/// use jiuye_fupin::{Lang, args};
///
/// let given = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
/// assert_eq!(args::lang_of(&given(&["--lang", "en", "--lang", "zh"])), Lang::Zh);
/// assert_eq!(args::lang_of(&given(&["--lang", "xx"])), Lang::Zh);
/// assert_eq!(args::lang_of(&given(&["--out", "--lang"])), Lang::Zh);
/// ```
pub fn lang_of(args: &[OsString]) -> Lang {
    (args.iter().zip(args.iter().skip(1)))
        .filter(|(flag, _)| *flag == "--lang")
        .filter_map(|(_, v)| v.to_str()?.parse().ok())
        .next_back()
        .unwrap_or_default()
}

/// `args` as text, in order.
///
/// # Errors
/// [`NotUtf8`] for the first argument that is not UTF-8.
///
/// ```
/// use std::ffi::OsString;
/// use jiuye_fupin::args;
///
/// let given = vec![OsString::from("--data"), OsString::from("洋县")];
/// assert_eq!(args::texts(given).unwrap(), ["--data", "洋县"]);
/// ```
pub fn texts(args: impl IntoIterator<Item = OsString>) -> Result<Vec<String>, NotUtf8> {
    (args.into_iter())
        .map(|a| a.into_string().map_err(|arg| NotUtf8 { arg }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first argument that is not UTF-8 is named, with what came before it read as
    /// given, and `--lang` is found past it.
    #[cfg(unix)]
    #[test]
    fn an_argument_that_is_not_utf8_is_named_in_the_language_given_after_it() {
        use std::os::unix::ffi::OsStringExt;
        let bad = OsString::from_vec(b"town\xff1".to_vec());
        let given = vec![
            OsString::from("--data"),
            bad.clone(),
            OsString::from("--lang"),
            OsString::from("en"),
        ];
        let lang = lang_of(&given);
        assert_eq!(lang, Lang::En);
        let e = texts(given).unwrap_err();
        assert_eq!(e.arg, bad);
        assert_eq!(
            e.render(lang),
            "the argument \"town\\xFF1\" is not UTF-8 text: give the file or folder a UTF-8 name and try again"
        );
        assert_eq!(e.to_string(), e.render(Lang::En));
        assert!(
            e.render(Lang::Zh)
                .starts_with("参数 \"town\\xFF1\" 不是 UTF-8 文本")
        );
        // A `--lang` whose value is not UTF-8 is no language.
        let odd = vec![
            OsString::from("--lang"),
            OsString::from_vec(b"e\xffn".to_vec()),
        ];
        assert_eq!(lang_of(&odd), Lang::Zh);
    }
}
