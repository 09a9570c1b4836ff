//! Which build of the console a page runs, and when to ask whether a newer
//! one has been deployed. The split build puts all of a build's files in
//! `pkg-<16 hex>/` and `index.html` names that directory, so two builds
//! differ exactly when their `index.html` name different directories.

/// The build directory (`pkg-<16 hex>`) the text names first: an
/// `index.html`, or a script's `src`.
pub fn build_id(text: &str) -> Option<&str> {
    let mut rest = text;
    while let Some(at) = rest.find("pkg-") {
        let candidate = rest.get(at..at + 20);
        let is_id = candidate.is_some_and(|id| {
            id.bytes().skip(4).all(|b| b.is_ascii_hexdigit())
                && rest.as_bytes().get(at + 20) == Some(&b'/')
        });
        if is_id {
            return candidate;
        }
        rest = rest.get(at + 4..).unwrap_or_default();
    }
    None
}

/// Whether the deployed `index.html` names another build than the one
/// running. An unreadable answer (no build named) is no news.
pub fn is_newer_build(running: &str, published_index: &str) -> bool {
    build_id(published_index).is_some_and(|published| published != running)
}

/// Seconds between two looks at the deployed `index.html` on navigation:
/// often enough that a redeploy is noticed within a minute of clicking
/// around, rare enough to cost nothing.
pub const CHECK_EVERY_SECS: f64 = 60.0;

/// Whether a navigation at `now_ms` should look for a new build, given the
/// last look (none yet: the first navigation looks).
pub fn check_due(last_check_ms: Option<f64>, now_ms: f64) -> bool {
    last_check_ms.is_none_or(|last| now_ms - last >= CHECK_EVERY_SECS * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = r#"<link rel="modulepreload" href="./pkg-0123456789abcdef/supply-console.js"><script type="module" src="./pkg-0123456789abcdef/boot.js"></script>"#;

    #[test]
    fn the_build_is_the_pkg_directory_an_index_names() {
        assert_eq!(build_id(INDEX), Some("pkg-0123456789abcdef"));
        assert_eq!(
            build_id("https://x.example/console/pkg-fedcba9876543210/boot.js"),
            Some("pkg-fedcba9876543210")
        );
    }

    #[test]
    fn near_misses_are_not_builds() {
        for text in [
            "",
            "pkg-",
            "pkg-0123456789abcde/",         // 15 hex
            "pkg-0123456789abcdefg/",       // 17 characters
            "pkg-0123456789abcdeg/boot.js", // not hex
            "pkg-0123456789abcdef",         // no slash after it
            "<p>pkg-é123456789abcdef/</p>", // multi-byte inside the window
        ] {
            assert_eq!(build_id(text), None, "{text:?}");
        }
        assert_eq!(
            build_id("pkg-nothex/ then pkg-aaaaaaaaaaaaaaaa/x"),
            Some("pkg-aaaaaaaaaaaaaaaa")
        );
    }

    #[test]
    fn a_new_build_is_one_whose_index_names_another_directory() {
        assert!(!is_newer_build("pkg-0123456789abcdef", INDEX));
        assert!(is_newer_build("pkg-1111111111111111", INDEX));
        // A proxy's error page or an empty answer says nothing.
        assert!(!is_newer_build("pkg-1111111111111111", "<h1>502</h1>"));
    }

    #[test]
    fn the_first_navigation_looks_then_once_a_minute() {
        assert!(check_due(None, 0.0));
        assert!(!check_due(Some(1_000.0), 30_000.0));
        assert!(check_due(Some(1_000.0), 61_000.0));
    }
}
