//! `supply-console --proxy`: the console's origin forwards `/supply-api/*`
//! and `/k0rdent-api/*` to the real services, so the browser never makes a
//! cross-origin request and the services need not allow any browser
//! origin.
//!
//! Only the method, the body and the `Authorization`, `Content-Type` and
//! `Accept` request headers are forwarded: no cookie, origin, referrer,
//! forwarding or custom header the browser sent, and the upstream's host is
//! the one its URL names. Only `Content-Type`, `Retry-After` and
//! `X-Request-Id` come back (never `Set-Cookie`). Redirects are not
//! followed and no system proxy is used, so a token is only ever sent to
//! the upstream configured for its prefix.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use reqwest::Url;

use crate::http::detail;

/// Request headers passed to an upstream; every other one is dropped.
pub const FORWARDED_REQUEST_HEADERS: [HeaderName; 3] =
    [header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT];

/// Response headers passed back (what the console reads); every other one,
/// `Set-Cookie` included, is dropped.
pub const RETURNED_RESPONSE_HEADERS: [HeaderName; 3] = [
    header::CONTENT_TYPE,
    header::RETRY_AFTER,
    HeaderName::from_static("x-request-id"),
];

/// An upstream base URL: http or https, a host, no credentials, no query
/// or fragment. Its path, if any, is kept: requests are appended to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    url: Url,
    /// As given, without a trailing `/`: what `config.json` names.
    given: String,
}

impl Upstream {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let url = Url::parse(raw).map_err(|err| format!("not an absolute URL ({err})"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("scheme {} is not http or https", url.scheme()));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err("no host".to_owned());
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err("credentials in a URL are not accepted; the console sends a token".into());
        }
        if url.query().is_some() {
            return Err("a query string is not accepted".to_owned());
        }
        if url.fragment().is_some() {
            return Err("a fragment is not accepted".to_owned());
        }
        let given = url.as_str().trim_end_matches('/').to_owned();
        Ok(Self { url, given })
    }

    /// For clap's `value_parser`; the message names what is wrong.
    pub fn parse_cli(raw: &str) -> Result<Self, String> {
        Self::parse(raw)
    }

    /// `scheme://host[:port]`: for the CSP and error messages.
    pub fn origin(&self) -> String {
        self.url.origin().ascii_serialization()
    }

    /// The URL as given, without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.given
    }

    fn base_path(&self) -> &str {
        self.url.path().trim_end_matches('/')
    }

    /// The upstream URL for `rest` (the request path after the prefix,
    /// empty or starting with `/`) and the request's query. `None` for a
    /// path that could climb out of the base path (`.`/`..` segments,
    /// plain or percent-encoded, or backslashes).
    pub fn join(&self, rest: &str, query: Option<&str>) -> Option<Url> {
        if !(rest.is_empty() || rest.starts_with('/')) || rest.contains('\\') {
            return None;
        }
        let climbs = rest.split('/').any(|segment| {
            let segment = segment.to_ascii_lowercase().replace("%2e", ".");
            segment == "." || segment == ".."
        });
        if climbs {
            return None;
        }
        let mut text = format!("{}{}{rest}", self.origin(), self.base_path());
        if let Some(query) = query {
            text.push('?');
            text.push_str(query);
        }
        let url = Url::parse(&text).ok()?;
        // Belt and braces: the same origin, under the base path.
        (url.origin() == self.url.origin() && url.path().starts_with(self.base_path()))
            .then_some(url)
    }
}

/// Bounds on forwarded requests.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request body forwarded; larger ones are answered 413.
    pub request_body: usize,
    /// Largest response body passed back; a larger one is answered 502.
    pub response_body: usize,
    /// Time for the whole exchange with the upstream; then 504.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            request_body: 1024 * 1024,
            response_body: 64 * 1024 * 1024,
            timeout: Duration::from_secs(60),
        }
    }
}

/// The HTTP client the proxy uses: no redirects followed, no system proxy.
pub fn client(limits: Limits) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(limits.timeout.min(Duration::from_secs(10)))
        .timeout(limits.timeout)
        .build()
        .map_err(|err| format!("the HTTP client could not start: {err}"))
}

#[derive(Clone)]
struct Forward {
    /// For messages: "Supply" or "k0rdent".
    name: &'static str,
    prefix: &'static str,
    upstream: Option<Arc<Upstream>>,
    client: reqwest::Client,
    limits: Limits,
}

/// Routes for `prefix` and everything under it, forwarded to `upstream`;
/// with no upstream they answer 404 and forward nothing.
pub fn routes(
    name: &'static str,
    prefix: &'static str,
    upstream: Option<Upstream>,
    client: reqwest::Client,
    limits: Limits,
) -> Router {
    let forward = Forward {
        name,
        prefix,
        upstream: upstream.map(Arc::new),
        client,
        limits,
    };
    Router::new()
        .route(prefix, any(forward_request))
        .route(&format!("{prefix}/"), any(forward_request))
        .route(&format!("{prefix}/{{*rest}}"), any(forward_request))
        .with_state(forward)
}

async fn forward_request(State(forward): State<Forward>, request: Request) -> Response {
    let Some(upstream) = forward.upstream.as_deref() else {
        return detail(
            StatusCode::NOT_FOUND,
            &format!("no {} API is configured", forward.name),
        );
    };
    let (parts, body) = request.into_parts();
    let rest = parts
        .uri
        .path()
        .strip_prefix(forward.prefix)
        .unwrap_or_default();
    let Some(url) = upstream.join(rest, parts.uri.query()) else {
        return detail(StatusCode::BAD_REQUEST, "this path is not forwarded");
    };
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = || {
        detail(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "request bodies are limited to {} bytes",
                forward.limits.request_body
            ),
        )
    };
    if declared.is_some_and(|n| n > forward.limits.request_body as u64) {
        return too_large();
    }
    let Ok(body) = to_bytes(body, forward.limits.request_body).await else {
        return too_large();
    };
    let mut outgoing = forward.client.request(parts.method, url);
    for name in &FORWARDED_REQUEST_HEADERS {
        for value in parts.headers.get_all(name) {
            outgoing = outgoing.header(name, value);
        }
    }
    if !body.is_empty() {
        outgoing = outgoing.body(body);
    }
    match exchange(outgoing, forward.limits.response_body).await {
        Ok((status, headers, body)) => {
            let mut response = (status, body).into_response();
            for name in &RETURNED_RESPONSE_HEADERS {
                for value in headers.get_all(name) {
                    response.headers_mut().append(name, value.clone());
                }
            }
            response
        }
        // The messages name the upstream's origin only: never a header,
        // a path or a query, which may carry secrets.
        Err(Failure::Timeout) => detail(
            StatusCode::GATEWAY_TIMEOUT,
            &format!(
                "the {} API at {} did not answer within {} s",
                forward.name,
                upstream.origin(),
                forward.limits.timeout.as_secs()
            ),
        ),
        Err(Failure::TooLarge) => detail(
            StatusCode::BAD_GATEWAY,
            &format!(
                "the {} API at {} answered more than {} bytes",
                forward.name,
                upstream.origin(),
                forward.limits.response_body
            ),
        ),
        Err(Failure::Unreachable) => detail(
            StatusCode::BAD_GATEWAY,
            &format!(
                "the {} API at {} could not be reached",
                forward.name,
                upstream.origin()
            ),
        ),
    }
}

enum Failure {
    Timeout,
    TooLarge,
    Unreachable,
}

impl From<reqwest::Error> for Failure {
    fn from(err: reqwest::Error) -> Self {
        if err.is_timeout() {
            Self::Timeout
        } else {
            Self::Unreachable
        }
    }
}

/// Sends the request and reads the whole answer, at most `limit` bytes.
async fn exchange(
    request: reqwest::RequestBuilder,
    limit: usize,
) -> Result<(StatusCode, HeaderMap, Body), Failure> {
    let mut response = request.send().await?;
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(Failure::TooLarge);
    }
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > limit {
            return Err(Failure::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, headers, Body::from(Bytes::from(body))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_urls_are_checked() {
        assert!(Upstream::parse("https://supply.example.com").is_ok());
        assert!(Upstream::parse("http://127.0.0.1:8787/").is_ok());
        assert!(Upstream::parse("https://h.example/api/v1").is_ok());
        for bad in [
            "supply.example.com",
            "ftp://supply.example.com",
            "https://user:pw@supply.example.com",
            "https://user@supply.example.com",
            "https://supply.example.com/?token=x",
            "https://supply.example.com/#x",
            "file:///etc/passwd",
            "",
        ] {
            assert!(Upstream::parse(bad).is_err(), "{bad}");
        }
        let up = Upstream::parse("https://Supply.Example.com:443/api/").unwrap();
        assert_eq!(up.as_str(), "https://supply.example.com/api");
        assert_eq!(up.origin(), "https://supply.example.com");
    }

    #[test]
    fn paths_join_under_the_base_path() {
        let up = Upstream::parse("https://h.example/api/v1/").unwrap();
        assert_eq!(
            up.join("/offers/x", Some("a=1&b=%2F")).unwrap().as_str(),
            "https://h.example/api/v1/offers/x?a=1&b=%2F"
        );
        assert_eq!(
            up.join("", None).unwrap().as_str(),
            "https://h.example/api/v1"
        );
        let root = Upstream::parse("http://127.0.0.1:9").unwrap();
        assert_eq!(
            root.join("/resources", None).unwrap().as_str(),
            "http://127.0.0.1:9/resources"
        );
        for climb in ["/../x", "/a/..", "/%2e%2E/x", "/.", "/a\\..\\b", "x"] {
            assert_eq!(up.join(climb, None), None, "{climb}");
        }
    }
}
