//! Percent-encoding for query values, so a view's state can live in a link.

/// Encodes everything but RFC 3986 unreserved characters.
pub fn encode_component(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte & 0x0f));
        }
    }
    out
}

fn hex_digit(nibble: u8) -> char {
    char::from(if nibble < 10 {
        b'0' + nibble
    } else {
        b'A' + nibble - 10
    })
}

/// Decodes `%XX` and `+`; malformed escapes are kept as typed.
pub fn decode_component(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let escaped = (byte == b'%')
            .then(|| bytes.get(at + 1..at + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (byte, escaped) {
            (_, Some(decoded)) => {
                out.push(decoded);
                at += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                at += 1;
            }
            (other, None) => {
                out.push(other);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits `a=1&b=x%20y` into decoded pairs; a leading `?` is ignored.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_component(key), decode_component(value))
        })
        .collect()
}

/// Joins pairs into `a=1&b=x%20y`, each value encoded (keys are the
/// callers' own and plain): the other way of [`parse_query`].
pub fn build_query(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={}", encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Query keys that could carry a secret; a shared link never keeps them.
const SECRET_KEYS: [&str; 4] = ["token", "access_token", "api_token", "auth"];

/// The link to share for a page: origin, path and query, without a
/// fragment and without any secret-looking query parameter.
pub fn shareable_link(origin: &str, path: &str, query: &str) -> String {
    let kept: Vec<&str> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            let key = decode_component(pair.split('=').next().unwrap_or_default());
            !SECRET_KEYS.iter().any(|s| key.eq_ignore_ascii_case(s))
        })
        .collect();
    if kept.is_empty() {
        format!("{origin}{path}")
    } else {
        format!("{origin}{path}?{}", kept.join("&"))
    }
}

/// The path a console is served under, from the document's base URI:
/// `http://host/console/` gives `/console`, `http://host/` gives `""`.
pub fn base_path(base_uri: &str) -> String {
    let after_scheme = base_uri
        .split_once("://")
        .map_or(base_uri, |(_, rest)| rest);
    let path = after_scheme
        .find('/')
        .and_then(|at| after_scheme.get(at..))
        .unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or_default();
    // A base names a directory; anything after its last slash is a file.
    let dir = path
        .rfind('/')
        .and_then(|at| path.get(..at))
        .unwrap_or_default();
    dir.to_owned()
}

/// `path` without the console's base path, always starting with `/`.
pub fn strip_base<'a>(base: &str, path: &'a str) -> &'a str {
    match path.strip_prefix(base) {
        Some(rest) if base.is_empty() || rest.is_empty() || rest.starts_with('/') => {
            if rest.is_empty() {
                "/"
            } else {
                rest
            }
        }
        _ => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_round_trip_through_encoding() {
        for raw in ["H100", "a b&c=d", "RTX 4090/24GB", "naïve ✓", "100%", ""] {
            assert_eq!(decode_component(&encode_component(raw)), raw);
        }
        assert_eq!(encode_component("a b&c"), "a%20b%26c");
    }

    #[test]
    fn a_built_query_parses_back() {
        let pairs = [("q", "a b&c".to_owned()), ("sort", "price".to_owned())];
        let query = build_query(&pairs);
        assert_eq!(query, "q=a%20b%26c&sort=price");
        assert_eq!(
            parse_query(&query),
            vec![
                ("q".into(), "a b&c".into()),
                ("sort".into(), "price".into())
            ]
        );
        assert_eq!(build_query(&[]), "");
    }

    #[test]
    fn malformed_escapes_are_kept() {
        assert_eq!(decode_component("100%"), "100%");
        assert_eq!(decode_component("%zz"), "%zz");
        assert_eq!(decode_component("a+b"), "a b");
    }

    #[test]
    fn queries_split_into_pairs() {
        assert_eq!(
            parse_query("?gpu=H100%2CA100&q=&flag"),
            vec![
                ("gpu".to_owned(), "H100,A100".to_owned()),
                ("q".to_owned(), String::new()),
                ("flag".to_owned(), String::new()),
            ]
        );
    }

    #[test]
    fn shared_links_drop_secrets() {
        assert_eq!(
            shareable_link("http://h:1", "/resources/x", ""),
            "http://h:1/resources/x"
        );
        assert_eq!(
            shareable_link(
                "http://h",
                "/resources",
                "?status=running&token=abc&Access_Token=z&dir=asc"
            ),
            "http://h/resources?status=running&dir=asc"
        );
        assert_eq!(shareable_link("http://h", "/r", "?token=abc"), "http://h/r");
    }

    #[test]
    fn base_paths_come_from_the_base_uri() {
        assert_eq!(base_path("http://127.0.0.1:8080/"), "");
        assert_eq!(base_path("http://h/console/"), "/console");
        assert_eq!(base_path("https://h:1/a/b/"), "/a/b");
        assert_eq!(base_path("http://h/console/index.html"), "/console");
        assert_eq!(base_path("http://h"), "");
        assert_eq!(base_path("http://h/console/?x=1"), "/console");
    }

    #[test]
    fn bases_are_stripped_from_paths() {
        assert_eq!(strip_base("", "/offers"), "/offers");
        assert_eq!(strip_base("/console", "/console/offers"), "/offers");
        assert_eq!(strip_base("/console", "/console"), "/");
        assert_eq!(strip_base("/console", "/consoles/x"), "/consoles/x");
        assert_eq!(strip_base("/console", "/settings"), "/settings");
    }
}
