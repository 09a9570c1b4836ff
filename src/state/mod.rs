//! State that outlives a page: the session (base URLs and tokens) and the
//! runtime configuration.

pub mod base;
pub mod build_check;
pub mod clock;
pub mod config;
pub mod discovery;
pub mod k0rdent_places;
pub mod k0rdent_session;
pub mod poller;
pub mod profiles;
pub mod route;
pub mod session;
pub mod spend;
pub mod storage;
pub mod timer;
