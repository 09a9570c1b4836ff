//! Rules for what the settings page accepts and where it sends people back.

/// Checks and tidies an API base URL: `http` or `https`, a host, no query,
/// fragment or credentials, no trailing slash.
pub fn normalize_base_url(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        return Err("Enter the API base URL, e.g. https://supply.example.com.".into());
    }
    let Some((scheme, rest)) = trimmed.split_once("://") else {
        return Err("The URL starts with http:// or https://.".into());
    };
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return Err(format!("Only http and https are supported, not {scheme}."));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.is_empty() {
        return Err("The URL needs a host after the scheme.".into());
    }
    if authority.contains('@') {
        return Err("Put the token in the token field, not in the URL.".into());
    }
    if trimmed.contains(['?', '#', ' ']) {
        return Err("The base URL has no query, fragment or spaces.".into());
    }
    Ok(trimmed.to_owned())
}

/// A base URL that is a path on the console's own origin (`/supply-api`,
/// behind a same-origin proxy) made absolute against `page_origin`; any
/// other text as it is. Calls, copied commands and messages then all name
/// a full URL.
pub fn absolute_base_url(base_url: &str, page_origin: &str) -> String {
    let base = base_url.trim();
    if base.starts_with('/') && !base.starts_with("//") {
        format!("{}{base}", page_origin.trim_end_matches('/'))
    } else {
        base.to_owned()
    }
}

/// `scheme://host[:port]` of a URL, for messages and for origin checks.
pub fn origin_of(url: &str) -> &str {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let end = rest.find('/').map_or(url.len(), |at| scheme.len() + 3 + at);
            url.get(..end).unwrap_or(url)
        }
        None => url,
    }
}

/// Where to return after sign-in: only a path inside this console (one
/// leading slash), never another site, so a crafted link cannot bounce the
/// user elsewhere.
pub fn safe_return_path(raw: Option<&str>) -> Option<String> {
    let raw = raw?.trim();
    let inside = raw.starts_with('/') && !raw.starts_with("//") && !raw.contains('\\');
    let path = raw.split(['?', '#']).next().unwrap_or(raw);
    let is_settings = crate::routes::page_for_path(path) == Some(crate::routes::Page::Settings);
    (inside && !is_settings).then(|| raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_base_url_is_on_the_consoles_origin() {
        let origin = "https://console.example.com";
        assert_eq!(
            absolute_base_url("/supply-api", origin),
            "https://console.example.com/supply-api"
        );
        assert_eq!(
            normalize_base_url(&absolute_base_url(" /supply-api/ ", origin)).as_deref(),
            Ok("https://console.example.com/supply-api")
        );
        assert_eq!(
            absolute_base_url("https://api.example.com", origin),
            "https://api.example.com"
        );
        // Another host without a scheme is not a path on this one.
        assert_eq!(
            absolute_base_url("//other.example.com", origin),
            "//other.example.com"
        );
        assert!(normalize_base_url(&absolute_base_url("//other.example.com", origin)).is_err());
    }

    #[test]
    fn base_urls_are_tidied_or_refused_with_a_reason() {
        assert_eq!(
            normalize_base_url(" http://127.0.0.1:8787/ ").as_deref(),
            Ok("http://127.0.0.1:8787")
        );
        assert_eq!(
            normalize_base_url("https://api.example.com/v2").as_deref(),
            Ok("https://api.example.com/v2")
        );
        for bad in [
            "",
            "api.example.com",
            "ftp://x",
            "http://",
            "https://u:p@x",
            "http://x?a=1",
        ] {
            assert!(normalize_base_url(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn origins_drop_the_path() {
        assert_eq!(
            origin_of("http://127.0.0.1:8787/v1/x"),
            "http://127.0.0.1:8787"
        );
        assert_eq!(origin_of("https://a.example"), "https://a.example");
    }

    #[test]
    fn return_paths_stay_inside_the_console() {
        assert_eq!(
            safe_return_path(Some("/offers?gpu=H100")).as_deref(),
            Some("/offers?gpu=H100")
        );
        assert_eq!(safe_return_path(Some("//evil.example")), None);
        assert_eq!(safe_return_path(Some("https://evil.example")), None);
        assert_eq!(safe_return_path(Some("/\\evil.example")), None);
        assert_eq!(safe_return_path(Some("/settings")), None);
        assert_eq!(safe_return_path(None), None);
    }
}
