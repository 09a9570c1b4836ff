//! Text positions as an editor needs them: lines, bytes and the UTF-16
//! offsets the DOM's selection speaks; counts with separators, and the dash
//! that stands for a missing value.

/// What a table or a fact list shows for a value the API did not give.
pub const DASH: &str = "—";

/// The value as text, or [`DASH`] when it is missing or empty (an empty
/// cell would read as a rendering fault).
pub fn or_dash<T: ToString>(value: Option<T>) -> String {
    value
        .map(|v| v.to_string())
        .filter(|text| !text.is_empty())
        .unwrap_or_else(|| DASH.to_owned())
}

/// "65,536".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Byte offset of the start of 1-based `line` in `text`.
pub fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(at, _)| at + 1)
}

/// Converts a UTF-16 offset (what the DOM's selection reports) to bytes.
pub fn byte_offset(text: &str, utf16: u32) -> usize {
    let mut units = 0_u32;
    for (at, c) in text.char_indices() {
        if units >= utf16 {
            return at;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// Converts a byte offset in `text` to UTF-16 units (what the DOM takes).
pub fn utf16_offset(text: &str, bytes: usize) -> u32 {
    text.get(..bytes)
        .unwrap_or(text)
        .chars()
        .map(|c| c.len_utf16() as u32)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_empty_value_is_a_dash() {
        assert_eq!(or_dash(Some("H100")), "H100");
        assert_eq!(or_dash(Some(8_u32)), "8");
        assert_eq!(or_dash(Some(String::new())), "—");
        assert_eq!(or_dash(None::<&str>), "—");
    }

    #[test]
    fn offsets_lines_and_counts() {
        assert_eq!(thousands(65536), "65,536");
        assert_eq!(thousands(12), "12");
        assert_eq!(line_start("a\nbc\nd", 1), 0);
        assert_eq!(line_start("a\nbc\nd", 3), 5);
        assert_eq!(line_start("a", 9), 1);
        let text = "é😀x";
        assert_eq!(byte_offset(text, 1), 2);
        assert_eq!(byte_offset(text, 3), 6);
        assert_eq!(utf16_offset(text, 6), 3);
    }
}
