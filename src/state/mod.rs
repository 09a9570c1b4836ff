//! State that outlives a page: the session (base URLs and tokens) and the
//! runtime configuration.

pub(crate) mod base;
pub(crate) mod build_check;
pub(crate) mod clock;
pub(crate) mod config;
pub(crate) mod discovery;
pub(crate) mod k0rdent_places;
pub(crate) mod k0rdent_session;
pub(crate) mod poller;
pub(crate) mod profiles;
pub(crate) mod route;
pub(crate) mod session;
pub(crate) mod spend;
pub(crate) mod storage;
pub(crate) mod timer;
pub(crate) mod yaml_reader;
