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
#[inline]
pub fn id_key(id: &str) -> Cow<'_, str> {
    if is_plain(id.as_bytes()) {
        return Cow::Borrowed(id);
    }
    normalized(id)
}

/// [`id_key`] of an id that is not plain visible ASCII (rare: kept out of line).
#[inline(never)]
fn normalized(id: &str) -> Cow<'_, str> {
    let normal: String = id.nfkc().collect();
    let trimmed = normal.trim_matches(char::is_whitespace);
    if trimmed == id {
        Cow::Borrowed(id)
    } else {
        Cow::Owned(trimmed.to_owned())
    }
}

/// The first control or invisible format character of `id` (NUL, zero-width space,
/// zero-width joiner, a BOM inside the text, bidirectional marks, the line and paragraph
/// separators U+2028 and U+2029, which a sheet shows as nothing or as a line break), if any.
/// The invisible characters are Unicode's `Default_Ignorable_Code_Point`s, every one of them
/// (the shorthand format controls U+1BCA0..U+1BCA3 and the musical beam, tie, slur and
/// phrase controls U+1D173..U+1D17A included), and the interlinear annotation marks
/// U+FFF9..U+FFFB.
///
/// ```
/// use jiuye_fupin::model::invisible_char;
/// assert_eq!(invisible_char("L1"), None);
/// assert_eq!(invisible_char("L1\u{200b}"), Some('\u{200b}'));
/// assert_eq!(invisible_char("L\u{0}1"), Some('\u{0}'));
/// assert_eq!(invisible_char("L\u{2028}1"), Some('\u{2028}'));
/// assert_eq!(invisible_char("L1\u{1D173}"), Some('\u{1D173}'));
/// ```
#[inline]
pub fn invisible_char(id: &str) -> Option<char> {
    if is_plain(id.as_bytes()) {
        return None;
    }
    first_invisible(id)
}

/// [`invisible_char`] of an id that is not plain visible ASCII (kept out of line).
#[inline(never)]
fn first_invisible(id: &str) -> Option<char> {
    id.chars().find(|&c| {
        c.is_control()
            || matches!(c,
                '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
                | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}'
                | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}')
    })
}

/// `true` when every byte is a visible ASCII character (`0x21..=0x7E`): such an id is its own
/// key and holds nothing invisible. Eight bytes at a time (this runs for every record of a
/// province's roster): an id of 8 to 16 bytes, the usual one, as its first and last eight
/// (which may overlap), with no loop; one of exactly 8 (`L0000001`), as its one word.
///
/// ```
/// # use jiuye_fupin::model::id_key;
/// assert_eq!(id_key("L0000001"), "L0000001");
/// ```
#[inline]
pub(crate) fn is_plain(b: &[u8]) -> bool {
    if let (Some(a), Some(z)) = (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        if b.len() <= 16 {
            let last = || b.len() == 8 || plain_word(u64::from_le_bytes(*z));
            return plain_word(u64::from_le_bytes(*a)) && last();
        }
    }
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let Ok(w) = <[u8; 8]>::try_from(c) else {
            return false;
        };
        if !plain_word(u64::from_le_bytes(w)) {
            return false;
        }
    }
    chunks.remainder().iter().all(|c| (0x21..0x7F).contains(c))
}

/// `true` when each of the eight bytes of `w` is a visible ASCII character (`0x21..=0x7E`),
/// whatever their order: [`is_plain`] of eight bytes loaded as one word.
#[inline]
fn plain_word(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte below 0x21 borrows into its high bit (bytes of 0x80 and above have theirs
    // set already); a byte above 0x7E reaches 0x80 when one is added.
    let below = w.wrapping_sub(ONES.wrapping_mul(0x21)) & !w & HIGH;
    let above = (w.wrapping_add(ONES) | w) & HIGH;
    below | above == 0
}

#[cfg(test)]
mod tests {
    use super::is_plain;

    #[test]
    fn plain_is_exactly_visible_ascii() {
        for b in 0u8..=255 {
            for len in 1..=33 {
                for at in 0..len {
                    let mut id = vec![b'L'; len];
                    id[at] = b;
                    assert_eq!(
                        is_plain(&id),
                        (0x21..=0x7E).contains(&b),
                        "byte {b:#x} at {at} of {len}"
                    );
                }
            }
        }
        assert!(is_plain(b""));
    }
}
