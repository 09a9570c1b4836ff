//! `config.json` beside `index.html` gives the default base URLs, so one
//! build deploys anywhere.

use serde::Deserialize;

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct RuntimeConfig {
    #[serde(default)]
    pub api_base_url: Option<String>,
    #[serde(default)]
    pub k0rdent_base_url: Option<String>,
}

/// Reads `config.json` relative to the document's base URL. A missing or
/// broken file is not fatal: the user can still type a base URL.
pub async fn load() -> Result<RuntimeConfig, String> {
    let response = gloo_net::http::Request::get("config.json")
        .header("Accept", "application/json")
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
    serde_json::from_str(&text).map_err(|err| format!("config.json is not valid: {err}"))
}
