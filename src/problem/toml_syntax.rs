//! The TOML parser's syntax errors in Chinese: a policy, overlay, reform or scenario file
//! with a bracket left open or a value without quotes is said to a clerk in Chinese, with
//! the parser's English words kept beside it (what a search or a support engineer needs).
//!
//! The parser (`toml_parser`, through `toml`) writes each error as a fixed description,
//! then, when it knows, `, expected ` and what it expected: literal tokens in backquotes
//! (`` `]` ``, kept as they are) or a few fixed words (`literal string`, `newline`). Both
//! sets are closed and small; each is translated here by a table. A message with a part
//! the tables do not hold (a later parser's new wording) is not translated at all, never
//! half-translated: [`zh`] gives `None` and the caller keeps the English.
//!
//! ```
//! use jiuye_fupin::problem::FileProblem;
//! use jiuye_fupin::Lang;
//! let p = FileProblem::from_message("unclosed table, expected `]`");
//! assert_eq!(p.render(Lang::Zh), "TOML 格式错误：表头未闭合，应为 `]` (unclosed table, expected `]`)");
//! let p = FileProblem::from_message("string values must be quoted, expected literal string");
//! assert_eq!(p.render(Lang::Zh), "TOML 格式错误：文本值须加引号，应为带单引号的字符串 (string values must be quoted, expected literal string)");
//! ```

/// The parser's descriptions of what is wrong, and their Chinese.
const DESCRIPTIONS: &[(&str, &str)] = &[
    ("`_` may only go between digits", "`_` 只能写在两个数字之间"),
    (
        "cannot recurse further; max recursion depth met",
        "嵌套过深",
    ),
    ("recursion limit", "嵌套过深"),
    (
        "carriage return must be followed by newline",
        "回车符后须紧跟换行符",
    ),
    ("extra `=`", "多余的 `=`"),
    (
        "extra assignment between key-value pairs",
        "键值对之间多了赋值",
    ),
    ("extra comma in array", "数组中多了逗号"),
    ("extra comma in inline table", "内联表中多了逗号"),
    (
        "integers with a radix cannot be signed",
        "带进制前缀的整数不能有正负号",
    ),
    ("invalid comment character", "注释中有无效字符"),
    ("invalid inline table element", "内联表的元素无效"),
    ("invalid key-value pair", "键值对无效"),
    ("invalid unquoted key", "不带引号的键无效"),
    ("invalid value", "值无效"),
    ("key with no value", "键没有值"),
    (
        "keys cannot be multi-line basic strings",
        "键不能是多行字符串",
    ),
    (
        "keys cannot be multi-line literal strings",
        "键不能是多行字符串",
    ),
    ("missing array opening", "缺少数组的开头"),
    (
        "missing assignment between key-value pairs",
        "键与值之间缺少 `=`",
    ),
    (
        "missing comma between array elements",
        "数组元素之间缺少逗号",
    ),
    (
        "missing comma between key-value pairs",
        "键值对之间缺少逗号",
    ),
    ("missing comment start", "缺少注释的开头 `#`"),
    ("missing escaped value", "转义符 `\\` 后缺少内容"),
    ("missing inline table opening", "缺少内联表的开头 `{`"),
    ("missing key for inline table element", "内联表的元素缺少键"),
    ("missing opening quote", "缺少开头的引号"),
    ("missing table open", "缺少表头的开头 `[`"),
    ("missing value", "缺少值"),
    ("missing value for key", "键缺少值"),
    ("radix must be lowercase", "进制前缀须为小写"),
    ("redundant integer number prefix", "整数的前缀多余"),
    ("redundant numeric sign", "正负号多余"),
    ("string values must be quoted", "文本值须加引号"),
    ("too few unicode value digits", "Unicode 转义的位数不足"),
    ("unclosed array", "数组未闭合"),
    ("unclosed array table", "表数组的表头未闭合"),
    ("unclosed inline table", "内联表未闭合"),
    ("unclosed table", "表头未闭合"),
    ("unexpected `=` in array", "数组中不应有 `=`"),
    ("unexpected content", "多余的内容"),
    (
        "unexpected content between comment and newline",
        "注释与换行之间有多余内容",
    ),
    ("unexpected key or value", "多余的键或值"),
    ("unexpected leading zero", "数字不能以 0 开头"),
    ("unexpected sign", "不应有正负号"),
    ("unquoted keys cannot be empty", "不带引号的键不能为空"),
    ("invalid basic string", "字符串无效"),
    ("invalid binary number", "二进制数无效"),
    ("invalid boolean", "布尔值无效 (应为 true 或 false)"),
    ("invalid date-time", "日期时间无效"),
    ("invalid exponent", "指数无效"),
    ("invalid float", "小数无效"),
    ("invalid fraction", "小数部分无效"),
    ("invalid hexadecimal number", "十六进制数无效"),
    ("invalid integer number", "整数无效"),
    ("invalid key", "键无效"),
    ("invalid literal string", "字符串无效"),
    ("invalid mantissa", "尾数无效"),
    ("invalid multi-line basic string", "多行字符串无效"),
    ("invalid multi-line literal string", "多行字符串无效"),
    ("invalid octal number", "八进制数无效"),
    ("invalid string", "字符串无效"),
    ("invalid table", "表无效"),
    ("invalid table header", "表头无效"),
];

/// The parser's words for what it expected (besides literal tokens), and their Chinese.
const EXPECTED: &[(&str, &str)] = &[
    ("basic string", "带双引号的字符串"),
    ("literal string", "带单引号的字符串"),
    ("multi-line basic string", "多行字符串"),
    ("characters", "字符"),
    ("printable characters", "可打印字符"),
    (
        "non-double-quote visible characters",
        "双引号以外的可见字符",
    ),
    ("non-single-quote characters", "单引号以外的字符"),
    (
        "non-single-quote visible characters",
        "单引号以外的可见字符",
    ),
    ("digits", "数字"),
    ("numbers", "数字"),
    ("letters", "字母"),
    ("key", "键"),
    ("value", "值"),
    ("unicode hexadecimal value", "Unicode 十六进制值"),
    ("newline", "换行"),
    ("nothing", "无内容"),
];

/// `message`, a TOML syntax error, in Chinese (without the English), or `None` when a part
/// of it is not in the tables.
pub(super) fn zh(message: &str) -> Option<String> {
    let (what, expected) = match message.split_once(", expected ") {
        Some((what, expected)) => (what, Some(expected)),
        None => match message.split_once("\nexpected ") {
            Some((what, expected)) => (what, Some(expected)),
            None => (message, None),
        },
    };
    let what = lookup(DESCRIPTIONS, what.trim())?;
    let Some(expected) = expected else {
        return Some(what.to_owned());
    };
    let mut items = Vec::new();
    for item in expected.trim().split(", ") {
        let token = item.len() >= 3 && item.starts_with('`') && item.ends_with('`');
        items.push(if token { item } else { lookup(EXPECTED, item)? });
    }
    let list = items.join("、");
    // A space between Chinese and a backquoted token, none between Chinese words.
    let gap = if list.starts_with('`') { " " } else { "" };
    Some(format!("{what}，应为{gap}{list}"))
}

/// The Chinese of `english` in `table`.
fn lookup(table: &[(&str, &'static str)], english: &str) -> Option<&'static str> {
    (table.iter()).find_map(|(en, zh)| (*en == english).then_some(*zh))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every error the parser writes for these files is said in Chinese, and a wording the
    /// tables do not know is left whole.
    #[test]
    fn the_parsers_errors_are_said_in_chinese() {
        for (text, zh_text) in [
            ("name = \"x\"\n[transport_subsidy\n", "表头未闭合，应为 `]`"),
            ("cap = \n", "文本值须加引号，应为带单引号的字符串"),
            ("cap = \"1\n", "字符串无效，应为 `\"`"),
            ("cap = [1, 2\n", "数组未闭合，应为 `]`"),
            ("cap = 1 2\n", "文本值须加引号，应为带单引号的字符串"),
            (
                "cap = 1\n= 2\n",
                "不带引号的键不能为空，应为字母、数字、`-`、`_`",
            ),
            ("[[a]\n", "表数组的表头未闭合，应为 `]`"),
            ("a = {b = 1\n", "内联表未闭合，应为 `}`"),
        ] {
            let e = toml::from_str::<toml::Table>(text).unwrap_err();
            let said = zh(e.message().trim());
            assert_eq!(
                said.as_deref(),
                Some(zh_text),
                "{text:?}: {:?}",
                e.message()
            );
        }
        assert_eq!(zh("a wording of a later parser"), None);
        assert_eq!(zh("unclosed table, expected something new"), None);
        assert_eq!(
            zh("invalid table header\nexpected `.`, `]`").unwrap(),
            "表头无效，应为 `.`、`]`"
        );
    }
}
