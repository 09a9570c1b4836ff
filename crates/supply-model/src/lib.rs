//! Types of the Supply Service and k0rdent compute APIs, and the pure logic
//! the console runs over them. No browser APIs here: everything is tested
//! natively.
//!
//! Decoding is tolerant: unknown fields are kept in `extra`, unknown enum
//! values in `Other(raw)`, and optional fields may be missing or `null`.

mod wire;

pub mod build;
pub mod cloud_init;
pub mod cloud_init_templates;
pub mod connection;
pub mod decimal;
pub mod deletion;
pub mod discovery;
pub mod error;
pub mod failure;
pub mod jwt;
pub mod k0rdent;
pub mod k0rdent_link;
pub mod k0rdent_list;
pub mod k0rdent_view;
pub mod key_library;
pub mod offer;
pub mod offer_insights;
pub mod offer_query;
pub mod offer_spec;
mod ordering;
pub mod polling;
pub mod pricing;
pub mod procure;
pub mod procure_form;
pub mod procure_view;
pub mod profiles;
pub mod resource;
pub mod resource_query;
pub mod routes;
pub mod row_window;
pub mod saved_search;
pub mod session;
pub mod spend;
pub mod ssh_key;
pub mod status;
pub mod supply_calls;
pub mod text;
pub mod time;
pub mod timeline;
pub mod url;
pub mod yaml;

pub use error::{
    parse_error_detail, parse_error_envelope, ErrorDetail, ErrorEnvelope, HttpValidationError,
    LocItem, ValidationError,
};
pub use failure::ApiFailure;
pub use offer::{
    decode_offer, decode_offers_answer, ContractType, MachineKind, Offer, OffersAnswer,
    StorageDetail,
};
pub use offer_spec::OfferSpec;
pub use procure::{ProcureRequest, ProcureResponse, ProcureStatus};
pub use resource::{
    decode_resources, LinkedResourceSummary, OfferResourceSummary, ResourceAccessInfo,
    ResourceSummary,
};
pub use status::{
    InstanceDetail, OfferResourceInfo, OfferState, OfferStatusResponse, ProcurementStatus,
};
pub use wire::{null_as_default, ApiTime, Extra};

/// "an object", "a string": how a JSON value is named in a decode message.
pub fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}
