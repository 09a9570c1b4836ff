//! Pieces of the k0rdent pages.

pub mod details;
pub mod metadata;
pub mod open_instance;
pub mod parts_table;
