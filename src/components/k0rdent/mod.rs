//! Pieces of the k0rdent pages.

pub mod details;
pub mod instance_filters;
pub mod instances_table;
pub mod metadata;
pub mod open_instance;
pub mod pager;
pub mod parts_table;
