//! Serving the built console: its files (the release build's `.br`/`.gz`
//! copies as they are), index.html for every other path so deep links
//! work, a generated `config.json`, and caching and security headers. The
//! simulator's `--ui-dir` listener and `supply-console` both serve it
//! through [`router`]; they differ only in the [`Site`] they describe.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::Value;
use tower_http::services::{ServeDir, ServeFile};

use crate::http::json_response;

/// What the console is told, as seen from one browser.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteView {
    /// The body of `config.json`.
    pub config: Value,
    /// Origins besides the console's own that it may send requests to
    /// (the CSP's `connect-src`).
    pub connect: Vec<String>,
}

/// How a [`SiteView`] is made from the host name the browser used (the
/// `Host` header without its port; `127.0.0.1` when there is none).
#[derive(Clone)]
pub struct Site(Arc<dyn Fn(&str) -> SiteView + Send + Sync>);

impl Site {
    pub fn new(view: impl Fn(&str) -> SiteView + Send + Sync + 'static) -> Self {
        Self(Arc::new(view))
    }

    /// The same view for every browser.
    pub fn fixed(view: SiteView) -> Self {
        Self::new(move |_| view.clone())
    }

    pub fn view(&self, host: &str) -> SiteView {
        (self.0)(host)
    }
}

/// A console directory is one with an index.html.
pub fn check_dir(flag: &str, dir: &Path) -> std::io::Result<()> {
    if dir.join("index.html").is_file() {
        Ok(())
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{flag} {} has no index.html", dir.display()),
        ))
    }
}

/// The host part of a `Host` header: `localhost:8080` gives `localhost`,
/// `[::1]:8080` gives `[::1]`.
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

fn request_host(headers: &HeaderMap) -> &str {
    headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(host_name)
        .unwrap_or("127.0.0.1")
}

async fn config_json(State(site): State<Site>, headers: HeaderMap) -> Response {
    let view = site.view(request_host(&headers));
    let mut response = json_response(StatusCode::OK, &view.config);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The content security policy the console is served with: no inline
/// script, `'wasm-unsafe-eval'` only for compiling the wasm, requests only
/// to this origin and the listed API origins, never framed.
pub fn content_security_policy(connect: &[String]) -> String {
    let mut connect_src = vec!["'self'".to_owned()];
    connect_src.extend(connect.iter().cloned());
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src {}; manifest-src 'self'; base-uri 'self'; \
         form-action 'none'; frame-ancestors 'none'",
        connect_src.join(" ")
    )
}

/// Files whose names carry a content hash never change: cache them for a
/// year. trunk names them `name-<16 hex>.ext`; the split build puts its
/// files in `pkg-<16 hex>/`.
fn is_hashed_asset(path: &str) -> bool {
    let hashed = |part: &str| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit());
    path.split('/').any(|segment| {
        segment.strip_prefix("pkg-").is_some_and(hashed)
            || segment
                .rsplit_once('.')
                .and_then(|(stem, _)| stem.rsplit_once('-'))
                .is_some_and(|(_, hash)| hashed(hash))
    })
}

/// Caching and security headers: `index.html` (and the SPA fallback, which
/// is index.html) is revalidated so a rebuilt console is picked up and
/// carries the content security policy; hashed assets are immutable.
async fn console_headers(State(site): State<Site>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let host = request_host(request.headers()).to_owned();
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    if is_html {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        let policy = content_security_policy(&site.view(&host).connect);
        if let Ok(value) = HeaderValue::from_str(&policy) {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    } else if is_hashed_asset(&path) {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The console in `dir` with the `config.json` and CSP that `site` gives.
/// Routes merged in afterwards (an API proxy) win over the SPA fallback
/// and get none of these headers.
pub fn router(dir: PathBuf, site: Site) -> Router {
    let index = dir.join("index.html");
    Router::new()
        .route("/config.json", get(config_json))
        .with_state(site.clone())
        // The release build ships .br/.gz copies: serve them as they are.
        .fallback_service(
            ServeDir::new(dir)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(
                    ServeFile::new(index)
                        .precompressed_br()
                        .precompressed_gzip(),
                ),
        )
        .layer(middleware::from_fn_with_state(site, console_headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_recognised() {
        assert!(is_hashed_asset("/main-ce15145224af1107.css"));
        assert!(is_hashed_asset("/pkg-a517dc55ae31d5a7/chunk_4.wasm"));
        assert!(is_hashed_asset("/console/favicon-fd587cc6a553aeac.svg"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/config.json"));
        assert!(!is_hashed_asset("/offers/abc-def/status"));
    }

    #[test]
    fn the_policy_allows_the_apis_and_no_inline_script() {
        let policy = content_security_policy(&["http://127.0.0.1:8787".into()]);
        assert!(policy.contains("connect-src 'self' http://127.0.0.1:8787;"));
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.ends_with("frame-ancestors 'none'"));
        assert!(content_security_policy(&[]).contains("connect-src 'self';"));
    }

    #[test]
    fn host_names_drop_the_port() {
        assert_eq!(host_name("localhost:8080"), "localhost");
        assert_eq!(host_name("[::1]:8080"), "[::1]");
        assert_eq!(host_name("example"), "example");
    }
}
