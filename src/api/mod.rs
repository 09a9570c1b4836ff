//! The HTTP client: one fetch helper that adds the bearer token, reads the
//! answer as text, decodes it with `supply-model`, and aborts when the page
//! that asked unmounts.

mod client;
pub(crate) mod k0rdent;
mod remote;
pub(crate) mod supply;

pub(crate) use client::{ApiClient, ApiResult};
pub(crate) use remote::{use_remote, Remote};
