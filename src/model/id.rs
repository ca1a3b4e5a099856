//! Ids (POLICY.md reading 12): an id keeps its bytes in every output, but two ids that are
//! equal after Unicode NFKC normalization and trimming of white space are the same id, so
//! that nobody is paid twice because two cells look alike; an id holding a control or an
//! invisible format character is refused.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// The key two ids are compared by: NFKC, trimmed of white space (U+3000 and U+00A0
/// included). An id of visible ASCII characters is its own key (no allocation).
///
/// ```
/// use jiuye_fupin::model::id_key;
/// assert_eq!(id_key("L1"), "L1");
/// assert_eq!(id_key("Ｌ１"), "L1");
/// assert_eq!(id_key("\u{3000}L1\u{a0}"), "L1");
/// ```
pub fn id_key(id: &str) -> Cow<'_, str> {
    if id.bytes().all(|b| (0x21..0x7F).contains(&b)) {
        return Cow::Borrowed(id);
    }
    let normal: String = id.nfkc().collect();
    let trimmed = normal.trim_matches(char::is_whitespace);
    if trimmed == id {
        Cow::Borrowed(id)
    } else {
        Cow::Owned(trimmed.to_owned())
    }
}

/// The first control or invisible format character of `id` (NUL, zero-width space,
/// zero-width joiner, a BOM inside the text, bidirectional marks), if any.
///
/// ```
/// use jiuye_fupin::model::invisible_char;
/// assert_eq!(invisible_char("L1"), None);
/// assert_eq!(invisible_char("L1\u{200b}"), Some('\u{200b}'));
/// assert_eq!(invisible_char("L\u{0}1"), Some('\u{0}'));
/// ```
pub fn invisible_char(id: &str) -> Option<char> {
    if id.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        return None;
    }
    id.chars().find(|&c| {
        c.is_control()
            || matches!(c,
                '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
                | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E0FFF}')
    })
}
