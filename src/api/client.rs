use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use supply_model::supply_calls::{Call, Method as CallMethod};
use supply_model::{session::origin_of, ApiFailure};
use web_sys::{AbortController, AbortSignal};

pub(crate) type ApiResult<T> = Result<T, ApiFailure>;

/// A base URL and the bearer token that belongs to it. Cheap to clone; a
/// page takes one from the session when it calls.
#[derive(Clone, PartialEq)]
pub(crate) struct ApiClient {
    base_url: String,
    token: String,
}

// The token must never reach a log line, even through `{:?}`.
impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl ApiClient {
    pub(crate) fn new(base_url: impl Into<String>, token: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            token: token.into(),
        }
    }

    /// `GET path` decoded as `T`.
    pub(crate) fn get<T: DeserializeOwned + 'static>(
        &self,
        path: &str,
    ) -> impl std::future::Future<Output = ApiResult<T>> + 'static {
        self.send(Method::GET, path, None, |body| serde_json::from_str(body))
    }

    /// Sends a described call ([`supply_model::supply_calls::Call`]) and
    /// decodes the answer with `decode`.
    pub(crate) fn call<T: 'static>(
        &self,
        call: &Call,
        decode: impl FnOnce(&str) -> Result<T, serde_json::Error> + 'static,
    ) -> impl std::future::Future<Output = ApiResult<T>> + 'static {
        let method = match call.method {
            CallMethod::Get => Method::GET,
            CallMethod::Post => Method::POST,
            CallMethod::Delete => Method::DELETE,
        };
        let body = call
            .body
            .as_ref()
            .map(|(content_type, text)| (*content_type, text.clone()));
        self.send(method, &call.path, body, decode)
    }

    /// The one fetch helper. The abort controller is made now, in the
    /// caller's reactive owner, so the request is cancelled when that page
    /// unmounts; the returned future does the network work.
    pub(crate) fn send<T: 'static>(
        &self,
        method: Method,
        path: &str,
        body: Option<(&'static str, String)>,
        decode: impl FnOnce(&str) -> Result<T, serde_json::Error> + 'static,
    ) -> impl std::future::Future<Output = ApiResult<T>> + 'static {
        let url = format!("{}{}", self.base_url, path);
        let origin = origin_of(&self.base_url).to_owned();
        let token = self.token.clone();
        let abort = abort_on_cleanup();
        let request = RequestBuilder::new(&url)
            .method(method)
            .header("Accept", "application/json")
            .header("Authorization", &format!("Bearer {}", self.token))
            // Live data: never an answer from the HTTP cache (a 404 or 410
            // may otherwise be served again after the cause is gone).
            .cache(web_sys::RequestCache::NoStore)
            .abort_signal(abort.as_deref());
        let request = match body {
            Some((content_type, text)) => request.header("Content-Type", content_type).body(text),
            None => request.build(),
        };
        async move {
            // Hold the controller until the answer is read.
            let _abort = abort;
            let request = request.map_err(|err| ApiFailure::Decode {
                detail: format!("the request could not be built: {err}"),
            })?;
            let response = request
                .send()
                .await
                .map_err(|err| network_failure(err, &origin))?;
            let status = response.status();
            let retry_after = response.headers().get("retry-after");
            let request_id = response.headers().get("x-request-id");
            let text = response
                .text()
                .await
                .map_err(|err| network_failure(err, &origin))?;
            if !(200..300).contains(&status) {
                // A 401 for a JWT past its `exp` says expired, not refused.
                let now_secs = (js_sys::Date::now() / 1000.0).floor() as i64;
                return Err(
                    ApiFailure::from_response(status, &text, retry_after.as_deref())
                        .with_request_id(request_id.as_deref())
                        .for_token(&token, now_secs),
                );
            }
            decode(&text).map_err(|err| ApiFailure::Decode {
                detail: decode_detail(&err),
            })
        }
    }
}

/// A fetch rejected: aborted by us, or no HTTP answer at all.
fn network_failure(err: gloo_net::Error, origin: &str) -> ApiFailure {
    let aborted = matches!(&err, gloo_net::Error::JsError(js) if js.name == "AbortError");
    if aborted {
        ApiFailure::Aborted
    } else {
        ApiFailure::Network {
            origin: origin.to_owned(),
        }
    }
}

fn decode_detail(err: &serde_json::Error) -> String {
    if err.is_syntax() || err.is_eof() {
        format!(
            "malformed JSON at line {}, column {}",
            err.line(),
            err.column()
        )
    } else {
        format!("{err}")
    }
}

/// An abort signal tied to the current reactive owner: when it is cleaned
/// up (the page unmounts) the request is cancelled.
fn abort_on_cleanup() -> Option<SendWrapper<AbortSignal>> {
    let controller = AbortController::new().ok()?;
    let signal = controller.signal();
    let controller = SendWrapper::new(controller);
    if Owner::current().is_some() {
        on_cleanup(move || controller.abort());
    }
    Some(SendWrapper::new(signal))
}
