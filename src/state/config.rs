//! `config.json` beside `index.html` gives the default base URLs, so one
//! build deploys anywhere.

use serde::Deserialize;
use supply_model::session::absolute_base_url;

use super::base::page_origin;

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub(crate) struct RuntimeConfig {
    /// An absolute URL, or a path on the console's own origin (behind a
    /// same-origin proxy), which [`load`] makes absolute.
    #[serde(default)]
    pub(crate) api_base_url: Option<String>,
    #[serde(default)]
    pub(crate) k0rdent_base_url: Option<String>,
    /// Only the simulator's config carries this: its accepted tokens, so a
    /// first visit can sign in to the demo in one click.
    #[serde(default)]
    pub(crate) demo: Option<DemoTokens>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct DemoTokens {
    pub(crate) supply_token: String,
    #[serde(default)]
    pub(crate) k0rdent_token: Option<String>,
}

/// Reads `config.json` relative to the document's base URL. A missing or
/// broken file is not fatal: the user can still type a base URL.
pub(crate) async fn load() -> Result<RuntimeConfig, String> {
    // No headers of its own: the request must match index.html's preload of
    // config.json to be answered from it.
    let response = gloo_net::http::Request::get("config.json")
        .send()
        .await
        .map_err(|_| "config.json could not be loaded".to_owned())?;
    if !response.ok() {
        return Err(format!("config.json answered {}", response.status()));
    }
    let text = response
        .text()
        .await
        .map_err(|_| "config.json could not be read".to_owned())?;
    let mut config: RuntimeConfig =
        serde_json::from_str(&text).map_err(|err| format!("config.json is not valid: {err}"))?;
    let origin = page_origin();
    for url in [&mut config.api_base_url, &mut config.k0rdent_base_url]
        .into_iter()
        .flatten()
    {
        *url = absolute_base_url(url, &origin);
    }
    Ok(config)
}
