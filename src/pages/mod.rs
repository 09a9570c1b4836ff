//! One file per route.

pub mod instance;
pub mod instances;
pub mod k0rdent;
pub mod not_found;
pub mod offers;
pub mod procure;
pub mod resource;
pub mod resources;
pub mod settings;
pub mod status;
