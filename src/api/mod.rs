//! The HTTP client: one fetch helper that adds the bearer token, reads the
//! answer as text, decodes it with `supply-model`, and aborts when the page
//! that asked unmounts.

mod client;
pub mod k0rdent;
mod remote;
pub mod supply;

pub use client::{ApiClient, ApiResult};
pub use remote::{use_remote, Remote};
pub use supply_model::ApiFailure;
