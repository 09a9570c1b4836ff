//! One file per route.

pub(crate) mod instance;
pub(crate) mod instances;
pub(crate) mod k0rdent;
pub(crate) mod not_found;
pub(crate) mod offers;
pub(crate) mod procure;
pub(crate) mod resource;
pub(crate) mod resources;
pub(crate) mod settings;
pub(crate) mod status;
