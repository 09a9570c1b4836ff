//! Pieces of the k0rdent pages.

pub(crate) mod details;
pub(crate) mod instance_filters;
pub(crate) mod instances_table;
pub(crate) mod metadata;
pub(crate) mod open_instance;
pub(crate) mod pager;
pub(crate) mod parts_table;
