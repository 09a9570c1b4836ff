//! Every Supply Service call as data: method, path (each part encoded),
//! content type and body, built in one place from typed arguments. The
//! console's HTTP client sends a [`Call`]; "Copy as curl" prints the same
//! one, with `$SUPPLY_TOKEN` where the token goes.

use crate::offer_spec::OfferSpec;
use crate::procure::ProcureRequest;
use crate::url::encode_component;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Delete => "DELETE",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub method: Method,
    /// From the base URL on, query included.
    pub path: String,
    /// The body and its content type.
    pub body: Option<(&'static str, String)>,
}

pub const YAML: &str = "application/yaml";
pub const JSON: &str = "application/json";

fn get(path: String) -> Call {
    Call {
        method: Method::Get,
        path,
        body: None,
    }
}

/// `POST /get_offers` with the spec as YAML (get-offers page).
pub fn get_offers(spec: &OfferSpec) -> Call {
    Call {
        method: Method::Post,
        path: "/get_offers".to_owned(),
        body: Some((YAML, spec.to_yaml())),
    }
}

/// `GET /offers/{offer_id}` (get-offer-details page).
pub fn offer_details(offer_id: &str) -> Call {
    get(format!("/offers/{}", encode_component(offer_id)))
}

/// `POST /procure_offer` with the order as JSON (procure-offer page).
pub fn procure(order: &ProcureRequest) -> Call {
    Call {
        method: Method::Post,
        path: "/procure_offer".to_owned(),
        body: Some((JSON, serde_json::to_string(order).unwrap_or_default())),
    }
}

/// `GET /offers/{offer_id}/status` (get-offer-status page).
pub fn offer_status(offer_id: &str) -> Call {
    get(format!("/offers/{}/status", encode_component(offer_id)))
}

/// `GET /resources`, optionally for one order (offer-lifecycle guide).
pub fn resources(offer_id: Option<&str>) -> Call {
    match offer_id {
        Some(id) => get(format!("/resources?offer_id={}", encode_component(id))),
        None => get("/resources".to_owned()),
    }
}

/// `GET /resources/{resource_id}`, with `force_refresh=true` to skip the
/// service's 30 s cooldown (get-resource page).
pub fn resource(resource_id: &str, force_refresh: bool) -> Call {
    let query = if force_refresh {
        "?force_refresh=true"
    } else {
        ""
    };
    get(format!(
        "/resources/{}{query}",
        encode_component(resource_id)
    ))
}

/// `DELETE /resources/{resource_id}`, with `force=true` only when asked
/// (delete-resource page; what it skips is not published).
pub fn delete_resource(resource_id: &str, force: bool) -> Call {
    let query = if force { "?force=true" } else { "" };
    Call {
        method: Method::Delete,
        path: format!("/resources/{}{query}", encode_component(resource_id)),
        body: None,
    }
}

/// The discovery calls of the offer-lifecycle guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Discovery {
    Gpus,
    Vendors,
    Regions,
    Contracts,
    Storage,
}

impl Discovery {
    pub const ALL: [Discovery; 5] = [
        Self::Gpus,
        Self::Vendors,
        Self::Regions,
        Self::Contracts,
        Self::Storage,
    ];

    pub fn call(self) -> Call {
        get(match self {
            Self::Gpus => "/available_gpus".to_owned(),
            Self::Vendors => "/available_vendors".to_owned(),
            Self::Regions => "/available_regions".to_owned(),
            Self::Contracts => "/available_contracts".to_owned(),
            Self::Storage => "/available_storage".to_owned(),
        })
    }
}

/// A shell word in single quotes: nothing inside is expanded.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// The call as a curl command against `base_url`. The token is always the
/// shell variable `$SUPPLY_TOKEN`, never a value.
pub fn curl(base_url: &str, call: &Call) -> String {
    let mut lines = vec![format!(
        "curl --request {} {}",
        call.method.as_str(),
        shell_quote(&format!("{}{}", base_url.trim_end_matches('/'), call.path))
    )];
    lines.push("  --header \"Authorization: Bearer $SUPPLY_TOKEN\"".to_owned());
    if let Some((content_type, body)) = &call.body {
        lines.push(format!(
            "  --header {}",
            shell_quote(&format!("Content-Type: {content_type}"))
        ));
        lines.push(format!("  --data-binary {}", shell_quote(body)));
    }
    lines.join(" \\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_encode_their_parts() {
        assert_eq!(offer_details("a/b?c").path, "/offers/a%2Fb%3Fc");
        assert_eq!(offer_status("x y").path, "/offers/x%20y/status");
        let delete = delete_resource("a/b", false);
        assert_eq!(
            (delete.method, delete.path.as_str()),
            (Method::Delete, "/resources/a%2Fb")
        );
        assert_eq!(delete_resource("r1", true).path, "/resources/r1?force=true");
        assert_eq!(resources(Some("a&b")).path, "/resources?offer_id=a%26b");
        assert_eq!(resource("r", true).path, "/resources/r?force_refresh=true");
    }

    #[test]
    fn curl_names_the_token_variable_and_quotes_the_body() {
        let mut spec = OfferSpec::default();
        spec.compute.gpu_types = vec!["H100".into()];
        spec.vendor = Some("it's $(rm -rf /)".into());
        let text = curl("https://supply.example.com/", &get_offers(&spec));
        assert!(text.starts_with("curl --request POST 'https://supply.example.com/get_offers'"));
        assert!(text.contains("Bearer $SUPPLY_TOKEN"));
        assert!(text.contains("'Content-Type: application/yaml'"));
        assert!(text.contains("it'\\''s $(rm -rf /)"), "{text}");
    }
}
